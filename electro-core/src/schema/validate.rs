//! Type checks and `validate` for one value: ElectroDB's `_isType`, `validate` and
//! `isValid` for plain, map, list and set attributes, with its exact messages.

use super::attribute::Attribute;
use super::functions::Validator;
use super::js;
use super::kind::AttributeKind;
use crate::error::FieldError;
use electro_expr::Value;

type Checked = std::result::Result<(), Vec<FieldError>>;

fn error(attribute: &Attribute, reason: String) -> FieldError {
    FieldError {
        field: attribute.path.clone(),
        reason,
    }
}

/// The first NaN or infinity in a value, as JavaScript writes it.
pub(crate) fn non_finite(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) if !n.is_finite() => Some(n.to_js_string()),
        Value::NumberSet(ns) => ns.iter().find(|n| !n.is_finite()).map(|n| n.to_js_string()),
        Value::List(l) => l.iter().find_map(non_finite),
        Value::Map(m) => m.values().find_map(non_finite),
        _ => None,
    }
}

/// `isValid`: the type check, then (only for well-typed values) `validate`.
pub(crate) fn is_valid(attribute: &Attribute, value: Option<&Value>) -> Checked {
    if let Some(n) = value.and_then(non_finite) {
        // ElectroDB lets NaN through as a "number" and DynamoDB then refuses the
        // request; electro refuses it here, naming the attribute. The whole value
        // is searched once here, so the checks of its parts need not again.
        return Err(vec![error(
            attribute,
            format!(
                "Invalid value at entity path: \"{}\". {n} is not a finite number: DynamoDB stores no NaN or Infinity",
                attribute.path
            ),
        )]);
    }
    is_valid_part(attribute, value)
}

/// [`is_valid`] for a value known to hold no NaN or infinity (a part of one
/// checked already).
fn is_valid_part(attribute: &Attribute, value: Option<&Value>) -> Checked {
    is_type(attribute, value)?;
    validate(attribute, value)
}

fn is_type(attribute: &Attribute, value: Option<&Value>) -> Checked {
    let Some(value) = value else {
        if attribute.required {
            return Err(vec![error(
                attribute,
                format!(
                    "Invalid value type at entity path: \"{}\". Value is required.",
                    attribute.path
                ),
            )]);
        }
        return Ok(());
    };
    match &attribute.kind {
        AttributeKind::Enum(values) => {
            if values.contains(value) {
                Ok(())
            } else {
                Err(vec![error(
                    attribute,
                    format!(
                        "Invalid value type at entity path: \"{}\". Value not found in set of acceptable values: {}",
                        attribute.path,
                        js::comma_separated(values.iter().map(Value::to_js_string))
                    ),
                )])
            }
        }
        AttributeKind::Any | AttributeKind::Static => Ok(()),
        AttributeKind::String | AttributeKind::Number | AttributeKind::Boolean => {
            let well_typed = matches!(
                (&attribute.kind, value),
                (AttributeKind::String, Value::String(_))
                    | (AttributeKind::Number, Value::Number(_))
                    | (AttributeKind::Boolean, Value::Bool(_))
            );
            if well_typed {
                Ok(())
            } else {
                let expected = attribute.kind.type_name();
                let actual = js::type_of(value);
                Err(vec![error(
                    attribute,
                    format!(
                        "Invalid value type at entity path: \"{}\". Received value of type \"{actual}\", expected value of type \"{expected}\"",
                        attribute.path
                    ),
                )])
            }
        }
        AttributeKind::Map { properties } => {
            let Value::Map(map) = value else {
                return Err(vec![error(
                    attribute,
                    format!(
                        "Invalid value type at entity path \"{}. Received value of type \"{}\", expected value of type \"object\"",
                        attribute.path,
                        js::value_type(Some(value))
                    ),
                )]);
            };
            let mut errors = Vec::new();
            for (name, child) in properties {
                if let Err(mut e) = is_valid_part(child, map.get(name.as_str())) {
                    errors.append(&mut e);
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        AttributeKind::List { items } => {
            let Value::List(list) = value else {
                return Err(vec![error(
                    attribute,
                    format!(
                        "Invalid value type at entity path \"{}. Received value of type \"{}\", expected value of type \"array\"",
                        attribute.path,
                        js::value_type(Some(value))
                    ),
                )]);
            };
            let mut errors = Vec::new();
            for item in list {
                if let Err(mut e) = is_valid_part(items, Some(item)) {
                    errors.append(&mut e);
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
        AttributeKind::Set { items } => {
            let members;
            let list: &[Value] = match value {
                Value::List(list) => list,
                other => match js::set_members(other) {
                    Some(m) => {
                        members = m;
                        &members
                    }
                    None => {
                        return Err(vec![error(
                            attribute,
                            format!(
                                "Invalid value type at attribute path: \"{}\". Expected value to be an Expected value to be an Array, native JavaScript Set objects, or DocumentClient Set objects to fulfill attribute type \"{}\"",
                                attribute.path,
                                attribute.kind.type_name()
                            ),
                        )]);
                    }
                },
            };
            let mut errors = Vec::new();
            for item in list {
                if let Err(mut e) = is_valid_part(items, Some(item)) {
                    errors.append(&mut e);
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }
    }
}

/// `validate`: the model's RegExp or function. Set attributes hand their members to
/// it as a list.
fn validate(attribute: &Attribute, value: Option<&Value>) -> Checked {
    let Some(validator) = &attribute.validate else {
        return Ok(());
    };
    let as_list;
    let value = match (&attribute.kind, value) {
        (AttributeKind::Set { .. }, Some(v)) => match js::set_members(v) {
            Some(members) => {
                as_list = Value::List(members);
                Some(&as_list)
            }
            None => Some(v),
        },
        (_, v) => v,
    };
    match validator {
        Validator::Regex(regex) => {
            let Some(value) = value else {
                return Ok(());
            };
            let text = match value {
                Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
                other => std::borrow::Cow::Owned(other.to_js_string()),
            };
            if regex.test(&text) {
                Ok(())
            } else {
                Err(vec![error(
                    attribute,
                    format!(
                        "Invalid value for attribute \"{}\": Failed model defined regex",
                        attribute.path
                    ),
                )])
            }
        }
        Validator::Fn(f) => match f.call(value) {
            Ok(true) => Ok(()),
            Ok(false) => Err(vec![error(attribute, "Invalid value provided".to_string())]),
            Err(reason) if reason.is_empty() => {
                Err(vec![error(attribute, "Invalid value provided".to_string())])
            }
            Err(reason) => Err(vec![error(attribute, reason)]),
        },
    }
}
