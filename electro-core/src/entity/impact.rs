//! Which index keys a write changes, and their new values: a port of ElectroDB's
//! `_getIndexImpact`, `_expectIndexFacets`, `_getPutKeys` and `_getUpdatedKeys`.
//!
//! A write that changes a composite attribute must rebuild every key built from it;
//! when it cannot (another composite of that key is missing) it fails with 2002
//! rather than leave a stale key behind. Indexes are tracked by their position in
//! the model and names are borrowed from it, so a write allocates only its output.

use super::keys::{KeyOptions, Layered, Supplied};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexType, KeyType, Model, TABLE_INDEX};
use crate::{Map, Value};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Provided,
    Composite,
}

/// One index a write touches: which of its keys, from where, and the composites
/// given for each (ElectroDB's `impactedIndexes`, `impactedIndexTypes`,
/// `impactedIndexTypeSources`).
struct Touched<'m> {
    position: usize,
    pk: Option<Vec<&'m str>>,
    sk: Option<Vec<&'m str>>,
    pk_source: Option<Source>,
    sk_source: Option<Source>,
}

/// What `_getIndexImpact` computes, by index position, in the reference's order.
#[derive(Default)]
pub(crate) struct Impact {
    /// Indexes whose touched keys are complete.
    pub completed: Vec<usize>,
    /// Indexes touched, with whether their pk and sk are.
    pub impacted: Vec<(usize, bool, bool)>,
    /// Indexes whose sparse condition was evaluated, with its result.
    pub conditions: Vec<(usize, bool)>,
}

#[derive(Clone, Copy, Default)]
pub(crate) struct ImpactOptions {
    pub utilize_included_only_indexes: bool,
    pub skip_condition_check: bool,
}

impl Model {
    fn condition_defined_at(&self, position: usize) -> bool {
        self.indexes[position].condition.is_some()
    }

    /// `_getIndexImpact` followed by `_expectIndexFacets`'s error.
    pub(crate) fn expect_index_facets(
        &self,
        attributes: &dyn Supplied,
        included: &dyn Supplied,
        options: ImpactOptions,
    ) -> Result<Impact> {
        let has = |s: &dyn Supplied, name: &str| s.value(name).is_some();
        let mut touched: Vec<Touched<'_>> = Vec::with_capacity(self.indexes.len());
        let entry = |touched: &mut Vec<Touched<'_>>, position: usize| -> usize {
            match touched.iter().position(|t| t.position == position) {
                Some(i) => i,
                None => {
                    touched.push(Touched {
                        position,
                        pk: None,
                        sk: None,
                        pk_source: None,
                        sk_source: None,
                    });
                    touched.len() - 1
                }
            }
        };

        for (attribute, uses) in &self.facets.by_attr {
            if !has(attributes, attribute) {
                continue;
            }
            for facet in uses {
                if facet.index_type == IndexType::Composite {
                    continue;
                }
                let i = entry(&mut touched, facet.position);
                let t = &mut touched[i];
                match facet.key_type {
                    KeyType::Pk => {
                        t.pk.get_or_insert_with(|| Vec::with_capacity(4))
                            .push(attribute);
                        t.pk_source = Some(Source::Provided);
                    }
                    KeyType::Sk => {
                        t.sk.get_or_insert_with(|| Vec::with_capacity(4))
                            .push(attribute);
                        t.sk_source = Some(Source::Provided);
                    }
                }
            }
        }

        if options.utilize_included_only_indexes {
            for (position, def) in self.indexes.iter().enumerate() {
                if def.index_type == IndexType::Composite
                    || def.index.is_empty()
                    || def.condition.is_none()
                {
                    continue;
                }
                let (pk, sk) = (&def.pk.facets, def.sk_facets());
                if !pk.is_empty() && pk.iter().all(|a| has(included, a)) {
                    let i = entry(&mut touched, position);
                    let t = &mut touched[i];
                    t.pk = Some(pk.iter().map(String::as_str).collect());
                    t.pk_source = t.pk_source.or(Some(Source::Composite));
                }
                if !sk.is_empty() && sk.iter().all(|a| has(included, a)) && def.has_sk() {
                    let i = entry(&mut touched, position);
                    let t = &mut touched[i];
                    t.sk = Some(sk.iter().map(String::as_str).collect());
                    t.sk_source = t.sk_source.or(Some(Source::Composite));
                }
            }
        }

        let mut completed = Vec::new();
        let mut conditions = Vec::new();
        // (position, missing composites) for indexes that are incomplete.
        let mut incomplete: Vec<(usize, Vec<&str>)> = Vec::new();
        for (position, def) in self.indexes.iter().enumerate() {
            if def.index_type == IndexType::Composite {
                continue;
            }
            let (pk, sk) = (&def.pk.facets, def.sk_facets());
            let mut missing: Vec<&str> = Vec::new();
            if let Some(t) = touched.iter().find(|t| t.position == position) {
                let missing_pk = t.pk.as_ref().is_some_and(|v| v.len() != pk.len());
                let missing_sk = t.sk.as_ref().is_some_and(|v| v.len() != sk.len());
                if missing_pk {
                    let given = t.pk.as_deref().unwrap_or_default();
                    missing.extend(
                        pk.iter()
                            .map(String::as_str)
                            .filter(|a| !given.contains(a) && !has(included, a)),
                    );
                }
                if missing_sk {
                    let given = t.sk.as_deref().unwrap_or_default();
                    missing.extend(
                        sk.iter()
                            .map(String::as_str)
                            .filter(|a| !given.contains(a) && !has(included, a)),
                    );
                }
                if !missing_pk && !missing_sk {
                    completed.push(position);
                }
            }

            if options.skip_condition_check || def.index.is_empty() || def.condition.is_none() {
                if !missing.is_empty() {
                    incomplete.push((position, missing));
                }
                conditions.push((position, true));
                continue;
            }
            let t = touched.iter().find(|t| t.position == position);
            let member_impacted = t.is_some_and(|t| {
                t.pk_source == Some(Source::Provided) || t.sk_source == Some(Source::Provided)
            });
            let all_included = def.all_facets().all(|(_, n)| has(included, n));
            if member_impacted || all_included {
                let missing_attributes: Vec<&str> = def
                    .all_facets()
                    .map(|(_, n)| n)
                    .filter(|n| (!has(attributes, n) && !has(included, n)) || missing.contains(n))
                    .collect();
                if !missing_attributes.is_empty() {
                    return Err(Error::new(
                        ErrorCode::IncompleteIndexCompositesAttributesProvided,
                        format!(
                            "Incomplete composite attributes provided for index {}. Write operations that include composite attributes, for indexes with a condition callback defined, must always provide values for every index composite. This is to ensure consistency between index values and attribute values. Missing composite attributes identified: {}",
                            def.index,
                            crate::model::comma_separated(&missing_attributes)
                        ),
                    ));
                }
                let mut merged = Map::default();
                attributes.collect_into(&mut merged);
                included.collect_into(&mut merged);
                let should_make = def.condition.as_ref().map(|c| c(&merged)).unwrap_or(true);
                conditions.push((position, should_make));
            } else if !missing.is_empty() {
                incomplete.push((position, missing));
            }
        }

        if !incomplete.is_empty() {
            let access_patterns: Vec<&str> = incomplete
                .iter()
                .map(|(p, _)| self.indexes[*p].access_pattern.as_str())
                .collect();
            let missing: Vec<&str> = incomplete
                .iter()
                .flat_map(|(_, m)| m.iter().copied())
                .collect();
            return Err(Error::new(
                ErrorCode::IncompleteCompositeAttributes,
                format!(
                    "Incomplete composite attributes: Without the composite attributes {} the following access patterns cannot be updated: {}. If a composite attribute is readOnly and cannot be set, use the 'composite' chain method on update to supply the value for key formatting purposes.",
                    crate::model::comma_separated(&missing),
                    crate::model::comma_separated(&access_patterns)
                ),
            ));
        }
        // Room for the table index, which an update adds when it is not touched.
        let mut impacted = Vec::with_capacity(touched.len() + 1);
        impacted.extend(
            touched
                .iter()
                .map(|t| (t.position, t.pk.is_some(), t.sk.is_some())),
        );
        Ok(Impact {
            completed,
            impacted,
            conditions,
        })
    }

    /// An index's partition and sort key from one set of attributes.
    fn make_full_keys(
        &self,
        position: usize,
        attributes: &dyn Supplied,
    ) -> Result<(Option<Value>, Option<Value>)> {
        let index = &self.indexes[position].index;
        self.make_index_key_pair(index, attributes, attributes)
    }

    /// An index's partition and sort key from one set of attributes, each only if
    /// `wanted` (pk, sk): an update rewrites only the keys its attributes touch. A
    /// key not wanted is still built when building it can fail (a numeric key), so
    /// that the errors stay those of building both.
    fn make_wanted_keys(
        &self,
        position: usize,
        attributes: &dyn Supplied,
        (want_pk, want_sk): (bool, bool),
    ) -> Result<(Option<Value>, Option<Value>)> {
        let index = &self.indexes[position].index;
        let (def, fixings) = self.index_and_fixings(index)?;
        let numeric = |f: &crate::model::KeyFixings| f.cast == crate::model::KeyCast::Number;
        let pk = if want_pk || numeric(&fixings.pk) {
            let options = KeyOptions::default();
            (self.make_key(
                &fixings.pk,
                &def.pk.facets,
                attributes,
                &def.pk.labels,
                options,
            )?)
            .key
        } else {
            None
        };
        let sk = match &def.sk {
            Some(sk_def) if want_sk || numeric(&fixings.sk) => {
                let options = KeyOptions::default();
                (self.make_key(
                    &fixings.sk,
                    &sk_def.facets,
                    attributes,
                    &sk_def.labels,
                    options,
                )?)
                .key
            }
            _ => None,
        };
        Ok((pk, sk))
    }

    fn deleted_key_fields(&self, position: usize, out: &mut Vec<String>) {
        let def = &self.indexes[position];
        out.push(def.pk.field.clone());
        if let Some(sk) = def.sk_field() {
            out.push(sk.to_string());
        }
    }

    /// `_getPutKeys`: every key of a new item.
    /// `with_index_key`: also return the table key (upserts need it; puts don't,
    /// and copying its two long strings is most of what it costs).
    pub(crate) fn get_put_keys(
        &self,
        pk: &Map,
        sk: &Map,
        set: &Map,
        with_index_key: bool,
    ) -> Result<PutKeys> {
        let key_attributes = Layered {
            top: pk,
            bottom: sk,
        };
        let mut complete =
            self.expect_index_facets(set, &key_attributes, ImpactOptions::default())?;
        let mut deleted_keys = Vec::new();
        for &(position, condition) in &complete.conditions {
            if !condition {
                self.deleted_key_fields(position, &mut deleted_keys);
            }
        }
        let table_position = self.index_position(TABLE_INDEX).unwrap_or(0);
        if !complete.completed.contains(&table_position) {
            complete.completed.push(table_position);
        }
        let merged = Layered {
            top: set,
            bottom: &key_attributes,
        };
        let mut updated = Map::with_capacity(complete.completed.len() * 2);
        let mut index_key = Map::default();
        let mut whole: Option<Map> = None;
        for &position in &complete.completed {
            let def = &self.indexes[position];
            if let Some(condition) = &def.condition {
                let item = whole.get_or_insert_with(|| {
                    let mut m = Map::default();
                    merged.collect_into(&mut m);
                    m
                });
                if !condition(item) {
                    continue;
                }
            }
            let (pk, sk) = self.make_full_keys(position, &merged)?;
            let sk_field = def.sk_field();
            if with_index_key && def.index.is_empty() {
                if let Some(pk) = &pk {
                    index_key.insert(def.pk.field.as_str().into(), pk.clone());
                }
                if let (Some(sk_field), Some(sk)) = (sk_field, &sk) {
                    index_key.insert(sk_field.into(), sk.clone());
                }
            }
            if let Some(pk) = pk.filter(|v| !is_empty_string(v)) {
                updated.insert(def.pk.field.as_str().into(), pk);
            }
            if let Some(sk_field) = sk_field {
                if let Some(sk) = sk.filter(|v| !is_empty_string(v)) {
                    updated.insert(sk_field.into(), sk);
                }
            }
        }
        Ok(PutKeys {
            index_key,
            updated_keys: updated,
            deleted_keys,
        })
    }

    /// The keys an update rebuilds and those it removes: from the model's plan
    /// when it has one and the update removes nothing, names no composites and is
    /// complete, else from [`Model::get_updated_keys`].
    pub(crate) fn updated_keys(
        &self,
        pk: &Map,
        sk: &Map,
        set: &Map,
        removed: &Map,
        composites: &Map,
    ) -> Result<PutKeys> {
        let plan = self.update_keys_plan.as_ref();
        let planned = plan
            .filter(|_| removed.is_empty() && composites.is_empty())
            .and_then(|p| p.keys(self, pk, sk, set));
        match planned {
            Some(keys) => keys,
            None => self.get_updated_keys(pk, sk, set, removed, composites),
        }
    }

    /// `_getUpdatedKeys`: the keys an update rebuilds, and those it must remove.
    pub(crate) fn get_updated_keys(
        &self,
        pk: &Map,
        sk: &Map,
        set: &Map,
        removed: &Map,
        composite: &dyn Supplied,
    ) -> Result<PutKeys> {
        let key_attributes = Layered {
            top: pk,
            bottom: sk,
        };
        let included = Layered {
            top: &key_attributes,
            bottom: composite,
        };
        let mut complete = self.expect_index_facets(
            set,
            &included,
            ImpactOptions {
                utilize_included_only_indexes: true,
                skip_condition_check: false,
            },
        )?;
        // Removing nothing touches no index (and, without conditions to check, can
        // find nothing missing).
        let removed_impacted = if removed.is_empty() {
            Vec::new()
        } else {
            self.expect_index_facets(
                removed,
                &key_attributes,
                ImpactOptions {
                    utilize_included_only_indexes: false,
                    skip_condition_check: true,
                },
            )?
            .impacted
        };
        let table_position = self.index_position(TABLE_INDEX).unwrap_or(0);
        if !complete
            .impacted
            .iter()
            .any(|(p, _, _)| *p == table_position)
        {
            complete.impacted.push((table_position, true, true));
        }

        // `_makeKeysFromAttributes` over `{...composite, ...set, ...keyAttributes}`.
        let set_over_composite = Layered {
            top: set,
            bottom: composite,
        };
        let all_attrs = Layered {
            top: &key_attributes,
            bottom: &set_over_composite,
        };
        let mut composed: Vec<(usize, Option<Value>, Option<Value>)> = Vec::new();
        for &(position, has_pk, has_sk) in &complete.impacted {
            let def = &self.indexes[position];
            if self.composite_indexes.contains(&def.index) {
                continue;
            }
            let condition_ok = complete
                .conditions
                .iter()
                .find(|(p, _)| *p == position)
                .is_some_and(|(_, c)| *c);
            let should_make = !self.condition_defined_at(position) || condition_ok;
            if !should_make && !def.index.is_empty() {
                continue;
            }
            let (pk, sk) = self.make_wanted_keys(position, &all_attrs, (has_pk, has_sk))?;
            if !has_pk && !has_sk {
                continue;
            }
            composed.push((position, pk, sk));
        }

        let mut deleted_keys: Vec<String> = Vec::new();
        for &(position, condition) in &complete.conditions {
            if !condition {
                self.deleted_key_fields(position, &mut deleted_keys);
            }
        }
        for &(position, has_pk, has_sk) in &removed_impacted {
            let def = &self.indexes[position];
            if has_pk {
                deleted_keys.push(def.pk.field.clone());
            }
            if has_sk {
                if let Some(sk) = def.sk_field() {
                    deleted_keys.push(sk.to_string());
                }
            }
        }

        let mut updated = Map::with_capacity(composed.len() * 2);
        let mut index_key = Map::with_capacity(2);
        for (position, pk, sk) in composed {
            let def = &self.indexes[position];
            let into = KeyMaps {
                index_key: &mut index_key,
                updated: &mut updated,
                distinct: (false, false),
            };
            into.place(def, pk, sk, || {
                // Sort keys of sparse indexes with no composites would otherwise
                // never be written, leaving the index unqueryable.
                let fix = self.fixings_of(&def.index)?;
                let mut key = fix.sk.prefix.clone();
                if let Some(postfix) = &fix.sk.postfix {
                    key.push_str(postfix);
                }
                (!key.is_empty()).then(|| Value::String(key.into()))
            });
        }
        Ok(PutKeys {
            index_key,
            updated_keys: updated,
            deleted_keys,
        })
    }
}

/// Where an update's rebuilt keys go: the table index's into `Key` (never
/// written by the update: moved there instead of copied into both), any other
/// index's into the keys to write when truthy. `distinct`: whether the table's
/// two key fields, and the written keys' fields, are known to differ (then each
/// is appended without a search).
pub(crate) struct KeyMaps<'a> {
    pub index_key: &'a mut Map,
    pub updated: &'a mut Map,
    pub distinct: (bool, bool),
}

impl KeyMaps<'_> {
    /// Places one index's keys. `sparse_sk`: the sort key of an index whose sort
    /// key has no composites, when none was built.
    pub(crate) fn place(
        self,
        def: &crate::model::IndexDef,
        pk: Option<Value>,
        sk: Option<Value>,
        sparse_sk: impl FnOnce() -> Option<Value>,
    ) {
        let put = |map: &mut Map, distinct: bool, field: &str, key: Value| {
            if distinct {
                map.insert_unique(field.into(), key);
            } else {
                map.insert(field.into(), key);
            }
        };
        let sk_field = def.sk_field();
        if def.index.is_empty() {
            if let Some(pk) = pk {
                // The first key placed: nothing to search.
                self.index_key.insert(def.pk.field.as_str().into(), pk);
            }
            if let (Some(field), Some(sk)) = (sk_field, sk) {
                put(self.index_key, self.distinct.0, field, sk);
            }
            return;
        }
        let sk = match sk {
            None if def.has_sk() && def.sk_facets().is_empty() => sparse_sk(),
            sk => sk,
        };
        if let Some(pk) = pk.filter(is_truthy) {
            put(self.updated, self.distinct.1, &def.pk.field, pk);
        }
        if let (Some(field), Some(sk)) = (sk_field, sk.filter(is_truthy)) {
            put(self.updated, self.distinct.1, field, sk);
        }
    }
}

pub(crate) fn is_empty_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.is_empty())
}

/// JavaScript truthiness of a key value.
pub(crate) fn is_truthy(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => !n.is_zero(),
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => true,
    }
}

/// Keys a write produces.
#[derive(Debug, Default)]
pub(crate) struct PutKeys {
    /// The table index key of the item.
    pub index_key: Map,
    /// Every key field to write (for updates, besides the table key's, which are
    /// `index_key` and never written).
    pub updated_keys: Map,
    /// Key fields to remove (sparse indexes the item leaves).
    pub deleted_keys: Vec<String>,
}
