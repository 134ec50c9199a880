//! One attribute of an entity (or of a map, list or set within it): its definition,
//! resolved once, and the per-value behaviour ElectroDB's `Attribute`,
//! `MapAttribute`, `ListAttribute` and `SetAttribute` classes give it.

use super::facets::CompositeRef;
use super::functions::{AttributeDefault, MutationFn, Validator};
use super::js;
use super::kind::{AttributeKind, CastType, KeyCasing, Padding, Watch};
use crate::error::{Error, ErrorCode, FieldError, Result};
use electro_expr::{Map, Value};

/// One attribute, with everything schema.js derives from its definition.
#[derive(Clone, Debug)]
pub struct Attribute {
    /// The attribute name (`"*"` for list items, `"prop"` for set members).
    pub name: String,
    /// The table field it is stored under (`field`, default the name).
    pub field: String,
    /// The `label` used in keys instead of the name.
    pub label: Option<String>,
    /// The type, with nested definitions.
    pub kind: AttributeKind,
    /// `required`: must be present on create and cannot be removed.
    pub required: bool,
    /// `hidden`: never returned by reads.
    pub hidden: bool,
    /// `readOnly` (or a table index composite): cannot be updated.
    pub read_only: bool,
    /// `default`: used when the value is absent on create.
    pub default: Option<AttributeDefault>,
    /// `validate`: a RegExp or function.
    pub validate: Option<Validator>,
    /// `get`: applied on reads.
    pub get: Option<MutationFn>,
    /// `set`: applied on writes.
    pub set: Option<MutationFn>,
    /// `watch`: whose writes/reads also run this attribute's set/get.
    pub watch: Watch,
    /// The sibling attributes that watch this one (by name, in definition order).
    pub watched_by: Vec<String>,
    /// `padding`, when it applies (a positive length and a non-empty char).
    pub padding: Option<Padding>,
    /// `cast`: the type incoming values are converted to.
    pub cast: Option<CastType>,
    /// The attribute path, e.g. `"veterinarian.visits"`, `"diet[*]"`.
    pub path: String,
    /// ElectroDB's field path (built, as ElectroDB does, from the parent's type rather
    /// than its path for nested attributes); also resolves to this attribute.
    pub field_path: String,
    /// The attribute's field is itself an index key field.
    pub is_key_field: bool,
    /// A root attribute of the entity (not nested).
    pub is_root: bool,
    /// For key field attributes: the key template's text before the attribute.
    pub prefix: String,
    /// For key field attributes: the key template's text after the attribute.
    pub postfix: String,
    /// For key field attributes: the key's casing.
    pub casing: KeyCasing,
    /// The index keys this attribute is a composite of.
    pub indexes: Vec<CompositeRef>,
}

/// How to reach an attribute from the root of a schema: child positions.
pub(crate) type Route = Vec<usize>;

/// Which pass over a written value [`Attribute::keeps`] asks about.
#[derive(Clone, Copy)]
enum Pass {
    /// [`Attribute::val`]: casts, defaults, map properties by name.
    Val,
    /// [`Attribute::apply_set`]: `set` functions, map properties by field.
    Set,
}

impl Attribute {
    /// A plain attribute with the given name and kind and every option off; the JSON
    /// loader fills in the rest.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// let a = Attribute::new("rent", AttributeKind::String);
    /// assert_eq!(a.field, "rent");
    /// assert_eq!(a.path, "rent");
    /// ```
    pub fn new(name: impl Into<String>, kind: AttributeKind) -> Attribute {
        let name = name.into();
        Attribute {
            field: name.clone(),
            path: name.clone(),
            field_path: name.clone(),
            name,
            label: None,
            kind,
            required: false,
            hidden: false,
            read_only: false,
            default: None,
            validate: None,
            get: None,
            set: None,
            watch: Watch::None,
            watched_by: Vec::new(),
            padding: None,
            cast: None,
            is_key_field: false,
            is_root: true,
            prefix: String::new(),
            postfix: String::new(),
            casing: KeyCasing::None,
            indexes: Vec::new(),
        }
    }

    /// Whether this attribute watches named attributes (not `"*"`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind, Watch};
    /// let mut a = Attribute::new("slug", AttributeKind::String);
    /// a.watch = Watch::Attributes(vec!["name".into()]);
    /// assert!(a.is_watcher() && !a.watches_all());
    /// ```
    pub fn is_watcher(&self) -> bool {
        matches!(&self.watch, Watch::Attributes(list) if !list.is_empty())
    }

    /// Whether this attribute watches everything (`watch: "*"`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind, Watch};
    /// let mut a = Attribute::new("updatedAt", AttributeKind::Number);
    /// a.watch = Watch::All;
    /// assert!(a.watches_all() && !a.is_watcher());
    /// ```
    pub fn watches_all(&self) -> bool {
        self.watch == Watch::All
    }

    /// Whether other attributes watch this one.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// let mut a = Attribute::new("name", AttributeKind::String);
    /// a.watched_by.push("slug".into());
    /// assert!(a.is_watched());
    /// ```
    pub fn is_watched(&self) -> bool {
        !self.watched_by.is_empty()
    }

    /// A child attribute: a map property by name, a list's items by `"*"` or any
    /// index, a set's members by `"prop"`; an `any` attribute is its own child.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"diet": {"type": "list", "items": {"type": "string"}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let diet = schema.get_attribute("diet").unwrap();
    /// assert_eq!(diet.get_child("0").unwrap().path, "diet[*]");
    /// ```
    pub fn get_child(&self, name: &str) -> Option<&Attribute> {
        match &self.kind {
            AttributeKind::Any => Some(self),
            AttributeKind::List { items } if !js::is_nan_str(name) || name == "*" => Some(items),
            AttributeKind::Set { .. } if !js::is_nan_str(name) => None,
            AttributeKind::Set { items } if name == "prop" => Some(items),
            AttributeKind::Map { properties } => properties.get(name),
            _ => None,
        }
    }

    pub(crate) fn child_at(&self, position: usize) -> Option<&Attribute> {
        match &self.kind {
            AttributeKind::Map { properties } => properties.get_index(position).map(|(_, a)| a),
            AttributeKind::List { items } | AttributeKind::Set { items } if position == 0 => {
                Some(items)
            }
            _ => None,
        }
    }

    /// Whether an update operand is worth sending: ElectroDB drops empty arrays for
    /// sets and undefined values.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// use electro_core::Value;
    /// let a = Attribute::new("n", AttributeKind::Number);
    /// assert!(a.acceptable(Some(&Value::from(1))));
    /// assert!(!a.acceptable(None));
    /// ```
    pub fn acceptable(&self, value: Option<&Value>) -> bool {
        match (&self.kind, value) {
            (AttributeKind::Set { .. }, Some(Value::List(items))) => !items.is_empty(),
            (_, v) => v.is_some(),
        }
    }

    /// Writes the value as a key field: template prefix and postfix around strings
    /// and enums, then the key's casing (ElectroDB's `applyFixings`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind, KeyCasing};
    /// use electro_core::Value;
    /// let mut a = Attribute::new("id", AttributeKind::String);
    /// a.prefix = "prefix_".into();
    /// a.casing = KeyCasing::Upper;
    /// assert_eq!(a.apply_fixings(Some(&"ab".into())), Some(Value::from("PREFIX_AB")));
    /// ```
    pub fn apply_fixings(&self, value: Option<&Value>) -> Option<Value> {
        let value = value?;
        if !self.has_fixings() {
            return Some(value.clone());
        }
        let value = if self.kind.is_stringish() {
            let mut s = String::with_capacity(self.prefix.len() + self.postfix.len() + 8);
            s.push_str(&self.prefix);
            value.write_js(&mut s);
            s.push_str(&self.postfix);
            Value::String(s.into())
        } else {
            value.clone()
        };
        Some(match (value, self.casing) {
            (Value::String(s), KeyCasing::Upper) => Value::String(s.to_uppercase()),
            (Value::String(s), KeyCasing::Lower) => Value::String(s.to_lowercase()),
            (v, _) => v,
        })
    }

    /// [`Attribute::apply_fixings`] on an owned value: attributes that are not
    /// key-field templates (almost all) pass the value through without a copy.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// use electro_core::Value;
    /// let a = Attribute::new("note", AttributeKind::String);
    /// assert_eq!(a.apply_fixings_owned("x".into()), Value::from("x"));
    /// ```
    #[inline]
    pub fn apply_fixings_owned(&self, value: Value) -> Value {
        if !self.has_fixings() {
            return value;
        }
        self.apply_fixings(Some(&value)).unwrap_or(value)
    }

    /// Whether writing a value changes it: a key-field template's prefix/postfix,
    /// or a key casing, on a string-like attribute.
    #[inline]
    fn has_fixings(&self) -> bool {
        let cased = matches!(self.casing, KeyCasing::Upper | KeyCasing::Lower);
        (self.kind.is_stringish() && (!self.prefix.is_empty() || !self.postfix.is_empty())) || cased
    }

    /// Left-pads a string with the attribute's `padding` (ElectroDB's `format`, used
    /// when the value is written into a key); other values are returned as they are.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind, Padding};
    /// use electro_core::Value;
    /// let mut a = Attribute::new("lineNo", AttributeKind::Number);
    /// a.padding = Some(Padding { length: 4, char: "0".into() });
    /// assert_eq!(a.apply_padding("7".into()), Value::from("0007"));
    /// ```
    pub fn apply_padding(&self, value: Value) -> Value {
        match (value, &self.padding) {
            (Value::String(s), Some(padding)) => {
                Value::String(pad_start(s.to_string(), padding).into())
            }
            (v, _) => v,
        }
    }

    /// Takes a key field's template prefix and postfix off a string read back from
    /// the table (ElectroDB's `unformat`, compared case-insensitively).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// use electro_core::Value;
    /// let mut a = Attribute::new("id", AttributeKind::String);
    /// a.prefix = "prefix_".into();
    /// a.postfix = "_postfix".into();
    /// assert_eq!(a.unformat("PREFIX_42_postfix".into()), Value::from("42"));
    /// ```
    pub fn unformat(&self, value: Value) -> Value {
        match value {
            Value::String(s)
                if self.kind.is_stringish()
                    && (!self.prefix.is_empty() || !self.postfix.is_empty())
                    && utf16_len(&s) > utf16_len(&self.prefix) =>
            {
                Value::String(remove_fixings(&self.prefix, &self.postfix, &s).into())
            }
            v => v,
        }
    }

    /// Applies `cast` (ElectroDB's `cast`). An attribute with `cast` refuses an
    /// absent value, as ElectroDB does.
    pub(crate) fn apply_cast(&self, value: Option<Value>) -> Result<Option<Value>> {
        let Some(cast) = self.cast else {
            return Ok(value);
        };
        let type_name = match cast {
            CastType::String => "string",
            CastType::Number => "number",
        };
        let Some(value) = value else {
            return Err(Error::invalid_attribute(
                &self.path,
                format!(
                    "Attribute {} is undefined and cannot be cast to type {type_name}",
                    self.name
                ),
            ));
        };
        match (cast, value) {
            (CastType::String, v @ Value::String(_)) => Ok(Some(v)),
            (CastType::String, v) => Ok(Some(Value::String(js::json_stringify(&v).into()))),
            (CastType::Number, v @ Value::Number(_)) => Ok(Some(v)),
            (CastType::Number, v) => match js::number_from_js(&v) {
                Some(n) => Ok(Some(Value::Number(n))),
                None => Err(Error::invalid_attribute(
                    &self.path,
                    format!(
                        "Attribute {} cannot be cast to type {type_name}. Doing so results in NaN",
                        self.name
                    ),
                )),
            },
        }
    }

    fn default_value(&self) -> Option<Value> {
        self.default.as_ref().and_then(AttributeDefault::get)
    }

    /// The value to write: cast, then the default when absent; maps keep only their
    /// described properties (with their defaults), lists convert each item, sets
    /// become sets (ElectroDB's `val`).
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::Value;
    /// # let attrs = serde_json::json!({"status": {"type": "string", "default": "open"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let status = schema.get_attribute("status").unwrap();
    /// assert_eq!(status.val(None).unwrap(), Some(Value::from("open")));
    /// ```
    pub fn val(&self, value: Option<Value>) -> Result<Option<Value>> {
        match &self.kind {
            AttributeKind::Map { properties } => {
                let data = match value {
                    Some(v) => v,
                    None => match self.default_value() {
                        Some(d) => d,
                        None => return Ok(None),
                    },
                };
                let Value::Map(mut data) = data else {
                    return Err(Error::invalid_attribute(
                        &self.path,
                        format!(
                            "Invalid value type at entity path: \"{}\". Expected value to be an object to fulfill attribute type \"{}\"",
                            self.path,
                            self.kind.type_name()
                        ),
                    ));
                };
                let mut response = Map::with_capacity(properties.len());
                for (name, attribute) in properties {
                    let incoming = data.swap_remove(attribute.name.as_str());
                    if let Some(v) = attribute.val(incoming)? {
                        response.insert(name.as_str().into(), v);
                    }
                }
                Ok(Some(Value::Map(response)))
            }
            AttributeKind::List { items } => {
                let original_type = js::value_type(value.as_ref());
                let data = match value {
                    Some(v) => v,
                    None => match self.apply_cast(None)? {
                        Some(v) => v,
                        None => match self.default_value() {
                            Some(d) => d,
                            None => return Ok(None),
                        },
                    },
                };
                let Value::List(data) = data else {
                    return Err(Error::invalid_attribute(
                        &self.path,
                        format!(
                            "Invalid value type at entity path \"{}. Received value of type \"{original_type}\", expected value of type \"array\"",
                            self.path
                        ),
                    ));
                };
                let mut response = Vec::with_capacity(data.len());
                for item in data {
                    if let Some(v) = items.val(Some(item))? {
                        response.push(v);
                    }
                }
                Ok(Some(Value::List(response)))
            }
            AttributeKind::Set { .. } => {
                let value = match value {
                    Some(v) => Some(v),
                    None => self.default_value(),
                };
                value.map(|v| self.to_ddb_set(v)).transpose()
            }
            _ => {
                let value = self.apply_cast(value)?;
                Ok(match value {
                    Some(v) => Some(v),
                    None => self.default_value(),
                })
            }
        }
    }

    /// Checks a value (after [`Attribute::val`]): presence when required, type,
    /// enum membership, nested properties and items, then `validate`. Every failure
    /// is listed with its path and ElectroDB's reason (ElectroDB's `isValid`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// use electro_core::Value;
    /// let mut a = Attribute::new("rent", AttributeKind::String);
    /// a.required = true;
    /// let errors = a.is_valid(Some(&Value::from(5))).unwrap_err();
    /// assert_eq!(errors[0].reason, "Invalid value type at entity path: \"rent\". Received value of type \"number\", expected value of type \"string\"");
    /// ```
    pub fn is_valid(&self, value: Option<&Value>) -> std::result::Result<(), Vec<FieldError>> {
        super::validate::is_valid(self, value)
    }

    /// Whether an absent value stays absent and passes every check: not required, no
    /// default or cast to produce one, and no validation function that could object.
    /// A create skips such attributes when they are not given, which most are not.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// let mut a = Attribute::new("nickname", AttributeKind::String);
    /// assert!(a.absent_is_nothing());
    /// a.required = true;
    /// assert!(!a.absent_is_nothing());
    /// ```
    pub fn absent_is_nothing(&self) -> bool {
        !self.required
            && self.default.is_none()
            && self.cast.is_none()
            && matches!(self.validate, None | Some(Validator::Regex(_)))
    }

    /// Whether [`Attribute::val`] would give this value back unchanged: no cast to
    /// apply, no set to convert, and for maps exactly the described properties in
    /// their order (so none is dropped, reordered or defaulted). Conservative: a
    /// `false` only means the value must go through `val`.
    pub(crate) fn val_keeps(&self, value: &Value) -> bool {
        self.keeps(value, Pass::Val)
    }

    /// Whether [`Attribute::apply_set`] would give this value back unchanged: no
    /// `set` anywhere it reaches, no set to convert, and for maps exactly the
    /// described properties, in order, stored under their own names. Conservative:
    /// a `false` only means the value must go through `apply_set`.
    pub(crate) fn set_keeps(&self, value: &Value) -> bool {
        self.keeps(value, Pass::Set)
    }

    /// The walk behind [`Attribute::val_keeps`] and [`Attribute::set_keeps`]: maps
    /// hold exactly their described properties in order (each under the key the
    /// pass writes it to), lists hold items the pass keeps, sets never qualify, and
    /// every attribute reached passes the pass's own test.
    fn keeps(&self, value: &Value, pass: Pass) -> bool {
        let own = match pass {
            Pass::Set => self.set.is_none(),
            Pass::Val => match self.cast {
                None => true,
                Some(CastType::String) => matches!(value, Value::String(_)),
                Some(CastType::Number) => matches!(value, Value::Number(_)),
            },
        };
        own && match (&self.kind, value) {
            (AttributeKind::Map { properties }, Value::Map(data)) => {
                data.len() == properties.len()
                    && properties
                        .iter()
                        .zip(data.iter())
                        .all(|((name, a), (k, v))| {
                            let written_as = match pass {
                                Pass::Val => &a.name,
                                Pass::Set => &a.field,
                            };
                            name.as_str() == k.as_str()
                                && written_as.as_str() == k.as_str()
                                && a.keeps(v, pass)
                        })
            }
            (AttributeKind::List { items }, Value::List(data)) => {
                data.iter().all(|v| items.keeps(v, pass))
            }
            (
                AttributeKind::Map { .. } | AttributeKind::List { .. } | AttributeKind::Set { .. },
                _,
            ) => false,
            _ => true,
        }
    }

    /// [`Attribute::get_validate`] for a value only checked, not kept: a value that
    /// `val` keeps as it is is validated in place, without a copy.
    pub(crate) fn check_value(&self, value: &Value) -> Result<()> {
        if self.val_keeps(value) {
            // Sets never qualify, so the unstorable-set check cannot apply.
            return self.is_valid(Some(value)).map_err(Error::validation);
        }
        self.get_validate(Some(value.clone())).map(drop)
    }

    /// [`Attribute::val`] then [`Attribute::is_valid`]: the value to write, or a
    /// validation error (3001) listing every failure (ElectroDB's `getValidate`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// let mut a = Attribute::new("category", AttributeKind::String);
    /// a.required = true;
    /// let err = a.get_validate(None).unwrap_err();
    /// assert_eq!(err.reason(), "Invalid value type at entity path: \"category\". Value is required.");
    /// ```
    pub fn get_validate(&self, value: Option<Value>) -> Result<Option<Value>> {
        let value = self.val(value)?;
        if let Err(errors) = self.is_valid(value.as_ref()) {
            return Err(Error::validation(errors));
        }
        if let (AttributeKind::Set { .. }, Some(Value::List(_))) = (&self.kind, &value) {
            return Err(self.unstorable_set());
        }
        Ok(value)
    }

    fn unstorable_set(&self) -> Error {
        Error::invalid_attribute(
            &self.path,
            format!(
                "Invalid attribute value supplied to \"set\" attribute \"{}\". DynamoDB sets can only hold strings, numbers or binary values of one type.",
                self.path
            ),
        )
    }

    /// Makes a DynamoDB set from an array, a set, or a single string or number
    /// (validated as a member), as ElectroDB's `toDDBSet` does. Members are
    /// de-duplicated. A list that cannot be one typed set (mixed or boolean members)
    /// is returned as a list, for validation to report.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::Value;
    /// # let attrs = serde_json::json!({"tags": {"type": "set", "items": "string"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let tags = schema.get_attribute("tags").unwrap();
    /// let set = tags.to_ddb_set(Value::List(vec!["a".into(), "b".into(), "a".into()])).unwrap();
    /// assert_eq!(set, Value::StringSet(vec!["a".into(), "b".into()]));
    /// ```
    pub fn to_ddb_set(&self, value: Value) -> Result<Value> {
        let items = match &self.kind {
            AttributeKind::Set { items } => items,
            _ => return Ok(value),
        };
        match value {
            Value::StringSet(s) => Ok(Value::StringSet(dedupe_strings(s))),
            v @ (Value::NumberSet(_) | Value::BinarySet(_)) => Ok(v),
            Value::List(list) => Ok(typed_set(list, &items.kind)),
            v @ (Value::String(_) | Value::Number(_)) => {
                items.get_validate(Some(v.clone()))?;
                Ok(typed_set(vec![v], &items.kind))
            }
            other => Err(Error::invalid_attribute(
                &self.path,
                format!(
                    "Invalid attribute value supplied to \"set\" attribute \"{}\". Received value of type \"{}\". Set values must be supplied as either Arrays, native JavaScript Set objects, DocumentClient Set objects, strings, or numbers.",
                    self.path,
                    js::value_type(Some(&other))
                ),
            )),
        }
    }

    /// Whether the attribute has a `set` (`true`) or `get` (`false`) function.
    pub(crate) fn has_mutation(&self, setter: bool) -> bool {
        if setter {
            self.set.is_some()
        } else {
            self.get.is_some()
        }
    }

    /// Runs the write path for one value: nested setters (map properties are renamed
    /// to their fields), this attribute's `set`, and set conversion (ElectroDB's
    /// `attribute.set`). `item` is what the `set` function sees as its second argument.
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind, MutationFn};
    /// use electro_core::{Map, Value};
    /// let mut a = Attribute::new("name", AttributeKind::String);
    /// a.set = Some(MutationFn::new(|v, _| v.map(|v| Value::from(v.to_js_string().to_uppercase()))));
    /// assert_eq!(a.apply_set(Some(&"x".into()), &Map::default()).unwrap(), Some("X".into()));
    /// ```
    pub fn apply_set(&self, value: Option<&Value>, item: &Map) -> Result<Option<Value>> {
        // Values built here are handed on as they are when there is no `set`.
        let user = |v: Option<Value>| match &self.set {
            Some(f) => f.call(v.as_ref(), item),
            None => v,
        };
        match &self.kind {
            AttributeKind::Map { properties } => {
                let Some(values) = value else {
                    return Ok(self.set.as_ref().and_then(|f| f.call(None, item)));
                };
                let mut data = Map::default();
                if let Value::Map(values) = values {
                    for (name, attribute) in properties {
                        if let Some(v) = values.get(name.as_str()) {
                            if let Some(result) = attribute.apply_set(Some(v), values)? {
                                data.insert(attribute.field.as_str().into(), result);
                            }
                        }
                    }
                }
                Ok(user(Some(Value::Map(data))))
            }
            AttributeKind::List { items } => {
                let Some(values) = value else {
                    return Ok(user(None));
                };
                let members = iterate_ref(values, &self.path)?;
                // Only the members' own `set` sees the list (as an object by
                // position); nested attributes see their own map.
                let siblings = if items.set.is_some() {
                    list_as_map(&members)
                } else {
                    Map::default()
                };
                let mut data = Vec::with_capacity(members.len());
                for member in members.iter() {
                    if let Some(result) = items.apply_set(Some(member), &siblings)? {
                        data.push(result);
                    }
                }
                Ok(user(Some(Value::List(data))))
            }
            AttributeKind::Set { .. } => {
                let plain = value.map(from_ddb_set);
                match user(plain) {
                    Some(result) => self.to_ddb_set(result).map(Some),
                    None => Ok(None),
                }
            }
            _ => Ok(match &self.set {
                Some(f) => f.call(value, item),
                None => value.cloned(),
            }),
        }
    }

    /// Runs the read path for one value: hidden attributes vanish, key fixings come
    /// off, map fields are renamed back to property names, sets become lists, then
    /// this attribute's `get` (ElectroDB's `attribute.get`).
    ///
    /// ```
    /// use electro_core::schema::{Attribute, AttributeKind};
    /// use electro_core::{Map, Value};
    /// let mut a = Attribute::new("secret", AttributeKind::String);
    /// a.hidden = true;
    /// assert_eq!(a.apply_get(Some(&"x".into()), &Map::default()).unwrap(), None);
    /// ```
    pub fn apply_get(&self, value: Option<&Value>, item: &Map) -> Result<Option<Value>> {
        if self.hidden {
            return Ok(None);
        }
        // Values built here are handed on as they are when there is no `get`.
        let user = |v: Option<Value>| match &self.get {
            Some(f) => f.call(v.as_ref(), item),
            None => v,
        };
        match &self.kind {
            AttributeKind::Map { properties } => {
                let Some(values) = value else {
                    return Ok(self
                        .get
                        .as_ref()
                        .and_then(|f| f.call(Some(&Value::Map(Map::default())), item)));
                };
                let mut data = Map::default();
                if let Value::Map(values) = values {
                    for (name, attribute) in properties {
                        if let Some(v) = values.get(attribute.field.as_str()) {
                            if let Some(result) = attribute.apply_get(Some(v), values)? {
                                data.insert(name.as_str().into(), result);
                            }
                        }
                    }
                }
                Ok(user(Some(Value::Map(data))))
            }
            AttributeKind::List { items } => {
                let Some(values) = value else {
                    return Ok(user(Some(Value::List(Vec::new()))));
                };
                let members = iterate_ref(values, &self.path)?;
                // Only the members' own `get` sees the list (as an object by
                // position).
                let siblings = if items.get.is_some() {
                    list_as_map(&members)
                } else {
                    Map::default()
                };
                let mut data = Vec::with_capacity(members.len());
                for member in members.iter() {
                    if let Some(result) = items.apply_get(Some(member), &siblings)? {
                        data.push(result);
                    }
                }
                Ok(user(Some(Value::List(data))))
            }
            AttributeKind::Set { .. } => match value {
                Some(v) => Ok(user(Some(from_ddb_set(v)))),
                None => Ok(user(None).map(|r| from_ddb_set(&r))),
            },
            _ => {
                let value = value.map(|v| self.unformat(v.clone()));
                Ok(user(value))
            }
        }
    }
}

/// A DynamoDB set as a plain list (ElectroDB's `fromDDBSet`); other values as they are.
pub(crate) fn from_ddb_set(value: &Value) -> Value {
    match js::set_members(value) {
        Some(members) => Value::List(members),
        None => value.clone(),
    }
}

/// JavaScript's `for (const v of values)`: lists, sets, strings (by character) and
/// binary (by byte) iterate; anything else is a TypeError.
fn iterate(values: &Value, path: &str) -> Result<Vec<Value>> {
    match values {
        Value::List(items) => Ok(items.clone()),
        Value::String(s) => Ok(s
            .chars()
            .map(|c| Value::String(crate::Name::from(c.encode_utf8(&mut [0; 4]) as &str)))
            .collect()),
        Value::Binary(bytes) => Ok(bytes.iter().map(|b| Value::from(*b)).collect()),
        other => js::set_members(other).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownError,
                format!("The value of attribute \"{path}\" is not iterable"),
            )
        }),
    }
}

/// [`iterate`] lending a list's members instead of copying them.
fn iterate_ref<'v>(values: &'v Value, path: &str) -> Result<std::borrow::Cow<'v, [Value]>> {
    match values {
        Value::List(items) => Ok(std::borrow::Cow::Borrowed(items)),
        other => iterate(other, path).map(std::borrow::Cow::Owned),
    }
}

/// A list as the object JavaScript would index it by: positions as keys.
fn list_as_map(items: &[Value]) -> Map {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| (crate::Name::from(i.to_string()), v.clone()))
        .collect()
}

fn dedupe_strings(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    let mut out = Vec::with_capacity(items.len());
    for s in items {
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// A typed DynamoDB set from de-duplicated members, or the list itself when the
/// members are not all strings, all numbers or all binary.
fn typed_set(items: Vec<Value>, item_kind: &AttributeKind) -> Value {
    if items.is_empty() {
        return match item_kind {
            AttributeKind::Number => Value::NumberSet(Vec::new()),
            _ => Value::StringSet(Vec::new()),
        };
    }
    if items.iter().all(|v| matches!(v, Value::String(_))) {
        let strings = items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.into_string()),
                _ => None,
            })
            .collect();
        return Value::StringSet(dedupe_strings(strings));
    }
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    if unique.iter().all(|v| matches!(v, Value::Number(_))) {
        return Value::NumberSet(
            unique
                .into_iter()
                .filter_map(|v| match v {
                    Value::Number(n) => Some(n),
                    _ => None,
                })
                .collect(),
        );
    }
    if unique.iter().all(|v| matches!(v, Value::Binary(_))) {
        return Value::BinarySet(
            unique
                .into_iter()
                .filter_map(|v| match v {
                    Value::Binary(b) => Some(b),
                    _ => None,
                })
                .collect(),
        );
    }
    Value::List(unique)
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// ElectroDB's `removeFixings`: strips a case-insensitive prefix and postfix,
/// measuring in UTF-16 units as JavaScript does.
fn remove_fixings(prefix: &str, postfix: &str, value: &str) -> String {
    let lower = value.to_lowercase();
    let units: Vec<u16> = value.encode_utf16().collect();
    let start = if lower.starts_with(&prefix.to_lowercase()) {
        utf16_len(prefix)
    } else {
        0
    };
    let end = units
        .len()
        .saturating_sub(if lower.ends_with(&postfix.to_lowercase()) {
            utf16_len(postfix)
        } else {
            0
        });
    match units.get(start..end) {
        Some(slice) => String::from_utf16_lossy(slice),
        None => String::new(),
    }
}

/// JavaScript's `padStart`.
fn pad_start(value: String, padding: &Padding) -> String {
    let len = utf16_len(&value);
    if len >= padding.length || padding.char.is_empty() {
        return value;
    }
    let fill: Vec<u16> = padding
        .char
        .encode_utf16()
        .cycle()
        .take(padding.length - len)
        .collect();
    let mut out = String::from_utf16_lossy(&fill);
    out.push_str(&value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixings_padding_and_sets() {
        assert_eq!(remove_fixings("p_", "", "P_abc"), "abc");
        assert_eq!(remove_fixings("abc", "abc", "abc"), "");
        let padding = Padding {
            length: 5,
            char: "ab".into(),
        };
        assert_eq!(pad_start("x".into(), &padding), "ababx");
        assert_eq!(pad_start("xxxxxx".into(), &padding), "xxxxxx");
        assert_eq!(
            typed_set(vec![Value::from(1), Value::from(1)], &AttributeKind::Number),
            Value::NumberSet(vec![1.into()])
        );
        assert_eq!(
            typed_set(
                vec![Value::from(1), Value::from("a")],
                &AttributeKind::String
            ),
            Value::List(vec![Value::from(1), Value::from("a")])
        );
        assert_eq!(
            typed_set(vec![], &AttributeKind::Number),
            Value::NumberSet(vec![])
        );
    }

    #[test]
    fn cast_follows_javascript() {
        let mut a = Attribute::new("n", AttributeKind::Number);
        a.cast = Some(CastType::Number);
        assert_eq!(a.val(Some("12".into())).unwrap(), Some(Value::from(12)));
        let err = a.val(Some("x".into())).unwrap_err();
        assert_eq!(
            err.reason(),
            "Attribute n cannot be cast to type number. Doing so results in NaN"
        );
        let err = a.val(None).unwrap_err();
        assert_eq!(
            err.reason(),
            "Attribute n is undefined and cannot be cast to type number"
        );
        let mut s = Attribute::new("s", AttributeKind::String);
        s.cast = Some(CastType::String);
        assert_eq!(s.val(Some(Value::from(5))).unwrap(), Some(Value::from("5")));
        assert_eq!(
            s.val(Some(Value::List(vec![Value::from("a")]))).unwrap(),
            Some(Value::from(r#"["a"]"#))
        );
    }
}
