//! Attribute references and the operations applied to them in `where` callbacks and
//! update chains: a port of ElectroDB's `AttributeOperationProxy`.
//!
//! ElectroDB applies each operation eagerly: registering names and values in the
//! expression being built and returning the expression text, which callers compose
//! into strings. Doing the same here is what makes params match byte for byte.

use std::cell::RefCell;

use electro_expr::{FilterExpression, FilterOp, NameSlot, PathRef, UpdateExpression, UpdateOp};

use crate::error::{Error, ErrorCode};
use crate::schema::{Attribute, AttributeKind};

/// The expression compiler's view of an attribute type.
pub(crate) fn attr_kind(kind: &AttributeKind) -> electro_expr::AttrKind {
    use electro_expr::AttrKind as K;
    match kind {
        AttributeKind::String => K::String,
        AttributeKind::Number => K::Number,
        AttributeKind::Boolean => K::Boolean,
        AttributeKind::Enum(_) => K::Enum,
        AttributeKind::Map { .. } => K::Map,
        AttributeKind::List { .. } => K::List,
        AttributeKind::Set { .. } => K::Set,
        AttributeKind::Any | AttributeKind::Static => K::Any,
    }
}
use crate::Value;

/// A path into an entity's attributes, as a `where` callback or update names it:
/// `rent`, `veterinarian.name`, `offspring[0].name`. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AttrRef<'m> {
    root: Option<&'m Attribute>,
    root_name: std::borrow::Cow<'m, str>,
    segments: Vec<Segment<'m>>,
}

#[derive(Clone, Debug)]
struct Segment<'m> {
    prop: String,
    field: String,
    target: Option<&'m Attribute>,
}

impl<'m> AttrRef<'m> {
    pub(crate) fn root(name: &str, attribute: Option<&'m Attribute>) -> AttrRef<'m> {
        // A known attribute lends its own name; only unknown ones copy it.
        let root_name = match attribute {
            Some(a) if a.name == name => std::borrow::Cow::Borrowed(a.name.as_str()),
            _ => std::borrow::Cow::Owned(name.to_string()),
        };
        AttrRef {
            root: attribute,
            root_name,
            segments: Vec::new(),
        }
    }

    /// The attribute this path ends at, if it exists.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// e.scan().where_(|a, _| {
    ///     assert_eq!(a.path("veterinarian.name").target().map(|t| t.field.as_str()), Some("name"));
    ///     String::new()
    /// });
    /// ```
    pub fn target(&self) -> Option<&'m Attribute> {
        match self.segments.last() {
            Some(s) => s.target,
            None => self.root,
        }
    }

    /// Whether the path names a known attribute.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// e.scan().where_(|a, _| {
    ///     assert!(a.get("keeper").exists() && !a.get("zookeeper").exists());
    ///     String::new()
    /// });
    /// ```
    pub fn exists(&self) -> bool {
        self.target().is_some()
    }

    /// A property of a map attribute (or anything under an `any` attribute).
    ///
    /// ```
    /// # use electro_core::entity::Entity;
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("exhibit", electro_core::item!{"habitat" => "Africa"})
    ///     .where_(|a, op| op.eq(&a.get("veterinarian").at("name"), "Herb"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#veterinarian.#name = :name0");
    /// ```
    pub fn at(&self, prop: &str) -> AttrRef<'m> {
        self.child(prop)
    }

    /// An element of a list attribute.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.eq(&a.get("offspring").index(0).at("name"), "Cub"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#offspring[0].#name = :name0");
    /// ```
    pub fn index(&self, i: usize) -> AttrRef<'m> {
        self.child(&i.to_string())
    }

    fn child(&self, prop: &str) -> AttrRef<'m> {
        let parent = self.target();
        let (target, field) = match parent {
            Some(p) => match p.get_child(prop) {
                Some(child) => {
                    // Under an `any` attribute every property is itself `any`: the
                    // field is the property as written.
                    let nested_any = matches!(child.kind, AttributeKind::Any) && child.name != prop;
                    let field = if nested_any {
                        prop.to_string()
                    } else {
                        child.field.clone()
                    };
                    (Some(child), field)
                }
                None => (None, prop.to_string()),
            },
            None => (None, prop.to_string()),
        };
        let mut next = self.clone();
        next.segments.push(Segment {
            prop: prop.to_string(),
            field,
            target,
        });
        next
    }

    /// The path as written, e.g. `veterinarian.name` or `offspring[0].name`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// e.scan().where_(|a, _| {
    ///     assert_eq!(a.get("offspring").index(0).at("name").path(), "offspring[0].name");
    ///     String::new()
    /// });
    /// ```
    pub fn path(&self) -> String {
        let mut s = self.root_name.to_string();
        for seg in &self.segments {
            if seg.prop.bytes().all(|b| b.is_ascii_digit()) && !seg.prop.is_empty() {
                s.push('[');
                s.push_str(&seg.prop);
                s.push(']');
            } else {
                s.push('.');
                s.push_str(&seg.prop);
            }
        }
        s
    }

    /// Registers the path's names in the expression and appends its rendered path
    /// (`#a.#b[0]`) to `out`: [`AttrRef::commit`] without the [`PathRef`]. Returns
    /// the last segment's name and where its formatted form sits in `out`.
    fn commit_into(
        &self,
        state: &mut electro_expr::ExpressionState,
        out: &mut String,
    ) -> Result<(&str, std::ops::Range<usize>), Error> {
        self.commit_slot_into(state, out)
            .map(|(name, range, _)| (name, range))
    }

    /// [`AttrRef::commit_into`], also returning the last formatted name's slot.
    fn commit_slot_into(
        &self,
        state: &mut electro_expr::ExpressionState,
        out: &mut String,
    ) -> Result<(&str, std::ops::Range<usize>, NameSlot), Error> {
        let root = self.root.ok_or_else(|| unknown_property(&self.root_name))?;
        let (range, slot) = state.push_name_slot(false, &root.name, &root.field, out);
        let mut last = (root.name.as_str(), range, slot);
        for seg in &self.segments {
            if seg.target.is_none() {
                return Err(self.invalid_segment(seg));
            }
            let (range, slot) = state.push_name_slot(true, &seg.prop, &seg.field, out);
            last = (seg.prop.as_str(), range, slot);
        }
        Ok(last)
    }

    fn invalid_segment(&self, seg: &Segment<'_>) -> Error {
        Error::new(
            ErrorCode::InvalidWhere,
            format!(
                "Invalid attribute \"{}\" at path \"{}\"",
                seg.prop,
                self.path()
            ),
        )
    }

    /// Registers the path's names in the expression and returns its rendered path.
    fn commit(&self, state: &mut electro_expr::ExpressionState) -> Result<PathRef, Error> {
        let root = self.root.ok_or_else(|| unknown_property(&self.root_name))?;
        let mut path = state.set_name(None, &root.name, &root.field);
        for seg in &self.segments {
            if seg.target.is_none() {
                return Err(self.invalid_segment(seg));
            }
            path = state.set_name(Some(&path), &seg.prop, &seg.field);
        }
        Ok(path)
    }
}

fn unknown_property(name: &str) -> Error {
    Error::new(
        ErrorCode::InvalidWhere,
        format!("Invalid/Unknown property passed in where clause passed to operation: '{name}'"),
    )
}

/// Splits `a.b[0].c` into `["a", "b", "0", "c"]` (ElectroDB's `parseJSONPath`).
pub(crate) fn parse_json_path(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    for c in path.chars() {
        match c {
            '.' | '[' | ']' => {
                if !cur.is_empty() {
                    parts.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// The values an expression produced by `name`/`value` stands for, if `v` is one.
fn seen_values<'s>(seen: &'s [(String, Vec<Value>)], v: &Value) -> Option<&'s [Value]> {
    match v {
        Value::String(s) => seen
            .iter()
            .rev()
            .find(|(k, _)| k == s)
            .map(|(_, vals)| vals.as_slice()),
        _ => None,
    }
}

/// Writes one operand of a filter operation onto `out`: the text of a value that
/// is another operation's result (nested as it is), else a new placeholder for
/// the value under the target's name (`slot`: that name's, formatted already,
/// when the path ends in it). Conditions and filters are not read back, so the
/// value moves in.
fn push_operand(
    state: &mut electro_expr::ExpressionState,
    seen: &[(String, Vec<Value>)],
    target: &Attribute,
    slot: Option<NameSlot>,
    value: Value,
    out: &mut String,
) {
    if seen_values(seen, &value).is_some() {
        if let Value::String(s) = &value {
            out.push_str(s);
        }
        return;
    }
    match slot {
        Some(slot) => state.push_slot_value(slot, value, out),
        None => state.push_value(&target.name, value, out),
    }
}

/// What an operation's builder is.
pub(crate) enum Builder<'b> {
    Filter(&'b mut FilterExpression),
    Update(&'b mut UpdateExpression),
}

impl Builder<'_> {
    fn state(&mut self) -> &mut electro_expr::ExpressionState {
        match self {
            Builder::Filter(f) => f.state_mut(),
            Builder::Update(u) => u.state_mut(),
        }
    }
}

/// A record of one applied operation, keyed by its JSON path: what update params
/// building needs to know afterwards (ElectroDB's `paths`, `impacted`, `refs`).
/// Owned (no borrow of the model), so a chain keeps them until params are built.
#[derive(Clone, Debug)]
pub(crate) struct Impact {
    pub path: crate::Name,
    pub operation: &'static str,
    /// The path of the attribute operated on.
    pub attribute: Option<crate::Name>,
    /// The value and its placeholder, when the operation took one.
    pub value: Option<(Value, crate::Name)>,
}

/// The mutable side of a proxy: the builder, the nested-name memory and the first
/// error, behind a `RefCell` so callbacks can call operations through `&self`.
pub(crate) struct ProxyState<'b, 'm> {
    builder: Builder<'b>,
    /// Expressions produced by `name`/`value` (and what they stand for), so that
    /// passing them to another operation nests them instead of quoting them.
    seen: Vec<(String, Vec<Value>)>,
    pub error: Option<Error>,
    pub impacts: Vec<Impact>,
    /// Where a filter operation renders its path and value placeholders before
    /// writing its template, reused by every operation of a callback.
    scratch: String,
    /// The operations take attributes of one model (`AttrRef<'m>`).
    model: std::marker::PhantomData<&'m Attribute>,
}

impl<'b, 'm> ProxyState<'b, 'm> {
    pub(crate) fn new(builder: Builder<'b>) -> Self {
        ProxyState {
            builder,
            seen: Vec::new(),
            error: None,
            impacts: Vec::new(),
            scratch: String::new(),
            model: std::marker::PhantomData,
        }
    }

    fn seen_values(&self, v: &Value) -> Option<&[Value]> {
        seen_values(&self.seen, v)
    }

    fn remember(&mut self, key: String, values: Vec<Value>) {
        self.seen.push((key, values));
    }

    fn fail(&mut self, e: Error) -> String {
        if self.error.is_none() {
            self.error = Some(e);
        }
        String::new()
    }

    /// Applies a filter/condition operation (`eq`, `between`, `name`, ...).
    pub(crate) fn filter_op(
        &mut self,
        op: FilterOp,
        attr: &AttrRef<'m>,
        values: impl IntoIterator<Item = Value>,
    ) -> String {
        if self.error.is_some() {
            return String::new();
        }
        let Some(target) = attr.target() else {
            return self.fail(if attr.root.is_none() {
                unknown_property(&attr.root_name)
            } else {
                Error::new(
                    ErrorCode::InvalidWhere,
                    format!("Invalid attribute at path \"{}\"", attr.path()),
                )
            });
        };
        let fixed = values.into_iter().map(|v| target.apply_fixings_owned(v));
        // ElectroDB commits filter operations always, and others only with an
        // acceptable value.
        if !matches!(self.builder, Builder::Filter(_)) {
            let fixed: Vec<Value> = fixed.collect();
            let acceptable = fixed.iter().all(|v| match self.seen_values(v) {
                Some(vals) => vals.iter().all(|s| target.acceptable(Some(s))),
                None => target.acceptable(Some(v)),
            });
            if op.takes_value() && (fixed.is_empty() || !acceptable) {
                return String::new();
            }
            return self.render_filter_op(op, attr, target, fixed.into_iter());
        }
        self.render_filter_op(op, attr, target, fixed)
    }

    /// Registers a committed filter operation's names and values and writes its
    /// text. The path and placeholders are rendered into one reused buffer.
    fn render_filter_op(
        &mut self,
        op: FilterOp,
        attr: &AttrRef<'m>,
        target: &'m Attribute,
        fixed: impl Iterator<Item = Value>,
    ) -> String {
        let result = match op.pieces() {
            Some(pieces) => self.render_filter_pieces(op, pieces, attr, target, fixed),
            None => {
                let mut buf = std::mem::take(&mut self.scratch);
                buf.clear();
                // Room for a path and two placeholders, so the buffer is allocated once.
                buf.reserve(64);
                let result = self.render_filter_into(op, attr, target, fixed, &mut buf);
                self.scratch = buf;
                result
            }
        };
        match result {
            Ok(text) => text,
            Err(e) => self.fail(e),
        }
    }

    /// [`ProxyState::render_filter_into`] for the templates that write the path
    /// once and first (most): the path and placeholders are rendered straight into
    /// the text returned, between the template's `pieces`.
    fn render_filter_pieces(
        &mut self,
        op: FilterOp,
        (before, after): (&'static str, &'static [&'static str]),
        attr: &AttrRef<'m>,
        target: &'m Attribute,
        fixed: impl Iterator<Item = Value>,
    ) -> Result<String, Error> {
        // Room for a path, two placeholders and the template's text.
        let mut out = String::with_capacity(64);
        out.push_str(before);
        let state = self.builder.state();
        let (last_name, _, slot) = attr.commit_slot_into(state, &mut out)?;
        // Values are registered under the target's name; when the path ends in it
        // (the usual case), its formatted form is already at hand.
        let slot = (last_name == target.name).then_some(slot);
        out.push_str(after[0]);
        let mut count = 0;
        for v in fixed {
            push_operand(state, &self.seen, target, slot, v, &mut out);
            count += 1;
            if let Some(text) = after.get(count) {
                out.push_str(text);
            }
        }
        if count + 1 != after.len() {
            // The template refuses the wrong number of values.
            op.write_template(&mut String::new(), "", &vec![""; count])
                .map_err(|e| Error::new(ErrorCode::InvalidWhere, e.to_string()))?;
        }
        Ok(out)
    }

    fn render_filter_into(
        &mut self,
        op: FilterOp,
        attr: &AttrRef<'m>,
        target: &'m Attribute,
        fixed: impl Iterator<Item = Value>,
        buf: &mut String,
    ) -> Result<String, Error> {
        let state = self.builder.state();
        let (last_name, _, slot) = attr.commit_slot_into(state, buf)?;
        let name_end = buf.len();
        // Values are registered under the target's name; when the path ends in it
        // (the usual case), its formatted form is already at hand.
        let slot = (last_name == target.name).then_some(slot);
        // Placeholder ranges in `buf`: two inline (every operation's most), more
        // only for a malformed `apply`, which the template then refuses.
        let mut ranges = [(0usize, 0usize); 2];
        let mut more: Vec<(usize, usize)> = Vec::new();
        let mut count = 0;
        for v in fixed {
            let start = buf.len();
            push_operand(state, &self.seen, target, slot, v, buf);
            match ranges.get_mut(count) {
                Some(r) => *r = (start, buf.len()),
                None => more.push((start, buf.len())),
            }
            count += 1;
        }
        let buf = buf.as_str();
        let inline = ranges.map(|(a, b)| &buf[a..b]);
        let all: Vec<&str>;
        let refs: &[&str] = if more.is_empty() {
            &inline[..count]
        } else {
            all = inline
                .into_iter()
                .chain(more.iter().map(|&(a, b)| &buf[a..b]))
                .collect();
            &all
        };
        let path = &buf[..name_end];
        let mut formatted = String::with_capacity(buf.len() + name_end + 24);
        op.write_template(&mut formatted, path, refs)
            .map_err(|e| Error::new(ErrorCode::InvalidWhere, e.to_string()))?;
        if op.can_nest() {
            let vals: Vec<Value> = refs.iter().map(|r| Value::from(*r)).collect();
            self.remember(path.to_string(), vals.clone());
            self.remember(formatted.clone(), vals);
        }
        Ok(formatted)
    }

    /// `escape(value)`: a value with no attribute, registered under its own text.
    pub(crate) fn escape(&mut self, value: Value) -> String {
        if self.error.is_some() {
            return String::new();
        }
        let placeholder = self.builder.state().set_escaped_value(value.clone());
        self.remember(placeholder.clone(), vec![value.clone()]);
        self.remember(placeholder.clone(), vec![value]);
        placeholder
    }

    /// `field(name)`: a table field by its raw name.
    pub(crate) fn field(&mut self, name: &str) -> String {
        if self.error.is_some() {
            return String::new();
        }
        let path = self.builder.state().set_name(None, name, name);
        self.remember(path.expression.to_string(), vec![Value::from(name)]);
        self.remember(path.prop.to_string(), vec![Value::from(name)]);
        path.prop.into()
    }

    /// Applies an update operation (`set`, `add`, `append`, ...) to one attribute,
    /// returning the expression written.
    pub(crate) fn update_op(
        &mut self,
        op: UpdateOp,
        attr: &AttrRef<'m>,
        values: impl IntoIterator<Item = Value>,
    ) -> String {
        let mut text = String::new();
        self.update_op_into(op, attr, values, &mut text);
        text
    }

    /// [`ProxyState::update_op`] writing the expression into `text` (empty, and
    /// left so when nothing is written): a caller that only applies operations
    /// lends a pooled buffer.
    pub(crate) fn update_op_into(
        &mut self,
        op: UpdateOp,
        attr: &AttrRef<'m>,
        values: impl IntoIterator<Item = Value>,
        text: &mut String,
    ) {
        if self.error.is_some() {
            return;
        }
        let Some(target) = attr.target() else {
            self.fail(unknown_property(&attr.root_name));
            return;
        };
        let mut fixed = Operands::default();
        for v in values {
            fixed.push(target.apply_fixings_owned(v));
        }
        let takes_value = op.takes_value();
        let acceptable = fixed.iter().all(|v| match self.seen_values(v) {
            Some(vals) => vals.iter().all(|s| target.acceptable(Some(s))),
            None => target.acceptable(Some(v)),
        });
        let has_value = acceptable && fixed.len > 0;
        if takes_value && !has_value {
            return;
        }
        // The path as expressions write it, and its json form (the impacts' key).
        let mut expression = self.builder.state().take_buf();
        let committed = if attr.segments.is_empty() {
            // A root attribute: its json path is its formatted name.
            (attr.commit_into(self.builder.state(), &mut expression))
                .map(|(_, name)| crate::Name::from(&expression[name]))
        } else {
            attr.commit(self.builder.state()).map(|path| {
                expression.push_str(&path.expression);
                path.json
            })
        };
        let json = match committed {
            Ok(json) => json,
            Err(e) => {
                self.builder.state().give_buf(expression);
                self.fail(e);
                return;
            }
        };
        // The rendered values share one buffer: update operations take at most two
        // (more only to be refused by the template's arity check).
        let count = fixed.len;
        let mut rendered = self.builder.state().take_buf();
        let mut spans = [(0usize, 0usize); 2];
        let mut nested = false;
        let mut last_value = None;
        for (i, v) in fixed.into_iter().enumerate() {
            let start = rendered.len();
            if self.seen_values(&v).is_some() {
                nested = true;
                if let Value::String(s) = &v {
                    rendered.push_str(s);
                }
            } else {
                self.builder
                    .state()
                    .push_value(&target.name, v.clone(), &mut rendered);
                last_value = Some((v, crate::Name::from(&rendered[start..])));
            }
            if let Some(span) = spans.get_mut(i) {
                *span = (start, rendered.len());
            }
        }
        let pair = spans.map(|(a, b)| &rendered[a..b]);
        let too_many: Vec<&str>;
        let refs: &[&str] = if count <= pair.len() {
            &pair[..count]
        } else {
            too_many = vec![""; count];
            &too_many
        };
        // Room for the longest template (`list_append` with a default value).
        text.reserve(expression.len() * 2 + target.name.len() * 2 + rendered.len() + 64);
        let result = {
            let state = self.builder.state();
            let target_name = target.name.as_str();
            let mut create_default = |value: Value, out: &mut String| {
                let suffix = UpdateOp::DEFAULT_VALUE_SUFFIX;
                let mut name = crate::Name::with_capacity(target_name.len() + suffix.len());
                name.push_str(target_name);
                name.push_str(suffix);
                state.push_value(&name, value, out);
            };
            op.write_template(
                text,
                attr_kind(&target.kind),
                &expression,
                refs,
                nested,
                &mut create_default,
            )
        };
        let clause = match result {
            Ok(c) => c,
            Err(e) => {
                self.builder.state().give_buf(rendered);
                self.builder.state().give_buf(expression);
                self.fail(Error::new(ErrorCode::InvalidAttribute, e.to_string()));
                text.clear();
                return;
            }
        };
        self.impacts.push(Impact {
            path: json,
            operation: op.name(),
            attribute: Some(target.path.as_str().into()),
            value: last_value,
        });
        if let Some(clause) = clause {
            if let Builder::Update(u) = &mut self.builder {
                u.add(clause, text.as_str());
            }
        }
        if op.can_nest() {
            let vals: Vec<Value> = refs.iter().map(|r| Value::from(*r)).collect();
            self.remember(expression.clone(), vals.clone());
            self.remember(text.clone(), vals);
        }
        self.builder.state().give_buf(rendered);
        self.builder.state().give_buf(expression);
    }
}

/// An update operation's operands: the templates take at most two, kept inline;
/// more (only to be refused by the template's arity check) go to a list.
#[derive(Default)]
struct Operands {
    inline: [Option<Value>; 2],
    more: Vec<Value>,
    len: usize,
}

impl Operands {
    fn push(&mut self, value: Value) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(value),
            None => self.more.push(value),
        }
        self.len += 1;
    }

    fn iter(&self) -> impl Iterator<Item = &Value> {
        self.inline.iter().flatten().chain(&self.more)
    }
}

impl IntoIterator for Operands {
    type Item = Value;
    type IntoIter = std::iter::Chain<
        std::iter::Flatten<std::array::IntoIter<Option<Value>, 2>>,
        std::vec::IntoIter<Value>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.inline.into_iter().flatten().chain(self.more)
    }
}

/// The operations a `where` callback may call: each registers what it uses and
/// returns expression text to compose.
///
/// ```
/// # let e = electro_core::entity::doc_entity();
/// let p = e.query("animal", electro_core::item!{"animal" => "elephant"})
///     .where_(|a, op| format!("{} OR {}", op.eq(&a.get("keeper"), "Zed"), op.exists(&a.get("offspring"))))
///     .params_json().unwrap();
/// assert_eq!(p["FilterExpression"], "#keeper = :keeper0 OR attribute_exists(#offspring)");
/// ```
pub struct WhereOps<'s, 'b, 'm> {
    pub(crate) state: &'s RefCell<ProxyState<'b, 'm>>,
}

macro_rules! where_ops {
    ($( $(#[$doc:meta])* $name:ident => $op:ident ( $($arg:ident),* ) ),* $(,)?) => {
        impl<'m> WhereOps<'_, '_, 'm> {
            $(
                $(#[$doc])*
                pub fn $name(&self, attr: &AttrRef<'m> $(, $arg: impl Into<Value>)*) -> String {
                    self.state.borrow_mut().filter_op(FilterOp::$op, attr, [$($arg.into()),*])
                }
            )*
        }
    };
}

where_ops! {
    /// `#a = :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.eq(&a.get("keeper"), "Zed"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#keeper = :keeper0");
    /// ```
    eq => Eq(value),
    /// `#a <> :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.ne(&a.get("keeper"), "Zed"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#keeper <> :keeper0");
    /// ```
    ne => Ne(value),
    /// `#a > :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.gt(&a.get("name"), "L"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#name > :name0");
    /// ```
    gt => Gt(value),
    /// `#a >= :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.gte(&a.get("name"), "L"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#name >= :name0");
    /// ```
    gte => Gte(value),
    /// `#a < :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.lt(&a.get("name"), "L"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#name < :name0");
    /// ```
    lt => Lt(value),
    /// `#a <= :v`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.lte(&a.get("name"), "L"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#name <= :name0");
    /// ```
    lte => Lte(value),
    /// `(#a between :v1 and :v2)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.between(&a.get("name"), "A", "M"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "(#name between :name0 and :name1)");
    /// ```
    between => Between(start, end),
    /// `begins_with(#a, :v)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.begins(&a.get("keeper"), "Z"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "begins_with(#keeper, :keeper0)");
    /// ```
    begins => Begins(value),
    /// `attribute_exists(#a)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.exists(&a.get("offspring")))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "attribute_exists(#offspring)");
    /// ```
    exists => Exists(),
    /// `attribute_not_exists(#a)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.not_exists(&a.get("keeper")))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "attribute_not_exists(#keeper)");
    /// ```
    not_exists => NotExists(),
    /// `contains(#a, :v)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.contains(&a.get("diet"), "hay"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "contains(#diet, :diet0)");
    /// ```
    contains => Contains(value),
    /// `not contains(#a, :v)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.not_contains(&a.get("diet"), "hay"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "not contains(#diet, :diet0)");
    /// ```
    not_contains => NotContains(value),
    /// `size(#a)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| format!("{} > {}", op.size(&a.get("diet")), op.escape(2)))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "size(#diet) > :20");
    /// ```
    size => Size(),
    /// `attribute_type(#a, :v)`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.type_(&a.get("diet"), "L"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "attribute_type(#diet, :diet0)");
    /// ```
    type_ => Type(value),
    /// `(#a = :v OR attribute_not_exists(#a))`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.eq_or_not_exists(&a.get("keeper"), "Zed"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "(#keeper = :keeper0 OR attribute_not_exists(#keeper))");
    /// ```
    eq_or_not_exists => EqOrNotExists(value),
    /// The attribute's path, to use as an operand of another operation.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| format!("{} = {}", op.name(&a.get("keeper")), op.name(&a.get("habitat"))))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#keeper = #habitat");
    /// ```
    name => Name(),
    /// A value placeholder for the attribute, to use as an operand.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| format!("{} = {}", op.name(&a.get("keeper")), op.value(&a.get("keeper"), "Zed")))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#keeper = :keeper0");
    /// ```
    value => Value(value),
}

impl<'m> WhereOps<'_, '_, 'm> {
    /// A value placeholder with no attribute.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| format!("{} > {}", op.size(&a.get("diet")), op.escape(2)))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "size(#diet) > :20");
    /// ```
    pub fn escape(&self, value: impl Into<Value>) -> String {
        self.state.borrow_mut().escape(value.into())
    }

    /// A table field by its raw name (for fields that are not attributes).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| format!("attribute_exists({})", op.field("gsi1pk")))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "attribute_exists(#gsi1pk)");
    /// ```
    pub fn field(&self, name: &str) -> String {
        self.state.borrow_mut().field(name)
    }

    /// Applies an operation by its ElectroDB name (`"eq"`, `"notExists"`, ...).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.apply("notExists", &a.get("keeper"), vec![]))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "attribute_not_exists(#keeper)");
    /// ```
    pub fn apply(&self, operation: &str, attr: &AttrRef<'m>, values: Vec<Value>) -> String {
        let mut state = self.state.borrow_mut();
        match FilterOp::from_name(operation) {
            Some(op) => state.filter_op(op, attr, values),
            None => state.fail(Error::new(
                ErrorCode::InvalidWhere,
                format!("Unknown where operation '{operation}'"),
            )),
        }
    }
}

/// Attribute references for callbacks: `a.get("rent")`, `a.path("veterinarian.name")`.
pub struct Attributes<'m> {
    pub(crate) schema: &'m crate::schema::AttributeSchema,
}

impl<'m> Attributes<'m> {
    /// The attribute named `name` (an unknown name gives a reference whose use fails
    /// with ElectroDB's error 1012).
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.eq(&a.get("keeper"), "Zed"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#keeper = :keeper0");
    /// ```
    pub fn get(&self, name: &str) -> AttrRef<'m> {
        AttrRef::root(name, self.schema.get_attribute(name))
    }

    /// A nested path written as ElectroDB writes it: `a.b[0].c`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// let p = e.query("animal", electro_core::item! {"animal" => "lion"})
    ///     .where_(|a, op| op.eq(&a.path("offspring[0].name"), "Cub"))
    ///     .params_json().unwrap();
    /// assert_eq!(p["FilterExpression"], "#offspring[0].#name = :name0");
    /// ```
    pub fn path(&self, path: &str) -> AttrRef<'m> {
        let parts = parse_json_path(path);
        let mut iter = parts.iter();
        let Some(first) = iter.next() else {
            return AttrRef::root(path, None);
        };
        let mut r = self.get(first);
        for p in iter {
            r = r.at(p);
        }
        r
    }
}
