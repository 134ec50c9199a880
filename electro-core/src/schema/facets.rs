//! What the attribute schema needs to know about the model's indexes: exactly the
//! parts of ElectroDB's `facets` (built by `_normalizeIndexes`) that schema.js reads.
//!
//! The entity model fills this in from its index normalization and hands it to
//! [`AttributeSchema::from_json`]; every field mirrors one property of the JavaScript
//! `facets` object, named in its doc. Index names are `""` for the table index.
//!
//! [`AttributeSchema::from_json`]: super::AttributeSchema::from_json

use super::kind::KeyCasing;
use indexmap::IndexMap;

/// The index name ElectroDB uses for the table's own index.
pub const TABLE_INDEX: &str = "";

/// Which key of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// The partition key.
    Pk,
    /// The sort key.
    Sk,
}

impl KeyType {
    /// `"pk"` or `"sk"`, as ElectroDB prints it.
    ///
    /// ```
    /// use electro_core::schema::KeyType;
    /// assert_eq!(KeyType::Sk.as_str(), "sk");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Pk => "pk",
            KeyType::Sk => "sk",
        }
    }
}

/// Everything schema.js reads from `facets`.
#[derive(Clone, Debug, Default)]
pub struct SchemaFacets {
    /// `facets.byField`: table field name → index name → that index's key definition
    /// using the field. Only non-`composite`-type indexes are listed (as in ElectroDB).
    /// An attribute whose `field` appears here is a "key field attribute".
    pub by_field: IndexMap<String, IndexMap<String, KeyFieldDefinition>>,
    /// `facets.byIndex[index].all`: the composite attributes of each index, pk ones
    /// then sk ones. Only the table index (`""`) is read: its composites are read-only.
    pub by_index: IndexMap<String, IndexFacets>,
    /// `facets.byAttr`: attribute name → every index key it is a composite of, in
    /// index order. Non-composite-eligible types listed here are refused (1008), and
    /// the list is kept on the attribute as [`Attribute::indexes`].
    ///
    /// [`Attribute::indexes`]: super::Attribute::indexes
    pub by_attr: IndexMap<String, Vec<CompositeRef>>,
    /// `facets.projections`: every attribute named in an array `projection`, with its
    /// access pattern; unknown names (other than the identifiers) are refused (1025).
    pub projections: Vec<ProjectionRef>,
    /// `facets.attributes`: every composite attribute of every index (pk then sk, in
    /// index order); names that are not attributes are refused (1003).
    pub attributes: Vec<CompositeRef>,
    /// `facets.labels[index][pk|sk].labels`: the parsed key template of each index
    /// key. Read for key field attributes with a template, to find their prefix and
    /// postfix.
    pub labels: IndexMap<String, IndexLabels>,
}

/// One key (pk or sk) of one index, as `facets.byField[field][index]` holds it.
#[derive(Clone, Debug, Default)]
pub struct KeyFieldDefinition {
    /// `type`: pk or sk.
    pub key_type: Option<KeyType>,
    /// `field`: the table field of the key.
    pub field: String,
    /// `facets`: the key's composite attribute names.
    pub facets: Vec<String>,
    /// `isCustom`: the key is defined with a `template`.
    pub is_custom: bool,
    /// `casing`: the key's casing option.
    pub casing: KeyCasing,
    /// `inCollection`: the index has a `collection`.
    pub in_collection: bool,
    /// `index`: the index name (`""` for the table index).
    pub index: String,
    /// `accessPattern`: the access pattern defining the index.
    pub access_pattern: String,
}

impl KeyFieldDefinition {
    pub(crate) fn type_str(&self) -> &'static str {
        self.key_type.map(KeyType::as_str).unwrap_or("undefined")
    }
}

/// `facets.byIndex[index]`, reduced to what the schema reads.
#[derive(Clone, Debug, Default)]
pub struct IndexFacets {
    /// `all`: the index's composite attributes, pk then sk.
    pub all: Vec<CompositeRef>,
}

/// One composite attribute of one index key (`{name, index, type, next}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositeRef {
    /// The attribute name.
    pub name: String,
    /// The index name (`""` for the table index).
    pub index: String,
    /// Which key of the index.
    pub key_type: KeyType,
}

/// One attribute of an array `projection` (`{name, accessPattern}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectionRef {
    /// The projected attribute name.
    pub name: String,
    /// The access pattern whose index projects it.
    pub access_pattern: String,
}

/// `facets.labels[index]`: the parsed templates of an index's keys.
#[derive(Clone, Debug, Default)]
pub struct IndexLabels {
    /// The pk's template parts.
    pub pk: Vec<TemplateLabel>,
    /// The sk's template parts.
    pub sk: Vec<TemplateLabel>,
}

impl IndexLabels {
    pub(crate) fn for_key(&self, key_type: Option<KeyType>) -> &[TemplateLabel] {
        match key_type {
            Some(KeyType::Pk) => &self.pk,
            Some(KeyType::Sk) => &self.sk,
            None => &[],
        }
    }
}

/// One part of a parsed key template: the literal text before an attribute
/// reference, and the attribute's name (`""` for trailing text).
/// `"prefix_${id}_postfix"` parses to `[{name: "id", label: "prefix_"},
/// {name: "", label: "_postfix"}]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateLabel {
    /// The attribute referenced (`""` when none).
    pub name: String,
    /// The literal text before it (`""` when none).
    pub label: String,
}
