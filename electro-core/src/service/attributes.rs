//! The attributes of a whole collection: what a collection's `where` callback can
//! name (ElectroDB's `collectionSchema.attributes`, the members' attributes with the
//! first definition of a name kept).

use crate::schema::AttributeSchema;

/// The first schema with every attribute the others add.
pub(crate) fn merge_schemas(schemas: &[&AttributeSchema]) -> AttributeSchema {
    let Some((first, rest)) = schemas.split_first() else {
        return AttributeSchema::default();
    };
    let mut merged = (*first).clone();
    for other in rest {
        for (position, (name, attribute)) in other.attributes.iter().enumerate() {
            if merged.attributes.contains_key(name) {
                continue;
            }
            let (at, _) = merged
                .attributes
                .insert_full(name.clone(), attribute.clone());
            for (path, route) in &other.paths {
                if route.first() == Some(&position) && !merged.paths.contains_key(path) {
                    let mut route = route.clone();
                    route[0] = at;
                    merged.paths.insert(path.clone(), route);
                }
            }
            if let Some(field) = other.translation_for_table.get(name) {
                merged
                    .translation_for_table
                    .entry(name.clone())
                    .or_insert_with(|| field.clone());
                merged
                    .translation_for_retrieval
                    .entry(field.clone())
                    .or_insert_with(|| name.clone());
            }
        }
    }
    merged.summarize();
    merged
}
