//! The index facts the attribute schema needs (`SchemaFacets`), from the normalised
//! indexes: which fields are keys, which attributes are composites, projections and
//! key templates.

use super::facets::Facets;
use super::index::{Casing, IndexDef, IndexType, KeyDef, KeyType};
use crate::schema::{
    CompositeRef, IndexFacets, IndexLabels, KeyCasing, KeyFieldDefinition,
    KeyType as SchemaKeyType, ProjectionRef, SchemaFacets, TemplateLabel,
};

fn key_type(k: KeyType) -> SchemaKeyType {
    match k {
        KeyType::Pk => SchemaKeyType::Pk,
        KeyType::Sk => SchemaKeyType::Sk,
    }
}

fn casing(c: Casing) -> KeyCasing {
    match c {
        Casing::Default => KeyCasing::Default,
        Casing::Upper => KeyCasing::Upper,
        Casing::Lower => KeyCasing::Lower,
        Casing::None => KeyCasing::None,
    }
}

fn definition(index: &IndexDef, key: &KeyDef) -> KeyFieldDefinition {
    KeyFieldDefinition {
        key_type: Some(key_type(key.key_type)),
        field: key.field.clone(),
        facets: key.facets.clone(),
        is_custom: key.is_custom,
        casing: casing(key.casing),
        in_collection: index.collection.is_some(),
        index: index.index.clone(),
        access_pattern: index.access_pattern.clone(),
    }
}

fn labels(key: Option<&KeyDef>) -> Vec<TemplateLabel> {
    key.filter(|k| k.is_custom)
        .map(|k| {
            k.labels
                .iter()
                .map(|l| TemplateLabel {
                    name: l.name.clone(),
                    label: l.label.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Builds the schema's view of the indexes.
pub(crate) fn schema_facets(indexes: &[IndexDef], facets: &Facets) -> SchemaFacets {
    let mut out = SchemaFacets::default();
    for index in indexes {
        let refs: Vec<CompositeRef> = index
            .all_facets()
            .map(|(t, name)| CompositeRef {
                name: name.to_string(),
                index: index.index.clone(),
                key_type: key_type(t),
            })
            .collect();
        out.attributes.extend(refs.iter().cloned());
        out.by_index
            .insert(index.index.clone(), IndexFacets { all: refs });
        out.labels.insert(
            index.index.clone(),
            IndexLabels {
                pk: labels(Some(&index.pk)),
                sk: labels(index.sk.as_ref()),
            },
        );
        if index.index_type != IndexType::Composite {
            out.by_field
                .entry(index.pk.field.clone())
                .or_default()
                .insert(index.index.clone(), definition(index, &index.pk));
            if let Some(sk) = index.sk.as_ref().filter(|s| !s.field.is_empty()) {
                out.by_field
                    .entry(sk.field.clone())
                    .or_default()
                    .insert(index.index.clone(), definition(index, sk));
            }
        }
    }
    for (name, uses) in &facets.by_attr {
        out.by_attr.insert(
            name.clone(),
            uses.iter()
                .map(|u| CompositeRef {
                    name: u.name.clone(),
                    index: u.index.clone(),
                    key_type: key_type(u.key_type),
                })
                .collect(),
        );
    }
    out.projections = facets
        .projections
        .iter()
        .map(|(name, ap)| ProjectionRef {
            name: name.clone(),
            access_pattern: ap.clone(),
        })
        .collect();
    out
}
