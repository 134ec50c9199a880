//! Conversions between [`Value`] and JSON, with the conformance corpus's conventions
//! for sets (`{"$set": [...]}`, members sorted) and binary (`{"$binary": base64}`).

use crate::number::Number;
use crate::value::{Map, Value};
use base64::Engine;

pub(crate) fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(number_from_json(n)),
        serde_json::Value::String(s) => Value::String(s.as_str().into()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(obj) => {
            if obj.len() == 1 {
                if let Some(serde_json::Value::Array(members)) = obj.get("$set") {
                    return set_from_json(members);
                }
                if let Some(serde_json::Value::String(b64)) = obj.get("$binary") {
                    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) {
                        return Value::Binary(bytes);
                    }
                }
            }
            let mut map = Map::with_capacity(obj.len());
            for (k, v) in obj {
                map.insert(k.as_str().into(), from_json(v));
            }
            Value::Map(map)
        }
    }
}

fn number_from_json(n: &serde_json::Number) -> Number {
    if let Some(i) = n.as_i64() {
        Number::from(i)
    } else if let Some(u) = n.as_u64() {
        Number::from(u)
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .unwrap_or_else(|| Number::from(0))
    }
}

fn set_from_json(members: &[serde_json::Value]) -> Value {
    if members.iter().all(|m| m.is_number()) && !members.is_empty() {
        let nums = members
            .iter()
            .filter_map(|m| m.as_number().map(number_from_json))
            .collect();
        return Value::NumberSet(nums);
    }
    if !members.is_empty() && members.iter().all(|m| m.get("$binary").is_some()) {
        let bins = members
            .iter()
            .filter_map(|m| m.get("$binary").and_then(|b| b.as_str()))
            .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .collect();
        return Value::BinarySet(bins);
    }
    Value::StringSet(
        members
            .iter()
            .map(|m| match m {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
    )
}

/// A number as JSON: a JSON number when that is lossless, else its decimal text.
pub fn number_to_json(n: &Number) -> serde_json::Value {
    if let Some(i) = n.as_i64().filter(|_| n.is_integer()) {
        return serde_json::Value::from(i);
    }
    if n.is_lossless_f64() {
        if let Some(num) = serde_json::Number::from_f64(n.as_f64()) {
            return serde_json::Value::Number(num);
        }
    }
    serde_json::Value::String(n.to_js_string())
}

fn sorted_set(mut members: Vec<serde_json::Value>) -> serde_json::Value {
    members.sort_by_key(|a| a.to_string());
    let mut obj = serde_json::Map::default();
    obj.insert("$set".into(), serde_json::Value::Array(members));
    serde_json::Value::Object(obj)
}

fn binary_json(b: &[u8]) -> serde_json::Value {
    let mut obj = serde_json::Map::default();
    obj.insert(
        "$binary".into(),
        serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
    );
    serde_json::Value::Object(obj)
}

pub(crate) fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => number_to_json(n),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Binary(b) => binary_json(b),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => {
            let mut obj = serde_json::Map::with_capacity(m.len());
            for (k, v) in m {
                obj.insert(k.to_string(), to_json(v));
            }
            serde_json::Value::Object(obj)
        }
        Value::StringSet(s) => {
            sorted_set(s.iter().cloned().map(serde_json::Value::String).collect())
        }
        Value::NumberSet(s) => sorted_set(s.iter().map(number_to_json).collect()),
        Value::BinarySet(s) => sorted_set(s.iter().map(|b| binary_json(b)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_sets_and_binary() {
        let j = json!({"a": {"$set": ["b", "a"]}, "n": {"$set": [2, 1]}, "bin": {"$binary": "AAE="}, "l": [1, 1.5, "x"]});
        let v = from_json(&j);
        let back = to_json(&v);
        assert_eq!(
            back,
            json!({"a": {"$set": ["a", "b"]}, "n": {"$set": [1, 2]}, "bin": {"$binary": "AAE="}, "l": [1, 1.5, "x"]})
        );
    }
}
