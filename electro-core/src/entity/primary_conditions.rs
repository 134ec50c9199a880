//! The conditions `patch`, `remove` and `create` put on the table's key fields
//! (`attribute_exists(#pk) AND attribute_exists(#sk)`, or `attribute_not_exists`).
//! They depend only on the model, so they are rendered once when it loads, and a
//! chain starts its condition from a copy instead of rendering them again.

use electro_expr::{FilterExpression, FilterOp};

/// How many more names and values a copy has room for: a `where` clause's few.
const ROOM: usize = 4;

/// A model's key conditions, rendered as a fresh condition renders them.
#[derive(Clone, Debug, Default)]
pub(crate) struct PrimaryConditions {
    exists: FilterExpression,
    not_exists: FilterExpression,
}

impl PrimaryConditions {
    /// The conditions on the table's key fields `pk` and `sk`.
    pub(crate) fn new(pk: &str, sk: Option<&str>) -> PrimaryConditions {
        PrimaryConditions {
            exists: rendered(FilterOp::Exists, pk, sk),
            not_exists: rendered(FilterOp::NotExists, pk, sk),
        }
    }

    /// A new condition holding `op` on the key fields, when `op` is one rendered.
    pub(crate) fn start(&self, op: FilterOp) -> Option<FilterExpression> {
        let rendered = match op {
            FilterOp::Exists => &self.exists,
            FilterOp::NotExists => &self.not_exists,
            _ => return None,
        };
        Some(rendered.clone_with_room(ROOM))
    }
}

/// `op` on the key fields in a new condition.
fn rendered(op: FilterOp, pk: &str, sk: Option<&str>) -> FilterExpression {
    let mut condition = FilterExpression::new();
    add_key_conditions(&mut condition, op, pk, sk);
    condition
}

/// Adds `op` on the key fields `pk` and `sk` to a condition.
pub(crate) fn add_key_conditions(
    condition: &mut FilterExpression,
    op: FilterOp,
    pk: &str,
    sk: Option<&str>,
) {
    // Existence operations take no value, so they cannot fail.
    let _ = condition.unsafe_set(op, pk, [], false);
    if let Some(sk) = sk {
        let _ = condition.unsafe_set(op, sk, [], false);
    }
}
