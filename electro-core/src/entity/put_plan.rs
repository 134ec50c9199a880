//! A put worked out once, when the model loads.
//!
//! ElectroDB builds a put by name: it validates the item into a record, runs the
//! setters over it, asks which indexes the record's attributes touch, builds each
//! touched index's keys by looking every composite up, then renames attributes to
//! their fields. For most models every step but validation depends only on the
//! model, as long as the item gives every key composite. [`PutPlan`] keeps those
//! answers by attribute and index position, so such a put looks nothing up by
//! name; any other item (a composite missing, a setter to run) takes the general
//! path, which is also where its errors come from.

use super::impact::{ImpactOptions, is_empty_string};
use super::key_template::KeyTemplate;
use super::keys::{KeyOptions, Supplied};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{KeyFixings, Label, Model, TABLE_INDEX};
use crate::schema::AttributeSchema;
use crate::{Map, Name, Value};

/// What a put needs from the model, by position. `None` for models where the
/// general path does more than this plan knows (see [`PutPlan::new`]).
#[derive(Clone, Debug)]
pub(crate) struct PutPlan {
    /// Each attribute's table field, by attribute position.
    fields: Vec<Name>,
    /// Whether writing the attribute leaves its value as given (a plain value and
    /// no setter), by attribute position.
    set_identity: Vec<bool>,
    /// Every attribute a key is built from: each must have a value for the plan
    /// to apply.
    composites: Vec<usize>,
    /// The table index's partition and sort composites, as the chain keeps them.
    table_pk: Vec<(Name, usize)>,
    table_sk: Vec<(Name, usize)>,
    /// The indexes whose keys a put writes, in the order it writes them.
    indexes: Vec<PlannedIndex>,
}

/// One index's keys: where its fixings are, each label's attribute position, and
/// the keys' literal text when it can be worked out ahead.
#[derive(Clone, Debug)]
struct PlannedIndex {
    position: usize,
    fixings: usize,
    pk: Vec<usize>,
    sk: Option<Vec<usize>>,
    pk_template: Option<KeyTemplate>,
    sk_template: Option<KeyTemplate>,
}

/// Every attribute given: what the plan asks the general impact code, to learn
/// which indexes a complete item writes, and in what order.
struct AllGiven;

impl Supplied for AllGiven {
    fn value(&self, _: &str) -> Option<&Value> {
        Some(&Value::Null)
    }
    fn collect_into(&self, _: &mut Map) {}
}

impl PutPlan {
    /// The plan of `model`'s puts, or `None` when a put can do more than the plan
    /// covers: an index with a condition, setters or watchers that run over the
    /// whole item, a key composite that is not an attribute, or a key field or
    /// identifier that is also an attribute's field (the general path overwrites it
    /// in place).
    pub(crate) fn new(model: &Model) -> Option<PutPlan> {
        let schema = &model.schema;
        if model.indexes.iter().any(|d| d.condition.is_some())
            || schema.watch_set.has_watchers
            || schema.watch_set.has_function
        {
            return None;
        }
        let position = |name: &str| schema.attributes.get_index_of(name);
        let fields: Vec<Name> = schema
            .attributes
            .values()
            .map(|a| a.field.as_str().into())
            .collect();
        let set_identity = schema
            .attributes
            .values()
            .map(|a| AttributeSchema::mutation_is_identity(a, true))
            .collect();
        let mut composites = (model.facets.by_attr.keys())
            .map(|name| position(name))
            .collect::<Option<Vec<_>>>()?;
        let table = model.table_index();
        let (pk_names, sk_names) = &*table.composite_names;
        let with_positions = |names: &[String]| {
            (names.iter())
                .map(|n| Some((n.as_str().into(), position(n)?)))
                .collect::<Option<Vec<(Name, usize)>>>()
        };
        let (table_pk, table_sk) = (with_positions(pk_names)?, with_positions(sk_names)?);

        let impact = model
            .expect_index_facets(&AllGiven, &AllGiven, ImpactOptions::default())
            .ok()?;
        let mut order = impact.completed;
        let table_position = model.index_position(TABLE_INDEX).unwrap_or(0);
        if !order.contains(&table_position) {
            order.push(table_position);
        }
        let labels = |facets: &[String], labels: &[crate::model::Label]| {
            // The key builder reads a numeric key's value by its first composite
            // and every other by its label: the plan needs them to agree.
            if facets.len() != labels.len() || facets.iter().zip(labels).any(|(f, l)| *f != l.name)
            {
                return None;
            }
            labels.iter().map(|l| position(&l.name)).collect()
        };
        let mut indexes = Vec::with_capacity(order.len());
        let mut written: Vec<&str> = vec![&model.identifiers.entity, &model.identifiers.version];
        for position in order {
            // Keys are built from the first access pattern of the index's name, as
            // the general path looks the index up by name.
            let position = model.index_position(&model.indexes[position].index)?;
            let def = &model.indexes[position];
            written.push(&def.pk.field);
            written.extend(def.sk_field());
            let fixings = model.fixings.get_index_of(def.index.as_str())?;
            let (_, both) = model.fixings.get_index(fixings)?;
            let pk: Vec<usize> = labels(&def.pk.facets, &def.pk.labels)?;
            let sk = match &def.sk {
                Some(sk) => Some(labels(&sk.facets, &sk.labels)?),
                None => None,
            };
            composites.extend(pk.iter().chain(sk.iter().flatten()));
            indexes.push(PlannedIndex {
                position,
                fixings,
                pk_template: KeyTemplate::new(model, &both.pk, &def.pk.labels),
                sk_template: (def.sk.as_ref())
                    .and_then(|sk| KeyTemplate::new(model, &both.sk, &sk.labels)),
                pk,
                sk,
            });
        }
        // Each composite checked once per put (the labels repeat the facets).
        composites.sort_unstable();
        composites.dedup();
        let clash = written
            .iter()
            .enumerate()
            .any(|(i, w)| written[..i].contains(w) || fields.iter().any(|f| f.as_str() == *w));
        if clash {
            return None;
        }
        Some(PutPlan {
            fields,
            set_identity,
            composites,
            table_pk,
            table_sk,
            indexes,
        })
    }

    /// Whether the plan builds this checked item (values by attribute position):
    /// every key composite has a value and no given attribute has a setter to run.
    pub(crate) fn applies(&self, values: &[Option<Value>]) -> bool {
        self.composites.iter().all(|&i| values[i].is_some())
            && (values.iter().zip(&self.set_identity)).all(|(v, &identity)| identity || v.is_none())
    }

    /// The table key's composites of an item the plan applies to, partition ones
    /// first unless `sk_first`: what a put's response carries besides the item
    /// (the chain's `response_keys`).
    pub(crate) fn response_keys(&self, values: &[Option<Value>], sk_first: bool) -> Map {
        let (first, second) = if sk_first {
            (&self.table_sk, &self.table_pk)
        } else {
            (&self.table_pk, &self.table_sk)
        };
        let mut out = Map::with_capacity(first.len() + second.len());
        for (name, i) in first.iter().chain(second) {
            if let Some(v) = &values[*i] {
                out.insert(name.clone(), v.clone());
            }
        }
        out
    }

    /// The item a put writes: the attributes under their fields in definition order,
    /// every written index's keys, then the entity identifiers (what the general
    /// path builds for the same item, with no lookup by name).
    pub(crate) fn item(&self, model: &Model, values: Vec<Option<Value>>) -> Result<Map> {
        let mut keys: Vec<(&str, Value)> = Vec::with_capacity(self.indexes.len() * 2);
        for planned in &self.indexes {
            let def = &model.indexes[planned.position];
            let Some((_, fixings)) = model.fixings.get_index(planned.fixings) else {
                return Err(Error::new(
                    ErrorCode::UnknownError,
                    "A put plan does not match its model's indexes",
                ));
            };
            let pk = planned_key(
                model,
                planned.pk_template.as_ref(),
                (&fixings.pk, &def.pk.facets, &def.pk.labels),
                &planned.pk,
                &values,
            )?;
            if let Some(pk) = pk.filter(|v| !is_empty_string(v)) {
                keys.push((&def.pk.field, pk));
            }
            if let (Some(sk_def), Some(positions)) = (&def.sk, &planned.sk) {
                let sk = planned_key(
                    model,
                    planned.sk_template.as_ref(),
                    (&fixings.sk, &sk_def.facets, &sk_def.labels),
                    positions,
                    &values,
                )?;
                if let Some(sk) = sk.filter(|v| !is_empty_string(v)) {
                    keys.push((&sk_def.field, sk));
                }
            }
        }
        let present = values.iter().flatten().count();
        let mut item = Map::with_capacity(present + keys.len() + 2);
        for (field, value) in self.fields.iter().zip(values) {
            if let Some(value) = value {
                item.insert_unique(field.clone(), value);
            }
        }
        for (field, key) in keys {
            item.insert_unique(field.into(), key);
        }
        let identifiers = &model.identifiers;
        item.insert_unique(
            identifiers.entity.as_str().into(),
            Value::String(model.entity.as_str().into()),
        );
        item.insert_unique(
            identifiers.version.as_str().into(),
            Value::String(model.version.as_str().into()),
        );
        Ok(item)
    }
}

/// One key of a planned put: from its template when it has one, else from the
/// general key builder, reading each composite by its attribute position.
#[inline(always)]
fn planned_key(
    model: &Model,
    template: Option<&KeyTemplate>,
    parts: (&KeyFixings, &[String], &[Label]),
    positions: &[usize],
    values: &[Option<Value>],
) -> Result<Option<Value>> {
    let Some(template) = template else {
        return general_key(model, parts, positions, values);
    };
    // Every composite has a value (the plan `applies`): `null` would only stand
    // in for one if that changed.
    let key = template.build(|i| values[positions[i]].as_ref().unwrap_or(&Value::Null));
    Ok(Some(Value::String(key.into())))
}

/// A planned put's key that has no template (numeric, or padded composites).
#[inline(never)]
fn general_key(
    model: &Model,
    (fixings, facets, labels): (&KeyFixings, &[String], &[Label]),
    positions: &[usize],
    values: &[Option<Value>],
) -> Result<Option<Value>> {
    let value_at = |i: usize, _: &str| values[positions[i]].as_ref();
    let key = model.make_key_with(fixings, facets, labels, KeyOptions::default(), value_at)?;
    Ok(key.key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Entity;
    use crate::item;

    fn corpus(name: &str) -> Model {
        crate::entity::corpus_model(name).expect("corpus model")
    }

    /// The params (or error) of `put(item)` with the model's plan and without it.
    fn planned_and_general(name: &str, item: Map) -> (String, String) {
        let mut general = corpus(name);
        general.put_plan = None;
        let run = |m: Model| {
            let e = Entity::from_model(m).table("electro");
            let put = e.put(item.clone());
            // What `.go()` adds to the response besides the item.
            let response_keys = Value::Map(put.0.response_keys()).to_json();
            match put.params() {
                Ok(p) => format!("{} {response_keys}", p.to_json()),
                Err(e) => format!("error {}: {}", e.code(), e.reason()),
            }
        };
        (run(corpus(name)), run(general))
    }

    #[test]
    fn plan_is_made_only_where_it_covers_the_put() {
        for name in [
            "mallstore",
            "padded",
            "numeric",
            "templates",
            "attrfields",
            "casing",
        ] {
            assert!(corpus(name).put_plan.is_some(), "{name}");
        }
        // A setter that runs on every put (teamtasks' updatedAt) is the general
        // path's work; so is an attribute stored in a key field.
        assert!(corpus("teamtasks").put_plan.is_none());
        assert!(corpus("prefixed").put_plan.is_none());
    }

    #[test]
    fn planned_put_builds_what_the_general_path_builds() {
        let cases = [
            (
                "mallstore",
                item! {"cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys",
                "buildingId" => "BuildingA1", "unitId" => "B47", "category" => "food/coffee",
                "leaseEndDate" => "2020-03-22", "rent" => "4500.00"},
            ),
            // Out of the model's order, with a set (whose conversion is the general path's).
            (
                "mallstore",
                item! {"rent" => "4500.00", "unitId" => "B47", "cityId" => "Atlanta1",
                "leaseEndDate" => "2020-03-22", "mallId" => "EastPointe", "storeId" => "LatteLarrys",
                "category" => "food/coffee", "buildingId" => "BuildingA1",
                "tenant" => vec![Value::from("a"), Value::from("b")]},
            ),
            // Invalid: the errors are the general path's.
            (
                "mallstore",
                item! {"cityId" => "Atlanta1", "rent" => "lots", "nope" => 1},
            ),
            (
                "padded",
                item! {"invoiceId" => "INV-1", "lineNo" => 7, "sku" => "ab", "qty" => 2},
            ),
            // A composite missing: an index left out, or an error.
            (
                "padded",
                item! {"invoiceId" => "INV-1", "lineNo" => 7, "qty" => 2},
            ),
            (
                "numeric",
                item! {"number1" => 12, "number2" => "34", "label" => "x"},
            ),
            (
                "templates",
                item! {"accountNo" => "A1", "invoiceId" => "I9", "issuedOn" => "2024-01-02",
                "amount" => 5, "currency" => "EUR", "region" => "West", "memo" => "m"},
            ),
            (
                "attrfields",
                item! {"trackingNo" => "T1", "carrier" => "UPS", "status" => "pending", "weightKg" => 3},
            ),
            (
                "casing",
                item! {"firmId" => "F", "caseRef" => "C-1", "judge" => "Dredd", "courtRoom" => "R2",
                "clerk" => "Kl", "docket" => "D7", "summary" => "s"},
            ),
            // Values outside ASCII are cased with the key around them (a final
            // sigma depends on what follows it), under each casing.
            (
                "casing",
                item! {"firmId" => "ΟΔΟΣ", "caseRef" => "Σ-ß", "judge" => "İrem Ωmega", "courtRoom" => "Ünï",
                "clerk" => "Çé", "docket" => "ΌΣ", "summary" => "s"},
            ),
            (
                "templates",
                item! {"accountNo" => "ÅΣ", "invoiceId" => "Straße", "issuedOn" => "2024-01-02",
                "amount" => 5, "currency" => "ΣΣ", "region" => "Ωest", "memo" => "m"},
            ),
        ];
        let mallstore = corpus("mallstore");
        let plan = mallstore.put_plan.as_ref().expect("plan");
        let given = |item: &Map| {
            let values = mallstore.schema.check_create_values(item.clone());
            values.is_ok_and(|v| plan.applies(&v))
        };
        assert!(given(&cases[0].1), "the plan builds a complete plain item");
        assert!(
            !given(&cases[1].1),
            "a set is converted on the general path"
        );
        for (name, item) in cases {
            let (planned, general) = planned_and_general(name, item);
            assert_eq!(planned, general, "{name}");
        }
    }
}
