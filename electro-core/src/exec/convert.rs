//! Converting between electro's DocumentClient-style [`Value`]s and the SDK's
//! [`AttributeValue`]s.
//!
//! Numbers travel as their exact decimal text in both directions: DynamoDB keeps 38
//! significant digits, an `f64` about 17, so a float round trip would silently change
//! stored numbers. Maps read from DynamoDB come back with their keys sorted, because
//! the SDK hands them over as a `HashMap` whose order is random; sorting makes results
//! deterministic.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use electro_expr::{Map, Name, Number, Value};

use crate::error::{Error, ErrorCode, Result};

/// A DynamoDB item or key, as the SDK takes it.
pub type Item = HashMap<String, AttributeValue>;

/// The SDK form of a value.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// use electro_core::exec::to_attribute_value;
/// use electro_core::{Number, Value};
///
/// let n: Number = "12345678901234567890.123456789012345678".parse().unwrap();
/// assert_eq!(
///     to_attribute_value(&Value::Number(n)),
///     AttributeValue::N("12345678901234567890.123456789012345678".into())
/// );
/// ```
pub fn to_attribute_value(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_js_string()),
        Value::String(s) => AttributeValue::S(s.to_string()),
        Value::Binary(b) => AttributeValue::B(Blob::new(b.clone())),
        Value::List(items) => AttributeValue::L(items.iter().map(to_attribute_value).collect()),
        Value::Map(map) => AttributeValue::M(to_item(map)),
        Value::StringSet(set) => AttributeValue::Ss(set.clone()),
        Value::NumberSet(set) => AttributeValue::Ns(set.iter().map(Number::to_js_string).collect()),
        Value::BinarySet(set) => {
            AttributeValue::Bs(set.iter().map(|b| Blob::new(b.clone())).collect())
        }
    }
}

/// The electro form of a value DynamoDB returned.
///
/// Fails (5001) only on what DynamoDB never sends: a malformed number or an
/// attribute type this SDK version does not know.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// use electro_core::exec::from_attribute_value;
/// use electro_core::Value;
///
/// let v = from_attribute_value(&AttributeValue::Ss(vec!["a".into(), "b".into()])).unwrap();
/// assert_eq!(v, Value::StringSet(vec!["a".into(), "b".into()]));
/// ```
pub fn from_attribute_value(value: &AttributeValue) -> Result<Value> {
    Ok(match value {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::N(n) => Value::Number(parse_number(n)?),
        AttributeValue::S(s) => Value::String(s.as_str().into()),
        AttributeValue::B(b) => Value::Binary(b.as_ref().to_vec()),
        AttributeValue::L(items) => Value::List(
            items
                .iter()
                .map(from_attribute_value)
                .collect::<Result<_>>()?,
        ),
        AttributeValue::M(map) => Value::Map(from_item(map)?),
        AttributeValue::Ss(set) => Value::StringSet(set.clone()),
        AttributeValue::Ns(set) => {
            Value::NumberSet(set.iter().map(|n| parse_number(n)).collect::<Result<_>>()?)
        }
        AttributeValue::Bs(set) => {
            Value::BinarySet(set.iter().map(|b| b.as_ref().to_vec()).collect())
        }
        other => {
            return Err(Error::new(
                ErrorCode::UnknownError,
                format!("DynamoDB returned an attribute value of an unknown type: {other:?}"),
            ));
        }
    })
}

fn parse_number(text: &str) -> Result<Number> {
    text.parse().map_err(|e| {
        Error::new(
            ErrorCode::UnknownError,
            format!("DynamoDB returned a number electro cannot read: {e}"),
        )
    })
}

/// The SDK form of an item or key.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// let item = electro_core::exec::to_item(&electro_core::item! {"pk" => "a", "n" => 1});
/// assert_eq!(item["pk"], AttributeValue::S("a".into()));
/// assert_eq!(item["n"], AttributeValue::N("1".into()));
/// ```
pub fn to_item(map: &Map) -> Item {
    map.iter()
        .map(|(k, v)| (k.to_string(), to_attribute_value(v)))
        .collect()
}

/// The electro form of an item or key, with attribute names sorted.
///
/// ```
/// use electro_core::{exec::{from_item, to_item}, item};
/// let map = item! {"pk" => "a", "n" => 1};
/// assert_eq!(from_item(&to_item(&map)).unwrap(), item! {"n" => 1, "pk" => "a"});
/// ```
pub fn from_item(item: &Item) -> Result<Map> {
    let entries = item
        .iter()
        .map(|(k, v)| Ok((Name::from(k.as_str()), from_attribute_value(v)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Map::from_entries_sorted(entries))
}

/// [`from_item`] consuming the item: strings, sets and binary move instead of being
/// copied (what a response hands over can be taken).
///
/// ```
/// use electro_core::exec::{from_item_owned, to_item};
/// use electro_core::item;
/// let map = item! {"pk" => "a", "n" => 1};
/// assert_eq!(from_item_owned(to_item(&map)).unwrap(), item! {"n" => 1, "pk" => "a"});
/// ```
pub fn from_item_owned(item: Item) -> Result<Map> {
    // The response's names are unique (a hash map's keys) and unordered: sorting
    // the converted entries once gives a deterministic order with no lookups.
    let entries = item
        .into_iter()
        .map(|(k, v)| Ok((Name::from(k), from_attribute_value_owned(v)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Map::from_entries_sorted(entries))
}

/// [`from_attribute_value`] consuming the value.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// use electro_core::{exec::from_attribute_value_owned, Value};
/// let v = from_attribute_value_owned(AttributeValue::S("x".into())).unwrap();
/// assert_eq!(v, Value::from("x"));
/// ```
pub fn from_attribute_value_owned(value: AttributeValue) -> Result<Value> {
    Ok(match value {
        AttributeValue::S(s) => Value::String(s.into()),
        AttributeValue::L(items) => Value::List(
            items
                .into_iter()
                .map(from_attribute_value_owned)
                .collect::<Result<_>>()?,
        ),
        AttributeValue::M(map) => Value::Map(from_item_owned(map)?),
        AttributeValue::Ss(set) => Value::StringSet(set),
        AttributeValue::B(b) => Value::Binary(b.into_inner()),
        AttributeValue::Bs(set) => {
            Value::BinarySet(set.into_iter().map(|b| b.into_inner()).collect())
        }
        other => from_attribute_value(&other)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        s.parse().unwrap()
    }

    #[test]
    fn every_type_round_trips() {
        let mut inner = Map::default();
        inner.insert("z".into(), Value::from(1));
        inner.insert("a".into(), Value::Null);
        let mut item = Map::default();
        item.insert("null".into(), Value::Null);
        item.insert("bool".into(), Value::Bool(true));
        item.insert("int".into(), Value::from(-42));
        item.insert("float".into(), Value::from(0.1));
        item.insert(
            "big".into(),
            Value::Number(num("-1234567890123456789012345678901234567.8")),
        );
        item.insert("str".into(), Value::from("hé"));
        item.insert("bin".into(), Value::Binary(vec![0, 159, 255]));
        item.insert(
            "list".into(),
            Value::List(vec![Value::from("x"), Value::Map(inner.clone())]),
        );
        item.insert("map".into(), Value::Map(inner));
        item.insert("ss".into(), Value::StringSet(vec!["b".into(), "a".into()]));
        item.insert(
            "ns".into(),
            Value::NumberSet(vec![
                num("1"),
                num("99999999999999999999999999999999999999"),
            ]),
        );
        item.insert("bs".into(), Value::BinarySet(vec![vec![1], vec![2, 3]]));

        let sdk = to_item(&item);
        assert_eq!(sdk["float"], AttributeValue::N("0.1".into()));
        assert_eq!(
            sdk["big"],
            AttributeValue::N("-1234567890123456789012345678901234567.8".into())
        );
        assert_eq!(sdk["null"], AttributeValue::Null(true));
        let back = from_item(&sdk).unwrap();
        let mut expected: Vec<_> = item.keys().cloned().collect();
        expected.sort();
        assert_eq!(back.keys().cloned().collect::<Vec<_>>(), expected);
        for (k, v) in &item {
            let got = &back[k];
            match (v, got) {
                (Value::Map(a), Value::Map(b)) => {
                    assert_eq!(a.len(), b.len());
                    assert_eq!(b.keys().collect::<Vec<_>>(), ["a", "z"]);
                }
                _ => assert_eq!(v, got, "{k}"),
            }
        }
        // Exact digits, not just equal as f64.
        assert_eq!(
            back["big"].as_number().unwrap().to_js_string(),
            "-1234567890123456789012345678901234567.8"
        );
    }

    #[test]
    fn bad_numbers_are_errors_not_panics() {
        let err = from_attribute_value(&AttributeValue::N("12abc".into())).unwrap_err();
        assert_eq!(err.code(), 5001);
    }
}
