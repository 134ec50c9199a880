//! Executing operations against DynamoDB with `aws-sdk-dynamodb`.
//!
//! The rest of electro builds DocumentClient-style params, as ElectroDB's
//! `.params()` does; this module runs them: [`Client::send`] takes an
//! [`Operation`] and its params [`Map`](electro_expr::Map) and returns the response
//! as a DocumentClient-style map. It also converts values ([`to_attribute_value`],
//! [`from_attribute_value`]) and creates tables for tests ([`TableDefinition`]).

#![warn(missing_docs)]

mod aws_error;
mod batch;
mod client;
mod convert;
mod events;
mod format;
mod limits;
mod live;
mod operation;
mod params;
mod request;
mod table;

pub use aws_error::kind_of as aws_error_kind;
pub use batch::{BatchOutcome, RetryPolicy};
pub use client::Client;
pub use convert::{
    Item, from_attribute_value, from_attribute_value_owned, from_item, from_item_owned,
    to_attribute_value, to_item,
};
pub use events::{Event, EventKind, Listener};
pub use format::{MAX_CURSOR_LEN, consumed_capacity_units, deserialize_cursor, serialize_cursor};
pub(crate) use format::{add_capacity, parse_key_json};
pub use limits::{
    MAX_BATCH_GET, MAX_BATCH_WRITE, MAX_ITEM_BYTES, MAX_TRANSACTION_ACTIONS, check_params,
    item_size,
};
pub use live::{ENDPOINT_VAR, REQUIRE_VAR, live_test_endpoint, unique_table_name};
pub use operation::Operation;
pub use table::{GsiDefinition, KeyAttributeType, TABLE_ACTIVE_TIMEOUT, TableDefinition};

/// The SDK electro runs on, re-exported so that users configure clients and write
/// interceptors against the very version electro was built with.
pub use aws_sdk_dynamodb;
