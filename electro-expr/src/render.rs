//! The one renderer: walks conditions and update actions, writing text and
//! registering names and values in the order ElectroDB registers them.
//!
//! ElectroDB evaluates a callback's operations eagerly, so its order is: an
//! operation's nested operands (JavaScript evaluates arguments first), then the
//! operation's own path names (root to leaf), then its plain values, then any default
//! value its template creates. Raw templates render their parts in the given order
//! and substitute afterwards. Every placeholder written here was registered here, and
//! every value registered here is written.

use crate::condition::{Condition, Operand, Part, Path, Segment, UpdateAction};
use crate::error::ExprError;
use crate::names::push_u32;
use crate::ops::{AttrKind, FilterOp, UpdateClause, UpdateOp};
use crate::state::ExpressionState;

/// Renders a condition, registering its placeholders in `state`.
///
/// ```
/// use electro_expr::{render_condition, Condition, ExpressionState, Path};
/// let mut s = ExpressionState::new();
/// let c = Condition::raw(
///     "{0} OR {1}",
///     [
///         Condition::eq(Path::root("veterinarian").attr("name", "name"), "Herb").into(),
///         Condition::eq(Path::root("offspring").index(0).attr("name", "name"), "Blitzen").into(),
///     ],
/// );
/// assert_eq!(
///     render_condition(&c, &mut s).unwrap(),
///     "#veterinarian.#name = :name0 OR #offspring[0].#name = :name1"
/// );
/// ```
pub fn render_condition(
    cond: &Condition,
    state: &mut ExpressionState,
) -> Result<String, ExprError> {
    let mut out = String::new();
    render_condition_into(cond, state, &mut out)?;
    Ok(out)
}

/// [`render_condition`] appending onto `out`.
///
/// ```
/// use electro_expr::{render_condition_into, Condition, ExpressionState, Path};
/// let mut s = ExpressionState::new();
/// let mut out = String::from("x AND ");
/// render_condition_into(&Condition::lt(Path::root("expires"), 1600000000), &mut s, &mut out).unwrap();
/// assert_eq!(out, "x AND #expires < :expires0");
/// ```
pub fn render_condition_into(
    cond: &Condition,
    state: &mut ExpressionState,
    out: &mut String,
) -> Result<(), ExprError> {
    match cond {
        Condition::Op { op, path, args } => filter_op(state, *op, path, args, out),
        Condition::And(cs) => join(state, cs, " AND ", out),
        Condition::Or(cs) => {
            let start = out.len();
            out.push('(');
            let body = out.len();
            join(state, cs, " OR ", out)?;
            if out.len() == body {
                out.truncate(start);
            } else {
                out.push(')');
            }
            Ok(())
        }
        Condition::Not(c) => {
            let start = out.len();
            out.push_str("NOT (");
            let body = out.len();
            render_condition_into(c, state, out)?;
            if out.len() == body {
                out.truncate(start);
            } else {
                out.push(')');
            }
            Ok(())
        }
        Condition::Raw { template, parts } => raw(state, template, parts, out),
    }
}

/// Renders an operand on its own (as a raw template part).
///
/// ```
/// use electro_expr::{render_operand, ExpressionState, Operand, Value};
/// let mut s = ExpressionState::new();
/// let mut out = String::new();
/// render_operand(&Operand::Escape(Value::from(3)), &mut s, &mut out).unwrap();
/// assert_eq!(out, ":30");
/// ```
pub fn render_operand(
    operand: &Operand,
    state: &mut ExpressionState,
    out: &mut String,
) -> Result<(), ExprError> {
    match operand {
        // A bare value has no attribute to be named after; ElectroDB's closest form
        // is `escape`.
        Operand::Value(v) => {
            state.push_escaped_value(v.clone(), out);
            Ok(())
        }
        other => nested_operand(state, other, out),
    }
}

fn join(
    state: &mut ExpressionState,
    cs: &[Condition],
    sep: &str,
    out: &mut String,
) -> Result<(), ExprError> {
    let mut any = false;
    for c in cs {
        let mark = out.len();
        if any {
            out.push_str(sep);
        }
        let body = out.len();
        render_condition_into(c, state, out)?;
        if out.len() == body {
            out.truncate(mark);
        } else {
            any = true;
        }
    }
    Ok(())
}

/// Writes a path's expression (`#a.#b[0]`), registering its names, and its json
/// form when `json` is given.
fn write_path(
    state: &mut ExpressionState,
    path: &Path,
    expr: &mut String,
    mut json: Option<&mut String>,
) {
    let mut idx = String::new();
    for (i, seg) in path.segments().iter().enumerate() {
        let formatted = match seg {
            Segment::Attr { name, field } => {
                state.write_name_segment(i > 0, name, field, expr, json.as_deref_mut())
            }
            Segment::Index(n) => {
                idx.clear();
                match u32::try_from(*n) {
                    Ok(n) => push_u32(&mut idx, n),
                    Err(_) => idx.push_str(&n.to_string()),
                }
                state.write_name_segment(i > 0, &idx, &idx, expr, json.as_deref_mut())
            }
        };
        state.give_buf(formatted);
    }
}

/// A nested operand: `name(p)`, `value(p, v)`, `size(p)`, `escape(v)`, `field(f)`.
fn nested_operand(
    state: &mut ExpressionState,
    operand: &Operand,
    out: &mut String,
) -> Result<(), ExprError> {
    let tracking = state.tracks_paths();
    match operand {
        Operand::Value(_) => unreachable_value(),
        Operand::Name(p) => {
            let mut json = tracking.then(|| state.take_buf());
            write_path(state, p, out, json.as_mut());
            if let Some(j) = json {
                state.set_impacted(UpdateOp::Name.name(), &j);
                state.give_buf(j);
            }
        }
        Operand::ValueOf(p, v) => {
            let mut scratch = state.take_buf();
            let mut json = tracking.then(|| state.take_buf());
            write_path(state, p, &mut scratch, json.as_mut());
            let start = out.len();
            state.push_value(p.target_name(), v.clone(), out);
            if let Some(j) = json {
                state.set_path(&j, &out[start..]);
                state.set_impacted(UpdateOp::Value.name(), &j);
                state.give_buf(j);
            }
            state.give_buf(scratch);
        }
        Operand::Size(p) => {
            out.push_str("size(");
            write_path(state, p, out, None);
            out.push(')');
        }
        Operand::Escape(v) => state.push_escaped_value(v.clone(), out),
        Operand::Field(f) => {
            let formatted = state.write_name_segment(false, f, f, out, None);
            state.give_buf(formatted);
        }
    }
    Ok(())
}

#[inline]
fn unreachable_value() {
    // Callers route plain values elsewhere; a value reaching here renders nothing,
    // which the callers' arity checks make impossible.
    debug_assert!(false, "plain values are not nested operands");
}

/// Where an operation's operands ended up in its scratch buffer.
struct Pieces {
    ranges: [(usize, usize); 2],
    nested: bool,
}

/// Phase 1 of an operation: its nested operands, in argument order.
fn nested_args(
    state: &mut ExpressionState,
    args: &[Operand],
    buf: &mut String,
) -> Result<Pieces, ExprError> {
    let mut pieces = Pieces {
        ranges: [(0, 0); 2],
        nested: false,
    };
    for (i, a) in args.iter().enumerate() {
        if !matches!(a, Operand::Value(_)) {
            let s = buf.len();
            nested_operand(state, a, buf)?;
            pieces.ranges[i] = (s, buf.len());
            pieces.nested = true;
        }
    }
    Ok(pieces)
}

/// Phases 2 and 3: the path, then the plain values named after its target.
fn commit_and_values(
    state: &mut ExpressionState,
    path: &Path,
    args: &[Operand],
    buf: &mut String,
    json: &mut Option<String>,
    pieces: &mut Pieces,
) -> (usize, usize) {
    let ps = buf.len();
    write_path(state, path, buf, json.as_mut());
    let pe = buf.len();
    for (i, a) in args.iter().enumerate() {
        if let Operand::Value(v) = a {
            let s = buf.len();
            state.push_value(path.target_name(), v.clone(), buf);
            pieces.ranges[i] = (s, buf.len());
            if let Some(j) = json.as_deref() {
                state.set_path(j, &buf[s..]);
            }
        }
    }
    (ps, pe)
}

fn filter_op(
    state: &mut ExpressionState,
    op: FilterOp,
    path: &Path,
    args: &[Operand],
    out: &mut String,
) -> Result<(), ExprError> {
    if op.raw_value() || op.raw_field() {
        return Err(ExprError::Operand {
            op: op.name(),
            operand: "path",
        });
    }
    if args.len() != op.value_count() {
        return Err(ExprError::Arity {
            op: op.name(),
            expected: ["0", "1", "2"][op.value_count()],
            given: args.len(),
        });
    }
    let mut buf = state.take_buf();
    let mut pieces = nested_args(state, args, &mut buf)?;
    let mut json = state.tracks_paths().then(|| state.take_buf());
    let (ps, pe) = commit_and_values(state, path, args, &mut buf, &mut json, &mut pieces);
    let vals = [
        &buf[pieces.ranges[0].0..pieces.ranges[0].1],
        &buf[pieces.ranges[1].0..pieces.ranges[1].1],
    ];
    op.write_template(out, &buf[ps..pe], &vals[..args.len()])?;
    if let Some(j) = json {
        state.set_impacted(op.name(), &j);
        state.give_buf(j);
    }
    state.give_buf(buf);
    Ok(())
}

/// Renders one update action: the clause it belongs to and its expression text.
pub(crate) fn update_action(
    state: &mut ExpressionState,
    action: &UpdateAction,
) -> Result<(UpdateClause, String), ExprError> {
    let op = action.op;
    let args = &action.args[..];
    if op.can_nest() {
        return Err(ExprError::Operand {
            op: op.name(),
            operand: "update action",
        });
    }
    let (min, max) = op.operand_range();
    if args.len() < min || args.len() > max {
        return Err(ExprError::Arity {
            op: op.name(),
            expected: if min == max {
                ["0", "1", "2"][min]
            } else {
                "1 or 2"
            },
            given: args.len(),
        });
    }
    // Refuse the attribute type before registering anything.
    op.accepts(action.kind)?;
    if let Some(bad) = args.iter().find(|a| {
        !matches!(
            a,
            Operand::Value(_) | Operand::Name(_) | Operand::ValueOf(..)
        )
    }) {
        return Err(ExprError::Operand {
            op: op.name(),
            operand: bad.kind(),
        });
    }
    // ElectroDB writes a `name(...)` default of `subtract` as a *value* holding the
    // text `#name` and leaves the name unused, which DynamoDB rejects; refuse it.
    if op == UpdateOp::Subtract && matches!(args.get(1), Some(Operand::Name(_))) {
        return Err(ExprError::Operand {
            op: op.name(),
            operand: "name (as the default)",
        });
    }
    // ElectroDB's `nestedValue`: any operand (the default included) is nested.
    let nested = args.iter().any(|a| !matches!(a, Operand::Value(_)));
    // `add` only writes its default for a number without nested operands; ElectroDB
    // still registers it otherwise (an unused placeholder DynamoDB would reject), so
    // it is left out here. The text is the same.
    let rendered =
        if op == UpdateOp::Add && args.len() == 2 && (nested || action.kind != AttrKind::Number) {
            &args[..1]
        } else {
            args
        };
    let mut buf = state.take_buf();
    let mut pieces = nested_args(state, rendered, &mut buf)?;
    pieces.nested = nested;
    let mut json = state.tracks_paths().then(|| state.take_buf());
    let (ps, pe) = commit_and_values(
        state,
        &action.path,
        rendered,
        &mut buf,
        &mut json,
        &mut pieces,
    );
    let vals = [
        &buf[pieces.ranges[0].0..pieces.ranges[0].1],
        &buf[pieces.ranges[1].0..pieces.ranges[1].1],
    ];
    let mut default_name = String::new();
    let mut expr = String::new();
    let target = action.path.target_name();
    let clause = op.write_template(
        &mut expr,
        action.kind,
        &buf[ps..pe],
        &vals[..rendered.len()],
        pieces.nested,
        &mut |v, o| {
            default_name.clear();
            default_name.push_str(target);
            default_name.push_str(UpdateOp::DEFAULT_VALUE_SUFFIX);
            state.push_value(&default_name, v, o);
        },
    )?;
    if let Some(j) = json {
        state.set_impacted(op.name(), &j);
        state.give_buf(j);
    }
    state.give_buf(buf);
    // can_nest() was rejected above, so every remaining template names a clause.
    Ok((clause.unwrap_or(UpdateClause::Set), expr))
}

/// One piece of a parsed raw template.
enum Piece<'t> {
    Text(&'t str),
    Part(usize),
}

/// Splits a template on `{digits}` (JavaScript's `/\{(\d+)\}/g`).
fn parse_template(template: &str, mut each: impl FnMut(Piece<'_>)) {
    let b = template.as_bytes();
    let mut lit = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            let mut j = i + 1;
            let mut n: usize = 0;
            while j < b.len() && b[j].is_ascii_digit() {
                n = n.saturating_mul(10).saturating_add((b[j] - b'0') as usize);
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b'}' {
                if lit < i {
                    each(Piece::Text(&template[lit..i]));
                }
                each(Piece::Part(n));
                i = j + 1;
                lit = i;
                continue;
            }
        }
        i += 1;
    }
    if lit < b.len() {
        each(Piece::Text(&template[lit..]));
    }
}

fn raw(
    state: &mut ExpressionState,
    template: &str,
    parts: &[Part],
    out: &mut String,
) -> Result<(), ExprError> {
    // Check the template before registering anything.
    let mut used = vec![false; parts.len()];
    let mut missing = None;
    let mut in_order = true;
    let mut next = 0;
    parse_template(template, |p| {
        if let Piece::Part(i) = p {
            if i >= parts.len() {
                missing.get_or_insert(i);
                return;
            }
            used[i] = true;
            in_order &= i == next;
            next += 1;
        }
    });
    if let Some(i) = missing {
        return Err(ExprError::MissingPart(i));
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(ExprError::UnusedPart(i));
    }
    let mut result = Ok(());
    if in_order {
        // Each part used once, in order: render straight into `out`.
        parse_template(template, |p| {
            if result.is_err() {
                return;
            }
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Part(i) => result = part(state, &parts[i], out),
            }
        });
        return result;
    }
    let mut rendered = Vec::with_capacity(parts.len());
    for p in parts {
        let mut s = state.take_buf();
        part(state, p, &mut s)?;
        rendered.push(s);
    }
    parse_template(template, |p| match p {
        Piece::Text(t) => out.push_str(t),
        Piece::Part(i) => out.push_str(&rendered[i]),
    });
    for s in rendered {
        state.give_buf(s);
    }
    Ok(())
}

fn part(state: &mut ExpressionState, part: &Part, out: &mut String) -> Result<(), ExprError> {
    match part {
        Part::Condition(c) => render_condition_into(c, state, out),
        Part::Operand(o) => render_operand(o, state, out),
    }
}
