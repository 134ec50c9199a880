//! The entity model: everything ElectroDB derives from a model definition, computed
//! once so that building params does no schema analysis per call.

mod best_match;
mod facets;
mod fixings;
mod index;
mod indexes;
mod load;
mod schema_facets;
mod shape;
mod template;

use std::collections::HashSet;

use electro_expr::FastMap;
use indexmap::IndexMap;

pub use facets::{FacetRef, Facets, IndexFacets};
pub use fixings::ModelVersion;
pub(crate) use index::by_index_name;
pub use index::{
    Casing, Collection, CompositeNames, IndexCondition, IndexDef, IndexFixings, IndexType, KeyCast,
    KeyDef, KeyFixings, KeyType, Label, Projection, TABLE_INDEX, same_index,
};
pub(crate) use indexes::comma_separated;
pub use load::ModelOptions;

use crate::schema::AttributeSchema;

/// The attribute names ElectroDB stores on every item to know which entity (and
/// version) wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identifiers {
    /// The entity-name attribute, `__edb_e__` by default.
    pub entity: String,
    /// The entity-version attribute, `__edb_v__` by default.
    pub version: String,
}

impl Default for Identifiers {
    fn default() -> Self {
        Identifiers {
            entity: "__edb_e__".into(),
            version: "__edb_v__".into(),
        }
    }
}

/// One entity's model, parsed and precomputed.
#[derive(Debug)]
pub struct Model {
    /// The service (application) name, the first part of partition keys.
    pub service: String,
    /// The entity name.
    pub entity: String,
    /// The entity version.
    pub version: String,
    /// Which of ElectroDB's model shapes this came from.
    pub model_version: ModelVersion,
    /// The table named by the model, if any.
    pub table: Option<crate::Name>,
    /// Identifier attribute names.
    pub identifiers: Identifiers,
    /// The attributes.
    pub schema: AttributeSchema,
    /// The access patterns, in definition order.
    pub indexes: Vec<IndexDef>,
    /// Access pattern name → position in `indexes`.
    pub access_patterns: FastMap<String, usize>,
    /// Index name → position in `indexes`.
    pub index_positions: FastMap<String, usize>,
    /// Index name → key fixings.
    pub fixings: FastMap<String, IndexFixings>,
    /// Composite lookups.
    pub facets: Facets,
    /// Collection names, in definition order.
    pub collections: Vec<String>,
    /// Sub-collection → the collections it is under (itself last).
    pub sub_collections: IndexMap<String, Vec<String>>,
    /// Collection → index name.
    pub collection_to_index: IndexMap<String, String>,
    /// Access patterns of clustered indexes.
    pub clustered_indexes: HashSet<String>,
    /// Index names of composite (multi-attribute key) indexes.
    pub composite_indexes: HashSet<String>,
    /// The model as given, for services that compare definitions.
    pub original: serde_json::Value,
    /// Collection → the sort key a collection query begins with (`$collection` or
    /// `$collection#sub`, cased), made once when the model loads.
    pub(crate) collection_sks: IndexMap<String, crate::Name>,
    /// How a put builds its item by position, when the model allows (made once
    /// when the model loads).
    pub(crate) put_plan: Option<crate::entity::put_plan::PutPlan>,
    /// How an update writes its names and values by slot, when the model allows
    /// (made once when the model loads).
    pub(crate) update_plan: Option<crate::entity::update_plan::UpdatePlan>,
    /// The key conditions of `patch`, `remove` and `create`, rendered once when the
    /// model loads.
    pub(crate) primary_conditions: crate::entity::primary_conditions::PrimaryConditions,
    /// Which keys an update rebuilds, by index position, when the model allows
    /// (made once when the model loads).
    pub(crate) update_keys_plan: Option<crate::entity::update_keys_plan::UpdateKeysPlan>,
}

impl Model {
    /// The access pattern of the table index.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.table_index().access_pattern, "animal");
    /// ```
    pub fn table_index(&self) -> &IndexDef {
        // Loading refuses a model without a table index, so the lookup always hits.
        let i = self.index_position(TABLE_INDEX).unwrap_or(0);
        &self.indexes[i]
    }

    /// The access pattern using a DynamoDB index name.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.index_by_name("gsi2pk-gsi2sk-index").unwrap().access_pattern, "farm");
    /// ```
    pub fn index_by_name(&self, index: &str) -> Option<&IndexDef> {
        self.index_position(index).map(|i| &self.indexes[i])
    }

    /// The position in `indexes` of the access pattern using a DynamoDB index name
    /// (`""` for the table), without comparing empty names (see [`same_index`]).
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.index_position(""), Some(0));
    /// assert!(model.index_position("nope").is_none());
    /// ```
    pub fn index_position(&self, index: &str) -> Option<usize> {
        by_index_name(&self.index_positions, index).copied()
    }

    /// The access pattern by its name.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.index_by_access_pattern("exhibit").unwrap().index, "gsi1pk-gsi1sk-index");
    /// assert!(model.index_by_access_pattern("nope").is_none());
    /// ```
    pub fn index_by_access_pattern(&self, access_pattern: &str) -> Option<&IndexDef> {
        self.access_patterns
            .get(access_pattern)
            .map(|&i| &self.indexes[i])
    }

    /// Every collection's sort-key prefix, as [`Model::collection_sks`] keeps it:
    /// none for collections on an index with a custom (template) sort key.
    fn collection_sort_keys(&self) -> IndexMap<String, crate::Name> {
        let mut out = IndexMap::new();
        for (collection, subs) in &self.sub_collections {
            let Some(index) = self.collection_to_index.get(collection) else {
                continue;
            };
            if self.fixings_of(index).is_some_and(|f| f.sk.is_custom) {
                continue;
            }
            let casing = self
                .index_by_name(index)
                .map(|i| i.sk_casing())
                .unwrap_or_default();
            let prefix = casing.apply(&fixings::collection_prefix(subs));
            out.insert(collection.clone(), prefix.into());
        }
        out
    }

    /// The fixings of an index.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert!(model.fixings_of("gsi1pk-gsi1sk-index").is_some());
    /// assert!(model.fixings_of("no-such-index").is_none());
    /// ```
    pub fn fixings_of(&self, index: &str) -> Option<&IndexFixings> {
        by_index_name(&self.fixings, index)
    }

    /// The table fields of the primary key: partition key and, if any, sort key.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.primary_key_fields(), ("pk", Some("sk")));
    /// ```
    pub fn primary_key_fields(&self) -> (&str, Option<&str>) {
        let t = self.table_index();
        (t.pk.field.as_str(), t.sk_field())
    }

    /// The key fields of an index.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// assert_eq!(model.key_fields("gsi2pk-gsi2sk-index"), Some(("gsi2pk", Some("gsi2sk"))));
    /// ```
    pub fn key_fields(&self, index: &str) -> Option<(&str, Option<&str>)> {
        self.index_by_name(index)
            .map(|i| (i.pk.field.as_str(), i.sk_field()))
    }
}
