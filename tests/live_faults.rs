//! `.go()` through a fault-injecting proxy (`tests/support/fault_proxy.rs`) in front
//! of DynamoDB Local: throttling, unprocessed batch items and keys, delays, dropped
//! connections and lost responses. Every test prints its figures (faults injected,
//! retries made, items lost: 0) and checks against DynamoDB itself, read directly,
//! that nothing was lost or duplicated.
//!
//! Two layers retry, separately: the SDK retries throttling and transient errors
//! (configured here with short backoffs and an unlimited retry quota, since a third
//! of all requests fail on purpose), and electro retries unprocessed batch items and
//! keys (`Options::batch_retry`).

#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use electro::entity::{Entity, Options, Pages};
use electro::exec::{
    Client, Operation, RetryPolicy, TableDefinition, live_test_endpoint, unique_table_name,
};
use electro::{Map, Value, item};
use fault_proxy::{FaultConfig, FaultProxy};

const MODEL: &str = r#"{
  "model": {"entity": "reading", "version": "1", "service": "faults"},
  "attributes": {
    "sensor": {"type": "string", "required": true},
    "seq": {"type": "number", "required": true},
    "value": {"type": "number"},
    "note": {"type": "string"}
  },
  "indexes": {
    "bySensor": {"pk": {"field": "pk", "composite": ["sensor"]},
                 "sk": {"field": "sk", "composite": ["seq"]}}
  }
}"#;

const COUNTER: &str = r#"{
  "model": {"entity": "counter", "version": "1", "service": "faults"},
  "attributes": {
    "name": {"type": "string", "required": true},
    "hits": {"type": "number"}
  },
  "indexes": {
    "byName": {"pk": {"field": "pk", "composite": ["name"]},
               "sk": {"field": "sk", "composite": []}}
  }
}"#;

/// A direct client, the entity in a fresh table; `None` to skip.
async fn setup(prefix: &str) -> Option<(String, Client, Entity, Entity)> {
    let endpoint = live_test_endpoint()?;
    let direct = Client::local(&endpoint);
    let table = unique_table_name(prefix);
    let reading = Entity::from_json(MODEL).unwrap().table(&table);
    let counter = Entity::from_json(COUNTER).unwrap().table(&table);
    let def = TableDefinition::from_entities(&[&reading, &counter]).unwrap();
    direct.create_table(&def).await.unwrap();
    Some((endpoint, direct, reading, counter))
}

/// A client through the proxy. The SDK retries throttling and transient errors up
/// to 12 times with short backoffs; its retry quota (a circuit breaker that stops
/// retrying once many requests fail) is unlimited here, since failing is the point.
fn faulty_client(proxy: &FaultProxy, name: &'static str) -> Client {
    Client::local_with_config(&proxy.url, |b| {
        b.retry_config(
            RetryConfig::standard()
                .with_max_attempts(12)
                .with_initial_backoff(Duration::from_millis(2))
                .with_max_backoff(Duration::from_millis(50)),
        )
        .retry_partition(
            RetryPartition::custom(name)
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
    })
}

fn batch_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 12,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(50),
    }
}

fn reading(sensor: &str, seq: usize) -> Map {
    item! {"sensor" => sensor, "seq" => seq as i64, "value" => (seq * 3) as i64, "note" => "n"}
}

/// Every item of the table, read directly (no proxy), as (sensor, seq).
async fn table_contents(direct: &Client, e: &Entity) -> Vec<(String, i64)> {
    let res = e
        .scan()
        .go_with(direct, &Options::default().pages(Pages::All))
        .await
        .unwrap();
    res.data
        .iter()
        .map(|i| {
            (
                i["sensor"].as_str().unwrap().to_string(),
                i["seq"].as_number().unwrap().as_i64().unwrap(),
            )
        })
        .collect()
}

fn exactly_once(found: &[(String, i64)], expected: usize) -> usize {
    let unique: HashSet<&(String, i64)> = found.iter().collect();
    assert_eq!(unique.len(), found.len(), "duplicates read back");
    expected - unique.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_items_batch_written_and_read_through_throttling_and_unprocessed() {
    let Some((endpoint, direct, e, _)) = setup("faults_batch").await else {
        return;
    };
    const N: usize = 10_000;
    let items: Vec<Map> = (0..N)
        .map(|i| reading(&format!("s{}", i % 50), i))
        .collect();

    // Write: 30% of requests throttled, half of every batch reported unprocessed.
    let proxy = FaultProxy::start(
        &endpoint,
        FaultConfig {
            seed: 0x5EED_0001,
            throttle: 0.30,
            unprocessed: 0.5,
            ..FaultConfig::default()
        },
    )
    .await;
    let client = faulty_client(&proxy, "faults-batch-write");
    let t = Instant::now();
    let written = e
        .put_many(items)
        .go_with(
            &client,
            &Options::default().concurrent(8).batch_retry(batch_retry()),
        )
        .await
        .unwrap();
    let write_time = t.elapsed();
    let stats = &proxy.stats;
    let sdk_retries = stats.requests() - u64::from(written.requests);
    let found = table_contents(&direct, &e).await;
    let lost = exactly_once(&found, N);
    println!(
        "batch write {N} items in {write_time:.1?}: faults injected {}, retries made {} \
         (electro {} of unprocessed items, SDK {} of throttled requests), unprocessed left {}, \
         items read back {}, items lost: {lost}",
        stats.faults(),
        u64::from(written.retries) + sdk_retries,
        written.retries,
        sdk_retries,
        written.unprocessed.len(),
        found.len()
    );
    println!("  proxy: {}", stats.summary());
    assert!(written.unprocessed.is_empty());
    assert_eq!(lost, 0);
    assert!(stats.unprocessed.load(std::sync::atomic::Ordering::Relaxed) >= N as u64 / 2);
    assert!(stats.faults() > 0 && written.retries > 0 && sdk_retries > 0);
    drop(proxy);

    // Read back by batch get, again with 30% throttled and half the keys unprocessed.
    let proxy = FaultProxy::start(
        &endpoint,
        FaultConfig {
            seed: 0x5EED_0002,
            throttle: 0.30,
            unprocessed: 0.5,
            ..FaultConfig::default()
        },
    )
    .await;
    let client = faulty_client(&proxy, "faults-batch-get");
    let keys: Vec<Map> = (0..N)
        .map(|i| item! {"sensor" => format!("s{}", i % 50), "seq" => i as i64})
        .collect();
    let t = Instant::now();
    let got = e
        .get_many(keys)
        .go_with(
            &client,
            &Options::default().concurrent(8).batch_retry(batch_retry()),
        )
        .await
        .unwrap();
    let stats = &proxy.stats;
    let sdk_retries = stats.requests() - u64::from(got.requests);
    let found: Vec<(String, i64)> = got
        .data
        .iter()
        .map(|i| {
            (
                i["sensor"].as_str().unwrap().to_string(),
                i["seq"].as_number().unwrap().as_i64().unwrap(),
            )
        })
        .collect();
    let lost = exactly_once(&found, N);
    println!(
        "batch get {N} keys in {:.1?}: faults injected {}, retries made {} (electro {}, SDK {}), \
         unprocessed left {}, items read {}, items lost: {lost}",
        t.elapsed(),
        stats.faults(),
        u64::from(got.retries) + sdk_retries,
        got.retries,
        sdk_retries,
        got.unprocessed.len(),
        found.len()
    );
    println!("  proxy: {}", stats.summary());
    assert!(got.unprocessed.is_empty());
    assert_eq!(lost, 0);
    assert!(got.retries > 0 && sdk_retries > 0);
    for item in &got.data {
        let seq = item["seq"].as_number().unwrap().as_i64().unwrap();
        assert_eq!(
            item["value"],
            Value::from(seq * 3),
            "item read back changed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_page_through_throttling_delays_and_dropped_connections() {
    let Some((endpoint, direct, e, _)) = setup("faults_query").await else {
        return;
    };
    const N: usize = 600;
    let items: Vec<Map> = (0..N).map(|i| reading("hot", i)).collect();
    let w = e.put_many(items).go(&direct).await.unwrap();
    assert!(w.unprocessed.is_empty());

    let proxy = FaultProxy::start(
        &endpoint,
        FaultConfig {
            seed: 0x5EED_0003,
            throttle: 0.30,
            delay: 0.2,
            max_delay: Duration::from_millis(15),
            drop_before: 0.05,
            ..FaultConfig::default()
        },
    )
    .await;
    let client = faulty_client(&proxy, "faults-query");
    let query = || e.query("bySensor", item! {"sensor" => "hot"});

    // Every page at once.
    let all = query()
        .go_with(&client, &Options::default().limit(25).pages(Pages::All))
        .await
        .unwrap();
    // Page by page, following the cursor by hand.
    let mut by_cursor = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut o = Options::default().limit(40);
        if let Some(c) = &cursor {
            o = o.cursor(c.clone());
        }
        let page = query().go_with(&client, &o).await.unwrap();
        pages += 1;
        by_cursor.extend(page.data);
        cursor = page.cursor;
        if cursor.is_none() {
            break;
        }
    }
    let stats = &proxy.stats;
    let logical = u64::from(all.pages) + pages;
    let seqs = |data: &[Map]| -> Vec<(String, i64)> {
        data.iter()
            .map(|i| {
                (
                    "hot".to_string(),
                    i["seq"].as_number().unwrap().as_i64().unwrap(),
                )
            })
            .collect()
    };
    let lost_all = exactly_once(&seqs(&all.data), N);
    let lost_cursor = exactly_once(&seqs(&by_cursor), N);
    println!(
        "query {N} items, {} + {pages} pages: faults injected {}, retries made {} (SDK), \
         items lost: {} (all pages) and {} (by cursor)",
        all.pages,
        stats.faults(),
        stats.requests() - logical,
        lost_all,
        lost_cursor
    );
    println!("  proxy: {}", stats.summary());
    assert_eq!((lost_all, lost_cursor), (0, 0));
    assert!(stats.faults() > 0);
}

fn transaction(e: &Entity, counter: &Entity, i: usize, token: Option<String>) -> Map {
    let put = e.create(reading("tx", i)).params().unwrap().body;
    let bump = counter
        .update(item! {"name" => "tx"})
        .add(item! {"hits" => 1})
        .params()
        .unwrap()
        .body;
    let mut params = Map::default();
    params.insert(
        "TransactItems".into(),
        Value::List(vec![
            Value::Map(item! {"Put" => Value::Map(put)}),
            Value::Map(item! {"Update" => Value::Map(bump)}),
        ]),
    );
    if let Some(t) = token {
        params.insert("ClientRequestToken".into(), Value::from(t));
    }
    params
}

async fn hits(direct: &Client, counter: &Entity) -> i64 {
    counter
        .get(item! {"name" => "tx"})
        .go(direct)
        .await
        .unwrap()
        .and_then(|i| {
            i.get("hits")
                .and_then(Value::as_number)
                .and_then(|n| n.as_i64())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_are_retried_idempotently_with_a_client_request_token() {
    let Some((endpoint, direct, e, counter)) = setup("faults_tx").await else {
        return;
    };
    const N: usize = 60;
    // Throttled (never applied) and lost responses (applied, answer dropped): the
    // SDK retries both; the retry carries the same ClientRequestToken, so DynamoDB
    // answers it from the first execution instead of running it again.
    let proxy = FaultProxy::start(
        &endpoint,
        FaultConfig {
            seed: 0x5EED_0004,
            throttle: 0.25,
            drop_after: 0.25,
            only: vec!["TransactWriteItems"],
            ..FaultConfig::default()
        },
    )
    .await;
    let client = faulty_client(&proxy, "faults-tx");
    let run = std::process::id();
    // When the SDK gives up on a lost response (it does not retry every dropped
    // connection), the caller retries with the *same* params, token included:
    // exactly the pattern that is safe only because of the token.
    let mut caller_retries = 0;
    for i in 0..N {
        let params = transaction(&e, &counter, i, Some(format!("electro-{run}-{i}")));
        let mut tries = 0;
        loop {
            match client.send(Operation::TransactWrite, &params).await {
                Ok(_) => break,
                Err(err) if tries < 5 && err.to_string().contains("dispatch failure") => {
                    tries += 1;
                    caller_retries += 1;
                }
                Err(err) => panic!("transaction {i}: {err}; proxy: {}", proxy.stats.summary()),
            }
        }
    }
    let stats = &proxy.stats;
    let applied = hits(&direct, &counter).await;
    let found: Vec<(String, i64)> = table_contents(&direct, &e).await;
    let lost = exactly_once(&found, N);
    println!(
        "transactions {N} with ClientRequestToken: faults injected {} ({} lost responses), \
         retries made {} (SDK and {caller_retries} by the caller with the same token), \
         counter {applied} (expected {N}), items lost: {lost}",
        stats.faults(),
        stats
            .dropped_after
            .load(std::sync::atomic::Ordering::Relaxed),
        stats.requests() - N as u64,
    );
    println!("  proxy: {}", stats.summary());
    assert!(
        stats
            .dropped_after
            .load(std::sync::atomic::Ordering::Relaxed)
            > 0
    );
    assert_eq!(applied, N as i64, "a retried transaction ran twice");
    assert_eq!(lost, 0);
}
