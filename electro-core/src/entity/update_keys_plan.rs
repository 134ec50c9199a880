//! The keys an update rebuilds, worked out once per model.
//!
//! [`Model::get_updated_keys`] asks, by name, which keys each attribute the update
//! sets feeds (`_getIndexImpact`), looks every index and its fixings up, and builds
//! each touched key by looking its composites up. For a model with no index
//! conditions, an update that removes nothing and supplies no extra composites
//! only needs to know which composites it sets: [`UpdateKeysPlan`] keeps each
//! composite's keys by index position, and each key's literal text, so the update
//! looks up only the values it writes. An update that would fail (a composite
//! missing) takes the general path, which is where its error comes from.

use super::impact::{KeyMaps, PutKeys};
use super::key_template::KeyTemplate;
use super::keys::{KeyOptions, Layered};
use crate::error::Result;
use crate::model::{IndexType, KeyCast, KeyFixings, KeyType, Label, Model, TABLE_INDEX};
use crate::{Map, Name, Value};

/// At most this many access patterns: an update tracks the indexes it touches on
/// the stack.
const MAX_INDEXES: usize = 32;

/// At most this many composites in a key built from its template (their values
/// are gathered on the stack first).
const MAX_LABELS: usize = 8;

/// What an update's keys need from the model, by index position. `None` for
/// models where the general path does more (see [`UpdateKeysPlan::new`]).
#[derive(Clone, Debug)]
pub(crate) struct UpdateKeysPlan {
    /// Every composite attribute, in the order the impact code visits them, with
    /// the keys it feeds (index position, key type).
    composites: Vec<(Name, Vec<(u8, KeyType)>)>,
    /// One per access pattern, by position.
    indexes: Vec<UpdatedIndex>,
    /// The table index's position.
    table: usize,
    /// Whether no two written key fields are the same (then each key is appended
    /// without a search).
    distinct_fields: bool,
    /// Whether the table's partition and sort key fields differ (the same).
    distinct_table_fields: bool,
}

/// One access pattern's keys.
#[derive(Clone, Debug)]
struct UpdatedIndex {
    /// Composite-layout indexes are never rebuilt.
    skipped: bool,
    /// The access pattern keys are built from: the first of the index's name, as
    /// the general path looks the index up by name.
    key_position: usize,
    /// The position of the index's fixings in `Model::fixings`.
    fixings: usize,
    pk: PlannedKey,
    sk: Option<PlannedKey>,
    /// How many composites each key has (what a touched key is compared with).
    pk_len: usize,
    sk_len: usize,
    /// A sort key without composites, written as its fixed text when the update
    /// touches only the partition key (so a sparse index stays queryable).
    fixed_sk: Option<Name>,
}

/// One key: its literal text when it can be worked out ahead, and whether it is
/// numeric (built even when not touched, so that its errors stay).
#[derive(Clone, Debug)]
struct PlannedKey {
    template: Option<KeyTemplate>,
    numeric: bool,
}

impl PlannedKey {
    fn new(model: &Model, fixings: &KeyFixings, labels: &[Label]) -> Self {
        PlannedKey {
            template: (labels.len() <= MAX_LABELS)
                .then(|| KeyTemplate::new(model, fixings, labels))
                .flatten(),
            numeric: fixings.cast == KeyCast::Number,
        }
    }
}

/// Which keys of one index an update touches, and with how many composites.
#[derive(Clone, Copy, Default)]
struct Touch {
    pk: Option<u8>,
    sk: Option<u8>,
}

impl UpdateKeysPlan {
    /// The plan of `model`'s updated keys, or `None` when an index has a
    /// condition (whose callback needs the whole item) or the model has more
    /// access patterns than an update tracks on the stack.
    pub(crate) fn new(model: &Model) -> Option<UpdateKeysPlan> {
        if model.indexes.len() > MAX_INDEXES || model.indexes.iter().any(|d| d.condition.is_some())
        {
            return None;
        }
        let composites = (model.facets.by_attr.iter())
            .map(|(name, uses)| {
                let feeds = (uses.iter())
                    .filter(|f| f.index_type != IndexType::Composite)
                    .map(|f| (f.position as u8, f.key_type))
                    .collect::<Vec<_>>();
                (Name::from(name.as_str()), feeds)
            })
            .filter(|(_, feeds)| !feeds.is_empty())
            .collect();
        let mut indexes = Vec::with_capacity(model.indexes.len());
        let mut fields: Vec<&str> = Vec::new();
        for def in &model.indexes {
            let key_position = model.index_position(&def.index)?;
            let key_def = &model.indexes[key_position];
            let fixings = model.fixings.get_index_of(def.index.as_str())?;
            let (_, both) = model.fixings.get_index(fixings)?;
            let fixed_sk = (def.has_sk() && def.sk_facets().is_empty())
                .then(|| {
                    let fix = model.fixings_of(&def.index)?;
                    let mut key = fix.sk.prefix.clone();
                    key.push_str(fix.sk.postfix.as_deref().unwrap_or_default());
                    (!key.is_empty()).then(|| Name::from(key))
                })
                .flatten();
            fields.push(&def.pk.field);
            fields.extend(def.sk_field());
            indexes.push(UpdatedIndex {
                skipped: model.composite_indexes.contains(&def.index),
                key_position,
                fixings,
                pk: PlannedKey::new(model, &both.pk, &key_def.pk.labels),
                sk: (key_def.sk.as_ref()).map(|sk| PlannedKey::new(model, &both.sk, &sk.labels)),
                pk_len: def.pk.facets.len(),
                sk_len: def.sk_facets().len(),
                fixed_sk,
            });
        }
        let distinct_fields = (fields.iter().enumerate()).all(|(i, f)| !fields[..i].contains(f));
        let table = model.index_position(TABLE_INDEX).unwrap_or(0);
        let table_def = &model.indexes[table];
        Some(UpdateKeysPlan {
            composites,
            indexes,
            table,
            distinct_fields,
            distinct_table_fields: table_def.sk_field() != Some(table_def.pk.field.as_str()),
        })
    }

    /// What `get_updated_keys(pk, sk, set, {}, {})` returns, or `None` when the
    /// general path must answer (a touched key misses a composite: its error).
    pub(crate) fn keys(
        &self,
        model: &Model,
        pk: &Map,
        sk: &Map,
        set: &Map,
    ) -> Option<Result<PutKeys>> {
        // `_getIndexImpact`: the indexes touched, in the order first touched.
        let mut touches = [Touch::default(); MAX_INDEXES];
        let mut order = [0u8; MAX_INDEXES];
        let mut touched = 0usize;
        for (name, feeds) in &self.composites {
            if !set.contains_key(name.as_str()) {
                continue;
            }
            for &(position, key_type) in feeds {
                let touch = &mut touches[position as usize];
                if touch.pk.is_none() && touch.sk.is_none() {
                    order[touched] = position;
                    touched += 1;
                }
                let given = match key_type {
                    KeyType::Pk => &mut touch.pk,
                    KeyType::Sk => &mut touch.sk,
                };
                *given = Some(given.unwrap_or(0) + 1);
            }
        }
        // `_expectIndexFacets`: a touched key short of a composite that neither
        // the update nor the table key gives is an error, the general path's.
        let given =
            |name: &str| set.contains_key(name) || pk.contains_key(name) || sk.contains_key(name);
        for &position in &order[..touched] {
            let (touch, planned) = (touches[position as usize], &self.indexes[position as usize]);
            let def = &model.indexes[position as usize];
            let short = |count: Option<u8>, len: usize, facets: &[String]| {
                count.is_some_and(|c| c as usize != len) && !facets.iter().all(|f| given(f))
            };
            if short(touch.pk, planned.pk_len, &def.pk.facets)
                || short(touch.sk, planned.sk_len, def.sk_facets())
            {
                return None;
            }
        }
        Some(self.build(model, pk, sk, set, &touches, &order[..touched]))
    }

    /// `_makeKeysFromAttributes` over the touched indexes, then the table index.
    fn build(
        &self,
        model: &Model,
        pk: &Map,
        sk: &Map,
        set: &Map,
        touches: &[Touch; MAX_INDEXES],
        order: &[u8],
    ) -> Result<PutKeys> {
        let table_touched = touches[self.table].pk.is_some() || touches[self.table].sk.is_some();
        let table = (!table_touched).then_some((self.table, true, true));
        let impacted = (order.iter())
            .map(|&p| {
                let t = touches[p as usize];
                (p as usize, t.pk.is_some(), t.sk.is_some())
            })
            .chain(table);
        let value_of = |name: &str| {
            pk.get(name)
                .or_else(|| sk.get(name))
                .or_else(|| set.get(name))
        };
        // The table's keys go to `index_key`: an update touching no other index
        // allocates no `updated`.
        let mut updated = Map::with_capacity(2 * order.len());
        let mut index_key = Map::with_capacity(2);
        for (position, has_pk, has_sk) in impacted {
            let planned = &self.indexes[position];
            if planned.skipped {
                continue;
            }
            let key_def = &model.indexes[planned.key_position];
            let Some((_, fixings)) = model.fixings.get_index(planned.fixings) else {
                continue;
            };
            let key_pk = if has_pk || planned.pk.numeric {
                let parts = (&fixings.pk, &key_def.pk.facets[..], &key_def.pk.labels[..]);
                planned_key(model, &planned.pk, parts, pk, sk, set, &value_of)?
            } else {
                None
            };
            let key_sk = match (&key_def.sk, &planned.sk) {
                (Some(sk_def), Some(key)) if has_sk || key.numeric => {
                    let parts = (&fixings.sk, &sk_def.facets[..], &sk_def.labels[..]);
                    planned_key(model, key, parts, pk, sk, set, &value_of)?
                }
                _ => None,
            };
            let into = KeyMaps {
                index_key: &mut index_key,
                updated: &mut updated,
                distinct: (self.distinct_table_fields, self.distinct_fields),
            };
            into.place(&model.indexes[position], key_pk, key_sk, || {
                planned.fixed_sk.clone().map(Value::String)
            });
        }
        Ok(PutKeys {
            index_key,
            updated_keys: updated,
            deleted_keys: Vec::new(),
        })
    }
}

/// One key from its template when every composite has a value, else from the
/// general key builder (which stops at the first missing one, and makes numeric
/// and padded keys).
#[inline(always)]
fn planned_key<'v>(
    model: &Model,
    planned: &PlannedKey,
    (fixings, facets, labels): (&KeyFixings, &[String], &[Label]),
    pk: &Map,
    sk: &Map,
    set: &Map,
    value_of: &impl Fn(&str) -> Option<&'v Value>,
) -> Result<Option<Value>> {
    if let Some(template) = &planned.template {
        let mut values: [&Value; MAX_LABELS] = [&Value::Null; MAX_LABELS];
        let complete =
            (labels.iter().zip(&mut values)).all(|(label, slot)| match value_of(&label.name) {
                Some(v) => {
                    *slot = v;
                    true
                }
                None => false,
            });
        if complete {
            return Ok(Some(Value::String(template.build(|i| values[i]).into())));
        }
    }
    general_key(model, (fixings, facets, labels), pk, sk, set)
}

/// A key with no template, or with a composite missing.
#[inline(never)]
fn general_key(
    model: &Model,
    (fixings, facets, labels): (&KeyFixings, &[String], &[Label]),
    pk: &Map,
    sk: &Map,
    set: &Map,
) -> Result<Option<Value>> {
    let key_attributes = Layered {
        top: pk,
        bottom: sk,
    };
    let all = Layered {
        top: &key_attributes,
        bottom: set,
    };
    Ok(model
        .make_key(fixings, facets, &all, labels, KeyOptions::default())?
        .key)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::entity::corpus_model as corpus;

    fn shown(keys: Result<PutKeys>) -> String {
        match keys {
            Ok(k) => format!("{k:?}"),
            Err(e) => format!("error {}: {}", e.code(), e.reason()),
        }
    }

    #[test]
    fn plan_is_made_only_where_it_covers_the_update() {
        for name in ["teamtasks", "mallstore", "padded", "numeric", "templates"] {
            assert!(corpus(name).unwrap().update_keys_plan.is_some(), "{name}");
        }
    }

    /// Every corpus model, with table keys whole or short, and sets of each
    /// composite alone, all of them, and all but one: the plan's keys (or error)
    /// are the general path's.
    #[test]
    fn planned_keys_are_the_general_paths() {
        let dir = format!("{}/../tests/conformance/models", env!("CARGO_MANIFEST_DIR"));
        let (mut planned_models, mut planned_cases, mut fallbacks) = (0, 0, 0);
        for entry in std::fs::read_dir(dir).expect("models") {
            let path = entry.expect("entry").path();
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let Some(model) = corpus(name) else { continue };
            if model.update_keys_plan.is_none() {
                continue;
            }
            planned_models += 1;
            let composites: Vec<String> = model.facets.by_attr.keys().cloned().collect();
            let table = model.table_index();
            for value in [Value::from("Vä-1"), Value::from(7), Value::from("")] {
                let map_of = |names: &[String]| {
                    let mut m = Map::default();
                    for n in names {
                        m.insert(n.as_str().into(), value.clone());
                    }
                    m
                };
                let pk = map_of(&table.pk.facets);
                let sk = map_of(table.sk_facets());
                let short_sk = map_of(table.sk_facets().get(1..).unwrap_or_default());
                let mut sets: Vec<Vec<String>> = vec![vec![], composites.clone()];
                sets.extend(composites.iter().map(|c| vec![c.clone()]));
                sets.push(composites.get(1..).unwrap_or_default().to_vec());
                for names in &sets {
                    let mut set = map_of(names);
                    set.insert("notAComposite".into(), Value::from("x"));
                    for sk in [&sk, &short_sk] {
                        let nothing = Map::default();
                        let general = model.get_updated_keys(&pk, sk, &set, &nothing, &nothing);
                        let plan = model.update_keys_plan.as_ref().expect("plan");
                        match plan.keys(&model, &pk, sk, &set) {
                            Some(_) => planned_cases += 1,
                            None => fallbacks += 1,
                        }
                        let planned = model.updated_keys(&pk, sk, &set, &nothing, &nothing);
                        assert_eq!(
                            shown(planned),
                            shown(general),
                            "{name}: set {names:?}, value {value:?}"
                        );
                    }
                }
            }
        }
        assert!(planned_models > 10, "{planned_models}");
        assert!(planned_cases > 2 * fallbacks, "{planned_cases} {fallbacks}");
        assert!(fallbacks > 0);
    }
}
