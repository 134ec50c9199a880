//! Hostile and out-of-range input is refused before any request: tampered,
//! truncated, oversized and foreign cursors; NaN and infinite numbers; items over
//! 400 KB; transactions over 100 actions; empty key strings; empty and duplicate
//! sets. And what the key format does and does not guarantee against values that
//! contain the key delimiters (`#`, `_`, `$`) or other entities' prefixes.
//!
//! The refusals run against a client whose endpoint nothing listens on: an error
//! with electro's code (2008, 2013, 3001) shows the request was refused locally,
//! while an AWS error (4001) would mean it was sent.

use base64::Engine;
use electro::entity::{Entity, Options, Pager};
use electro::exec::{Client, Operation, deserialize_cursor, serialize_cursor};
use electro::{Map, Value, item};

fn model(entity: &str) -> String {
    format!(
        r#"{{
      "model": {{"entity": "{entity}", "version": "1", "service": "shared"}},
      "attributes": {{
        "sensor": {{"type": "string", "required": true}},
        "seq": {{"type": "string", "required": true}},
        "value": {{"type": "number"}},
        "note": {{"type": "string"}},
        "tags": {{"type": "set", "items": "string"}}
      }},
      "indexes": {{
        "bySensor": {{"pk": {{"field": "pk", "composite": ["sensor"]}},
                     "sk": {{"field": "sk", "composite": ["seq"]}}}},
        "bySeq": {{"index": "gsi1", "pk": {{"field": "gsi1pk", "composite": ["seq"]}},
                  "sk": {{"field": "gsi1sk", "composite": ["sensor"]}}}}
      }}
    }}"#
    )
}

fn entity(name: &str) -> Entity {
    Entity::from_json(&model(name)).unwrap().table("t")
}

/// Nothing listens on port 9 (discard): anything sent fails with an AWS error.
fn dead_client() -> Client {
    Client::local_with_config("http://127.0.0.1:9", |b| {
        b.retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
    })
}

/// The keys `e` writes for (sensor, seq): a cursor as DynamoDB would return it.
fn keys_of(e: &Entity, sensor: &str, seq: &str) -> Map {
    let put = e
        .put(item! {"sensor" => sensor, "seq" => seq})
        .params()
        .unwrap();
    let item = put.body["Item"].as_map().unwrap().clone();
    ["pk", "sk", "gsi1pk", "gsi1sk"]
        .iter()
        .filter_map(|f| item.get(*f).map(|v| (electro::Name::from(*f), v.clone())))
        .collect()
}

fn trim(key: &Map, fields: &[&str]) -> Map {
    key.iter()
        .filter(|(k, _)| fields.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

async fn query_with_cursor(e: &Entity, sensor: &str, cursor: &str) -> electro::Error {
    e.query("bySensor", item! {"sensor" => sensor})
        .go_with(&dead_client(), &Options::default().cursor(cursor))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn cursors_that_are_not_this_querys_are_refused_before_any_request() {
    let a = entity("reading");
    let b = entity("alarm");
    let table_keys = ["pk", "sk"];
    let own = serialize_cursor(&trim(&keys_of(&a, "s1", "0005"), &table_keys));

    // A genuine cursor passes the checks: the request is then sent (and fails, as
    // nothing listens).
    let err = query_with_cursor(&a, "s1", &own).await;
    assert_eq!(err.code(), 4001, "a genuine cursor was refused: {err}");

    let mut refused = Vec::new();
    let mut case = |name: &str, err: electro::Error| {
        assert_eq!(err.code(), 2008, "{name}: {err}");
        println!("refused {name}: {}", err.reason());
        refused.push(name.to_string());
    };
    // Tampered: one character changed.
    let mut tampered = own.clone().into_bytes();
    tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    case("tampered", query_with_cursor(&a, "s1", &tampered).await);
    // Tampered into well-formed JSON with another partition key.
    let mut key = deserialize_cursor(&own).unwrap();
    key.insert("pk".into(), Value::from("$shared#sensor_s2"));
    case(
        "re-encoded with another pk",
        query_with_cursor(&a, "s1", &serialize_cursor(&key)).await,
    );
    // Truncated.
    case(
        "truncated",
        query_with_cursor(&a, "s1", &own[..own.len() - 7]).await,
    );
    // Oversized.
    let huge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        r#"{{"pk":"$shared#sensor_s1","sk":"{}"}}"#,
        "x".repeat(20_000)
    ));
    case("oversized", query_with_cursor(&a, "s1", &huge).await);
    // Another partition of the same entity.
    let other_partition = serialize_cursor(&trim(&keys_of(&a, "s2", "0005"), &table_keys));
    case(
        "another partition's cursor",
        query_with_cursor(&a, "s1", &other_partition).await,
    );
    // Another entity's keys in the same partition (same service and pk composite,
    // so the same pk value; its sort key is outside this query's begins_with).
    let foreign = serialize_cursor(&trim(&keys_of(&b, "s1", "0005"), &table_keys));
    case(
        "another entity's cursor",
        query_with_cursor(&a, "s1", &foreign).await,
    );
    // Shape: missing the sort key, a non-string key, not an object.
    let mut no_sk = deserialize_cursor(&own).unwrap();
    no_sk.shift_remove("sk");
    case(
        "missing sort key",
        query_with_cursor(&a, "s1", &serialize_cursor(&no_sk)).await,
    );
    let mut numeric = deserialize_cursor(&own).unwrap();
    numeric.insert("sk".into(), Value::from(5));
    case(
        "number where the key is a string",
        query_with_cursor(&a, "s1", &serialize_cursor(&numeric)).await,
    );
    let list = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("[1,2]");
    case("not an object", query_with_cursor(&a, "s1", &list).await);
    // A table-index cursor on a GSI query lacks the GSI's keys.
    let err = a
        .query("bySeq", item! {"seq" => "0005"})
        .go_with(&dead_client(), &Options::default().cursor(own.clone()))
        .await
        .unwrap_err();
    case("table cursor on a GSI query", err);
    // The raw pager's JSON cursor gets the same checks.
    let raw = Value::Map(trim(&keys_of(&a, "s2", "0005"), &table_keys))
        .to_json()
        .to_string();
    let err = a
        .query("bySensor", item! {"sensor" => "s1"})
        .go_with(
            &dead_client(),
            &Options::default().pager(Pager::Raw).cursor(raw),
        )
        .await
        .unwrap_err();
    case("raw pager, another partition", err);
    // A GSI cursor of this query passes.
    let gsi = serialize_cursor(&keys_of(&a, "s1", "0005"));
    let err = a
        .query("bySeq", item! {"seq" => "0005"})
        .go_with(&dead_client(), &Options::default().cursor(gsi))
        .await
        .unwrap_err();
    assert_eq!(err.code(), 4001, "a genuine GSI cursor was refused: {err}");
    println!("cursor cases refused: {}", refused.len());
}

#[tokio::test]
async fn out_of_range_input_is_refused_before_any_request() {
    let a = entity("reading");
    let client = dead_client();

    // NaN and infinities: Value::from keeps them as non-finite numbers...
    assert!(matches!(Value::from(f64::NAN), Value::Number(ref n) if !n.is_finite()));
    assert_eq!(Value::from(f64::INFINITY).to_js_string(), "Infinity");
    // ...that schema validation refuses, naming the attribute,
    let err = a
        .put(item! {"sensor" => "s", "seq" => "1", "value" => f64::NAN})
        .params()
        .unwrap_err();
    assert!(err.reason().contains("NaN is not a finite number"), "{err}");
    let err = a
        .update(item! {"sensor" => "s", "seq" => "1"})
        .set(item! {"value" => f64::NEG_INFINITY})
        .params()
        .unwrap_err();
    assert!(err.reason().contains("-Infinity"), "{err}");
    // ...and that the pre-send check refuses wherever else they appear.
    let mut params = Map::default();
    params.insert("TableName".into(), "t".into());
    params.insert(
        "Item".into(),
        Value::Map(
            item! {"pk" => "a", "sk" => "b", "v" => Value::List(vec![f64::INFINITY.into()])},
        ),
    );
    let err = client.send(Operation::Put, &params).await.unwrap_err();
    assert_eq!(err.code(), 2013, "{err}");
    assert!(
        err.reason().contains("PutItem.Item.v[0] is Infinity"),
        "{err}"
    );

    // Items over 400 KB.
    let err = a
        .put(item! {"sensor" => "s", "seq" => "1", "note" => "x".repeat(410 * 1024)})
        .go(&client)
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013, "{err}");
    assert!(err.reason().contains("400 KB"), "{err}");
    // Just under passes the check (and is sent).
    let err = a
        .put(item! {"sensor" => "s", "seq" => "1", "note" => "x".repeat(399 * 1024)})
        .go(&client)
        .await
        .unwrap_err();
    assert_eq!(err.code(), 4001, "{err}");

    // More than 100 transaction actions (electro has no transaction builder yet;
    // the limit is enforced on TransactWriteItems/TransactGetItems params).
    let put = a
        .put(item! {"sensor" => "s", "seq" => "1"})
        .params()
        .unwrap()
        .body;
    let actions: Vec<Value> = (0..101)
        .map(|_| Value::Map(item! {"Put" => Value::Map(put.clone())}))
        .collect();
    let mut tx = Map::default();
    tx.insert("TransactItems".into(), Value::List(actions));
    let err = client
        .send(Operation::TransactWrite, &tx)
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013, "{err}");
    assert!(err.reason().contains("at most 100"), "{err}");

    // Empty strings in keys.
    let mut get = Map::default();
    get.insert("TableName".into(), "t".into());
    get.insert("Key".into(), Value::Map(item! {"pk" => "", "sk" => "x"}));
    let err = client.send(Operation::Get, &get).await.unwrap_err();
    assert_eq!(err.code(), 2013, "{err}");
    assert!(err.reason().contains("Key.pk is an empty string"), "{err}");
    let templated = Entity::from_json(
        r#"{"model": {"entity": "raw", "version": "1", "service": "s"},
            "attributes": {"id": {"type": "string", "required": true}},
            "indexes": {"main": {"pk": {"field": "pk", "composite": ["id"], "template": "${id}"},
                                 "sk": {"field": "sk", "composite": []}}}}"#,
    )
    .unwrap()
    .table("t");
    let err = templated
        .get(item! {"id" => ""})
        .go(&client)
        .await
        .unwrap_err();
    assert!(matches!(err.code(), 2013 | 2002 | 3001), "{err}");

    // Sets: no members, or duplicate members, are refused (not deduplicated).
    let mut put = Map::default();
    put.insert("TableName".into(), "t".into());
    put.insert(
        "Item".into(),
        Value::Map(item! {"pk" => "a", "sk" => "b", "tags" => Value::StringSet(vec![])}),
    );
    let err = client.send(Operation::Put, &put).await.unwrap_err();
    assert!(err.reason().contains("empty set"), "{err}");
    put.insert(
        "Item".into(),
        Value::Map(
            item! {"pk" => "a", "sk" => "b", "tags" => Value::StringSet(vec!["x".into(), "x".into()])},
        ),
    );
    let err = client.send(Operation::Put, &put).await.unwrap_err();
    assert!(err.reason().contains("duplicate members"), "{err}");

    // Unknown attributes: ElectroDB drops them from the params, silently losing
    // the caller's data; electro refuses them, naming each (3001).
    let err = a
        .update(item! {"sensor" => "s", "seq" => "1"})
        .set(item! {"bogus" => 1})
        .params()
        .unwrap_err();
    assert_eq!(err.code(), 3001);
    assert_eq!(err.fields()[0].field, "bogus");
}

#[test]
fn key_format_guarantees_and_limits() {
    // Entities in one service share the partition key format, but every sort key
    // starts with "$<entity>_<version>", so no composite value of one entity can
    // produce another entity's full primary key, whatever delimiters it holds.
    let a = entity("reading");
    let b = entity("alarm");
    let hostile = [
        "x",
        "x#seq_1",
        "$alarm_1#seq_1",
        "$shared#sensor_s1",
        "_",
        "#",
        "$",
        "a_1#b",
    ];
    let mut keys_a = std::collections::HashSet::new();
    for s in hostile {
        for q in hostile {
            let k = trim(&keys_of(&a, s, q), &["pk", "sk"]);
            assert!(k["sk"].as_str().unwrap().starts_with("$reading_1#seq_"));
            keys_a.insert(Value::Map(k).to_json().to_string());
        }
    }
    for s in hostile {
        for q in hostile {
            let k = trim(&keys_of(&b, s, q), &["pk", "sk"]);
            assert!(
                !keys_a.contains(&Value::Map(k).to_json().to_string()),
                "alarm ({s}, {q}) collides with a reading"
            );
        }
    }
    // What the format does NOT guarantee (ElectroDB's format, kept for
    // compatibility): within one entity, composite values holding the delimiters
    // can make two different composites write the same key.
    let two = Entity::from_json(
        r#"{"model": {"entity": "pair", "version": "1", "service": "s"},
            "attributes": {"a": {"type": "string"}, "b": {"type": "string"}},
            "indexes": {"main": {"pk": {"field": "pk", "composite": ["a", "b"]},
                                 "sk": {"field": "sk", "composite": []}}}}"#,
    )
    .unwrap()
    .table("t");
    let k1 = two
        .get(item! {"a" => "1#b_2", "b" => "3"})
        .params()
        .unwrap();
    let k2 = two
        .get(item! {"a" => "1", "b" => "2#b_3"})
        .params()
        .unwrap();
    assert_eq!(
        k1.body["Key"], k2.body["Key"],
        "documented: delimiter-bearing values can alias within one entity"
    );
}
