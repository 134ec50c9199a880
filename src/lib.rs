//! # electro
//!
//! DynamoDB single-table design for Rust, modelled on ElectroDB: entities, typed
//! queries and updates, exact DocumentClient-style params offline with `.params()`,
//! and execution with `.go()`.

pub use electro_core::*;
pub use electro_derive::*;
pub use electro_expr as expr;
