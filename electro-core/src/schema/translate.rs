//! Between attribute names and table fields, and from a stored item to what a read
//! returns: ElectroDB's `translateToFields`, `translateFromFields` and
//! `formatItemForRetrieval`.

use super::attribute_schema::AttributeSchema;
use crate::error::Result;
use electro_expr::Map;

/// What a read asked for (the relevant query options).
#[derive(Clone, Debug, Default)]
pub struct RetrievalOptions {
    /// `attributes`: return only these attributes (empty: all).
    pub attributes: Vec<String>,
    /// `data: "includeKeys"`: keep fields that are not attributes (keys, identifiers).
    pub include_keys: bool,
}

impl AttributeSchema {
    /// Renames attribute names to table fields, dropping nothing but undefined values.
    /// A name that is not an attribute lands under `"undefined"`, as in ElectroDB.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "field": "store_id"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut payload = Map::default();
    /// payload.insert("storeId".into(), "a".into());
    /// assert_eq!(schema.translate_to_fields(&payload).get("store_id"), Some(&Value::from("a")));
    /// ```
    pub fn translate_to_fields(&self, payload: &Map) -> Map {
        self.translate_to_fields_owned(payload.clone())
    }

    /// [`AttributeSchema::translate_to_fields`] consuming the payload, so values move
    /// instead of being copied.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "field": "store_id"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let item = electro_core::item! {"storeId" => "a"};
    /// assert_eq!(schema.translate_to_fields_owned(item).get("store_id"), Some(&Value::from("a")));
    /// ```
    pub fn translate_to_fields_owned(&self, payload: Map) -> Map {
        // Attributes are usually stored under their own names: nothing to rename.
        if payload
            .keys()
            .all(|name| self.field_name(name).is_some_and(|field| field == name))
        {
            return payload;
        }
        let mut record = Map::with_capacity(payload.len());
        for (name, value) in payload {
            match self.field_name(&name) {
                // Most attributes are stored under their own name: keep the key.
                Some(field) if field == name => {
                    record.insert(name, value);
                }
                field => {
                    record.insert(field.unwrap_or("undefined").into(), value);
                }
            }
        }
        record
    }

    /// Renames table fields back to attribute names; other fields are dropped unless
    /// `include_keys` is set.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "field": "store_id"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut item = Map::default();
    /// item.insert("store_id".into(), "a".into());
    /// item.insert("pk".into(), "$x".into());
    /// let out = schema.translate_from_fields(&item, false);
    /// assert_eq!(out.len(), 1);
    /// assert_eq!(out.get("storeId"), Some(&Value::from("a")));
    /// ```
    pub fn translate_from_fields(&self, item: &Map, include_keys: bool) -> Map {
        self.translate_from_fields_owned(item.clone(), include_keys)
    }

    /// [`translate_from_fields`](Self::translate_from_fields) consuming the item.
    fn translate_from_fields_owned(&self, item: Map, include_keys: bool) -> Map {
        let keep =
            |field: &str| include_keys || self.attribute_name(field).is_some_and(|n| !n.is_empty());
        // Fields are usually named as their attributes: then the item only loses
        // what is not an attribute, in place.
        let same_names = self.fields_are_names
            || item.keys().all(|field| {
                self.attribute_name(field)
                    .is_none_or(|name| name.is_empty() || name == field.as_str())
            });
        if same_names {
            let mut item = item;
            item.retain(|field, _| keep(field));
            return item;
        }
        let mut data = Map::with_capacity(item.len());
        for (field, value) in item {
            match self.attribute_name(&field) {
                Some(name) if !name.is_empty() => {
                    data.insert(name.into(), value);
                }
                _ if include_keys => {
                    data.insert(field, value);
                }
                _ => {}
            }
        }
        data
    }

    /// A stored item as a read returns it: fields renamed, getters (and watching
    /// getters) applied, hidden attributes removed, and only the requested
    /// attributes kept.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions, RetrievalOptions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"a": "string", "secret": {"type": "string", "hidden": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut item = Map::default();
    /// item.insert("a".into(), "1".into());
    /// item.insert("secret".into(), "2".into());
    /// let out = schema.format_item_for_retrieval(&item, &RetrievalOptions::default()).unwrap();
    /// assert_eq!(out.keys().collect::<Vec<_>>(), ["a"]);
    /// ```
    pub fn format_item_for_retrieval(&self, item: &Map, options: &RetrievalOptions) -> Result<Map> {
        self.format_owned_item_for_retrieval(item.clone(), options)
    }

    /// [`format_item_for_retrieval`](Self::format_item_for_retrieval) consuming the
    /// item, as a response hands it over: values move instead of being copied.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions, RetrievalOptions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"a": "string", "secret": {"type": "string", "hidden": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let item = electro_core::item! {"a" => "1", "secret" => "2", "pk" => "k"};
    /// let out = schema.format_owned_item_for_retrieval(item, &RetrievalOptions::default()).unwrap();
    /// assert_eq!(out, electro_core::item! {"a" => "1"});
    /// ```
    pub fn format_owned_item_for_retrieval(
        &self,
        item: Map,
        options: &RetrievalOptions,
    ) -> Result<Map> {
        let remapped = self.translate_from_fields_owned(item, options.include_keys);
        let mut data = self.apply_attribute_getters(remapped)?;
        if !self.hidden.is_empty() || !options.attributes.is_empty() {
            data.retain(|name, _| {
                !self.hidden.iter().any(|h| h == name)
                    && (options.attributes.is_empty()
                        || options.attributes.iter().any(|a| a == name))
            });
        }
        Ok(data)
    }
}
