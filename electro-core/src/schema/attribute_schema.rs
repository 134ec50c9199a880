//! The whole attribute schema of an entity: ElectroDB's `Schema`, with every
//! lookup table precomputed when the model is loaded.

use super::attribute::{Attribute, Route};
use electro_expr::FastMap;
use electro_expr::Value;
use indexmap::IndexMap;
use std::borrow::Cow;

/// The attributes of an entity, their field names, and the tables ElectroDB's
/// `Schema` keeps (translations, hidden/read-only/required names, watch maps).
///
/// Build it with [`AttributeSchema::from_json`]; everything per call is a lookup.
#[derive(Clone, Debug, Default)]
pub struct AttributeSchema {
    pub(crate) attributes: FastMap<String, Attribute>,
    /// Every attribute path and field path (nested ones too) → where it lives.
    pub(crate) paths: FastMap<String, Route>,
    pub(crate) translation_for_table: FastMap<String, String>,
    pub(crate) translation_for_retrieval: FastMap<String, String>,
    pub(crate) hidden: Vec<String>,
    pub(crate) read_only: Vec<String>,
    pub(crate) required: Vec<String>,
    pub(crate) labels: IndexMap<String, String>,
    pub(crate) watch_set: WatchTranslation,
    pub(crate) watch_get: WatchTranslation,
    /// Index key fields and entity identifiers: not attributes, but never unknown.
    pub(crate) system_fields: Vec<String>,
    /// Whether any attribute pads its value in keys: without, building a key needs
    /// no attribute lookup per composite.
    pub(crate) any_padding: bool,
    /// Whether every attribute is stored under its own name (no `field`): reads then
    /// rename nothing, and need not check each field to know it.
    pub(crate) fields_are_names: bool,
    /// By attribute position: what a create that leaves the attribute out writes,
    /// when the model alone decides it.
    pub(crate) absent: Vec<Absent>,
    /// By attribute position: how a create checks a value it is given.
    pub(crate) given: Vec<Given>,
    /// By attribute position: each attribute's place in `watch_set` and
    /// `watch_get`, so that setter passes need not look its name up in them.
    pub(crate) watch_roles: [Vec<WatchRole>; 2],
}

/// How a create checks an attribute's given value, worked out when the model
/// loads: most attributes are plain strings, numbers or booleans that any value of
/// their type satisfies as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Given {
    /// Any string is written as it is.
    String,
    /// Any finite number is written as it is.
    Number,
    /// Any boolean is written as it is.
    Boolean,
    /// One of the enum's values is written as it is.
    Enum,
    /// Cast, validated, converted or nested: `get_validate` decides (as it does
    /// for a value of the wrong type).
    Check,
}

impl Given {
    fn of(attribute: &Attribute) -> Given {
        use super::AttributeKind as K;
        if attribute.cast.is_some() || attribute.validate.is_some() {
            return Given::Check;
        }
        match attribute.kind {
            K::String => Given::String,
            K::Number => Given::Number,
            K::Boolean => Given::Boolean,
            K::Enum(_) => Given::Enum,
            _ => Given::Check,
        }
    }

    /// Whether `value` is written as it is, with nothing to check (`attribute`
    /// is the one this was worked out for).
    #[inline]
    pub(crate) fn accepts(self, attribute: &Attribute, value: &Value) -> bool {
        match (self, value) {
            (Given::String, Value::String(_)) | (Given::Boolean, Value::Bool(_)) => true,
            (Given::Number, Value::Number(n)) => n.is_finite(),
            (Given::Enum, value) => {
                matches!(&attribute.kind, super::AttributeKind::Enum(values) if values.contains(value))
            }
            _ => false,
        }
    }
}

/// An attribute's value on a create that does not give it, worked out when the
/// model loads if nothing at write time can change it: no default function, no
/// validation function, no cast.
#[derive(Clone, Debug)]
pub(crate) enum Absent {
    /// It stays absent and passes every check.
    Nothing,
    /// Its literal default, already checked.
    Constant(Value),
    /// Decided at write time (or an error, which the write reports).
    Compute,
}

impl Absent {
    fn of(attribute: &Attribute) -> Absent {
        use super::functions::{AttributeDefault, Validator};
        if attribute.absent_is_nothing() {
            return Absent::Nothing;
        }
        let fixed = matches!(attribute.default, Some(AttributeDefault::Value(_)))
            && attribute.cast.is_none()
            && matches!(attribute.validate, None | Some(Validator::Regex(_)))
            && attribute.kind.is_plain();
        match attribute.get_validate(None) {
            Ok(Some(value)) if fixed => Absent::Constant(value),
            _ => Absent::Compute,
        }
    }
}

/// For one of `set`/`get`: who watches whom, among attributes that have that
/// function (ElectroDB's `translationForWatching[method]`).
#[derive(Clone, Debug, Default)]
pub struct WatchTranslation {
    /// Some root attribute has the function.
    pub has_function: bool,
    /// Some attribute watches and has the function.
    pub has_watchers: bool,
    /// Every root attribute's mutation leaves its value as it is (a plain value and
    /// no function; on reads, nothing hidden): a pass over a record changes nothing.
    pub all_identity: bool,
    /// `watch: "*"` attributes with the function.
    pub watch_all: Vec<String>,
    /// Watchers with the function → what they watch.
    pub watchers_to_attributes: FastMap<String, Vec<String>>,
    /// Every other attribute → its watchers that have the function.
    pub attributes_to_watchers: FastMap<String, Vec<String>>,
}

/// Where a name stands in a [`WatchTranslation`]: which of its tables holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WatchRole {
    /// A watcher with the function (`watchers_to_attributes`).
    Watcher,
    /// A `watch: "*"` attribute with the function (`watch_all`).
    WatchesAll,
    /// Any other attribute (`attributes_to_watchers`); `watched`: whether some
    /// watcher with the function watches it.
    Plain { watched: bool },
    /// In no table: not a root attribute of the translated schema.
    Unlisted,
}

impl WatchTranslation {
    /// The role of `name`, looked up in the tables.
    pub(crate) fn role_of(&self, name: &str) -> WatchRole {
        if self.watchers_to_attributes.contains_key(name) {
            WatchRole::Watcher
        } else if self.watch_all.iter().any(|n| n == name) {
            WatchRole::WatchesAll
        } else if let Some(watchers) = self.attributes_to_watchers.get(name) {
            WatchRole::Plain {
                watched: !watchers.is_empty(),
            }
        } else {
            WatchRole::Unlisted
        }
    }
}

impl AttributeSchema {
    /// Derives the flags that summarise the attributes, once they are all known
    /// (when a model loads, and when a collection merges its members' schemas).
    pub(crate) fn summarize(&mut self) {
        self.watch_roles = [&self.watch_get, &self.watch_set].map(|translation| {
            (self.attributes.keys())
                .map(|name| translation.role_of(name))
                .collect()
        });
        self.absent = self.attributes.values().map(Absent::of).collect();
        self.given = self.attributes.values().map(Given::of).collect();
        self.any_padding = self.attributes.values().any(|a| a.padding.is_some());
        self.fields_are_names = self
            .translation_for_retrieval
            .iter()
            .all(|(field, name)| name.is_empty() || name == field);
    }

    /// The root attributes, in definition order.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"a": "string", "b": "number"});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.attributes().len(), 2);
    /// ```
    pub fn attributes(&self) -> &FastMap<String, Attribute> {
        &self.attributes
    }

    /// The attribute at a path: a name, a field name, or a nested path such as
    /// `"veterinarian.name"` or `"offspring[0].name"` (indexes count as `[*]`).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"offspring": {"type": "list", "items": {"type": "map", "properties": {"name": "string"}}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.get_attribute("offspring[3].name").unwrap().path, "offspring[*].name");
    /// ```
    pub fn get_attribute(&self, path: &str) -> Option<&Attribute> {
        let generic = genericize_path(path);
        self.attribute_at_exact(&generic)
    }

    /// The attribute at exactly this path (no `[0]` → `[*]` rewriting), as
    /// ElectroDB's `checkUpdate` looks paths up.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"diet": {"type": "list", "items": "string"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert!(schema.attribute_at_exact("diet[*]").is_some());
    /// assert!(schema.attribute_at_exact("diet[0]").is_none());
    /// ```
    pub fn attribute_at_exact(&self, path: &str) -> Option<&Attribute> {
        let route = self.paths.get(path)?;
        let (first, rest) = route.split_first()?;
        let mut attribute = self.attributes.get_index(*first).map(|(_, a)| a)?;
        for position in rest {
            attribute = attribute.child_at(*position)?;
        }
        Some(attribute)
    }

    /// The table field of a root attribute name (ElectroDB's `getFieldName`).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "field": "store_id"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.field_name("storeId"), Some("store_id"));
    /// ```
    pub fn field_name(&self, name: &str) -> Option<&str> {
        self.translation_for_table.get(name).map(String::as_str)
    }

    /// The root attribute name stored under a table field.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "field": "store_id"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.attribute_name("store_id"), Some("storeId"));
    /// ```
    pub fn attribute_name(&self, field: &str) -> Option<&str> {
        self.translation_for_retrieval
            .get(field)
            .map(String::as_str)
    }

    /// Attribute name → `label`, for attributes with one (ElectroDB's `getLabels`).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"storeId": {"type": "string", "label": "store"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.labels().get("storeId").map(String::as_str), Some("store"));
    /// ```
    pub fn labels(&self) -> &IndexMap<String, String> {
        &self.labels
    }

    /// Names of read-only attributes (including table index composites).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"createdAt": {"type": "number", "readOnly": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.read_only(), ["createdAt"]);
    /// ```
    pub fn read_only(&self) -> &[String] {
        &self.read_only
    }

    /// Names of required attributes.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"rent": {"type": "string", "required": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.required(), ["rent"]);
    /// ```
    pub fn required(&self) -> &[String] {
        &self.required
    }

    /// Names of hidden attributes.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"secret": {"type": "string", "hidden": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// assert_eq!(schema.hidden(), ["secret"]);
    /// ```
    pub fn hidden(&self) -> &[String] {
        &self.hidden
    }

    /// The watch maps for `set` (`true`) or `get` (`false`).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"a": "string", "b": {"type": "string", "watch": "*"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// // `b` has no `set` function, so nothing fires for it.
    /// assert!(!schema.watch_translation(true).has_watchers);
    /// ```
    pub fn watch_translation(&self, setter: bool) -> &WatchTranslation {
        if setter {
            &self.watch_set
        } else {
            &self.watch_get
        }
    }
}

/// ElectroDB's `genericizeJSONPath`: `[0]` → `[*]`.
fn genericize_path(path: &str) -> Cow<'_, str> {
    if !path.contains('[') {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b']') {
            out.push_str("[*]");
            rest = &after[digits + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genericizes_indexes() {
        assert_eq!(genericize_path("a[0].b[12]"), "a[*].b[*]");
        assert_eq!(genericize_path("a[x]"), "a[x]");
        assert_eq!(genericize_path("a[]"), "a[]");
        assert_eq!(genericize_path("plain"), "plain");
    }
}
