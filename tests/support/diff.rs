//! A readable diff of two JSON values: one line per differing path.

use serde_json::Value as Json;

/// Lines `  path: expected X, got Y` for every difference.
pub fn diff(expected: &Json, actual: &Json) -> String {
    let mut out = String::new();
    walk("", expected, actual, &mut out);
    if out.is_empty() {
        out.push_str("  (values differ only in number representation)\n");
    }
    out
}

fn walk(path: &str, e: &Json, a: &Json, out: &mut String) {
    match (e, a) {
        (Json::Object(eo), Json::Object(ao)) => {
            for (k, ev) in eo {
                let p = format!("{path}.{k}");
                match ao.get(k) {
                    Some(av) => walk(&p, ev, av, out),
                    None => out.push_str(&format!("  {p}: missing (expected {ev})\n")),
                }
            }
            for (k, av) in ao {
                if !eo.contains_key(k) {
                    out.push_str(&format!("  {path}.{k}: unexpected {av}\n"));
                }
            }
        }
        (Json::Array(ea), Json::Array(aa)) if ea.len() == aa.len() => {
            for (i, (ev, av)) in ea.iter().zip(aa).enumerate() {
                walk(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        (Json::Number(x), Json::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if e == a => {}
        _ => out.push_str(&format!("  {path}: expected {e}, got {a}\n")),
    }
}
