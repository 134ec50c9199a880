//! Index definitions as ElectroDB normalises them: one per access pattern, with the
//! partition and sort key's field, composite attributes, labels, casing and cast.

use std::sync::Arc;

use crate::Map;

/// The name ElectroDB gives the table's own index (the primary index).
pub const TABLE_INDEX: &str = "";

/// Whether two index names are the same, the table index's empty name tested by
/// length.
///
/// Comparing two empty `&str`s still calls `memcmp`, on dangling pointers (an empty
/// string points at address 1); on the benchmark machine (AMD EPYC under a
/// hypervisor, glibc 2.36) each such call costs about 150 ns, as much as building
/// a whole key. Every operation looks the table index up by its name, so index
/// names are never compared with `==` on the hot path.
///
/// ```
/// use electro_core::model::same_index;
/// assert!(same_index("", ""));
/// assert!(same_index("gsi1", "gsi1"));
/// assert!(!same_index("", "gsi1"));
/// ```
#[inline]
pub fn same_index(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

/// An index-keyed map's entry for `index`, the table index found by scanning for
/// the empty name rather than by hashing and comparing it (see [`same_index`]).
pub(crate) fn by_index_name<'m, V, S: std::hash::BuildHasher>(
    map: &'m indexmap::IndexMap<String, V, S>,
    index: &str,
) -> Option<&'m V> {
    if index.is_empty() {
        map.iter().find(|(name, _)| name.is_empty()).map(|(_, v)| v)
    } else {
        map.get(index)
    }
}

/// Partition or sort key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Partition key.
    Pk,
    /// Sort key.
    Sk,
}

impl KeyType {
    /// `"pk"` or `"sk"`, as ElectroDB names them in messages.
    ///
    /// ```
    /// assert_eq!(electro_core::model::KeyType::Sk.as_str(), "sk");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Pk => "pk",
            KeyType::Sk => "sk",
        }
    }
}

/// How a key's text is cased. ElectroDB lowercases keys unless told otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Casing {
    /// Not given: lowercase.
    #[default]
    Default,
    /// Uppercase.
    Upper,
    /// Lowercase.
    Lower,
    /// As given.
    None,
}

impl Casing {
    /// Parses ElectroDB's casing option; unknown values count as not given, as in
    /// the reference.
    ///
    /// ```
    /// use electro_core::model::Casing;
    /// assert_eq!(Casing::parse(Some("upper")), Casing::Upper);
    /// assert_eq!(Casing::parse(Some("shouty")), Casing::Default);
    /// ```
    pub fn parse(s: Option<&str>) -> Casing {
        match s {
            Some("upper") => Casing::Upper,
            Some("lower") => Casing::Lower,
            Some("none") => Casing::None,
            _ => Casing::Default,
        }
    }

    /// The effective casing (`Default` is lowercase).
    ///
    /// ```
    /// use electro_core::model::Casing;
    /// assert_eq!(Casing::Default.effective(), Casing::Lower);
    /// ```
    pub fn effective(self) -> Casing {
        match self {
            Casing::Default => Casing::Lower,
            c => c,
        }
    }

    /// The option's name, as ElectroDB prints it.
    ///
    /// ```
    /// assert_eq!(electro_core::model::Casing::None.as_str(), "none");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Casing::Default => "default",
            Casing::Upper => "upper",
            Casing::Lower => "lower",
            Casing::None => "none",
        }
    }

    /// Applies the casing to a key.
    ///
    /// ```
    /// use electro_core::model::Casing;
    /// assert_eq!(Casing::Default.apply("$Zoo#Animal_Lion"), "$zoo#animal_lion");
    /// assert_eq!(Casing::None.apply("Lion"), "Lion");
    /// ```
    pub fn apply(self, key: &str) -> String {
        match self.effective() {
            Casing::Upper => key.to_uppercase(),
            Casing::None => key.to_string(),
            _ => key.to_lowercase(),
        }
    }

    /// Applies the casing in place, avoiding a copy when the text is ASCII.
    ///
    /// ```
    /// use electro_core::model::Casing;
    /// let mut key = String::from("$zoo#animal_lion");
    /// Casing::Upper.apply_in_place(&mut key);
    /// assert_eq!(key, "$ZOO#ANIMAL_LION");
    /// ```
    pub fn apply_in_place(self, key: &mut String) {
        match self.effective() {
            Casing::Upper => {
                if key.is_ascii() {
                    key.make_ascii_uppercase()
                } else {
                    *key = key.to_uppercase()
                }
            }
            Casing::None => {}
            _ => {
                if key.is_ascii() {
                    key.make_ascii_lowercase()
                } else {
                    *key = key.to_lowercase()
                }
            }
        }
    }
}

/// How the index's items are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IndexType {
    /// Each entity's items sit under their own sort-key prefix (the default).
    #[default]
    Isolated,
    /// Entities of a collection interleave under the collection prefix.
    Clustered,
    /// A multi-attribute key index: no key fields, keys are the attributes themselves.
    Composite,
}

impl IndexType {
    /// The option's name, as ElectroDB prints it.
    ///
    /// ```
    /// assert_eq!(electro_core::model::IndexType::Clustered.as_str(), "clustered");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            IndexType::Isolated => "isolated",
            IndexType::Clustered => "clustered",
            IndexType::Composite => "composite",
        }
    }
}

/// What a key is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCast {
    /// Text (the default).
    String,
    /// The single composite attribute's number.
    Number,
}

/// One piece of a key: the composite attribute and the text before its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The composite attribute's name (empty for a template's trailing text).
    pub name: String,
    /// The text written before the value: the attribute's label (or name) for
    /// composite keys, the literal text for templates.
    pub label: String,
}

/// A condition deciding whether an item belongs in a sparse index.
pub type IndexCondition = Arc<dyn Fn(&Map) -> bool + Send + Sync>;

/// One key (partition or sort) of an index.
#[derive(Clone, Debug)]
pub struct KeyDef {
    /// The access pattern the key belongs to.
    pub access_pattern: String,
    /// The DynamoDB index name (`""` for the table).
    pub index: String,
    /// Partition or sort key.
    pub key_type: KeyType,
    /// The table attribute holding the key.
    pub field: String,
    /// The composite attributes, in order.
    pub facets: Vec<String>,
    /// Whether the key is a template (`"${a}#x"`) rather than a composite list.
    pub is_custom: bool,
    /// The template text, if any.
    pub template: Option<String>,
    /// The labels, as resolved after attribute labels are known.
    pub labels: Vec<Label>,
    /// Key casing.
    pub casing: Casing,
    /// The `cast` option as given.
    pub cast: Option<String>,
    /// Whether the key field is itself an attribute of the entity.
    pub is_field_ref: bool,
}

/// The collection(s) an index belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Collection {
    /// None.
    #[default]
    None,
    /// `collection: "name"`.
    One(String),
    /// `collection: ["a", "b"]`: sub-collections.
    Many(Vec<String>),
}

impl Collection {
    /// The collection names, outermost first.
    ///
    /// ```
    /// use electro_core::model::Collection;
    /// let c = Collection::Many(vec!["overview".into(), "tasks".into()]);
    /// assert_eq!(c.names(), ["overview", "tasks"]);
    /// ```
    pub fn names(&self) -> &[String] {
        match self {
            Collection::None => &[],
            Collection::One(s) => std::slice::from_ref(s),
            Collection::Many(v) => v,
        }
    }

    /// Whether there is any collection.
    ///
    /// ```
    /// use electro_core::model::Collection;
    /// assert!(Collection::One("overview".into()).is_some() && !Collection::None.is_some());
    /// ```
    pub fn is_some(&self) -> bool {
        !matches!(self, Collection::None)
    }
}

/// The `projection` option of a secondary index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Projection {
    /// `"all"`.
    All,
    /// `"keys_only"`.
    KeysOnly,
    /// `["attr", ...]`: INCLUDE.
    Include(Vec<String>),
}

/// The partition and sort key composite attribute names of an index, shared so
/// that operations read them without copying.
pub type CompositeNames = (Vec<String>, Vec<String>);

/// An access pattern: its index and keys.
#[derive(Clone)]
pub struct IndexDef {
    /// The access pattern name.
    pub access_pattern: String,
    /// The DynamoDB index name (`""` for the table).
    pub index: String,
    /// The partition key.
    pub pk: KeyDef,
    /// The sort key, if the index has one.
    pub sk: Option<KeyDef>,
    /// Collection membership.
    pub collection: Collection,
    /// Index layout.
    pub index_type: IndexType,
    /// Partition-key scope text.
    pub scope: String,
    /// The sparse-index condition, if defined.
    pub condition: Option<IndexCondition>,
    /// The projection, if given.
    pub projection: Option<Projection>,
    /// Whether the entity identifiers are in an INCLUDE projection.
    pub identifiers_are_projected: bool,
    /// `(pk composites, sk composites)`, shared.
    pub composite_names: std::sync::Arc<CompositeNames>,
}

impl std::fmt::Debug for IndexDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexDef")
            .field("access_pattern", &self.access_pattern)
            .field("index", &self.index)
            .field("pk", &self.pk)
            .field("sk", &self.sk)
            .field("collection", &self.collection)
            .field("index_type", &self.index_type)
            .field("scope", &self.scope)
            .field("condition", &self.condition.is_some())
            .field("projection", &self.projection)
            .finish()
    }
}

impl IndexDef {
    /// Whether the index has a sort key.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert!(model.table_index().has_sk());
    /// ```
    pub fn has_sk(&self) -> bool {
        self.sk.is_some()
    }

    /// The sort key's composite attributes (empty without a sort key).
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.index_by_access_pattern("farm").unwrap().sk_facets(), ["keeper", "name"]);
    /// ```
    pub fn sk_facets(&self) -> &[String] {
        self.sk.as_ref().map(|s| s.facets.as_slice()).unwrap_or(&[])
    }

    /// The sort key's field, if any.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.index_by_access_pattern("exhibit").unwrap().sk_field(), Some("gsi1sk"));
    /// ```
    pub fn sk_field(&self) -> Option<&str> {
        self.sk.as_ref().map(|s| s.field.as_str())
    }

    /// The sort key's casing (default without a sort key).
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// use electro_core::model::Casing;
    /// assert_eq!(model.table_index().sk_casing(), Casing::Default);
    /// ```
    pub fn sk_casing(&self) -> Casing {
        self.sk.as_ref().map(|s| s.casing).unwrap_or_default()
    }

    /// Every composite attribute, partition key first.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// use electro_core::model::KeyType;
    /// let farm = model.index_by_access_pattern("farm").unwrap();
    /// let facets: Vec<_> = farm.all_facets().collect();
    /// assert_eq!(facets, [(KeyType::Pk, "habitat"), (KeyType::Sk, "keeper"), (KeyType::Sk, "name")]);
    /// ```
    pub fn all_facets(&self) -> impl Iterator<Item = (KeyType, &str)> {
        self.pk
            .facets
            .iter()
            .map(|f| (KeyType::Pk, f.as_str()))
            .chain(self.sk_facets().iter().map(|f| (KeyType::Sk, f.as_str())))
    }
}

/// The fixed text of one key: what precedes and follows the composite values.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFixings {
    /// Text before the first label (e.g. `$service` or `$entity_1`).
    pub prefix: String,
    /// Text after a complete key (clustered indexes).
    pub postfix: Option<String>,
    /// The key field.
    pub field: String,
    /// Key casing.
    pub casing: Casing,
    /// Whether the key is a template.
    pub is_custom: bool,
    /// Text or number.
    pub cast: KeyCast,
}

/// The fixings of both keys of an index.
#[derive(Clone, Debug)]
pub struct IndexFixings {
    /// Partition key.
    pub pk: KeyFixings,
    /// Sort key (its prefix is used for collection queries even without composites).
    pub sk: KeyFixings,
}
