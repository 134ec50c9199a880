//! Loading attribute definitions from ElectroDB's JSON model format: the port of
//! `Schema.normalizeAttributes` and the `Attribute` constructors, with every model
//! error they raise, in the order ElectroDB raises them.

use super::attribute::{Attribute, Route};
use super::attribute_schema::{AttributeSchema, WatchTranslation};
use super::facets::{SchemaFacets, TABLE_INDEX};
use super::functions::{AttributeDefault, FunctionResolver, FunctionRole, JsRegex, Validator};
use super::js;
use super::kind::{AttributeKind, CastType, KeyCasing, Padding, Watch};
use crate::error::{Error, ErrorCode, Result};
use electro_expr::FastMap;
use electro_expr::Value;
use indexmap::IndexMap;
use serde_json::Value as Json;
use std::collections::HashMap;

type JsonMap = serde_json::Map<String, Json>;

const TYPE_NAMES: &str = "string, number, boolean, enum, map, set, list, any, custom, static";

/// JavaScript truthiness of a model value (`!!value`).
fn truthy(value: Option<&Json>) -> bool {
    match value {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Json::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// `attribute.type` as ElectroDB would print it in a message.
fn type_display(def: &JsonMap) -> String {
    match def.get("type") {
        None => "undefined".to_string(),
        Some(t) => js::json_to_js_string(t),
    }
}

fn display_index(index: &str) -> &str {
    if index.is_empty() {
        "(Primary Index)"
    } else {
        index
    }
}

/// Where a nested definition sits: its parent's type and path.
#[derive(Clone, Copy)]
struct Parent<'a> {
    type_name: &'static str,
    path: &'a str,
}

/// What one `normalizeAttributes` call produces.
struct Normalized {
    attributes: FastMap<String, Attribute>,
    translation_for_table: FastMap<String, String>,
    translation_for_retrieval: FastMap<String, String>,
    hidden: Vec<String>,
    read_only: Vec<String>,
    required: Vec<String>,
}

/// The first-pass definition of one attribute (ElectroDB's `definition` object).
struct Definition {
    name: String,
    raw: JsonMap,
    field: String,
    is_key_field: bool,
    read_only: bool,
    prefix: String,
    postfix: String,
    casing: KeyCasing,
    watch: Watch,
    watched_by: Vec<String>,
}

struct Builder<'r> {
    resolver: &'r dyn FunctionResolver,
    paths: FastMap<String, Route>,
}

impl AttributeSchema {
    /// Builds the schema from a model's `attributes` object (ElectroDB's
    /// `new Schema(model.attributes, facets, {identifiers})`).
    ///
    /// `facets` is what the entity model derived from its indexes (see
    /// [`SchemaFacets`]); `identifiers` are the entity and version field names
    /// (`("__edb_e__", "__edb_v__")` by default), which array projections may name.
    /// `{"fn": ...}` objects in `default`, `set`, `get` and `validate` are given to
    /// `resolver`; `{"regex": ..., "flags": ...}` in `validate` is a RegExp.
    ///
    /// Errors are ElectroDB's model errors: 1009 for definitions its JSON schema
    /// refuses, 1008 invalid definitions, 1016 watch errors, 1018/1019/5001 for
    /// attributes sharing a field with an index key, 1025 unknown projected
    /// attributes, 1003 composites that are not attributes.
    ///
    /// ```
    /// use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// let attrs = serde_json::json!({
    ///     "tension": {"type": "number", "watch": ["coilCount"]}
    /// });
    /// let err = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(),
    ///     ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap_err();
    /// assert_eq!(err.code(), 1016);
    /// ```
    pub fn from_json(
        attributes: &JsonMap,
        facets: &SchemaFacets,
        identifiers: (&str, &str),
        resolver: &dyn FunctionResolver,
    ) -> Result<AttributeSchema> {
        let problems = validate_attribute_definitions(attributes);
        if !problems.is_empty() {
            return Err(Error::new(ErrorCode::InvalidModel, problems.join(", ")));
        }
        let mut builder = Builder {
            resolver,
            paths: FastMap::default(),
        };
        let entries: Vec<(String, JsonMap)> = attributes
            .iter()
            .map(|(name, def)| (name.clone(), root_definition(def)))
            .collect();
        let normalized = builder.normalize(entries, Some(facets), None, &[], Some(identifiers))?;
        let labels = normalized
            .attributes
            .iter()
            .filter_map(|(name, a)| a.label.clone().map(|l| (name.clone(), l)))
            .collect();
        let watch_set = watch_translation(&normalized.attributes, true);
        let watch_get = watch_translation(&normalized.attributes, false);
        let mut schema = AttributeSchema {
            any_padding: false,
            fields_are_names: false,
            absent: Vec::new(),
            given: Vec::new(),
            watch_roles: Default::default(),
            attributes: normalized.attributes,
            paths: builder.paths,
            translation_for_table: normalized.translation_for_table,
            translation_for_retrieval: normalized.translation_for_retrieval,
            hidden: normalized.hidden,
            read_only: normalized.read_only,
            required: normalized.required,
            labels,
            watch_set,
            watch_get,
            // Key fields and identifiers are written by electro itself: items read
            // back raw carry them, and writes may ignore them.
            system_fields: facets
                .by_field
                .keys()
                .cloned()
                .chain([identifiers.0.to_string(), identifiers.1.to_string()])
                .collect(),
        };
        schema.summarize();
        Ok(schema)
    }
}

/// A root definition: shorthand strings and arrays are `{type: ...}`.
fn root_definition(def: &Json) -> JsonMap {
    match def {
        Json::Object(map) => map.clone(),
        other => {
            let mut map = JsonMap::new();
            map.insert("type".to_string(), other.clone());
            map
        }
    }
}

/// A nested definition: JavaScript spreads it into a new object, so only an
/// object's own properties survive (a shorthand `"number"` spreads to nothing and
/// is therefore a string attribute, exactly as in ElectroDB).
fn nested_definition(def: Option<&Json>) -> JsonMap {
    match def {
        Some(Json::Object(map)) => map.clone(),
        _ => JsonMap::new(),
    }
}

impl Builder<'_> {
    fn normalize(
        &mut self,
        entries: Vec<(String, JsonMap)>,
        facets: Option<&SchemaFacets>,
        parent: Option<Parent<'_>>,
        route: &[usize],
        identifiers: Option<(&str, &str)>,
    ) -> Result<Normalized> {
        let mut invalid_properties: Vec<String> = Vec::new();
        let mut used_fields: HashMap<String, String> = HashMap::new();
        let mut translation_for_table = FastMap::default();
        let mut translation_for_retrieval = FastMap::default();
        let mut watched: IndexMap<String, Vec<String>> = IndexMap::new();
        let mut hidden = Vec::new();
        let mut read_only = Vec::new();
        let mut required = Vec::new();
        let mut definitions: IndexMap<String, Definition> = IndexMap::new();

        for (name, raw) in entries {
            let field = match raw.get("field") {
                Some(f) if truthy(Some(f)) => js::json_to_js_string(f),
                _ => name.clone(),
            };
            let mut definition = Definition {
                name: name.clone(),
                field: field.clone(),
                is_key_field: false,
                read_only: false,
                prefix: String::new(),
                postfix: String::new(),
                casing: KeyCasing::None,
                watch: Watch::None,
                watched_by: Vec::new(),
                raw,
            };
            if let Some(facets) = facets {
                check_key_field(&mut definition, facets)?;
            }
            let is_key = facets
                .and_then(|f| f.by_index.get(TABLE_INDEX))
                .is_some_and(|table| table.all.iter().any(|c| c.name == name));
            definition.is_key_field |= is_key;
            definition.read_only = truthy(definition.raw.get("readOnly")) || is_key;
            definition.watch = parse_watch(&name, definition.raw.get("watch"))?;

            if definition.read_only {
                read_only.push(name.clone());
            }
            if truthy(definition.raw.get("hidden")) {
                hidden.push(name.clone());
            }
            if truthy(definition.raw.get("required")) {
                required.push(name.clone());
            }

            if let Some(assigned) = facets.and_then(|f| f.by_attr.get(&name)) {
                let eligible = match definition.raw.get("type") {
                    Some(Json::String(t)) => {
                        matches!(t.as_str(), "string" | "number" | "boolean" | "enum")
                    }
                    Some(Json::Array(_)) => true,
                    _ => false,
                };
                if !eligible {
                    let indexes: Vec<&str> = assigned
                        .iter()
                        .map(|c| {
                            if c.index.is_empty() {
                                "Table Index"
                            } else {
                                c.index.as_str()
                            }
                        })
                        .collect();
                    return Err(Error::new(
                        ErrorCode::InvalidAttributeDefinition,
                        format!(
                            "Invalid composite attribute definition: Composite attributes must be one of the following: string, number, boolean, enum. The attribute \"{name}\" is defined as being type \"{}\" but is a composite attribute of the following indexes: {}",
                            type_display(&definition.raw),
                            indexes.join(", ")
                        ),
                    ));
                }
            }

            if used_fields.contains_key(&field) || used_fields.contains_key(&name) {
                let by = used_fields
                    .get(&field)
                    .cloned()
                    .unwrap_or_else(|| "undefined".to_string());
                invalid_properties.push(format!(
                    "Schema Validation Error. Attribute \"{name}\" property \"field\". Received: \"{field}\", Expected: \"Unique field property, already used by attribute {by}\""
                ));
            } else {
                used_fields.insert(field.clone(), name.clone());
            }
            translation_for_table.insert(name.clone(), field.clone());
            translation_for_retrieval.insert(field.clone(), name.clone());
            if let Watch::Attributes(list) = &definition.watch {
                for w in list {
                    watched.entry(w.clone()).or_default().push(name.clone());
                }
            }
            definitions.insert(name, definition);
        }

        let mut normalized: FastMap<String, Attribute> =
            FastMap::with_capacity_and_hasher(definitions.len(), Default::default());
        for (position, (name, mut definition)) in definitions.into_iter().enumerate() {
            definition.watched_by = watched.get(&name).cloned().unwrap_or_default();
            let mut child_route = route.to_vec();
            child_route.push(position);
            let mut attribute =
                self.build_attribute(definition, parent, child_route, facets.is_some())?;
            if let Some(indexes) = facets.and_then(|f| f.by_attr.get(&name)) {
                attribute.indexes = indexes.clone();
            }
            normalized.insert(name, attribute);
        }

        let mut unknown = Vec::new();
        let mut watching_watchers = Vec::new();
        for (target, watchers) in &watched {
            match normalized.get(target) {
                None => unknown.extend(watchers.iter().map(|w| format!("\"{w}\"->\"{target}\""))),
                Some(a) if a.is_watcher() => watching_watchers
                    .extend(watchers.iter().map(|w| format!("\"{w}\"->\"{target}\""))),
                Some(_) => {}
            }
        }
        if !unknown.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidAttributeWatchDefinition,
                format!(
                    "Attribute Validation Error. The following attributes are defined to \"watch\" invalid/unknown attributes: {}.",
                    unknown.join(", ")
                ),
            ));
        }
        if !watching_watchers.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidAttributeWatchDefinition,
                format!(
                    "Attribute Validation Error. Attributes may only \"watch\" other attributes also watch attributes. The following attributes are defined with ineligible attributes to watch: {}.",
                    watching_watchers.join(", ")
                ),
            ));
        }

        if let Some(facets) = facets {
            let (entity_field, version_field) = identifiers.unwrap_or(("", ""));
            let missing = facets.projections.iter().any(|p| {
                !normalized.contains_key(&p.name)
                    && p.name != entity_field
                    && p.name != version_field
            });
            if missing {
                let mut by_access_pattern: IndexMap<&str, Vec<&str>> = IndexMap::new();
                for p in &facets.projections {
                    by_access_pattern
                        .entry(p.access_pattern.as_str())
                        .or_default()
                        .push(p.name.as_str());
                }
                let groups: Vec<String> = by_access_pattern
                    .iter()
                    .map(|(ap, names)| format!("{ap}: {}", js::comma_separated(names)))
                    .collect();
                return Err(Error::new(
                    ErrorCode::InvalidProjectionDefinition,
                    format!(
                        "Unknown index projection attributes provided. The following access patterns were defined with unknown attributes: {}",
                        groups.join(", ")
                    ),
                ));
            }
            let missing: Vec<String> = facets
                .attributes
                .iter()
                .filter(|c| !normalized.contains_key(&c.name))
                .map(|c| format!("\"{}: {}\"", c.key_type.as_str(), c.name))
                .collect();
            if !missing.is_empty() {
                return Err(Error::new(
                    ErrorCode::InvalidKeyCompositeAttributeTemplate,
                    format!(
                        "Invalid key composite attribute template. The following composite attribute attributes were described in the key composite attribute template but were not included model's attributes: {}",
                        missing.join(", ")
                    ),
                ));
            }
        }
        if !invalid_properties.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidAttributeDefinition,
                invalid_properties.join(","),
            ));
        }
        Ok(Normalized {
            attributes: normalized,
            translation_for_table,
            translation_for_retrieval,
            hidden,
            read_only,
            required,
        })
    }

    /// The `Attribute` (and `MapAttribute`/`ListAttribute`/`SetAttribute`)
    /// constructor: option checks in ElectroDB's order, paths, then children.
    fn build_attribute(
        &mut self,
        definition: Definition,
        parent: Option<Parent<'_>>,
        route: Route,
        is_root: bool,
    ) -> Result<Attribute> {
        let Definition {
            name,
            raw,
            field,
            is_key_field,
            read_only,
            prefix,
            postfix,
            casing,
            watch,
            watched_by,
        } = definition;
        let cast = match raw.get("cast") {
            None => None,
            Some(Json::String(s)) if s == "string" => Some(CastType::String),
            Some(Json::String(s)) if s == "number" => Some(CastType::Number),
            Some(_) => {
                return Err(Error::new(
                    ErrorCode::InvalidAttributeDefinition,
                    format!(
                        "Invalid \"cast\" property for attribute: \"{name}\". Acceptable types include string, number"
                    ),
                ));
            }
        };
        let default = match raw.get("default") {
            None => None,
            Some(Json::Object(spec)) if spec.contains_key("fn") => Some(AttributeDefault::Fn(
                self.resolver
                    .default_fn(spec)
                    .map_err(|reason| invalid_function(&name, FunctionRole::Default, &reason))?,
            )),
            Some(other) => Some(AttributeDefault::Value(Value::from_json(other))),
        };
        let validate = match raw.get("validate") {
            Some(Json::Object(spec)) if spec.contains_key("fn") => {
                Some(Validator::Fn(self.resolver.validate_fn(spec).map_err(
                    |reason| invalid_function(&name, FunctionRole::Validate, &reason),
                )?))
            }
            Some(Json::Object(spec)) if spec.contains_key("regex") => {
                let source = spec
                    .get("regex")
                    .map(js::json_to_js_string)
                    .unwrap_or_default();
                let flags = spec
                    .get("flags")
                    .map(js::json_to_js_string)
                    .unwrap_or_default();
                Some(Validator::Regex(JsRegex::new(&source, &flags).map_err(
                    |reason| invalid_function(&name, FunctionRole::Validate, &reason),
                )?))
            }
            _ => None,
        };
        let kind_name = match raw.get("type") {
            None | Some(Json::Null) => "string".to_string(),
            Some(Json::Array(_)) => "enum".to_string(),
            Some(Json::String(t)) if t == "custom" => "any".to_string(),
            Some(Json::String(t)) if t.is_empty() => "string".to_string(),
            Some(other) => js::json_to_js_string(other),
        };
        let type_name: &'static str = match kind_name.as_str() {
            "string" => "string",
            "number" => "number",
            "boolean" => "boolean",
            "enum" => "enum",
            "map" => "map",
            "set" => "set",
            "list" => "list",
            "any" => "any",
            "static" => "static",
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidAttributeDefinition,
                    format!(
                        "Invalid \"type\" property for attribute: \"{name}\". Acceptable types include {TYPE_NAMES}"
                    ),
                ));
            }
        };
        let in_collection = matches!(parent.map(|p| p.type_name), Some("list" | "set"));
        let path_type = if in_collection { "item" } else { type_name };
        let path = build_path(&name, path_type, parent.map(|p| p.path));
        let field_path = build_path(&field, path_type, parent.map(|p| p.type_name));
        self.paths.insert(path.clone(), route.clone());
        self.paths.insert(field_path.clone(), route.clone());

        let get = self.mutation(&raw, FunctionRole::Get, &path)?;
        let set = self.mutation(&raw, FunctionRole::Set, &path)?;

        let padding = parse_padding(raw.get("padding"));
        let mut attribute = Attribute {
            label: match raw.get("label") {
                Some(Json::String(l)) => Some(l.clone()),
                _ => None,
            },
            required: truthy(raw.get("required")),
            hidden: truthy(raw.get("hidden")),
            kind: AttributeKind::Any,
            name,
            field,
            read_only,
            default,
            validate,
            get,
            set,
            watch,
            watched_by,
            padding,
            cast,
            path,
            field_path,
            is_key_field,
            is_root,
            prefix,
            postfix,
            casing,
            indexes: Vec::new(),
        };
        let me = Parent {
            type_name,
            path: &attribute.path,
        };
        attribute.kind = match type_name {
            "string" => AttributeKind::String,
            "number" => AttributeKind::Number,
            "boolean" => AttributeKind::Boolean,
            "enum" => AttributeKind::Enum(match raw.get("type") {
                Some(Json::Array(values)) => values.iter().map(Value::from_json).collect(),
                _ => Vec::new(),
            }),
            "any" => AttributeKind::Any,
            "static" => AttributeKind::Static,
            "map" => {
                let entries: Vec<(String, JsonMap)> = match raw.get("properties") {
                    Some(Json::Object(props)) => props
                        .iter()
                        .map(|(k, v)| (k.clone(), nested_definition(Some(v))))
                        .collect(),
                    Some(Json::Array(props)) => props
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), nested_definition(Some(v))))
                        .collect(),
                    _ => {
                        return Err(Error::new(
                            ErrorCode::InvalidAttributeDefinition,
                            "Invalid \"properties\" definition for Map attribute: \"undefined\". The \"properties\" definition must describe the attributes that the Map will accept",
                        ));
                    }
                };
                let properties = self.normalize(entries, None, Some(me), &route, None)?;
                AttributeKind::Map {
                    properties: properties.attributes,
                }
            }
            "list" => {
                let entries = vec![("*".to_string(), nested_definition(raw.get("items")))];
                let mut items = self.normalize(entries, None, Some(me), &route, None)?;
                match items.attributes.swap_remove("*") {
                    Some(items) => AttributeKind::List {
                        items: Box::new(items),
                    },
                    None => return Err(Error::new(ErrorCode::UnknownError, "list items missing")),
                }
            }
            "set" => {
                let items_type = match raw.get("items") {
                    Some(t @ Json::Array(_)) => t.clone(),
                    Some(Json::String(t))
                        if matches!(t.as_str(), "string" | "boolean" | "number" | "enum") =>
                    {
                        Json::String(t.clone())
                    }
                    _ => {
                        return Err(Error::new(
                            ErrorCode::InvalidAttributeDefinition,
                            "Invalid \"items\" definition for Set attribute: \"undefined\". Acceptable item types include \"string\", \"boolean\", \"number\", \"enum\"",
                        ));
                    }
                };
                let mut def = JsonMap::new();
                def.insert("type".to_string(), items_type);
                let mut items = self.normalize(
                    vec![("prop".to_string(), def)],
                    None,
                    Some(me),
                    &route,
                    None,
                )?;
                match items.attributes.swap_remove("prop") {
                    Some(items) => AttributeKind::Set {
                        items: Box::new(items),
                    },
                    None => return Err(Error::new(ErrorCode::UnknownError, "set items missing")),
                }
            }
            _ => AttributeKind::Any,
        };
        Ok(attribute)
    }

    fn mutation(
        &self,
        raw: &JsonMap,
        role: FunctionRole,
        path: &str,
    ) -> Result<Option<super::functions::MutationFn>> {
        match raw.get(role.property()) {
            None => Ok(None),
            Some(Json::Object(spec)) if spec.contains_key("fn") => self
                .resolver
                .mutation_fn(role, spec)
                .map(Some)
                .map_err(|reason| invalid_function(path, role, &reason)),
            Some(_) => Err(Error::new(
                ErrorCode::InvalidAttributeDefinition,
                format!(
                    "Invalid \"{}\" property for attribute {path}. Please ensure value is a function or undefined.",
                    role.property()
                ),
            )),
        }
    }
}

fn invalid_function(name: &str, role: FunctionRole, reason: &str) -> Error {
    Error::new(
        ErrorCode::InvalidAttributeDefinition,
        format!(
            "Invalid \"{}\" property for attribute: \"{name}\". {reason}",
            role.property()
        ),
    )
}

/// ElectroDB's `Attribute.buildPath`.
fn build_path(name: &str, path_type: &str, parent: Option<&str>) -> String {
    let Some(parent) = parent.filter(|p| !p.is_empty()) else {
        return name.to_string();
    };
    match path_type {
        "string" | "number" | "boolean" | "map" | "set" | "list" | "enum" => {
            format!("{parent}.{name}")
        }
        "item" => format!("{parent}[*]"),
        _ => format!("{parent}.*"),
    }
}

fn parse_padding(padding: Option<&Json>) -> Option<Padding> {
    let padding = padding?.as_object()?;
    let length = padding.get("length")?.as_f64()?;
    let char = padding.get("char")?.as_str()?;
    if length.is_nan() || length < 1.0 || char.is_empty() {
        return None;
    }
    Some(Padding {
        length: length.min(1e6) as usize,
        char: char.to_string(),
    })
}

fn parse_watch(name: &str, watch: Option<&Json>) -> Result<Watch> {
    match watch {
        None => Ok(Watch::None),
        Some(Json::String(s)) if s == "*" => Ok(Watch::All),
        Some(Json::Array(list)) => Ok(Watch::Attributes(
            list.iter().map(js::json_to_js_string).collect(),
        )),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidAttributeWatchDefinition,
            format!(
                "Attribute Validation Error. The attribute '{name}' is defined to \"watch\" an invalid value of: '{}'. The watch property must either be a an array of attribute names, or the single string value of \"*\".",
                js::json_to_js_string(other)
            ),
        )),
    }
}

/// The checks ElectroDB makes when an attribute's field is also an index key field.
fn check_key_field(definition: &mut Definition, facets: &SchemaFacets) -> Result<()> {
    let Some(by_index) = facets.by_field.get(&definition.field) else {
        return Ok(());
    };
    let field = definition.field.clone();
    for (index_name, key) in by_index {
        let index = display_index(index_name);
        let key_type = key.type_str();
        if key.facets.len() > 1 {
            return Err(Error::new(
                ErrorCode::InvalidIndexWithAttributeName,
                format!(
                    "Invalid definition for \"{key_type}\" field on index \"{index}\". The {key_type} field \"{}\" shares a field name with an attribute defined on the Entity, and therefore is not allowed to contain composite references to other attributes. Please either change the field name of the attribute, or redefine the index to use only the single attribute \"{}\".",
                    key.field, key.field
                ),
            ));
        }
        if key.is_custom {
            let labels = facets
                .labels
                .get(index_name)
                .map(|l| l.for_key(key.key_type))
                .unwrap_or(&[]);
            if labels.len() > 2 {
                return Err(Error::new(
                    ErrorCode::InvalidIndexWithAttributeName,
                    format!(
                        "Unexpected definition for \"{key_type}\" field on index \"{index}\". The {key_type} field \"{}\" shares a field name with an attribute defined on the Entity, and therefore is not possible to have more than two labels as part of it's template. Please either change the field name of the attribute, or reformat the key template to reduce all pre-fixing or post-fixing text around the attribute reference to two.",
                        key.field
                    ),
                ));
            }
            definition.is_key_field = true;
            definition.casing = key.casing;
            for label in labels {
                if label.name == field {
                    definition.prefix = label.label.clone();
                } else {
                    definition.postfix = label.label.clone();
                }
            }
            let stringish = matches!(definition.raw.get("type"), Some(Json::String(t)) if t == "string")
                || matches!(definition.raw.get("type"), Some(Json::Array(_)));
            if !stringish && (!definition.prefix.is_empty() || !definition.postfix.is_empty()) {
                return Err(Error::new(
                    ErrorCode::InvalidIndexWithAttributeName,
                    format!(
                        "definition for \"{key_type}\" field on index \"{index}\". Index templates may only have prefix or postfix values on \"string\" or \"enum\" type attributes. The {key_type} field \"{field}\" is type \"{}\", and therefore cannot be used with prefixes or postfixes. Please either remove the prefixed or postfixed values from the template or change the field name of the attribute.",
                        type_display(&definition.raw)
                    ),
                ));
            }
        } else {
            return Err(Error::new(
                ErrorCode::UnknownError,
                format!(
                    "Unexpected definition for \"{key_type}\" field on index \"{index}\". The {key_type} field \"{}\" shares a field name with an attribute defined on the Entity, and therefore must be defined with a template. Please either change the field name of the attribute, or add a key template to the \"{key_type}\" field on index \"{index}\" with the value: \"${{{}}}\"",
                    key.field, key.field
                ),
            ));
        }
        if key.in_collection {
            return Err(Error::new(
                ErrorCode::InvalidCollectionOnIndexWithAttributeFieldNames,
                format!(
                    "Invalid use of a collection on index \"{index}\". The {key_type} field \"{}\" shares a field name with an attribute defined on the Entity, and therefore the index is not allowed to participate in a Collection. Please either change the field name of the attribute, or remove all collection(s) from the index.",
                    key.field
                ),
            ));
        }
        if key.field == field && definition.raw.contains_key("padding") {
            return Err(Error::new(
                ErrorCode::InvalidAttributeDefinition,
                format!(
                    "Invalid padding definition for the attribute \"{}\". Padding is not currently supported for attributes that are also defined as table indexes.",
                    definition.name
                ),
            ));
        }
    }
    Ok(())
}

/// ElectroDB's `_formatWatchTranslations` for one of `set`/`get`.
fn watch_translation(attributes: &FastMap<String, Attribute>, setter: bool) -> WatchTranslation {
    let mut t = WatchTranslation {
        all_identity: attributes
            .values()
            .all(|a| AttributeSchema::mutation_is_identity(a, setter)),
        ..WatchTranslation::default()
    };
    for (name, attribute) in attributes {
        let has = attribute.has_mutation(setter);
        t.has_function |= has;
        if attribute.is_watcher() && has {
            t.has_watchers = true;
            let watching = match &attribute.watch {
                Watch::Attributes(list) => list.clone(),
                _ => Vec::new(),
            };
            t.watchers_to_attributes.insert(name.clone(), watching);
        } else if attribute.watches_all() && has {
            t.has_watchers = true;
            t.watch_all.push(name.clone());
        } else {
            let watchers = attribute
                .watched_by
                .iter()
                .filter(|w| attributes.get(*w).is_some_and(|a| a.has_mutation(setter)))
                .cloned()
                .collect();
            t.attributes_to_watchers.insert(name.clone(), watchers);
        }
    }
    t
}

/// jsonschema's property path for an attribute, as ElectroDB's model errors print it.
fn property_path(name: &str) -> String {
    let simple = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if simple {
        format!("instance.attributes.{name}")
    } else {
        format!(
            "instance.attributes[{}]",
            serde_json::to_string(name).unwrap_or_default()
        )
    }
}

fn json_type_is(value: &Json, types: &[&str]) -> bool {
    types.iter().any(|t| match *t {
        "object" => value.is_object(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        _ => false,
    })
}

fn is_function(value: &Json) -> bool {
    value.as_object().is_some_and(|o| o.contains_key("fn"))
}

/// The messages ElectroDB's model JSON schema (`validateModel`) gives for the
/// `attributes` of a model, in its order; empty when they are acceptable. The
/// entity model joins them, with its other model messages, into one 1009 error.
///
/// ```
/// use electro_core::schema::validate_attribute_definitions;
/// let attrs = serde_json::json!({"a": {"type": "string", "readOnly": "yes"}, "b": 5});
/// assert_eq!(validate_attribute_definitions(attrs.as_object().unwrap()), [
///     "instance.attributes.a.readOnly is not of a type(s) boolean",
///     "instance.attributes.b is not of a type(s) object,string,array",
/// ]);
/// ```
pub fn validate_attribute_definitions(attributes: &JsonMap) -> Vec<String> {
    let mut out = Vec::new();
    for (name, def) in attributes {
        let base = property_path(name);
        if !json_type_is(def, &["object", "string", "array"]) {
            out.push(format!("{base} is not of a type(s) object,string,array"));
            continue;
        }
        let Some(def) = def.as_object() else {
            continue;
        };
        if !def.contains_key("type") {
            out.push(format!("{base} requires property \"type\""));
        }
        let typed = |out: &mut Vec<String>, key: &str, types: &[&str]| {
            if let Some(v) = def.get(key) {
                if !json_type_is(v, types) {
                    out.push(format!(
                        "{base}.{key} is not of a type(s) {}",
                        types.join(",")
                    ));
                    return false;
                }
            }
            true
        };
        typed(&mut out, "type", &["string", "array"]);
        typed(&mut out, "field", &["string"]);
        typed(&mut out, "hidden", &["boolean"]);
        if typed(&mut out, "watch", &["array", "string"]) {
            if let Some(Json::Array(items)) = def.get("watch") {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        out.push(format!("{base}.watch[{i}] is not of a type(s) string"));
                    }
                }
            }
        }
        typed(&mut out, "label", &["string"]);
        typed(&mut out, "readOnly", &["boolean"]);
        typed(&mut out, "required", &["boolean"]);
        if let Some(cast) = def.get("cast") {
            let is_string = typed(&mut out, "cast", &["string"]);
            if !is_string || !matches!(cast.as_str(), Some("string" | "number")) {
                out.push(format!(
                    "{base}.cast is not one of enum values: string,number"
                ));
            }
        }
        if let Some(v) = def.get("validate") {
            let ok = is_function(v) || v.as_object().is_some_and(|o| o.contains_key("regex"));
            if !ok {
                out.push(format!(
                    "{base}.validate must be either a function or Regexp"
                ));
            }
        }
        for key in ["get", "set"] {
            if let Some(v) = def.get(key) {
                if !is_function(v) {
                    out.push(format!("{base}.{key} must be a function"));
                }
            }
        }
        if let Some(padding) = def.get("padding") {
            match padding.as_object() {
                None => out.push(format!("{base}.padding is not of a type(s) object")),
                Some(p) => {
                    for key in ["length", "char"] {
                        if !p.contains_key(key) {
                            out.push(format!("{base}.padding requires property \"{key}\""));
                        }
                    }
                    if p.get("length").is_some_and(|v| !v.is_number()) {
                        out.push(format!("{base}.padding.length is not of a type(s) number"));
                    }
                    if p.get("char").is_some_and(|v| !v.is_string()) {
                        out.push(format!("{base}.padding.char is not of a type(s) string"));
                    }
                }
            }
        }
    }
    out
}
