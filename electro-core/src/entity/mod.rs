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
pub(crate) mod keys;
mod options;
mod params;
mod proxy;

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
    pub(crate) table: Option<String>,
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
    /// The params as canonical JSON (sets as sorted `{"$set": [...]}`).
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
                    self.state.borrow_mut().update_op(UpdateOp::$op, attr, vec![$($arg.into()),*])
                }
            )*
        }
    };
}

update_ops! {
    /// `SET #a = :v`.
    set => Set(value),
    /// `ADD #a :v` (numbers and sets).
    add => Add(value),
    /// `SET #a = (if_not_exists(#a, :d) - :v)`.
    subtract => Subtract(value),
    /// `SET #a = list_append(if_not_exists(#a, :d), :v)`.
    append => Append(value),
    /// `DELETE #a :v` (sets).
    delete => Delete(value),
    /// `REMOVE #a`.
    remove => Remove(),
    /// `SET #a = if_not_exists(#a, :v)`.
    if_not_exists => IfNotExists(value),
    /// The attribute's path as an operand.
    name => Name(),
    /// A value placeholder as an operand.
    value => Value(value),
}

impl<'m> UpdateOps<'_, '_, 'm> {
    /// `ADD #a :v` with a default for numbers (`SET #a = (if_not_exists(#a, :d) + :v)`).
    pub fn add_with_default(
        &self,
        attr: &AttrRef<'m>,
        value: impl Into<Value>,
        default: impl Into<Value>,
    ) -> String {
        self.state
            .borrow_mut()
            .update_op(UpdateOp::Add, attr, vec![value.into(), default.into()])
    }

    /// Applies an update operation by its ElectroDB name (`"set"`, `"del"`, ...).
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
    pub fn from_json_value(
        json: &serde_json::Value,
        resolver: &dyn FunctionResolver,
    ) -> Result<Entity> {
        Entity::from_json_with(json, resolver, &ModelOptions::default())
    }

    /// Loads an ElectroDB model with options (identifiers, index conditions).
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
    pub fn from_model(model: Model) -> Entity {
        Entity {
            model: Arc::new(model),
            table: None,
        }
    }

    /// The same entity in another table.
    pub fn table(mut self, table: impl Into<String>) -> Entity {
        self.table = Some(table.into());
        self
    }

    /// The table name, if set (on the entity or its model).
    pub fn table_name(&self) -> Option<&str> {
        self.table.as_deref().or(self.model.table.as_deref())
    }

    /// The model.
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
    pub fn get_many(&self, keys: Vec<Map>) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch(Method::BatchGet, keys, Chain::clause_get);
        Batch(c)
    }

    /// DeleteItem.
    pub fn delete(&self, key: Map) -> Delete {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_delete(&key);
        Delete(c)
    }

    /// DeleteItem only if the item exists.
    pub fn remove(&self, key: Map) -> Delete {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_remove(&key);
        Delete(c)
    }

    /// BatchWriteItem deletes (chunks of 25).
    pub fn delete_many(&self, keys: Vec<Map>) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch(Method::BatchWrite, keys, |c, k| c.clause_delete(&k));
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
    pub fn create(&self, item: Map) -> Put {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_create(item);
        Put(c)
    }

    /// BatchWriteItem puts (chunks of 25).
    pub fn put_many(&self, items: Vec<Map>) -> Batch {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_batch(Method::BatchWrite, items, Chain::clause_put);
        Batch(c)
    }

    /// UpdateItem that creates the item when missing.
    pub fn upsert(&self, item: Map) -> Upsert {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_upsert(&item);
        Upsert(c)
    }

    /// UpdateItem.
    pub fn update(&self, key: Map) -> Update {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_update(&key);
        Update(c)
    }

    /// UpdateItem only if the item exists.
    pub fn patch(&self, key: Map) -> Update {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_patch(&key);
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
        match self.model.index_by_access_pattern(access_pattern) {
            Some(def) => {
                let (index, index_type) = (def.index.clone(), def.index_type);
                let mut c = self.chain(&index);
                c.index_type = index_type;
                c.clause_query(&composites);
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
    pub fn scan(&self) -> Scan {
        let mut c = self.chain(TABLE_INDEX);
        c.clause_scan();
        Scan(c)
    }

    /// Scan an access pattern's index.
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
    pub fn find(&self, attributes: Map) -> Query {
        self.find_or_match(attributes, false)
    }

    /// Like [`Entity::find`], also filtering on every given attribute.
    pub fn match_(&self, attributes: Map) -> Query {
        self.find_or_match(attributes, true)
    }

    fn find_or_match(&self, attributes: Map, filter_all: bool) -> Query {
        let best = self.model.best_index_match(&attributes);
        let mut c = match &best {
            Some(index) => {
                let mut c = self.chain(index);
                c.clause_query(&attributes);
                c
            }
            None => {
                let mut c = self.chain(TABLE_INDEX);
                c.clause_scan();
                c
            }
        };
        if filter_all {
            let attrs = attributes.clone();
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
    pub fn parse_item(&self, item: Map) -> Result<Map> {
        self.model
            .schema
            .format_item_for_retrieval(&item, &Default::default())
    }
}

macro_rules! params_methods {
    ($ty:ident, $op:expr) => {
        impl $ty {
            /// The DocumentClient-style params, with default options.
            pub fn params(self) -> Result<Params> {
                self.params_with(&Options::default())
            }

            /// The params with options.
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
            pub fn params_json(self) -> Result<serde_json::Value> {
                Ok(self.params()?.to_json())
            }

            /// A ConditionExpression (writes) or FilterExpression (reads) from a callback
            /// that composes operations into text, as ElectroDB's `where` does.
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
params_methods!(Get, op_of);

/// A DeleteItem being built.
pub struct Delete(pub(crate) Chain);
params_methods!(Delete, op_of);

/// A PutItem being built.
pub struct Put(pub(crate) Chain);
params_methods!(Put, op_of);

/// A Query (or, for `find`/`match` without a fitting index, a Scan) being built.
pub struct Query(pub(crate) Chain);
params_methods!(Query, op_of);

/// A Scan being built.
pub struct Scan(pub(crate) Chain);
params_methods!(Scan, op_of);

/// An UpdateItem being built.
pub struct Update(pub(crate) Chain);
params_methods!(Update, op_of);

/// An upsert being built.
pub struct Upsert(pub(crate) Chain);
params_methods!(Upsert, op_of);

impl Query {
    /// Sort key between two sets of composites (inclusive).
    pub fn between(mut self, start: Map, end: Map) -> Self {
        self.0.clause_between(&start, &end);
        self
    }

    /// Sort key begins with these composites.
    pub fn begins(mut self, composites: Map) -> Self {
        self.0.clause_begins(&composites);
        self
    }

    /// Sort key greater than.
    pub fn gt(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Gt, &composites);
        self
    }

    /// Sort key greater than or equal.
    pub fn gte(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Gte, &composites);
        self
    }

    /// Sort key less than.
    pub fn lt(mut self, composites: Map) -> Self {
        self.0.clause_compare(QueryType::Lt, &composites);
        self
    }

    /// Sort key less than or equal.
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
                    self.0.clause_update_op(UpdateOp::$op, &data);
                    self
                }
            )*
        }
    };
}

update_methods! {
    /// `SET` each attribute.
    set => Set,
    /// `ADD` to numbers and sets.
    add => Add,
    /// Subtract from numbers.
    subtract => Subtract,
    /// Append to lists.
    append => Append,
    /// `DELETE` members from sets.
    delete => Delete,
    /// `SET` only where the attribute does not exist.
    if_not_exists => IfNotExists,
}

impl Update {
    /// `REMOVE` attributes.
    pub fn remove<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        self.0.clause_update_remove(&names);
        self
    }

    /// Composite values to build keys with (for read-only composites), also asserted.
    pub fn composite(mut self, composites: Map) -> Self {
        self.0.clause_composite(&composites);
        self
    }

    /// Update operations from a callback.
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
    set => Set,
    /// `ADD` to numbers and sets.
    add => Add,
    /// Subtract from numbers.
    subtract => Subtract,
    /// Append to lists.
    append => Append,
    /// `SET` only where the attribute does not exist.
    if_not_exists => IfNotExists,
}

/// A batch (BatchGetItem or BatchWriteItem) being built.
pub struct Batch(pub(crate) Chain);

impl Batch {
    /// One params object per request that would be sent.
    pub fn params(self) -> Result<Vec<Params>> {
        self.params_with(&Options::default())
    }

    /// The params with options.
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
