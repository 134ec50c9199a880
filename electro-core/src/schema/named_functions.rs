//! The named functions of the conformance corpus's model files (see its README),
//! as a [`FunctionResolver`]: `const`, `undefined`, `lower`, `upper`, `prefix`,
//! `multiply`, `reject_value`, `reason_if_value`, `throw_if_value`. Public so the
//! conformance harness and examples can load the corpus's models.

use super::functions::{DefaultFn, FunctionResolver, FunctionRole, MutationFn, ValidateFn};
use electro_expr::{Number, Value};
use serde_json::Value as Json;

type Spec = serde_json::Map<String, Json>;

/// Resolves the corpus's named functions.
///
/// ```
/// use electro_core::schema::{FunctionResolver, FunctionRole, named_functions::NamedFunctions};
/// use electro_core::{Map, Value};
/// let spec = serde_json::json!({"fn": "prefix", "value": "$", "of": "price"});
/// let f = NamedFunctions.mutation_fn(FunctionRole::Set, spec.as_object().unwrap()).unwrap();
/// let mut item = Map::default();
/// item.insert("price".into(), 5.into());
/// assert_eq!(f.call(None, &item), Some(Value::from("$5")));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct NamedFunctions;

fn name(spec: &Spec) -> &str {
    spec.get("fn").and_then(Json::as_str).unwrap_or("")
}

fn value_of(spec: &Spec) -> Option<Value> {
    spec.get("value").map(Value::from_json)
}

fn string_of(spec: &Spec, key: &str) -> String {
    spec.get(key)
        .map(|v| match v {
            Json::String(s) => s.clone(),
            other => Value::from_json(other).to_js_string(),
        })
        .unwrap_or_default()
}

/// JavaScript's `===` between a value and a model constant: primitives by value,
/// lists and maps never (they would be different objects).
fn strict_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (a, b) {
            (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => false,
            _ => a == b,
        },
        _ => false,
    }
}

fn unknown(spec: &Spec, role: FunctionRole) -> String {
    format!(
        "Unknown named function \"{}\" for \"{}\"",
        name(spec),
        role.property()
    )
}

impl FunctionResolver for NamedFunctions {
    fn default_fn(&self, spec: &Spec) -> Result<DefaultFn, String> {
        match name(spec) {
            "const" => {
                let v = value_of(spec);
                Ok(DefaultFn::new(move || v.clone()))
            }
            "undefined" => Ok(DefaultFn::new(|| None)),
            _ => Err(unknown(spec, FunctionRole::Default)),
        }
    }

    fn mutation_fn(&self, role: FunctionRole, spec: &Spec) -> Result<MutationFn, String> {
        let of = string_of(spec, "of");
        match name(spec) {
            "const" => {
                let v = value_of(spec);
                Ok(MutationFn::new(move |_, _| v.clone()))
            }
            "undefined" => Ok(MutationFn::new(|_, _| None)),
            "lower" => Ok(MutationFn::new(move |_, item| {
                match item.get(of.as_str()) {
                    Some(Value::String(s)) => Some(Value::String(s.to_lowercase())),
                    _ => None,
                }
            })),
            "upper" => Ok(MutationFn::new(|value, _| match value {
                Some(Value::String(s)) => Some(Value::String(s.to_uppercase())),
                other => other.cloned(),
            })),
            "prefix" => {
                let prefix = string_of(spec, "value");
                Ok(MutationFn::new(move |_, item| {
                    item.get(of.as_str()).map(|v| {
                        let mut s = prefix.clone();
                        v.write_js(&mut s);
                        Value::String(s.into())
                    })
                }))
            }
            "multiply" => {
                let by = spec.get("by").and_then(Json::as_f64).unwrap_or(f64::NAN);
                Ok(MutationFn::new(move |_, item| {
                    match item.get(of.as_str()) {
                        Some(Value::Number(n)) => Some(
                            Number::from_f64(n.as_f64() * by)
                                .map(Value::Number)
                                .unwrap_or(Value::Null),
                        ),
                        _ => None,
                    }
                }))
            }
            _ => Err(unknown(spec, role)),
        }
    }

    fn validate_fn(&self, spec: &Spec) -> Result<ValidateFn, String> {
        let expected = value_of(spec);
        let reason = string_of(spec, "reason");
        match name(spec) {
            "reject_value" => Ok(ValidateFn::new(move |v| {
                Ok(strict_eq(v, expected.as_ref()))
            })),
            "reason_if_value" => Ok(ValidateFn::new(move |v| {
                // Returns the reason (truthy, so valid) for V, undefined (invalid) otherwise.
                Ok(strict_eq(v, expected.as_ref()) && !reason.is_empty())
            })),
            "throw_if_value" => Ok(ValidateFn::new(move |v| {
                if strict_eq(v, expected.as_ref()) {
                    Err(reason.clone())
                } else {
                    Ok(true)
                }
            })),
            _ => Err(unknown(spec, FunctionRole::Validate)),
        }
    }
}
