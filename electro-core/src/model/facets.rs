//! Lookups over the composite attributes of every index, computed once per model.
//!
//! ElectroDB answers "which keys does this attribute feed?" and "which index best
//! fits these attributes?" from these tables on every write and `find`/`match`.

use electro_expr::FastMap;

use super::index::{Casing, IndexType, KeyType};

/// One use of an attribute in a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetRef {
    /// The index name.
    pub index: String,
    /// The attribute.
    pub name: String,
    /// Which key of the index.
    pub key_type: KeyType,
    /// The next composite attribute of the index (partition then sort key), or `""`.
    pub next: String,
    /// The index's layout.
    pub index_type: IndexType,
    /// The position of the index's access pattern in the model.
    pub position: usize,
}

/// The composite attributes of one index.
#[derive(Clone, Debug, Default)]
pub struct IndexFacets {
    /// Partition-key composite attributes.
    pub pk: Vec<String>,
    /// Sort-key composite attributes.
    pub sk: Vec<String>,
    /// Both, partition key first, with their key type.
    pub all: Vec<(KeyType, String)>,
    /// The index's layout.
    pub index_type: IndexType,
    /// Whether the index has a sort key.
    pub has_sort_keys: bool,
    /// Whether the index is in sub-collections (an array collection).
    pub has_sub_collections: bool,
    /// Partition-key casing.
    pub pk_casing: Casing,
    /// Sort-key casing.
    pub sk_casing: Casing,
}

/// All composite lookups of a model.
#[derive(Clone, Debug, Default)]
pub struct Facets {
    /// Attribute → each key it feeds.
    pub by_attr: FastMap<String, Vec<FacetRef>>,
    /// Index name → its composites.
    pub by_index: FastMap<String, IndexFacets>,
    /// `by_slot[j][i]`: the j-th composite of the i-th access pattern.
    pub by_slot: Vec<Vec<Option<FacetRef>>>,
    /// Key fields of every index.
    pub fields: Vec<String>,
    /// Attribute names in INCLUDE projections, with their access pattern.
    pub projections: Vec<(String, String)>,
}

impl Facets {
    /// The composites of an index by its name (`""`: the table), without comparing
    /// empty names (see [`same_index`](super::same_index)).
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let facets = zoo.model().facets.of_index("").unwrap();
    /// assert_eq!(facets.pk, ["animal"]);
    /// ```
    pub fn of_index(&self, index: &str) -> Option<&IndexFacets> {
        super::by_index_name(&self.by_index, index)
    }
}
