//! What electro's execution path costs on top of the raw SDK, against DynamoDB Local.
//!
//! ```sh
//! eval "$(scripts/dynamodb-local.sh start | sed 's/^/export ELECTRO_DYNAMODB_ENDPOINT=/')"
//! cargo bench --bench exec                 # about 1 s per comparison
//! cargo bench --bench exec -- 2            # seconds per comparison
//! ```
//!
//! Skips (with a message, exit 0) when `ELECTRO_DYNAMODB_ENDPOINT` is unset.
//!
//! 1. get, put and query of one mallstore entity: electro's `.go()` (params, the
//!    request, and formatting the result) against the same request written by hand
//!    with `aws-sdk-dynamodb`, alternating one call of each in one process, so both
//!    see the same server and machine. Prints each side's median latency and the
//!    median of the per-pair ratios electro / raw.
//! 2. a batch write of 10,000 items through `put_many(..).go()` at `concurrent` 1, 4
//!    and 8, in items/s.
//!
//! Results are JSON lines on stdout; progress on stderr.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use electro::entity::{Entity, Options};
use electro::exec::{Client, GsiDefinition, TableDefinition, unique_table_name};
use electro::schema::named_functions::NamedFunctions;
use electro::{Map, Value, item};

const MALLSTORE: &str = include_str!("models/mallstore.json");

/// The three single-item requests compared.
#[derive(Clone, Copy, Debug)]
enum Call {
    Get,
    Put,
    Query,
}

impl Call {
    fn name(self) -> &'static str {
        match self {
            Call::Get => "get",
            Call::Put => "put",
            Call::Query => "query",
        }
    }
}

fn store() -> Map {
    item! {
        "cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys",
        "buildingId" => "BuildingA1", "unitId" => "B47", "category" => "food/coffee",
        "leaseEndDate" => "2020-03-22", "rent" => "4500.00",
    }
}

/// electro's side: `.go()`, i.e. params, the request and formatting the result.
async fn electro_call(mall: &Entity, client: &Client, call: Call) -> usize {
    match call {
        Call::Get => mall
            .get(item! {"cityId" => "Atlanta1", "mallId" => "EastPointe",
            "storeId" => "LatteLarrys", "buildingId" => "BuildingA1"})
            .go(client)
            .await
            .expect("get")
            .map_or(0, |i| i.len()),
        Call::Put => mall.put(store()).go(client).await.expect("put").len(),
        Call::Query => mall
            .query("leases", item! {"storeId" => "LatteLarrys"})
            .between(
                item! {"leaseEndDate" => "2020-01-01"},
                item! {"leaseEndDate" => "2020-07-01"},
            )
            .where_(|a, op| op.eq(&a.get("discount"), "0.00"))
            .go(client)
            .await
            .expect("query")
            .data
            .len(),
    }
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// The raw SDK's side: the same request as electro's params, written by hand the way
/// a user of the SDK would (keys formatted per call).
async fn raw_call(sdk: &aws_sdk_dynamodb::Client, table: &str, call: Call) -> usize {
    let (city, mall, store, building) = ("Atlanta1", "EastPointe", "LatteLarrys", "BuildingA1");
    let pk = format!(
        "$mallstoredirectory#cityid_{}#mallid_{}",
        city.to_lowercase(),
        mall.to_lowercase()
    );
    let sk = format!(
        "$mallstore_1#buildingid_{}#storeid_{}",
        building.to_lowercase(),
        store.to_lowercase()
    );
    match call {
        Call::Get => {
            let out = sdk
                .get_item()
                .table_name(table)
                .key("pk", s(pk))
                .key("sk", s(sk))
                .send()
                .await
                .expect("raw get");
            out.item().map_or(0, HashMap::len)
        }
        Call::Put => {
            let mut item = HashMap::new();
            for (k, v) in [
                ("cityId", city),
                ("mallId", mall),
                ("storeId", store),
                ("buildingId", building),
                ("unitId", "B47"),
                ("category", "food/coffee"),
                ("leaseEndDate", "2020-03-22"),
                ("rent", "4500.00"),
                ("discount", "0.00"),
                ("__edb_e__", "MallStore"),
                ("__edb_v__", "1"),
            ] {
                item.insert(k.to_string(), s(v));
            }
            item.insert("pk".into(), s(pk));
            item.insert("sk".into(), s(sk));
            item.insert(
                "gis1pk".into(),
                s(format!(
                    "$mallstoredirectory#mallid_{}",
                    mall.to_lowercase()
                )),
            );
            item.insert(
                "gsi1sk".into(),
                s(format!(
                    "$mallstore_1#buildingid_{}#unitid_b47",
                    building.to_lowercase()
                )),
            );
            item.insert(
                "gis2pk".into(),
                s(format!(
                    "$mallstoredirectory#storeid_{}",
                    store.to_lowercase()
                )),
            );
            item.insert("gsi2sk".into(), s("$mallstore_1#leaseenddate_2020-03-22"));
            sdk.put_item()
                .table_name(table)
                .set_item(Some(item))
                .send()
                .await
                .expect("raw put");
            0
        }
        Call::Query => {
            let out = sdk
                .query()
                .table_name(table)
                .index_name("gis2pk-gsi2sk-index")
                .key_condition_expression("#pk = :pk and #sk1 BETWEEN :sk1 AND :sk2")
                .filter_expression("#discount = :discount0")
                .expression_attribute_names("#pk", "gis2pk")
                .expression_attribute_names("#sk1", "gsi2sk")
                .expression_attribute_names("#discount", "discount")
                .expression_attribute_values(
                    ":pk",
                    s(format!(
                        "$mallstoredirectory#storeid_{}",
                        store.to_lowercase()
                    )),
                )
                .expression_attribute_values(":sk1", s("$mallstore_1#leaseenddate_2020-01-01"))
                .expression_attribute_values(":sk2", s("$mallstore_1#leaseenddate_2020-07-01"))
                .expression_attribute_values(":discount0", s("0.00"))
                .send()
                .await
                .expect("raw query");
            out.items().len()
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

async fn time_electro(mall: &Entity, client: &Client, call: Call) -> f64 {
    let t = Instant::now();
    std::hint::black_box(electro_call(mall, client, call).await);
    t.elapsed().as_nanos() as f64
}

async fn time_raw(client: &Client, table: &str, call: Call) -> f64 {
    let t = Instant::now();
    std::hint::black_box(raw_call(client.sdk(), table, call).await);
    t.elapsed().as_nanos() as f64
}

/// Alternates electro and raw calls (which goes first alternates too) for about
/// `seconds`, after a warm-up.
async fn compare(mall: &Entity, client: &Client, table: &str, call: Call, seconds: f64) {
    for _ in 0..50 {
        electro_call(mall, client, call).await;
        raw_call(client.sdk(), table, call).await;
    }
    let (mut ours, mut raw, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut i = 0u64;
    while start.elapsed() < budget {
        let (a, b) = if i % 2 == 0 {
            let a = time_electro(mall, client, call).await;
            (a, time_raw(client, table, call).await)
        } else {
            let b = time_raw(client, table, call).await;
            (time_electro(mall, client, call).await, b)
        };
        ours.push(a);
        raw.push(b);
        ratios.push(a / b);
        i += 1;
    }
    println!(
        "{{\"exec\": \"{}\", \"pairs\": {}, \"electro_median_us\": {:.1}, \"raw_sdk_median_us\": {:.1}, \"median_overhead_ratio\": {:.3}}}",
        call.name(),
        i,
        median(&mut ours) / 1e3,
        median(&mut raw) / 1e3,
        median(&mut ratios)
    );
}

/// 10,000 puts through `put_many(..).go()`: chunks of 25, `concurrency` requests in
/// flight, unprocessed items retried by electro.
async fn batch_write(mall: &Entity, client: &Client, concurrency: u32, run: usize) {
    const ITEMS: usize = 10_000;
    let items: Vec<Map> = (0..ITEMS)
        .map(|i| {
            let mut m = store();
            m.insert("storeId".into(), Value::from(format!("r{run}s{i}")));
            m.insert("unitId".into(), Value::from(format!("u{i}")));
            m
        })
        .collect();
    let start = Instant::now();
    let result = mall
        .put_many(items)
        .go_with(client, &Options::default().concurrent(concurrency))
        .await
        .expect("batch write");
    assert!(result.unprocessed.is_empty(), "items left unprocessed");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"exec\": \"batch_write_10000\", \"how\": \"put_many(..).go()\", \"concurrency\": {concurrency}, \"requests\": {}, \"seconds\": {secs:.3}, \"items_per_sec\": {}}}",
        result.requests,
        (ITEMS as f64 / secs).round()
    );
}

fn main() {
    let Some(endpoint) = std::env::var("ELECTRO_DYNAMODB_ENDPOINT")
        .ok()
        .filter(|e| !e.trim().is_empty())
    else {
        eprintln!(
            "exec: skipped: ELECTRO_DYNAMODB_ENDPOINT not set \
             (start one with scripts/dynamodb-local.sh start)"
        );
        return;
    };
    let seconds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<f64>().ok())
        .unwrap_or(1.0);
    if cfg!(debug_assertions) {
        eprintln!("exec: warning: debug build; use `cargo bench` (release) for figures");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = Client::local(endpoint.trim());
        let table = unique_table_name("bench");
        let model: serde_json::Value = serde_json::from_str(MALLSTORE).expect("mallstore model");
        let mall = Entity::from_json_value(&model, &NamedFunctions)
            .expect("mallstore")
            .table(&table);
        let def = TableDefinition::new(&table, "pk")
            .sk("sk")
            .gsi(GsiDefinition::new("gis1pk-gsi1sk-index", "gis1pk").sk("gsi1sk"))
            .gsi(GsiDefinition::new("gis2pk-gsi2sk-index", "gis2pk").sk("gsi2sk"));
        client.create_table(&def).await.expect("create table");
        eprintln!("exec: table {table}");
        // Something to get and query.
        electro_call(&mall, &client, Call::Put).await;
        for call in [Call::Get, Call::Put, Call::Query] {
            eprintln!("exec: {} electro vs raw SDK", call.name());
            compare(&mall, &client, &table, call, seconds).await;
        }
        for (run, concurrency) in [1, 4, 8].into_iter().enumerate() {
            eprintln!("exec: batch write, concurrency {concurrency}");
            batch_write(&mall, &client, concurrency, run).await;
        }
        client.delete_table(&table).await.expect("delete table");
    });
}
