//! Params conformance against the reference implementation (electrodb@3.9.3).
//!
//! Runs every case of `tests/conformance/cases/*.json` (or of the corpus named by
//! `ELECTRO_CONFORMANCE_DIR`) through electro's public API and compares the params
//! with the reference's, as canonical JSON. Prints each failure with a diff and ends
//! with `conformance: N passed, N failed`. Fails on any failure not listed in
//! `tests/conformance/known-failures.txt`, and on any listed case that passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use electro::conversion::{Conversions, Strict};
use electro::entity::{Entity, Options};
use electro::schema::named_functions::NamedFunctions;
use electro::service::Service;
use electro::transaction::{TransactGet, TransactItem, TransactOptions, TransactWrite};
use electro::{Error, Map, Value};
use serde_json::Value as Json;

#[path = "support/cases.rs"]
mod cases;
#[path = "support/diff.rs"]
mod diff;

use cases::{WhereFn, arg, call_update_op, to_map, to_strings, where_callback, where_chain};

fn main() {
    let custom_dir = std::env::var("ELECTRO_CONFORMANCE_DIR").ok();
    let dir = custom_dir
        .as_ref()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance"));
    let known = if custom_dir.is_some() {
        BTreeMap::new()
    } else {
        load_known_failures(&dir.join("known-failures.txt"))
    };
    let filter = std::env::args().nth(1).filter(|a| !a.starts_with('-'));

    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();

    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unexpected: Vec<String> = Vec::new();
    let mut now_passing: Vec<String> = Vec::new();
    for file in files {
        let doc: Json =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("read case file"))
                .expect("case file is JSON");
        for case in doc["cases"].as_array().into_iter().flatten() {
            let id = case["id"].as_str().unwrap_or("?").to_string();
            if filter.as_ref().is_some_and(|f| !id.contains(f.as_str())) {
                continue;
            }
            let outcome = std::panic::catch_unwind(|| run_case(&dir, case));
            let result = match outcome {
                Ok(r) => r,
                Err(p) => Err(format!(
                    "PANIC: {}",
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                )),
            };
            let ok = match &result {
                Ok(actual) => compare(actual, &case["expected"]),
                Err(_) => false,
            };
            if ok {
                passed += 1;
                if known.contains_key(&id) {
                    now_passing.push(id);
                }
            } else {
                failed += 1;
                if !known.contains_key(&id) {
                    unexpected.push(id.clone());
                    println!("FAIL {id}");
                    match &result {
                        Ok(actual) => print!("{}", diff::diff(&case["expected"], actual)),
                        Err(e) => println!("  error: {e}\n  expected: {}", case["expected"]),
                    }
                }
            }
        }
    }
    for id in &now_passing {
        println!("NOW PASSING (remove from known-failures.txt): {id}");
    }
    println!("conformance: {passed} passed, {failed} failed");
    if !unexpected.is_empty() || !now_passing.is_empty() {
        std::process::exit(1);
    }
}

fn load_known_failures(path: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (id, reason) = l.split_once(char::is_whitespace)?;
            Some((id.to_string(), reason.trim().to_string()))
        })
        .collect()
}

/// Numbers compare by value (10 == 10.0); objects as maps; arrays in order.
fn compare(actual: &Json, expected: &Json) -> bool {
    if let Some(err) = expected.get("$error") {
        let Some(actual_err) = actual.get("$error") else {
            return false;
        };
        return err["code"].is_null() || err["code"] == actual_err["code"];
    }
    json_eq(actual, expected)
}

fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn error_json(e: &Error) -> Json {
    serde_json::json!({"$error": {"code": e.code(), "message": e.to_string()}})
}

fn load_entity(dir: &Path, name: &str, table: &str) -> Result<Entity, Error> {
    let text = std::fs::read_to_string(dir.join("models").join(format!("{name}.json")))
        .map_err(|e| Error::new(electro::ErrorCode::InvalidModel, e.to_string()))?;
    let json: Json = serde_json::from_str(&text)
        .map_err(|e| Error::new(electro::ErrorCode::InvalidModel, e.to_string()))?;
    Ok(Entity::from_json_value(&json, &NamedFunctions)?.table(table))
}

fn run_case(dir: &Path, case: &Json) -> Result<Json, String> {
    let table = case["table"].as_str().unwrap_or("electro");
    let op = &case["op"];
    if let Some(members) = case.get("service") {
        return match run_service_case(dir, case, members, table) {
            Ok(j) => Ok(j),
            Err(Failure::Electro(e)) => Ok(error_json(&e)),
            Err(Failure::Harness(s)) => Err(s),
        };
    }
    let entity_name = case["entity"].as_str().ok_or("case without entity")?;
    let entity = match load_entity(dir, entity_name, table) {
        Ok(e) => e,
        Err(e) => return Ok(error_json(&e)),
    };
    let options = match Options::from_json(&op["options"]) {
        Ok(o) => o,
        Err(e) => return Ok(error_json(&e)),
    };
    match run_op(&entity, op, &options) {
        Ok(j) => Ok(j),
        Err(Failure::Electro(e)) => Ok(error_json(&e)),
        Err(Failure::Harness(s)) => Err(s),
    }
}

enum Failure {
    Electro(Error),
    Harness(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Electro(e)
    }
}

fn run_op(entity: &Entity, op: &Json, options: &Options) -> Result<Json, Failure> {
    let method = op["method"].as_str().unwrap_or_default();
    let chain = op["chain"].as_array().cloned().unwrap_or_default();
    let first = arg(op, 0);
    let batch_of =
        |v: &Json| -> Option<Vec<Map>> { v.as_array().map(|a| a.iter().map(to_map).collect()) };
    let json_of_batch =
        |ps: Vec<electro::entity::Params>| Json::Array(ps.iter().map(|p| p.to_json()).collect());
    Ok(match method {
        "get" => match batch_of(first) {
            Some(keys) => json_of_batch(entity.get_many(keys).params_with(options)?),
            None => apply_where_chain(entity.get(to_map(first)), &chain, |b, f| b.where_(f))?
                .params_with(options)?
                .to_json(),
        },
        "delete" => match batch_of(first) {
            Some(keys) => json_of_batch(entity.delete_many(keys).params_with(options)?),
            None => apply_where_chain(entity.delete(to_map(first)), &chain, |b, f| b.where_(f))?
                .params_with(options)?
                .to_json(),
        },
        "remove" => apply_where_chain(entity.remove(to_map(first)), &chain, |b, f| b.where_(f))?
            .params_with(options)?
            .to_json(),
        "put" => match batch_of(first) {
            Some(items) => json_of_batch(entity.put_many(items).params_with(options)?),
            None => apply_where_chain(entity.put(to_map(first)), &chain, |b, f| b.where_(f))?
                .params_with(options)?
                .to_json(),
        },
        "create" => apply_where_chain(entity.create(to_map(first)), &chain, |b, f| b.where_(f))?
            .params_with(options)?
            .to_json(),
        "update" | "patch" => {
            let mut b = if method == "update" {
                entity.update(to_map(first))
            } else {
                entity.patch(to_map(first))
            };
            for step in &chain {
                b = update_step(b, step)?;
            }
            b.params_with(options)?.to_json()
        }
        "upsert" => {
            let mut b = entity.upsert(to_map(first));
            for step in &chain {
                let name = step[0].as_str().unwrap_or_default();
                let data = to_map(&step[1]);
                b = match name {
                    "set" => b.set(data),
                    "add" => b.add(data),
                    "subtract" => b.subtract(data),
                    "append" => b.append(data),
                    "ifNotExists" => b.if_not_exists(data),
                    "where" | "filter" => b.where_(where_callback(&step[1])),
                    other => {
                        return Err(Failure::Harness(format!("no upsert chain method {other}")));
                    }
                };
            }
            b.params_with(options)?.to_json()
        }
        "query" | "find" | "match" => {
            let mut q = match method {
                "query" => entity.query(op["index"].as_str().unwrap_or_default(), to_map(first)),
                "find" => entity.find(to_map(first)),
                _ => entity.match_(to_map(first)),
            };
            for step in &chain {
                let name = step[0].as_str().unwrap_or_default();
                q = match name {
                    "between" => q.between(to_map(&step[1]), to_map(&step[2])),
                    "begins" => q.begins(to_map(&step[1])),
                    "gt" => q.gt(to_map(&step[1])),
                    "gte" => q.gte(to_map(&step[1])),
                    "lt" => q.lt(to_map(&step[1])),
                    "lte" => q.lte(to_map(&step[1])),
                    "where" | "filter" => q.where_(where_callback(&step[1])),
                    other => {
                        return Err(Failure::Harness(format!("no query chain method {other}")));
                    }
                };
            }
            q.params_with(options)?.to_json()
        }
        "scan" => {
            let s = match op["index"].as_str() {
                Some(ap) => entity.scan_index(ap),
                None => entity.scan(),
            };
            apply_where_chain(s, &chain, |b, f| b.where_(f))?
                .params_with(options)?
                .to_json()
        }
        "conversion" => run_conversion(entity, op)?,
        other => {
            return Err(Failure::Harness(format!(
                "operation {other} not supported by the harness yet"
            )));
        }
    })
}

/// A case on a service: entities joined under their aliases, then an entity
/// operation, a collection query or a transaction.
fn run_service_case(dir: &Path, case: &Json, members: &Json, table: &str) -> Result<Json, Failure> {
    let mut entities = Vec::new();
    for (alias, model) in members.as_object().into_iter().flatten() {
        let name = model
            .as_str()
            .ok_or_else(|| Failure::Harness("model name".into()))?;
        entities.push((alias.clone(), load_entity(dir, name, table)?));
    }
    let service = Service::from_entities(entities).table(table).build()?;
    let op = &case["op"];
    let chain = op["chain"].as_array().cloned().unwrap_or_default();
    if let Some(name) = op["collection"].as_str() {
        let options = Options::from_json(&op["options"])?;
        let mut q = service.collection(name, to_map(arg(op, 0)));
        for step in &chain {
            q = match step[0].as_str().unwrap_or_default() {
                "between" => q.between(to_map(&step[1]), to_map(&step[2])),
                "begins" => q.begins(to_map(&step[1])),
                "gt" => q.gt(to_map(&step[1])),
                "gte" => q.gte(to_map(&step[1])),
                "lt" => q.lt(to_map(&step[1])),
                "lte" => q.lte(to_map(&step[1])),
                "where" | "filter" => q.where_(where_callback(&step[1])),
                other => {
                    return Err(Failure::Harness(format!(
                        "no collection chain method {other}"
                    )));
                }
            };
        }
        return Ok(q.params_with(&options)?.to_json());
    }
    if let Some(kind) = op["transaction"].as_str() {
        let mut items = Vec::new();
        for item in op["items"].as_array().into_iter().flatten() {
            let entity = service.entity(item["entity"].as_str().unwrap_or_default())?;
            items.push(commit_item(entity, item)?);
        }
        let options = TransactOptions::from_json(&op["options"]);
        let params = match kind {
            "write" => TransactWrite::new().items(items).params_with(&options)?,
            "get" => TransactGet::new().items(items).params_with(&options)?,
            other => return Err(Failure::Harness(format!("no transaction {other}"))),
        };
        return Ok(params.to_json());
    }
    let alias = op["entity"]
        .as_str()
        .or(case["entity"].as_str())
        .unwrap_or_default();
    let entity = service.entity(alias)?;
    let options = Options::from_json(&op["options"])?;
    run_op(entity, op, &options)
}

/// One transaction item: the operation with its chain, committed with its options.
fn commit_item(entity: &Entity, item: &Json) -> Result<TransactItem, Failure> {
    let method = item["method"].as_str().unwrap_or_default();
    let chain = item["chain"].as_array().cloned().unwrap_or_default();
    let first = to_map(arg(item, 0));
    let commit = Options::from_json(&item["commit"])?;
    Ok(match method {
        "get" => {
            apply_where_chain(entity.get(first), &chain, |b, f| b.where_(f))?.commit_with(&commit)
        }
        "check" => {
            apply_where_chain(entity.check(first), &chain, |b, f| b.where_(f))?.commit_with(&commit)
        }
        "put" => {
            apply_where_chain(entity.put(first), &chain, |b, f| b.where_(f))?.commit_with(&commit)
        }
        "create" => apply_where_chain(entity.create(first), &chain, |b, f| b.where_(f))?
            .commit_with(&commit),
        "delete" => apply_where_chain(entity.delete(first), &chain, |b, f| b.where_(f))?
            .commit_with(&commit),
        "remove" => apply_where_chain(entity.remove(first), &chain, |b, f| b.where_(f))?
            .commit_with(&commit),
        "update" | "patch" => {
            let mut b = if method == "update" {
                entity.update(first)
            } else {
                entity.patch(first)
            };
            for step in &chain {
                b = update_step(b, step)?;
            }
            b.commit_with(&commit)
        }
        "upsert" => {
            let mut b = entity.upsert(first);
            for step in &chain {
                let data = to_map(&step[1]);
                b = match step[0].as_str().unwrap_or_default() {
                    "set" => b.set(data),
                    "add" => b.add(data),
                    "subtract" => b.subtract(data),
                    "append" => b.append(data),
                    "ifNotExists" => b.if_not_exists(data),
                    "where" | "filter" => b.where_(where_callback(&step[1])),
                    other => {
                        return Err(Failure::Harness(format!("no upsert chain method {other}")));
                    }
                };
            }
            b.commit_with(&commit)
        }
        other => return Err(Failure::Harness(format!("no transaction method {other}"))),
    })
}

/// `createConversions(entity)` followed along `op.path`.
fn run_conversion(entity: &Entity, op: &Json) -> Result<Json, Failure> {
    let path: Vec<&str> = op["path"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    let input = arg(op, 0);
    let strict = match arg(op, 1)["strict"].as_str() {
        Some("all") => Strict::All,
        Some("pk") => Strict::Pk,
        _ => Strict::None,
    };
    let conversions = Conversions::new(entity);
    let cursor = || input.as_str().unwrap_or_default().to_string();
    let map = |m: Map| Value::Map(m).to_json();
    let (ap, from, to) = match path.as_slice() {
        ["byAccessPattern", ap, from, to] => (Some(*ap), *from, *to),
        [from, to] => (None, *from, *to),
        _ => return Err(Failure::Harness(format!("no conversion {path:?}"))),
    };
    Ok(match ap {
        None => match (from, to) {
            ("fromComposite", "toKeys") => {
                map(conversions.composite_to_keys(&to_map(input), strict)?)
            }
            ("fromComposite", "toCursor") => {
                Json::String(conversions.composite_to_cursor(&to_map(input))?)
            }
            ("fromKeys", "toCursor") => Json::String(conversions.keys_to_cursor(&to_map(input))?),
            ("fromKeys", "toComposite") => map(conversions.keys_to_composite(&to_map(input))?),
            ("fromCursor", "toKeys") => map(conversions.cursor_to_keys(&cursor())?),
            ("fromCursor", "toComposite") => map(conversions.cursor_to_composite(&cursor())?),
            _ => return Err(Failure::Harness(format!("no conversion {path:?}"))),
        },
        Some(ap) => {
            let c = conversions.by_access_pattern(ap)?;
            match (from, to) {
                ("fromComposite", "toKeys") => map(c.composite_to_keys(&to_map(input), strict)?),
                ("fromComposite", "toCursor") => {
                    Json::String(c.composite_to_cursor(&to_map(input))?)
                }
                ("fromKeys", "toCursor") => Json::String(c.keys_to_cursor(&to_map(input))?),
                ("fromKeys", "toComposite") => map(c.keys_to_composite(&to_map(input))?),
                ("fromCursor", "toKeys") => map(c.cursor_to_keys(&cursor())?),
                ("fromCursor", "toComposite") => map(c.cursor_to_composite(&cursor())?),
                _ => return Err(Failure::Harness(format!("no conversion {path:?}"))),
            }
        }
    })
}

fn apply_where_chain<B>(
    b: B,
    chain: &[Json],
    apply: impl Fn(B, WhereFn) -> B,
) -> Result<B, Failure> {
    where_chain(b, chain, apply).map_err(Failure::Harness)
}

fn update_step(
    b: electro::entity::Update,
    step: &Json,
) -> Result<electro::entity::Update, Failure> {
    let name = step[0].as_str().unwrap_or_default();
    Ok(match name {
        "set" => b.set(to_map(&step[1])),
        "add" => b.add(to_map(&step[1])),
        "subtract" => b.subtract(to_map(&step[1])),
        "append" => b.append(to_map(&step[1])),
        "delete" => b.delete(to_map(&step[1])),
        "ifNotExists" => b.if_not_exists(to_map(&step[1])),
        "composite" => b.composite(to_map(&step[1])),
        "remove" => b.remove(to_strings(&step[1])),
        "where" | "filter" => b.where_(where_callback(&step[1])),
        "data" => {
            let ops = step[1].as_array().cloned().unwrap_or_default();
            b.data(move |a, op| {
                for o in &ops {
                    call_update_op(a, op, o);
                }
            })
        }
        other => return Err(Failure::Harness(format!("no update chain method {other}"))),
    })
}
