//! electro's core: schema, validation, keys, every operation's params, services,
//! and execution through `aws-sdk-dynamodb`.

pub mod error;
pub mod exec;

pub use electro_expr::{Map, Number, Value};
pub use error::{Error, ErrorCode, ErrorKind, FieldError, Result};
pub use exec::{Client, Operation};
