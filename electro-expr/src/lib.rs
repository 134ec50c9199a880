//! The pure half of electro: DynamoDB values and the expression compiler.
//!
//! Nothing here knows about AWS, async or entities. Values are DocumentClient-style
//! (plain values, sets marked as sets); expressions are plain data rendered by one
//! renderer that registers every name and value placeholder it writes.

mod json;
mod number;
mod value;

pub use json::number_to_json;
pub use number::{Number, NumberError};
pub use value::{Map, Value};
