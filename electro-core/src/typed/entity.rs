//! The typed entity: its trait, the function resolver the derive wires, key traits
//! and the typed wrappers over the operation builders.

use super::attr::{Attr, Removable, Settable};
use super::cond::Cond;
use super::go::{TypedGet, TypedPut, TypedQuery, TypedScan};
use super::types::{Addable, AttributeType, Input, ListType, Numeric, SetType};
use crate::Map;
use crate::entity::{Delete, Entity, Get, Options, Params, Put, Query, Scan, Update, Upsert};
use crate::error::{Error, ErrorCode, Result};
use crate::exec::{self, Item};
use crate::schema::{DefaultFn, FunctionResolver, FunctionRole, MutationFn, ValidateFn};
use serde_json::Value as Json;
use std::marker::PhantomData;

/// A Rust type that is an electro entity: what `#[derive(Entity)]` implements.
pub trait EntityType: Sized {
    /// The ElectroDB JSON model the derive emitted (functions appear as
    /// `{"fn": "<attribute>.<role>"}`).
    fn json_model() -> &'static Json;
    /// The entity loaded from that model (once), without a table; the loader's error
    /// if it refuses the model (a rule the derive cannot check at compile time).
    fn base_entity() -> std::result::Result<&'static Entity, &'static Error>;
    /// The item: each attribute by its name; empty `Option`s are left out.
    fn to_item(&self) -> Map;
    /// The struct from an item (attribute names as keys, e.g. a parsed result).
    fn from_item(item: &Map) -> Result<Self>;
    /// [`to_item`](EntityType::to_item) in the SDK's form, without the intermediate
    /// [`Map`]: always equal to `exec::to_item(&self.to_item())`. Keys are attribute
    /// names (not table field names), as in `to_item`; no index keys are added.
    ///
    /// The provided method goes through `to_item`; `#[derive(Entity)]` writes each
    /// field's SDK value directly.
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// # use std::sync::OnceLock;
    /// # use electro_core::entity::Entity;
    /// # use electro_core::typed::{EntityType, FnTable, __private::from_value_field};
    /// # use electro_core::{Error, Map, Result, Value};
    /// # #[derive(Debug, PartialEq)]
    /// # struct Note { id: String, stars: Option<f64> }
    /// # impl EntityType for Note {
    /// #     fn json_model() -> &'static serde_json::Value {
    /// #         static M: OnceLock<serde_json::Value> = OnceLock::new();
    /// #         M.get_or_init(|| serde_json::json!({
    /// #             "model": {"service": "s", "entity": "note", "version": "1"},
    /// #             "attributes": {"id": {"type": "string"}, "stars": {"type": "number"}},
    /// #             "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// #         }))
    /// #     }
    /// #     fn base_entity() -> std::result::Result<&'static Entity, &'static Error> {
    /// #         static E: OnceLock<Result<Entity>> = OnceLock::new();
    /// #         E.get_or_init(|| Entity::from_json_value(Self::json_model(), &FnTable::new())).as_ref()
    /// #     }
    /// #     fn to_item(&self) -> Map {
    /// #         let mut m = Map::default();
    /// #         m.insert("id".into(), Value::from(self.id.as_str()));
    /// #         if let Some(s) = self.stars { m.insert("stars".into(), Value::from(s)); }
    /// #         m
    /// #     }
    /// #     fn from_item(item: &Map) -> Result<Self> {
    /// #         let bad = |m| Error::new(electro_core::ErrorCode::InvalidAttribute, m);
    /// #         Ok(Note { id: from_value_field(item, "id").map_err(bad)?,
    /// #                   stars: from_value_field(item, "stars").map_err(bad)? })
    /// #     }
    /// # }
    /// let note = Note { id: "n1".into(), stars: Some(4.5) };
    /// let item = note.to_dynamo_item();
    /// assert_eq!(item["id"], AttributeValue::S("n1".into()));
    /// assert_eq!(item["stars"], AttributeValue::N("4.5".into()));
    /// assert_eq!(item, electro_core::exec::to_item(&note.to_item()));
    /// ```
    fn to_dynamo_item(&self) -> Item {
        exec::to_item(&self.to_item())
    }
    /// The struct from an SDK item (attribute names as keys), consuming it:
    /// what `from_item(&exec::from_item_owned(item)?)` reads, without the
    /// intermediate [`Map`]. A missing required attribute or one of the wrong type
    /// is an [`ErrorCode::InvalidAttribute`] error naming the attribute; attributes
    /// the struct has no field for are ignored.
    ///
    /// The provided method goes through `from_item`; `#[derive(Entity)]` takes each
    /// field out of the item directly.
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// # use std::sync::OnceLock;
    /// # use electro_core::entity::Entity;
    /// # use electro_core::typed::{EntityType, FnTable, __private::from_value_field};
    /// # use electro_core::{Error, Map, Result, Value};
    /// # #[derive(Debug, PartialEq)]
    /// # struct Note { id: String, stars: Option<f64> }
    /// # impl EntityType for Note {
    /// #     fn json_model() -> &'static serde_json::Value {
    /// #         static M: OnceLock<serde_json::Value> = OnceLock::new();
    /// #         M.get_or_init(|| serde_json::json!({
    /// #             "model": {"service": "s", "entity": "note", "version": "1"},
    /// #             "attributes": {"id": {"type": "string"}, "stars": {"type": "number"}},
    /// #             "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
    /// #         }))
    /// #     }
    /// #     fn base_entity() -> std::result::Result<&'static Entity, &'static Error> {
    /// #         static E: OnceLock<Result<Entity>> = OnceLock::new();
    /// #         E.get_or_init(|| Entity::from_json_value(Self::json_model(), &FnTable::new())).as_ref()
    /// #     }
    /// #     fn to_item(&self) -> Map {
    /// #         let mut m = Map::default();
    /// #         m.insert("id".into(), Value::from(self.id.as_str()));
    /// #         if let Some(s) = self.stars { m.insert("stars".into(), Value::from(s)); }
    /// #         m
    /// #     }
    /// #     fn from_item(item: &Map) -> Result<Self> {
    /// #         let bad = |m| Error::new(electro_core::ErrorCode::InvalidAttribute, m);
    /// #         Ok(Note { id: from_value_field(item, "id").map_err(bad)?,
    /// #                   stars: from_value_field(item, "stars").map_err(bad)? })
    /// #     }
    /// # }
    /// let mut item = electro_core::exec::Item::new();
    /// item.insert("id".into(), AttributeValue::S("n1".into()));
    /// assert_eq!(Note::from_dynamo_item(item.clone()).unwrap(), Note { id: "n1".into(), stars: None });
    /// item.insert("stars".into(), AttributeValue::S("many".into()));
    /// assert!(Note::from_dynamo_item(item).is_err());
    /// ```
    fn from_dynamo_item(item: Item) -> Result<Self> {
        Self::from_item(&exec::from_item_owned(item)?)
    }
}

/// A complete primary key of `E` (every pk and sk composite, in order).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a complete primary key of `{E}`: give every composite of the primary index, in order",
    label = "incomplete key"
)]
pub trait PrimaryKey<E> {
    /// The composites, by attribute name.
    fn into_key(self) -> Map;
}

/// A query key of `E`: an access pattern with all its pk composites and the first sort
/// key composites.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a query key of `{E}`: give every partition-key composite of the access pattern",
    label = "incomplete partition key"
)]
pub trait IndexKey<E> {
    /// The access pattern.
    fn access_pattern(&self) -> &'static str;
    /// The composites, by attribute name.
    fn into_composites(self) -> Map;
}

/// One function the derive wires for a `{"fn": name}` spec.
#[doc(hidden)]
pub enum Fun {
    Default(DefaultFn),
    Mutation(MutationFn),
    Validate(ValidateFn),
}

/// The resolver a derived entity loads its model with: the user's Rust functions by
/// the name the emitted model gives them.
///
/// ```
/// use electro_core::typed::FnTable;
/// use electro_core::schema::{DefaultFn, FunctionResolver};
/// let table = FnTable::new().default_fn("status.default", DefaultFn::new(|| Some("open".into())));
/// let spec = serde_json::json!({"fn": "status.default"});
/// let f = FunctionResolver::default_fn(&table, spec.as_object().unwrap()).unwrap();
/// assert_eq!(f.call(), Some("open".into()));
/// ```
#[derive(Default)]
pub struct FnTable(Vec<(&'static str, Fun)>);

impl FnTable {
    /// An empty table.
    pub fn new() -> Self {
        FnTable(Vec::new())
    }
    /// Adds a default function.
    pub fn default_fn(mut self, name: &'static str, f: DefaultFn) -> Self {
        self.0.push((name, Fun::Default(f)));
        self
    }
    /// Adds a get or set function.
    pub fn mutation_fn(mut self, name: &'static str, f: MutationFn) -> Self {
        self.0.push((name, Fun::Mutation(f)));
        self
    }
    /// Adds a validate function.
    pub fn validate_fn(mut self, name: &'static str, f: ValidateFn) -> Self {
        self.0.push((name, Fun::Validate(f)));
        self
    }
    fn find(&self, spec: &serde_json::Map<String, Json>) -> Option<&Fun> {
        let name = spec.get("fn")?.as_str()?;
        self.0.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
    }
}

fn unknown(spec: &serde_json::Map<String, Json>) -> String {
    format!("Unknown function {}", Json::Object(spec.clone()))
}

impl FunctionResolver for FnTable {
    fn default_fn(
        &self,
        spec: &serde_json::Map<String, Json>,
    ) -> std::result::Result<DefaultFn, String> {
        match self.find(spec) {
            Some(Fun::Default(f)) => Ok(f.clone()),
            _ => Err(unknown(spec)),
        }
    }
    fn mutation_fn(
        &self,
        _role: FunctionRole,
        spec: &serde_json::Map<String, Json>,
    ) -> std::result::Result<MutationFn, String> {
        match self.find(spec) {
            Some(Fun::Mutation(f)) => Ok(f.clone()),
            _ => Err(unknown(spec)),
        }
    }
    fn validate_fn(
        &self,
        spec: &serde_json::Map<String, Json>,
    ) -> std::result::Result<ValidateFn, String> {
        match self.find(spec) {
            Some(Fun::Validate(f)) => Ok(f.clone()),
            _ => Err(unknown(spec)),
        }
    }
}

/// Loads a derived entity's model; a model the loader refuses (a rule the derive
/// cannot check at compile time) is an error naming the struct, returned by every
/// operation of the entity.
pub fn load_entity(name: &str, model: &Json, functions: FnTable) -> Result<Entity> {
    Entity::from_json_value(model, &functions).map_err(|e| {
        Error::new(
            e.error_code(),
            format!(
                "#[derive(Entity)] on `{name}`: the model is invalid: {}",
                e.reason()
            ),
        )
    })
}

/// The entity operations of a derived entity whose model failed to load run on: each
/// builder starts failed with the load error.
fn placeholder() -> &'static Entity {
    static PLACEHOLDER: std::sync::OnceLock<Entity> = std::sync::OnceLock::new();
    PLACEHOLDER.get_or_init(|| {
        let model = serde_json::json!({
            "model": {"entity": "electro_unloaded", "service": "electro_unloaded", "version": "1"},
            "attributes": {"id": {"type": "string"}},
            "indexes": {"byId": {"pk": {"field": "pk", "composite": ["id"]}}}
        });
        Entity::from_json_value(&model, &FnTable::new())
            .unwrap_or_else(|e| unreachable!("the placeholder model is valid: {e}"))
    })
}

/// Parses the JSON text the derive emitted.
pub fn parse_json(text: &str) -> Json {
    // The derive escapes every string it emits; were the text ever not JSON, the
    // loader would refuse the null model with an error instead of a panic.
    serde_json::from_str(text).unwrap_or(Json::Null)
}

/// The error of `from_item`.
pub fn missing_field(entity: &str, message: String) -> Error {
    Error::new(
        ErrorCode::InvalidAttribute,
        format!("Cannot read {entity} from item: {message}"),
    )
}

/// A derived entity with its table: operations take typed keys, structs and
/// attribute handles. `untyped()` gives the [`Entity`] for everything else.
pub struct TypedEntity<E> {
    entity: std::result::Result<Entity, (ErrorCode, String)>,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Clone for TypedEntity<E> {
    fn clone(&self) -> Self {
        TypedEntity {
            entity: self.entity.clone(),
            _entity: PhantomData,
        }
    }
}

impl<E: EntityType> Default for TypedEntity<E> {
    fn default() -> Self {
        Self::new()
    }
}

macro_rules! failed {
    ($self:ident, |$e:ident| $build:expr) => {
        match &$self.entity {
            Ok($e) => $build,
            Err(err) => {
                let $e = placeholder();
                let mut b = $build;
                b.0.fail(Error::new(err.0, err.1.clone()));
                b
            }
        }
    };
}

impl<E: EntityType> TypedEntity<E> {
    /// The entity without a table.
    pub fn new() -> Self {
        TypedEntity {
            entity: E::base_entity()
                .cloned()
                .map_err(|e| (e.error_code(), e.reason().to_string())),
            _entity: PhantomData,
        }
    }

    /// With a table.
    pub fn table(self, table: impl Into<String>) -> Self {
        TypedEntity {
            entity: self.entity.map(|e| e.table(table)),
            _entity: PhantomData,
        }
    }

    /// The untyped entity (string attribute names, [`Map`] payloads), or the error
    /// the model failed to load with.
    pub fn untyped(&self) -> Result<&Entity> {
        self.entity
            .as_ref()
            .map_err(|(code, message)| Error::new(*code, message.clone()))
    }

    /// The untyped entity, owned: what [`Service`](crate::service::Service) joins.
    pub fn into_untyped(self) -> Result<Entity> {
        self.entity
            .map_err(|(code, message)| Error::new(code, message))
    }

    /// GetItem; `.go()` returns the struct.
    pub fn get(&self, key: impl PrimaryKey<E>) -> TypedGet<E> {
        TypedGet::wrap(failed!(self, |e| e.get(key.into_key())))
    }
    /// DeleteItem.
    pub fn delete(&self, key: impl PrimaryKey<E>) -> Delete {
        failed!(self, |e| e.delete(key.into_key()))
    }
    /// DeleteItem of an item that must exist.
    pub fn remove(&self, key: impl PrimaryKey<E>) -> Delete {
        failed!(self, |e| e.remove(key.into_key()))
    }
    /// PutItem; `.go()` returns the struct as written.
    pub fn put(&self, item: &E) -> TypedPut<E> {
        TypedPut::wrap(failed!(self, |e| e.put(item.to_item())))
    }
    /// PutItem of an item that must not exist.
    pub fn create(&self, item: &E) -> TypedPut<E> {
        TypedPut::wrap(failed!(self, |e| e.create(item.to_item())))
    }
    /// UpdateItem that creates or updates the whole item.
    pub fn upsert(&self, item: &E) -> Upsert {
        failed!(self, |e| e.upsert(item.to_item()))
    }
    /// UpdateItem.
    pub fn update(&self, key: impl PrimaryKey<E>) -> TypedUpdate<E> {
        TypedUpdate::wrap(failed!(self, |e| e.update(key.into_key())))
    }
    /// UpdateItem of an item that must exist.
    pub fn patch(&self, key: impl PrimaryKey<E>) -> TypedUpdate<E> {
        TypedUpdate::wrap(failed!(self, |e| e.patch(key.into_key())))
    }
    /// Query an access pattern (a partial sort key becomes `begins_with`); `.go()`
    /// returns structs.
    pub fn query(&self, key: impl IndexKey<E>) -> TypedQuery<E> {
        let access = key.access_pattern();
        TypedQuery::wrap(failed!(self, |e| e.query(access, key.into_composites())))
    }
    /// Scan; `.go()` returns structs.
    pub fn scan(&self) -> TypedScan<E> {
        TypedScan::wrap(failed!(self, |e| e.scan()))
    }
    /// A raw table item (fields) as the struct: ElectroDB's `parse`, then `from_item`.
    pub fn parse(&self, item: Map) -> Result<E> {
        E::from_item(&self.untyped()?.parse_item(item)?)
    }
}

/// An UpdateItem on a derived entity, typed by attribute handles: a value of the
/// wrong type, `add` on a string, `append` on a non-list, and updating a key or
/// read-only attribute do not compile.
pub struct TypedUpdate<E> {
    update: Update,
    _entity: PhantomData<fn() -> E>,
}

impl<E> TypedUpdate<E> {
    fn wrap(update: Update) -> Self {
        TypedUpdate {
            update,
            _entity: PhantomData,
        }
    }

    fn one<T: AttributeType, C>(attr: Attr<E, T, C>, value: T) -> Map {
        let mut m = Map::default();
        m.insert(attr.name().into(), value.to_value());
        m
    }

    /// `SET` an attribute.
    pub fn set<T: AttributeType, C: Settable>(
        self,
        attr: Attr<E, T, C>,
        value: impl Input<T>,
    ) -> Self {
        TypedUpdate::wrap(self.update.set(Self::one(attr, value.into_attr())))
    }
    /// `SET` an attribute where it does not exist.
    pub fn if_not_exists<T: AttributeType, C: Settable>(
        self,
        attr: Attr<E, T, C>,
        value: impl Input<T>,
    ) -> Self {
        TypedUpdate::wrap(
            self.update
                .if_not_exists(Self::one(attr, value.into_attr())),
        )
    }
    /// `ADD` to a number or a set.
    pub fn add<T: Addable, C: Settable>(self, attr: Attr<E, T, C>, value: impl Input<T>) -> Self {
        TypedUpdate::wrap(self.update.add(Self::one(attr, value.into_attr())))
    }
    /// Subtract from a number.
    pub fn subtract<T: Numeric, C: Settable>(
        self,
        attr: Attr<E, T, C>,
        value: impl Input<T>,
    ) -> Self {
        TypedUpdate::wrap(self.update.subtract(Self::one(attr, value.into_attr())))
    }
    /// Append items to a list.
    pub fn append<T: ListType, C: Settable>(
        self,
        attr: Attr<E, T, C>,
        items: impl Input<T>,
    ) -> Self {
        TypedUpdate::wrap(self.update.append(Self::one(attr, items.into_attr())))
    }
    /// `DELETE` members from a set.
    pub fn delete<T: SetType, C: Settable>(
        self,
        attr: Attr<E, T, C>,
        members: impl Input<T>,
    ) -> Self {
        TypedUpdate::wrap(self.update.delete(Self::one(attr, members.into_attr())))
    }
    /// `REMOVE` an optional attribute.
    pub fn remove<T, C: Removable>(self, attr: Attr<E, T, C>) -> Self {
        TypedUpdate::wrap(self.update.remove([attr.name()]))
    }
    /// A ConditionExpression from a typed condition.
    pub fn condition(self, cond: Cond<E>) -> Self {
        TypedUpdate::wrap(self.update.where_(move |a, op| cond.render(a, op)))
    }
    /// The untyped builder, for everything else (`where_`, `composite`, `data`).
    pub fn untyped(self) -> Update {
        self.update
    }
    /// The params, with default options.
    pub fn params(self) -> Result<Params> {
        self.update.params()
    }
    /// The params with options.
    pub fn params_with(self, options: &Options) -> Result<Params> {
        self.update.params_with(options)
    }
}

/// `.condition(cond)` / `.filter(cond)` with a typed [`Cond`] on every builder that
/// has `where_`.
pub trait WhereExt<E>: Sized {
    /// A filter (reads) or condition (writes).
    fn filter(self, cond: Cond<E>) -> Self;
    /// The same as [`filter`](WhereExt::filter), named for writes.
    fn condition(self, cond: Cond<E>) -> Self {
        self.filter(cond)
    }
}

macro_rules! where_ext {
    ($($t:ty),*) => {$(
        impl<E> WhereExt<E> for $t {
            fn filter(self, cond: Cond<E>) -> Self {
                self.where_(move |a, op| cond.render(a, op))
            }
        }
    )*};
}
where_ext!(Get, Delete, Put, Query, Scan, Update, Upsert);

/// The model JSON from the derive's skeleton and the attribute definitions.
pub fn model_json(skeleton: &str, attributes: Vec<(&str, Json)>) -> Json {
    let mut model = parse_json(skeleton);
    let attrs: serde_json::Map<String, Json> = attributes
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    if let Json::Object(m) = &mut model {
        m.insert("attributes".to_string(), Json::Object(attrs));
    }
    model
}
