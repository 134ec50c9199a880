//! # electro
//!
//! DynamoDB single-table design for Rust, modelled on ElectroDB: entities, typed
//! queries and updates, exact DocumentClient-style params offline with `.params()`,
//! and execution with `.go()`.

pub use electro_core::*;
pub use electro_derive::*;
pub use electro_expr as expr;

/// Typed entities: what `#[derive(Entity)]`, `#[derive(Enum)]` and `#[derive(Map)]`
/// build on. See [`Entity`](macro@Entity) for the attributes.
pub mod typed {
    /// A typed attribute handle; the derive makes one per field (`Item::PRICE`).
    ///
    /// ```
    /// use electro::Entity;
    ///
    /// #[derive(Entity)]
    /// #[electro(service = "shop", entity = "item", version = "1")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(id))))]
    /// struct Item { id: String, price: Option<i64> }
    ///
    /// assert_eq!(Item::PRICE.name(), "price");
    /// let cond = Item::PRICE.gt(3) & Item::ID.begins("a");
    /// let p = Item::entity().table("t").query(Item::query().by_id().id("i1"))
    ///     .where_(|a, op| cond.render(a, op)).params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#price > :price0 AND begins_with(#id, :id0)");
    /// ```
    pub use electro_core::typed::Attr;

    /// A typed condition: renders to the same text as the string `where`.
    ///
    /// ```
    /// use electro::Entity;
    ///
    /// #[derive(Entity)]
    /// #[electro(service = "s", entity = "e", version = "1")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(id))))]
    /// struct Thing { id: String, size: Option<i64>, tag: Option<String> }
    ///
    /// let typed = Thing::entity().table("t").scan()
    ///     .where_(|a, op| ((Thing::SIZE.gt(3) | Thing::TAG.exists()) & !Thing::TAG.eq("x")).render(a, op))
    ///     .params_json().unwrap();
    /// let text = Thing::entity().table("t").scan()
    ///     .where_(|a, op| format!("({} OR {}) AND NOT {}",
    ///         op.gt(&a.get("size"), 3), op.exists(&a.get("tag")), op.eq(&a.get("tag"), "x")))
    ///     .params_json().unwrap();
    /// assert_eq!(typed, text);
    /// ```
    pub use electro_core::typed::Cond;

    /// What `#[derive(Entity)]` implements: the model, the loaded entity, item conversion.
    ///
    /// ```
    /// use electro::{Entity, EntityType, item};
    ///
    /// #[derive(Entity, Debug, PartialEq)]
    /// #[electro(service = "s", entity = "user", version = "1", rename_all = "camelCase")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(user_id))))]
    /// struct User { user_id: String, display_name: Option<String> }
    ///
    /// let u = User { user_id: "u1".into(), display_name: None };
    /// assert_eq!(u.to_item(), item! {"userId" => "u1"});
    /// assert_eq!(User::from_item(&item! {"userId" => "u1"}).unwrap(), u);
    /// assert_eq!(User::json_model()["model"]["entity"], "user");
    ///
    /// // The SDK's item directly, without the intermediate `Map`.
    /// let sdk = u.to_dynamo_item();
    /// assert_eq!(sdk, electro::exec::to_item(&u.to_item()));
    /// assert_eq!(User::from_dynamo_item(sdk).unwrap(), u);
    /// let err = User::from_dynamo_item(electro::exec::Item::new()).unwrap_err();
    /// assert_eq!(err.reason(), "Cannot read User from item: \"userId\": missing");
    /// ```
    pub use electro_core::typed::EntityType;

    /// A derived entity with its table; operations take typed keys and structs.
    ///
    /// ```
    /// use electro::Entity;
    ///
    /// #[derive(Entity, Clone)]
    /// #[electro(service = "shop", entity = "item", version = "1")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(id)), sk(field = "sk", composite(color))))]
    /// struct Item { id: String, color: String, stock: Option<i64> }
    ///
    /// let items = Item::entity().table("shop");
    /// let p = items.patch(Item::key().id("i1").color("red")).add(Item::STOCK, 2).params().unwrap();
    /// assert!(p.to_json()["UpdateExpression"].as_str().unwrap().contains("ADD #stock :stock_u0"));
    /// let q = items.query(Item::query().by_id().id("i1")).params().unwrap();
    /// assert_eq!(q.to_json()["KeyConditionExpression"], "#pk = :pk and begins_with(#sk1, :sk1)");
    /// ```
    pub use electro_core::typed::TypedEntity;

    /// A typed UpdateItem: wrong value types, `add` on a string, `append` on a non-list,
    /// updating key or read-only attributes and removing required ones do not compile.
    ///
    /// ```
    /// use electro::Entity;
    ///
    /// #[derive(Entity)]
    /// #[electro(service = "s", entity = "doc", version = "1")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(id))))]
    /// struct Doc { id: String, title: String, tags: Option<Vec<String>>, views: Option<u32> }
    ///
    /// let p = Doc::entity().table("t").update(Doc::key().id("d1"))
    ///     .set(Doc::TITLE, "Hello")
    ///     .append(Doc::TAGS, vec!["new".to_string()])
    ///     .subtract(Doc::VIEWS, 1)
    ///     .condition(Doc::TITLE.exists())
    ///     .params().unwrap();
    /// assert_eq!(p.to_json()["ConditionExpression"], "attribute_exists(#title)");
    /// ```
    pub use electro_core::typed::TypedUpdate;

    /// `.filter(cond)` / `.condition(cond)` with a typed condition on any builder.
    ///
    /// ```
    /// use electro::{Entity, typed::WhereExt};
    ///
    /// #[derive(Entity)]
    /// #[electro(service = "s", entity = "e", version = "1")]
    /// #[electro(index(access = "byId", pk(field = "pk", composite(id))))]
    /// struct Thing { id: String, n: Option<i64> }
    ///
    /// let p = Thing::entity().table("t").query(Thing::query().by_id().id("a"))
    ///     .filter(Thing::N.lt(0)).params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#n < :n0");
    /// ```
    pub use electro_core::typed::WhereExt;

    pub use electro_core::typed::*;
}

#[doc(hidden)]
pub mod __private {
    pub use electro_core::entity::Entity;
    pub use electro_core::schema::{DefaultFn, MutationFn, ValidateFn};
    pub use electro_core::typed::__private::*;
    pub use electro_core::typed::{
        Attr, AttributeType, EntityType, EnumAttr, FnTable, IndexKey, Input, Key, Optional,
        PrimaryKey, ReadOnly, Required, TypedEntity,
    };
    pub use electro_core::{Error, Map, Name, Result, Value};
    pub use std::sync::OnceLock;
}

pub use typed::{Cond, EntityType, TypedEntity, TypedPage, TypedUpdate};

/// The README's examples, compiled and run as doc tests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
