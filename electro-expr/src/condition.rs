//! The expression AST: plain data describing what a `where`/`data` callback did, so
//! one renderer can turn it into text while registering placeholders in ElectroDB's
//! order.

use crate::ops::{AttrKind, FilterOp, UpdateOp};
use crate::value::Value;

/// One step of an attribute path.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// A model attribute (or a key under `any`): its name, which names the
    /// placeholder, and its DynamoDB field name, which the placeholder stands for.
    Attr {
        /// Attribute name (`#name`).
        name: String,
        /// DynamoDB field name (the value of `#name`).
        field: String,
    },
    /// A list index, written `[n]` without a placeholder.
    Index(usize),
}

/// A path to an attribute: `veterinarian.name`, `offspring[0].name`.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    segments: Vec<Segment>,
    target: Option<String>,
}

impl Path {
    /// A root attribute whose field name differs from its name.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::eq(Path::new("status", "st"), "open");
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#status = :status0");
    /// assert_eq!(s.names()["#status"], "st");
    /// ```
    pub fn new(name: impl Into<String>, field: impl Into<String>) -> Path {
        Path {
            segments: vec![Segment::Attr {
                name: name.into(),
                field: field.into(),
            }],
            target: None,
        }
    }

    /// A root attribute stored under its own name.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// assert_eq!(render_condition(&Condition::exists(Path::root("diet")), &mut s).unwrap(), "attribute_exists(#diet)");
    /// ```
    pub fn root(name: impl Into<String>) -> Path {
        let name = name.into();
        Path::new(name.clone(), name)
    }

    /// The path extended by a map attribute.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let p = Path::root("offspring").index(0).attr("name", "name");
    /// let c = Condition::eq(p, "Blitzen");
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#offspring[0].#name = :name0");
    /// ```
    pub fn attr(mut self, name: impl Into<String>, field: impl Into<String>) -> Path {
        self.segments.push(Segment::Attr {
            name: name.into(),
            field: field.into(),
        });
        self
    }

    /// The path extended by a list index (written `[i]`, no placeholder).
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::eq(Path::root("diet").index(0), "hay");
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#diet[0] = :p0");
    /// ```
    pub fn index(mut self, i: usize) -> Path {
        self.segments.push(Segment::Index(i));
        self
    }

    /// Sets the name value placeholders are named after. ElectroDB names them after
    /// the target attribute: the last attribute, `*` (→ `:p0`) for a list item, and
    /// the `any` attribute itself for keys nested under an `any`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let p = Path::root("anything").attr("deep", "deep").with_target("anything");
    /// let c = Condition::eq(p, 1);
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#anything.#deep = :anything0");
    /// ```
    pub fn with_target(mut self, name: impl Into<String>) -> Path {
        self.target = Some(name.into());
        self
    }

    /// The segments, root first.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The name value placeholders for this path are made from.
    pub fn target_name(&self) -> &str {
        if let Some(t) = &self.target {
            return t;
        }
        match self.segments.last() {
            Some(Segment::Attr { name, .. }) => name,
            _ => "*",
        }
    }
}

/// An operand of an operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A plain value: a placeholder named after the operation's target.
    Value(Value),
    /// `name(path)`: another attribute, `#other`.
    Name(Path),
    /// `value(path, v)`: a value named after `path`. Registers `path`'s names too, as
    /// ElectroDB does, even when the expression never writes them.
    ValueOf(Path, Value),
    /// `size(path)`. ElectroDB only reaches this through a raw template; as an
    /// operation's operand it renders inline (`#a > size(#b)`).
    Size(Path),
    /// `escape(v)`: a value placeholder named after the value itself (`:30`,
    /// `:JoeExotic0`).
    Escape(Value),
    /// `field(name)`: a field outside the model, `#name`.
    Field(String),
}

impl Operand {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Operand::Value(_) => "value",
            Operand::Name(_) => "name",
            Operand::ValueOf(..) => "value(path)",
            Operand::Size(_) => "size",
            Operand::Escape(_) => "escape",
            Operand::Field(_) => "field",
        }
    }
}

impl<T: Into<Value>> From<T> for Operand {
    fn from(v: T) -> Self {
        Operand::Value(v.into())
    }
}

/// A condition or filter expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// An operation on an attribute: `eq(path, v)`, `exists(path)`, ...
    Op {
        /// The operation.
        op: FilterOp,
        /// The attribute it applies to.
        path: Path,
        /// Its operands ([`FilterOp::value_count`] of them).
        args: Vec<Operand>,
    },
    /// Conjunction, written `a AND b` (no parentheses: AND binds tighter than OR).
    And(Vec<Condition>),
    /// Disjunction, written `(a OR b)`.
    Or(Vec<Condition>),
    /// Negation, written `NOT (a)`.
    Not(Box<Condition>),
    /// A user template such as `"{0} OR {1}"`: the parts are rendered in order (as
    /// ElectroDB's eager operations run), then `{i}` is replaced by part `i`. Every
    /// part must be used. Text is inserted verbatim, without parentheses.
    Raw {
        /// The template.
        template: String,
        /// The parts.
        parts: Vec<Part>,
    },
}

/// A part of a raw template: a condition, or an operand such as `size(a)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// A condition.
    Condition(Condition),
    /// An operand.
    Operand(Operand),
}

impl From<Condition> for Part {
    fn from(c: Condition) -> Self {
        Part::Condition(c)
    }
}

impl From<Operand> for Part {
    fn from(o: Operand) -> Self {
        Part::Operand(o)
    }
}

macro_rules! unary {
    ($($(#[$doc:meta])* $fn:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $fn(path: Path, value: impl Into<Operand>) -> Condition {
            Condition::op(FilterOp::$op, path, vec![value.into()])
        }
    )*};
}

impl Condition {
    /// Any operation with its operands.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, FilterOp, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::op(FilterOp::Gte, Path::root("lastFed"), vec!["2024-01-01".into()]);
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#lastFed >= :lastFed0");
    /// ```
    pub fn op(op: FilterOp, path: Path, args: Vec<Operand>) -> Condition {
        Condition::Op { op, path, args }
    }

    unary! {
        /// `#a = :v`.
        ///
        /// ```
        /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
        /// let mut s = ExpressionState::new();
        /// let c = Condition::eq(Path::root("keeper"), "Babar");
        /// assert_eq!(render_condition(&c, &mut s).unwrap(), "#keeper = :keeper0");
        /// ```
        eq => Eq;
        /// `#a <> :v`.
        ne => Ne;
        /// `#a > :v`.
        gt => Gt;
        /// `#a >= :v`.
        gte => Gte;
        /// `#a < :v`.
        lt => Lt;
        /// `#a <= :v`.
        lte => Lte;
        /// `begins_with(#a, :v)`.
        begins => Begins;
        /// `contains(#a, :v)`.
        contains => Contains;
        /// `not contains(#a, :v)`.
        not_contains => NotContains;
        /// `attribute_type(#a, :v)`.
        attribute_type => Type;
        /// `(#a = :v OR attribute_not_exists(#a))`.
        eq_or_not_exists => EqOrNotExists;
    }

    /// `(#a between :v0 and :v1)`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::between(Path::root("birthday"), 1980, 1995);
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "(#birthday between :birthday0 and :birthday1)");
    /// ```
    pub fn between(path: Path, low: impl Into<Operand>, high: impl Into<Operand>) -> Condition {
        Condition::op(FilterOp::Between, path, vec![low.into(), high.into()])
    }

    /// `attribute_exists(#a)`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::exists(Path::root("offspring"));
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "attribute_exists(#offspring)");
    /// ```
    pub fn exists(path: Path) -> Condition {
        Condition::op(FilterOp::Exists, path, Vec::new())
    }

    /// `attribute_not_exists(#a)`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::not_exists(Path::root("lastEvaluationBy"));
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "attribute_not_exists(#lastEvaluationBy)");
    /// ```
    pub fn not_exists(path: Path) -> Condition {
        Condition::op(FilterOp::NotExists, path, Vec::new())
    }

    /// `a AND b AND ...`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::and([
    ///     Condition::eq(Path::root("dangerous"), false),
    ///     Condition::or([Condition::exists(Path::root("a")), Condition::not(Condition::exists(Path::root("b")))]),
    /// ]);
    /// assert_eq!(
    ///     render_condition(&c, &mut s).unwrap(),
    ///     "#dangerous = :dangerous0 AND (attribute_exists(#a) OR NOT (attribute_exists(#b)))"
    /// );
    /// ```
    pub fn and(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition::And(conditions.into_iter().collect())
    }

    /// `(a OR b OR ...)`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::or([Condition::eq(Path::root("status"), "open"), Condition::gt(Path::root("points"), 20)]);
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "(#status = :status0 OR #points > :points0)");
    /// ```
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition::Or(conditions.into_iter().collect())
    }

    /// `NOT (a)`.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::not(Condition::eq(Path::root("dangerous"), true));
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "NOT (#dangerous = :dangerous0)");
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Condition {
        Condition::Not(Box::new(condition))
    }

    /// A raw template over parts.
    ///
    /// ```
    /// use electro_expr::{render_condition, Condition, ExpressionState, Operand, Path};
    /// let mut s = ExpressionState::new();
    /// let c = Condition::raw(
    ///     "{0} >= {1}",
    ///     [Operand::Size(Path::root("offspring")).into(), Operand::ValueOf(Path::root("offspring"), 2.into()).into()],
    /// );
    /// assert_eq!(render_condition(&c, &mut s).unwrap(), "size(#offspring) >= :offspring0");
    /// ```
    pub fn raw(template: impl Into<String>, parts: impl IntoIterator<Item = Part>) -> Condition {
        Condition::Raw {
            template: template.into(),
            parts: parts.into_iter().collect(),
        }
    }
}

/// One action of an update: an operation on an attribute with its operands.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateAction {
    /// The operation.
    pub op: UpdateOp,
    /// The attribute it changes.
    pub path: Path,
    /// The attribute's type, which the templates check.
    pub kind: AttrKind,
    /// Operands: [`Operand::Value`], [`Operand::Name`] or [`Operand::ValueOf`].
    pub args: Vec<Operand>,
}

macro_rules! update_unary {
    ($($(#[$doc:meta])* $fn:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $fn(path: Path, kind: AttrKind, value: impl Into<Operand>) -> UpdateAction {
            UpdateAction { op: UpdateOp::$op, path, kind, args: vec![value.into()] }
        }
    )*};
}

impl UpdateAction {
    update_unary! {
        /// `SET #a = :v`.
        ///
        /// ```
        /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression};
        /// let mut u = UpdateExpression::new();
        /// let p = Path::root("mapAttribute").attr("mapProperty", "mapProperty");
        /// u.apply(&UpdateAction::set(p, AttrKind::String, "east wing")).unwrap();
        /// assert_eq!(u.build(), "SET #mapAttribute.#mapProperty = :mapProperty_u0");
        /// ```
        set => Set;
        /// `SET #a = list_append(if_not_exists(#a, :a_default_value), :v)`.
        ///
        /// ```
        /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression, Value};
        /// let mut u = UpdateExpression::new();
        /// u.apply(&UpdateAction::append(Path::root("comments"), AttrKind::List, Value::List(vec![]))).unwrap();
        /// assert_eq!(
        ///     u.build(),
        ///     "SET #comments = list_append(if_not_exists(#comments, :comments_default_value_u0), :comments_u0)"
        /// );
        /// ```
        append => Append;
        /// `ADD #a :v` (or `SET #a = #a + x` with a nested operand).
        add => Add;
        /// `SET #a = (if_not_exists(#a, :a_default_value) - :v)`.
        subtract => Subtract;
        /// `DELETE #a :v`.
        ///
        /// ```
        /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression, Value};
        /// let mut u = UpdateExpression::new();
        /// u.apply(&UpdateAction::delete(Path::root("tags"), AttrKind::Set, Value::StringSet(vec!["a".into()]))).unwrap();
        /// assert_eq!(u.build(), "DELETE #tags :tags_u0");
        /// ```
        delete => Delete;
        /// `SET #a = if_not_exists(#a, :v)`.
        ///
        /// ```
        /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression};
        /// let mut u = UpdateExpression::new();
        /// u.apply(&UpdateAction::if_not_exists(Path::root("petFee"), AttrKind::Number, 10)).unwrap();
        /// assert_eq!(u.build(), "SET #petFee = if_not_exists(#petFee, :petFee_u0)");
        /// ```
        if_not_exists => IfNotExists;
    }

    /// `REMOVE #a`.
    ///
    /// ```
    /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.apply(&UpdateAction::remove(Path::root("rentalAgreement").index(2), AttrKind::List)).unwrap();
    /// assert_eq!(u.build(), "REMOVE #rentalAgreement[2]");
    /// ```
    pub fn remove(path: Path, kind: AttrKind) -> UpdateAction {
        UpdateAction {
            op: UpdateOp::Remove,
            path,
            kind,
            args: Vec::new(),
        }
    }

    /// Adds a second operand: the default for `add` / `subtract`
    /// (`if_not_exists(#a, :a_u1)`).
    ///
    /// ```
    /// use electro_expr::{AttrKind, Path, UpdateAction, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.apply(&UpdateAction::add(Path::root("totalFees"), AttrKind::Number, 40).with_default(100)).unwrap();
    /// assert_eq!(u.build(), "SET #totalFees = (if_not_exists(#totalFees, :totalFees_u1) + :totalFees_u0)");
    /// ```
    pub fn with_default(mut self, default: impl Into<Operand>) -> UpdateAction {
        self.args.push(default.into());
        self
    }
}
