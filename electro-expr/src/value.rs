//! The DocumentClient value model: what DynamoDB stores, as plain Rust values.

pub use crate::map::Map;
use crate::number::Number;

/// An attribute name, placeholder or params key (`"pk"`, `"#status"`,
/// `":status_u0"`, `"TableName"`): kept inline up to 24 bytes, so the short names
/// that fill every item and expression cost no allocation. Derefs to `str`; build one
/// with `.into()` from `&str` or `String`, or `Name::const_new` for a constant.
pub type Name = compact_str::CompactString;

/// One DynamoDB value, DocumentClient style: plain values, with sets marked as sets.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// `NULL`.
    #[default]
    Null,
    /// `BOOL`.
    Bool(bool),
    /// `N`, with DynamoDB's precision.
    Number(Number),
    /// `S`: inline up to 24 bytes (see [`Name`]), as most key composites and short
    /// attribute values are.
    String(Name),
    /// `B`.
    Binary(Vec<u8>),
    /// `L`.
    List(Vec<Value>),
    /// `M`.
    Map(Map),
    /// `SS`.
    StringSet(Vec<String>),
    /// `NS`.
    NumberSet(Vec<Number>),
    /// `BS`.
    BinarySet(Vec<Vec<u8>>),
}

impl Value {
    /// The JavaScript `typeof`-like name ElectroDB uses in its messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Binary(_) => "binary",
            Value::List(_) => "array",
            Value::Map(_) => "object",
            Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_) => "set",
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The map, when this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, when this is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Whether this is one of the three set types.
    pub fn is_set(&self) -> bool {
        matches!(
            self,
            Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_)
        )
    }

    /// Appends the value as JavaScript's template literal `${value}` would write it,
    /// which is how ElectroDB writes composite attributes into keys.
    pub fn write_js(&self, out: &mut String) {
        match self {
            Value::String(s) => out.push_str(s),
            Value::Number(n) => n.write_js(out),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Null => out.push_str("null"),
            Value::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    // `Array.prototype.join` writes null elements as "".
                    if !matches!(v, Value::Null) {
                        v.write_js(out);
                    }
                }
            }
            Value::Map(_) => out.push_str("[object Object]"),
            Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_) => {
                out.push_str("[object Set]")
            }
            Value::Binary(b) => out.push_str(&String::from_utf8_lossy(b)),
        }
    }

    /// [`Value::write_js`] into a new string.
    pub fn to_js_string(&self) -> String {
        let mut s = String::new();
        self.write_js(&mut s);
        s
    }

    /// A value from JSON: arrays become lists, objects maps. Sets written as
    /// `{"$set": [...]}` and binary as `{"$binary": "<base64>"}` (the conformance
    /// corpus's conventions) are read back as sets and binary.
    pub fn from_json(json: &serde_json::Value) -> Value {
        crate::json::from_json(json)
    }

    /// The value as canonical JSON: sets as sorted `{"$set": [...]}`, binary as
    /// `{"$binary": "<base64>"}`.
    pub fn to_json(&self) -> serde_json::Value {
        crate::json::to_json(self)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<Name> for Value {
    fn from(s: Name) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Self {
        Value::List(l)
    }
}

macro_rules! value_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Number(Number::from(v)) }
        }
    )*};
}
value_from_int!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl From<f64> for Value {
    /// NaN and infinities have no DynamoDB form; they become a non-finite
    /// [`Number`] (see [`Number::from_float`]) that schema validation and
    /// `Client::send` refuse with a clear error before any request is sent.
    fn from(f: f64) -> Self {
        Value::Number(Number::from_float(f))
    }
}

impl From<f32> for Value {
    fn from(f: f32) -> Self {
        Value::from(f as f64)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Self {
        o.map(Into::into).unwrap_or(Value::Null)
    }
}
