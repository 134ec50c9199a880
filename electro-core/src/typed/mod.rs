//! Runtime support for `#[derive(Entity)]`, `#[derive(Enum)]` and `#[derive(Map)]`:
//! attribute types, typed attribute handles and conditions, key builders' traits and
//! a typed entity wrapper. The derive only emits the ElectroDB JSON model, a function
//! resolver and these impls; every rule still lives in the one [`Schema`] the loader
//! builds from that model.
//!
//! [`Schema`]: crate::schema

mod attr;
mod cond;
mod entity;
mod go;
mod types;

pub use attr::{Attr, Key, Optional, ReadOnly, Removable, Required, Settable};
pub use cond::Cond;
pub use entity::{EntityType, FnTable, IndexKey, PrimaryKey, TypedEntity, TypedUpdate, WhereExt};
pub use go::{TypedGet, TypedPage, TypedPut, TypedQuery, TypedScan};
pub use types::{
    Addable, AttributeType, Containable, EnumAttr, Input, ListType, Numeric, Ordered, SetItem,
    SetType, Text,
};

#[doc(hidden)]
pub mod __private {
    pub use super::entity::{load_entity, missing_field, model_json, parse_json};
    pub use super::types::{
        attribute_def, enum_schema, from_attribute_value_field, from_attribute_value_via_value,
        from_value_field, map_schema,
    };
    pub use crate::exec::Item;
    pub use aws_sdk_dynamodb::types::AttributeValue;
    pub use serde_json::Value as Json;
}
