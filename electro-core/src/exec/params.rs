//! Reading DocumentClient-style params (what ElectroDB's `.params()` emits) into the
//! SDK's typed fields.
//!
//! Params arrive as loose [`Map`]s, so every key is checked against what the
//! operation accepts and every value against the type DynamoDB wants; a mistake is
//! an [`InvalidQueryParameters`](ErrorCode::InvalidQueryParameters) error naming the
//! key, never a panic and never a silently dropped setting.

use std::collections::HashMap;

use electro_expr::{Map, Value};

use super::convert::{Item, to_item};
use crate::error::{Error, ErrorCode, Result};

/// A params object being read, with where it sits for error messages.
pub(crate) struct Params<'a> {
    what: String,
    map: &'a Map,
}

pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidQueryParameters, message)
}

impl<'a> Params<'a> {
    /// Checks that `map` has only `allowed` keys.
    pub fn new(what: impl Into<String>, map: &'a Map, allowed: &[&str]) -> Result<Params<'a>> {
        let what = what.into();
        if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(invalid(format!(
                "Unknown params key \"{key}\" for {what}; expected one of: {}",
                allowed.join(", ")
            )));
        }
        Ok(Params { what, map })
    }

    /// Where these params sit, e.g. `TransactWriteItems.TransactItems[2].Put`.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The value of `key`; `Null` counts as absent, as `undefined` does in
    /// ElectroDB's params.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !matches!(v, Value::Null))
    }

    fn wrong(&self, key: &str, wanted: &str, got: &Value) -> Error {
        invalid(format!(
            "{}.{key} must be {wanted}, got {}",
            self.what,
            got.type_name()
        ))
    }

    fn missing(&self, key: &str) -> Error {
        invalid(format!(
            "{} is missing the required key \"{key}\"",
            self.what
        ))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string())),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<String> {
        self.string(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "a boolean", other)),
        }
    }

    pub fn i32(&self, key: &str) -> Result<Option<i32>> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number that fits 32 bits", v)),
            Some(other) => Err(self.wrong(key, "a number", other)),
        }
    }

    pub fn map(&self, key: &str) -> Result<Option<&'a Map>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Map(m)) => Ok(Some(m)),
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }

    pub fn required_map(&self, key: &str) -> Result<&'a Map> {
        self.map(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn list(&self, key: &str) -> Result<Option<&'a [Value]>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    pub fn required_list(&self, key: &str) -> Result<&'a [Value]> {
        self.list(key)?.ok_or_else(|| self.missing(key))
    }

    /// An item or key, converted for the SDK.
    pub fn item(&self, key: &str) -> Result<Option<Item>> {
        Ok(self.map(key)?.map(to_item))
    }

    pub fn required_item(&self, key: &str) -> Result<Item> {
        self.item(key)?.ok_or_else(|| self.missing(key))
    }

    /// `ExpressionAttributeNames`: placeholder to attribute name.
    pub fn names(&self) -> Result<Option<HashMap<String, String>>> {
        const KEY: &str = "ExpressionAttributeNames";
        let Some(map) = self.map(KEY)? else {
            return Ok(None);
        };
        map.iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.to_string(), s.to_string())),
                other => Err(self.wrong(&format!("{KEY}.{k}"), "a string", other)),
            })
            .collect::<Result<_>>()
            .map(Some)
    }

    /// `ExpressionAttributeValues`: placeholder to value.
    pub fn values(&self) -> Result<Option<Item>> {
        self.item("ExpressionAttributeValues")
    }

    /// A string naming one of an SDK enum's variants, checked here so that a typo is
    /// reported with the key it sits under.
    pub fn enumeration<T, E>(
        &self,
        key: &str,
        parse: fn(&str) -> Result<T, E>,
    ) -> Result<Option<T>> {
        match self.string(key)? {
            None => Ok(None),
            Some(s) => parse(&s)
                .map(Some)
                .map_err(|_| invalid(format!("{}.{key} has an unknown value \"{s}\"", self.what))),
        }
    }
}

/// The single `{Kind: {...}}` entry of a batch or transaction element.
pub(crate) fn single_entry<'a>(what: &str, element: &'a Value) -> Result<(&'a str, &'a Map)> {
    let Value::Map(map) = element else {
        return Err(invalid(format!(
            "{what} must be an object, got {}",
            element.type_name()
        )));
    };
    match map.iter().next() {
        Some((kind, Value::Map(body))) if map.len() == 1 => Ok((kind.as_str(), body)),
        _ => Err(invalid(format!(
            "{what} must be an object with exactly one request in it, e.g. {{\"Put\": {{...}}}}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_wrong_types_are_clear_errors() {
        let mut map = Map::default();
        map.insert("TableName".into(), Value::from("t"));
        map.insert("Tablename".into(), Value::from("t"));
        let err = Params::new("GetItem", &map, &["TableName", "Key"])
            .err()
            .unwrap();
        assert_eq!(err.code(), 2013);
        assert!(err.reason().contains("\"Tablename\""), "{}", err.reason());

        let mut map = Map::default();
        map.insert("Limit".into(), Value::from("10"));
        let p = Params::new("Query", &map, &["Limit"]).unwrap();
        let err = p.i32("Limit").unwrap_err();
        assert!(
            err.reason().contains("Query.Limit must be a number"),
            "{}",
            err.reason()
        );
        assert!(p.string("Missing").unwrap().is_none());
        assert!(p.required_string("TableName").is_err());
    }
}
