//! Which index keys a write changes, and their new values: a port of ElectroDB's
//! `_getIndexImpact`, `_expectIndexFacets`, `_getPutKeys` and `_getUpdatedKeys`.
//!
//! A write that changes a composite attribute must rebuild every key built from it;
//! when it cannot (another composite of that key is missing) it fails with 2002
//! rather than leave a stale key behind.

use indexmap::IndexMap;

use super::keys::{IndexKeyParams, IndexKeys};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexType, KeyType, Model, TABLE_INDEX};
use crate::{Map, Value};

/// Per index: which of its keys (by field) are impacted.
#[derive(Clone, Debug, Default)]
pub(crate) struct ImpactedKeys {
    pub pk: Option<String>,
    pub sk: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Provided,
    Composite,
}

/// What `_getIndexImpact` computes.
#[derive(Default)]
pub(crate) struct Impact {
    pub indexes: Vec<String>,
    pub impacted: IndexMap<String, ImpactedKeys>,
    pub conditions: IndexMap<String, bool>,
}

#[derive(Clone, Copy, Default)]
pub(crate) struct ImpactOptions {
    pub utilize_included_only_indexes: bool,
    pub skip_condition_check: bool,
}

fn has(map: &Map, key: &str) -> bool {
    map.get(key).is_some()
}

impl Model {
    fn index_condition_defined(&self, index: &str) -> bool {
        self.index_by_name(index)
            .is_some_and(|i| i.condition.is_some())
    }

    fn key_field(&self, index: &str, key_type: KeyType) -> Option<String> {
        let def = self.index_by_name(index)?;
        match key_type {
            KeyType::Pk => Some(def.pk.field.clone()),
            KeyType::Sk => def.sk.as_ref().map(|s| s.field.clone()),
        }
    }

    /// `_getIndexImpact` followed by `_expectIndexFacets`'s error.
    pub(crate) fn expect_index_facets(
        &self,
        attributes: &Map,
        included: &Map,
        options: ImpactOptions,
    ) -> Result<Impact> {
        let mut impacted_attrs: IndexMap<String, (Vec<String>, Vec<String>, bool, bool)> =
            IndexMap::new();
        let mut impacted: IndexMap<String, ImpactedKeys> = IndexMap::new();
        let mut sources: IndexMap<String, (Option<Source>, Option<Source>)> = IndexMap::new();
        let mut conditions: IndexMap<String, bool> = IndexMap::new();
        let mut completed: Vec<String> = Vec::new();

        for (attribute, uses) in &self.facets.by_attr {
            if !has(attributes, attribute) {
                continue;
            }
            for facet in uses {
                if facet.index_type == IndexType::Composite {
                    continue;
                }
                let entry = impacted_attrs
                    .entry(facet.index.clone())
                    .or_insert_with(|| (Vec::new(), Vec::new(), false, false));
                let keys = impacted.entry(facet.index.clone()).or_default();
                let src = sources.entry(facet.index.clone()).or_insert((None, None));
                match facet.key_type {
                    KeyType::Pk => {
                        entry.0.push(attribute.clone());
                        entry.2 = true;
                        keys.pk = self.key_field(&facet.index, KeyType::Pk);
                        src.0 = Some(Source::Provided);
                    }
                    KeyType::Sk => {
                        entry.1.push(attribute.clone());
                        entry.3 = true;
                        keys.sk = self.key_field(&facet.index, KeyType::Sk);
                        src.1 = Some(Source::Provided);
                    }
                }
            }
        }

        if options.utilize_included_only_indexes {
            for (index, def) in &self.facets.by_index {
                if def.index_type == IndexType::Composite {
                    continue;
                }
                if index == TABLE_INDEX || !self.index_condition_defined(index) {
                    continue;
                }
                if !def.pk.is_empty() && def.pk.iter().all(|a| has(included, a)) {
                    let entry = impacted_attrs
                        .entry(index.clone())
                        .or_insert_with(|| (Vec::new(), Vec::new(), false, false));
                    entry.0 = def.pk.clone();
                    entry.2 = true;
                    impacted.entry(index.clone()).or_default().pk =
                        self.key_field(index, KeyType::Pk);
                    let src = sources.entry(index.clone()).or_insert((None, None));
                    src.0 = src.0.or(Some(Source::Composite));
                }
                if !def.sk.is_empty() && def.sk.iter().all(|a| has(included, a)) {
                    if let Some(sk_field) = self.key_field(index, KeyType::Sk) {
                        let entry = impacted_attrs
                            .entry(index.clone())
                            .or_insert_with(|| (Vec::new(), Vec::new(), false, false));
                        entry.1 = def.sk.clone();
                        entry.3 = true;
                        impacted.entry(index.clone()).or_default().sk = Some(sk_field);
                        let src = sources.entry(index.clone()).or_insert((None, None));
                        src.1 = src.1.or(Some(Source::Composite));
                    }
                }
            }
        }

        let mut with_missing: Vec<(String, Vec<String>)> = Vec::new();
        for (index, def) in &self.facets.by_index {
            if def.index_type == IndexType::Composite {
                continue;
            }
            let mut missing: Vec<String> = Vec::new();
            if let Some((pk_attrs, sk_attrs, pk_hit, sk_hit)) = impacted_attrs.get(index) {
                let missing_pk = *pk_hit && pk_attrs.len() != def.pk.len();
                let missing_sk = *sk_hit && sk_attrs.len() != def.sk.len();
                if missing_pk {
                    missing.extend(
                        def.pk
                            .iter()
                            .filter(|a| !pk_attrs.contains(a) && !has(included, a))
                            .cloned(),
                    );
                }
                if missing_sk {
                    missing.extend(
                        def.sk
                            .iter()
                            .filter(|a| !sk_attrs.contains(a) && !has(included, a))
                            .cloned(),
                    );
                }
                if !missing_pk && !missing_sk {
                    completed.push(index.clone());
                }
            }
            with_missing.push((index.clone(), missing));
        }

        let mut incomplete: Vec<(String, Vec<String>)> = Vec::new();
        for (index, missing) in with_missing {
            let condition_defined = self.index_condition_defined(&index);
            if options.skip_condition_check || index == TABLE_INDEX || !condition_defined {
                incomplete.push((index.clone(), missing));
                conditions.insert(index, true);
                continue;
            }
            let def = &self.facets.by_index[&index];
            let member_impacted = sources
                .get(&index)
                .is_some_and(|(p, s)| *p == Some(Source::Provided) || *s == Some(Source::Provided));
            let all_included = def.all.iter().all(|(_, n)| has(included, n));
            if member_impacted || all_included {
                let missing_attributes: Vec<String> = def
                    .all
                    .iter()
                    .filter(|(_, n)| {
                        (!has(attributes, n) && !has(included, n)) || missing.contains(n)
                    })
                    .map(|(_, n)| n.clone())
                    .collect();
                if !missing_attributes.is_empty() {
                    return Err(Error::new(ErrorCode::IncompleteIndexCompositesAttributesProvided, format!("Incomplete composite attributes provided for index {index}. Write operations that include composite attributes, for indexes with a condition callback defined, must always provide values for every index composite. This is to ensure consistency between index values and attribute values. Missing composite attributes identified: {}", crate::model::comma_separated(&missing_attributes))));
                }
                let mut merged = attributes.clone();
                for (k, v) in included {
                    merged.insert(k.clone(), v.clone());
                }
                let should_make = self
                    .index_by_name(&index)
                    .and_then(|i| i.condition.as_ref())
                    .map(|c| c(&merged))
                    .unwrap_or(true);
                conditions.insert(index.clone(), should_make);
            } else {
                incomplete.push((index, missing));
            }
        }
        incomplete.retain(|(_, m)| !m.is_empty());
        if !incomplete.is_empty() {
            let access_patterns: Vec<String> = incomplete
                .iter()
                .filter_map(|(i, _)| self.index_by_name(i).map(|d| d.access_pattern.clone()))
                .collect();
            let missing: Vec<String> = incomplete
                .iter()
                .flat_map(|(_, m)| m.iter().cloned())
                .collect();
            return Err(Error::new(ErrorCode::IncompleteCompositeAttributes, format!("Incomplete composite attributes: Without the composite attributes {} the following access patterns cannot be updated: {}. If a composite attribute is readOnly and cannot be set, use the 'composite' chain method on update to supply the value for key formatting purposes.", crate::model::comma_separated(&missing), crate::model::comma_separated(&access_patterns))));
        }
        Ok(Impact {
            indexes: completed,
            impacted,
            conditions,
        })
    }

    fn make_full_keys(&self, index: &str, attributes: &Map) -> Result<IndexKeys> {
        self.make_index_keys(index, attributes, &[attributes], IndexKeyParams::default())
    }

    /// `_getPutKeys`: every key of a new item.
    pub(crate) fn get_put_keys(&self, pk: &Map, sk: &Map, set: &Map) -> Result<PutKeys> {
        let mut key_attributes = sk.clone();
        for (k, v) in pk {
            key_attributes.insert(k.clone(), v.clone());
        }
        let mut complete =
            self.expect_index_facets(set, &key_attributes, ImpactOptions::default())?;
        let mut deleted_keys = Vec::new();
        for (index, condition) in &complete.conditions {
            if !condition {
                if let Some((pk, sk)) = self.key_fields(index) {
                    deleted_keys.push(pk.to_string());
                    if let Some(sk) = sk {
                        deleted_keys.push(sk.to_string());
                    }
                }
            }
        }
        if !complete.indexes.iter().any(|i| i == TABLE_INDEX) {
            complete.indexes.push(TABLE_INDEX.to_string());
        }
        let mut merged = key_attributes.clone();
        for (k, v) in set {
            merged.insert(k.clone(), v.clone());
        }
        let mut updated = Map::new();
        let mut index_key = Map::new();
        for index in &complete.indexes {
            let Some(def) = self.index_by_name(index) else {
                continue;
            };
            if let Some(condition) = &def.condition {
                if !condition(&merged) {
                    continue;
                }
            }
            let keys = self.make_full_keys(index, &merged)?;
            let (pk_field, sk_field) = (def.pk.field.clone(), def.sk_field().map(str::to_string));
            if index == TABLE_INDEX {
                if let Some(pk) = &keys.pk {
                    index_key.insert(pk_field.clone(), pk.clone());
                }
                if let (Some(sk_field), Some(sk)) = (&sk_field, keys.sk.first()) {
                    index_key.insert(sk_field.clone(), sk.clone());
                }
            }
            if let Some(pk) = keys.pk.filter(|v| !is_empty_string(v)) {
                updated.insert(pk_field, pk);
            }
            if let Some(sk_field) = sk_field {
                if let Some(sk) = keys.sk.into_iter().next().filter(|v| !is_empty_string(v)) {
                    updated.insert(sk_field, sk);
                }
            }
        }
        Ok(PutKeys {
            index_key,
            updated_keys: updated,
            deleted_keys,
        })
    }

    /// `_getUpdatedKeys`: the keys an update rebuilds, and those it must remove.
    pub(crate) fn get_updated_keys(
        &self,
        pk: &Map,
        sk: &Map,
        set: &Map,
        removed: &Map,
        composite: &Map,
    ) -> Result<PutKeys> {
        let mut key_attributes = sk.clone();
        for (k, v) in pk {
            key_attributes.insert(k.clone(), v.clone());
        }
        let mut included = composite.clone();
        for (k, v) in &key_attributes {
            included.insert(k.clone(), v.clone());
        }
        let mut complete = self.expect_index_facets(
            set,
            &included,
            ImpactOptions {
                utilize_included_only_indexes: true,
                skip_condition_check: false,
            },
        )?;
        let removed_impact = self.expect_index_facets(
            removed,
            &key_attributes,
            ImpactOptions {
                utilize_included_only_indexes: false,
                skip_condition_check: true,
            },
        )?;
        if !complete.impacted.contains_key(TABLE_INDEX) {
            let (pk, sk) = self.primary_key_fields();
            complete.impacted.insert(
                TABLE_INDEX.to_string(),
                ImpactedKeys {
                    pk: Some(pk.to_string()),
                    sk: Some(sk.unwrap_or("sk").to_string()),
                },
            );
        }

        // `_makeKeysFromAttributes`
        let mut all_attrs = composite.clone();
        for (k, v) in set {
            all_attrs.insert(k.clone(), v.clone());
        }
        for (k, v) in &key_attributes {
            all_attrs.insert(k.clone(), v.clone());
        }
        let mut composed: IndexMap<String, (Option<Value>, Vec<Value>)> = IndexMap::new();
        for (index, key_types) in &complete.impacted {
            if self.composite_indexes.contains(index) {
                continue;
            }
            let should_make = !self.index_condition_defined(index)
                || complete.conditions.get(index).copied().unwrap_or(false);
            if !should_make && index != TABLE_INDEX {
                continue;
            }
            let keys = self.make_full_keys(index, &all_attrs)?;
            if key_types.pk.is_none() && key_types.sk.is_none() {
                continue;
            }
            let pk = if key_types.pk.is_some() {
                keys.pk
            } else {
                None
            };
            let sk = if key_types.sk.is_some() {
                keys.sk
            } else {
                Vec::new()
            };
            composed.insert(index.clone(), (pk, sk));
        }

        let mut deleted_keys: Vec<String> = Vec::new();
        for (index, condition) in &complete.conditions {
            if !condition {
                if let Some((pk, sk)) = self.key_fields(index) {
                    deleted_keys.push(pk.to_string());
                    if let Some(sk) = sk {
                        deleted_keys.push(sk.to_string());
                    }
                }
            }
        }
        for keys in removed_impact.impacted.values() {
            if let Some(pk) = &keys.pk {
                deleted_keys.push(pk.clone());
            }
            if let Some(sk) = &keys.sk {
                deleted_keys.push(sk.clone());
            }
        }

        let mut updated = Map::new();
        let mut index_key = Map::new();
        for (index, (pk, mut sk)) in composed {
            let Some(def) = self.index_by_name(&index) else {
                continue;
            };
            let pk_field = def.pk.field.clone();
            let sk_field = def.sk_field().map(str::to_string);
            if index == TABLE_INDEX {
                if let Some(pk) = &pk {
                    index_key.insert(pk_field.clone(), pk.clone());
                }
                if let (Some(sk_field), Some(first)) = (&sk_field, sk.first()) {
                    index_key.insert(sk_field.clone(), first.clone());
                }
            } else if sk.is_empty() && def.has_sk() && def.sk_facets().is_empty() {
                // Sort keys of sparse indexes with no composites would otherwise never
                // be written, leaving the index unqueryable.
                if let Some(fix) = self.fixings_of(&index) {
                    let mut key = fix.sk.prefix.clone();
                    if let Some(postfix) = &fix.sk.postfix {
                        key.push_str(postfix);
                    }
                    if !key.is_empty() {
                        sk.push(Value::String(key));
                    }
                }
            }
            if let Some(pk) = pk.filter(is_truthy) {
                updated.insert(pk_field, pk);
            }
            if let Some(sk_field) = sk_field {
                if let Some(sk) = sk.into_iter().next().filter(is_truthy) {
                    updated.insert(sk_field, sk);
                }
            }
        }
        Ok(PutKeys {
            index_key,
            updated_keys: updated,
            deleted_keys,
        })
    }
}

fn is_empty_string(v: &Value) -> bool {
    matches!(v, Value::String(s) if s.is_empty())
}

/// JavaScript truthiness of a key value.
fn is_truthy(v: &Value) -> bool {
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
    /// Every key field to write.
    pub updated_keys: Map,
    /// Key fields to remove (sparse indexes the item leaves).
    pub deleted_keys: Vec<String>,
}
