//! Setters, getters and watchers over a whole payload: ElectroDB's
//! `_fulfillAttributeMutationMethod`, `applyAttributeSetters` and
//! `applyAttributeGetters`, including its two passes and `watch: "*"`.

use super::attribute_schema::{AttributeSchema, WatchTranslation};
use crate::error::Result;
use electro_expr::{Map, Value};
use indexmap::{IndexMap, IndexSet};

/// A payload in which a key may be present with an undefined value, as JavaScript
/// objects can be: watchers fire for keys that are present, defined or not.
type Slots = IndexMap<String, Option<Value>>;

fn defined(slots: &Slots) -> Map {
    slots
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.clone())))
        .collect()
}

fn strip(slots: Slots) -> Map {
    slots
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

impl AttributeSchema {
    /// Runs every `set` (and set conversion) for a write, then the setters of the
    /// attributes watching what was written, and of `watch: "*"` attributes.
    /// Keys that are not attributes pass through untouched.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({
    /// #   "name": "string",
    /// #   "slug": {"type": "string", "watch": ["name"], "set": {"fn": "lower", "of": "name"}}
    /// # });
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let mut payload = Map::new();
    /// payload.insert("name".into(), "Hello".into());
    /// let out = schema.apply_attribute_setters(payload).unwrap();
    /// assert_eq!(out.get("slug"), Some(&Value::from("hello")));
    /// ```
    pub fn apply_attribute_setters(&self, payload: Map) -> Result<Map> {
        let slots = payload.into_iter().map(|(k, v)| (k, Some(v))).collect();
        self.fulfill(true, slots).map(strip)
    }

    /// [`AttributeSchema::apply_attribute_setters`] for the record
    /// [`AttributeSchema::check_create`] returns: ElectroDB's record holds every
    /// attribute (undefined ones included), so every setter and watcher runs.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"stamp": {"type": "string", "set": {"fn": "const", "value": "x"}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let record = schema.check_create(Map::new()).unwrap();
    /// let out = schema.apply_attribute_setters_to_record(record).unwrap();
    /// assert_eq!(out.get("stamp"), Some(&Value::from("x")));
    /// ```
    pub fn apply_attribute_setters_to_record(&self, mut record: Map) -> Result<Map> {
        let mut slots = Slots::with_capacity(self.attributes.len() + record.len());
        for name in self.attributes.keys() {
            let value = record.swap_remove(name);
            slots.insert(name.clone(), value);
        }
        for (k, v) in record {
            slots.insert(k, Some(v));
        }
        self.fulfill(true, slots).map(strip)
    }

    /// Runs every `get` for a read (hidden attributes become undefined), then the
    /// getters of watchers.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"code": {"type": "string", "get": {"fn": "upper"}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let mut item = Map::new();
    /// item.insert("code".into(), "abc".into());
    /// assert_eq!(schema.apply_attribute_getters(item).unwrap().get("code"), Some(&Value::from("ABC")));
    /// ```
    pub fn apply_attribute_getters(&self, payload: Map) -> Result<Map> {
        let slots = payload.into_iter().map(|(k, v)| (k, Some(v))).collect();
        self.fulfill(false, slots).map(strip)
    }

    fn fulfill(&self, setter: bool, payload: Slots) -> Result<Slots> {
        let translation = self.watch_translation(setter);
        let first_avoid = |path: &str| {
            translation.watchers_to_attributes.contains_key(path)
                || translation.watch_all.iter().any(|n| n == path)
        };
        let siblings = defined(&payload);
        let keys: Vec<String> = payload.keys().cloned().collect();
        let data = self.mutate(setter, &keys, &first_avoid, &payload, &siblings)?;
        if !translation.has_watchers {
            return Ok(data);
        }
        let include = second_pass_keys(translation, &data);
        let second_avoid = |path: &str| translation.attributes_to_watchers.contains_key(path);
        let siblings = defined(&data);
        self.mutate(setter, &include, &second_avoid, &data, &siblings)
    }

    /// ElectroDB's `_applyAttributeMutation`: for each included path that is an
    /// attribute and not avoided, replace its value with the mutated one.
    fn mutate(
        &self,
        setter: bool,
        include: &[String],
        avoid: &dyn Fn(&str) -> bool,
        payload: &Slots,
        siblings: &Map,
    ) -> Result<Slots> {
        let mut data = payload.clone();
        for path in include {
            let Some(attribute) = self.get_attribute(path) else {
                continue;
            };
            if avoid(path) {
                continue;
            }
            let value = payload.get(path).and_then(Option::as_ref);
            let result = if setter {
                attribute.apply_set(value, siblings)?
            } else {
                attribute.apply_get(value, siblings)?
            };
            data.insert(path.clone(), result);
        }
        Ok(data)
    }
}

/// The second pass includes what was written, the watchers of anything written,
/// and every `watch: "*"` attribute.
fn second_pass_keys(translation: &WatchTranslation, data: &Slots) -> Vec<String> {
    let mut include: IndexSet<&str> = data.keys().map(String::as_str).collect();
    for key in data.keys() {
        if let Some(watchers) = translation.attributes_to_watchers.get(key) {
            include.extend(watchers.iter().map(String::as_str));
        }
    }
    include.extend(translation.watch_all.iter().map(String::as_str));
    include.into_iter().map(str::to_string).collect()
}
