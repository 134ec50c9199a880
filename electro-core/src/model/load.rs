//! Loading an ElectroDB JSON model into a [`Model`]: a port of ElectroDB's
//! `_parseModel`, in the same order so that the same model errors come first.

use std::collections::HashMap;

use electro_expr::FastMap;
use indexmap::IndexMap;
use serde_json::Value as Json;

use super::fixings::{ModelVersion, make_fixings};
use super::index::{IndexCondition, Label, TABLE_INDEX};
use super::indexes::{normalize_indexes, optimize_matching_key_attributes, parse_indexes};
use super::shape::check_model_shape;
use super::{Identifiers, Model};
use crate::error::{Error, ErrorCode, Result};
use crate::schema::{AttributeSchema, FunctionResolver};

/// Options for loading a model that JSON cannot carry.
#[derive(Default, Clone)]
pub struct ModelOptions {
    /// Identifier attribute names (defaults `__edb_e__` / `__edb_v__`).
    pub identifiers: Identifiers,
    /// Sparse-index conditions by access pattern (ElectroDB's index `condition`).
    pub conditions: HashMap<String, IndexCondition>,
}

fn str_at<'a>(v: &'a Json, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

impl Model {
    /// Loads an ElectroDB model (either of its shapes) with default options.
    ///
    /// ```
    /// use electro_core::{model::Model, schema::NoFunctions};
    /// let json = serde_json::json!({
    ///     "model": {"entity": "user", "version": "1", "service": "app"},
    ///     "attributes": {"id": {"type": "string"}},
    ///     "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// });
    /// let model = Model::from_json(&json, &NoFunctions).unwrap();
    /// assert_eq!(model.primary_key_fields(), ("pk", None));
    /// ```
    pub fn from_json(model: &Json, resolver: &dyn FunctionResolver) -> Result<Model> {
        Model::from_json_with(model, resolver, &ModelOptions::default())
    }

    /// Loads an ElectroDB model with options.
    ///
    /// ```
    /// use electro_core::{model::{Model, ModelOptions}, schema::NoFunctions};
    /// let json = serde_json::json!({
    ///     "model": {"entity": "user", "version": "1", "service": "app"},
    ///     "attributes": {"id": {"type": "string"}},
    ///     "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// });
    /// let model = Model::from_json_with(&json, &NoFunctions, &ModelOptions::default()).unwrap();
    /// assert_eq!(model.entity, "user");
    /// ```
    pub fn from_json_with(
        model: &Json,
        resolver: &dyn FunctionResolver,
        options: &ModelOptions,
    ) -> Result<Model> {
        let model_version = check_model_shape(model)?;
        let (service, entity, version) = match model_version {
            ModelVersion::Beta => (
                str_at(model, &["service"]).unwrap_or_default(),
                str_at(model, &["entity"]).unwrap_or_default(),
                str_at(model, &["version"]).unwrap_or("1"),
            ),
            ModelVersion::V1 => (
                str_at(model, &["model", "service"]).unwrap_or_default(),
                str_at(model, &["model", "entity"]).unwrap_or_default(),
                str_at(model, &["model", "version"]).unwrap_or_default(),
            ),
        };
        let empty = serde_json::Map::default();
        let attributes = model
            .get("attributes")
            .and_then(|a| a.as_object())
            .unwrap_or(&empty);
        let raw_indexes = model
            .get("indexes")
            .and_then(|i| i.as_object())
            .unwrap_or(&empty);

        let mut raw = parse_indexes(raw_indexes, |ap, _json| match options.conditions.get(ap) {
            Some(c) => Ok(Some(c.clone())),
            None => Err(Error::new(
                ErrorCode::InvalidModel,
                format!(
                    "instance.indexes.{ap}.condition must be a function: JSON models cannot carry functions, give the condition in ModelOptions::conditions"
                ),
            )),
        })?;
        for (ap, condition) in &options.conditions {
            if let Some(r) = raw.iter_mut().find(|r| &r.access_pattern == ap) {
                r.condition = Some(condition.clone());
            }
        }
        let attribute_fields: Vec<String> = attributes
            .iter()
            .map(|(name, def)| {
                def.get("field")
                    .and_then(|f| f.as_str())
                    .unwrap_or(name)
                    .to_string()
            })
            .collect();
        optimize_matching_key_attributes(&mut raw, &attribute_fields);

        let identifiers = options.identifiers.clone();
        let normalized = normalize_indexes(raw, (&identifiers.entity, &identifiers.version))?;
        let mut indexes = normalized.indexes;
        let schema_facets = super::schema_facets::schema_facets(&indexes, &normalized.facets);
        let schema = AttributeSchema::from_json(
            attributes,
            &schema_facets,
            (&identifiers.entity, &identifiers.version),
            resolver,
        )?;

        let type_of = |name: &str| schema.get_attribute(name).map(|a| a.kind.type_name());
        let fixings = make_fixings(service, entity, version, model_version, &indexes, &type_of)?;

        // `_mergeKeyDefinitions`: composite keys take attribute labels (or names);
        // templates keep their literal text.
        let model_labels = schema.labels();
        for index in indexes.iter_mut() {
            let (parsed_pk, parsed_sk) = normalized
                .parsed_labels
                .get(&index.index)
                .cloned()
                .unwrap_or_default();
            index.pk.labels =
                merge_labels(&parsed_pk.labels, parsed_pk.is_custom, model_labels, true);
            if let Some(sk) = index.sk.as_mut() {
                sk.labels =
                    merge_labels(&parsed_sk.labels, parsed_sk.is_custom, model_labels, false);
            }
            let fields: Vec<&str> = schema
                .attributes()
                .values()
                .map(|a| a.field.as_str())
                .collect();
            index.pk.is_field_ref = fields.contains(&index.pk.field.as_str());
            if let Some(sk) = index.sk.as_mut() {
                sk.is_field_ref = fields.contains(&sk.field.as_str());
            }
        }

        let access_patterns: FastMap<String, usize> = indexes
            .iter()
            .enumerate()
            .map(|(i, d)| (d.access_pattern.clone(), i))
            .collect();
        let index_positions: FastMap<String, usize> = indexes
            .iter()
            .enumerate()
            .map(|(i, d)| (d.index.clone(), i))
            .collect();
        if !index_positions.contains_key(TABLE_INDEX) {
            return Err(Error::new(
                ErrorCode::MissingPrimaryIndex,
                "Schema is missing an index definition for the table's main index. Please update the schema to include an index without a specified name to define the table's natural index",
            ));
        }

        let mut loaded = Model {
            service: service.to_string(),
            entity: entity.to_string(),
            version: version.to_string(),
            model_version,
            table: model
                .get("table")
                .and_then(|t| t.as_str())
                .map(crate::Name::from),
            identifiers,
            schema,
            indexes,
            access_patterns,
            index_positions,
            fixings,
            facets: normalized.facets,
            collections: normalized.collections,
            sub_collections: normalized.sub_collections,
            collection_to_index: normalized.collection_to_index,
            clustered_indexes: normalized.clustered_indexes,
            composite_indexes: normalized.composite_indexes,
            original: model.clone(),
            collection_sks: IndexMap::new(),
            put_plan: None,
            update_plan: None,
            primary_conditions: Default::default(),
            update_keys_plan: None,
        };
        loaded.collection_sks = loaded.collection_sort_keys();
        loaded.put_plan = crate::entity::put_plan::PutPlan::new(&loaded);
        loaded.update_plan = crate::entity::update_plan::UpdatePlan::new(&loaded);
        let (pk, sk) = loaded.primary_key_fields();
        loaded.primary_conditions =
            crate::entity::primary_conditions::PrimaryConditions::new(pk, sk);
        loaded.update_keys_plan = crate::entity::update_keys_plan::UpdateKeysPlan::new(&loaded);
        Ok(loaded)
    }
}

fn merge_labels(
    parsed: &[Label],
    is_custom: bool,
    model_labels: &IndexMap<String, String>,
    is_pk: bool,
) -> Vec<Label> {
    parsed
        .iter()
        .map(|l| {
            if is_custom {
                return l.clone();
            }
            let label = match model_labels.get(&l.name) {
                // pk: `fromModel[name] || name`; sk: the first defined.
                Some(label) if !(is_pk && label.is_empty()) => label.clone(),
                _ => l.name.clone(),
            };
            Label {
                name: l.name.clone(),
                label,
            }
        })
        .collect()
}
