//! The Rust stand-ins for the JavaScript functions an ElectroDB model holds
//! (`default`, `set`, `get`, `validate`), with the JavaScript semantics made explicit,
//! and the resolver through which a JSON model names them.

use electro_expr::{Map, Value};
use regex::Regex;
use std::fmt;
use std::sync::Arc;

/// A `default: () => value`; `None` is JavaScript's `undefined` (no default).
#[derive(Clone)]
pub struct DefaultFn(Arc<dyn Fn() -> Option<Value> + Send + Sync>);

impl DefaultFn {
    /// Wraps a closure.
    ///
    /// ```
    /// use electro_core::schema::DefaultFn;
    /// let d = DefaultFn::new(|| Some("new".into()));
    /// assert_eq!(d.call(), Some("new".into()));
    /// ```
    pub fn new(f: impl Fn() -> Option<Value> + Send + Sync + 'static) -> Self {
        DefaultFn(Arc::new(f))
    }

    /// Runs the function.
    pub fn call(&self) -> Option<Value> {
        (self.0)()
    }
}

/// A `set: (value, item) => value` or `get: (value, item) => value`.
///
/// `value` is `None` when the attribute is absent (JavaScript `undefined`); `item` is
/// the whole payload (for a map property, the map; for a list item, the list with
/// indexes as keys). Returning `None` leaves the attribute undefined.
#[derive(Clone)]
pub struct MutationFn(Arc<MutationClosure>);

type MutationClosure = dyn Fn(Option<&Value>, &Map) -> Option<Value> + Send + Sync;
type ValidateClosure = dyn Fn(Option<&Value>) -> Result<bool, String> + Send + Sync;

impl MutationFn {
    /// Wraps a closure.
    ///
    /// ```
    /// use electro_core::schema::MutationFn;
    /// use electro_core::{Map, Value};
    /// let upper = MutationFn::new(|v, _item| match v {
    ///     Some(Value::String(s)) => Some(Value::String(s.to_uppercase())),
    ///     other => other.cloned(),
    /// });
    /// assert_eq!(upper.call(Some(&"a".into()), &Map::default()), Some("A".into()));
    /// ```
    pub fn new(f: impl Fn(Option<&Value>, &Map) -> Option<Value> + Send + Sync + 'static) -> Self {
        MutationFn(Arc::new(f))
    }

    /// Runs the function.
    pub fn call(&self, value: Option<&Value>, item: &Map) -> Option<Value> {
        (self.0)(value, item)
    }
}

/// A `validate: (value) => boolean` function.
///
/// ElectroDB 3 calls it for absent attributes too (with `None`). `Ok(true)` is valid;
/// `Ok(false)` is invalid with the generic reason `Invalid value provided` (a falsy
/// return); `Err(reason)` is invalid with that reason (a thrown error).
#[derive(Clone)]
pub struct ValidateFn(Arc<ValidateClosure>);

impl ValidateFn {
    /// Wraps a closure.
    ///
    /// ```
    /// use electro_core::schema::ValidateFn;
    /// let positive = ValidateFn::new(|v| match v.and_then(|v| v.as_number()) {
    ///     Some(n) if n.as_f64() > 0.0 => Ok(true),
    ///     Some(_) => Err("must be positive".into()),
    ///     None => Ok(true),
    /// });
    /// assert_eq!(positive.call(Some(&(-1).into())), Err("must be positive".to_string()));
    /// ```
    pub fn new(f: impl Fn(Option<&Value>) -> Result<bool, String> + Send + Sync + 'static) -> Self {
        ValidateFn(Arc::new(f))
    }

    /// Runs the function.
    pub fn call(&self, value: Option<&Value>) -> Result<bool, String> {
        (self.0)(value)
    }
}

macro_rules! opaque_debug {
    ($($t:ty),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "(..)"))
            }
        }
    )*};
}
opaque_debug!(DefaultFn, MutationFn, ValidateFn);

/// An attribute's `default`: a value, or a function called each time.
#[derive(Clone, Debug)]
pub enum AttributeDefault {
    /// A literal default (JSON `null` is JavaScript `null`, a real value).
    Value(Value),
    /// A function default.
    Fn(DefaultFn),
}

impl AttributeDefault {
    /// The default for one write.
    pub(crate) fn get(&self) -> Option<Value> {
        match self {
            AttributeDefault::Value(v) => Some(v.clone()),
            AttributeDefault::Fn(f) => f.call(),
        }
    }
}

/// An attribute's `validate`: a JavaScript RegExp or a function.
#[derive(Clone, Debug)]
pub enum Validator {
    /// A RegExp, tested against the value's JavaScript string form; absent values pass.
    Regex(JsRegex),
    /// A function (see [`ValidateFn`]).
    Fn(ValidateFn),
}

/// A JavaScript regular expression compiled for the `regex` crate.
#[derive(Clone, Debug)]
pub struct JsRegex {
    regex: Regex,
    source: String,
    flags: String,
}

impl JsRegex {
    /// Compiles a JavaScript pattern and flags (`i`, `m`, `s`, `u`, `g`, `y`, `d`).
    /// JavaScript's ASCII-only `\d`, `\w` and `\b` keep their JavaScript meaning.
    /// Lookarounds and backreferences are refused (the `regex` crate has none).
    ///
    /// ```
    /// use electro_core::schema::JsRegex;
    /// let r = JsRegex::new(r"^\d{2}$", "").unwrap();
    /// assert!(r.test("42"));
    /// assert!(!r.test("٤٢")); // Arabic-Indic digits are not \d in JavaScript
    /// assert!(JsRegex::new("^a", "i").unwrap().test("Abc"));
    /// ```
    pub fn new(source: &str, flags: &str) -> Result<JsRegex, String> {
        let mut prefix = String::new();
        let mut sticky = false;
        for flag in flags.chars() {
            match flag {
                'i' | 'm' | 's' => prefix.push(flag),
                'u' | 'g' | 'd' | 'v' => {}
                'y' => sticky = true,
                other => return Err(format!("Invalid regular expression flags: \"{other}\"")),
            }
        }
        let body = translate_js_pattern(source)?;
        let mut pattern = String::with_capacity(body.len() + 12);
        if !prefix.is_empty() {
            pattern.push_str("(?");
            pattern.push_str(&prefix);
            pattern.push(')');
        }
        if sticky {
            pattern.push_str(r"\A(?:");
            pattern.push_str(&body);
            pattern.push(')');
        } else {
            pattern.push_str(&body);
        }
        let regex = Regex::new(&pattern).map_err(|e| e.to_string())?;
        Ok(JsRegex {
            regex,
            source: source.to_string(),
            flags: flags.to_string(),
        })
    }

    /// `RegExp.prototype.test` on a string.
    ///
    /// ```
    /// use electro_core::schema::JsRegex;
    /// let r = JsRegex::new("^a.c$", "s").unwrap();
    /// assert!(r.test("a\nc"));
    /// assert_eq!((r.source(), r.flags()), ("^a.c$", "s"));
    /// ```
    pub fn test(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    /// The JavaScript source of the pattern.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The JavaScript flags.
    pub fn flags(&self) -> &str {
        &self.flags
    }
}

/// Rewrites the parts of JavaScript regex syntax whose meaning differs in the
/// `regex` crate.
fn translate_js_pattern(source: &str) -> Result<String, String> {
    const DIGIT: &str = "[0-9]";
    const NOT_DIGIT: &str = "[^0-9]";
    const WORD: &str = "[0-9A-Za-z_]";
    const NOT_WORD: &str = "[^0-9A-Za-z_]";
    let mut out = String::with_capacity(source.len() + 8);
    let mut chars = source.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err("\\ at end of pattern".to_string());
                };
                match e {
                    'd' => out.push_str(DIGIT),
                    'D' => out.push_str(NOT_DIGIT),
                    'w' => out.push_str(WORD),
                    'W' => out.push_str(NOT_WORD),
                    'b' if in_class => out.push_str(r"\x08"),
                    'b' => out.push_str(r"(?-u:\b)"),
                    'B' => out.push_str(r"(?-u:\B)"),
                    '/' => out.push('/'),
                    '0' => out.push_str(r"\x00"),
                    '1'..='9' | 'k' => {
                        return Err("backreferences are not supported".to_string());
                    }
                    'u' if chars.peek() == Some(&'{') => {
                        out.push_str(r"\x");
                    }
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            return Err("invalid \\u escape".to_string());
                        }
                        out.push_str(r"\x{");
                        out.push_str(&hex);
                        out.push('}');
                    }
                    'c' => {
                        let Some(letter) = chars.next().filter(char::is_ascii_alphabetic) else {
                            return Err("invalid \\c escape".to_string());
                        };
                        out.push_str(&format!(r"\x{:02X}", (letter as u8) % 32));
                    }
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                if chars.peek() == Some(&']') {
                    // JavaScript `[]` matches nothing and `[^]` anything.
                    chars.next();
                    in_class = false;
                    if out.ends_with("[^") {
                        out.truncate(out.len() - 2);
                        out.push_str(r"(?s:.)");
                    } else {
                        out.truncate(out.len() - 1);
                        out.push_str(r"[^\x00-\x{10FFFF}]");
                    }
                }
            }
            '[' => out.push_str(r"\["),
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '(' if !in_class && source_lookaround(&mut chars) => {
                return Err("lookaround assertions are not supported".to_string());
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

fn source_lookaround(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let rest: String = chars.clone().take(3).collect();
    let lookaround = rest.starts_with("?=")
        || rest.starts_with("?!")
        || rest.starts_with("?<=")
        || rest.starts_with("?<!");
    if !lookaround {
        // Not consumed: the caller writes the '(' itself.
        return false;
    }
    true
}

/// Where a named function is used in a definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionRole {
    /// `default`.
    Default,
    /// `set`.
    Set,
    /// `get`.
    Get,
    /// `validate`.
    Validate,
}

impl FunctionRole {
    /// The property name in a model.
    ///
    /// ```
    /// use electro_core::schema::FunctionRole;
    /// assert_eq!(FunctionRole::Validate.property(), "validate");
    /// ```
    pub fn property(self) -> &'static str {
        match self {
            FunctionRole::Default => "default",
            FunctionRole::Set => "set",
            FunctionRole::Get => "get",
            FunctionRole::Validate => "validate",
        }
    }
}

/// Turns a model file's `{"fn": ...}` objects into functions.
///
/// A JSON model cannot hold code, so each function is named by an object; the
/// application (or the conformance harness, with [`named_functions`]) supplies the
/// closures. An `Err(reason)` makes the model invalid (code 1008) with that reason.
///
/// [`named_functions`]: super::named_functions
pub trait FunctionResolver {
    /// A `default` function.
    fn default_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<DefaultFn, String>;
    /// A `set` or `get` function (`role` says which).
    fn mutation_fn(
        &self,
        role: FunctionRole,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<MutationFn, String>;
    /// A `validate` function.
    fn validate_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<ValidateFn, String>;
}

/// A resolver that knows no functions: for models without `{"fn": ...}` objects.
///
/// ```
/// use electro_core::schema::{FunctionResolver, NoFunctions};
/// let spec = serde_json::json!({"fn": "const", "value": 1});
/// assert!(NoFunctions.default_fn(spec.as_object().unwrap()).is_err());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFunctions;

fn unknown(spec: &serde_json::Map<String, serde_json::Value>) -> String {
    let name = spec
        .get("fn")
        .map(super::js::json_to_js_string)
        .unwrap_or_default();
    format!("unknown function \"{name}\"")
}

impl FunctionResolver for NoFunctions {
    fn default_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<DefaultFn, String> {
        Err(unknown(spec))
    }
    fn mutation_fn(
        &self,
        _role: FunctionRole,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<MutationFn, String> {
        Err(unknown(spec))
    }
    fn validate_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<ValidateFn, String> {
        Err(unknown(spec))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_regex_translation() {
        let r = JsRegex::new(r"^(\d+\.\d{2})$", "").unwrap();
        assert!(r.test("25000.00"));
        assert!(!r.test("25k"));
        let r = JsRegex::new(r"^[a-z]{2}-\d{3}$", "").unwrap();
        assert!(r.test("fe-910"));
        assert!(!r.test("FE-9090"));
        assert!(JsRegex::new(r"[\w.]+@\w+", "").unwrap().test("a.b@c"));
        assert!(JsRegex::new("a(?=b)", "").is_err());
        assert!(JsRegex::new("(a)\\1", "").is_err());
        assert!(JsRegex::new("a", "q").is_err());
        assert!(JsRegex::new("b", "y").unwrap().test("b"));
        assert!(!JsRegex::new("b", "y").unwrap().test("ab"));
        assert!(JsRegex::new("[[]", "").unwrap().test("["));
        assert!(JsRegex::new(r"\u0041", "").unwrap().test("A"));
    }
}
