//! Derived entities against the loader: for each conformance model a struct can
//! express, the derive's JSON model equals the model file (functions compared by
//! position only), and the params of that model's cases are the loader's and the
//! reference's.

// Clippy reads repeated field names in `#[electro(index(...))]` as duplicated attributes.
#![allow(clippy::duplicated_attributes)]

use std::collections::BTreeSet;
use std::path::Path;

use electro::entity::Entity;
use electro::schema::named_functions::NamedFunctions;
use electro::{EntityType, Enum, Map, Value};
use serde_json::Value as Json;

fn now_millis(_: Option<&Value>, _: &Map) -> Option<Value> {
    Some(Value::from(1630977029015i64))
}

#[derive(Enum, Clone, Copy, Debug, PartialEq)]
#[electro(rename_all = "kebab-case")]
enum Status {
    Open,
    InProgress,
    Closed,
}

#[derive(electro::Map, Clone, Debug, PartialEq)]
struct Comment {
    user: Option<String>,
    body: Option<String>,
}

#[derive(electro::Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "taskapp",
    entity = "tasks",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "record",
    pk(field = "pk", composite(team)),
    sk(field = "sk", composite(project, task))
))]
#[electro(index(
    access = "assignments",
    index = "gsi1pk-gsi1sk-index",
    collection = "assignments",
    pk(field = "gsi1pk", composite(project)),
    sk(field = "gsi1sk", composite(status))
))]
struct TeamTask {
    team: String,
    task: String,
    project: String,
    #[electro(default = "open")]
    status: Option<Status>,
    points: Option<f64>,
    comments: Option<Vec<Comment>>,
    #[electro(read_only, watch = "*", set = now_millis)]
    updated_at: Option<i64>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq)]
enum Category {
    #[electro(rename = "spite store")]
    Spite,
    #[electro(rename = "food/coffee")]
    Coffee,
    #[electro(rename = "food/meal")]
    Meal,
    #[electro(rename = "clothing")]
    Clothing,
    #[electro(rename = "electronics")]
    Electronics,
    #[electro(rename = "department")]
    Department,
    #[electro(rename = "misc")]
    Misc,
}

#[derive(electro::Map, Clone, Debug, PartialEq)]
struct Agreement {
    r#type: Option<String>,
    detail: Option<String>,
}

#[derive(electro::Map, Clone, Debug, PartialEq)]
#[electro(rename_all = "camelCase")]
struct MapAttribute {
    map_property: Option<String>,
    count: Option<f64>,
}

#[derive(electro::Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "MallStoreDirectory",
    entity = "MallStore",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "stores",
    pk(field = "pk", composite(city_id, mall_id)),
    sk(field = "sk", composite(building_id, store_id))
))]
#[electro(index(
    access = "units",
    index = "gis1pk-gsi1sk-index",
    pk(field = "gis1pk", composite(mall_id)),
    sk(field = "gsi1sk", composite(building_id, unit_id))
))]
#[electro(index(
    access = "leases",
    index = "gis2pk-gsi2sk-index",
    pk(field = "gis2pk", composite(store_id)),
    sk(field = "gsi2sk", composite(lease_end_date))
))]
struct MallStore {
    city_id: String,
    mall_id: String,
    store_id: String,
    building_id: String,
    unit_id: String,
    category: Category,
    lease_end_date: String,
    #[electro(validate = r"^(\d+\.\d{2})$")]
    rent: String,
    #[electro(default = "0.00", validate = r"^(\d+\.\d{2})$")]
    discount: Option<String>,
    deposit: Option<f64>,
    tenant: Option<BTreeSet<String>>,
    lease_holders: Option<BTreeSet<String>>,
    tags: Option<BTreeSet<String>>,
    contact: Option<BTreeSet<String>>,
    pet_fee: Option<f64>,
    total_fees: Option<f64>,
    rental_agreement: Option<Vec<Agreement>>,
    map_attribute: Option<MapAttribute>,
    anything: Option<Value>,
}

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance"))
}

fn model_file(name: &str) -> Json {
    let text = std::fs::read_to_string(dir().join(format!("models/{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Functions (`{"fn": ..}`) compare by position; `required: false` is the default.
fn normalize(j: &Json) -> Json {
    match j {
        Json::Object(m) if m.contains_key("fn") => Json::String("<fn>".into()),
        Json::Object(m) => Json::Object(
            m.iter()
                .filter(|(k, v)| !(k.as_str() == "required" && **v == Json::Bool(false)))
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(normalize).collect()),
        other => other.clone(),
    }
}

fn to_map(v: &Json) -> Map {
    match Value::from_json(v) {
        Value::Map(m) => m,
        _ => Map::new(),
    }
}

/// Runs a case's single-item operation (no chain, no options) on an entity.
fn run(entity: &Entity, case: &Json) -> Option<Json> {
    let op = &case["op"];
    if op
        .get("chain")
        .is_some_and(|c| c.as_array().is_some_and(|c| !c.is_empty()))
        || op.get("options").is_some_and(|o| !o.is_null())
    {
        return None;
    }
    let arg = op["args"].get(0)?;
    if !arg.is_object() {
        return None;
    }
    let m = to_map(arg);
    let res = match op["method"].as_str()? {
        "get" => entity.get(m).params(),
        "delete" => entity.delete(m).params(),
        "remove" => entity.remove(m).params(),
        "put" => entity.put(m).params(),
        "create" => entity.create(m).params(),
        _ => return None,
    };
    Some(match res {
        Ok(p) => p.to_json(),
        Err(e) => serde_json::json!({"$error": {"code": e.code()}}),
    })
}

fn check<E: EntityType>(model: &str) -> usize {
    let file = model_file(model);
    assert_eq!(
        normalize(E::json_model()),
        normalize(&file),
        "derived model of {model} differs from the model file"
    );
    let loaded = Entity::from_json_value(&file, &NamedFunctions).unwrap();
    let mut compared = 0;
    for f in std::fs::read_dir(dir().join("cases")).unwrap() {
        let doc: Json =
            serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
        for case in doc["cases"].as_array().into_iter().flatten() {
            if case["entity"] != model || case.get("service").is_some() {
                continue;
            }
            let table = case["table"].as_str().unwrap_or("electro");
            let derived = E::base_entity().clone().table(table);
            let Some(ours) = run(&derived, case) else {
                continue;
            };
            let theirs = run(&loaded.clone().table(table), case).unwrap();
            assert_eq!(
                ours, theirs,
                "{}: derived params differ from the loader's",
                case["id"]
            );
            if case["expected"].get("$error").is_none() {
                assert_eq!(
                    ours, case["expected"],
                    "{}: differs from the reference",
                    case["id"]
                );
            }
            compared += 1;
        }
    }
    compared
}

#[test]
fn teamtasks() {
    let n = check::<TeamTask>("teamtasks");
    assert!(n >= 1, "{n} cases");
}

#[test]
fn mallstore() {
    let n = check::<MallStore>("mallstore");
    assert!(n >= 5, "{n} cases");
}
