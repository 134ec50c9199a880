//! KeyConditionExpression for queries: ElectroDB's fixed `#pk`/`#sk1` and
//! `:pk`/`:sk1`/`:sk2` placeholders (`_queryKeyExpressionAttributeBuilder` with the
//! `_make*QueryParams` family), independent of the filter's placeholder state.

use crate::hash::{NameMap, ValueMap};
use crate::value::{Name, Value};

/// What a query asks of the sort key.
#[derive(Clone, Debug, PartialEq)]
pub enum SortKeyCondition {
    /// `#sk1 = :sk1` (a fully specified sort key).
    Eq(Value),
    /// `begins_with(#sk1, :sk1)`.
    BeginsWith(Value),
    /// `#sk1 > :sk1`.
    Gt(Value),
    /// `#sk1 >= :sk1`.
    Gte(Value),
    /// `#sk1 < :sk1`.
    Lt(Value),
    /// `#sk1 <= :sk1`.
    Lte(Value),
    /// `#sk1 BETWEEN :sk1 AND :sk2`.
    Between(Value, Value),
}

/// A query's key condition.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyCondition<'a> {
    /// The index's partition key field.
    pub pk_field: &'a str,
    /// The partition key value.
    pub pk: Value,
    /// The index's sort key field; `None` when the index has no sort key.
    pub sk_field: Option<&'a str>,
    /// The sort key condition, if any.
    pub sk: Option<SortKeyCondition>,
}

/// The rendered key condition and its own names and values (ElectroDB merges them
/// after the filter's: filter names first, then these).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct KeyConditionParams {
    /// `KeyConditionExpression`.
    pub expression: String,
    /// `#pk` (and `#sk1`) → field.
    pub names: NameMap,
    /// `:pk` (and `:sk1`, `:sk2`) → value.
    pub values: ValueMap,
}

impl KeyCondition<'_> {
    /// Renders the key condition.
    ///
    /// `Eq` and `BeginsWith` drop the sort key (as ElectroDB's inclusive queries do)
    /// when the index has no sort key or the value is neither a number nor a
    /// non-empty string.
    ///
    /// ```
    /// use electro_expr::{KeyCondition, SortKeyCondition, Value};
    /// let k = KeyCondition {
    ///     pk_field: "gsi1pk",
    ///     pk: "$zoo#habitat_africa".into(),
    ///     sk_field: Some("gsi1sk"),
    ///     sk: Some(SortKeyCondition::BeginsWith("$animals_1#enclosure_".into())),
    /// }
    /// .render();
    /// assert_eq!(k.expression, "#pk = :pk and begins_with(#sk1, :sk1)");
    /// assert_eq!(k.names["#sk1"], "gsi1sk");
    ///
    /// let b = KeyCondition {
    ///     pk_field: "pk",
    ///     pk: "p".into(),
    ///     sk_field: Some("sk"),
    ///     sk: Some(SortKeyCondition::Between("a".into(), "b".into())),
    /// }
    /// .render();
    /// assert_eq!(b.expression, "#pk = :pk and #sk1 BETWEEN :sk1 AND :sk2");
    /// assert_eq!(b.names.len(), 2);
    /// assert_eq!(b.values.len(), 3);
    /// ```
    pub fn render(self) -> KeyConditionParams {
        let mut p = KeyConditionParams::default();
        p.names.insert(Name::const_new("#pk"), self.pk_field.into());
        p.values.insert(Name::const_new(":pk"), self.pk);
        p.expression.push_str("#pk = :pk");
        let sk_field = self.sk_field.unwrap_or("sk1");
        let (op, v1, v2) = match self.sk {
            None => return p,
            Some(SortKeyCondition::Eq(v)) | Some(SortKeyCondition::BeginsWith(v))
                if self.sk_field.is_none() || !usable_inclusive(&v) =>
            {
                return p;
            }
            Some(SortKeyCondition::Eq(v)) => ("=", v, None),
            Some(SortKeyCondition::BeginsWith(v)) => ("begins_with", v, None),
            Some(SortKeyCondition::Gt(v)) => (">", v, None),
            Some(SortKeyCondition::Gte(v)) => (">=", v, None),
            Some(SortKeyCondition::Lt(v)) => ("<", v, None),
            Some(SortKeyCondition::Lte(v)) => ("<=", v, None),
            Some(SortKeyCondition::Between(a, b)) => ("BETWEEN", a, Some(b)),
        };
        p.names.insert(Name::const_new("#sk1"), sk_field.into());
        p.values.insert(Name::const_new(":sk1"), v1);
        match (op, v2) {
            ("begins_with", _) => p.expression.push_str(" and begins_with(#sk1, :sk1)"),
            (_, Some(v2)) => {
                p.values.insert(Name::const_new(":sk2"), v2);
                p.expression.push_str(" and #sk1 BETWEEN :sk1 AND :sk2");
            }
            (op, None) => {
                p.expression.push_str(" and #sk1 ");
                p.expression.push_str(op);
                p.expression.push_str(" :sk1");
            }
        }
        p
    }
}

/// `typeof v === "number" || (typeof v === "string" && v.length > 0)`.
fn usable_inclusive(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => !s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(sk_field: Option<&str>, sk: Option<SortKeyCondition>) -> KeyConditionParams {
        KeyCondition {
            pk_field: "pk",
            pk: "$p".into(),
            sk_field,
            sk,
        }
        .render()
    }

    #[test]
    fn corpus_forms() {
        use SortKeyCondition::*;
        let cases = [
            (Eq("x".into()), "#pk = :pk and #sk1 = :sk1"),
            (
                BeginsWith("x".into()),
                "#pk = :pk and begins_with(#sk1, :sk1)",
            ),
            (Gt("x".into()), "#pk = :pk and #sk1 > :sk1"),
            (Gte(5.into()), "#pk = :pk and #sk1 >= :sk1"),
            (Lt("x".into()), "#pk = :pk and #sk1 < :sk1"),
            (Lte("x".into()), "#pk = :pk and #sk1 <= :sk1"),
        ];
        for (sk, want) in cases {
            let p = render(Some("sk"), Some(sk));
            assert_eq!(p.expression, want);
            assert_eq!(p.names.keys().collect::<Vec<_>>(), ["#pk", "#sk1"]);
            assert_eq!(p.values.keys().collect::<Vec<_>>(), [":pk", ":sk1"]);
        }
    }

    #[test]
    fn inclusive_drops_empty_or_missing_sort_keys() {
        let p = render(Some("sk"), Some(SortKeyCondition::BeginsWith("".into())));
        assert_eq!(p.expression, "#pk = :pk");
        assert_eq!(p.names.len(), 1);
        assert_eq!(p.values.len(), 1);
        let p = render(None, Some(SortKeyCondition::Eq("x".into())));
        assert_eq!(p.expression, "#pk = :pk");
        let p = render(Some("sk"), None);
        assert_eq!(p.expression, "#pk = :pk");
        assert_eq!(p.values[":pk"], Value::from("$p"));
    }
}
