//! Cursors and consumed capacity, in the reference's formats.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use electro_expr::{Map, Value};

use crate::error::{Error, ErrorCode, Result};

/// ElectroDB's cursor for a `LastEvaluatedKey`: base64url (no padding) of its JSON,
/// as `util.js`'s `cursorFormatter.serialize` makes it. Keys are written sorted, so
/// the same key always gives the same cursor.
///
/// ```
/// use electro_core::{Map, Value};
/// let mut key = Map::default();
/// key.insert("pk".into(), Value::from("$app#id_1"));
/// key.insert("sk".into(), Value::from("$user_1"));
/// let cursor = electro_core::exec::serialize_cursor(&key);
/// assert_eq!(electro_core::exec::deserialize_cursor(&cursor).unwrap(), key);
/// ```
pub fn serialize_cursor(key: &Map) -> String {
    let mut sorted: Vec<(&crate::Name, &Value)> = key.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut m = Map::default();
    for (k, v) in sorted {
        m.insert(k.as_str().into(), v.clone());
    }
    URL_SAFE_NO_PAD.encode(Value::Map(m).to_json().to_string())
}

/// The longest cursor accepted: DynamoDB keys are at most 2 KB (partition) and
/// 1 KB (sort), and a GSI cursor holds two of each, so a real cursor stays far
/// below this; anything longer is refused before it is decoded.
pub const MAX_CURSOR_LEN: usize = 16 * 1024;

/// The key a cursor stands for (`cursorFormatter.deserialize`). Accepts padded
/// base64url too, as Node's decoder does. Refuses cursors over [`MAX_CURSOR_LEN`].
///
/// ```
/// let err = electro_core::exec::deserialize_cursor("not a cursor!").unwrap_err();
/// assert_eq!(err.code(), 2008);
/// ```
pub fn deserialize_cursor(cursor: &str) -> Result<Map> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidConversionCursorProvided,
            "Unable to parse cursor",
        )
    };
    if cursor.len() > MAX_CURSOR_LEN {
        return Err(Error::new(
            ErrorCode::InvalidConversionCursorProvided,
            format!("Unable to parse cursor: longer than {MAX_CURSOR_LEN} characters"),
        ));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.trim_end_matches('='))
        .map_err(|_| bad())?;
    parse_key_json(std::str::from_utf8(&bytes).map_err(|_| bad())?)
}

/// A key from its JSON text (the `raw` pager's cursor).
pub(crate) fn parse_key_json(text: &str) -> Result<Map> {
    if text.len() > MAX_CURSOR_LEN {
        return Err(Error::new(
            ErrorCode::InvalidConversionCursorProvided,
            format!("Unable to parse cursor: longer than {MAX_CURSOR_LEN} characters"),
        ));
    }
    let json: serde_json::Value = serde_json::from_str(text).map_err(|_| {
        Error::new(
            ErrorCode::InvalidConversionCursorProvided,
            "Unable to parse cursor",
        )
    })?;
    match Value::from_json(&json) {
        Value::Map(m) => Ok(m),
        _ => Err(Error::new(
            ErrorCode::InvalidConversionCursorProvided,
            "Unable to parse cursor: expected an object",
        )),
    }
}

/// The capacity units a DocumentClient-style response reports in
/// `ConsumedCapacity` (one object, or a list for batches), summed; `None` when it
/// reports none.
///
/// ```
/// use electro_core::{Map, Value};
/// let mut cc = Map::default();
/// cc.insert("CapacityUnits".into(), Value::from(1.5));
/// let mut res = Map::default();
/// res.insert("ConsumedCapacity".into(), Value::List(vec![Value::Map(cc.clone()), Value::Map(cc)]));
/// assert_eq!(electro_core::exec::consumed_capacity_units(&res), Some(3.0));
/// ```
pub fn consumed_capacity_units(response: &Map) -> Option<f64> {
    fn units(v: &Value) -> Option<f64> {
        v.as_map()?
            .get("CapacityUnits")
            .and_then(Value::as_number)
            .map(|n| n.as_f64())
    }
    match response.get("ConsumedCapacity")? {
        Value::List(l) => {
            let all: Vec<f64> = l.iter().filter_map(units).collect();
            (!all.is_empty()).then(|| all.iter().sum())
        }
        v => units(v),
    }
}

/// Adds `b` to `a`, either being absent.
pub(crate) fn add_capacity(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}
