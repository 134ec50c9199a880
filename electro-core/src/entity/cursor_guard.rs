//! Cursor safety: a cursor is client-controlled input, so the key it decodes to is
//! checked before it becomes an `ExclusiveStartKey`.
//!
//! Decoding already refuses text that is not a cursor (bad base64, bad JSON, not an
//! object) and oversized cursors ([`MAX_CURSOR_LEN`](crate::exec::MAX_CURSOR_LEN)).
//! Here the key must have exactly the shape the queried index gives a
//! `LastEvaluatedKey` (the index's and the table's key fields, each a non-empty
//! string, or a number where the key is cast to one), and for a query it must lie
//! inside the query itself: the same partition key value as the query's `:pk`, and a
//! sort key that satisfies the query's own sort key condition (`begins_with`, `=`,
//! `<`, `<=`, `>`, `>=`, `BETWEEN`). DynamoDB's `LastEvaluatedKey` for a query
//! always satisfies the key condition, so every cursor electro or electrodb wrote
//! for this query passes, and a tampered or foreign one (another partition's keys,
//! another entity's keys in a shared partition) fails with a clear error instead of
//! starting the page somewhere else. A scan's cursor can be any item of the table,
//! so scans get the shape check only.

use std::cmp::Ordering;

use crate::error::{Error, ErrorCode, Result};
use crate::exec::Operation;
use crate::model::{KeyCast, Model, TABLE_INDEX};
use crate::{Map, Value};

fn refused(why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidConversionCursorProvided,
        format!("Invalid cursor: {why}"),
    )
}

/// The key fields a `LastEvaluatedKey` of `index` has, with how each is cast.
fn expected_fields<'m>(model: &'m Model, index: &str) -> Vec<(&'m str, KeyCast)> {
    let mut out: Vec<(&str, KeyCast)> = Vec::new();
    let mut push = |field: &'m str, cast: KeyCast| {
        if !out.iter().any(|(f, _)| *f == field) {
            out.push((field, cast));
        }
    };
    for name in [index, TABLE_INDEX] {
        let Some((pk, sk)) = model.key_fields(name) else {
            continue;
        };
        let fx = model.fixings_of(name);
        push(pk, fx.map_or(KeyCast::String, |f| f.pk.cast));
        if let Some(sk) = sk {
            push(sk, fx.map_or(KeyCast::String, |f| f.sk.cast));
        }
    }
    out
}

/// Checks a decoded (and trimmed) start key against the index and, for a query,
/// against the query's key condition in `params`.
pub(super) fn check_start_key(
    model: &Model,
    index: &str,
    op: Operation,
    params: &Map,
    key: &Map,
) -> Result<()> {
    if model.key_fields(index).is_none() {
        return Err(refused(format!("unknown index \"{index}\"")));
    }
    for (field, cast) in expected_fields(model, index) {
        match key.get(field) {
            None => {
                return Err(refused(format!(
                    "it has no \"{field}\", which every key of this index has"
                )));
            }
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(Value::Number(n)) if cast == KeyCast::Number && n.is_finite() => {}
            Some(other) => {
                return Err(refused(format!(
                    "\"{field}\" must be a non-empty {}, got {}",
                    if cast == KeyCast::Number {
                        "number"
                    } else {
                        "string"
                    },
                    other.type_name()
                )));
            }
        }
    }
    if op == Operation::Query {
        check_in_query(params, key)?;
    }
    Ok(())
}

fn check_in_query(params: &Map, key: &Map) -> Result<()> {
    let names = params
        .get("ExpressionAttributeNames")
        .and_then(Value::as_map);
    let values = params
        .get("ExpressionAttributeValues")
        .and_then(Value::as_map);
    let expression = params
        .get("KeyConditionExpression")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (Some(names), Some(values)) = (names, values) else {
        return Err(refused(
            "the query has no key condition to check it against",
        ));
    };
    let field = |ph: &str| names.get(ph).and_then(Value::as_str);
    let (Some(pk_field), Some(pk)) = (field("#pk"), values.get(":pk")) else {
        return Err(refused(
            "the query has no partition key to check it against",
        ));
    };
    if key.get(pk_field) != Some(pk) {
        return Err(refused(format!(
            "it belongs to another partition than the one queried (\"{pk_field}\" differs)"
        )));
    }
    let Some(sk_field) = field("#sk1") else {
        return Ok(());
    };
    let Some(sk) = key.get(sk_field) else {
        return Err(refused(format!("it has no sort key \"{sk_field}\"")));
    };
    let v1 = values.get(":sk1");
    let cmp = |v: Option<&Value>| v.and_then(|v| compare(sk, v));
    let inside = if expression.contains("begins_with(#sk1, :sk1)") {
        match (sk, v1) {
            (Value::String(s), Some(Value::String(p))) => s.starts_with(p.as_str()),
            _ => true,
        }
    } else if expression.contains("#sk1 BETWEEN :sk1 AND :sk2") {
        cmp(v1).none_or(|o| o != Ordering::Less)
            && cmp(values.get(":sk2")).none_or(|o| o != Ordering::Greater)
    } else if expression.contains("#sk1 >= :sk1") {
        cmp(v1).none_or(|o| o != Ordering::Less)
    } else if expression.contains("#sk1 > :sk1") {
        cmp(v1).none_or(|o| o == Ordering::Greater)
    } else if expression.contains("#sk1 <= :sk1") {
        cmp(v1).none_or(|o| o != Ordering::Greater)
    } else if expression.contains("#sk1 < :sk1") {
        cmp(v1).none_or(|o| o == Ordering::Less)
    } else if expression.contains("#sk1 = :sk1") {
        cmp(v1).none_or(|o| o == Ordering::Equal)
    } else {
        true
    };
    if inside {
        Ok(())
    } else {
        Err(refused(format!(
            "its sort key \"{sk_field}\" lies outside the query's sort key condition \
             (another entity's or another query's cursor)"
        )))
    }
}

/// DynamoDB's order: strings by UTF-8 bytes, numbers by value; `None` across types.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::String(a), Value::String(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        _ => None,
    }
}

/// `Option::is_none_or` (Rust 1.82) for the MSRV.
trait NoneOr<T> {
    fn none_or(self, f: impl FnOnce(T) -> bool) -> bool;
}

impl<T> NoneOr<T> for Option<T> {
    fn none_or(self, f: impl FnOnce(T) -> bool) -> bool {
        self.is_none_or(f)
    }
}
