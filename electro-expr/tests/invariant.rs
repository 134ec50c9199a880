//! The placeholder invariant, checked over many generated expressions: the renderer
//! never writes a placeholder it did not register, and never registers a name or
//! value that no expression uses.

use electro_expr::{
    AttrKind, Condition, ExpressionState, FilterExpression, FilterOp, Operand, Part, Path,
    UpdateAction, UpdateExpression, Value, render_condition,
};
use std::collections::BTreeSet;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// Names that exercise sanitising and collisions. None ends in a digit: ElectroDB's
// `:name` + counter scheme can collide there (`:x10` is `x` #10 and `x1` #0), a
// reference quirk this crate reproduces rather than fixes.
const NAMES: &[&str] = &[
    "name",
    "first-name",
    "first name",
    "firstname",
    "__edb_e__",
    "p",
    "*",
    "a.b",
    "ab",
    "déjà",
    "$",
    "x_y",
];

fn value(rng: &mut Rng) -> Value {
    match rng.below(5) {
        0 => Value::from(rng.below(100)),
        1 => Value::from(*rng.pick(&["x", "Joe Exotic", "", "#not:a_placeholder"])),
        2 => Value::Bool(rng.below(2) == 0),
        3 => Value::List(vec![Value::from(1)]),
        _ => Value::Null,
    }
}

fn path(rng: &mut Rng) -> Path {
    let root = *rng.pick(NAMES);
    let mut p = Path::new(root, format!("f_{root}"));
    for _ in 0..rng.below(3) {
        p = if rng.below(3) == 0 {
            p.index(rng.below(4))
        } else {
            let n = *rng.pick(NAMES);
            p.attr(n, n)
        };
    }
    if rng.below(8) == 0 {
        p = p.with_target(root);
    }
    p
}

/// A value operand for an operation on `on`.
fn operand(rng: &mut Rng, on: &Path) -> Operand {
    match rng.below(8) {
        0 => Operand::Name(path(rng)),
        // `value(path, v)` registers `path`'s names; use the operation's own path, as
        // real callbacks do, so those names are written by the operation.
        1 => Operand::ValueOf(on.clone(), value(rng)),
        2 => Operand::Escape(value(rng)),
        3 => Operand::Field(rng.pick(NAMES).to_string()),
        4 => Operand::Size(path(rng)),
        _ => Operand::Value(value(rng)),
    }
}

const CONDITION_OPS: &[FilterOp] = &[
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
    FilterOp::EqOrNotExists,
    FilterOp::Size,
    FilterOp::Name,
    // Not `FilterOp::Value`: like ElectroDB's `value(attr, v)` it registers `attr`'s
    // names while writing only the value (see `Operand::ValueOf`).
];

fn condition(rng: &mut Rng, depth: usize) -> Condition {
    let leaf = depth == 0 || rng.below(3) == 0;
    if leaf {
        let op = *rng.pick(CONDITION_OPS);
        let p = path(rng);
        let args = (0..op.value_count()).map(|_| operand(rng, &p)).collect();
        return Condition::op(op, p, args);
    }
    let n = rng.below(4);
    match rng.below(4) {
        0 => Condition::and((0..n).map(|_| condition(rng, depth - 1))),
        1 => Condition::or((0..n).map(|_| condition(rng, depth - 1))),
        2 => Condition::not(condition(rng, depth - 1)),
        _ => {
            let n = n.max(1);
            let parts: Vec<Part> = (0..n)
                .map(|_| {
                    if rng.below(4) == 0 {
                        // A part of its own: `value(path, v)` would register names
                        // nothing writes (see above), so not that one.
                        let p = path(rng);
                        match operand(rng, &p) {
                            Operand::ValueOf(_, v) => Operand::Escape(v).into(),
                            o => o.into(),
                        }
                    } else {
                        condition(rng, depth - 1).into()
                    }
                })
                .collect();
            // Every part at least once, in a shuffled order, sometimes repeated.
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            if rng.below(3) == 0 {
                order.push(rng.below(n));
            }
            let mut template = String::new();
            for (k, i) in order.iter().enumerate() {
                if k > 0 {
                    let sep = *rng.pick(&[" OR ", " AND ", " > "]);
                    template.push_str(sep);
                }
                if rng.below(4) == 0 {
                    template.push_str("NOT ");
                }
                template.push_str(&format!("{{{i}}}"));
            }
            Condition::raw(template, parts)
        }
    }
}

/// Placeholder tokens (`#\w+` / `:\w+`) in rendered text.
fn tokens(text: &str, sigil: char) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == sigil as u8 {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if j > i + 1 {
                out.insert(text[i..j].to_owned());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn check(text: &str, state: &ExpressionState) {
    let names: BTreeSet<String> = state.names().keys().map(|k| k.to_string()).collect();
    let values: BTreeSet<String> = state.values().keys().map(|k| k.to_string()).collect();
    assert_eq!(tokens(text, '#'), names, "names of {text:?}");
    assert_eq!(tokens(text, ':'), values, "values of {text:?}");
    let mut depth = 0i32;
    for c in text.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        assert!(depth >= 0, "unbalanced {text:?}");
    }
    assert_eq!(depth, 0, "unbalanced {text:?}");
}

#[test]
fn conditions_use_exactly_what_they_register() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut rendered = 0;
    for _ in 0..3000 {
        let c = condition(&mut rng, 4);
        let mut s = ExpressionState::new();
        let text = render_condition(&c, &mut s).expect("generated conditions are well formed");
        check(&text, &s);
        rendered += usize::from(!text.is_empty());
    }
    assert!(rendered > 2000, "only {rendered} non-empty renders");
}

#[test]
fn filters_built_from_many_clauses_use_exactly_what_they_register() {
    let mut rng = Rng(42);
    for _ in 0..500 {
        let mut f = FilterExpression::new();
        for _ in 0..1 + rng.below(4) {
            if rng.below(3) == 0 {
                let name = *rng.pick(NAMES);
                f.unsafe_set(FilterOp::Eq, name, [value(&mut rng)], rng.below(2) == 0)
                    .unwrap();
            } else {
                f.add_condition(&condition(&mut rng, 3), rng.below(4) == 0)
                    .unwrap();
            }
        }
        check(f.build(), f.state());
    }
}

const KINDS: &[AttrKind] = &[
    AttrKind::String,
    AttrKind::Number,
    AttrKind::Boolean,
    AttrKind::Enum,
    AttrKind::Map,
    AttrKind::List,
    AttrKind::Set,
    AttrKind::Any,
];

fn update_operand(rng: &mut Rng, on: &Path) -> Operand {
    match rng.below(5) {
        0 => Operand::Name(path(rng)),
        1 => Operand::ValueOf(on.clone(), value(rng)),
        _ => Operand::Value(value(rng)),
    }
}

#[test]
fn updates_use_exactly_what_they_register() {
    let mut rng = Rng(7);
    let mut applied = 0;
    for _ in 0..1500 {
        let mut u = UpdateExpression::new();
        for _ in 0..1 + rng.below(6) {
            let p = path(&mut rng);
            let kind = *rng.pick(KINDS);
            let v = update_operand(&mut rng, &p);
            let mut action = match rng.below(7) {
                0 => UpdateAction::set(p, kind, v),
                1 => UpdateAction::remove(p, kind),
                2 => UpdateAction::add(p, kind, v),
                3 => UpdateAction::subtract(p, kind, v),
                4 => UpdateAction::append(p, kind, v),
                5 => UpdateAction::delete(p, kind, v),
                _ => UpdateAction::if_not_exists(p, kind, v),
            };
            if matches!(
                action.op,
                electro_expr::UpdateOp::Add | electro_expr::UpdateOp::Subtract
            ) && rng.below(3) == 0
            {
                let d = update_operand(&mut rng, &action.path);
                action = action.with_default(d);
            }
            // A template refusing the type must leave nothing registered.
            let names = u.names().len();
            let values = u.values().len();
            match u.apply(&action) {
                Ok(()) => applied += 1,
                Err(_) => {
                    assert_eq!(u.names().len(), names);
                    assert_eq!(u.values().len(), values);
                }
            }
            if rng.below(4) == 0 {
                let n = *rng.pick(NAMES);
                u.set(n, value(&mut rng), rng.below(2) == 0);
            }
        }
        check(&u.build(), u.state());
    }
    assert!(applied > 3000, "only {applied} actions applied");
}
