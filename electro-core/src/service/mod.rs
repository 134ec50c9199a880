//! Services: entities joined under aliases (a port of ElectroDB's `Service`), the
//! collections they form, and transactions across them.
//!
//! Joining checks what the reference checks: the service names agree, and the
//! members of each collection use the same index, type, table, partition-key
//! composites, labels, casing and projection, with compatible shared attributes.
//! Each failure is error 1013 (`InvalidJoin`).
//!
//! ```
//! use electro_core::{item, service::Service};
//! let svc = electro_core::service::doc_service();
//! let p = svc.collection("contributions", item! {"employeeId" => "Jim"})
//!     .params_json()
//!     .unwrap();
//! assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$contributions");
//! ```

pub(crate) mod attributes;
mod collection;
pub mod go;
mod join;

use std::sync::Arc;

use electro_expr::ExpressionState;
use indexmap::IndexMap;

pub use collection::CollectionQuery;

use crate::entity::Entity;
use crate::entity::chain::CustomExpressions;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexDef, IndexType};
use crate::schema::{Attribute, AttributeSchema};
use crate::transaction::{TransactGet, TransactItem, TransactWrite};
use crate::{Map, Value};
use join::CollectionKeys;

/// Entities joined under aliases, with their collections. Build one with
/// [`Service::new`] or [`Service::from_entities`]. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Service {
    name: String,
    table: Option<String>,
    entities: IndexMap<String, Entity>,
    collections: IndexMap<String, Arc<CollectionSchema>>,
}

/// A [`Service`] being joined; the first failed join is reported by
/// [`ServiceBuilder::build`].
#[derive(Debug)]
pub struct ServiceBuilder {
    service: Service,
    schemas: IndexMap<String, CollectionSchema>,
    pending: Vec<(String, Entity)>,
    error: Option<Error>,
}

/// What a service knows about one collection (ElectroDB's `collectionSchema`).
#[derive(Clone, Debug)]
pub(crate) struct CollectionSchema {
    pub name: String,
    pub members: IndexMap<String, Entity>,
    pub keys: Option<CollectionKeys>,
    pub attributes: electro_expr::FastMap<String, Attribute>,
    pub identifiers: ExpressionState,
    pub identity: String,
    pub index_type: Option<IndexType>,
    pub table: Option<Option<String>>,
    pub collection: Vec<String>,
    pub has_sub_collections: bool,
    pub merged: Arc<AttributeSchema>,
    /// [`CollectionSchema::identity_expressions`], rendered once when the service
    /// is built: every collection query adds the same filter.
    pub identity_filter: Arc<CustomExpressions>,
    /// The collection index's partition and sort composites, shared by every
    /// query of the collection (set when the service is built).
    pub composites: Option<Arc<crate::model::CompositeNames>>,
}

impl CollectionSchema {
    fn new(name: &str) -> CollectionSchema {
        CollectionSchema {
            name: name.to_string(),
            members: IndexMap::new(),
            keys: None,
            attributes: electro_expr::FastMap::default(),
            identifiers: ExpressionState::with_prefix("_c"),
            identity: String::new(),
            index_type: None,
            table: None,
            collection: Vec::new(),
            has_sub_collections: false,
            merged: Arc::new(AttributeSchema::default()),
            identity_filter: Arc::default(),
            composites: None,
        }
    }

    /// The identity filter over every member, as collection queries add it.
    pub(crate) fn identity_expressions(&self) -> CustomExpressions {
        let names = self
            .identifiers
            .names()
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let values = self
            .identifiers
            .values()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let expression = if self.members.len() > 1 {
            format!("({})", self.identity)
        } else {
            self.identity.clone()
        };
        CustomExpressions {
            names,
            values,
            expression,
        }
    }
}

fn join_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidJoin, message)
}

impl Service {
    /// Starts a service named `name` (the `service` of its members' models).
    ///
    /// ```
    /// use electro_core::service::Service;
    /// let tasks = electro_core::service::doc_entities().remove(1).1;
    /// let svc = Service::new("taskapp").table("work").join("tasks", tasks).build().unwrap();
    /// assert_eq!(svc.name(), "taskapp");
    /// assert!(Service::new("").build().is_err());
    /// ```
    #[allow(clippy::new_ret_no_self)] // ElectroDB's `new Service(name)`; `build()` ends the joins
    pub fn new(name: impl Into<String>) -> ServiceBuilder {
        let name = name.into();
        let error = if name.is_empty() {
            Some(join_error(
                "Invalid service name: \"\". Service name must have length greater than zero",
            ))
        } else {
            None
        };
        ServiceBuilder {
            service: Service {
                name,
                table: None,
                entities: IndexMap::new(),
                collections: IndexMap::new(),
            },
            schemas: IndexMap::new(),
            pending: Vec::new(),
            error,
        }
    }

    /// A service over `(alias, entity)` pairs, named after the first model with a
    /// service name, as ElectroDB's `new Service({alias: entity, ...})`.
    ///
    /// ```
    /// use electro_core::service::{doc_entities, Service};
    /// let svc = Service::from_entities(doc_entities()).table("work").build().unwrap();
    /// assert_eq!(svc.aliases().collect::<Vec<_>>(), ["employees", "tasks"]);
    /// ```
    pub fn from_entities<I, S>(entities: I) -> ServiceBuilder
    where
        I: IntoIterator<Item = (S, Entity)>,
        S: Into<String>,
    {
        let entities: Vec<(String, Entity)> =
            entities.into_iter().map(|(a, e)| (a.into(), e)).collect();
        let name = entities
            .iter()
            .map(|(_, e)| e.model().service.clone())
            .find(|s| !s.is_empty());
        match name {
            Some(name) => {
                let mut b = Service::new(name);
                b.pending = entities;
                b
            }
            None => {
                let mut b = Service::new("?");
                b.error = Some(join_error(
                    "Invalid service name: Entities/Models provided do not contain property for Service Name",
                ));
                b
            }
        }
    }

    /// The service name.
    ///
    /// ```
    /// let svc = electro_core::service::doc_service();
    /// assert_eq!(svc.name(), "taskapp");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table every member uses, when the service sets one.
    ///
    /// ```
    /// let svc = electro_core::service::doc_service();
    /// assert_eq!(svc.table_name(), Some("work"));
    /// ```
    pub fn table_name(&self) -> Option<&str> {
        self.table.as_deref()
    }

    /// The member joined under `alias` (error 1013 when there is none).
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.entity("tasks").unwrap()
    ///     .get(item! {"projectId" => "p1", "taskId" => "t1"})
    ///     .params_json().unwrap();
    /// assert_eq!(p["TableName"], "work");
    /// assert_eq!(p["Key"]["sk"], "$overview#tasks_1#taskid_t1");
    /// assert_eq!(svc.entity("nobody").unwrap_err().code(), 1013);
    /// ```
    pub fn entity(&self, alias: &str) -> Result<&Entity> {
        self.entities.get(alias).ok_or_else(|| {
            join_error(format!(
                "No entity is joined to the service \"{}\" under the alias \"{alias}\"",
                self.name
            ))
        })
    }

    /// The aliases, in join order.
    ///
    /// ```
    /// let svc = electro_core::service::doc_service();
    /// assert_eq!(svc.aliases().count(), 2);
    /// ```
    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.entities.keys().map(String::as_str)
    }

    /// The collection names, in the order they were first joined.
    ///
    /// ```
    /// let svc = electro_core::service::doc_service();
    /// assert_eq!(svc.collection_names().collect::<Vec<_>>(), ["contributions", "overview"]);
    /// ```
    pub fn collection_names(&self) -> impl Iterator<Item = &str> {
        self.collections.keys().map(String::as_str)
    }

    /// A query over a collection: every member's items under the partition key
    /// built from `composites`, each member's identity filtered for. An unknown
    /// collection fails at `.params()`.
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.collection("contributions", item! {"employeeId" => "Jim"})
    ///     .where_(|a, op| op.eq(&a.get("title"), "Pranks"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and begins_with(#sk1, :sk1)");
    /// assert_eq!(p["FilterExpression"], "((#__edb_e__ = :__edb_e___employees_c0 AND #__edb_v__ = :__edb_v___employees_c0) OR (#__edb_e__ = :__edb_e___tasks_c0 AND #__edb_v__ = :__edb_v___tasks_c0)) AND #title = :title0");
    /// assert_eq!(p["ExpressionAttributeValues"][":pk"], "$taskapp#employeeid_jim");
    /// ```
    pub fn collection(&self, name: &str, composites: Map) -> CollectionQuery {
        match self.collections.get(name) {
            Some(schema) => CollectionQuery::new(schema, &composites),
            None => CollectionQuery::invalid(name),
        }
    }

    /// A write transaction from the operations `f` commits: `f` gets the service
    /// and returns each operation's [`TransactItem`] (from `.commit()`).
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.transaction_write(|s| Ok(vec![
    ///     s.entity("tasks")?.delete(item! {"projectId" => "p1", "taskId" => "t1"}).commit(),
    ///     s.entity("employees")?.check(item! {"employeeId" => "Jim"})
    ///         .where_(|a, op| op.exists(&a.get("name"))).commit(),
    /// ])).params_json().unwrap();
    /// assert_eq!(p["TransactItems"][0]["Delete"]["Key"]["pk"], "$taskapp#projectid_p1");
    /// assert_eq!(p["TransactItems"][1]["ConditionCheck"]["ConditionExpression"], "attribute_exists(#name)");
    /// ```
    pub fn transaction_write<F>(&self, f: F) -> TransactWrite
    where
        F: FnOnce(&Service) -> Result<Vec<TransactItem>>,
    {
        match f(self) {
            Ok(items) => TransactWrite::new().items(items),
            Err(e) => TransactWrite::failed(e),
        }
    }

    /// A get transaction from the `get`s `f` commits.
    ///
    /// ```
    /// use electro_core::item;
    /// let svc = electro_core::service::doc_service();
    /// let p = svc.transaction_get(|s| Ok(vec![
    ///     s.entity("employees")?.get(item! {"employeeId" => "Jim"}).commit(),
    /// ])).params_json().unwrap();
    /// assert_eq!(p["TransactItems"][0]["Get"]["Key"]["sk"], "$employees_1");
    /// ```
    pub fn transaction_get<F>(&self, f: F) -> TransactGet
    where
        F: FnOnce(&Service) -> Result<Vec<TransactItem>>,
    {
        match f(self) {
            Ok(items) => TransactGet::new().items(items),
            Err(e) => TransactGet::failed(e),
        }
    }
}

impl ServiceBuilder {
    /// Puts every member in `table` (ElectroDB's service `table` option).
    ///
    /// ```
    /// let svc = electro_core::service::Service::from_entities(electro_core::service::doc_entities())
    ///     .table("other").build().unwrap();
    /// assert_eq!(svc.entity("tasks").unwrap().table_name(), Some("other"));
    /// ```
    pub fn table(mut self, table: impl Into<String>) -> ServiceBuilder {
        self.service.table = Some(table.into());
        self
    }

    /// Joins `entity` under `alias`, checking it against the members of each of its
    /// collections.
    ///
    /// ```
    /// use electro_core::{entity::Entity, service::{doc_entities, Service}};
    /// let other = Entity::from_json(r#"{"model": {"entity": "x", "version": "1", "service": "shop"},
    ///   "attributes": {"id": {"type": "string"}},
    ///   "indexes": {"main": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap();
    /// let err = Service::new("taskapp").join("x", other).build().unwrap_err();
    /// assert_eq!(err.code(), 1013);
    /// ```
    pub fn join(mut self, alias: impl Into<String>, entity: Entity) -> ServiceBuilder {
        self.pending.push((alias.into(), entity));
        self
    }

    /// The service, or the first join's error.
    ///
    /// ```
    /// let svc = electro_core::service::Service::from_entities(electro_core::service::doc_entities())
    ///     .build().unwrap();
    /// assert_eq!(svc.collection_names().count(), 2);
    /// ```
    pub fn build(mut self) -> Result<Service> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let pending = std::mem::take(&mut self.pending);
        for (alias, entity) in pending {
            self.join_one(alias, entity)?;
        }
        let mut service = self.service;
        for (name, mut schema) in self.schemas {
            let schemas: Vec<&AttributeSchema> =
                schema.members.values().map(|e| &e.model().schema).collect();
            schema.merged = Arc::new(attributes::merge_schemas(&schemas));
            schema.identity_filter = Arc::new(schema.identity_expressions());
            schema.composites = schema
                .keys
                .as_ref()
                .map(|k| Arc::new((k.pk.facets.clone(), k.sk_facets())));
            service.collections.insert(name, Arc::new(schema));
        }
        Ok(service)
    }

    fn join_one(&mut self, alias: String, entity: Entity) -> Result<()> {
        let service = &self.service.name;
        if service.to_lowercase() != entity.model().service.to_lowercase() {
            return Err(join_error(format!(
                "Service name defined on joined instance, {}, does not match the name of this Service: {service}. Verify or update the service name on the Entity/Model to match the name defined on this service.",
                entity.model().service
            )));
        }
        let entity = match &self.service.table {
            Some(t) => entity.table(t.clone()),
            None => entity,
        };
        self.service.entities.insert(alias.clone(), entity.clone());
        for collection in &entity.model().collections {
            self.add_collection_entity(collection, &alias, &entity)?;
        }
        Ok(())
    }

    /// `_addCollectionEntity`.
    fn add_collection_entity(
        &mut self,
        collection: &str,
        alias: &str,
        entity: &Entity,
    ) -> Result<()> {
        let model = entity.model();
        let provided: Option<&IndexDef> = model
            .indexes
            .iter()
            .find(|i| i.collection.names().iter().any(|c| c == collection));
        let Some(provided) = provided else {
            return Err(join_error(format!(
                "Entity with name '{alias}' does not have collection {collection} defined on it's model"
            )));
        };
        let schema = self
            .schemas
            .entry(collection.to_string())
            .or_insert_with(|| CollectionSchema::new(collection));
        let provided_type = provided.index_type;
        match schema.index_type {
            None => schema.index_type = Some(provided_type),
            Some(t) if t != provided_type => {
                return Err(join_error(format!(
                    "Index type mismatch on collection {collection}. The entity {alias} defines the index as type {} while the established type for that index is {}. Note that when omitted, indexes default to the type \"isolated\"",
                    provided_type.as_str(),
                    t.as_str()
                )));
            }
            Some(_) => {}
        }
        if schema.members.contains_key(alias) {
            return Err(join_error(format!(
                "Entity with name '{alias}' has already been joined to this service."
            )));
        }
        let table = entity.table_name().map(str::to_string);
        match &schema.table {
            Some(established) if *established != table => {
                return Err(join_error(format!(
                    "Entity with name '{alias}' is defined to use a different Table than what is defined on other Service Entities and/or the Service itself. Entity '{alias}' is defined with table name '{}' but the Service has been defined to use table name '{}'. All Entities in a Service must reference the same DynamoDB table. To ensure all Entities will use the same DynamoDB table, it is possible to apply the property 'table' to the Service constructor's configuration parameter.",
                    table.as_deref().unwrap_or("undefined"),
                    established.as_deref().unwrap_or("undefined")
                )));
            }
            Some(_) => {}
            None => schema.table = Some(table),
        }
        let provided_keys = CollectionKeys::from_index(provided);
        let keys = join::process_keys(alias, schema.keys.as_ref(), &provided_keys)?;
        join::process_attributes(
            alias,
            &mut schema.attributes,
            model.schema.attributes(),
            &keys.pk.facets,
        )?;
        schema.keys = Some(keys);
        schema.members.insert(alias.to_string(), entity.clone());
        // `applyIdentifierExpressionState`.
        let ids = &model.identifiers;
        let name_ref = schema.identifiers.set_name(None, &ids.entity, &ids.entity);
        let version_ref = schema
            .identifiers
            .set_name(None, &ids.version, &ids.version);
        let name_val = schema.identifiers.set_value(
            &format!("{}_{alias}", ids.entity),
            Value::String(model.entity.as_str().into()),
        );
        let version_val = schema.identifiers.set_value(
            &format!("{}_{alias}", ids.version),
            Value::String(model.version.as_str().into()),
        );
        let expression = format!(
            "({} = {name_val} AND {} = {version_val})",
            name_ref.expression, version_ref.expression
        );
        schema.identity = [schema.identity.trim(), expression.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" OR ");
        let slot = join::process_sub_collections(
            provided_type,
            &schema.collection,
            provided.collection.names(),
            alias,
            collection,
        )?;
        if schema.collection.len() <= slot {
            schema.collection.resize(slot + 1, String::new());
        }
        schema.collection[slot] = collection.to_string();
        schema.has_sub_collections |=
            matches!(provided.collection, crate::model::Collection::Many(_));
        Ok(())
    }
}

/// Two members of the corpus's task service, for documentation examples.
#[doc(hidden)]
pub fn doc_entities() -> Vec<(&'static str, Entity)> {
    const EMPLOYEES: &str = r#"{
      "model": {"entity": "employees", "version": "1", "service": "taskapp"},
      "attributes": {"employeeId": {"type": "string"}, "name": {"type": "string"}},
      "indexes": {
        "staff": {"pk": {"field": "pk", "composite": ["employeeId"]}, "sk": {"field": "sk", "composite": []}},
        "employee": {"collection": "contributions", "index": "gsi2",
          "pk": {"field": "gsi2pk", "composite": ["employeeId"]}, "sk": {"field": "gsi2sk", "composite": []}}
      }
    }"#;
    const TASKS: &str = r#"{
      "model": {"entity": "tasks", "version": "1", "service": "taskapp"},
      "attributes": {"taskId": {"type": "string"}, "projectId": {"type": "string"},
        "employeeId": {"type": "string"}, "title": {"type": "string"}},
      "indexes": {
        "project": {"collection": "overview", "pk": {"field": "pk", "composite": ["projectId"]}, "sk": {"field": "sk", "composite": ["taskId"]}},
        "assigned": {"collection": "contributions", "index": "gsi2",
          "pk": {"field": "gsi2pk", "composite": ["employeeId"]}, "sk": {"field": "gsi2sk", "composite": ["projectId"]}}
      }
    }"#;
    let load = |m: &str| match Entity::from_json(m) {
        Ok(e) => e,
        Err(e) => unreachable!("the documentation models are valid: {e}"),
    };
    vec![("employees", load(EMPLOYEES)), ("tasks", load(TASKS))]
}

/// The documentation service: [`doc_entities`] in table `work`.
#[doc(hidden)]
pub fn doc_service() -> Service {
    match Service::from_entities(doc_entities()).table("work").build() {
        Ok(s) => s,
        Err(e) => unreachable!("the documentation service joins: {e}"),
    }
}
