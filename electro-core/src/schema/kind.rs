//! The small vocabularies of an attribute definition: its type, cast, padding,
//! watch list, key casing and the update operation being checked.

use super::attribute::Attribute;
use electro_expr::Value;

/// What an attribute holds. Nested kinds own their child attributes, so a schema is
/// one tree built once; per-call code never re-reads the model.
#[derive(Clone, Debug)]
pub enum AttributeKind {
    /// `"string"` (also the type of a definition without `type`).
    String,
    /// `"number"`.
    Number,
    /// `"boolean"`.
    Boolean,
    /// `["a", "b"]`: one of the listed values (compared as JavaScript's `includes`).
    Enum(Vec<Value>),
    /// `"map"`: an object whose properties are described, keyed by attribute name.
    Map {
        /// The described properties, in definition order.
        properties: electro_expr::FastMap<String, Attribute>,
    },
    /// `"list"`: a list whose items all follow one definition (named `"*"`).
    List {
        /// The definition every item follows.
        items: Box<Attribute>,
    },
    /// `"set"`: a DynamoDB set of strings, numbers or enum values.
    Set {
        /// The definition every member follows (named `"prop"`, as in ElectroDB).
        items: Box<Attribute>,
    },
    /// `"any"` (and `"custom"`): anything goes.
    Any,
    /// `"static"`: accepted by ElectroDB's type list and validated like `any`.
    Static,
}

impl AttributeKind {
    /// Whether values of this kind are single values with nothing nested to
    /// convert (not a map, list or set): what the write and read passes can leave
    /// as they are.
    ///
    /// ```
    /// use electro_core::schema::AttributeKind;
    /// assert!(AttributeKind::String.is_plain());
    /// assert!(!AttributeKind::Map { properties: Default::default() }.is_plain());
    /// ```
    pub fn is_plain(&self) -> bool {
        use AttributeKind as K;
        matches!(
            self,
            K::String | K::Number | K::Boolean | K::Enum(_) | K::Any | K::Static
        )
    }

    /// The type name as ElectroDB spells it (`attribute.type`).
    ///
    /// ```
    /// use electro_core::schema::AttributeKind;
    /// assert_eq!(AttributeKind::Enum(vec![]).type_name(), "enum");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeKind::String => "string",
            AttributeKind::Number => "number",
            AttributeKind::Boolean => "boolean",
            AttributeKind::Enum(_) => "enum",
            AttributeKind::Map { .. } => "map",
            AttributeKind::List { .. } => "list",
            AttributeKind::Set { .. } => "set",
            AttributeKind::Any => "any",
            AttributeKind::Static => "static",
        }
    }

    /// Whether the type may be a key composite (ElectroDB's `ValidFacetTypes`).
    ///
    /// ```
    /// use electro_core::schema::AttributeKind;
    /// assert!(AttributeKind::Number.is_composite_eligible());
    /// assert!(!AttributeKind::Any.is_composite_eligible());
    /// ```
    pub fn is_composite_eligible(&self) -> bool {
        matches!(
            self,
            AttributeKind::String
                | AttributeKind::Number
                | AttributeKind::Boolean
                | AttributeKind::Enum(_)
        )
    }

    /// Whether prefixes, postfixes and padding apply (strings and enums).
    pub(crate) fn is_stringish(&self) -> bool {
        matches!(self, AttributeKind::String | AttributeKind::Enum(_))
    }
}

/// The `cast` option: convert an incoming value before validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastType {
    /// Non-strings become their `JSON.stringify` text.
    String,
    /// Non-numbers go through JavaScript's `Number(value)`; NaN is refused.
    Number,
}

/// The `padding` option: left-pad string values written into keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Padding {
    /// The length to pad to (in characters).
    pub length: usize,
    /// The padding text (usually one character).
    pub char: String,
}

/// What an attribute watches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Watch {
    /// Watches nothing.
    #[default]
    None,
    /// `"*"`: its setter/getter runs on every write/read.
    All,
    /// Its setter/getter runs whenever one of these attributes is written/read.
    Attributes(Vec<String>),
}

/// A key's casing option (`casing` on an index key). Attributes that are themselves
/// key fields take their key's casing when ElectroDB writes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyCasing {
    /// Leave as is.
    #[default]
    None,
    /// Upper-case.
    Upper,
    /// Lower-case.
    Lower,
    /// The default for the context: lower for keys, none for attributes.
    Default,
}

impl KeyCasing {
    /// Parses ElectroDB's casing names; unknown names are `None`.
    ///
    /// ```
    /// use electro_core::schema::KeyCasing;
    /// assert_eq!(KeyCasing::from_name("upper"), Some(KeyCasing::Upper));
    /// ```
    pub fn from_name(name: &str) -> Option<KeyCasing> {
        match name {
            "none" => Some(KeyCasing::None),
            "upper" => Some(KeyCasing::Upper),
            "lower" => Some(KeyCasing::Lower),
            "default" => Some(KeyCasing::Default),
            _ => None,
        }
    }
}

/// The update operation being checked by [`AttributeSchema::check_operation`]
/// (ElectroDB's `ItemOperations`); only `Remove` is treated specially there.
///
/// [`AttributeSchema::check_operation`]: super::AttributeSchema::check_operation
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemOperation {
    /// `set`.
    Set,
    /// `delete` (from a set).
    Delete,
    /// `remove`.
    Remove,
    /// `add`.
    Add,
    /// `subtract`.
    Subtract,
    /// `append`.
    Append,
    /// `ifNotExists`.
    IfNotExists,
    /// No operation (`""`).
    None,
}
