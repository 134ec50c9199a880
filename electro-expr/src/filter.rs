//! `FilterExpression`: a condition or filter built up by several callers (keys,
//! identifiers, `where` clauses), with ElectroDB's exact parenthesisation.

use crate::condition::Condition;
use crate::error::ExprError;
use crate::names::{is_word_byte, js_trim};
use crate::ops::FilterOp;
use crate::render::render_condition_into;
use crate::state::ExpressionState;
use crate::value::Value;

/// A FilterExpression or ConditionExpression and the placeholders it uses.
#[derive(Clone, Debug, Default)]
pub struct FilterExpression {
    state: ExpressionState,
    expression: String,
}

/// `_trim`: drop every `\n`/`\r`, then JavaScript-trim.
fn trim_expression(s: &str) -> std::borrow::Cow<'_, str> {
    // The usual text starts and ends with visible ASCII and has no line break:
    // nothing to trim.
    let visible = |b: Option<&u8>| b.is_some_and(|b| (b'!'..=b'~').contains(b));
    let bytes = s.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) && !has_line_break(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    if has_line_break(bytes) {
        let stripped: String = s.chars().filter(|&c| c != '\n' && c != '\r').collect();
        std::borrow::Cow::Owned(js_trim(&stripped).to_owned())
    } else {
        std::borrow::Cow::Borrowed(js_trim(s))
    }
}

/// Whether `bytes` hold a `\n` or `\r`. Both are below 14, so eight bytes at a time
/// are first tested for any byte below 14 (rare in expressions), then checked.
fn has_line_break(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        // Sets a byte's high bit when some byte is below 14 (exact for n <= 128).
        if x.wrapping_sub(ONES * 14) & !x & HIGHS != 0 && chunk.iter().any(is_break) {
            return true;
        }
    }
    chunks.remainder().iter().any(is_break)
}

/// `_isEmpty`: nothing left once `\n`, `\r` and word characters are removed and the
/// rest is trimmed (so, as in ElectroDB, a lone word like `"abc"` counts as empty).
fn is_empty_expression(s: &str) -> bool {
    s.chars().all(|c| {
        c == '\n'
            || c == '\r'
            || (c.is_ascii() && is_word_byte(c as u8))
            || crate::names::is_js_whitespace(c)
    })
}

impl FilterExpression {
    /// An empty expression with an unprefixed state (`:name0`).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty expression over a given state (e.g. a prefixed one).
    pub fn with_state(state: ExpressionState) -> Self {
        FilterExpression {
            state,
            expression: String::new(),
        }
    }

    /// A copy with room for `more` further names and values and a few more
    /// clauses of text: for a condition rendered once (a model's key conditions)
    /// that many operations start from and add to.
    ///
    /// ```
    /// use electro_expr::{FilterExpression, FilterOp};
    /// let mut keys = FilterExpression::new();
    /// keys.unsafe_set(FilterOp::Exists, "pk", [], false).unwrap();
    /// let mut f = keys.clone_with_room(4);
    /// f.unsafe_set(FilterOp::Eq, "pk", ["a".into()], false).unwrap();
    /// assert_eq!(f.build(), "attribute_exists(#pk) AND #pk = :pk0");
    /// assert_eq!(keys.build(), "attribute_exists(#pk)");
    /// ```
    pub fn clone_with_room(&self, more: usize) -> Self {
        let mut expression = String::with_capacity(self.expression.len() + 64);
        expression.push_str(&self.expression);
        FilterExpression {
            state: self.state.clone_with_room(more),
            expression,
        }
    }

    /// `add(expression, {asPrefix})`: appends `AND expression`, first wrapping the
    /// existing text in parentheses unless it starts with `(` or ends with `)`; as a
    /// prefix, writes `(expression) AND existing` instead.
    ///
    /// ```
    /// let mut f = electro_expr::FilterExpression::new();
    /// f.add("#a = :a0", false);
    /// f.add("#b = :b0", false);
    /// f.add("#c = :c0", false);
    /// assert_eq!(f.build(), "(#a = :a0) AND #b = :b0 AND #c = :c0");
    /// f.add("#k = :k", true);
    /// assert_eq!(f.build(), "(#k = :k) AND (#a = :a0) AND #b = :b0 AND #c = :c0");
    /// ```
    pub fn add(&mut self, expression: &str, as_prefix: bool) {
        if self.expression.is_empty() {
            let first = trim_expression(expression);
            // Conditions are usually joined from a few parts: room for them.
            self.expression.reserve(first.len() + 64);
            self.expression.push_str(&first);
            return;
        }
        let new = trim_expression(expression);
        if is_empty_expression(&new) {
            return;
        }
        if as_prefix {
            let mut e = String::with_capacity(new.len() + self.expression.len() + 7);
            e.push('(');
            e.push_str(&new);
            e.push_str(") AND ");
            e.push_str(&self.expression);
            self.expression = e;
        } else {
            if !self.expression.starts_with('(') && !self.expression.ends_with(')') {
                self.expression.insert(0, '(');
                self.expression.push(')');
            }
            self.expression.push_str(" AND ");
            self.expression.push_str(&new);
        }
    }

    /// [`add`](Self::add) for text the caller owns: the first expression, when
    /// trimming leaves it as it is, is kept without a copy.
    ///
    /// ```
    /// let mut f = electro_expr::FilterExpression::new();
    /// f.add_owned(String::from("#a = :a0"), false);
    /// f.add_owned(String::from(" #b = :b0\n"), false);
    /// assert_eq!(f.build(), "(#a = :a0) AND #b = :b0");
    /// ```
    pub fn add_owned(&mut self, expression: String, as_prefix: bool) {
        if self.expression.is_empty() {
            if let std::borrow::Cow::Borrowed(t) = trim_expression(&expression) {
                if t.len() == expression.len() {
                    self.expression = expression;
                    return;
                }
            }
        }
        self.add(&expression, as_prefix);
    }

    /// Renders `condition` into this expression's state and [`add`](Self::add)s it,
    /// as a `where` clause does.
    ///
    /// ```
    /// use electro_expr::{Condition, FilterExpression, Path};
    /// let mut f = FilterExpression::new();
    /// f.add_condition(&Condition::eq(Path::root("keeper"), "Tantor"), false).unwrap();
    /// let or = Condition::raw(
    ///     "{0} OR {1}",
    ///     [Condition::exists(Path::root("diet")).into(), Condition::not_exists(Path::root("lastFed")).into()],
    /// );
    /// f.add_condition(&or, false).unwrap();
    /// assert_eq!(f.build(), "(#keeper = :keeper0) AND attribute_exists(#diet) OR attribute_not_exists(#lastFed)");
    /// ```
    pub fn add_condition(
        &mut self,
        condition: &Condition,
        as_prefix: bool,
    ) -> Result<(), ExprError> {
        let mut buf = self.state.take_buf();
        let result = render_condition_into(condition, &mut self.state, &mut buf);
        if result.is_ok() {
            self.add(&buf, as_prefix);
        }
        self.state.give_buf(buf);
        result
    }

    /// `unsafeSet(options, operation, name, ...values)`: an operation on a raw field
    /// name (used as both name and field), for key and identifier conditions.
    ///
    /// ```
    /// use electro_expr::{FilterExpression, FilterOp};
    /// let mut f = FilterExpression::new();
    /// f.unsafe_set(FilterOp::Exists, "pk", [], false).unwrap();
    /// f.unsafe_set(FilterOp::Exists, "sk", [], false).unwrap();
    /// f.unsafe_set(FilterOp::Eq, "__edb_e__", ["animals".into()], false).unwrap();
    /// // `attribute_exists(#pk)` ends with `)`, so it is not wrapped.
    /// assert_eq!(f.build(), "attribute_exists(#pk) AND attribute_exists(#sk) AND #__edb_e__ = :__edb_e__0");
    /// ```
    pub fn unsafe_set(
        &mut self,
        op: FilterOp,
        name: &str,
        values: impl IntoIterator<Item = Value>,
        as_prefix: bool,
    ) -> Result<(), ExprError> {
        let values: Vec<Value> = values.into_iter().collect();
        if values.len() != op.value_count() || op.raw_value() {
            return Err(ExprError::Arity {
                op: op.name(),
                expected: ["0", "1", "2"][op.value_count()],
                given: values.len(),
            });
        }
        let mut buf = self.state.take_buf();
        let formatted = self
            .state
            .write_name_segment(false, name, name, &mut buf, None);
        self.state.give_buf(formatted);
        let name_end = buf.len();
        let mut ranges = [(0usize, 0usize); 2];
        let n = values.len();
        for (i, v) in values.into_iter().enumerate() {
            let s = buf.len();
            self.state.push_value(name, v, &mut buf);
            ranges[i] = (s, buf.len());
        }
        let vals = [
            &buf[ranges[0].0..ranges[0].1],
            &buf[ranges[1].0..ranges[1].1],
        ];
        let mut cond = self.state.take_buf();
        let result = op.write_template(&mut cond, &buf[..name_end], &vals[..n]);
        if result.is_ok() {
            self.add(&cond, as_prefix);
        }
        self.state.give_buf(cond);
        self.state.give_buf(buf);
        result
    }

    /// The expression text (`build()`).
    ///
    /// ```
    /// use electro_expr::{FilterExpression, FilterOp};
    /// let mut f = FilterExpression::new();
    /// f.unsafe_set(FilterOp::Begins, "pk", ["$zoo#animal_".into()], false).unwrap();
    /// assert_eq!(f.build(), "begins_with(#pk, :pk0)");
    /// ```
    pub fn build(&self) -> &str {
        &self.expression
    }

    /// The expression text and its placeholders, consuming the expression (params
    /// take both once it is finished).
    ///
    /// ```
    /// use electro_expr::{FilterExpression, FilterOp};
    /// let mut f = FilterExpression::new();
    /// f.unsafe_set(FilterOp::Eq, "pk", ["a".into()], false).unwrap();
    /// let (text, state) = f.into_parts();
    /// assert_eq!(text, "#pk = :pk0");
    /// assert_eq!(state.values().len(), 1);
    /// ```
    pub fn into_parts(self) -> (String, ExpressionState) {
        (self.expression, self.state)
    }

    /// The placeholders registered so far.
    pub fn state(&self) -> &ExpressionState {
        &self.state
    }

    /// The placeholder state, for callers that register directly.
    pub fn state_mut(&mut self) -> &mut ExpressionState {
        &mut self.state
    }

    /// `ExpressionAttributeNames` registered so far.
    pub fn names(&self) -> &crate::hash::NameMap {
        self.state.names()
    }

    /// `ExpressionAttributeValues` registered so far.
    pub fn values(&self) -> &crate::hash::ValueMap {
        self.state.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::Path;

    #[test]
    fn line_breaks_are_found_anywhere() {
        assert!(!has_line_break(b""));
        assert!(!has_line_break(b"#a = :a0 AND #b = :b0\t(x)"));
        for i in 0..20 {
            let mut text = vec![b'a'; 20];
            text[i] = b'\n';
            assert!(has_line_break(&text));
            text[i] = b'\r';
            assert!(has_line_break(&text));
            text[i] = 13 - 1;
            assert!(!has_line_break(&text));
        }
    }

    #[test]
    fn add_trims_and_skips_empty() {
        let mut f = FilterExpression::new();
        f.add("  \n#a = :a0\r ", false);
        assert_eq!(f.build(), "#a = :a0");
        f.add("   ", false);
        f.add("word", false);
        assert_eq!(f.build(), "#a = :a0");
        f.add("(#b = :b0)", false);
        assert_eq!(f.build(), "(#a = :a0) AND (#b = :b0)");
    }

    #[test]
    fn existing_parenthesised_text_is_not_wrapped() {
        let mut f = FilterExpression::new();
        f.add("(#a = :a0 OR #b = :b0)", false);
        f.add("#c = :c0", false);
        assert_eq!(f.build(), "(#a = :a0 OR #b = :b0) AND #c = :c0");
        let mut g = FilterExpression::new();
        g.add("#a = :a0 OR size(#b)", false);
        g.add("#c = :c0", false);
        assert_eq!(g.build(), "#a = :a0 OR size(#b) AND #c = :c0");
    }

    #[test]
    fn scan_identifiers_after_where() {
        // scan/with-where: where first, then the identifiers.
        let mut f = FilterExpression::new();
        let w = Condition::and([
            Condition::eq(Path::root("dangerous"), true),
            Condition::exists(Path::root("keeper")),
        ]);
        f.add_condition(&w, false).unwrap();
        f.unsafe_set(FilterOp::Eq, "__edb_e__", [Value::from("animals")], false)
            .unwrap();
        f.unsafe_set(FilterOp::Eq, "__edb_v__", [Value::from("1")], false)
            .unwrap();
        assert_eq!(
            f.build(),
            "(#dangerous = :dangerous0 AND attribute_exists(#keeper) AND #__edb_e__ = :__edb_e__0) AND #__edb_v__ = :__edb_v__0"
        );
        let names: Vec<_> = f.names().keys().cloned().collect();
        assert_eq!(names, ["#dangerous", "#keeper", "#__edb_e__", "#__edb_v__"]);
        let values: Vec<_> = f.values().keys().cloned().collect();
        assert_eq!(values, [":dangerous0", ":__edb_e__0", ":__edb_v__0"]);
    }

    #[test]
    fn patch_conditions_with_composite_and_where() {
        // updcomp/patch-composite-method-with-where.
        let mut f = FilterExpression::new();
        f.unsafe_set(FilterOp::Exists, "pk", [], false).unwrap();
        f.unsafe_set(FilterOp::Exists, "sk", [], false).unwrap();
        f.unsafe_set(
            FilterOp::Eq,
            "awardedOn",
            [Value::from("2022-05-01")],
            false,
        )
        .unwrap();
        f.add_condition(&Condition::lt(Path::root("rank"), 20), false)
            .unwrap();
        assert_eq!(
            f.build(),
            "(attribute_exists(#pk) AND attribute_exists(#sk) AND #awardedOn = :awardedOn0) AND #rank < :rank0"
        );
    }

    #[test]
    fn unsafe_set_arity_is_checked() {
        let mut f = FilterExpression::new();
        assert!(f.unsafe_set(FilterOp::Eq, "a", [], false).is_err());
        assert!(
            f.unsafe_set(
                FilterOp::Eq,
                "a",
                [Value::from(1), Value::from(2), Value::from(3)],
                false
            )
            .is_err()
        );
        assert_eq!(f.build(), "");
        assert!(f.names().is_empty() && f.values().is_empty());
    }
}
