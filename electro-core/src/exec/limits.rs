//! The pre-send check: the final params of every request are checked against
//! DynamoDB's hard limits before anything goes on the wire, so that a request
//! DynamoDB would refuse (or, worse, that would half-succeed in a batch) fails
//! locally with an error naming what is wrong:
//!
//! - NaN and infinite numbers anywhere (`Value::from(f64::NAN)` makes one);
//! - items over 400 KB (DynamoDB's item size: attribute names plus values);
//! - more than 100 actions in a transaction, more than 25 requests in a
//!   `BatchWriteItem`, more than 100 keys in a `BatchGetItem`;
//! - empty strings in key attributes (`Key`, batch keys, a query's `:pk`);
//! - sets with no members, or with duplicate members (refused, not deduplicated:
//!   DynamoDB refuses them too, and silently dropping a member would change what
//!   the caller wrote).

use electro_expr::{Map, Value};

use super::operation::Operation;
use crate::error::{Error, ErrorCode, Result};

/// DynamoDB's largest item, in bytes.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// DynamoDB's most actions in one transaction.
pub const MAX_TRANSACTION_ACTIONS: usize = 100;
/// DynamoDB's most requests in one `BatchWriteItem`.
pub const MAX_BATCH_WRITE: usize = 25;
/// DynamoDB's most keys in one `BatchGetItem`.
pub const MAX_BATCH_GET: usize = 100;

fn refused(message: String) -> Error {
    Error::new(ErrorCode::InvalidQueryParameters, message)
}

/// DynamoDB's size of an item: the UTF-8 length of each attribute name plus its
/// value's size (strings and binaries by length, numbers about one byte per two
/// digits plus one, containers 3 bytes plus their members).
///
/// ```
/// use electro_core::{item, exec::item_size};
/// assert_eq!(item_size(&item! {"id" => "abc"}), 5);
/// ```
pub fn item_size(item: &Map) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn number_size(n: &electro_expr::Number) -> usize {
    let digits = if let Some(i) = n.as_i64() {
        // Integers (the usual number) count their digits without formatting.
        i.unsigned_abs()
            .checked_ilog10()
            .map_or(1, |l| l as usize + 1)
    } else {
        n.to_js_string().bytes().filter(u8::is_ascii_digit).count()
    };
    digits.div_ceil(2) + 1
}

fn value_size(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) => 1,
        Value::Number(n) => number_size(n),
        Value::String(s) => s.len(),
        Value::Binary(b) => b.len(),
        Value::List(l) => 3 + l.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        Value::Map(m) => {
            3 + m
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        Value::StringSet(s) => s.iter().map(String::len).sum(),
        Value::NumberSet(s) => s.iter().map(number_size).sum(),
        Value::BinarySet(s) => s.iter().map(Vec::len).sum(),
    }
}

/// Where a value sits in the params (`PutItem.Item.tags[2]`), for messages: a chain
/// of borrowed segments, written out only when something is refused, so that a
/// valid request walks its values without formatting a path per attribute.
#[derive(Clone, Copy)]
enum At<'a> {
    Root(&'a str),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root(what) => f.write_str(what),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
            At::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Checks a value: finite numbers, sets non-empty and without duplicates.
fn check_value(what: &At<'_>, v: &Value) -> Result<()> {
    fn dupes<T: PartialEq>(members: &[T]) -> bool {
        members
            .iter()
            .enumerate()
            .any(|(i, a)| members[..i].iter().any(|b| a == b))
    }
    let set = |len: usize, dup: bool| -> Result<()> {
        if len == 0 {
            return Err(refused(format!(
                "{what} is an empty set: DynamoDB stores no empty sets (remove the attribute instead)"
            )));
        }
        if dup {
            return Err(refused(format!(
                "{what} is a set with duplicate members: DynamoDB refuses them (electro does not drop members silently)"
            )));
        }
        Ok(())
    };
    match v {
        Value::Number(n) if !n.is_finite() => Err(refused(format!(
            "{what} is {}, not a finite number: DynamoDB stores no NaN or Infinity",
            n.to_js_string()
        ))),
        Value::NumberSet(s) => {
            if let Some(n) = s.iter().find(|n| !n.is_finite()) {
                return Err(refused(format!(
                    "{what} holds {}, not a finite number",
                    n.to_js_string()
                )));
            }
            set(s.len(), dupes(s))
        }
        Value::StringSet(s) => set(s.len(), dupes(s)),
        Value::BinarySet(s) => set(s.len(), dupes(s)),
        Value::List(l) => l
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_value(&At::Index(what, i), v)),
        Value::Map(m) => check_map(what, m),
        _ => Ok(()),
    }
}

fn check_map(what: &At<'_>, m: &Map) -> Result<()> {
    m.iter()
        .try_for_each(|(k, v)| check_value(&At::Key(what, k), v))
}

fn check_item(what: &At<'_>, item: &Map) -> Result<()> {
    check_map(what, item)?;
    let size = item_size(item);
    if size > MAX_ITEM_BYTES {
        return Err(refused(format!(
            "{what} is {size} bytes, over DynamoDB's item size limit of {MAX_ITEM_BYTES} bytes (400 KB)"
        )));
    }
    Ok(())
}

fn check_key(what: &At<'_>, key: &Map) -> Result<()> {
    for (field, v) in key {
        if matches!(v, Value::String(s) if s.is_empty()) {
            return Err(refused(format!(
                "{what}.{field} is an empty string: DynamoDB key attributes cannot be empty"
            )));
        }
    }
    check_item(what, key)
}

fn map<'a>(m: &'a Map, key: &str) -> Option<&'a Map> {
    m.get(key).and_then(Value::as_map)
}

fn list<'a>(m: &'a Map, key: &str) -> &'a [Value] {
    m.get(key).and_then(Value::as_list).unwrap_or_default()
}

/// Checks one request's body (a `Put`, `Update`, ... or a whole operation).
fn check_body(what: &At<'_>, body: &Map) -> Result<()> {
    if let Some(item) = map(body, "Item") {
        check_item(&At::Key(what, "Item"), item)?;
    }
    if let Some(key) = map(body, "Key") {
        check_key(&At::Key(what, "Key"), key)?;
    }
    if let Some(values) = map(body, "ExpressionAttributeValues") {
        check_map(&At::Key(what, "ExpressionAttributeValues"), values)?;
    }
    Ok(())
}

/// Checks the final params of `op` against DynamoDB's limits.
///
/// ```
/// use electro_core::{exec::{check_params, Operation}, item, Map, Value};
/// let mut params = Map::default();
/// params.insert("TableName".into(), "t".into());
/// params.insert("Item".into(), Value::Map(item! {"pk" => "a", "n" => f64::NAN}));
/// let err = check_params(Operation::Put, &params).unwrap_err();
/// assert!(err.reason().contains("PutItem.Item.n is NaN"), "{}", err.reason());
/// ```
pub fn check_params(op: Operation, params: &Map) -> Result<()> {
    let what = op.aws_name();
    let root = At::Root(what);
    check_body(&root, params)?;
    match op {
        Operation::Query => {
            if let Some(Value::String(pk)) =
                map(params, "ExpressionAttributeValues").and_then(|v| v.get(":pk"))
            {
                if pk.is_empty() {
                    return Err(refused(format!(
                        "{what}: the partition key value is an empty string"
                    )));
                }
            }
            if let Some(start) = map(params, "ExclusiveStartKey") {
                check_key(&At::Key(&root, "ExclusiveStartKey"), start)?;
            }
        }
        Operation::Scan => {
            if let Some(start) = map(params, "ExclusiveStartKey") {
                check_key(&At::Key(&root, "ExclusiveStartKey"), start)?;
            }
        }
        Operation::TransactWrite | Operation::TransactGet => {
            let items = list(params, "TransactItems");
            if items.len() > MAX_TRANSACTION_ACTIONS {
                return Err(refused(format!(
                    "{what} has {} actions; DynamoDB allows at most {MAX_TRANSACTION_ACTIONS}",
                    items.len()
                )));
            }
            for (i, el) in items.iter().enumerate() {
                if let Some(m) = el.as_map() {
                    for (kind, body) in m {
                        if let Some(body) = body.as_map() {
                            let items = At::Key(&root, "TransactItems");
                            let item = At::Index(&items, i);
                            check_body(&At::Key(&item, kind), body)?;
                        }
                    }
                }
            }
        }
        Operation::BatchWrite => {
            for (table, requests) in map(params, "RequestItems").into_iter().flatten() {
                let requests = requests.as_list().unwrap_or_default();
                if requests.len() > MAX_BATCH_WRITE {
                    return Err(refused(format!(
                        "{what} has {} requests for {table}; DynamoDB allows at most {MAX_BATCH_WRITE}",
                        requests.len()
                    )));
                }
                for (i, r) in requests.iter().enumerate() {
                    let all = At::Key(&root, "RequestItems");
                    let table_at = At::Key(&all, table);
                    let at_i = At::Index(&table_at, i);
                    if let Some(item) = r
                        .as_map()
                        .and_then(|r| map(r, "PutRequest"))
                        .and_then(|p| map(p, "Item"))
                    {
                        let put = At::Key(&at_i, "PutRequest");
                        check_item(&At::Key(&put, "Item"), item)?;
                    }
                    if let Some(key) = r
                        .as_map()
                        .and_then(|r| map(r, "DeleteRequest"))
                        .and_then(|p| map(p, "Key"))
                    {
                        let delete = At::Key(&at_i, "DeleteRequest");
                        check_key(&At::Key(&delete, "Key"), key)?;
                    }
                }
            }
        }
        Operation::BatchGet => {
            for (table, body) in map(params, "RequestItems").into_iter().flatten() {
                let keys = body.as_map().map(|b| list(b, "Keys")).unwrap_or_default();
                if keys.len() > MAX_BATCH_GET {
                    return Err(refused(format!(
                        "{what} has {} keys for {table}; DynamoDB allows at most {MAX_BATCH_GET}",
                        keys.len()
                    )));
                }
                for (i, k) in keys.iter().enumerate() {
                    if let Some(k) = k.as_map() {
                        let all = At::Key(&root, "RequestItems");
                        let table_at = At::Key(&all, table);
                        let keys_at = At::Key(&table_at, "Keys");
                        check_key(&At::Index(&keys_at, i), k)?;
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}
