//! Entities loaded from ElectroDB models, and the builders of every operation.
//!
//! ```
//! use electro_core::{entity::Entity, item};
//! let tasks = electro_core::entity::doc_entity();
//! let p = tasks.get(item! {"animal" => "lion", "name" => "Leo"}).params_json().unwrap();
//! assert_eq!(p["Key"]["pk"], "$zoo#animal_lion");
//! ```

pub(crate) mod chain;
mod clauses;
mod cursor_guard;
mod go;
mod impact;
mod inline_list;
mod key_template;
pub(crate) mod keys;
pub(crate) mod options;
mod params;
pub(crate) mod primary_conditions;
mod proxy;
pub(crate) mod put_plan;
pub(crate) mod update_keys_plan;
pub(crate) mod update_plan;

use std::cell::RefCell;
use std::sync::Arc;

use electro_expr::UpdateOp;

pub use go::{BatchResult, QueryResult};
pub use options::{Compare, DataFormat, Options, Order, Pager, Pages, Response};
pub use params::Built;
pub use proxy::{AttrRef, Attributes, WhereOps};

use chain::{Chain, Method, QueryType, UpsertOperation};
use proxy::ProxyState;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Model, ModelOptions, TABLE_INDEX};
use crate::schema::FunctionResolver;
use crate::{Map, Value};

/// An entity: a model plus the table it lives in. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Entity {
    pub(crate) model: Arc<Model>,
    pub(crate) table: Option<crate::Name>,
}

/// The DynamoDB call a params object is for: the same enum
/// [`Client::send`](crate::exec::Client::send) takes, so built params run as they are.
pub use crate::exec::Operation;

/// DocumentClient-style params for one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Which call they are for.
    pub operation: Operation,
    /// The params, keyed as the DocumentClient takes them (`TableName`, `Key`, ...).
    pub body: Map,
}

impl Params {
    /// The params as canonical JSON (sets as sorted `{"$set": [...]}`), to compare
    /// with what ElectroDB's `.params()` prints.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Operation, item};
    /// let p = e.get(item! {"animal" => "lion", "name" => "Leo"}).params().unwrap();
    /// assert_eq!(p.operation, Operation::Get);
    /// assert_eq!(p.to_json()["TableName"], "electro");
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        Value::Map(self.body.clone()).to_json()
    }
}

/// Operations of a `data` callback on an update: each applies an update operation
/// and returns its expression text.
///
/// ```
/// # let e = electro_core::entity::doc_entity();
/// let p = e.update(electro_core::item!{"animal" => "lion", "name" => "Leo"})
///     .data(|a, op| { op.set(&a.get("keeper"), "Zed"); op.remove(&a.get("habitat")); })
///     .params_json().unwrap();
/// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #keeper = :keeper_u0"));
/// ```
pub struct UpdateOps<'s, 'b, 'm> {
    pub(crate) state: &'s RefCell<ProxyState<'b, 'm>>,
}

macro_rules! update_ops {
    ($( $(#[$doc:meta])* $name:ident => $op:ident ( $($arg:ident),* ) ),* $(,)?) => {
        impl<'m> UpdateOps<'_, '_, 'm> {
            $(
                $(#[$doc])*
                pub fn $name(&self, attr: &AttrRef<'m> $(, $arg: impl Into<Value>)*) -> String {
                    self.state.borrow_mut().update_op(UpdateOp::$op, attr, [$($arg.into()),*])
                }
            )*
        }
    };
}

update_ops! {
    /// `SET #a = :v`: also reaches into maps and lists.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.set(&a.get("veterinarian").at("name"), "Herb"); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #veterinarian.#name = :name_u0"));
    /// ```
    set => Set(value),
    /// `ADD #a :v` (numbers and sets): atomic, no read needed.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"})
    ///     .data(|a, op| { op.add(&a.get("count"), 2); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("ADD #count :count_u0"));
    /// ```
    add => Add(value),
    /// `SET #a = (if_not_exists(#a, :d) - :v)`: a missing number counts as 0.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"})
    ///     .data(|a, op| { op.subtract(&a.get("count"), 2); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .starts_with("SET #count = (if_not_exists(#count, :count_default_value_u0) - :count_u0)"));
    /// ```
    subtract => Subtract(value),
    /// `SET #a = list_append(if_not_exists(#a, :d), :v)`: a missing list starts empty.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::Value;
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.append(&a.get("diet"), vec![Value::from("hay")]); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .starts_with("SET #diet = list_append(if_not_exists(#diet, :diet_default_value_u0), :diet_u0)"));
    /// ```
    append => Append(value),
    /// `DELETE #a :v`: removes members from a set.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// use electro_core::Value;
    /// let p = pen.update(electro_core::item! {"id" => "p1"})
    ///     .data(|a, op| { op.delete(&a.get("tags"), vec![Value::from("vip")]); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("DELETE #tags :tags_u0"));
    /// assert_eq!(p["ExpressionAttributeValues"][":tags_u0"]["$set"][0], "vip");
    /// ```
    delete => Delete(value),
    /// `REMOVE #a`: drops the attribute from the item.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.remove(&a.get("diet")); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("REMOVE #diet"));
    /// ```
    remove => Remove(),
    /// `SET #a = if_not_exists(#a, :v)`: sets a value only once.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::Value;
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.if_not_exists(&a.get("diet"), vec![Value::from("hay")]); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #diet = if_not_exists(#diet, :diet_u0)"));
    /// ```
    if_not_exists => IfNotExists(value),
    /// The attribute's path as an operand, e.g. to copy one attribute into another.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { let from = op.name(&a.get("habitat")); op.set(&a.get("keeper"), from); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #keeper = #habitat"));
    /// ```
    name => Name(),
    /// A value placeholder as an operand, checked against the attribute's type.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"})
    ///     .data(|a, op| { let v = op.value(&a.get("count"), 3); op.set(&a.get("count"), v); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #count = :count_u0"));
    /// assert_eq!(p["ExpressionAttributeValues"][":count_u0"], 3);
    /// ```
    value => Value(value),
}

impl<'m> UpdateOps<'_, '_, 'm> {
    /// `ADD #a :v` with a default for numbers (`SET #a = (if_not_exists(#a, :d) + :v)`):
    /// a missing counter starts at `default`.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"})
    ///     .data(|a, op| { op.add_with_default(&a.get("count"), 1, 5); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .starts_with("SET #count = (if_not_exists(#count, :count_u1) + :count_u0)"));
    /// ```
    pub fn add_with_default(
        &self,
        attr: &AttrRef<'m>,
        value: impl Into<Value>,
        default: impl Into<Value>,
    ) -> String {
        self.state
            .borrow_mut()
            .update_op(UpdateOp::Add, attr, [value.into(), default.into()])
    }

    /// Applies an update operation by its ElectroDB name (`"set"`, `"del"`, ...), for
    /// operations chosen at run time; an unknown name fails at `.params()`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.apply("set", &a.get("veterinarian").at("name"), vec!["Herb".into()]); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #veterinarian.#name = :name_u0"));
    /// assert!(e.update(item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.apply("frob", &a.get("diet"), vec![]); }).params().is_err());
    /// ```
    pub fn apply(&self, operation: &str, attr: &AttrRef<'m>, values: Vec<Value>) -> String {
        match UpdateOp::from_name(operation) {
            Some(op) => self.state.borrow_mut().update_op(op, attr, values),
            None => {
                let mut s = self.state.borrow_mut();
                if s.error.is_none() {
                    s.error = Some(Error::new(
                        ErrorCode::InvalidWhere,
                        format!("Unknown update operation '{operation}'"),
                    ));
                }
                String::new()
            }
        }
    }
}

impl Entity {
    /// Loads an ElectroDB model from JSON text. Models that name functions
    /// (`{"fn": ...}`) need [`Entity::from_json_value`] with a resolver.
    ///
    /// ```
    /// let e = electro_core::entity::Entity::from_json(r#"{
    ///   "model": {"entity": "user", "version": "1", "service": "app"},
    ///   "attributes": {"id": {"type": "string"}},
    ///   "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// }"#).unwrap().table("app");
    /// assert_eq!(e.model().entity, "user");
    /// ```
    pub fn from_json(json: &str) -> Result<Entity> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorCode::InvalidModel,
                format!("Model is not valid JSON: {e}"),
            )
        })?;
        Entity::from_json_value(&value, &crate::schema::NoFunctions)
    }

    /// Loads an ElectroDB model, resolving named functions with `resolver`.
    ///
    /// ```
    /// use electro_core::{entity::Entity, schema::NoFunctions};
    /// let model = serde_json::json!({
    ///     "model": {"entity": "user", "version": "1", "service": "app"},
    ///     "attributes": {"id": {"type": "string"}},
    ///     "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// });
    /// let e = Entity::from_json_value(&model, &NoFunctions).unwrap();
    /// assert_eq!(e.model().service, "app");
    /// ```
    pub fn from_json_value(
        json: &serde_json::Value,
        resolver: &dyn FunctionResolver,
    ) -> Result<Entity> {
        Entity::from_json_with(json, resolver, &ModelOptions::default())
    }

    /// Loads an ElectroDB model with options (identifiers, index conditions).
    ///
    /// ```
    /// use electro_core::{entity::Entity, model::ModelOptions, schema::NoFunctions};
    /// let model = serde_json::json!({
    ///     "model": {"entity": "user", "version": "1", "service": "app"},
    ///     "attributes": {"id": {"type": "string"}},
    ///     "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// });
    /// let e = Entity::from_json_with(&model, &NoFunctions, &ModelOptions::default()).unwrap();
    /// assert_eq!(e.model().identifiers.entity, "__edb_e__");
    /// ```
    pub fn from_json_with(
        json: &serde_json::Value,
        resolver: &dyn FunctionResolver,
        options: &ModelOptions,
    ) -> Result<Entity> {
        Ok(Entity::from_model(Model::from_json_with(
            json, resolver, options,
        )?))
    }

    /// An entity over an already built model.
    ///
    /// ```
    /// use electro_core::{entity::Entity, model::Model, schema::NoFunctions};
    /// let model = Model::from_json(&serde_json::json!({
    ///     "model": {"entity": "user", "version": "1", "service": "app"},
    ///     "attributes": {"id": {"type": "string"}},
    ///     "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// }), &NoFunctions).unwrap();
    /// assert_eq!(Entity::from_model(model).model().entity, "user");
    /// ```
    pub fn from_model(model: Model) -> Entity {
        Entity {
            model: Arc::new(model),
            table: None,
        }
    }

    /// The same entity in another table.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.table("zoo-archive").get(electro_core::item! {"animal" => "lion", "name" => "Leo"}).params_json().unwrap();
    /// assert_eq!(p["TableName"], "zoo-archive");
    /// ```
    pub fn table(mut self, table: impl Into<String>) -> Entity {
        self.table = Some(crate::Name::from(table.into()));
        self
    }

    /// The table name, if set (on the entity or its model).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// assert_eq!(e.table_name(), Some("electro"));
    /// ```
    pub fn table_name(&self) -> Option<&str> {
        self.table.as_deref().or(self.model.table.as_deref())
    }

    /// The model.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// assert_eq!((e.model().service.as_str(), e.model().entity.as_str()), ("zoo", "animals"));
    /// ```
    pub fn model(&self) -> &Model {
        &self.model
    }

    fn chain(&self, index: &str) -> Chain {
        Chain::new(self.model.clone(), self.table.clone(), index)
    }

    /// GetItem by the full primary key.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.get(electro_core::item!{"animal" => "lion", "name" => "Leo"}).params_json().unwrap();
    /// assert_eq!(p["Key"]["sk"], "$animals_1#name_leo");
    /// ```
    pub fn get(&self, key: Map) -> Get {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_get(key);
        Get(c)
    }

    /// A ConditionCheck (for transactions).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::entity::Operation;
    /// let p = e.check(electro_core::item! {"animal" => "lion", "name" => "Leo"}).params().unwrap();
    /// assert_eq!(p.operation, Operation::Check);
    /// assert_eq!(p.to_json()["Key"]["pk"], "$zoo#animal_lion");
    /// ```
    pub fn check(&self, key: Map) -> Get {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_get(key);
        c.method = Method::Check;
        Get(c)
    }

    /// BatchGetItem of many keys (chunks of 100).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.get_many(vec![electro_core::item!{"animal" => "a", "name" => "b"}]).params().unwrap();
    /// assert_eq!(p.len(), 1);
    /// ```
    ///
    /// The keys may also be borrowed, e.g. `e.get_many(&keys)`: each key's table key
    /// is built when it is given, and nothing of the caller's keys is kept.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let keys = vec![electro_core::item!{"animal" => "a", "name" => "b"}];
    /// let p = e.get_many(&keys).params().unwrap();
    /// assert_eq!(p[0].to_json()["RequestItems"]["electro"]["Keys"][0]["pk"], "$zoo#animal_a");
    /// ```
    pub fn get_many<K: std::borrow::Borrow<Map>>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch_get(keys);
        Batch(c)
    }

    /// DeleteItem.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.delete(electro_core::item! {"animal" => "lion", "name" => "Leo"}).params_json().unwrap();
    /// assert_eq!(p["Key"]["sk"], "$animals_1#name_leo");
    /// ```
    pub fn delete(&self, key: Map) -> Delete {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_delete(key);
        Delete(c)
    }

    /// DeleteItem only if the item exists.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.remove(electro_core::item! {"animal" => "lion", "name" => "Leo"}).params_json().unwrap();
    /// assert_eq!(p["ConditionExpression"], "attribute_exists(#pk) AND attribute_exists(#sk)");
    /// ```
    pub fn remove(&self, key: Map) -> Delete {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_remove(key);
        Delete(c)
    }

    /// BatchWriteItem deletes (chunks of 25).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.delete_many(vec![electro_core::item! {"animal" => "lion", "name" => "Leo"}]).params().unwrap();
    /// assert_eq!(p[0].to_json()["RequestItems"]["electro"][0]["DeleteRequest"]["Key"]["pk"], "$zoo#animal_lion");
    /// ```
    pub fn delete_many(&self, keys: Vec<Map>) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch(Method::BatchWrite, keys, Chain::clause_delete);
        Batch(c)
    }

    /// PutItem.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.put(electro_core::item!{"animal" => "lion", "name" => "Leo",
    ///     "habitat" => "savanna", "enclosure" => "E1", "keeper" => "Zed"}).params_json().unwrap();
    /// assert_eq!(p["Item"]["__edb_e__"], "animals");
    /// assert_eq!(p["Item"]["gsi2sk"], "$animals_1#keeper_zed#name_leo");
    /// ```
    pub fn put(&self, item: Map) -> Put {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_put(item);
        Put(c)
    }

    /// PutItem only if no item has the key.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.create(electro_core::item! {"animal" => "lion", "name" => "Leo", "keeper" => "Zed"})
    ///     .params_json().unwrap();
    /// assert_eq!(p["ConditionExpression"], "attribute_not_exists(#pk) AND attribute_not_exists(#sk)");
    /// ```
    pub fn create(&self, item: Map) -> Put {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_create(item);
        Put(c)
    }

    /// BatchWriteItem puts (chunks of 25).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let items = (0..30).map(|i| electro_core::item! {"animal" => "ant", "name" => format!("a{i}"), "keeper" => "Zed"});
    /// let p = e.put_many(items.collect()).params().unwrap();
    /// assert_eq!(p.len(), 2); // 25 + 5
    /// assert_eq!(p[0].to_json()["RequestItems"]["electro"][0]["PutRequest"]["Item"]["__edb_e__"], "animals");
    /// ```
    pub fn put_many(&self, items: Vec<Map>) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch(Method::BatchWrite, items, Chain::clause_put);
        Batch(c)
    }

    /// UpdateItem that creates the item when missing.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.upsert(electro_core::item! {"id" => "p1", "count" => 1}).params_json().unwrap();
    /// assert_eq!(p["Key"]["pk"], "$zoo$pen_1#id_p1");
    /// assert!(p.get("ConditionExpression").is_none());
    /// ```
    pub fn upsert(&self, item: Map) -> Upsert {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_upsert(&item);
        Upsert(c)
    }

    /// UpdateItem.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"]).params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("REMOVE #diet"));
    /// ```
    pub fn update(&self, key: Map) -> Update {
        let mut c = Box::new(self.chain(TABLE_INDEX));
        c.clause_update(key);
        Update(c)
    }

    /// UpdateItem only if the item exists.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.patch(electro_core::item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"]).params_json().unwrap();
    /// assert_eq!(p["ConditionExpression"], "attribute_exists(#pk) AND attribute_exists(#sk)");
    /// ```
    pub fn patch(&self, key: Map) -> Update {
        let mut c = Box::new(self.chain(TABLE_INDEX));
        c.clause_patch(key);
        Update(c)
    }

    /// Query an access pattern. An unknown access pattern fails at `.params()`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("farm", electro_core::item!{"habitat" => "plains", "keeper" => "Zed"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and begins_with(#sk1, :sk1)");
    /// ```
    pub fn query(&self, access_pattern: &str, composites: Map) -> Query {
        match self.model.access_patterns.get(access_pattern) {
            Some(&position) => {
                // Index names are unique, so the access pattern's position is the
                // index's.
                let def = &self.model.indexes[position];
                let mut c = Chain::at_position(
                    self.model.clone(),
                    self.table.clone(),
                    &def.index,
                    Some(position),
                );
                c.index_type = def.index_type;
                c.clause_query(composites);
                Query(c)
            }
            None => {
                let mut c = self.chain(TABLE_INDEX);
                c.method = Method::Query;
                c.fail(Error::new(
                    ErrorCode::InvalidQueryParameters,
                    format!("Invalid access pattern: \"{access_pattern}\""),
                ));
                Query(c)
            }
        }
    }

    /// Scan the table, keeping this entity's items.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.scan().params_json().unwrap();
    /// assert!(p["FilterExpression"].as_str().unwrap().ends_with("#__edb_v__ = :__edb_v__0"));
    /// ```
    pub fn scan(&self) -> Scan {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_scan();
        Scan(c)
    }

    /// Scan an access pattern's index.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.scan_index("exhibit").params_json().unwrap();
    /// assert_eq!(p["IndexName"], "gsi1pk-gsi1sk-index");
    /// assert!(e.scan_index("nope").params().is_err());
    /// ```
    pub fn scan_index(&self, access_pattern: &str) -> Scan {
        let index = self
            .model
            .index_by_access_pattern(access_pattern)
            .map(|d| d.index.clone());
        let mut c = self.chain(index.as_deref().unwrap_or(TABLE_INDEX));
        c.clause_scan();
        if index.is_none() {
            c.fail(Error::new(
                ErrorCode::InvalidQueryParameters,
                format!("Invalid access pattern: \"{access_pattern}\""),
            ));
        }
        Scan(c)
    }

    /// The best query for these attributes (a scan when no index fits).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.find(electro_core::item! {"habitat" => "plains"}).params_json().unwrap();
    /// assert_eq!(p["IndexName"], "gsi2pk-gsi2sk-index");
    /// ```
    pub fn find(&self, attributes: Map) -> Query {
        self.find_or_match(attributes, false)
    }

    /// Like [`Entity::find`], also filtering on every given attribute.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.match_(electro_core::item! {"habitat" => "plains", "keeper" => "Zed"}).params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#habitat = :habitat0 AND #keeper = :keeper0");
    /// ```
    pub fn match_(&self, attributes: Map) -> Query {
        self.find_or_match(attributes, true)
    }

    fn find_or_match(&self, attributes: Map, filter_all: bool) -> Query {
        let best = self.model.best_index_match(&attributes);
        // The query keeps the attributes; a match also filters on them.
        let filtered = filter_all.then(|| attributes.clone());
        let mut c = match &best {
            Some(index) => {
                let mut c = self.chain(index);
                c.clause_query(attributes);
                c
            }
            None => {
                let mut c = self.chain(TABLE_INDEX);
                c.clause_scan();
                c
            }
        };
        if let Some(attrs) = filtered {
            c.apply_where(move |a, op| {
                let mut parts = Vec::new();
                for (name, value) in &attrs {
                    let r = a.get(name);
                    if r.exists() {
                        parts.push(op.eq(&r, value.clone()));
                    }
                }
                parts.join(" AND ")
            });
        }
        Query(c)
    }

    /// The item as the reference's `parse` formats it.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let raw = item! {"pk" => "$zoo#animal_lion", "animal" => "lion", "name" => "Leo", "__edb_e__" => "animals"};
    /// assert_eq!(e.parse_item(raw).unwrap(), item! {"animal" => "lion", "name" => "Leo"});
    /// ```
    pub fn parse_item(&self, item: Map) -> Result<Map> {
        self.model
            .schema
            .format_item_for_retrieval(&item, &Default::default())
    }
}

/// Each builder's `params`, `params_with`, `params_json` and `where_`, documented with
/// an example that builds `$build` (over `doc_entity()` as `e`): `$op` is the
/// [`Operation`] it makes and `$expr` the expression `where_` fills.
macro_rules! params_methods {
    ($ty:ident, $op:expr, $variant:ident, $build:literal, $expr:literal) => {
        impl $ty {
            /// The DocumentClient-style params, with default options: what ElectroDB's
            /// `.params()` returns, plus the operation to send them with.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{entity::Operation, item};\n",
                "let p = ", $build, ".params().unwrap();\n",
                "assert_eq!(p.operation, Operation::", stringify!($variant), ");\n",
                "assert_eq!(p.to_json()[\"TableName\"], \"electro\");\n```"
            )]
            pub fn params(self) -> Result<Params> {
                self.params_with(options::no_options())
            }

            /// The params with options (table, limits, response, raw params...).
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{entity::Options, item};\n",
                "let p = ", $build, ".params_with(&Options::default().table(\"zoo-archive\")).unwrap();\n",
                "assert_eq!(p.to_json()[\"TableName\"], \"zoo-archive\");\n```"
            )]
            pub fn params_with(mut self, options: &Options) -> Result<Params> {
                let (built, _) = self.0.build_params(options, false)?;
                match built {
                    Built::One(body) => Ok(Params {
                        operation: $op(&self.0),
                        body,
                    }),
                    Built::Many(_) => Err(Error::new(
                        ErrorCode::UnknownError,
                        "a single operation built batch params",
                    )),
                }
            }

            /// The params as canonical JSON (handy in tests and docs).
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::item;\n",
                "let p = ", $build, ".params_json().unwrap();\n",
                "assert_eq!(p[\"TableName\"], \"electro\");\n```"
            )]
            pub fn params_json(self) -> Result<serde_json::Value> {
                Ok(self.params()?.to_json())
            }

            /// A ConditionExpression (writes) or FilterExpression (reads) from a callback
            /// that composes operations into text, as ElectroDB's `where` does.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::item;\n",
                "let p = ", $build, "\n    .where_(|a, op| op.eq(&a.get(\"keeper\"), \"Zed\"))\n",
                "    .params_json().unwrap();\n",
                "assert!(p[\"", $expr, "\"].as_str().unwrap().contains(\"#keeper = :keeper0\"));\n```"
            )]
            pub fn where_<F>(mut self, callback: F) -> Self
            where
                F: for<'a, 's, 'b, 'm> FnOnce(
                    &'a Attributes<'m>,
                    &'a WhereOps<'s, 'b, 'm>,
                ) -> String,
            {
                self.0.apply_where(callback);
                self
            }
        }
    };
}

fn op_of(c: &Chain) -> Operation {
    match c.method {
        Method::Get => Operation::Get,
        Method::Check => Operation::Check,
        Method::Delete => Operation::Delete,
        Method::Put => Operation::Put,
        Method::Update | Method::Upsert => Operation::Update,
        Method::Query => Operation::Query,
        Method::Scan => Operation::Scan,
        Method::BatchGet => Operation::BatchGet,
        Method::BatchWrite => Operation::BatchWrite,
    }
}

/// A GetItem (or ConditionCheck) being built.
pub struct Get(pub(crate) Chain);
params_methods!(
    Get,
    op_of,
    Get,
    r#"e.get(item! {"animal" => "lion", "name" => "Leo"})"#,
    "ConditionExpression"
);

/// A DeleteItem being built.
pub struct Delete(pub(crate) Chain);
params_methods!(
    Delete,
    op_of,
    Delete,
    r#"e.delete(item! {"animal" => "lion", "name" => "Leo"})"#,
    "ConditionExpression"
);

/// A PutItem being built.
pub struct Put(pub(crate) Chain);
params_methods!(
    Put,
    op_of,
    Put,
    r#"e.put(item! {"animal" => "lion", "name" => "Leo", "keeper" => "Zed"})"#,
    "ConditionExpression"
);

/// A Query (or, for `find`/`match` without a fitting index, a Scan) being built.
pub struct Query(pub(crate) Chain);
params_methods!(
    Query,
    op_of,
    Query,
    r#"e.query("animal", item! {"animal" => "lion"})"#,
    "FilterExpression"
);

/// A Scan being built.
pub struct Scan(pub(crate) Chain);
params_methods!(Scan, op_of, Scan, r#"e.scan()"#, "FilterExpression");

/// An UpdateItem being built.
pub struct Update(pub(crate) Box<Chain>);
params_methods!(
    Update,
    op_of,
    Update,
    r#"e.update(item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"])"#,
    "ConditionExpression"
);

/// An upsert being built.
pub struct Upsert(pub(crate) Chain);
params_methods!(
    Upsert,
    op_of,
    Update,
    r#"e.upsert(item! {"animal" => "lion", "name" => "Leo", "habitat" => "plains", "keeper" => "Zed", "enclosure" => "E1"})"#,
    "ConditionExpression"
);

impl Query {
    /// Sort key between two sets of composites (inclusive).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).between(item! {"name" => "A"}, item! {"name" => "M"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and #sk1 BETWEEN :sk1 AND :sk2");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk2"], "$animals_1#name_m");
    /// ```
    pub fn between(mut self, start: Map, end: Map) -> Self {
        self.0.clause_between(start, end);
        self
    }

    /// Sort key begins with these composites.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).begins(item! {"name" => "L"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and begins_with(#sk1, :sk1)");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$animals_1#name_l");
    /// ```
    pub fn begins(mut self, composites: Map) -> Self {
        self.0.clause_begins(&composites);
        self
    }

    /// Sort key greater than.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).gt(item! {"name" => "L"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and #sk1 > :sk1");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$animals_1#name_l");
    /// ```
    pub fn gt(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Gt, &composites);
        self
    }

    /// Sort key greater than or equal.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).gte(item! {"name" => "L"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and #sk1 >= :sk1");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$animals_1#name_l");
    /// ```
    pub fn gte(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Gte, &composites);
        self
    }

    /// Sort key less than.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).lt(item! {"name" => "L"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and #sk1 < :sk1");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$animals_1#name_l");
    /// ```
    pub fn lt(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Lt, &composites);
        self
    }

    /// Sort key less than or equal.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.query("animal", item! {"animal" => "lion"}).lte(item! {"name" => "L"}).params_json().unwrap();
    /// assert_eq!(p["KeyConditionExpression"], "#pk = :pk and #sk1 <= :sk1");
    /// assert_eq!(p["ExpressionAttributeValues"][":sk1"], "$animals_1#name_l");
    /// ```
    pub fn lte(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Lte, &composites);
        self
    }
}

macro_rules! update_methods {
    ($( $(#[$doc:meta])* $name:ident => $op:ident ),* $(,)?) => {
        #[allow(clippy::should_implement_trait)] // ElectroDB's chain method names
        impl Update {
            $(
                $(#[$doc])*
                pub fn $name(mut self, data: Map) -> Self {
                    self.0.clause_update_op(UpdateOp::$op, data);
                    self
                }
            )*
        }
    };
}

update_methods! {
    /// `SET` each attribute.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"}).set(item! {"veterinarian" => item! {"name" => "Herb"}})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #veterinarian = :veterinarian_u0"));
    /// ```
    set => Set,
    /// `ADD` to numbers and sets.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"}).add(electro_core::item! {"count" => 2})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("ADD #count :count_u0"));
    /// ```
    add => Add,
    /// Subtract from numbers.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.update(electro_core::item! {"id" => "p1"}).subtract(electro_core::item! {"count" => 2})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .starts_with("SET #count = (if_not_exists(#count, :count_default_value_u0) - :count_u0)"));
    /// ```
    subtract => Subtract,
    /// Append to lists.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{item, Value};
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"}).append(item! {"diet" => vec![Value::from("hay")]})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .starts_with("SET #diet = list_append(if_not_exists(#diet, :diet_default_value_u0), :diet_u0)"));
    /// ```
    append => Append,
    /// `DELETE` members from sets.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// use electro_core::{item, Value};
    /// let p = pen.update(item! {"id" => "p1"}).delete(item! {"tags" => vec![Value::from("vip")]})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("DELETE #tags :tags_u0"));
    /// ```
    delete => Delete,
    /// `SET` only where the attribute does not exist.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{item, Value};
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"}).if_not_exists(item! {"diet" => vec![Value::from("hay")]})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().starts_with("SET #diet = if_not_exists(#diet, :diet_u0)"));
    /// ```
    if_not_exists => IfNotExists,
}

impl Update {
    /// `REMOVE` attributes.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"}).remove(["diet", "offspring"]).params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("REMOVE #diet, #offspring"));
    /// ```
    pub fn remove<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        self.0.clause_update_remove(&names);
        self
    }

    /// Composite values to build keys with (for read-only composites), also asserted.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::item;
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"]).composite(item! {"habitat" => "plains"})
    ///     .params_json().unwrap();
    /// assert_eq!(p["ConditionExpression"], "#habitat = :habitat0");
    /// ```
    pub fn composite(mut self, composites: Map) -> Self {
        self.0.clause_composite(&composites);
        self
    }

    /// Update operations from a callback.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.update(electro_core::item! {"animal" => "lion", "name" => "Leo"})
    ///     .data(|a, op| { op.remove(&a.get("diet")); op.set(&a.get("veterinarian").at("name"), "Herb"); })
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("REMOVE #diet"));
    /// ```
    pub fn data<F>(mut self, callback: F) -> Self
    where
        F: for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a UpdateOps<'s, 'b, 'm>),
    {
        self.0.apply_data(callback);
        self
    }
}

macro_rules! upsert_methods {
    ($( $(#[$doc:meta])* $name:ident => $op:ident ),* $(,)?) => {
        #[allow(clippy::should_implement_trait)] // ElectroDB's chain method names
        impl Upsert {
            $(
                $(#[$doc])*
                pub fn $name(mut self, data: Map) -> Self {
                    self.0.clause_upsert_op(UpsertOperation::$op, &data);
                    self
                }
            )*
        }
    };
}

upsert_methods! {
    /// `SET` each attribute.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.upsert(electro_core::item! {"id" => "p1"}).set(electro_core::item! {"count" => 3})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().contains("#count = :count_u0"));
    /// ```
    set => Set,
    /// `ADD` to numbers and sets.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.upsert(electro_core::item! {"id" => "p1"}).add(electro_core::item! {"count" => 2})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().ends_with("ADD #count :count_u0"));
    /// ```
    add => Add,
    /// Subtract from numbers.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.upsert(electro_core::item! {"id" => "p1"}).subtract(electro_core::item! {"count" => 2})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap()
    ///     .ends_with("#count = (if_not_exists(#count, :count_default_value_u0) - :count_u0)"));
    /// ```
    subtract => Subtract,
    /// Append to lists.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// use electro_core::{item, Value};
    /// let p = pen.upsert(item! {"id" => "p1"}).append(item! {"feed" => vec![Value::from("hay")]})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().contains("list_append("));
    /// ```
    append => Append,
    /// `SET` only where the attribute does not exist.
    ///
    /// ```
    /// # let pen = electro_core::entity::Entity::from_json(r#"{"model": {"entity": "pen", "version": "1", "service": "zoo"},
    /// #   "attributes": {"id": {"type": "string"}, "count": {"type": "number"}, "tags": {"type": "set", "items": "string"}, "feed": {"type": "list", "items": {"type": "string"}}},
    /// #   "indexes": {"pen": {"pk": {"field": "pk", "composite": ["id"]}}}}"#).unwrap().table("electro");
    /// let p = pen.upsert(electro_core::item! {"id" => "p1"}).if_not_exists(electro_core::item! {"count" => 0})
    ///     .params_json().unwrap();
    /// assert!(p["UpdateExpression"].as_str().unwrap().contains("#count = if_not_exists(#count, :count_u0)"));
    /// ```
    if_not_exists => IfNotExists,
}

/// A batch (BatchGetItem or BatchWriteItem) being built.
pub struct Batch(pub(crate) Chain);

impl Batch {
    /// One params object per request that would be sent.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Operation, item};
    /// let p = e.get_many(vec![item! {"animal" => "lion", "name" => "Leo"}]).params().unwrap();
    /// assert_eq!(p[0].operation, Operation::BatchGet);
    /// assert_eq!(p[0].to_json()["RequestItems"]["electro"]["Keys"][0]["pk"], "$zoo#animal_lion");
    /// ```
    pub fn params(self) -> Result<Vec<Params>> {
        self.params_with(options::no_options())
    }

    /// The params with options.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.get_many(vec![item! {"animal" => "lion", "name" => "Leo"}])
    ///     .params_with(&Options::default().consistent(true)).unwrap();
    /// assert_eq!(p[0].to_json()["RequestItems"]["electro"]["ConsistentRead"], true);
    /// ```
    pub fn params_with(mut self, options: &Options) -> Result<Vec<Params>> {
        let operation = op_of(&self.0);
        let (built, _) = self.0.build_params(options, false)?;
        Ok(match built {
            Built::Many(v) => v
                .into_iter()
                .map(|body| Params { operation, body })
                .collect(),
            Built::One(body) => vec![Params { operation, body }],
        })
    }
}

/// A small entity for documentation examples (the `animals` model of the corpus).
#[doc(hidden)]
pub fn doc_entity() -> Entity {
    const MODEL: &str = r#"{
      "model": { "entity": "animals", "version": "1", "service": "zoo" },
      "attributes": {
        "animal": { "type": "string", "required": true },
        "name": { "type": "string", "required": true },
        "habitat": { "type": "string" },
        "enclosure": { "type": "string" },
        "keeper": { "type": "string" },
        "diet": { "type": "list", "items": { "type": "string" } },
        "veterinarian": { "type": "map", "properties": { "name": { "type": "string" } } },
        "offspring": { "type": "list", "items": { "type": "map", "properties": { "name": { "type": "string" } } } }
      },
      "indexes": {
        "animal": { "pk": { "field": "pk", "composite": ["animal"] }, "sk": { "field": "sk", "composite": ["name"] } },
        "exhibit": { "index": "gsi1pk-gsi1sk-index", "pk": { "field": "gsi1pk", "composite": ["habitat"] }, "sk": { "field": "gsi1sk", "composite": ["enclosure"] } },
        "farm": { "index": "gsi2pk-gsi2sk-index", "pk": { "field": "gsi2pk", "composite": ["habitat"] }, "sk": { "field": "gsi2sk", "composite": ["keeper", "name"] } }
      }
    }"#;
    match Entity::from_json(MODEL) {
        Ok(e) => e.table("electro"),
        Err(e) => unreachable!("the documentation model is valid: {e}"),
    }
}

/// A model of the conformance corpus (`tests/conformance/models/<name>.json`),
/// loaded as an entity loads it; `None` when the file is missing or the model is
/// refused. For the plans' differential tests.
#[cfg(test)]
pub(crate) fn corpus_model(name: &str) -> Option<crate::model::Model> {
    let path = format!(
        "{}/../tests/conformance/models/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let functions = crate::schema::named_functions::NamedFunctions;
    let entity = Entity::from_json_value(&json, &functions).ok()?;
    Arc::try_unwrap(entity.model).ok()
}
