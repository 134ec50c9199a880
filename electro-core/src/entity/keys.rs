//! Building key values from composite attributes: a port of ElectroDB's `_makeKey`,
//! `_makeIndexKeys` and `_makeIndexKeysWithoutTail`.
//!
//! A composite key is `prefix` + for each composite `#label_value` (templates write
//! their literal text instead of `#label_`), cased, with a clustered index's postfix
//! once every composite is present. Keys stop at the first missing composite, which
//! is what makes partial sort keys work as `begins_with` prefixes.

use crate::error::{Error, Result};
use crate::model::{IndexDef, IndexFixings, KeyCast, KeyFixings, Label, Model};
use crate::{Map, Number, Value};

/// Where key building reads composite values: a map, or maps layered so that
/// ElectroDB's `{...a, ...b}` merges need not be copied.
pub(crate) trait Supplied {
    /// The value of an attribute, if given.
    fn value(&self, name: &str) -> Option<&Value>;
    /// Copies every value into `out`, lower layers first (for index conditions,
    /// which take a whole item).
    fn collect_into(&self, out: &mut Map);
}

impl Supplied for Map {
    fn value(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
    fn collect_into(&self, out: &mut Map) {
        for (k, v) in self {
            out.insert(k.clone(), v.clone());
        }
    }
}

/// `{...bottom, ...top}` without the copy: `top` wins.
pub(crate) struct Layered<'a> {
    pub top: &'a dyn Supplied,
    pub bottom: &'a dyn Supplied,
}

impl Supplied for Layered<'_> {
    fn value(&self, name: &str) -> Option<&Value> {
        self.top.value(name).or_else(|| self.bottom.value(name))
    }
    fn collect_into(&self, out: &mut Map) {
        self.bottom.collect_into(out);
        self.top.collect_into(out);
    }
}

/// A built key: its value and whether every composite was present.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BuiltKey {
    pub key: Option<Value>,
    pub fulfilled: bool,
}

/// How to build one key.
#[derive(Clone, Copy, Default)]
pub(crate) struct KeyOptions {
    /// Stop before the label of the first missing composite (queries).
    pub exclude_label_tail: bool,
    /// Leave off a clustered index's postfix (collection queries).
    pub exclude_postfix: bool,
    /// Shift the last character up one code point (v2 comparisons).
    pub shift_up: bool,
}

/// The text a key writes before a composite's value: `#label_`, or a template's
/// own text.
pub(crate) fn push_label(key: &mut String, is_custom: bool, label: &str) {
    if is_custom {
        key.push_str(label);
    } else {
        key.push('#');
        key.push_str(label);
        key.push('_');
    }
}

/// `u.shiftSortOrder(str, 1)`.
fn shift_last_char_up(s: &mut String) {
    if let Some(c) = s.pop() {
        let shifted = char::from_u32(c as u32 + 1).unwrap_or(c);
        s.push(shifted);
    }
}

/// `_formatNumericCastKey`: a numeric key is the composite's number (strings parsed as
/// `parseInt` does, booleans as 0/1).
fn numeric_key(attribute: &str, value: Option<&Value>) -> Result<BuiltKey> {
    let Some(value) = value else {
        return Ok(BuiltKey {
            key: None,
            fulfilled: false,
        });
    };
    let key = match value {
        Value::Number(n) => Value::Number(n.clone()),
        Value::String(s) => match parse_int_prefix(s) {
            Some(n) => Value::Number(n),
            None => return Err(numeric_error(attribute)),
        },
        Value::Bool(b) => Value::Number(Number::from(*b as i64)),
        _ => return Err(numeric_error(attribute)),
    };
    Ok(BuiltKey {
        key: Some(key),
        fulfilled: true,
    })
}

fn numeric_error(attribute: &str) -> Error {
    Error::invalid_attribute(
        attribute,
        format!(
            "Invalid key value provided, could not cast composite attribute {attribute} to number for index"
        ),
    )
}

/// JavaScript's `parseInt(s)` (base 10): leading whitespace, sign, digits.
fn parse_int_prefix(s: &str) -> Option<Number> {
    let t = s.trim_start();
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: &str = &rest[..rest.bytes().take_while(|b| b.is_ascii_digit()).count()];
    if digits.is_empty() {
        return None;
    }
    let text = if neg {
        format!("-{digits}")
    } else {
        digits.to_string()
    };
    text.parse::<Number>()
        .ok()
        .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64))
}

impl Model {
    /// `_makeKey`: builds one key from the supplied composite values.
    pub(crate) fn make_key(
        &self,
        fixings: &KeyFixings,
        facets: &[String],
        supplied: &dyn Supplied,
        labels: &[Label],
        options: KeyOptions,
    ) -> Result<BuiltKey> {
        self.make_key_with(fixings, facets, labels, options, |_, name| {
            supplied.value(name)
        })
    }

    /// [`Model::make_key`] with the composites read by `value_of(i, name)`, `i`
    /// the label's position in the key: a planned put reads them by attribute
    /// position instead of by name.
    pub(crate) fn make_key_with<'v>(
        &self,
        fixings: &KeyFixings,
        facets: &[String],
        labels: &[Label],
        options: KeyOptions,
        value_of: impl Fn(usize, &str) -> Option<&'v Value>,
    ) -> Result<BuiltKey> {
        if fixings.cast == KeyCast::Number {
            let first = facets.first().map(String::as_str).unwrap_or_default();
            return numeric_key(first, value_of(0, first));
        }
        let capacity = fixings.prefix.len()
            + labels.iter().map(|l| l.label.len() + 2 + 24).sum::<usize>()
            + fixings.postfix.as_ref().map_or(0, String::len);
        let mut key = String::with_capacity(capacity);
        key.push_str(&fixings.prefix);
        let mut found = 0usize;
        for (i, Label { name, label }) in labels.iter().enumerate() {
            let value = value_of(i, name.as_str());
            if value.is_none() && options.exclude_label_tail {
                break;
            }
            push_label(&mut key, fixings.is_custom, label);
            let Some(value) = value else { break };
            found += 1;
            let padded = self
                .schema
                .any_padding
                .then(|| self.schema.get_attribute(name))
                .flatten()
                .filter(|a| a.padding.is_some());
            match padded {
                Some(attribute) => {
                    if let Value::String(padded) =
                        attribute.apply_padding(Value::String(value.to_js_string().into()))
                    {
                        key.push_str(&padded);
                    }
                }
                _ => value.write_js(&mut key),
            }
        }
        let fulfilled = found == labels.len();
        if fulfilled && !options.exclude_postfix {
            if let Some(postfix) = &fixings.postfix {
                key.push_str(postfix);
            }
        }
        fixings.casing.apply_in_place(&mut key);
        if options.shift_up {
            shift_last_char_up(&mut key);
        }
        Ok(BuiltKey {
            key: Some(Value::String(key.into())),
            fulfilled,
        })
    }

    /// `_makeIndexKeys` (and, with `without_tail`, `_makeIndexKeysWithoutTail`): the
    /// partition key and one sort key per supplied set of sort composites (at most
    /// two sets: a start and an end).
    pub(crate) fn make_index_keys(
        &self,
        index: &str,
        pk_attributes: &dyn Supplied,
        sk_attributes: &[&dyn Supplied],
        params: IndexKeyParams,
    ) -> Result<IndexKeys> {
        let (def, fixings) = self.index_and_fixings(index)?;
        self.make_index_keys_of(def, fixings, pk_attributes, sk_attributes, params)
    }

    /// [`Model::make_index_keys`] for an index already looked up (a chain knows
    /// its index's position).
    pub(crate) fn make_index_keys_of(
        &self,
        def: &IndexDef,
        fixings: &IndexFixings,
        pk_attributes: &dyn Supplied,
        sk_attributes: &[&dyn Supplied],
        params: IndexKeyParams,
    ) -> Result<IndexKeys> {
        debug_assert!(
            sk_attributes.len() <= 2,
            "at most a start and an end sort key"
        );
        let pk = self.make_partition_key(def, fixings, pk_attributes)?.key;
        let mut sk: [Option<Value>; 2] = [None, None];
        let mut built_keys = 0;
        let mut fulfilled = false;
        if def.sk.is_some() {
            let provided: &[&dyn Supplied] = if sk_attributes.is_empty() {
                &[&Nothing]
            } else {
                sk_attributes
            };
            for (i, attrs) in provided.iter().enumerate() {
                let built = self.make_sort_key(def, fixings, *attrs, params, i)?;
                if let (Some(k), Some(slot)) = (built.key, sk.get_mut(built_keys)) {
                    *slot = Some(k);
                    built_keys += 1;
                }
                if built.fulfilled {
                    fulfilled = true;
                }
            }
        }
        Ok(IndexKeys { pk, sk, fulfilled })
    }

    /// [`Model::make_index_keys`] with one set of sort composites (gets, batch
    /// keys, writes): the partition and sort key, with no list of sort keys.
    pub(crate) fn make_index_key_pair(
        &self,
        index: &str,
        pk_attributes: &dyn Supplied,
        sk_attributes: &dyn Supplied,
    ) -> Result<(Option<Value>, Option<Value>)> {
        let (def, fixings) = self.index_and_fixings(index)?;
        let pk = self.make_partition_key(def, fixings, pk_attributes)?;
        let sk = self.make_sort_key(def, fixings, sk_attributes, IndexKeyParams::default(), 0)?;
        Ok((pk.key, sk.key))
    }

    /// An index's key as params carry it, `{pk field: pk, sk field: sk}`, from one
    /// set of composites each, and whether every composite was supplied (when one
    /// was not, the caller asks which, for its error).
    pub(crate) fn make_index_key_map(
        &self,
        index: &str,
        pk_attributes: &dyn Supplied,
        sk_attributes: &dyn Supplied,
    ) -> Result<(Map, bool)> {
        let (def, fixings) = self.index_and_fixings(index)?;
        self.make_key_map_of(def, fixings, pk_attributes, sk_attributes)
    }

    /// [`Model::make_index_key_map`] for an index already looked up (by
    /// [`Model::index_and_fixings`]), as a batch does once for all its keys.
    pub(crate) fn make_key_map_of(
        &self,
        def: &IndexDef,
        fixings: &IndexFixings,
        pk_attributes: &dyn Supplied,
        sk_attributes: &dyn Supplied,
    ) -> Result<(Map, bool)> {
        let pk = self.make_partition_key(def, fixings, pk_attributes)?;
        let sk = self.make_sort_key(def, fixings, sk_attributes, IndexKeyParams::default(), 0)?;
        let complete = pk.fulfilled && (def.sk.is_none() || sk.fulfilled);
        let mut key = Map::with_capacity(2);
        key.insert(def.pk.field.as_str().into(), pk.key.unwrap_or(Value::Null));
        if let (Some(field), Some(sk)) = (def.sk_field(), sk.key) {
            key.insert(field.into(), sk);
        }
        Ok((key, complete))
    }

    /// The partition key of an index.
    fn make_partition_key(
        &self,
        def: &IndexDef,
        fixings: &IndexFixings,
        attributes: &dyn Supplied,
    ) -> Result<BuiltKey> {
        self.make_key(
            &fixings.pk,
            &def.pk.facets,
            attributes,
            &def.pk.labels,
            KeyOptions::default(),
        )
    }

    pub(crate) fn index_and_fixings(&self, index: &str) -> Result<(&IndexDef, &IndexFixings)> {
        let invalid = || {
            Error::new(
                crate::ErrorCode::InvalidQueryParameters,
                format!("Invalid index: {index}"),
            )
        };
        let position = self.index_position(index).ok_or_else(invalid)?;
        self.index_and_fixings_at(position, index)
            .ok_or_else(invalid)
    }

    /// [`Model::index_and_fixings`] for the index at a known position.
    pub(crate) fn index_and_fixings_at(
        &self,
        position: usize,
        index: &str,
    ) -> Option<(&IndexDef, &IndexFixings)> {
        let def = self.indexes.get(position)?;
        // Fixings are made in index order: the same position holds them, unless
        // two access patterns share an index name.
        let fixings = match self.fixings.get_index(position) {
            Some((name, fixings)) if crate::model::same_index(name, index) => fixings,
            _ => self.fixings_of(index)?,
        };
        Some((def, fixings))
    }

    /// The `i`-th sort key of an index that has one.
    fn make_sort_key(
        &self,
        def: &IndexDef,
        fixings: &IndexFixings,
        attributes: &dyn Supplied,
        params: IndexKeyParams,
        i: usize,
    ) -> Result<BuiltKey> {
        let Some(sk_def) = &def.sk else {
            return Ok(BuiltKey {
                key: None,
                fulfilled: false,
            });
        };
        self.make_key(
            &fixings.sk,
            &sk_def.facets,
            attributes,
            &sk_def.labels,
            KeyOptions {
                exclude_label_tail: params.without_tail,
                exclude_postfix: params.exclude_postfix,
                shift_up: params.transforms.get(i).copied().unwrap_or(false),
            },
        )
    }
}

/// No composites at all (a sort key asked for with none supplied).
struct Nothing;

impl Supplied for Nothing {
    fn value(&self, _: &str) -> Option<&Value> {
        None
    }
    fn collect_into(&self, _: &mut Map) {}
}

/// How [`Model::make_index_keys`] builds the sort keys.
#[derive(Clone, Copy, Default)]
pub(crate) struct IndexKeyParams {
    /// Stop sort keys before the first missing composite's label.
    pub without_tail: bool,
    /// Leave off clustered postfixes.
    pub exclude_postfix: bool,
    /// Per sort key: shift its last character up (v2 comparisons).
    pub transforms: [bool; 2],
}

/// The keys of one index.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IndexKeys {
    pub pk: Option<Value>,
    /// The sort keys built, in order (at most a start and an end: no allocation).
    pub sk: [Option<Value>; 2],
    pub fulfilled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_like_javascript() {
        assert_eq!(parse_int_prefix("42abc").unwrap().to_js_string(), "42");
        assert_eq!(parse_int_prefix("  -7").unwrap().to_js_string(), "-7");
        assert!(parse_int_prefix("abc").is_none());
    }

    #[test]
    fn shift_moves_last_char() {
        let mut s = String::from("2020-09-05");
        shift_last_char_up(&mut s);
        assert_eq!(s, "2020-09-06");
    }
}
