//! The properties fuzzed by `fuzz/` (cargo-fuzz) and checked by `tests/props.rs`
//! (proptest): each takes arbitrary bytes, decodes them into an input, runs it and
//! asserts that nothing panics and that the invariants hold. One module for both so
//! that a crash found by the fuzzer reproduces in the normal test suite.
//!
//! Included with `#[path]` by both; it uses only `electro_core` and `electro_expr`.

#![allow(dead_code)]

use std::collections::BTreeSet;

use electro_core::entity::Entity;
use electro_core::exec::{deserialize_cursor, serialize_cursor};
use electro_core::{Map, Value};
use electro_expr::{Condition, ExpressionState, FilterOp, Operand, Part, Path, render_condition};

/// A cursor longer than this is refused before decoding.
pub const MAX_CURSOR_LEN: usize = 16 * 1024;

/// Reads decisions off the fuzzer's bytes; past the end every read is 0, so any
/// input decodes to something.
pub struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, at: 0 }
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    pub fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        from[self.byte() as usize % from.len()].clone()
    }

    /// A short string: one from a list of awkward ones, or raw bytes.
    pub fn string(&mut self) -> String {
        const AWKWARD: &[&str] = &[
            "name",
            "first name",
            "a-b",
            "0",
            "12",
            "__edb_e__",
            "",
            "ünï",
            "x.y",
            "#x",
            ":v",
            "$",
            "_",
            "#",
            "a#b_c$d",
            "$mallstore_1#id_",
            "{0}",
            "NaN",
            "-1.5e-7",
            "\u{0}",
            "\"quoted\"",
            "a[0]",
        ];
        if self.byte() % 3 == 0 {
            let len = (self.byte() % 12) as usize;
            let start = self.at.min(self.data.len());
            let end = (start + len).min(self.data.len());
            self.at += len;
            String::from_utf8_lossy(&self.data[start..end]).into_owned()
        } else {
            self.pick(AWKWARD).to_string()
        }
    }

    pub fn value(&mut self, depth: u32) -> Value {
        match self.byte() % 9 {
            0 => Value::from(self.string()),
            1 => Value::from(self.byte() as i64 - 128),
            2 => Value::from(f64::from(self.byte()) / 7.0),
            3 => Value::Bool(self.byte() % 2 == 0),
            4 => Value::Null,
            5 if depth < 3 => {
                let n = self.byte() % 4;
                Value::List((0..n).map(|_| self.value(depth + 1)).collect())
            }
            6 => Value::StringSet((0..self.byte() % 3).map(|_| self.string()).collect()),
            7 => Value::from(f64::NAN),
            _ => Value::from(self.string()),
        }
    }
}

// ---------------------------------------------------------------------------
// The model loader.

/// `Entity::from_json` on any text: an error or an entity, never a panic; an
/// entity that loads can build a scan's params.
pub fn model_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(entity) = Entity::from_json(text) {
        let _ = entity.table("t").scan().params();
    }
}

// ---------------------------------------------------------------------------
// Key templates and composite values.

/// A model whose key templates, composites, prefixes and values come from the
/// fuzzer: loading, then building get/put/query params, never panics; a put that
/// builds writes keys that start with the entity's prefixes.
pub fn key_templates(data: &[u8]) {
    let mut b = Bytes::new(data);
    let attrs = ["a", "b", "c"];
    let template = |b: &mut Bytes| -> Option<String> {
        match b.byte() % 3 {
            0 => None,
            1 => Some(format!("x#${{a}}{}${{b}}", b.string())),
            _ => Some(b.string()),
        }
    };
    let composite = |b: &mut Bytes| -> Vec<&str> {
        (0..b.byte() % 3)
            .map(|_| attrs[b.byte() as usize % 3])
            .collect()
    };
    let mut pk = serde_json::json!({"field": "pk", "composite": composite(&mut b)});
    if let Some(t) = template(&mut b) {
        pk["template"] = t.into();
    }
    let mut sk = serde_json::json!({"field": "sk", "composite": composite(&mut b)});
    if let Some(t) = template(&mut b) {
        sk["template"] = t.into();
    }
    if b.byte() % 4 == 0 {
        sk["casing"] = b
            .pick(&["upper", "none", "default", "lower", "bogus"])
            .into();
    }
    let model = serde_json::json!({
        "model": {"entity": b.string(), "version": b.string(), "service": b.string()},
        "attributes": {
            "a": {"type": "string"},
            "b": {"type": b.pick(&["string", "number", "boolean", "set", "any"])},
            "c": {"type": "number"},
        },
        "indexes": {"primary": {"pk": pk, "sk": sk}},
    });
    let Ok(entity) = Entity::from_json(&model.to_string()) else {
        return;
    };
    let entity = entity.table("t");
    let mut item = Map::default();
    for a in attrs {
        if b.byte() % 5 != 0 {
            item.insert(a.into(), b.value(0));
        }
    }
    let _ = entity.get(item.clone()).params();
    let _ = entity.delete(item.clone()).params();
    let _ = entity.query("primary", item.clone()).params();
    let _ = entity.update(item.clone()).set(item.clone()).params();
    let _ = entity.parse_item(item.clone());
    if let Ok(put) = entity.put(item).params() {
        let json = put.to_json();
        for field in ["pk", "sk"] {
            if let Some(key) = json["Item"].get(field) {
                assert!(
                    key.is_string() || key.is_number(),
                    "key {field} is neither string nor number: {key}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Cursors.

/// Decoding any text as a cursor is an error or a key, never a panic, and a
/// decoded key survives a re-encode unchanged.
pub fn cursor(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(key) = deserialize_cursor(&text) else {
        return;
    };
    assert!(
        text.len() <= MAX_CURSOR_LEN * 2,
        "oversized cursor accepted"
    );
    let again = serialize_cursor(&key);
    let back = deserialize_cursor(&again).expect("a cursor electro wrote must decode");
    assert_eq!(
        serialize_cursor(&back),
        again,
        "cursor encoding is not stable"
    );
}

// ---------------------------------------------------------------------------
// The expression renderer.

fn path(b: &mut Bytes) -> Path {
    let mut p = Path::new(b.string(), b.string());
    for _ in 0..b.byte() % 3 {
        p = if b.byte() % 2 == 0 {
            p.attr(b.string(), b.string())
        } else {
            p.index(b.byte() as usize)
        };
    }
    p
}

fn operand(b: &mut Bytes, depth: u32) -> Operand {
    match b.byte() % 6 {
        0 => Operand::Name(path(b)),
        1 => Operand::ValueOf(path(b), b.value(depth)),
        2 => Operand::Size(path(b)),
        3 => Operand::Escape(b.value(depth)),
        4 => Operand::Field(b.string()),
        _ => Operand::Value(b.value(depth)),
    }
}

fn condition(b: &mut Bytes, depth: u32) -> Condition {
    let choice = if depth >= 4 { 0 } else { b.byte() % 6 };
    match choice {
        0 | 1 => {
            let op = b.pick(&FilterOp::ALL);
            // Mostly the right number of operands, sometimes not.
            let n = if b.byte() % 8 == 0 {
                b.byte() as usize % 4
            } else {
                op.value_count()
            };
            let p = path(b);
            Condition::op(op, p, (0..n).map(|_| operand(b, depth)).collect())
        }
        2 => Condition::And((0..b.byte() % 4).map(|_| condition(b, depth + 1)).collect()),
        3 => Condition::Or((0..b.byte() % 4).map(|_| condition(b, depth + 1)).collect()),
        4 => Condition::Not(Box::new(condition(b, depth + 1))),
        _ => {
            let n = b.byte() % 4;
            let parts: Vec<Part> = (0..n)
                .map(|_| {
                    if b.byte() % 3 == 0 {
                        Part::Operand(operand(b, depth))
                    } else {
                        Part::Condition(condition(b, depth + 1))
                    }
                })
                .collect();
            // Template text never holds `#` or `:` of its own (that would be the
            // user's own placeholder, outside the renderer's invariant).
            let mut template = String::new();
            for i in 0..(n as usize + (b.byte() % 2) as usize) {
                if i > 0 {
                    // Always a separator with spaces: `{0}{1}` would glue `:v0` to the
                    // next part's text, a token the user's own template made.
                    template.push_str(b.pick(&[" AND ", " OR ", " x ", " { "]));
                }
                let r = if b.byte() % 10 == 0 {
                    b.byte() % 6
                } else {
                    i as u8
                };
                template.push_str(&format!("{{{r}}}"));
            }
            Condition::Raw { template, parts }
        }
    }
}

fn contains_value_of(c: &Condition) -> bool {
    fn op(o: &Operand) -> bool {
        matches!(o, Operand::ValueOf(..))
    }
    match c {
        Condition::Op { args, .. } => args.iter().any(op),
        Condition::And(cs) | Condition::Or(cs) => cs.iter().any(contains_value_of),
        Condition::Not(c) => contains_value_of(c),
        Condition::Raw { parts, .. } => parts.iter().any(|p| match p {
            Part::Condition(c) => contains_value_of(c),
            Part::Operand(o) => op(o),
        }),
    }
}

/// The `#name` and `:value` placeholders written in an expression.
pub fn placeholders(expression: &str, sigil: char) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut chars = expression.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != sigil {
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_ascii_alphanumeric() || d == '_' {
                end = j + 1;
                chars.next();
            } else {
                break;
            }
        }
        out.insert(expression[i..end].to_string());
    }
    out
}

/// Renders a condition decoded from the bytes: an error or an expression, never
/// a panic; every name and value placeholder written is registered, and every
/// value registered is written.
pub fn render(data: &[u8]) {
    let mut b = Bytes::new(data);
    let cond = condition(&mut b, 0);
    let mut state = if b.byte() % 2 == 0 {
        ExpressionState::new()
    } else {
        ExpressionState::with_prefix("_u")
    };
    let Ok(expression) = render_condition(&cond, &mut state) else {
        return;
    };
    let names: BTreeSet<String> = state.names().keys().map(|k| k.to_string()).collect();
    let values: BTreeSet<String> = state.values().keys().map(|k| k.to_string()).collect();
    let written_names = placeholders(&expression, '#');
    let written_values = placeholders(&expression, ':');
    assert!(
        written_names.is_subset(&names),
        "unregistered name in {expression:?}: {:?} not in {names:?}",
        written_names.difference(&names).collect::<Vec<_>>()
    );
    assert_eq!(
        written_values, values,
        "value placeholders written and registered differ in {expression:?}"
    );
    // Names registered but not written do occur, by design: ElectroDB evaluates
    // operations eagerly, so `value(path, v)`, nested `name(...)` and surplus
    // operands register their paths' names even where the text omits them, and
    // electro's params must match ElectroDB's.
}
