//! The fixed text around composite values in each key (`$service`, `$entity_1`,
//! collection prefixes, clustered postfixes): a port of ElectroDB's `_makeKeyFixings`.

use electro_expr::FastMap;

use super::index::{Casing, IndexDef, IndexFixings, IndexType, KeyCast, KeyDef, KeyFixings};
use crate::error::{Error, ErrorCode, Result};

/// Whether a model is ElectroDB's "beta" shape (`entity` at the root) or v1
/// (`model: {entity, version, service}`); they prefix keys differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelVersion {
    /// `{service, entity, version, ...}`.
    Beta,
    /// `{model: {service, entity, version}, ...}`.
    V1,
}

/// `_makeCollectionPrefix`: `$outer#inner` for sub-collections, `$name` for one.
pub(crate) fn collection_prefix(names: &[String]) -> String {
    let mut prefix = String::new();
    for (i, name) in names.iter().enumerate() {
        prefix.push(if i == 0 { '$' } else { '#' });
        prefix.push_str(name);
    }
    prefix
}

/// What decides a key's cast: the attribute type of a single composite.
pub(crate) type AttributeTypeOf<'a> = dyn Fn(&str) -> Option<&'a str> + 'a;

fn key_cast(key: &KeyDef, type_of: &AttributeTypeOf<'_>, index: &str) -> Result<KeyCast> {
    let single_type = if key.facets.len() == 1 {
        type_of(&key.facets[0])
    } else {
        None
    };
    match key.cast.as_deref() {
        Some("string") => Ok(KeyCast::String),
        None if key.is_custom
            && key.facets.len() == 1
            && key.labels.iter().all(|l| l.label.is_empty())
            && single_type == Some("number") =>
        {
            Ok(KeyCast::Number)
        }
        Some("number")
            if key.facets.len() == 1
                && matches!(single_type, Some("number" | "string" | "boolean")) =>
        {
            Ok(KeyCast::Number)
        }
        Some("number") if key.facets.len() > 1 => Err(Error::new(
            ErrorCode::InvalidModel,
            format!(
                "Invalid \"cast\" option provided for {} definition on index \"{}\". Keys can only be cast to 'number' if they are a composite of one numeric attribute.",
                key.key_type.as_str(),
                if index.is_empty() {
                    "(Primary Index)"
                } else {
                    index
                }
            ),
        )),
        _ => Ok(KeyCast::String),
    }
}

/// Builds the fixings of every index, in access-pattern order; an index whose key
/// field another index already defined shares that index's fixings (after a casing
/// check), as in the reference.
pub(crate) fn make_fixings(
    service: &str,
    entity: &str,
    version: &str,
    model_version: ModelVersion,
    indexes: &[IndexDef],
    type_of: &AttributeTypeOf<'_>,
) -> Result<FastMap<String, IndexFixings>> {
    let mut out: FastMap<String, IndexFixings> = FastMap::default();
    for index in indexes {
        let fixings = make_index_fixings(
            service,
            entity,
            version,
            model_version,
            index,
            type_of,
            &out,
            indexes,
        )?;
        out.insert(index.index.clone(), fixings);
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn make_index_fixings(
    service: &str,
    entity: &str,
    version: &str,
    model_version: ModelVersion,
    index: &IndexDef,
    type_of: &AttributeTypeOf<'_>,
    previous: &FastMap<String, IndexFixings>,
    all_indexes: &[IndexDef],
) -> Result<IndexFixings> {
    let is_clustered = index.index_type == IndexType::Clustered;
    let sk_def = index.sk.as_ref();
    let mut pk_fix = KeyFixings {
        prefix: String::new(),
        postfix: None,
        field: index.pk.field.clone(),
        casing: index.pk.casing,
        is_custom: index.pk.is_custom,
        cast: KeyCast::String,
    };
    let mut sk_fix = KeyFixings {
        prefix: String::new(),
        postfix: None,
        field: sk_def.map(|s| s.field.clone()).unwrap_or_default(),
        casing: index.sk_casing(),
        is_custom: sk_def.is_some_and(|s| s.is_custom),
        cast: KeyCast::String,
    };

    // Earlier indexes that put a key on the same field as this one's keys.
    let mut previous_pk: Option<(&IndexFixings, bool)> = None;
    let mut previous_sk: Option<(&IndexFixings, bool)> = None;
    for (_, def) in previous.iter() {
        if def.pk.field == index.pk.field {
            previous_pk = Some((def, true));
        } else if !def.sk.field.is_empty() && def.sk.field == index.pk.field {
            previous_pk = Some((def, false));
        }
        if let Some(sk) = sk_def {
            if def.pk.field == sk.field {
                previous_sk = Some((def, true));
            } else if !def.sk.field.is_empty() && def.sk.field == sk.field {
                previous_sk = Some((def, false));
            }
        }
        if previous_pk.is_some() && (previous_sk.is_some() || sk_def.is_none()) {
            break;
        }
    }

    let mut pk = format!("${service}");
    let mut sk = String::new();
    let mut entity_keys = String::new();
    let mut postfix = String::new();
    let collection = collection_prefix(index.collection.names());
    if !collection.is_empty() {
        sk.push_str(&collection);
        entity_keys.push('#');
        entity_keys.push_str(entity);
    } else {
        entity_keys.push('$');
        entity_keys.push_str(entity);
    }
    match model_version {
        ModelVersion::Beta => {
            pk.push('_');
            pk.push_str(version);
        }
        ModelVersion::V1 => {
            entity_keys.push('_');
            entity_keys.push_str(version);
        }
    }
    if is_clustered {
        postfix = entity_keys;
    } else {
        sk.push_str(&entity_keys);
    }
    if sk_def.is_none() {
        pk.push_str(&sk);
        if is_clustered {
            pk.push_str(&postfix);
        }
    }
    if !pk_fix.is_custom {
        if !index.scope.is_empty() {
            pk.push('_');
            pk.push_str(&index.scope);
        }
        pk_fix.prefix = index.pk.casing.apply(&pk);
    }
    if !sk_fix.is_custom {
        sk_fix.prefix = index.sk_casing().apply(&sk);
        sk_fix.postfix = Some(index.sk_casing().apply(&postfix));
    }

    pk_fix.cast = key_cast(&index.pk, type_of, &index.index)?;
    if let Some(s) = sk_def {
        sk_fix.cast = key_cast(s, type_of, &index.index)?;
    }

    let casing_error = |which: &str, this: Casing, other: &KeyFixings, other_index: &str| {
        let other_ap = all_indexes
            .iter()
            .find(|i| i.index == other_index)
            .map(|i| i.access_pattern.as_str())
            .unwrap_or("");
        Error::new(
            ErrorCode::IncompatibleKeyCasing,
            format!(
                "{which} on Access Pattern '{}' is defined with the casing {}, but the Access Pattern '{}' defines the same index field with the {}casing {}. Key fields must have the same casing definitions across all indexes they are involved with.",
                display(&index.index),
                this.as_str(),
                display(other_ap),
                if other.casing == Casing::Default {
                    "(default) "
                } else {
                    ""
                },
                other.casing.as_str()
            ),
        )
    };
    if let Some((def, is_pk)) = previous_pk {
        let other = if is_pk { &def.pk } else { &def.sk };
        if pk_fix.casing.effective() != other.casing.effective() {
            let other_index = previous
                .iter()
                .find(|(_, d)| std::ptr::eq(*d, def))
                .map(|(k, _)| k.as_str())
                .unwrap_or("");
            return Err(casing_error(
                "Partition Key (pk)",
                pk_fix.casing,
                other,
                other_index,
            ));
        }
        pk_fix = other.clone();
    }
    if let Some((def, is_pk)) = previous_sk {
        let other = if is_pk { &def.pk } else { &def.sk };
        if sk_fix.casing.effective() != other.casing.effective() {
            let other_index = previous
                .iter()
                .find(|(_, d)| std::ptr::eq(*d, def))
                .map(|(k, _)| k.as_str())
                .unwrap_or("");
            return Err(casing_error(
                "Sort Key (sk)",
                sk_fix.casing,
                other,
                other_index,
            ));
        }
        sk_fix = other.clone();
    }
    Ok(IndexFixings {
        pk: pk_fix,
        sk: sk_fix,
    })
}

fn display(index: &str) -> &str {
    if index.is_empty() {
        "(Primary Index)"
    } else {
        index
    }
}
