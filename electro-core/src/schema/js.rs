//! The few JavaScript semantics schema.js relies on (`typeof`, `getValueType`,
//! `Number(x)`, `JSON.stringify`, `isNaN`), written once so every check agrees.

use electro_expr::{Number, Value};

/// JavaScript's `typeof` for a DocumentClient value: what ElectroDB prints in
/// `Received value of type "..."` (null, lists, maps, sets and binary are all "object").
pub(crate) fn type_of(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        _ => "object",
    }
}

/// schema.js's `getValueType`: the finer classification used by map, list and set
/// messages. A Rust set stands for a JavaScript `Set`; binary is a `Uint8Array`.
pub(crate) fn value_type(value: Option<&Value>) -> &'static str {
    match value {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::String(_)) => "string",
        Some(Value::Number(_)) => "number",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::List(_)) => "array",
        Some(Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_)) => "set",
        Some(Value::Map(_)) => "object",
        Some(Value::Binary(_)) => "unknown",
    }
}

/// The members of a set as plain values (JavaScript's `Array.from(set)`).
pub(crate) fn set_members(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::StringSet(s) => Some(s.iter().cloned().map(Value::from).collect()),
        Value::NumberSet(s) => Some(s.iter().cloned().map(Value::Number).collect()),
        Value::BinarySet(s) => Some(s.iter().cloned().map(Value::Binary).collect()),
        _ => None,
    }
}

/// JavaScript's `Number(value)` as an `f64` (NaN when JavaScript gives NaN).
pub(crate) fn to_number(value: &Value) -> f64 {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Null => 0.0,
        Value::String(s) => string_to_number(s),
        Value::List(items) => match items.as_slice() {
            [] => 0.0,
            [one] => to_number(&Value::String(one.to_js_string().into())),
            _ => f64::NAN,
        },
        _ => f64::NAN,
    }
}

/// JavaScript's `Number(string)`: trimmed, empty is 0, hex/octal/binary prefixes,
/// `Infinity`, otherwise a decimal literal or NaN.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |digits: &str, radix: u32| {
        if digits.is_empty() {
            return f64::NAN;
        }
        digits
            .chars()
            .try_fold(0f64, |acc, c| {
                c.to_digit(radix)
                    .map(|d| acc * f64::from(radix) + f64::from(d))
            })
            .unwrap_or(f64::NAN)
    };
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("0x") {
        return radix(rest, 16);
    }
    if let Some(rest) = lower.strip_prefix("0o") {
        return radix(rest, 8);
    }
    if let Some(rest) = lower.strip_prefix("0b") {
        return radix(rest, 2);
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let valid = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// JavaScript's `isNaN(string)`, used by `getChild` to recognise list indexes.
pub(crate) fn is_nan_str(s: &str) -> bool {
    string_to_number(s).is_nan()
}

/// A `Number` from JavaScript's `Number(value)`, or `None` when that is NaN or
/// infinite (DynamoDB stores neither).
pub(crate) fn number_from_js(value: &Value) -> Option<Number> {
    if let Value::Number(n) = value {
        return Some(n.clone());
    }
    Number::from_f64(to_number(value))
}

/// JavaScript's `JSON.stringify(value)` (sets stringify as `{}`, as JavaScript's do).
pub(crate) fn json_stringify(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => n.write_js(out),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, out);
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
        Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_) => out.push_str("{}"),
        Value::Binary(bytes) => {
            out.push_str("{\"type\":\"Buffer\",\"data\":[");
            for (i, b) in bytes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&b.to_string());
            }
            out.push_str("]}");
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

/// ElectroDB's `commaSeparatedString`: each value quoted and joined with `", "`.
pub(crate) fn comma_separated<I, S>(values: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(v.as_ref());
        out.push('"');
    }
    out
}

/// JavaScript's `String(json)` for a model-file value, used where ElectroDB
/// interpolates a definition value into a message.
pub(crate) fn json_to_js_string(json: &serde_json::Value) -> String {
    match json {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(_) => "[object Object]".to_string(),
        other => Value::from_json(other).to_js_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_conversion_follows_javascript() {
        assert_eq!(string_to_number(" 42 "), 42.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x1F"), 31.0);
        assert!(string_to_number("abc").is_nan());
        assert!(string_to_number("1,2").is_nan());
        assert_eq!(string_to_number("1e3"), 1000.0);
        assert_eq!(to_number(&Value::Bool(true)), 1.0);
        assert!(number_from_js(&Value::from("Infinity")).is_none());
    }

    #[test]
    fn stringify_matches_json_stringify() {
        let mut m = electro_expr::Map::default();
        m.insert(
            "a".into(),
            Value::List(vec![Value::from(1), Value::from("x")]),
        );
        assert_eq!(json_stringify(&Value::Map(m)), r#"{"a":[1,"x"]}"#);
        assert_eq!(json_stringify(&Value::StringSet(vec!["a".into()])), "{}");
    }
}
