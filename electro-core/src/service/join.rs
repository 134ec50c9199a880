//! The checks a service makes when an entity joins a collection: a port of
//! ElectroDB's `_validateCollectionDefinition`, `_processEntityKeys`,
//! `_compareEntityAttributes` and `_processSubCollections`. Each failure is error
//! 1013 (`InvalidJoin`) with the reference's message.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Casing, IndexDef, IndexType, KeyDef, Label, Projection};
use crate::schema::Attribute;

fn join_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidJoin, message)
}

/// `formatIndexNameForDisplay`.
pub(crate) fn display_index(index: &str) -> &str {
    if index.is_empty() {
        "(Primary Index)"
    } else {
        index
    }
}

/// The key definition a collection's members share: the first member's index, its
/// sort key cut to the composites every member has in the same place.
#[derive(Clone, Debug)]
pub(crate) struct CollectionKeys {
    pub index: String,
    pub index_type: IndexType,
    pub scope: String,
    pub projection: Option<Projection>,
    pub pk: KeyDef,
    pub sk: Option<KeyDef>,
}

impl CollectionKeys {
    pub(crate) fn from_index(def: &IndexDef) -> CollectionKeys {
        CollectionKeys {
            index: def.index.clone(),
            index_type: def.index_type,
            scope: def.scope.clone(),
            projection: def.projection.clone(),
            pk: def.pk.clone(),
            sk: def.sk.clone(),
        }
    }

    pub(crate) fn sk_labels(&self) -> &[Label] {
        self.sk.as_ref().map(|s| s.labels.as_slice()).unwrap_or(&[])
    }

    pub(crate) fn sk_facets(&self) -> Vec<String> {
        self.sk
            .as_ref()
            .map(|s| s.facets.clone())
            .unwrap_or_default()
    }
}

/// `isMatchingCasing`: unset and `lower` are the same casing.
fn casing_matches(a: Casing, b: Casing) -> bool {
    a.effective() == b.effective()
}

/// `isMatchingProjection`.
fn projection_matches(received: &Option<Projection>, expected: &Option<Projection>) -> bool {
    use Projection::*;
    match (received, expected) {
        (Some(Include(_)), Some(Include(_))) => true,
        (Some(a @ (All | KeysOnly)), Some(b @ (All | KeysOnly))) => a == b,
        (a, b) => matches!(a, None | Some(All)) && matches!(b, None | Some(All)),
    }
}

/// `commaSeparatedString` of a projection as ElectroDB prints it.
fn display_projection(p: &Option<Projection>, undefined: &str) -> String {
    let quote = |s: &str| format!("\"{s}\"");
    match p {
        None => undefined.to_string(),
        Some(Projection::All) => quote("all"),
        Some(Projection::KeysOnly) => quote("keys_only"),
        Some(Projection::Include(names)) => names
            .iter()
            .map(|n| quote(n))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

struct Mismatch<'a> {
    definition_facet: Option<&'a str>,
    definition_label: Option<&'a str>,
    provided_facet: Option<&'a str>,
    provided_label: Option<&'a str>,
    kind: &'static str,
    is_facet: bool,
}

fn label_at(labels: &[Label], i: usize) -> (Option<&str>, Option<&str>) {
    match labels.get(i) {
        Some(l) => (Some(l.name.as_str()), Some(l.label.as_str())),
        None => (None, None),
    }
}

fn or_undefined(s: Option<&str>) -> &str {
    s.unwrap_or("undefined")
}

/// `_validateCollectionDefinition`: every difference between the established
/// collection keys and a joining member's index.
fn validate_definition(definition: &CollectionKeys, provided: &CollectionKeys) -> Vec<String> {
    let def_sk_custom = definition.sk.as_ref().is_some_and(|s| s.is_custom);
    let prov_sk_custom = provided.sk.as_ref().is_some_and(|s| s.is_custom);
    let definition_name = display_index(&definition.index);
    let provided_name = display_index(&provided.index);
    let mut mismatched: Vec<Mismatch> = Vec::new();
    let mut differences: Vec<String> = Vec::new();

    let n = definition.pk.labels.len().max(provided.pk.labels.len());
    for i in 0..n {
        let (definition_facet, definition_label) = label_at(&definition.pk.labels, i);
        let (provided_facet, provided_label) = label_at(&provided.pk.labels, i);
        let no_labels = definition_label == definition_facet && provided_label == provided_facet;
        if definition_label != provided_label {
            mismatched.push(Mismatch {
                definition_facet,
                definition_label,
                provided_facet,
                provided_label,
                kind: "Partition",
                is_facet: no_labels,
            });
            break;
        } else if definition_facet != provided_facet {
            mismatched.push(Mismatch {
                definition_facet,
                definition_label,
                provided_facet,
                provided_label,
                kind: "Partition",
                is_facet: true,
            });
            break;
        }
    }

    if definition.scope != provided.scope {
        let or_u = |s: &str| {
            if s.is_empty() {
                "undefined".to_string()
            } else {
                s.to_string()
            }
        };
        differences.push(format!("The index scope value provided \"{}\" does not match established index scope value \"{}\" on index \"{provided_name}\". Index scope options must match across all entities participating in a collection", or_u(&provided.scope), or_u(&definition.scope)));
    }
    if definition.pk.is_custom != provided.pk.is_custom {
        differences.push(format!("The usage of key templates the partition key on index {definition_name} must be consistent across all Entities, some entities provided use template while others do not"));
    }
    if def_sk_custom != prov_sk_custom {
        differences.push(format!("The usage of key templates the sort key on index {definition_name} must be consistent across all Entities, some entities provided use template while others do not"));
    }
    if matches!(
        definition.index_type,
        IndexType::Clustered | IndexType::Composite
    ) {
        let (d, p) = (definition.sk_labels(), provided.sk_labels());
        for i in 0..d.len().min(p.len()) {
            let (definition_facet, definition_label) = label_at(d, i);
            let (provided_facet, provided_label) = label_at(p, i);
            let no_labels =
                definition_label == definition_facet && provided_label == provided_facet;
            if definition_facet == provided_facet {
                if definition_label != provided_label {
                    mismatched.push(Mismatch {
                        definition_facet,
                        definition_label,
                        provided_facet,
                        provided_label,
                        kind: "Sort",
                        is_facet: no_labels,
                    });
                }
            } else {
                break;
            }
        }
    }
    if !casing_matches(definition.pk.casing, provided.pk.casing) {
        differences.push(format!("The pk property \"casing\" provided \"{}\" does not match established casing \"{}\" on index \"{provided_name}\". Index casing options must match across all entities participating in a collection", provided.pk.casing.as_str(), definition.pk.casing.as_str()));
    }
    if !projection_matches(&provided.projection, &definition.projection) {
        differences.push(format!("The provided projection definition {} does not match the established projection definition {} on index {provided_name}. Index projection definitions must match across all entities participating in a collection", display_projection(&provided.projection, "\"<undefined>\""), display_projection(&definition.projection, "")));
    }
    let def_sk_casing = definition.sk.as_ref().map(|s| s.casing).unwrap_or_default();
    let prov_sk_casing = provided.sk.as_ref().map(|s| s.casing).unwrap_or_default();
    let sk_casing_ok = match (&definition.sk, &provided.sk) {
        (None, None) => true,
        _ => casing_matches(def_sk_casing, prov_sk_casing),
    };
    if !sk_casing_ok {
        // The reference prints the established casing as "provided" here.
        differences.push(format!("The sk property \"casing\" provided \"{}\" does not match established casing \"{}\" on index \"{provided_name}\". Index casing options must match across all entities participating in a collection", def_sk_casing.as_str(), prov_sk_casing.as_str()));
    }
    if definition.index != provided.index {
        differences.push(format!("Collection defined on provided index \"{provided_name}\" does not match collection established index \"{definition_name}\". Collections must be defined on the same index across all entities within a service."));
    } else if definition.pk.field != provided.pk.field {
        differences.push(format!("Partition Key composite attributes provided \"{}\" for index \"{provided_name}\" do not match established field \"{}\" on established index \"{definition_name}\"", provided.pk.field, definition.pk.field));
    }
    if definition.pk.facets.len() != provided.pk.facets.len() {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        differences.push(format!("Partition Key composite attributes provided [{}] for index \"{provided_name}\" do not match established composite attributes [{}] on established index \"{definition_name}\"", list(&provided.pk.facets), list(&definition.pk.facets)));
    } else {
        for m in &mismatched {
            if m.is_facet {
                differences.push(format!("{} Key composite attributes provided for index \"{provided_name}\" do not match established composite attribute \"{}\" on established index \"{definition_name}\": \"{}\" != \"{}\"; Composite attribute definitions must match between all members of a collection to ensure key structures will resolve to identical Partition Keys. Please ensure these composite attribute definitions are identical for all entities associated with this service.", m.kind, or_undefined(m.definition_facet), or_undefined(m.definition_label), or_undefined(m.provided_label)));
            } else {
                differences.push(format!("{} Key composite attributes provided for index \"{provided_name}\" contain conflicting composite attribute labels for established composite attribute \"{}\" on established index \"{definition_name}\". Established composite attribute \"{}\" on established index \"{definition_name}\" was defined with label \"{}\" while provided composite attribute \"{}\" on provided index \"{provided_name}\" is defined with label \"{}\". Composite attribute labels definitions must match between all members of a collection to ensure key structures will resolve to identical Partition Keys. Please ensure these labels definitions are identical for all entities associated with this service.", m.kind, m.definition_facet.unwrap_or(""), m.definition_facet.unwrap_or(""), or_undefined(m.definition_label), m.provided_facet.unwrap_or(""), or_undefined(m.provided_label)));
            }
        }
    }
    differences
}

/// `_processEntityKeys`: validates the joining index against the established keys
/// and keeps only the sort-key composites both share, in order.
pub(crate) fn process_keys(
    alias: &str,
    definition: Option<&CollectionKeys>,
    provided: &CollectionKeys,
) -> Result<CollectionKeys> {
    let definition = definition.unwrap_or(provided);
    let differences = validate_definition(definition, provided);
    if !differences.is_empty() {
        return Err(join_error(format!(
            "Validation Error while joining entity, \"{alias}\". {}",
            differences.join("; ")
        )));
    }
    let mut out = definition.clone();
    if let (Some(def_sk), Some(prov_sk)) = (&definition.sk, &provided.sk) {
        let mut labels = Vec::new();
        let mut facets = Vec::new();
        for (i, defined) in def_sk.labels.iter().enumerate() {
            match prov_sk.labels.get(i) {
                Some(p) if p.name == defined.name && p.label == defined.label => {
                    labels.push(defined.clone());
                    if let Some(f) = def_sk.facets.get(i) {
                        facets.push(f.clone());
                    }
                }
                _ => break,
            }
        }
        if let Some(sk) = out.sk.as_mut() {
            sk.labels = labels;
            sk.facets = facets;
        }
    } else if let Some(sk) = out.sk.as_mut() {
        sk.labels.clear();
        sk.facets.clear();
    }
    Ok(out)
}

/// `_processEntityAttributes`: shared attributes must agree on their field (and on
/// padding for partition-key composites); new ones are added.
pub(crate) fn process_attributes(
    alias: &str,
    definition: &mut electro_expr::FastMap<String, Attribute>,
    provided: &electro_expr::FastMap<String, Attribute>,
    pk_facets: &[String],
) -> Result<()> {
    let mut invalid = Vec::new();
    let mut additions = Vec::new();
    for (name, detail) in provided {
        match definition.get(name) {
            None => additions.push((name.clone(), detail.clone())),
            Some(defined) => {
                if defined.field != detail.field {
                    invalid.push(format!("The attribute \"{name}\" with Table Field \"{}\" does not match established Table Field \"{}\"", detail.field, defined.field));
                }
                if (defined.padding.is_some() || detail.padding.is_some())
                    && pk_facets.contains(name)
                {
                    let (a, b) = (&defined.padding, &detail.padding);
                    let same = match (a, b) {
                        (Some(a), Some(b)) => a.length == b.length && a.char == b.char,
                        _ => false,
                    };
                    if !same {
                        invalid.push(format!("The attribute \"{name}\" contains inconsistent padding definitions that impact how keys are formed"));
                    }
                }
            }
        }
    }
    if !invalid.is_empty() {
        return Err(join_error(format!(
            "Inconsistent attribute(s) on the entity \"{alias}\". The following attribute(s) are defined with incompatible or conflicting definitions across participating entities: {}. These attribute definitions must match among all members of the collection.",
            invalid.join(", ")
        )));
    }
    for (name, detail) in additions {
        definition.insert(name, detail);
    }
    Ok(())
}

/// `_processSubCollections`: the slot of `collection` among the member's
/// sub-collections, which must follow the established order.
pub(crate) fn process_sub_collections(
    provided_type: IndexType,
    existing: &[String],
    provided: &[String],
    alias: &str,
    collection: &str,
) -> Result<usize> {
    if provided.len() > 1 && matches!(provided_type, IndexType::Clustered | IndexType::Composite) {
        return Err(join_error(format!(
            "\"{}\" indexes do not support sub-collections. The sub-collection \"{collection}\", on Entity \"{alias}\" must be defined as either an individual collection name or the index must be redefined as an \"isolated\" index",
            provided_type.as_str()
        )));
    }
    let existing_at = existing.iter().position(|c| c == collection);
    let Some(provided_at) = provided.iter().position(|c| c == collection) else {
        return Err(join_error(format!(
            "The collection definition for Collection \"{collection}\" does not exist on Entity \"{alias}\"."
        )));
    };
    if let Some(e) = existing_at {
        if e != provided_at {
            let found = provided
                .get(e)
                .map(|s| format!("\"{s}\""))
                .unwrap_or_else(|| "(not found)".into());
            return Err(join_error(format!(
                "The collection definition for Collection \"{collection}\", on Entity \"{alias}\", does not match the established sub-collection order for this service. The collection name provided in slot {}, {found}, on Entity \"{alias}\", does not match the established collection name in slot {}, \"{collection}\". When using sub-collections, all Entities within a Service must must implement the same order for all preceding sub-collections.",
                provided_at + 1,
                e + 1
            )));
        }
    }
    let length = existing_at.unwrap_or(0).max(provided_at);
    for i in 0..=length {
        let existing_c = existing.get(i).filter(|s| !s.is_empty());
        let provided_c = provided.get(i).filter(|s| !s.is_empty());
        if let Some(ex) = existing_c {
            if Some(ex) == provided_c && ex == collection {
                return Ok(i);
            }
            if Some(ex) != provided_c {
                return Err(join_error(format!(
                    "The collection definition for Collection \"{collection}\", on Entity \"{alias}\", does not match the established sub-collection order for this service. The collection name provided in slot {}, \"{}\", on Entity \"{alias}\", does not match the established collection name in slot {}, \"{ex}\". When using sub-collections, all Entities within a Service must must implement the same order for all preceding sub-collections.",
                    i + 1,
                    provided_c.map(String::as_str).unwrap_or("undefined"),
                    i + 1
                )));
            }
        } else if provided_c.is_some_and(|p| p == collection) {
            return Ok(i);
        }
    }
    Ok(provided_at)
}
