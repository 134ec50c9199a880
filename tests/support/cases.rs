//! What conformance cases describe in place of ElectroDB's callbacks, made into
//! electro callbacks: `where` specs (`{"template", "ops"}`) and `data` operations.
//! Shared by the loader's and the derive's conformance tests.

use electro::entity::{AttrRef, Attributes, UpdateOps, WhereOps};
use electro::{Map, Value};
use serde_json::Value as Json;

/// A `where` callback built from a case.
pub type WhereFn =
    Box<dyn for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a WhereOps<'s, 'b, 'm>) -> String>;

/// A case's JSON object as a [`Map`] (anything else: empty).
pub fn to_map(v: &Json) -> Map {
    match Value::from_json(v) {
        Value::Map(m) => m,
        _ => Map::default(),
    }
}

/// A case's JSON array of strings (e.g. `remove`'s paths); other members are skipped.
pub fn to_strings(v: &Json) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The operation's `i`-th argument (`null` when absent).
pub fn arg(op: &Json, i: usize) -> &Json {
    op["args"].get(i).unwrap_or(&Json::Null)
}

/// The attribute at a case's path (`"a.b[0].c"`).
pub fn attr_at<'m>(a: &Attributes<'m>, path: &Json) -> AttrRef<'m> {
    a.path(path.as_str().unwrap_or_default())
}

/// An operation's arguments after its path: `{"$name": path}` calls `name`,
/// `{"$value": [path, v]}` calls `value`, anything else is a value.
fn operands<'m>(
    a: &Attributes<'m>,
    op: &Json,
    name: impl Fn(&AttrRef<'m>) -> String,
    value: impl Fn(&AttrRef<'m>, Value) -> String,
) -> Vec<Value> {
    let rest = op
        .as_array()
        .map(|v| v.get(2..).unwrap_or_default())
        .unwrap_or_default();
    rest.iter()
        .map(|x| {
            if let Some(p) = x.get("$name") {
                Value::from(name(&attr_at(a, p)))
            } else if let Some(pv) = x.get("$value") {
                Value::from(value(&attr_at(a, &pv[0]), Value::from_json(&pv[1])))
            } else {
                Value::from_json(x)
            }
        })
        .collect()
}

/// `template.replace(/\{(\d+)\}/g, (_, i) => parts[i])`, as the oracle does.
fn fill_template(template: &str, parts: &[String]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if end > 0 && after[..end].bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = after[..end].parse().unwrap_or(0);
                out.push_str(parts.get(i).map(String::as_str).unwrap_or("undefined"));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `where` callback a case describes: each op applied in order, then joined
/// with `" AND "` or substituted into the template.
pub fn where_callback(spec: &Json) -> WhereFn {
    let spec = spec.clone();
    Box::new(move |a, op| {
        let mut parts = Vec::new();
        for o in spec["ops"].as_array().into_iter().flatten() {
            let name = o[0].as_str().unwrap_or_default();
            let args = operands(a, o, |r| op.name(r), |r, v| op.value(r, v));
            parts.push(if o[1].is_null() {
                match name {
                    "escape" => op.escape(args.into_iter().next().unwrap_or_default()),
                    "field" => op.field(args.first().and_then(|v| v.as_str()).unwrap_or_default()),
                    other => op.apply(other, &a.get(""), args),
                }
            } else {
                op.apply(name, &attr_at(a, &o[1]), args)
            });
        }
        match spec["template"].as_str() {
            None => parts.join(" AND "),
            Some(t) => fill_template(t, &parts),
        }
    })
}

/// Applies a chain of `where`/`filter` steps; `Err` names the first other step.
pub fn where_chain<B>(
    mut b: B,
    chain: &[Json],
    apply: impl Fn(B, WhereFn) -> B,
) -> Result<B, String> {
    for step in chain {
        match step[0].as_str() {
            Some("where") | Some("filter") => b = apply(b, where_callback(&step[1])),
            other => return Err(format!("unsupported chain step {other:?}")),
        }
    }
    Ok(b)
}

/// One operation of a case's `data` callback.
pub fn call_update_op<'m>(a: &Attributes<'m>, op: &UpdateOps<'_, '_, 'm>, o: &Json) {
    let args = operands(a, o, |r| op.name(r), |r, v| op.value(r, v));
    op.apply(o[0].as_str().unwrap_or_default(), &attr_at(a, &o[1]), args);
}
