//! The pure half of electro: DynamoDB values and the expression compiler.
//!
//! Nothing here knows about AWS, async or entities. Values are DocumentClient-style
//! (plain values, sets marked as sets); expressions are plain data rendered by one
//! renderer that registers every name and value placeholder it writes, in the order
//! ElectroDB 3.9.3 registers them, so params match the reference byte for byte.

mod condition;
mod error;
mod filter;
mod hash;
mod json;
mod key_condition;
mod map;
mod names;
mod number;
mod ops;
mod projection;
mod render;
mod state;
mod update;
mod value;

pub use condition::{Condition, Operand, Part, Path, Segment, UpdateAction};
pub use error::ExprError;
pub use filter::FilterExpression;
pub use hash::{FastMap, FxBuildHasher, FxHasher, NameMap, ValueMap};
pub use json::number_to_json;
pub use key_condition::{KeyCondition, KeyConditionParams, SortKeyCondition};
pub use map::{Entry, LINEAR_MAX, OccupiedEntry, OrderedMap, VacantEntry};
pub use names::{SeenNames, format_expression_name, format_value_name, js_is_nan};
pub use number::{Number, NumberError};
pub use ops::{AttrKind, FilterOp, UpdateClause, UpdateOp};
pub use projection::{Projection, apply_projection};
pub use render::{render_condition, render_condition_into, render_operand};
pub use state::{ExpressionState, NameSlot, PathRef};
pub use update::UpdateExpression;
pub use value::{Map, Name, Value};
/// Iterators of a [`Map`].
pub mod map_iter {
    pub use crate::map::{Drain, IntoIter, Iter, IterMut, Keys, Values, ValuesMut};
}
