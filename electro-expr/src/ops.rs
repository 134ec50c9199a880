//! The operation tables: ElectroDB's `FilterOperations` and `UpdateOperations`, as
//! enums whose templates are pure functions writing onto a buffer.
//!
//! Templates only arrange already-registered placeholders; registering them is the
//! renderer's job. That split is what lets the renderer guarantee it never writes a
//! placeholder it did not register.

use crate::error::ExprError;

/// The attribute type an update template checks (ElectroDB's `attr.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttrKind {
    /// `"string"`.
    String,
    /// `"number"`.
    Number,
    /// `"boolean"`.
    Boolean,
    /// `"enum"` (a string list in the model).
    Enum,
    /// `"map"`.
    Map,
    /// `"list"`.
    List,
    /// `"set"`.
    Set,
    /// `"any"` (also custom attributes, and paths nested under `any`).
    Any,
}

/// The clause of an UpdateExpression an operation lands in, in the order ElectroDB
/// writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateClause {
    /// `SET a = b, ...`
    Set,
    /// `REMOVE a, ...`
    Remove,
    /// `ADD a :v, ...`
    Add,
    /// `SUBTRACT` (ElectroDB keeps the slot; its subtract template writes SET).
    Subtract,
    /// `DELETE a :v, ...`
    Delete,
}

impl UpdateClause {
    /// All clauses in output order.
    pub const ALL: [UpdateClause; 5] = [
        UpdateClause::Set,
        UpdateClause::Remove,
        UpdateClause::Add,
        UpdateClause::Subtract,
        UpdateClause::Delete,
    ];

    /// The keyword written before the clause's expressions.
    pub fn keyword(self) -> &'static str {
        match self {
            UpdateClause::Set => "SET",
            UpdateClause::Remove => "REMOVE",
            UpdateClause::Add => "ADD",
            UpdateClause::Subtract => "SUBTRACT",
            UpdateClause::Delete => "DELETE",
        }
    }

    /// Appends this clause to an UpdateExpression being written: ` KEYWORD a, b`
    /// (no leading space at the start of `out`), each entry written by `write`;
    /// nothing for a clause with no entries. Writing every clause in
    /// [`UpdateClause::ALL`]'s order gives the whole expression.
    ///
    /// ```
    /// use electro_expr::UpdateClause;
    /// let mut out = String::new();
    /// UpdateClause::Set.write_entries(&mut out, ["#a = :a_u0", "#b = :b_u0"], |e, o| o.push_str(e));
    /// UpdateClause::Remove.write_entries(&mut out, [], |e: &str, o| o.push_str(e));
    /// UpdateClause::Add.write_entries(&mut out, ["#c :c_u0"], |e, o| o.push_str(e));
    /// assert_eq!(out, "SET #a = :a_u0, #b = :b_u0 ADD #c :c_u0");
    /// ```
    pub fn write_entries<E>(
        self,
        out: &mut String,
        entries: impl IntoIterator<Item = E>,
        mut write: impl FnMut(E, &mut String),
    ) {
        let mut entries = entries.into_iter();
        let Some(first) = entries.next() else {
            return;
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(self.keyword());
        out.push(' ');
        write(first, out);
        for entry in entries {
            out.push_str(", ");
            write(entry, out);
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// An operation of a `where`/condition callback (ElectroDB's `FilterOperations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// `escape(v)`: a value placeholder named after the value itself.
    Escape,
    /// `size(a)` → `size(#a)`.
    Size,
    /// `type(a, t)` → `attribute_type(#a, :t)`.
    Type,
    /// `ne` → `#a <> :v`.
    Ne,
    /// `eq` → `#a = :v`.
    Eq,
    /// `gt` → `#a > :v`.
    Gt,
    /// `lt` → `#a < :v`.
    Lt,
    /// `gte` → `#a >= :v`.
    Gte,
    /// `lte` → `#a <= :v`.
    Lte,
    /// `between` → `(#a between :v0 and :v1)`.
    Between,
    /// `begins` → `begins_with(#a, :v)`.
    Begins,
    /// `exists` → `attribute_exists(#a)`.
    Exists,
    /// `notExists` → `attribute_not_exists(#a)`.
    NotExists,
    /// `contains` → `contains(#a, :v)`.
    Contains,
    /// `notContains` → `not contains(#a, :v)`.
    NotContains,
    /// `value(a, v)` → `:v` (nestable).
    Value,
    /// `name(a)` → `#a` (nestable).
    Name,
    /// `eqOrNotExists` → `(#a = :v OR attribute_not_exists(#a))`.
    EqOrNotExists,
    /// `field("raw")` → `#raw` for a field outside the model (nestable).
    Field,
}

impl FilterOp {
    /// Every filter operation, in ElectroDB's declaration order.
    pub const ALL: [FilterOp; 19] = [
        FilterOp::Escape,
        FilterOp::Size,
        FilterOp::Type,
        FilterOp::Ne,
        FilterOp::Eq,
        FilterOp::Gt,
        FilterOp::Lt,
        FilterOp::Gte,
        FilterOp::Lte,
        FilterOp::Between,
        FilterOp::Begins,
        FilterOp::Exists,
        FilterOp::NotExists,
        FilterOp::Contains,
        FilterOp::NotContains,
        FilterOp::Value,
        FilterOp::Name,
        FilterOp::EqOrNotExists,
        FilterOp::Field,
    ];

    /// The operation for ElectroDB's name (`"eqOrNotExists"`, ...).
    ///
    /// ```
    /// use electro_expr::FilterOp;
    /// assert_eq!(FilterOp::from_name("notContains"), Some(FilterOp::NotContains));
    /// assert_eq!(FilterOp::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// ElectroDB's name for the operation.
    pub fn name(self) -> &'static str {
        match self {
            FilterOp::Escape => "escape",
            FilterOp::Size => "size",
            FilterOp::Type => "type",
            FilterOp::Ne => "ne",
            FilterOp::Eq => "eq",
            FilterOp::Gt => "gt",
            FilterOp::Lt => "lt",
            FilterOp::Gte => "gte",
            FilterOp::Lte => "lte",
            FilterOp::Between => "between",
            FilterOp::Begins => "begins",
            FilterOp::Exists => "exists",
            FilterOp::NotExists => "notExists",
            FilterOp::Contains => "contains",
            FilterOp::NotContains => "notContains",
            FilterOp::Value => "value",
            FilterOp::Name => "name",
            FilterOp::EqOrNotExists => "eqOrNotExists",
            FilterOp::Field => "field",
        }
    }

    /// How many value placeholders the template writes.
    pub fn value_count(self) -> usize {
        match self {
            FilterOp::Size
            | FilterOp::Exists
            | FilterOp::NotExists
            | FilterOp::Name
            | FilterOp::Field => 0,
            FilterOp::Between => 2,
            _ => 1,
        }
    }

    /// ElectroDB's `template.length > 3`: whether the operation takes a value
    /// argument (which decides whether update builders commit it unconditionally).
    pub fn takes_value(self) -> bool {
        !matches!(
            self,
            FilterOp::Escape
                | FilterOp::Size
                | FilterOp::Exists
                | FilterOp::NotExists
                | FilterOp::Name
                | FilterOp::Field
        )
    }

    /// Whether the result may be passed as another operation's operand.
    pub fn can_nest(self) -> bool {
        matches!(self, FilterOp::Value | FilterOp::Name | FilterOp::Field)
    }

    /// Whether the operation takes a raw value instead of an attribute (`escape`).
    pub fn raw_value(self) -> bool {
        self == FilterOp::Escape
    }

    /// Whether the operation takes a raw field name instead of an attribute (`field`).
    pub fn raw_field(self) -> bool {
        self == FilterOp::Field
    }

    /// The template split around its operands, for writing it in one pass as the
    /// path and values are rendered: the text before the path, then the text after
    /// the path and after each value in turn. `None` for the templates that do not
    /// write the path once and first (`escape`, `value`, `eqOrNotExists`) and for
    /// nestable ones, which [`FilterOp::write_template`] writes.
    ///
    /// ```
    /// use electro_expr::FilterOp;
    /// assert_eq!(FilterOp::Between.pieces(), Some(("(", &[" between ", " and ", ")"][..])));
    /// assert_eq!(FilterOp::Value.pieces(), None);
    /// ```
    pub fn pieces(self) -> Option<(&'static str, &'static [&'static str])> {
        Some(match self {
            FilterOp::Size => ("size(", &[")"]),
            FilterOp::Type => ("attribute_type(", &[", ", ")"]),
            FilterOp::Ne => ("", &[" <> ", ""]),
            FilterOp::Eq => ("", &[" = ", ""]),
            FilterOp::Gt => ("", &[" > ", ""]),
            FilterOp::Lt => ("", &[" < ", ""]),
            FilterOp::Gte => ("", &[" >= ", ""]),
            FilterOp::Lte => ("", &[" <= ", ""]),
            FilterOp::Between => ("(", &[" between ", " and ", ")"]),
            FilterOp::Begins => ("begins_with(", &[", ", ")"]),
            FilterOp::Exists => ("attribute_exists(", &[")"]),
            FilterOp::NotExists => ("attribute_not_exists(", &[")"]),
            FilterOp::Contains => ("contains(", &[", ", ")"]),
            FilterOp::NotContains => ("not contains(", &[", ", ")"]),
            FilterOp::Escape
            | FilterOp::Value
            | FilterOp::Name
            | FilterOp::Field
            | FilterOp::EqOrNotExists => return None,
        })
    }

    /// Writes the template with the attribute path `name` and value placeholders
    /// `values` (exactly [`FilterOp::value_count`] of them). For `escape` the single
    /// value is the whole output; for `field`, `name` is.
    ///
    /// ```
    /// use electro_expr::FilterOp;
    /// let mut out = String::new();
    /// FilterOp::Between.write_template(&mut out, "#age", &[":age0", ":age1"]).unwrap();
    /// assert_eq!(out, "(#age between :age0 and :age1)");
    /// ```
    pub fn write_template(
        self,
        out: &mut String,
        name: &str,
        values: &[&str],
    ) -> Result<(), ExprError> {
        if values.len() != self.value_count() {
            return Err(ExprError::Arity {
                op: self.name(),
                expected: match self.value_count() {
                    0 => "0",
                    1 => "1",
                    _ => "2",
                },
                given: values.len(),
            });
        }
        let v = |i: usize| values[i];
        match self {
            FilterOp::Escape | FilterOp::Value => out.push_str(v(0)),
            FilterOp::Size => push_all(out, &["size(", name, ")"]),
            FilterOp::Type => push_all(out, &["attribute_type(", name, ", ", v(0), ")"]),
            FilterOp::Ne => push_all(out, &[name, " <> ", v(0)]),
            FilterOp::Eq => push_all(out, &[name, " = ", v(0)]),
            FilterOp::Gt => push_all(out, &[name, " > ", v(0)]),
            FilterOp::Lt => push_all(out, &[name, " < ", v(0)]),
            FilterOp::Gte => push_all(out, &[name, " >= ", v(0)]),
            FilterOp::Lte => push_all(out, &[name, " <= ", v(0)]),
            FilterOp::Between => push_all(out, &["(", name, " between ", v(0), " and ", v(1), ")"]),
            FilterOp::Begins => push_all(out, &["begins_with(", name, ", ", v(0), ")"]),
            FilterOp::Exists => push_all(out, &["attribute_exists(", name, ")"]),
            FilterOp::NotExists => push_all(out, &["attribute_not_exists(", name, ")"]),
            FilterOp::Contains => push_all(out, &["contains(", name, ", ", v(0), ")"]),
            FilterOp::NotContains => push_all(out, &["not contains(", name, ", ", v(0), ")"]),
            FilterOp::Name | FilterOp::Field => out.push_str(name),
            FilterOp::EqOrNotExists => push_all(
                out,
                &[
                    "(",
                    name,
                    " = ",
                    v(0),
                    " OR attribute_not_exists(",
                    name,
                    "))",
                ],
            ),
        }
        Ok(())
    }
}

/// An operation of an update `data` callback or chain (ElectroDB's
/// `UpdateOperations`; `del` is an alias of `delete`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateOp {
    /// `#a = if_not_exists(#a, :v)` (SET).
    IfNotExists,
    /// `name(a)` → `#a` (nestable).
    Name,
    /// `value(a, v)` → `:v` (nestable).
    Value,
    /// `#a = list_append(if_not_exists(#a, :a_default_value), :v)` (SET).
    Append,
    /// `ADD #a :v`, or SET forms for numbers with a default or a nested operand.
    Add,
    /// `#a = (if_not_exists(#a, :d) - :v)` (SET).
    Subtract,
    /// `#a = :v` (SET).
    Set,
    /// `REMOVE #a`.
    Remove,
    /// `DELETE #a :v`.
    Delete,
}

impl UpdateOp {
    /// Every update operation, in ElectroDB's declaration order (`del` folded in).
    pub const ALL: [UpdateOp; 9] = [
        UpdateOp::IfNotExists,
        UpdateOp::Name,
        UpdateOp::Value,
        UpdateOp::Append,
        UpdateOp::Add,
        UpdateOp::Subtract,
        UpdateOp::Set,
        UpdateOp::Remove,
        UpdateOp::Delete,
    ];

    /// What a template's default value is registered under, after the target's
    /// name (ElectroDB's `createValue("default_value", v)`: `:name_default_value_u0`).
    pub const DEFAULT_VALUE_SUFFIX: &'static str = "_default_value";

    /// The operation for ElectroDB's name; `"del"` and `"delete"` are both delete.
    ///
    /// ```
    /// use electro_expr::UpdateOp;
    /// assert_eq!(UpdateOp::from_name("del"), Some(UpdateOp::Delete));
    /// assert_eq!(UpdateOp::from_name("ifNotExists"), Some(UpdateOp::IfNotExists));
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        if name == "del" {
            return Some(UpdateOp::Delete);
        }
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// ElectroDB's name for the operation (and what `impacted` records).
    pub fn name(self) -> &'static str {
        match self {
            UpdateOp::IfNotExists => "ifNotExists",
            UpdateOp::Name => "name",
            UpdateOp::Value => "value",
            UpdateOp::Append => "append",
            UpdateOp::Add => "add",
            UpdateOp::Subtract => "subtract",
            UpdateOp::Set => "set",
            UpdateOp::Remove => "remove",
            UpdateOp::Delete => "delete",
        }
    }

    /// ElectroDB's `template.length > 3`.
    pub fn takes_value(self) -> bool {
        !matches!(self, UpdateOp::Name | UpdateOp::Remove)
    }

    /// Whether the result may be passed as another operation's operand.
    pub fn can_nest(self) -> bool {
        matches!(self, UpdateOp::Name | UpdateOp::Value)
    }

    /// The least and most operands the template uses (`add`/`subtract` take an
    /// optional default as the second).
    pub fn operand_range(self) -> (usize, usize) {
        match self {
            UpdateOp::Name | UpdateOp::Remove => (0, 0),
            UpdateOp::Add | UpdateOp::Subtract => (1, 2),
            _ => (1, 1),
        }
    }

    /// Whether the template accepts an attribute of type `kind`; the error carries
    /// ElectroDB's message. Checked before anything is registered.
    ///
    /// ```
    /// use electro_expr::{AttrKind, UpdateOp};
    /// assert!(UpdateOp::Append.accepts(AttrKind::List).is_ok());
    /// assert!(UpdateOp::Append.accepts(AttrKind::Map).is_err());
    /// ```
    pub fn accepts(self, kind: AttrKind) -> Result<(), ExprError> {
        use AttrKind::*;
        let (ok, message) = match self {
            UpdateOp::Append => (
                matches!(kind, Any | List),
                "Invalid Update Attribute Operation: \"APPEND\" Operation can only be performed on attributes with type \"list\" or \"any\".",
            ),
            UpdateOp::Add => (
                matches!(kind, Any | Set | Number),
                "Invalid Update Attribute Operation: \"ADD\" Operation can only be performed on attributes with type \"number\", \"set\", or \"any\".",
            ),
            UpdateOp::Subtract => (
                matches!(kind, Any | Number),
                "Invalid Update Attribute Operation: \"SUBTRACT\" Operation can only be performed on attributes with type \"number\" or \"any\".",
            ),
            UpdateOp::Delete => (
                matches!(kind, Any | Set),
                "Invalid Update Attribute Operation: \"DELETE\" Operation can only be performed on attributes with type \"set\" or \"any\".",
            ),
            // SET, REMOVE and the rest accept every AttrKind.
            _ => (true, ""),
        };
        if ok {
            Ok(())
        } else {
            Err(ExprError::Template(message.to_owned()))
        }
    }

    /// Writes the template for an attribute of type `kind` at `path` with operand
    /// texts `values`, returning the clause it belongs to (`None` for the nestable
    /// `name`/`value`, which produce operands, not actions). `nested_value` is
    /// ElectroDB's `options.nestedValue`; `create_default` registers a default value
    /// (`options.createValue("default_value", v)`) and writes its placeholder.
    ///
    /// ```
    /// use electro_expr::{AttrKind, UpdateClause, UpdateOp, Value};
    /// let mut out = String::new();
    /// let clause = UpdateOp::Subtract
    ///     .write_template(&mut out, AttrKind::Number, "#fee", &[":fee_u0"], false, &mut |v, o| {
    ///         assert_eq!(v, Value::from(0));
    ///         o.push_str(":fee_default_value_u0")
    ///     })
    ///     .unwrap();
    /// assert_eq!(clause, Some(UpdateClause::Set));
    /// assert_eq!(out, "#fee = (if_not_exists(#fee, :fee_default_value_u0) - :fee_u0)");
    /// ```
    pub fn write_template(
        self,
        out: &mut String,
        kind: AttrKind,
        path: &str,
        values: &[&str],
        nested_value: bool,
        create_default: &mut dyn FnMut(crate::Value, &mut String),
    ) -> Result<Option<UpdateClause>, ExprError> {
        let (min, max) = self.operand_range();
        if values.len() < min || values.len() > max {
            return Err(ExprError::Arity {
                op: self.name(),
                expected: match (min, max) {
                    (0, 0) => "0",
                    (1, 1) => "1",
                    _ => "1 or 2",
                },
                given: values.len(),
            });
        }
        self.accepts(kind)?;
        let clause = match self {
            UpdateOp::Name => {
                out.push_str(path);
                return Ok(None);
            }
            UpdateOp::Value => {
                out.push_str(values[0]);
                return Ok(None);
            }
            UpdateOp::IfNotExists => {
                push_all(
                    out,
                    &[path, " = if_not_exists(", path, ", ", values[0], ")"],
                );
                UpdateClause::Set
            }
            UpdateOp::Append => match kind {
                AttrKind::Any | AttrKind::List => {
                    push_all(out, &[path, " = list_append(if_not_exists(", path, ", "]);
                    create_default(crate::Value::List(Vec::new()), out);
                    push_all(out, &["), ", values[0], ")"]);
                    UpdateClause::Set
                }
                _ => unreachable!("refused by `accepts`"),
            },
            UpdateOp::Add => match kind {
                // `typeof value === "number"` in ElectroDB sees the placeholder
                // string, so `any` always adds.
                AttrKind::Any | AttrKind::Set => {
                    push_all(out, &[path, " ", values[0]]);
                    UpdateClause::Add
                }
                AttrKind::Number => {
                    if nested_value {
                        push_all(out, &[path, " = ", path, " + ", values[0]]);
                        UpdateClause::Set
                    } else if let Some(default) = values.get(1) {
                        push_all(
                            out,
                            &[
                                path,
                                " = (if_not_exists(",
                                path,
                                ", ",
                                default,
                                ") + ",
                                values[0],
                                ")",
                            ],
                        );
                        UpdateClause::Set
                    } else {
                        push_all(out, &[path, " ", values[0]]);
                        UpdateClause::Add
                    }
                }
                _ => unreachable!("refused by `accepts`"),
            },
            UpdateOp::Subtract => match kind {
                AttrKind::Any | AttrKind::Number => {
                    push_all(out, &[path, " = (if_not_exists(", path, ", "]);
                    match values.get(1) {
                        Some(d) if d.starts_with(':') => out.push_str(d),
                        // ElectroDB registers a non-placeholder default text as a value.
                        Some(d) => create_default(crate::Value::String((*d).into()), out),
                        None => create_default(crate::Value::from(0), out),
                    }
                    push_all(out, &[") - ", values[0], ")"]);
                    UpdateClause::Set
                }
                _ => unreachable!("refused by `accepts`"),
            },
            // Every AttrKind is accepted by SET and REMOVE.
            UpdateOp::Set => {
                push_all(out, &[path, " = ", values[0]]);
                UpdateClause::Set
            }
            UpdateOp::Remove => {
                out.push_str(path);
                UpdateClause::Remove
            }
            UpdateOp::Delete => match kind {
                AttrKind::Any | AttrKind::Set => {
                    push_all(out, &[path, " ", values[0]]);
                    UpdateClause::Delete
                }
                _ => unreachable!("refused by `accepts`"),
            },
        };
        Ok(Some(clause))
    }
}

#[inline]
pub(crate) fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_write_what_the_template_writes() {
        for op in FilterOp::ALL {
            let Some((before, after)) = op.pieces() else {
                continue;
            };
            assert_eq!(after.len(), op.value_count() + 1, "{op:?}");
            let values = [":v0", ":v1"];
            let values = &values[..op.value_count()];
            let mut expected = String::new();
            op.write_template(&mut expected, "#a", values).unwrap();
            let mut joined = format!("{before}#a{}", after[0]);
            for (v, text) in values.iter().zip(&after[1..]) {
                joined.push_str(v);
                joined.push_str(text);
            }
            assert_eq!(joined, expected, "{op:?}");
        }
    }

    fn update(
        op: UpdateOp,
        kind: AttrKind,
        values: &[&str],
        nested: bool,
    ) -> Result<(Option<UpdateClause>, String), ExprError> {
        let mut out = String::new();
        let c = op.write_template(&mut out, kind, "#p", values, nested, &mut |_, o| {
            o.push_str(":p_default_value_u0")
        })?;
        Ok((c, out))
    }

    #[test]
    fn names_round_trip() {
        for op in FilterOp::ALL {
            assert_eq!(FilterOp::from_name(op.name()), Some(op));
        }
        for op in UpdateOp::ALL {
            assert_eq!(UpdateOp::from_name(op.name()), Some(op));
        }
    }

    #[test]
    fn filter_templates() {
        let cases: [(FilterOp, &[&str], &str); 8] = [
            (FilterOp::Ne, &[":a0"], "#a <> :a0"),
            (FilterOp::Type, &[":a0"], "attribute_type(#a, :a0)"),
            (FilterOp::Begins, &[":a0"], "begins_with(#a, :a0)"),
            (FilterOp::NotContains, &[":a0"], "not contains(#a, :a0)"),
            (
                FilterOp::EqOrNotExists,
                &[":a0"],
                "(#a = :a0 OR attribute_not_exists(#a))",
            ),
            (FilterOp::Size, &[], "size(#a)"),
            (FilterOp::NotExists, &[], "attribute_not_exists(#a)"),
            (FilterOp::Value, &[":a0"], ":a0"),
        ];
        for (op, values, want) in cases {
            let mut out = String::new();
            op.write_template(&mut out, "#a", values).unwrap();
            assert_eq!(out, want);
        }
        assert!(
            FilterOp::Eq
                .write_template(&mut String::new(), "#a", &[])
                .is_err()
        );
    }

    #[test]
    fn update_templates() {
        assert_eq!(
            update(UpdateOp::Add, AttrKind::Number, &[":p_u0", ":p_u1"], false).unwrap(),
            (
                Some(UpdateClause::Set),
                "#p = (if_not_exists(#p, :p_u1) + :p_u0)".into()
            )
        );
        assert_eq!(
            update(UpdateOp::Add, AttrKind::Number, &["#q"], true).unwrap(),
            (Some(UpdateClause::Set), "#p = #p + #q".into())
        );
        assert_eq!(
            update(UpdateOp::Add, AttrKind::Any, &[":p_u0"], false).unwrap(),
            (Some(UpdateClause::Add), "#p :p_u0".into())
        );
        assert_eq!(
            update(UpdateOp::Append, AttrKind::List, &[":p_u0"], false)
                .unwrap()
                .1,
            "#p = list_append(if_not_exists(#p, :p_default_value_u0), :p_u0)"
        );
        assert_eq!(
            update(
                UpdateOp::Subtract,
                AttrKind::Number,
                &[":p_u0", ":p_u1"],
                false
            )
            .unwrap()
            .1,
            "#p = (if_not_exists(#p, :p_u1) - :p_u0)"
        );
        assert_eq!(
            update(UpdateOp::IfNotExists, AttrKind::String, &[":p_u0"], false)
                .unwrap()
                .1,
            "#p = if_not_exists(#p, :p_u0)"
        );
        assert_eq!(
            update(UpdateOp::Delete, AttrKind::Set, &[":p_u0"], false).unwrap(),
            (Some(UpdateClause::Delete), "#p :p_u0".into())
        );
        assert_eq!(
            update(UpdateOp::Remove, AttrKind::Map, &[], false).unwrap(),
            (Some(UpdateClause::Remove), "#p".into())
        );
        assert_eq!(
            update(UpdateOp::Add, AttrKind::String, &[":p_u0"], false)
                .unwrap_err()
                .to_string(),
            "Invalid Update Attribute Operation: \"ADD\" Operation can only be performed on attributes with type \"number\", \"set\", or \"any\"."
        );
        assert!(update(UpdateOp::Delete, AttrKind::List, &[":p_u0"], false).is_err());
        assert!(update(UpdateOp::Append, AttrKind::Set, &[":p_u0"], false).is_err());
        assert!(update(UpdateOp::Subtract, AttrKind::String, &[":p_u0"], false).is_err());
        assert!(update(UpdateOp::Set, AttrKind::String, &[], false).is_err());
    }

    #[test]
    fn flags_match_template_arity() {
        assert!(!FilterOp::Exists.takes_value());
        assert!(FilterOp::Between.takes_value());
        assert!(!FilterOp::Escape.takes_value() && FilterOp::Escape.raw_value());
        assert!(FilterOp::Field.raw_field() && FilterOp::Field.can_nest());
        assert!(!UpdateOp::Remove.takes_value());
        assert!(UpdateOp::Subtract.takes_value());
        assert!(UpdateOp::Value.can_nest() && !UpdateOp::Set.can_nest());
    }
}
