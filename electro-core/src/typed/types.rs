//! Rust types as ElectroDB attribute types.

use crate::{Map, Number, Value};
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
    fn to_attribute(&self) -> Option<Value> {
        Some(self.to_value())
    }
    /// The value of an absent attribute, if absence is allowed.
    fn from_absent() -> Option<Self> {
        None
    }
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
}

/// A set member: a string or a number.
pub trait SetItem: AttributeType + Ord {
    #[doc(hidden)]
    fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value
    where
        Self: 'a;
}

impl SetItem for String {
    fn set_value<'a>(items: impl Iterator<Item = &'a Self>) -> Value {
        Value::StringSet(items.cloned().collect())
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
