//! Conversions between composite attributes, keys and cursors: a port of
//! ElectroDB's `createConversions(entity)` (`_fromCompositeToKeys`,
//! `_fromKeysToComposite`, `_formatSuppliedPager`, `_deconstructIndex` and the
//! `cursorFormatter`: a cursor is the base64url of the keys' JSON).
//!
//! ```
//! use electro_core::{conversion::{Conversions, Strict}, item};
//! let zoo = electro_core::entity::doc_entity();
//! let c = Conversions::new(&zoo);
//! let keys = c.composite_to_keys(&item! {"animal" => "lion", "name" => "Leo"}, Strict::None).unwrap();
//! assert_eq!(keys["pk"], "$zoo#animal_lion".into());
//! let cursor = c.keys_to_cursor(&keys).unwrap();
//! assert_eq!(c.cursor_to_keys(&cursor).unwrap(), keys);
//! ```

use base64::Engine;
use regex::RegexBuilder;

use crate::entity::Entity;
use crate::entity::keys::IndexKeyParams;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexType, KeyCast, KeyDef, KeyFixings, Model, TABLE_INDEX};
use crate::schema::AttributeKind;
use crate::{Map, Value};

/// How strictly composites must be complete (ElectroDB's `strict` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strict {
    /// Build whatever keys the composites allow.
    #[default]
    None,
    /// Partition-key composites are required.
    Pk,
    /// Every composite is required.
    All,
}

fn keys_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidConversionKeysProvided, message)
}

fn cursor_error() -> Error {
    Error::new(
        ErrorCode::InvalidConversionCursorProvided,
        "Invalid conversion cursor provided",
    )
}

fn composite_error() -> Error {
    Error::new(
        ErrorCode::InvalidConversionCompositeProvided,
        "Invalid conversion composite provided",
    )
}

/// `cursorFormatter.serialize`: base64url (unpadded) of the JSON text.
///
/// ```
/// use electro_core::{conversion::serialize_cursor, item};
/// assert_eq!(serialize_cursor(&item! {"pk" => "a"}), "eyJwayI6ImEifQ");
/// ```
pub fn serialize_cursor(keys: &Map) -> String {
    let json = Value::Map(keys.clone()).to_json().to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// `cursorFormatter.deserialize`.
///
/// ```
/// use electro_core::{conversion::deserialize_cursor, item};
/// assert_eq!(deserialize_cursor("eyJwayI6ImEifQ").unwrap(), item! {"pk" => "a"});
/// assert!(deserialize_cursor("not a cursor").is_err());
/// ```
pub fn deserialize_cursor(cursor: &str) -> Result<Map> {
    let trimmed = cursor.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .map_err(|_| cursor_error())?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| cursor_error())?;
    match Value::from_json(&json) {
        Value::Map(m) => Ok(m),
        _ => Err(cursor_error()),
    }
}

/// The conversions of one entity. Borrow it from the entity: `Conversions::new(&e)`.
#[derive(Clone, Copy, Debug)]
pub struct Conversions<'e> {
    model: &'e Model,
}

/// The conversions of one access pattern of an entity.
#[derive(Clone, Copy, Debug)]
pub struct IndexConversions<'e> {
    model: &'e Model,
    index: &'e str,
}

impl<'e> Conversions<'e> {
    /// The conversions of `entity`.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let keys = Conversions::new(&zoo).composite_to_keys(&item! {"animal" => "lion", "name" => "Leo"}, Strict::None).unwrap();
    /// assert_eq!(keys["pk"], "$zoo#animal_lion".into());
    /// ```
    pub fn new(entity: &'e Entity) -> Conversions<'e> {
        Conversions {
            model: entity.model(),
        }
    }

    /// `fromComposite.toKeys`: every index's keys the composites allow.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let keys = Conversions::new(&zoo)
    ///     .composite_to_keys(&item! {"animal" => "a", "name" => "b", "habitat" => "h"}, Strict::None)
    ///     .unwrap();
    /// assert_eq!(keys["gsi1pk"], "$zoo#habitat_h".into());
    /// ```
    pub fn composite_to_keys(&self, composite: &Map, strict: Strict) -> Result<Map> {
        if composite.is_empty() {
            return Err(composite_error());
        }
        let secondary = if matches!(strict, Strict::All | Strict::Pk) {
            Strict::Pk
        } else {
            Strict::None
        };
        let mut keys = Map::default();
        for def in &self.model.indexes {
            let s = if def.index.is_empty() {
                strict
            } else {
                secondary
            };
            let index_keys = format_supplied_pager(self.model, &def.index, composite, s)?;
            for (k, v) in index_keys {
                keys.insert(k, v);
            }
        }
        if keys.is_empty() {
            return Err(composite_error());
        }
        Ok(keys)
    }

    /// `fromComposite.toCursor`: every composite is required.
    ///
    /// ```
    /// use electro_core::{conversion::Conversions, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let c = Conversions::new(&zoo);
    /// assert!(c.composite_to_cursor(&item! {"animal" => "a"}).is_err());
    /// ```
    pub fn composite_to_cursor(&self, composite: &Map) -> Result<String> {
        let keys = self.composite_to_keys(composite, Strict::All)?;
        Ok(serialize_cursor(&keys))
    }

    /// `fromKeys.toCursor`.
    ///
    /// ```
    /// use electro_core::{conversion::Conversions, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let c = Conversions::new(&zoo).keys_to_cursor(&item! {"pk" => "x"}).unwrap();
    /// assert_eq!(c, "eyJwayI6IngifQ");
    /// ```
    pub fn keys_to_cursor(&self, keys: &Map) -> Result<String> {
        if keys.is_empty() {
            return Err(keys_error("Invalid keys provided"));
        }
        Ok(serialize_cursor(keys))
    }

    /// `fromKeys.toComposite`: the composites read back from every index's keys.
    ///
    /// ```
    /// use electro_core::{conversion::Conversions, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let c = Conversions::new(&zoo);
    /// let keys = item! {"pk" => "$zoo#animal_lion", "sk" => "$animals_1#name_leo",
    ///     "gsi1pk" => "$zoo#habitat_h", "gsi1sk" => "$animals_1#enclosure_e",
    ///     "gsi2pk" => "$zoo#habitat_h", "gsi2sk" => "$animals_1#keeper_k#name_leo"};
    /// assert_eq!(c.keys_to_composite(&keys).unwrap()["keeper"], "k".into());
    /// ```
    pub fn keys_to_composite(&self, keys: &Map) -> Result<Map> {
        let none = || keys_error("Provided keys could not be used to form composite attributes");
        if keys.is_empty() {
            return Err(none());
        }
        let mut out = Map::default();
        for def in &self.model.indexes {
            let composite = keys_to_composite_by_index(self.model, &def.index, keys)?;
            for (k, v) in composite {
                out.entry(k).or_insert(v);
            }
        }
        if out.is_empty() {
            return Err(none());
        }
        Ok(out)
    }

    /// `fromCursor.toKeys`.
    ///
    /// ```
    /// use electro_core::conversion::Conversions;
    /// let zoo = electro_core::entity::doc_entity();
    /// assert_eq!(Conversions::new(&zoo).cursor_to_keys("eyJwayI6IngifQ").unwrap()["pk"], "x".into());
    /// ```
    pub fn cursor_to_keys(&self, cursor: &str) -> Result<Map> {
        deserialize_cursor(cursor)
    }

    /// `fromCursor.toComposite`.
    ///
    /// ```
    /// use electro_core::conversion::Conversions;
    /// let zoo = electro_core::entity::doc_entity();
    /// assert_eq!(Conversions::new(&zoo).cursor_to_composite("eyJwayI6IngifQ").unwrap_err().code(), 2007);
    /// ```
    pub fn cursor_to_composite(&self, cursor: &str) -> Result<Map> {
        let keys = self.cursor_to_keys(cursor)?;
        self.keys_to_composite(&keys)
    }

    /// The conversions of one access pattern (`byAccessPattern.<name>`); error 2007
    /// for an unknown access pattern.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let c = Conversions::new(&zoo);
    /// let keys = c.by_access_pattern("exhibit").unwrap()
    ///     .composite_to_keys(&item! {"habitat" => "h", "enclosure" => "e", "animal" => "a", "name" => "n"}, Strict::None)
    ///     .unwrap();
    /// assert_eq!(keys.keys().collect::<Vec<_>>(), ["gsi1pk", "gsi1sk", "pk", "sk"]);
    /// ```
    pub fn by_access_pattern(&self, access_pattern: &str) -> Result<IndexConversions<'e>> {
        let def = self
            .model
            .index_by_access_pattern(access_pattern)
            .ok_or_else(|| keys_error(format!("Invalid access pattern: \"{access_pattern}\"")))?;
        Ok(IndexConversions {
            model: self.model,
            index: &def.index,
        })
    }
}

impl IndexConversions<'_> {
    /// `fromComposite.toKeys` for this index (and the table index).
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let exhibit = Conversions::new(&zoo).by_access_pattern("exhibit").unwrap();
    /// let keys = exhibit.composite_to_keys(&item! {"animal" => "lion", "name" => "Leo", "habitat" => "savanna", "enclosure" => "E1"}, Strict::None).unwrap();
    /// assert_eq!(keys["gsi1pk"], "$zoo#habitat_savanna".into());
    /// assert_eq!(keys["sk"], "$animals_1#name_leo".into());
    /// ```
    pub fn composite_to_keys(&self, composite: &Map, strict: Strict) -> Result<Map> {
        format_supplied_pager(self.model, self.index, composite, strict)
    }

    /// `fromComposite.toCursor`: every composite is required.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let exhibit = Conversions::new(&zoo).by_access_pattern("exhibit").unwrap();
    /// let cursor = exhibit.composite_to_cursor(&item! {"animal" => "lion", "name" => "Leo", "habitat" => "savanna", "enclosure" => "E1"}).unwrap();
    /// assert_eq!(exhibit.cursor_to_keys(&cursor).unwrap()["gsi1sk"], "$animals_1#enclosure_e1".into());
    /// assert!(exhibit.composite_to_cursor(&item! {"habitat" => "savanna"}).is_err());
    /// ```
    pub fn composite_to_cursor(&self, composite: &Map) -> Result<String> {
        if composite.is_empty() {
            return Err(composite_error());
        }
        let keys = format_supplied_pager(self.model, self.index, composite, Strict::All)?;
        self.keys_to_cursor(&keys)
    }

    /// `fromKeys.toCursor`: the keys must hold this index's and the table's keys.
    ///
    /// ```
    /// use electro_core::{conversion::Conversions, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let c = Conversions::new(&zoo);
    /// let ap = c.by_access_pattern("exhibit").unwrap();
    /// assert_eq!(ap.keys_to_cursor(&item! {"pk" => "a", "sk" => "b"}).unwrap_err().code(), 2007);
    /// ```
    pub fn keys_to_cursor(&self, keys: &Map) -> Result<String> {
        if !verify_keys(self.model, TABLE_INDEX, keys) {
            return Err(keys_error(
                "Provided keys did not include valid properties for the primary index",
            ));
        }
        if !verify_keys(self.model, self.index, keys) {
            return Err(keys_error(format!(
                "Provided keys did not include valid properties for the index \"{}\"",
                self.index
            )));
        }
        Ok(serialize_cursor(keys))
    }

    /// `fromKeys.toComposite` for this index (and the table index).
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let exhibit = Conversions::new(&zoo).by_access_pattern("exhibit").unwrap();
    /// let keys = exhibit.composite_to_keys(&item! {"animal" => "lion", "name" => "Leo", "habitat" => "savanna", "enclosure" => "E1"}, Strict::All).unwrap();
    /// assert_eq!(exhibit.keys_to_composite(&keys).unwrap()["enclosure"], "e1".into());
    /// ```
    pub fn keys_to_composite(&self, keys: &Map) -> Result<Map> {
        keys_to_composite_by_index(self.model, self.index, keys)
    }

    /// `fromCursor.toKeys`.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let exhibit = Conversions::new(&zoo).by_access_pattern("exhibit").unwrap();
    /// let cursor = exhibit.composite_to_cursor(&item! {"animal" => "lion", "name" => "Leo", "habitat" => "savanna", "enclosure" => "E1"}).unwrap();
    /// assert_eq!(exhibit.cursor_to_keys(&cursor).unwrap()["pk"], "$zoo#animal_lion".into());
    /// assert!(exhibit.cursor_to_keys("").is_err());
    /// ```
    pub fn cursor_to_keys(&self, cursor: &str) -> Result<Map> {
        if cursor.is_empty() {
            return Err(cursor_error());
        }
        deserialize_cursor(cursor)
    }

    /// `fromCursor.toComposite`.
    ///
    /// ```
    /// use electro_core::{conversion::{Conversions, Strict}, item};
    /// let zoo = electro_core::entity::doc_entity();
    /// let exhibit = Conversions::new(&zoo).by_access_pattern("exhibit").unwrap();
    /// let cursor = exhibit.composite_to_cursor(&item! {"animal" => "lion", "name" => "Leo", "habitat" => "savanna", "enclosure" => "E1"}).unwrap();
    /// assert_eq!(exhibit.cursor_to_composite(&cursor).unwrap()["habitat"], "savanna".into());
    /// ```
    pub fn cursor_to_composite(&self, cursor: &str) -> Result<Map> {
        let keys = self.cursor_to_keys(cursor)?;
        if keys.is_empty() {
            return Err(cursor_error());
        }
        self.keys_to_composite(&keys)
    }
}

fn find_facets(item: &Map, names: &[String]) -> Map {
    names
        .iter()
        .filter_map(|n| item.get(n.as_str()).map(|v| (n.as_str().into(), v.clone())))
        .collect()
}

/// `_constructPagerIndex`.
fn construct_pager_index(model: &Model, index: &str, item: &Map, strict: Strict) -> Result<Map> {
    let def = model
        .index_by_name(index)
        .ok_or_else(|| keys_error(format!("Invalid index: {index}")))?;
    let relaxed_pk = !matches!(strict, Strict::Pk | Strict::All);
    let relaxed_sk = strict != Strict::All;
    let pk = if relaxed_pk {
        find_facets(item, &def.pk.facets)
    } else {
        crate::entity::chain::Chain::expect_facets(item, &def.pk.facets)?
    };
    let sk = if relaxed_sk {
        find_facets(item, def.sk_facets())
    } else {
        crate::entity::chain::Chain::expect_facets(item, def.sk_facets())?
    };
    if def.index_type == IndexType::Composite {
        let mut all = pk;
        all.extend(sk);
        return Ok(model.schema.translate_to_fields(&all));
    }
    let keys = model.make_index_keys(index, &pk, &[&sk], IndexKeyParams::default())?;
    let mut out = Map::with_capacity(2);
    if let Some(pk) = keys.pk {
        out.insert(def.pk.field.as_str().into(), pk);
    }
    if let (Some(field), Some(sk)) = (def.sk_field(), keys.sk.into_iter().flatten().next()) {
        out.insert(field.into(), sk);
    }
    Ok(out)
}

/// `_formatSuppliedPager`: the index's keys, then the table's.
pub(crate) fn format_supplied_pager(
    model: &Model,
    index: &str,
    item: &Map,
    strict: Strict,
) -> Result<Map> {
    if item.is_empty() {
        return Ok(Map::default());
    }
    let mut pager = construct_pager_index(model, index, item, strict)?;
    if !index.is_empty() {
        for (k, v) in construct_pager_index(model, TABLE_INDEX, item, strict)? {
            pager.insert(k, v);
        }
    }
    Ok(pager)
}

/// `_verifyKeys`.
fn verify_keys(model: &Model, index: &str, keys: &Map) -> bool {
    let Some(def) = model.index_by_name(index) else {
        return false;
    };
    if def.index_type == IndexType::Composite {
        let item = model.schema.translate_from_fields(keys, true);
        return def.pk.facets.iter().all(|a| item.contains_key(a.as_str()));
    }
    keys.contains_key(def.pk.field.as_str()) && def.sk_field().is_none_or(|f| keys.contains_key(f))
}

/// `_fromKeysToCompositeByIndex`.
fn keys_to_composite_by_index(model: &Model, index: &str, keys: &Map) -> Result<Map> {
    let def = model
        .index_by_name(index)
        .ok_or_else(|| keys_error(format!("Invalid index: {index}")))?;
    let mut all = if def.index_type == IndexType::Composite {
        let item = model.schema.translate_from_fields(keys, true);
        let mut m = find_facets(&item, &def.pk.facets);
        m.extend(find_facets(&item, def.sk_facets()));
        m
    } else {
        deconstruct_index(model, index, keys).ok_or_else(|| {
            keys_error(format!(
                "Provided keys did not include valid properties for the index \"{index}\""
            ))
        })?
    };
    if !index.is_empty() {
        match deconstruct_index(model, TABLE_INDEX, keys) {
            None => return Ok(all),
            Some(table) => {
                for (k, v) in table {
                    all.insert(k, v);
                }
            }
        }
    }
    if all.is_empty() {
        return Err(keys_error(
            "Provided keys could not be used to form composite attributes",
        ));
    }
    Ok(all)
}

/// `_deconstructIndex`: the composites inside an index's keys, or `None` when the
/// keys do not have its shape.
fn deconstruct_index(model: &Model, index: &str, keys: &Map) -> Option<Map> {
    let def = model.index_by_name(index)?;
    let fixings = model.fixings_of(index)?;
    let pk = keys.get(def.pk.field.as_str())?;
    let mut out = deconstruct_key(model, &fixings.pk, &def.pk, pk)?;
    if let Some(sk_def) = &def.sk {
        let sk = keys.get(sk_def.field.as_str())?;
        for (k, v) in deconstruct_key(model, &fixings.sk, sk_def, sk)? {
            out.insert(k, v);
        }
    }
    Some(out)
}

/// `_createKeyDeconstructor` applied to one key.
fn deconstruct_key(model: &Model, fixings: &KeyFixings, def: &KeyDef, key: &Value) -> Option<Map> {
    let (text, is_number) = match key {
        Value::String(s) => (s.to_string(), false),
        Value::Number(n) => (n.to_js_string(), true),
        _ => return None,
    };
    let mut pattern = format!("^{}", regex::escape(&fixings.prefix));
    let mut kinds: Vec<&AttributeKind> = Vec::new();
    for label in &def.labels {
        if fixings.is_custom && label.name.is_empty() && !label.label.is_empty() {
            pattern.push_str(&regex::escape(&label.label));
        } else if fixings.is_custom {
            pattern.push_str(&regex::escape(&label.label));
            pattern.push_str("(.+)");
        } else {
            pattern.push('#');
            pattern.push_str(&regex::escape(&label.label));
            pattern.push_str("_(.+)");
        }
        if let Some(attr) = model.schema.attributes().get(&label.name) {
            kinds.push(&attr.kind);
        }
    }
    if let Some(postfix) = &fixings.postfix {
        pattern.push_str(&regex::escape(postfix));
    }
    pattern.push('$');
    let regex = RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .build()
        .ok()?;
    let numeric = fixings.cast == KeyCast::Number && is_number;
    let captures = regex.captures(&text);
    if captures.is_none() && !numeric {
        return None;
    }
    let mut out = Map::default();
    for (i, label) in def.labels.iter().enumerate() {
        let raw = if numeric {
            Some(text.clone())
        } else {
            captures
                .as_ref()
                .and_then(|c| c.get(i + 1))
                .map(|m| m.as_str().to_string())
        };
        let Some(raw) = raw else { continue };
        if label.name.is_empty() {
            continue;
        }
        let value = match kinds.get(i) {
            Some(AttributeKind::Number) => raw
                .trim()
                .parse::<electro_expr::Number>()
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Some(AttributeKind::Boolean) => Value::Bool(raw == "true"),
            _ => Value::String(raw.into()),
        };
        out.insert(label.name.as_str().into(), value);
    }
    Some(out)
}
