//! electro and electrodb on the same DynamoDB Local table: items electrodb writes
//! read the same through electro, items electro writes read the same through
//! electrodb, and cursors from one resume pages in the other.
//!
//! electrodb runs through `tests/interop/interop.js`, with `electrodb@3.9.3` and
//! the AWS SDK installed by npm into `.cache/interop` (git-ignored) on first use.
//! Skipped, with the reason printed, only when `node` is not available.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use electro::entity::{Entity, Options, Pages};
use electro::exec::{
    Client, TableDefinition, deserialize_cursor, live_test_endpoint, unique_table_name,
};
use electro::{Map, Value, item};
use serde_json::Value as Json;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `.cache/interop/node_modules` with electrodb installed, or `None` (after saying
/// why) when there is no node.
fn node_modules() -> Option<PathBuf> {
    static INSTALL: Mutex<()> = Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if Command::new("node").arg("--version").output().is_err() {
        println!("skipped: node is not available, so electrodb cannot run");
        return None;
    }
    let cache = root().join(".cache/interop");
    let modules = cache.join("node_modules");
    let wanted = std::fs::read_to_string(root().join("tests/interop/package.json")).unwrap();
    let installed = std::fs::read_to_string(cache.join("package.json")).unwrap_or_default();
    if installed != wanted || !modules.join("electrodb/package.json").exists() {
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join("package.json"), &wanted).unwrap();
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&cache)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm install into {cache:?} failed");
    }
    Some(modules)
}

fn node(modules: &Path, endpoint: &str, table: &str, args: &[&str]) -> Json {
    let out = Command::new("node")
        .arg(root().join("tests/interop/interop.js"))
        .args([endpoint, table])
        .args(args)
        .env("NODE_PATH", modules)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "interop.js {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("interop.js prints JSON")
}

/// Comparable JSON: electro's sets (`{"$set": [...]}`) and electrodb's (arrays)
/// both as sorted arrays.
fn normalize(v: Json) -> Json {
    match v {
        Json::Object(mut o) => {
            if o.len() == 1 && o.contains_key("$set") {
                return normalize(o.remove("$set").unwrap());
            }
            let mut o: serde_json::Map<String, Json> =
                o.into_iter().map(|(k, v)| (k, normalize(v))).collect();
            if let Some(Json::Array(labels)) = o.get_mut("labels") {
                labels.sort_by_key(|l| l.to_string());
            }
            Json::Object(o)
        }
        Json::Array(a) => Json::Array(a.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn as_json(items: &[Map]) -> Json {
    normalize(Json::Array(
        items
            .iter()
            .map(|i| Value::Map(i.clone()).to_json())
            .collect(),
    ))
}

#[tokio::test]
async fn electro_and_electrodb_read_each_others_items_and_cursors() {
    let Some(endpoint) = live_test_endpoint() else {
        return;
    };
    let Some(modules) = node_modules() else {
        return;
    };
    let client = Client::local(&endpoint);
    let table = unique_table_name("interop");
    let model = std::fs::read_to_string(root().join("tests/interop/model.json")).unwrap();
    let ticket = Entity::from_json(&model).unwrap().table(&table);
    client
        .create_table(&TableDefinition::from_entities(&[&ticket]).unwrap())
        .await
        .unwrap();

    // electrodb writes; electro reads the same attributes.
    let seeded = normalize(node(&modules, &endpoint, &table, &["seed", "nb", "5"]));
    assert_eq!(seeded.as_array().unwrap().len(), 5);
    let read = ticket
        .query("byBoard", item! {"board" => "nb"})
        .go_with(&client, &Options::default().pages(Pages::All))
        .await
        .unwrap();
    assert_eq!(as_json(&read.data), seeded);
    let one = ticket
        .get(item! {"board" => "nb", "ticketId" => "n003"})
        .go(&client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(as_json(&[one]), Json::Array(vec![seeded[3].clone()]));
    assert!(!read.data[0].contains_key("note"), "hidden stays hidden");

    // electro writes; electrodb reads the same attributes.
    let mine: Vec<Map> = (0..4)
        .map(|i| {
            let mut m = item! {"board" => "rb", "ticketId" => format!("r{i:03}"),
            "title" => format!("from rust {i}"), "points" => i as f64 * 1.25,
            "note" => "hidden"};
            m.insert(
                "labels".into(),
                Value::from_json(&serde_json::json!({"$set": ["rust", format!("l{i}")]})),
            );
            m.insert(
                "meta".into(),
                Value::Map(item! {"owner" => "electro", "size" => i as i64}),
            );
            m.insert(
                "history".into(),
                Value::List(vec![Value::from("created"), Value::from(format!("by-{i}"))]),
            );
            m
        })
        .collect();
    let written = ticket.put_many(mine).go(&client).await.unwrap();
    assert!(written.unprocessed.is_empty());
    let by_electro = ticket
        .query("byBoard", item! {"board" => "rb"})
        .go(&client)
        .await
        .unwrap();
    let by_electrodb = normalize(node(&modules, &endpoint, &table, &["read", "rb"]));
    assert_eq!(by_electrodb.as_array().unwrap().len(), 4);
    assert_eq!(by_electrodb, as_json(&by_electro.data));
    assert_eq!(by_electrodb[1]["labels"], serde_json::json!(["l1", "rust"]));

    // Cursors: electrodb's first page → electro's second → electrodb's third.
    let p1 = node(&modules, &endpoint, &table, &["page", "nb", "2"]);
    let c1 = p1["cursor"].as_str().unwrap().to_string();
    let p2 = ticket
        .query("byBoard", item! {"board" => "nb"})
        .go_with(&client, &Options::default().limit(2).cursor(c1.clone()))
        .await
        .unwrap();
    let ids: Vec<&str> = p2
        .data
        .iter()
        .map(|i| i["ticketId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["n002", "n003"]);
    let c2 = p2.cursor.clone().unwrap();
    let p3 = node(&modules, &endpoint, &table, &["page", "nb", "2", &c2]);
    assert_eq!(p3["data"][0]["ticketId"], "n004");
    // And electro's cursor for the first page is electrodb's key.
    let mine1 = ticket
        .query("byBoard", item! {"board" => "nb"})
        .go_with(&client, &Options::default().limit(2))
        .await
        .unwrap();
    assert_eq!(
        deserialize_cursor(mine1.cursor.as_deref().unwrap()).unwrap(),
        deserialize_cursor(&c1).unwrap()
    );
    println!("interop: 5 items electrodb→electro, 4 electro→electrodb, cursors both ways");
    client.delete_table(&table).await.unwrap();
}
