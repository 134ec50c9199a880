//! ProjectionExpression for the `attributes` option: a port of ElectroDB's
//! `_applyProjectionExpressions`, which lists *every* expression attribute name
//! (including the filter's and the key condition's) and adds the table keys, the
//! requested fields, and the entity identifiers.

use crate::hash::NameMap;
use crate::names::{SeenNames, format_expression_name};

/// What a projection needs besides the params' existing names.
#[derive(Clone, Debug, Default)]
pub struct Projection<'a> {
    /// The table index's partition key field.
    pub table_pk_field: &'a str,
    /// The table index's sort key field, if it has one.
    pub table_sk_field: Option<&'a str>,
    /// The requested attributes' field names, in the order asked.
    pub fields: &'a [&'a str],
    /// The entity and version identifier fields, when the response will be parsed
    /// (not raw, server bound, ownership enforced).
    pub identifiers: Option<(&'a str, &'a str)>,
    /// `(attribute name, field name)` of the table index's and the queried index's
    /// composite attributes, when a page must be able to build its own cursor.
    pub pager_attributes: &'a [(&'a str, &'a str)],
}

/// Applies a projection to the params' `ExpressionAttributeNames` (updated in
/// place) and returns the ProjectionExpression, merged after `existing` when the
/// params already had one. Returns `None`, changing nothing, when no fields were
/// requested.
///
/// ```
/// use electro_expr::{apply_projection, Projection};
/// let mut names = electro_expr::NameMap::default();
/// names.insert("#pk".into(), "gsi1pk".into());
/// names.insert("#sk1".into(), "gsi1sk".into());
/// let p = Projection {
///     table_pk_field: "pk",
///     table_sk_field: Some("sk"),
///     fields: &["storeId", "rent"],
///     ..Default::default()
/// };
/// assert_eq!(
///     apply_projection(&mut names, &p, None).as_deref(),
///     Some("#pk, #sk1, #pk_2, #sk, #storeId, #rent")
/// );
/// assert_eq!(names["#pk_2"], "pk");
/// ```
pub fn apply_projection(
    names: &mut NameMap,
    projection: &Projection<'_>,
    existing: Option<&str>,
) -> Option<String> {
    if projection.fields.is_empty() {
        return None;
    }
    let mut has_pk = false;
    let mut has_sk = projection.table_sk_field.is_none();
    let mut fields = SeenNames::with_capacity(names.len() + projection.fields.len() + 4);
    for (key, name) in names.iter() {
        let key = key.strip_prefix('#').unwrap_or(key);
        fields.insert(key.into(), name.clone());
        has_pk |= name == projection.table_pk_field;
        has_sk |= Some(name.as_str()) == projection.table_sk_field;
    }
    if !has_pk {
        add_formatted(
            &mut fields,
            projection.table_pk_field,
            projection.table_pk_field,
        );
    }
    if !has_sk {
        if let Some(sk) = projection.table_sk_field {
            add_formatted(&mut fields, sk, sk);
        }
    }
    for field in projection.fields {
        if !field.is_empty() {
            add_formatted(&mut fields, field, field);
        }
    }
    if let Some((entity, version)) = projection.identifiers {
        fields.insert(entity.into(), entity.into());
        fields.insert(version.into(), version.into());
        for (name, field) in projection.pager_attributes {
            add_formatted(&mut fields, name, field);
        }
    }
    for (key, field) in fields {
        let mut k = crate::Name::with_capacity(key.len() + 1);
        k.push('#');
        k.push_str(&key);
        names.insert(k, field);
    }
    // `[existing, ...keys].join(", ")`: an empty existing text still adds a comma.
    let mut out = String::new();
    let mut first = true;
    if let Some(e) = existing {
        out.push_str(e);
        first = false;
    }
    for key in names.keys() {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(key);
    }
    Some(out)
}

fn add_formatted(fields: &mut SeenNames, name: &str, field: &str) {
    let formatted = format_expression_name(name, fields);
    fields.insert(formatted.into(), field.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> NameMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn get_projection() {
        // get/attributes-projection
        let mut n = names(&[]);
        let p = Projection {
            table_pk_field: "pk",
            table_sk_field: Some("sk"),
            fields: &["birthday", "diet", "veterinarian"],
            ..Default::default()
        };
        assert_eq!(
            apply_projection(&mut n, &p, None).unwrap(),
            "#pk, #sk, #birthday, #diet, #veterinarian"
        );
    }

    #[test]
    fn filter_names_come_first_and_identifiers_are_added() {
        // options/attributes-with-where: "#keeper, #pk, #sk1, #diet"
        let mut n = names(&[("#keeper", "keeper"), ("#pk", "pk"), ("#sk1", "sk")]);
        let p = Projection {
            table_pk_field: "pk",
            table_sk_field: Some("sk"),
            fields: &["diet"],
            ..Default::default()
        };
        assert_eq!(
            apply_projection(&mut n, &p, None).unwrap(),
            "#keeper, #pk, #sk1, #diet"
        );

        // scan/with-options: "#__edb_e__, #__edb_v__, #pk, #sk, #name"
        let mut n = names(&[
            ("#__edb_e__", "__edb_e__"),
            ("#__edb_v__", "__edb_v__"),
            ("#pk", "pk"),
            ("#sk", "sk"),
        ]);
        let p = Projection {
            table_pk_field: "pk",
            table_sk_field: Some("sk"),
            fields: &["name"],
            identifiers: Some(("__edb_e__", "__edb_v__")),
            ..Default::default()
        };
        assert_eq!(
            apply_projection(&mut n, &p, None).unwrap(),
            "#__edb_e__, #__edb_v__, #pk, #sk, #name"
        );
    }

    #[test]
    fn merges_an_existing_projection_and_skips_when_empty() {
        let mut n = names(&[]);
        let p = Projection {
            table_pk_field: "pk",
            fields: &["a"],
            ..Default::default()
        };
        assert_eq!(
            apply_projection(&mut n, &p, Some("#x")).unwrap(),
            "#x, #pk, #a"
        );
        let mut m = names(&[]);
        assert_eq!(apply_projection(&mut m, &p, Some("")).unwrap(), ", #pk, #a");
        let none = Projection::default();
        assert_eq!(apply_projection(&mut n, &none, None), None);
    }
}
