//! From the `indexes` of an ElectroDB model to [`IndexDef`]s and [`Facets`]: a port of
//! ElectroDB's `_applyCompositeToFacetConversion`, `_optimizeMatchingKeyAttributes`
//! and `_normalizeIndexes`, with every model error they raise.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::Value as Json;

use super::facets::{FacetRef, Facets, IndexFacets};
use super::index::{
    Casing, Collection, IndexCondition, IndexDef, IndexType, KeyDef, KeyType, Label, Projection,
    TABLE_INDEX,
};
use super::template::parse_template;
use crate::error::{Error, ErrorCode, Result};

/// A key's composite attributes as given: a list, or a template string.
#[derive(Clone, Debug)]
pub(crate) enum RawFacets {
    List(Vec<String>),
    Template(String),
}

/// One key of an index as written in the model, after composite/template folding.
#[derive(Clone, Debug)]
pub(crate) struct RawKey {
    pub field: Option<String>,
    pub facets: RawFacets,
    pub composite: Option<Vec<String>>,
    pub template: Option<String>,
    pub casing: Option<String>,
    pub cast: Option<String>,
}

/// One access pattern as written in the model.
#[derive(Clone)]
pub(crate) struct RawIndex {
    pub access_pattern: String,
    pub index: Option<String>,
    pub pk: RawKey,
    pub sk: Option<RawKey>,
    pub collection: Option<Json>,
    pub index_type: Option<String>,
    pub scope: Option<String>,
    pub condition: Option<IndexCondition>,
    pub projection: Option<Json>,
}

fn string_list(v: &Json) -> Option<Vec<String>> {
    v.as_array().map(|a| {
        a.iter()
            .map(|s| match s {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    })
}

fn parse_key(v: &Json) -> Result<RawKey> {
    let missing = || {
        Error::new(
            ErrorCode::InvalidModel,
            "Missing Index Composite Attributes!",
        )
    };
    let obj = v.as_object().ok_or_else(missing)?;
    let composite = obj.get("composite").and_then(string_list);
    let template = obj
        .get("template")
        .and_then(|t| t.as_str())
        .map(str::to_string);
    let legacy = obj.get("facets");
    if composite.is_none() && template.is_none() && legacy.is_none() {
        return Err(missing());
    }
    // `_applyCompositeToFacetConversion`: a template wins over a composite list,
    // which wins over the legacy `facets` property.
    let facets = if let Some(t) = &template {
        RawFacets::Template(t.clone())
    } else if let Some(c) = &composite {
        RawFacets::List(c.clone())
    } else {
        match legacy {
            Some(Json::String(s)) => RawFacets::Template(s.clone()),
            Some(other) => RawFacets::List(string_list(other).unwrap_or_default()),
            None => RawFacets::List(Vec::new()),
        }
    };
    Ok(RawKey {
        field: obj
            .get("field")
            .and_then(|f| f.as_str())
            .map(str::to_string),
        facets,
        composite,
        template,
        casing: obj
            .get("casing")
            .and_then(|c| c.as_str())
            .map(str::to_string),
        cast: obj.get("cast").and_then(|c| c.as_str()).map(str::to_string),
    })
}

/// Reads the `indexes` object of a model; conditions are resolved by the caller.
pub(crate) fn parse_indexes(
    indexes: &serde_json::Map<String, Json>,
    mut condition_for: impl FnMut(&str, &Json) -> Result<Option<IndexCondition>>,
) -> Result<Vec<RawIndex>> {
    let mut out = Vec::with_capacity(indexes.len());
    for (access_pattern, def) in indexes {
        let obj = def.as_object().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidModel,
                format!("instance.indexes.{access_pattern} is not of a type(s) object"),
            )
        })?;
        let pk = parse_key(obj.get("pk").unwrap_or(&Json::Null))?;
        let sk = match obj.get("sk") {
            None | Some(Json::Null) => None,
            Some(v) => Some(parse_key(v)?),
        };
        let condition = match obj.get("condition") {
            None | Some(Json::Null) => None,
            Some(c) => condition_for(access_pattern, c)?,
        };
        out.push(RawIndex {
            access_pattern: access_pattern.clone(),
            index: obj
                .get("index")
                .and_then(|i| i.as_str())
                .map(str::to_string),
            pk,
            sk,
            collection: obj.get("collection").cloned().filter(|c| !c.is_null()),
            index_type: obj.get("type").and_then(|t| t.as_str()).map(str::to_string),
            scope: obj
                .get("scope")
                .and_then(|s| s.as_str())
                .map(str::to_string),
            condition,
            projection: obj.get("projection").cloned().filter(|p| !p.is_null()),
        });
    }
    Ok(out)
}

/// `_optimizeMatchingKeyAttributes`: a key whose field is an attribute and whose only
/// composite is that attribute becomes the template `${field}`, so the attribute is
/// stored as is.
pub(crate) fn optimize_matching_key_attributes(
    indexes: &mut [RawIndex],
    attribute_fields: &[String],
) {
    let optimize = |key: &mut RawKey| {
        let Some(field) = key.field.clone() else {
            return;
        };
        if !attribute_fields.contains(&field) || key.template.is_some() {
            return;
        }
        if let RawFacets::List(list) = &key.facets {
            if list.len() == 1 && list[0] == field {
                key.facets = RawFacets::Template(format!("${{{field}}}"));
            }
        }
    };
    for index in indexes {
        optimize(&mut index.pk);
        if let Some(sk) = index.sk.as_mut() {
            optimize(sk);
        }
    }
}

/// The parsed composite attributes of a key (`_parseTemplateAttributes`).
#[derive(Clone, Debug, Default)]
pub(crate) struct ParsedFacets {
    pub is_custom: bool,
    pub labels: Vec<Label>,
    pub attributes: Vec<String>,
}

pub(crate) fn parse_template_attributes(facets: Option<&RawFacets>) -> Result<ParsedFacets> {
    match facets {
        Some(RawFacets::Template(t)) if !t.is_empty() => {
            let labels = parse_template(t)?;
            let attributes = labels
                .iter()
                .filter(|l| !l.name.is_empty())
                .map(|l| l.name.clone())
                .collect();
            Ok(ParsedFacets {
                is_custom: true,
                labels,
                attributes,
            })
        }
        Some(RawFacets::Template(_)) | None => Ok(ParsedFacets::default()),
        Some(RawFacets::List(list)) => Ok(ParsedFacets {
            is_custom: false,
            labels: list
                .iter()
                .map(|n| Label {
                    name: n.clone(),
                    label: String::new(),
                })
                .collect(),
            attributes: list.clone(),
        }),
    }
}

fn display_index(index: &str) -> &str {
    if index.is_empty() {
        "(Primary Index)"
    } else {
        index
    }
}

/// `u.commaSeparatedString`: `"a", "b"`.
pub(crate) fn comma_separated<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What normalising the indexes yields.
pub(crate) struct NormalizedIndexes {
    pub indexes: Vec<IndexDef>,
    pub parsed_labels: HashMap<String, (ParsedFacets, ParsedFacets)>,
    pub facets: Facets,
    pub sub_collections: IndexMap<String, Vec<String>>,
    pub collections: Vec<String>,
    pub collection_to_index: IndexMap<String, String>,
    pub clustered_indexes: HashSet<String>,
    pub composite_indexes: HashSet<String>,
}

/// `_normalizeIndexes`, with its errors in the reference's order.
pub(crate) fn normalize_indexes(
    raw: Vec<RawIndex>,
    identifiers: (&str, &str),
) -> Result<NormalizedIndexes> {
    let mut indexes: Vec<IndexDef> = Vec::with_capacity(raw.len());
    let mut facets = Facets::default();
    let mut parsed_labels: HashMap<String, (ParsedFacets, ParsedFacets)> = HashMap::new();
    let mut collections: IndexMap<String, String> = IndexMap::new();
    let mut collection_to_index: IndexMap<String, String> = IndexMap::new();
    let mut sub_collections: IndexMap<String, Vec<String>> = IndexMap::new();
    let mut clustered_indexes = HashSet::new();
    let mut composite_indexes = HashSet::new();
    let mut seen_indexes: HashSet<String> = HashSet::new();
    // field → [(index name, key def)] for keys already seen on that field
    let mut by_field: IndexMap<String, IndexMap<String, KeyDef>> = IndexMap::new();
    let mut seen_index_fields: HashSet<String> = HashSet::new();

    for (i, index) in raw.into_iter().enumerate() {
        let ap = index.access_pattern.clone();
        let index_name = index.index.clone().unwrap_or_default();
        let index_type = match index.index_type.as_deref() {
            Some("clustered") => IndexType::Clustered,
            Some("composite") => IndexType::Composite,
            Some("isolated") | None => IndexType::Isolated,
            Some(other) => {
                return Err(Error::new(
                    ErrorCode::InvalidModel,
                    format!(
                        "instance.indexes.{ap}.type is not one of enum values: isolated,clustered,composite (received \"{other}\")"
                    ),
                ));
            }
        };
        if index.index.is_none() && index.condition.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidIndexCondition,
                "The index option 'condition' is only allowed on secondary indexes",
            ));
        }
        match index_type {
            IndexType::Clustered => {
                clustered_indexes.insert(ap.clone());
            }
            IndexType::Composite => {
                if index_name == TABLE_INDEX {
                    return Err(Error::new(
                        ErrorCode::InvalidIndexDefinition,
                        format!(
                            "The Access Pattern \"{ap}\" cannot be defined as a composite index. AWS DynamoDB does not allow for composite indexes on the main table index."
                        ),
                    ));
                }
                if index.condition.is_some() {
                    return Err(Error::new(
                        ErrorCode::InvalidIndexCondition,
                        format!(
                            "The Access Pattern \"{ap}\" is defined as a \"composite\" index, but a condition callback is defined. Composite indexes do not support the use of a condition callback."
                        ),
                    ));
                }
                if index.scope.is_some() {
                    return Err(Error::new(
                        ErrorCode::InvalidIndexCondition,
                        format!(
                            "The Access Pattern \"{ap}\" is defined as a \"composite\" index, but a \"scope\" value was defined. Composite indexes do not support the use of scope."
                        ),
                    ));
                }
                if index.pk.field.is_some() || index.sk.as_ref().is_some_and(|s| s.field.is_some())
                {
                    return Err(Error::new(
                        ErrorCode::InvalidIndexDefinition,
                        format!(
                            "The Access Pattern \"{ap}\" is defined as a \"composite\" index, but the Partition Key or Sort Key is defined with a field property. Composite indexes do not support the use of a field property, their attributes defined in the composite array define the indexes member attributes."
                        ),
                    ));
                }
                composite_indexes.insert(index_name.clone());
            }
            IndexType::Isolated => {}
        }
        if index_type != IndexType::Composite
            && (index.pk.field.is_none() || index.sk.as_ref().is_some_and(|s| s.field.is_none()))
        {
            return Err(Error::new(
                ErrorCode::InvalidIndexDefinition,
                format!(
                    "The Access Pattern \"{ap}\" is defined as a \"{}\" index, but the Partition Key or Sort Key is defined without a field property. Unless using composite attributes, indexes must be defined with a field property that maps to the field name on the DynamoDB table KeySchema.",
                    index_type.as_str()
                ),
            ));
        }
        if !seen_indexes.insert(index_name.clone()) {
            let message = if index_name == TABLE_INDEX {
                format!(
                    "Duplicate index defined in model found in Access Pattern '{ap}': '(Primary Index)'. This could be because you forgot to specify the index name of a secondary index defined in your model."
                )
            } else {
                format!(
                    "Duplicate index defined in model found in Access Pattern '{ap}': '{index_name}'"
                )
            };
            return Err(Error::new(ErrorCode::DuplicateIndexes, message));
        }
        let has_sk = index.sk.is_some();
        let collection_json = index.collection.clone();
        let in_collection = collection_json.as_ref().is_some_and(|c| match c {
            Json::String(s) => !s.is_empty(),
            // `!!collection`: any array is truthy in JavaScript.
            Json::Array(_) => true,
            Json::Bool(b) => *b,
            _ => true,
        });
        if !has_sk && in_collection {
            return Err(Error::new(
                ErrorCode::CollectionNoSK,
                format!(
                    "Invalid Access pattern definition for '{ap}': '{}', contains a collection definition without a defined SK. Collections can only be defined on indexes with a defined SK.",
                    display_index(&index_name)
                ),
            ));
        }

        let pk_casing = Casing::parse(index.pk.casing.as_deref());
        let sk_casing = index
            .sk
            .as_ref()
            .map(|s| Casing::parse(s.casing.as_deref()))
            .unwrap_or_default();
        let parsed_pk = parse_template_attributes(Some(&index.pk.facets))?;
        let parsed_sk = match &index.sk {
            Some(sk) => parse_template_attributes(Some(&sk.facets))?,
            None => ParsedFacets::default(),
        };
        let pk = KeyDef {
            access_pattern: ap.clone(),
            index: index_name.clone(),
            key_type: KeyType::Pk,
            field: index.pk.field.clone().unwrap_or_default(),
            facets: parsed_pk.attributes.clone(),
            is_custom: parsed_pk.is_custom,
            template: index.pk.template.clone(),
            labels: parsed_pk.labels.clone(),
            casing: pk_casing,
            cast: index.pk.cast.clone(),
            is_field_ref: false,
        };
        let sk = index.sk.as_ref().map(|raw_sk| KeyDef {
            access_pattern: ap.clone(),
            index: index_name.clone(),
            key_type: KeyType::Sk,
            field: raw_sk.field.clone().unwrap_or_default(),
            facets: parsed_sk.attributes.clone(),
            is_custom: parsed_sk.is_custom,
            template: raw_sk.template.clone(),
            labels: parsed_sk.labels.clone(),
            casing: sk_casing,
            cast: raw_sk.cast.clone(),
            is_field_ref: false,
        });
        if let Some(sk) = &sk {
            facets.fields.push(sk.field.clone());
            let duplicates: Vec<&String> =
                pk.facets.iter().filter(|f| sk.facets.contains(f)).collect();
            if !duplicates.is_empty() && sk.facets.len() > 1 {
                return Err(Error::new(
                    ErrorCode::DuplicateIndexCompositeAttributes,
                    format!(
                        "The Access Pattern '{ap}' contains duplicate references the composite attribute(s): {}. Composite attributes can only be used more than once in an index if your sort key is limited to a single attribute. This is to prevent unexpected runtime errors related to the inability to generate keys.",
                        comma_separated(&duplicates)
                    ),
                ));
            }
        }

        let mut identifiers_are_projected = false;
        let projection = match &index.projection {
            None => None,
            Some(Json::String(s)) if s.eq_ignore_ascii_case("keys_only") => {
                Some(Projection::KeysOnly)
            }
            Some(Json::String(s)) if s.eq_ignore_ascii_case("all") => Some(Projection::All),
            Some(Json::Array(items))
                if !items.is_empty() && items.iter().all(|i| i.is_string()) =>
            {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect();
                let has_entity = names.iter().any(|n| n == identifiers.0);
                let has_version = names.iter().any(|n| n == identifiers.1);
                identifiers_are_projected = has_entity && has_version;
                for name in &names {
                    facets.projections.push((name.clone(), ap.clone()));
                }
                Some(Projection::Include(names))
            }
            Some(other) => {
                return Err(Error::new(
                    ErrorCode::InvalidProjectionDefinition,
                    format!(
                        "The Access Pattern '{ap}' contains an invalid \"projection\" value: {}. Valid projection values include \"all\", \"keys_only\", or an array of attribute names with a length greater than one.",
                        to_display_string(other)
                    ),
                ));
            }
        };

        let collection = match &collection_json {
            None => Collection::None,
            Some(Json::String(s)) if !s.is_empty() => Collection::One(s.clone()),
            Some(Json::Array(items))
                if items
                    .iter()
                    .all(|c| c.as_str().is_some_and(|s| !s.is_empty())) =>
            {
                Collection::Many(
                    items
                        .iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect(),
                )
            }
            Some(_) if in_collection => {
                return Err(Error::new(
                    ErrorCode::InvalidModel,
                    "Invalid collection definition",
                ));
            }
            Some(_) => Collection::None,
        };
        if collection.is_some() {
            for name in collection.names() {
                if let Some(previous) = collections.get(name) {
                    return Err(Error::new(
                        ErrorCode::DuplicateCollections,
                        format!(
                            "Duplicate collection, \"{name}\" is defined across multiple indexes \"{previous}\" and \"{ap}\". Collections must be unique names across indexes for an Entity."
                        ),
                    ));
                }
                collections.insert(name.clone(), ap.clone());
                collection_to_index.insert(name.clone(), index_name.clone());
            }
            // `_normalizeSubCollections`: each sub-collection maps to its ancestors
            // and itself, outermost first.
            let names = collection.names();
            for j in (0..names.len()).rev() {
                let entry = sub_collections.entry(names[j].clone()).or_default();
                entry.clear();
                for ancestor in names.iter().take(j + 1) {
                    entry.push(ancestor.clone());
                }
            }
        }

        let mut all: Vec<(KeyType, String)> =
            pk.facets.iter().map(|n| (KeyType::Pk, n.clone())).collect();
        if let Some(sk) = &sk {
            all.extend(sk.facets.iter().map(|n| (KeyType::Sk, n.clone())));
        }

        if index_type != IndexType::Composite {
            facets.fields.push(pk.field.clone());
        }
        facets.by_index.insert(
            index_name.clone(),
            IndexFacets {
                pk: pk.facets.clone(),
                sk: sk.as_ref().map(|s| s.facets.clone()).unwrap_or_default(),
                all: all.clone(),
                index_type,
                has_sort_keys: has_sk,
                has_sub_collections: in_collection && matches!(collection, Collection::Many(_)),
                pk_casing,
                sk_casing,
            },
        );

        if index_type != IndexType::Composite {
            by_field
                .entry(pk.field.clone())
                .or_default()
                .insert(index_name.clone(), pk.clone());
            if let Some(sk) = &sk {
                if !sk.field.is_empty() {
                    by_field
                        .entry(sk.field.clone())
                        .or_default()
                        .insert(index_name.clone(), sk.clone());
                }
            }
            if seen_index_fields.contains(&pk.field) {
                let other = by_field
                    .get(&pk.field)
                    .and_then(|defs| defs.values().find(|d| d.index != index_name))
                    .cloned();
                if let Some(other) = other {
                    if pk.facets != other.facets {
                        return Err(Error::new(
                            ErrorCode::InconsistentIndexDefinition,
                            format!(
                                "Partition Key (pk) on Access Pattern '{}' is defined with the composite attribute(s) {}, but the Access Pattern '{}' defines this field with the composite attributes {}'. Key fields must have the same composite attribute definitions across all indexes they are involved with",
                                display_index(&ap),
                                comma_separated(&pk.facets),
                                display_index(&other.access_pattern),
                                comma_separated(&other.facets)
                            ),
                        ));
                    }
                    if pk.template != other.template {
                        return Err(Error::new(
                            ErrorCode::IncompatibleKeyCompositeAttributeTemplate,
                            format!(
                                "Partition Key (pk) on Access Pattern '{}' is defined with the template {}, but the Access Pattern '{}' defines this field with the key labels {}'. Key fields must have the same template definitions across all indexes they are involved with",
                                display_index(&ap),
                                pk.template.as_deref().unwrap_or("(undefined)"),
                                display_index(&other.access_pattern),
                                other.template.as_deref().unwrap_or("(undefined)")
                            ),
                        ));
                    }
                }
            } else {
                seen_index_fields.insert(pk.field.clone());
            }
            if let Some(sk) = &sk {
                if !sk.field.is_empty() {
                    if sk.field == pk.field {
                        return Err(Error::new(
                            ErrorCode::DuplicateIndexFields,
                            format!(
                                "The Access Pattern '{}' references the field '{}' as the field name for both the PK and SK. Fields used for indexes need to be unique to avoid conflicts.",
                                display_index(&ap),
                                sk.field
                            ),
                        ));
                    } else if seen_index_fields.contains(&sk.field) {
                        let other = by_field
                            .get(&sk.field)
                            .and_then(|defs| defs.values().find(|d| d.index != index_name))
                            .cloned();
                        if let Some(other) = other {
                            if sk.facets != other.facets {
                                return Err(Error::new(
                                    ErrorCode::DuplicateIndexFields,
                                    format!(
                                        "Sort Key (sk) on Access Pattern '{}' is defined with the composite attribute(s) {}, but the Access Pattern '{}' defines this field with the composite attributes {}'. Key fields must have the same composite attribute definitions across all indexes they are involved with",
                                        display_index(&ap),
                                        comma_separated(&sk.facets),
                                        display_index(&other.access_pattern),
                                        comma_separated(&other.facets)
                                    ),
                                ));
                            }
                            if sk.template != other.template {
                                return Err(Error::new(
                                    ErrorCode::IncompatibleKeyCompositeAttributeTemplate,
                                    format!(
                                        "Sort Key (sk) on Access Pattern '{}' is defined with the template {}, but the Access Pattern '{}' defines this field with the key labels {}'. Key fields must have the same template definitions across all indexes they are involved with",
                                        display_index(&ap),
                                        sk.template.as_deref().unwrap_or("(undefined)"),
                                        display_index(&other.access_pattern),
                                        other.template.as_deref().unwrap_or("(undefined)")
                                    ),
                                ));
                            }
                        }
                    } else {
                        seen_index_fields.insert(sk.field.clone());
                    }
                }
            }
        }

        for (j, (key_type, name)) in all.iter().enumerate() {
            let next = all.get(j + 1).map(|(_, n)| n.clone()).unwrap_or_default();
            let facet = FacetRef {
                index: index_name.clone(),
                name: name.clone(),
                key_type: *key_type,
                next,
                index_type,
                position: i,
            };
            facets
                .by_attr
                .entry(name.clone())
                .or_default()
                .push(facet.clone());
            if facets.by_slot.len() <= j {
                facets.by_slot.resize_with(j + 1, Vec::new);
            }
            let slot = &mut facets.by_slot[j];
            if slot.len() <= i {
                slot.resize(i + 1, None);
            }
            slot[i] = Some(facet);
        }

        if parsed_pk.is_custom {
            if let Some(composite) = &index.pk.composite {
                if *composite != parsed_pk.attributes {
                    return Err(Error::new(
                        ErrorCode::IncompatibleKeyCompositeAttributeTemplate,
                        format!(
                            "Incompatible PK 'template' and 'composite' properties for defined on index \"{}\". PK \"template\" string is defined as having composite attributes {} while PK \"composite\" array is defined with composite attributes {}",
                            display_index(&index_name),
                            comma_separated(&parsed_pk.attributes),
                            comma_separated(composite)
                        ),
                    ));
                }
            }
        }
        if let Some(raw_sk) = &index.sk {
            if let (Some(composite), Some(_)) = (&raw_sk.composite, &raw_sk.template) {
                if parsed_sk.is_custom && *composite != parsed_sk.attributes {
                    return Err(Error::new(
                        ErrorCode::IncompatibleKeyCompositeAttributeTemplate,
                        format!(
                            "Incompatible SK 'template' and 'composite' properties for defined on index \"{}\". SK \"template\" string is defined as having composite attributes {} while SK \"composite\" array is defined with composite attributes {}",
                            display_index(&index_name),
                            comma_separated(&parsed_sk.attributes),
                            comma_separated(composite)
                        ),
                    ));
                }
            }
        }

        parsed_labels
            .entry(index_name.clone())
            .or_insert((parsed_pk, parsed_sk));

        let composite_names = std::sync::Arc::new((
            pk.facets.clone(),
            sk.as_ref().map(|s| s.facets.clone()).unwrap_or_default(),
        ));
        indexes.push(IndexDef {
            access_pattern: ap,
            index: index_name,
            pk,
            sk,
            collection,
            index_type,
            scope: index.scope.unwrap_or_default(),
            condition: index.condition,
            composite_names,
            projection,
            identifiers_are_projected,
        });
    }

    if !facets.by_index.contains_key(TABLE_INDEX) {
        return Err(Error::new(
            ErrorCode::MissingPrimaryIndex,
            "Schema is missing an index definition for the table's main index. Please update the schema to include an index without a specified name to define the table's natural index",
        ));
    }

    Ok(NormalizedIndexes {
        indexes,
        parsed_labels,
        facets,
        sub_collections,
        collections: collections.keys().cloned().collect(),
        collection_to_index,
        clustered_indexes,
        composite_indexes,
    })
}

/// `u.toDisplayString`: JSON for objects and strings.
fn to_display_string(v: &Json) -> String {
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(v: Json) -> Vec<RawIndex> {
        parse_indexes(v.as_object().unwrap(), |_, _| Ok(None)).unwrap()
    }

    #[test]
    fn duplicate_primary_index_is_1004() {
        let r = raw(json!({
            "a": {"pk": {"field": "pk", "composite": ["x"]}},
            "b": {"pk": {"field": "pk", "composite": ["x"]}}
        }));
        let err = normalize_indexes(r, ("__edb_e__", "__edb_v__"))
            .err()
            .unwrap();
        assert_eq!(err.code(), 1004);
    }

    #[test]
    fn sub_collections_map_to_ancestors() {
        let r = raw(json!({
            "a": {"pk": {"field": "pk", "composite": ["x"]}, "sk": {"field": "sk", "composite": []}},
            "b": {"index": "gsi1", "collection": ["outer", "inner"],
                  "pk": {"field": "gsi1pk", "composite": ["x"]}, "sk": {"field": "gsi1sk", "composite": []}}
        }));
        let n = normalize_indexes(r, ("__edb_e__", "__edb_v__")).unwrap();
        assert_eq!(n.sub_collections["inner"], vec!["outer", "inner"]);
        assert_eq!(n.sub_collections["outer"], vec!["outer"]);
        assert_eq!(n.collection_to_index["inner"], "gsi1");
    }
}
