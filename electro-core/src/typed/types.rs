//! Rust types as ElectroDB attribute types.

use crate::exec::{self, Item};
use crate::{Map, Number, Value};
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Value as Json, json};
use std::collections::{BTreeSet, HashSet};

/// A Rust type that is an ElectroDB attribute type: `String` (`"string"`), integers and
/// floats (`"number"`), `bool` (`"boolean"`), `Vec<T>` (`"list"`), `BTreeSet`/`HashSet`
/// of strings or numbers (`"set"`), unit enums deriving [`Enum`](crate::typed) (an
/// enum type), structs deriving `Map` (`"map"`), `Option<T>` (the attribute may be
/// absent) and [`Value`] (`"any"`).
///
/// ```
/// use electro_core::typed::AttributeType;
/// use electro_core::Value;
/// assert_eq!(<Vec<i64>>::attribute_schema(), serde_json::json!({"type": "list", "items": {"type": "number"}}));
/// assert_eq!(vec![1i64, 2].to_value(), Value::List(vec![1.into(), 2.into()]));
/// assert_eq!(<Option<String>>::from_value(&"a".into()), Ok(Some("a".to_string())));
/// ```
pub trait AttributeType: Sized {
    /// The type part of the attribute definition (`{"type": ..., "items": ...}`).
    fn attribute_schema() -> Json;
    /// The value to store.
    fn to_value(&self) -> Value;
    /// The value read back; `Err` names what was expected.
    fn from_value(value: &Value) -> Result<Self, String>;
    /// The value to store, `None` to leave the attribute out (an empty `Option`).
    /// A type that overrides this must override
    /// [`to_stored_attribute_value`](AttributeType::to_stored_attribute_value) to
    /// match (as `Option` does).
    fn to_attribute(&self) -> Option<Value> {
        Some(self.to_value())
    }
    /// The value of an absent attribute, if absence is allowed.
    fn from_absent() -> Option<Self> {
        None
    }
    /// [`to_value`](AttributeType::to_value) in the SDK's form, without the
    /// intermediate [`Value`]: always the same as
    /// `exec::to_attribute_value(&self.to_value())`, numbers included (integers as
    /// decimal text, floats as JavaScript writes them).
    ///
    /// The provided method goes through [`Value`]; the built-in types (and the
    /// derives) write the SDK value directly.
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// use electro_core::typed::AttributeType;
    /// assert_eq!(0.1f64.to_attribute_value(), AttributeValue::N("0.1".into()));
    /// assert_eq!(1e21f64.to_attribute_value(), AttributeValue::N("1e+21".into()));
    /// assert_eq!(
    ///     vec!["a".to_string()].to_attribute_value(),
    ///     AttributeValue::L(vec![AttributeValue::S("a".into())])
    /// );
    /// assert_eq!(None::<i64>.to_attribute_value(), AttributeValue::Null(true));
    /// ```
    fn to_attribute_value(&self) -> AttributeValue {
        exec::to_attribute_value(&self.to_value())
    }
    /// [`to_attribute`](AttributeType::to_attribute) in the SDK's form: the value to
    /// store in an item, `None` to leave the attribute out (an empty `Option`).
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// use electro_core::typed::AttributeType;
    /// assert_eq!(Some(7u32).to_stored_attribute_value(), Some(AttributeValue::N("7".into())));
    /// assert_eq!(None::<u32>.to_stored_attribute_value(), None);
    /// ```
    fn to_stored_attribute_value(&self) -> Option<AttributeValue> {
        Some(self.to_attribute_value())
    }
    /// The value read back from the SDK's form, consuming it (strings, lists and
    /// sets move instead of being copied). Whatever it accepts, it reads as
    /// `from_value(&exec::from_attribute_value_owned(value)?)` would; what it refuses
    /// it refuses with the same message, except that inside a list or a map the
    /// first item or property that fails is the one reported (the [`Value`] path
    /// first converts everything, so a malformed number anywhere fails first).
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// use electro_core::typed::AttributeType;
    /// assert_eq!(f64::from_attribute_value(AttributeValue::N("0.1".into())), Ok(0.1));
    /// assert_eq!(
    ///     <Option<String>>::from_attribute_value(AttributeValue::Null(true)),
    ///     Ok(None)
    /// );
    /// assert_eq!(
    ///     u8::from_attribute_value(AttributeValue::N("300".into())),
    ///     Err("expected u8, found 300".to_string())
    /// );
    /// assert_eq!(
    ///     String::from_attribute_value(AttributeValue::Bool(true)),
    ///     Err("expected a string, found boolean".to_string())
    /// );
    /// ```
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        via_value(value)
    }
}

/// Reads an SDK value through [`Value`]: what [`AttributeType::from_attribute_value`]
/// does by default, and what the direct implementations fall back to for anything
/// but their fast case, so that both paths agree on every input and message.
fn via_value<T: AttributeType>(value: AttributeValue) -> Result<T, String> {
    let value = exec::from_attribute_value_owned(value).map_err(|e| e.reason().to_string())?;
    T::from_value(&value)
}

/// Reads through [`AttributeType::from_value`] (the private `via_value`): the
/// derives' fallback arm.
pub fn from_attribute_value_via_value<T: AttributeType>(
    value: AttributeValue,
) -> Result<T, String> {
    via_value(value)
}

fn expected(what: &str, got: &Value) -> String {
    format!("expected {what}, found {}", got.type_name())
}

impl AttributeType for String {
    fn attribute_schema() -> Json {
        json!({"type": "string"})
    }
    fn to_value(&self) -> Value {
        Value::String(self.as_str().into())
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.to_string()),
            other => Err(expected("a string", other)),
        }
    }
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::S(self.clone())
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => via_value(other),
        }
    }
}

impl AttributeType for bool {
    fn attribute_schema() -> Json {
        json!({"type": "boolean"})
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(expected("a boolean", other)),
        }
    }
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::Bool(*self)
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        match value {
            AttributeValue::Bool(b) => Ok(b),
            other => via_value(other),
        }
    }
}

impl AttributeType for Value {
    fn attribute_schema() -> Json {
        json!({"type": "any"})
    }
    fn to_value(&self) -> Value {
        self.clone()
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
    fn to_attribute_value(&self) -> AttributeValue {
        exec::to_attribute_value(self)
    }
}

impl AttributeType for Number {
    fn attribute_schema() -> Json {
        json!({"type": "number"})
    }
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => Ok(n.clone()),
            other => Err(expected("a number", other)),
        }
    }
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::N(self.to_js_string())
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        if let AttributeValue::N(text) = &value {
            if let Ok(n) = text.parse::<Number>() {
                return Ok(n);
            }
        }
        via_value(value)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl AttributeType for $t {
            fn attribute_schema() -> Json {
                json!({"type": "number"})
            }
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
            fn from_value(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Number(n) => n
                        .to_js_string()
                        .parse::<$t>()
                        .map_err(|_| format!("expected {}, found {}", stringify!($t), n.to_js_string())),
                    other => Err(expected("a number", other)),
                }
            }
            fn to_attribute_value(&self) -> AttributeValue {
                // The text `Number::from(n).to_js_string()` writes: plain decimal.
                AttributeValue::N(self.to_string())
            }
            fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
                // Whatever Rust's integer parser accepts, the `Number` path reads as the
                // same integer; everything else (and every error) goes that way.
                if let AttributeValue::N(text) = &value {
                    if let Ok(n) = text.parse::<$t>() {
                        return Ok(n);
                    }
                }
                via_value(value)
            }
        }
        impl Numeric for $t {}
        impl Ordered for $t {}
    )*};
}
integers!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl AttributeType for $t {
            fn attribute_schema() -> Json {
                json!({"type": "number"})
            }
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
            fn from_value(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Number(n) => Ok(n.as_f64() as $t),
                    other => Err(expected("a number", other)),
                }
            }
            fn to_attribute_value(&self) -> AttributeValue {
                // Whole numbers as integers, others as JavaScript writes them; NaN and
                // infinities as "NaN"/"Infinity", which `Client::send` refuses.
                AttributeValue::N(Number::from_float(*self as f64).to_js_string())
            }
            fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
                if let AttributeValue::N(text) = &value {
                    if let Some(f) = Number::parse_f64(text) {
                        return Ok(f as $t);
                    }
                }
                via_value(value)
            }
        }
        impl Numeric for $t {}
        impl Ordered for $t {}
    )*};
}
floats!(f32, f64);

impl<T: AttributeType> AttributeType for Option<T> {
    fn attribute_schema() -> Json {
        T::attribute_schema()
    }
    fn to_value(&self) -> Value {
        self.as_ref().map(T::to_value).unwrap_or(Value::Null)
    }
    fn to_attribute(&self) -> Option<Value> {
        self.as_ref().and_then(T::to_attribute)
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
    fn from_absent() -> Option<Self> {
        Some(None)
    }
    fn to_attribute_value(&self) -> AttributeValue {
        match self {
            Some(v) => v.to_attribute_value(),
            None => AttributeValue::Null(true),
        }
    }
    fn to_stored_attribute_value(&self) -> Option<AttributeValue> {
        self.as_ref().and_then(T::to_stored_attribute_value)
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            v => T::from_attribute_value(v).map(Some),
        }
    }
}

impl<T: AttributeType> AttributeType for Vec<T> {
    fn attribute_schema() -> Json {
        json!({"type": "list", "items": T::attribute_schema()})
    }
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::List(items) => items.iter().map(T::from_value).collect(),
            other => Err(expected("a list", other)),
        }
    }
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::L(self.iter().map(T::to_attribute_value).collect())
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        match value {
            AttributeValue::L(items) => items.into_iter().map(T::from_attribute_value).collect(),
            other => via_value(other),
        }
    }
}

/// A set member: a string or a number.
pub trait SetItem: AttributeType + Ord {
    #[doc(hidden)]
    fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value
    where
        Self: 'a;
    /// [`set_value`](SetItem::set_value) in the SDK's form.
    #[doc(hidden)]
    fn set_attribute_value<'a>(items: impl Iterator<Item = &'a Self>) -> AttributeValue
    where
        Self: 'a,
    {
        exec::to_attribute_value(&Self::set_value(items))
    }
}

impl SetItem for String {
    fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value {
        Value::StringSet(items.cloned().collect())
    }
    fn set_attribute_value<'a>(items: impl Iterator<Item = &'a Self>) -> AttributeValue {
        AttributeValue::Ss(items.cloned().collect())
    }
}

/// An enum attribute type (what `#[derive(Enum)]` implements): a set of one whose
/// type is also `Ord` is a string set whose items are the enum's values.
pub trait EnumAttr: AttributeType {}

impl<T: EnumAttr + Ord> SetItem for T {
    fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value
    where
        Self: 'a,
    {
        Value::StringSet(
            items
                .filter_map(|i| match i.to_value() {
                    Value::String(s) => Some(s.into_string()),
                    _ => None,
                })
                .collect(),
        )
    }
    fn set_attribute_value<'a>(items: impl Iterator<Item = &'a Self>) -> AttributeValue
    where
        Self: 'a,
    {
        AttributeValue::Ss(
            items
                .filter_map(|i| match i.to_attribute_value() {
                    AttributeValue::S(s) => Some(s),
                    _ => None,
                })
                .collect(),
        )
    }
}

macro_rules! int_set_items {
    ($($t:ty),*) => {$(
        impl SetItem for $t {
            fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value {
                Value::NumberSet(items.map(|n| match Value::from(*n) {
                    Value::Number(n) => n,
                    _ => unreachable!("integers are numbers"),
                }).collect())
            }
            fn set_attribute_value<'a>(items: impl Iterator<Item = &'a Self>) -> AttributeValue {
                AttributeValue::Ns(items.map(|n| n.to_string()).collect())
            }
        }
    )*};
}
int_set_items!(i8, i16, i32, i64, u8, u16, u32, u64);

fn set_from_value<T: SetItem, C: FromIterator<T>>(value: &Value) -> Result<C, String> {
    match value {
        Value::StringSet(items) => items
            .iter()
            .map(|s| T::from_value(&Value::String(s.as_str().into())))
            .collect(),
        Value::NumberSet(items) => items
            .iter()
            .map(|n| T::from_value(&Value::Number(n.clone())))
            .collect(),
        Value::List(items) => items.iter().map(T::from_value).collect(),
        other => Err(expected("a set", other)),
    }
}

fn set_from_attribute_value<T: SetItem, C: AttributeType + FromIterator<T>>(
    value: AttributeValue,
) -> Result<C, String> {
    match value {
        AttributeValue::Ss(items) => items
            .into_iter()
            .map(|s| T::from_attribute_value(AttributeValue::S(s)))
            .collect(),
        AttributeValue::Ns(items) => items
            .into_iter()
            .map(|n| T::from_attribute_value(AttributeValue::N(n)))
            .collect(),
        AttributeValue::L(items) => items.into_iter().map(T::from_attribute_value).collect(),
        other => via_value(other),
    }
}

fn set_schema<T: SetItem>() -> Json {
    let items = T::attribute_schema()["type"].clone();
    json!({"type": "set", "items": items})
}

impl<T: SetItem> AttributeType for BTreeSet<T> {
    fn attribute_schema() -> Json {
        set_schema::<T>()
    }
    fn to_value(&self) -> Value {
        T::set_value(self.iter())
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        set_from_value(value)
    }
    fn to_attribute_value(&self) -> AttributeValue {
        T::set_attribute_value(self.iter())
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        set_from_attribute_value(value)
    }
}

impl<T: SetItem + std::hash::Hash> AttributeType for HashSet<T> {
    fn attribute_schema() -> Json {
        set_schema::<T>()
    }
    fn to_value(&self) -> Value {
        let mut sorted: Vec<&T> = self.iter().collect();
        sorted.sort();
        T::set_value(sorted.into_iter())
    }
    fn from_value(value: &Value) -> Result<Self, String> {
        set_from_value(value)
    }
    fn to_attribute_value(&self) -> AttributeValue {
        let mut sorted: Vec<&T> = self.iter().collect();
        sorted.sort();
        T::set_attribute_value(sorted.into_iter())
    }
    fn from_attribute_value(value: AttributeValue) -> Result<Self, String> {
        set_from_attribute_value(value)
    }
}

/// Numbers: `add` and `subtract` take them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number attribute: `add`/`subtract` need a number (or `add` a set)",
    label = "not a number"
)]
pub trait Numeric: AttributeType {}

/// What `add` takes: numbers and sets.
#[diagnostic::on_unimplemented(
    message = "`add` on `{Self}`: only number and set attributes can be added to",
    label = "neither a number nor a set"
)]
pub trait Addable: AttributeType {}
impl<T: Numeric> Addable for T {}
impl<T: SetItem> Addable for BTreeSet<T> {}
impl<T: SetItem + std::hash::Hash> Addable for HashSet<T> {}

/// Sets: `delete` removes members.
#[diagnostic::on_unimplemented(
    message = "`delete` on `{Self}`: only set attributes have members to delete",
    label = "not a set"
)]
pub trait SetType: AttributeType {}
impl<T: SetItem> SetType for BTreeSet<T> {}
impl<T: SetItem + std::hash::Hash> SetType for HashSet<T> {}

/// Lists: `append` adds items.
#[diagnostic::on_unimplemented(
    message = "`append` on `{Self}`: only list attributes (`Vec<T>`) can be appended to",
    label = "not a list"
)]
pub trait ListType: AttributeType {}
impl<T: AttributeType> ListType for Vec<T> {}

/// Strings, and what `begins` takes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a string attribute: `begins` needs a string",
    label = "not a string"
)]
pub trait Text: AttributeType {}
impl Text for String {}

/// Ordered scalars: `gt`, `gte`, `lt`, `lte`, `between`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared by order: `gt`/`lt`/`between` need a string or a number",
    label = "not a string or a number"
)]
pub trait Ordered: AttributeType {}
impl Ordered for String {}
impl Ordered for Number {}
impl Numeric for Number {}

/// What `contains` looks for: a substring, a list item or a set member.
#[diagnostic::on_unimplemented(
    message = "`contains` on `{Self}`: only strings, lists and sets contain things",
    label = "not a string, list or set"
)]
pub trait Containable: AttributeType {
    /// The type of what is looked for.
    type Item: AttributeType;
}
impl Containable for String {
    type Item = String;
}
impl<T: AttributeType> Containable for Vec<T> {
    type Item = T;
}
impl<T: SetItem> Containable for BTreeSet<T> {
    type Item = T;
}
impl<T: SetItem + std::hash::Hash> Containable for HashSet<T> {
    type Item = T;
}

/// The attribute definition of a field: its type's schema merged with the options the
/// derive parsed (a JSON object as text).
pub fn attribute_def<T: AttributeType>(options: &str) -> Json {
    let mut def = T::attribute_schema();
    if let (Json::Object(def), Ok(Json::Object(opts))) =
        (&mut def, serde_json::from_str::<Json>(options))
    {
        for (k, v) in opts {
            def.insert(k, v);
        }
    }
    def
}

/// The schema of an enum attribute.
pub fn enum_schema(values: &[&str]) -> Json {
    json!({"type": values})
}

/// The schema of a map attribute from its properties' definitions.
pub fn map_schema(properties: Vec<(&str, Json)>) -> Json {
    let props: serde_json::Map<String, Json> = properties
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    json!({"type": "map", "properties": props})
}

/// Reads one field of a map for `from_item`.
pub fn from_value_field<T: AttributeType>(map: &Map, name: &str) -> Result<T, String> {
    match map.get(name) {
        Some(v) => T::from_value(v).map_err(|e| format!("\"{name}\": {e}")),
        None => T::from_absent().ok_or_else(|| format!("\"{name}\": missing")),
    }
}

/// Takes one field out of an owned SDK map for `from_dynamo_item` (and a derived
/// map's `from_attribute_value`), with [`from_value_field`]'s messages.
pub fn from_attribute_value_field<T: AttributeType>(
    item: &mut Item,
    name: &str,
) -> Result<T, String> {
    match item.remove(name) {
        Some(v) => T::from_attribute_value(v).map_err(|e| format!("\"{name}\": {e}")),
        None => T::from_absent().ok_or_else(|| format!("\"{name}\": missing")),
    }
}

/// What a typed operation takes for a value of type `T`: a `T` itself (so a number
/// literal takes the attribute's number type), or `&str`/`&String` for a `String`.
///
/// ```
/// use electro_core::typed::Input;
/// fn takes<I: Input<u32>>(v: I) -> u32 { v.into_attr() }
/// assert_eq!(takes(5), 5u32);
/// let s: String = "a".into_attr();
/// assert_eq!(s, "a");
/// ```
#[diagnostic::on_unimplemented(
    message = "wrong value type: this attribute takes `{T}`, not `{Self}`",
    label = "expected `{T}`"
)]
pub trait Input<T> {
    /// The value.
    fn into_attr(self) -> T;
}

impl<T: AttributeType> Input<T> for T {
    fn into_attr(self) -> T {
        self
    }
}

impl Input<String> for &str {
    fn into_attr(self) -> String {
        self.to_string()
    }
}

impl Input<String> for &String {
    fn into_attr(self) -> String {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Debug;

    /// The `Value` path of reading: convert, then `from_value`.
    fn by_value<T: AttributeType>(v: AttributeValue) -> Result<T, String> {
        via_value(v)
    }

    /// Both ways agree: writing gives the `Value` path's SDK value, and reading that
    /// back (or any other SDK value) gives the same result and message.
    fn agree<T: AttributeType + PartialEq + Debug>(x: &T) {
        let direct = x.to_attribute_value();
        assert_eq!(direct, exec::to_attribute_value(&x.to_value()), "{x:?}");
        assert_eq!(
            x.to_stored_attribute_value(),
            x.to_attribute().map(|v| exec::to_attribute_value(&v)),
            "{x:?}"
        );
        assert_eq!(
            T::from_attribute_value(direct.clone()),
            by_value::<T>(direct),
            "{x:?}"
        );
    }

    fn reads_alike<T: AttributeType + PartialEq + Debug>(v: AttributeValue) {
        assert_eq!(
            T::from_attribute_value(v.clone()),
            by_value::<T>(v.clone()),
            "{} from {v:?}",
            std::any::type_name::<T>()
        );
    }

    /// Floats by their bits, so that -0.0 and 0.0 (and NaN) are told apart.
    fn float_reads_alike(text: &str) {
        let n = || AttributeValue::N(text.to_string());
        let bits = |r: Result<f64, String>| r.map(f64::to_bits);
        assert_eq!(
            bits(f64::from_attribute_value(n())),
            bits(by_value(n())),
            "f64 from {text:?}"
        );
        let bits = |r: Result<f32, String>| r.map(f32::to_bits);
        assert_eq!(
            bits(f32::from_attribute_value(n())),
            bits(by_value(n())),
            "f32 from {text:?}"
        );
    }

    const TRICKY: &[&str] = &[
        "0",
        "-0",
        "0.0",
        "-0.0",
        "0.1",
        "-0.1",
        "1",
        "1.0",
        "1.50",
        "007",
        "+5",
        " 5",
        "5 ",
        "5.",
        ".5",
        "1e2",
        "1E2",
        "1e+21",
        "1e21",
        "1e-7",
        "1.5e-7",
        "1e400",
        "-1e400",
        "4.9e-324",
        "2e-324",
        "127",
        "128",
        "-128",
        "-129",
        "255",
        "256",
        "65535",
        "4294967295",
        "4294967296",
        "9007199254740992",
        "9007199254740993",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "12345678901234567890123456789012345678",
        "123456789012345678901234567890123456789",
        "1234567890123456789012345678901234567800000",
        "0.00000000000000000000000000000000000000000001",
        "1.2345678901234567890123456789012345678",
        "NaN",
        "Infinity",
        "-Infinity",
        "inf",
        "nan",
        "",
        "-",
        ".",
        "1e",
        "1e+",
        "1.2.3",
        "12abc",
        "0x10",
    ];

    #[test]
    fn numbers_read_alike_on_tricky_text() {
        for text in TRICKY {
            let n = || AttributeValue::N(text.to_string());
            float_reads_alike(text);
            reads_alike::<i8>(n());
            reads_alike::<i16>(n());
            reads_alike::<i32>(n());
            reads_alike::<i64>(n());
            reads_alike::<u8>(n());
            reads_alike::<u16>(n());
            reads_alike::<u32>(n());
            reads_alike::<u64>(n());
            reads_alike::<Number>(n());
            reads_alike::<Option<i64>>(n());
            reads_alike::<Value>(n());
        }
    }

    #[test]
    fn number_text_is_kept() {
        assert_eq!(0.1f64.to_attribute_value(), AttributeValue::N("0.1".into()));
        assert_eq!(
            1e21f64.to_attribute_value(),
            AttributeValue::N("1e+21".into())
        );
        assert_eq!(
            (-0.0f64).to_attribute_value(),
            AttributeValue::N("0".into())
        );
        assert_eq!(
            i64::MAX.to_attribute_value(),
            AttributeValue::N("9223372036854775807".into())
        );
        assert_eq!(
            u64::MAX.to_attribute_value(),
            AttributeValue::N("18446744073709551615".into())
        );
        assert_eq!(
            u64::from_attribute_value(AttributeValue::N("18446744073709551615".into())),
            Ok(u64::MAX)
        );
        // NaN: written as JavaScript's String(NaN), as the Value path writes it (and
        // `Client::send` refuses); never read back.
        assert_eq!(
            f64::NAN.to_attribute_value(),
            AttributeValue::N("NaN".into())
        );
        assert!(f64::from_attribute_value(AttributeValue::N("NaN".into())).is_err());
        assert!(by_value::<f64>(AttributeValue::N("NaN".into())).is_err());
    }

    #[test]
    fn numbers_write_alike() {
        let floats = [
            0.0,
            -0.0,
            0.1,
            -0.1,
            0.3,
            1.5e-7,
            1e-7,
            1e21,
            1e20,
            123456789.123,
            149.85,
            9.99 * 3.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            9007199254740991.0,
            9007199254740992.0,
            9007199254740994.0,
            -9007199254740992.0,
            1e15,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for f in floats {
            agree(&f);
            agree(&(f as f32));
        }
        // NaN is not equal to itself: compare the written values only.
        for f in [f64::NAN, -f64::NAN] {
            assert_eq!(
                f.to_attribute_value(),
                exec::to_attribute_value(&f.to_value())
            );
            assert_eq!(
                (f as f32).to_attribute_value(),
                exec::to_attribute_value(&(f as f32).to_value())
            );
        }
        for i in [0i64, -1, 1, i64::MAX, i64::MIN, 1 << 53, (1 << 53) + 1] {
            agree(&i);
        }
        for u in [0u64, u64::MAX, i64::MAX as u64, i64::MAX as u64 + 1] {
            agree(&u);
        }
        agree(&i8::MIN);
        agree(&u8::MAX);
        agree(&i16::MIN);
        agree(&u16::MAX);
        agree(&i32::MIN);
        agree(&u32::MAX);
        agree(
            &"12345678901234567890.123456789012345678"
                .parse::<Number>()
                .unwrap(),
        );
    }

    #[test]
    fn other_types_agree() {
        agree(&String::from("hé"));
        agree(&String::new());
        agree(&true);
        agree(&false);
        agree(&Some(String::from("x")));
        agree(&None::<String>);
        agree(&Some(Some(3u8)));
        agree(&vec![1i64, -2, 3]);
        agree(&Vec::<String>::new());
        agree(&vec![Some(0.5f64), None]);
        agree(&vec![vec![String::from("a")], vec![]]);
        agree(&BTreeSet::from([String::from("b"), String::from("a")]));
        agree(&BTreeSet::from([3i64, -1, 2]));
        agree(&BTreeSet::from([u64::MAX, 0]));
        agree(&HashSet::from([String::from("b"), String::from("a")]));
        agree(&HashSet::from([3u32, 1, 2]));
        let mut m = Map::default();
        m.insert("a".into(), Value::from(1));
        m.insert("b".into(), Value::List(vec![Value::Null, Value::from("x")]));
        agree(&Value::Map(m));
        agree(&Value::Null);
    }

    #[test]
    fn mismatches_read_alike() {
        let s = || AttributeValue::S("x".into());
        let samples = [
            s(),
            AttributeValue::N("1".into()),
            AttributeValue::N("1.5".into()),
            AttributeValue::N("bad".into()),
            AttributeValue::Bool(true),
            AttributeValue::Null(true),
            AttributeValue::L(vec![s(), s()]),
            AttributeValue::L(vec![AttributeValue::N("1".into())]),
            AttributeValue::M(Item::from([("k".to_string(), s())])),
            AttributeValue::Ss(vec!["a".into()]),
            AttributeValue::Ns(vec!["1".into(), "2".into()]),
            AttributeValue::Ns(vec!["x".into()]),
            AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(vec![1u8])),
        ];
        for v in samples {
            reads_alike::<String>(v.clone());
            reads_alike::<bool>(v.clone());
            reads_alike::<i64>(v.clone());
            reads_alike::<f64>(v.clone());
            reads_alike::<Option<String>>(v.clone());
            reads_alike::<Vec<String>>(v.clone());
            reads_alike::<Vec<i64>>(v.clone());
            reads_alike::<BTreeSet<String>>(v.clone());
            reads_alike::<BTreeSet<i64>>(v.clone());
            reads_alike::<HashSet<u32>>(v.clone());
            reads_alike::<Value>(v);
        }
        assert_eq!(
            String::from_attribute_value(AttributeValue::N("1".into())),
            Err("expected a string, found number".to_string())
        );
        assert_eq!(
            <BTreeSet<String>>::from_attribute_value(s()),
            Err("expected a set, found string".to_string())
        );
    }

    #[test]
    fn fields_name_the_attribute() {
        let mut item = Item::from([("n".to_string(), AttributeValue::S("x".into()))]);
        assert_eq!(
            from_attribute_value_field::<i64>(&mut item, "n"),
            Err("\"n\": expected a number, found string".to_string())
        );
        assert_eq!(
            from_attribute_value_field::<i64>(&mut item, "m"),
            Err("\"m\": missing".to_string())
        );
        assert_eq!(
            from_attribute_value_field::<Option<i64>>(&mut item, "m"),
            Ok(None)
        );
    }
}
