//! Collection queries: ElectroDB's `service.collections.<name>(composites)`, the
//! `collection` and `clusteredCollection` clauses (`handleNonIsolatedCollection`).
//!
//! The query is built on the collection's first member, with the partition-key
//! composites every member shares, the sort-key composites they share in order,
//! the attributes of every member for `where`, and an identity filter that keeps
//! each member's items.

use std::sync::Arc;

use super::CollectionSchema;
use crate::Map;
use crate::entity::chain::{Chain, Deferred, Method, QueryType};
use crate::entity::{Attributes, Options, Params, Query, WhereOps};
use crate::error::{Error, ErrorCode, Result};
use crate::model::IndexType;

/// A collection query being built (see [`super::Service::collection`]).
pub struct CollectionQuery {
    query: std::result::Result<Query, Error>,
    clustered: bool,
    /// The collection's members, for `.go()` to sort and format what it reads.
    pub(crate) schema: Option<Arc<CollectionSchema>>,
}

impl CollectionQuery {
    pub(crate) fn new(schema: &Arc<CollectionSchema>, composites: &Map) -> CollectionQuery {
        let Some((_, first)) = schema.members.first() else {
            return CollectionQuery::invalid(&schema.name);
        };
        let keys = schema.keys.as_ref();
        let index = keys.map(|k| k.index.clone()).unwrap_or_default();
        let mut c = Chain::new(Arc::clone(&first.model), first.table.clone(), &index);
        c.collection_attributes = Some(Arc::clone(&schema.merged));
        c.composite_override = schema.composites.clone();
        c.identifiers_for_collection = Some(Arc::clone(&schema.identity_filter));
        c.options.get_or_insert_default().is_collection_query = true;
        let index_type = schema.index_type.unwrap_or_default();
        // Collection queries tell the chain their index type (clustered collections
        // build keys without the entity postfix).
        c.index_type = index_type;
        let clustered = matches!(index_type, IndexType::Clustered | IndexType::Composite);
        let name = schema.name.clone();
        c.run(|c| {
            let names = c.composite_attributes();
            let (pk, sk) = (&names.0, &names.1);
            c.query_type = match index_type {
                IndexType::Isolated => QueryType::Collection,
                IndexType::Clustered => QueryType::ClusteredCollection,
                IndexType::Composite => QueryType::CompositeCollection,
            };
            c.method = Method::Query;
            c.collection = name;
            c.set_pk(Chain::expect_facets(composites, pk)?);
            let has_sk = c.index_def().is_some_and(|i| i.has_sk());
            if clustered && has_sk {
                let (composites, unused) = Chain::identify_composites(composites, sk, pk);
                c.set_sk(composites.clone());
                let mut all = unused;
                for (k, v) in composites {
                    all.insert(k, v);
                }
                c.before_build.push(Deferred::CollectionCompare {
                    all,
                    sk_len: sk.len(),
                });
            }
            c.after_options.push(Deferred::CollectionOwnership);
            Ok(())
        });
        CollectionQuery {
            query: Ok(Query(c)),
            clustered,
            schema: Some(Arc::clone(schema)),
        }
    }

    pub(crate) fn invalid(name: &str) -> CollectionQuery {
        CollectionQuery {
            query: Err(Error::new(
                ErrorCode::InvalidQueryParameters,
                format!("Invalid collection: {name}"),
            )),
            clustered: false,
            schema: None,
        }
    }

    /// A FilterExpression from a callback over the attributes of every member.
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.collection("overview", item! {"projectId" => "p1"})
    ///     .where_(|a, op| op.begins(&a.get("title"), "Q"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "(#__edb_e__ = :__edb_e___tasks_c0 AND #__edb_v__ = :__edb_v___tasks_c0) AND begins_with(#title, :title0)");
    /// ```
    pub fn where_<F>(mut self, callback: F) -> Self
    where
        F: for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a WhereOps<'s, 'b, 'm>) -> String,
    {
        if let Ok(q) = &mut self.query {
            q.0.apply_where(callback);
        }
        self
    }

    fn sort_key(mut self, f: impl FnOnce(Query) -> Query) -> Self {
        self.query = match self.query {
            Ok(q) if self.clustered => Ok(f(q)),
            Ok(mut q) => {
                q.0.fail(Error::new(
                    ErrorCode::InvalidQueryParameters,
                    "Sort key conditions apply to clustered collections only",
                ));
                Ok(q)
            }
            Err(e) => Err(e),
        };
        self
    }

    /// Clustered collections: sort key between two sets of shared composites.
    /// Isolated collections have no sort-key conditions: this fails at `.params()`.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).between(item! {"projectId" => "a"}, item! {"projectId" => "m"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn between(self, start: Map, end: Map) -> Self {
        self.sort_key(|q| q.between(start, end))
    }

    /// Clustered collections: sort key begins with these composites.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).begins(item! {"projectId" => "p"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn begins(self, composites: Map) -> Self {
        self.sort_key(|q| q.begins(composites))
    }

    /// Clustered collections: sort key greater than.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).gt(item! {"projectId" => "p"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn gt(self, composites: Map) -> Self {
        self.sort_key(|q| q.gt(composites))
    }

    /// Clustered collections: sort key greater than or equal.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).gte(item! {"projectId" => "p"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn gte(self, composites: Map) -> Self {
        self.sort_key(|q| q.gte(composites))
    }

    /// Clustered collections: sort key less than.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).lt(item! {"projectId" => "p"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn lt(self, composites: Map) -> Self {
        self.sort_key(|q| q.lt(composites))
    }

    /// Clustered collections: sort key less than or equal.
    ///
    /// ```
    /// # let svc = electro_core::service::doc_service();
    /// use electro_core::item;
    /// // `contributions` is isolated: sort-key conditions are refused.
    /// let q = svc.collection("contributions", item! {"employeeId" => "Jim"}).lte(item! {"projectId" => "p"});
    /// assert!(q.params().is_err());
    /// ```
    pub fn lte(self, composites: Map) -> Self {
        self.sort_key(|q| q.lte(composites))
    }

    /// The Query params, with default options.
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.collection("contributions", item! {"employeeId" => "Pam"}).params().unwrap();
    /// assert_eq!(p.to_json()["IndexName"], "gsi2");
    /// ```
    pub fn params(self) -> Result<Params> {
        self.params_with(crate::entity::options::no_options())
    }

    /// The Query params with options (`table`, `limit`, `order`, `attributes`,
    /// `ignore_ownership`, `params`...).
    ///
    /// ```
    /// use electro_core::{entity::{Options, Order}, item};
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.collection("contributions", item! {"employeeId" => "Pam"})
    ///     .params_with(&Options::default().limit(5).order(Order::Desc).ignore_ownership(true))
    ///     .unwrap().to_json();
    /// assert_eq!(p["Limit"], 5);
    /// assert_eq!(p["ScanIndexForward"], false);
    /// assert!(p.get("FilterExpression").is_none());
    /// ```
    pub fn params_with(self, options: &Options) -> Result<Params> {
        self.query?.params_with(options)
    }

    /// The params as canonical JSON.
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.collection("overview", item! {"projectId" => "p1"}).params_json().unwrap();
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$overview");
    /// ```
    pub fn params_json(self) -> Result<serde_json::Value> {
        Ok(self.params()?.to_json())
    }
}
