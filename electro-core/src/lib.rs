//! electro's core: schema, validation, keys, every operation's params, services,
//! and execution through `aws-sdk-dynamodb`.

pub mod conversion;
pub mod entity;
pub mod error;
pub mod exec;
pub mod model;
pub mod schema;
pub mod service;
pub mod transaction;
pub mod typed;

pub use electro_expr::{Map, Name, Number, Value};
pub use error::{Error, ErrorCode, ErrorKind, FieldError, Result};
pub use exec::{Client, Operation};

/// Builds a [`Map`] of attribute values: `item! {"id" => "a1", "count" => 3}`. A
/// name given twice keeps its first place and takes its last value.
///
/// ```
/// let m = electro_core::item! {"id" => "a1", "count" => 3, "id" => "a2"};
/// assert_eq!(m["count"], electro_core::Value::from(3));
/// assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["id", "count"]);
/// assert_eq!(m["id"], electro_core::Value::from("a2"));
/// ```
#[macro_export]
macro_rules! item {
    () => { $crate::Map::default() };
    (@unit $k:expr) => { () };
    ($k0:expr => $v0:expr $(, $k:expr => $v:expr)* $(,)?) => {{
        let mut m = $crate::Map::with_capacity(
            1 + <[()]>::len(&[$($crate::item!(@unit $k)),*]),
        );
        // The first name goes into an empty map: nothing to search.
        m.insert_unique($crate::Name::from($k0), $crate::Value::from($v0));
        $( m.insert($crate::Name::from($k), $crate::Value::from($v)); )*
        m
    }};
}
