//! Live tests of `electro::exec` against a real DynamoDB Local.
//!
//! `scripts/test.sh` starts DynamoDB Local and sets `ELECTRO_DYNAMODB_ENDPOINT`;
//! without it these tests print a skip notice and pass, unless
//! `ELECTRO_REQUIRE_DYNAMODB` is set (as test.sh does), where a missing endpoint
//! fails them (see `electro::exec::live_test_endpoint`). Each test creates its own uniquely named table, so they run in
//! parallel and can be rerun against the same server.

use electro::error::AwsErrorKind;
use electro::exec::{
    Client, GsiDefinition, KeyAttributeType, Operation, TableDefinition,
    live_test_endpoint as endpoint, unique_table_name as unique,
};
use electro::{Error, Map, Number, Value};

#[path = "support/hold_back.rs"]
mod hold_back;
use hold_back::HoldBack;

/// A [`Map`] from `key => value` pairs, values through `Value::from`.
macro_rules! map {
    ($($k:expr => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m = Map::default();
        $(m.insert(electro::Name::from($k), Value::from($v));)*
        m
    }};
}

/// A client for the test server, or return from the test when there is none.
macro_rules! client_or_skip {
    () => {
        match endpoint() {
            Some(e) => Client::local(e),
            None => return,
        }
    };
}

/// A fresh `pk`/`sk` table with one GSI (`gsi1pk`/`gsi1sk`).
async fn fresh_table(client: &Client, prefix: &str) -> String {
    let name = unique(prefix);
    let def = TableDefinition::new(&name, "pk")
        .sk("sk")
        .gsi(GsiDefinition::new("gsi1", "gsi1pk").sk("gsi1sk"));
    client.create_table(&def).await.expect("create table");
    name
}

fn num(s: &str) -> Number {
    s.parse().unwrap()
}

fn key(pk: &str, sk: &str) -> Map {
    map! {"pk" => pk, "sk" => sk}
}

fn item_of(res: &Map, field: &str) -> Map {
    match res.get(field) {
        Some(Value::Map(m)) => m.clone(),
        other => panic!("expected {field} to be a map, got {other:?} in {res:?}"),
    }
}

fn items_of(res: &Map, field: &str) -> Vec<Map> {
    match res.get(field) {
        Some(Value::List(l)) => l
            .iter()
            .map(|v| v.as_map().expect("item is a map").clone())
            .collect(),
        other => panic!("expected {field} to be a list, got {other:?}"),
    }
}

fn str_of<'a>(item: &'a Map, field: &str) -> &'a str {
    item.get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{field} is not a string in {item:?}"))
}

fn aws(err: &Error) -> &electro::error::AwsError {
    err.aws()
        .unwrap_or_else(|| panic!("expected a DynamoDB error, got {err}"))
}

#[tokio::test]
async fn create_table_is_idempotent_and_describable() {
    let client = client_or_skip!();
    let name = unique("create");
    let def = TableDefinition::new(&name, "pk")
        .sk("rank")
        .gsi(GsiDefinition::new("by-team", "team").sk("rank"))
        .attribute_type("rank", KeyAttributeType::Number);

    assert!(!client.table_exists(&name).await.unwrap());
    client.create_table(&def).await.unwrap();
    client
        .create_table(&def)
        .await
        .expect("second create is a no-op");
    assert!(client.table_exists(&name).await.unwrap());

    let d = client.describe_table(&name).await.unwrap().unwrap();
    assert_eq!(d.table_name(), Some(name.as_str()));
    let mut attrs: Vec<_> = d
        .attribute_definitions()
        .iter()
        .map(|a| format!("{}:{}", a.attribute_name(), a.attribute_type().as_str()))
        .collect();
    attrs.sort();
    assert_eq!(attrs, ["pk:S", "rank:N", "team:S"]);
    assert_eq!(
        d.global_secondary_indexes()[0].index_name(),
        Some("by-team")
    );

    // The numeric sort key orders numerically, not as text.
    for rank in [10, 9, 100] {
        let item = map! {"pk" => "p", "rank" => rank, "team" => "t"};
        client
            .send(
                Operation::Put,
                &map! {"TableName" => name.as_str(), "Item" => item},
            )
            .await
            .unwrap();
    }
    let res = client
        .send(
            Operation::Query,
            &map! {
                "TableName" => name.as_str(),
                "IndexName" => "by-team",
                "KeyConditionExpression" => "#t = :t",
                "ExpressionAttributeNames" => map! {"#t" => "team"},
                "ExpressionAttributeValues" => map! {":t" => "t"},
            },
        )
        .await
        .unwrap();
    let ranks: Vec<i64> = items_of(&res, "Items")
        .iter()
        .map(|i| i["rank"].as_number().unwrap().as_i64().unwrap())
        .collect();
    assert_eq!(ranks, [9, 10, 100]);

    assert!(client.delete_table(&name).await.unwrap());
    assert!(!client.delete_table(&name).await.unwrap());
    assert!(!client.table_exists(&name).await.unwrap());
}

#[tokio::test]
async fn put_get_update_delete_with_conditions() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "crud").await;
    let t = table.as_str();
    let item = map! {"pk" => "user#1", "sk" => "profile", "name" => "Ada", "visits" => 1};
    let not_exists = map! {
        "TableName" => t,
        "Item" => item.clone(),
        "ConditionExpression" => "attribute_not_exists(#pk)",
        "ExpressionAttributeNames" => map! {"#pk" => "pk"},
        "ReturnValuesOnConditionCheckFailure" => "ALL_OLD",
    };
    let res = client.send(Operation::Put, &not_exists).await.unwrap();
    assert!(res.get("Attributes").is_none());

    // The same conditional put now fails, and DynamoDB hands back the item.
    let err = client.send(Operation::Put, &not_exists).await.unwrap_err();
    assert_eq!(err.code(), 4001);
    let a = aws(&err);
    assert_eq!(a.kind, AwsErrorKind::ConditionalCheckFailed);
    assert_eq!(a.aws_code, "ConditionalCheckFailedException");
    assert!(!a.message.is_empty());
    let returned = a.item.as_ref().expect("ALL_OLD item on failure");
    assert_eq!(str_of(returned, "name"), "Ada");
    assert!(err.to_string().contains("Error thrown by DynamoDB client"));

    let get = map! {"TableName" => t, "Key" => key("user#1", "profile"), "ConsistentRead" => true};
    let got = client.send(Operation::Get, &get).await.unwrap();
    let mut expected = item.clone();
    expected.sort_keys();
    assert_eq!(item_of(&got, "Item"), expected);

    let update = map! {
        "TableName" => t,
        "Key" => key("user#1", "profile"),
        "UpdateExpression" => "SET #name = :name ADD #visits :one",
        "ConditionExpression" => "#visits = :one",
        "ExpressionAttributeNames" => map! {"#name" => "name", "#visits" => "visits"},
        "ExpressionAttributeValues" => map! {":name" => "Grace", ":one" => 1},
        "ReturnValues" => "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure" => "ALL_OLD",
    };
    let res = client.send(Operation::Update, &update).await.unwrap();
    let attrs = item_of(&res, "Attributes");
    assert_eq!(str_of(&attrs, "name"), "Grace");
    assert_eq!(attrs["visits"], Value::from(2));

    // visits is now 2: the same update's condition fails, with the current item.
    let err = client.send(Operation::Update, &update).await.unwrap_err();
    let a = aws(&err);
    assert_eq!(a.kind, AwsErrorKind::ConditionalCheckFailed);
    assert_eq!(a.item.as_ref().unwrap()["visits"], Value::from(2));

    let delete = map! {
        "TableName" => t,
        "Key" => key("user#1", "profile"),
        "ConditionExpression" => "attribute_exists(pk)",
        "ReturnValues" => "ALL_OLD",
    };
    let res = client.send(Operation::Delete, &delete).await.unwrap();
    assert_eq!(str_of(&item_of(&res, "Attributes"), "name"), "Grace");
    let got = client.send(Operation::Get, &get).await.unwrap();
    assert!(got.get("Item").is_none(), "deleted: {got:?}");
    let err = client.send(Operation::Delete, &delete).await.unwrap_err();
    assert_eq!(aws(&err).kind, AwsErrorKind::ConditionalCheckFailed);
    assert!(aws(&err).item.is_none());

    // Mistakes in params are electro errors, found before any request.
    let mut bad = get.clone();
    bad.insert("Keys".into(), Value::Null);
    let err = client.send(Operation::Get, &bad).await.unwrap_err();
    assert_eq!(err.code(), 2013);
    assert!(err.reason().contains("\"Keys\""), "{}", err.reason());
    let err = client
        .send(Operation::Put, &map! {"TableName" => t, "Item" => "nope"})
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013);

    // DynamoDB's own refusals keep their kind.
    let err = client
        .send(
            Operation::Get,
            &map! {"TableName" => "no_such_table", "Key" => key("a", "b")},
        )
        .await
        .unwrap_err();
    assert_eq!(aws(&err).kind, AwsErrorKind::ResourceNotFound);
    let err = client
        .send(
            Operation::Get,
            &map! {"TableName" => t, "Key" => map! {"pk" => "a"}},
        )
        .await
        .unwrap_err();
    assert_eq!(aws(&err).kind, AwsErrorKind::Validation);
    assert_eq!(aws(&err).aws_code, "ValidationException");

    client.delete_table(t).await.unwrap();
}

/// Writes `n` items `item#00..` under one partition, in batches of 25.
async fn seed(client: &Client, table: &str, pk: &str, n: usize) {
    let writes: Vec<Value> = (0..n)
        .map(|i| {
            let item = map! {
                "pk" => pk, "sk" => format!("item#{i:02}"), "n" => i,
                "gsi1pk" => format!("{pk}#{}", if i % 2 == 0 { "even" } else { "odd" }),
                "gsi1sk" => format!("{i:02}"),
            };
            Value::from(map! {"PutRequest" => map! {"Item" => item}})
        })
        .collect();
    for chunk in writes.chunks(25) {
        let params = map! {"RequestItems" => map! {table => chunk.to_vec()}};
        let res = client.send(Operation::BatchWrite, &params).await.unwrap();
        assert_eq!(res["UnprocessedItems"], Value::Map(Map::default()));
    }
}

#[tokio::test]
async fn query_paginates_over_last_evaluated_key() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "query").await;
    let t = table.as_str();
    seed(&client, t, "q", 25).await;
    seed(&client, t, "other", 3).await;

    let mut params = map! {
        "TableName" => t,
        "KeyConditionExpression" => "#pk = :pk AND begins_with(#sk, :prefix)",
        "ExpressionAttributeNames" => map! {"#pk" => "pk", "#sk" => "sk"},
        "ExpressionAttributeValues" => map! {":pk" => "q", ":prefix" => "item#"},
        "Limit" => 10,
    };
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    loop {
        let res = client.send(Operation::Query, &params).await.unwrap();
        let items = items_of(&res, "Items");
        assert_eq!(res["Count"], Value::from(items.len()));
        pages.push(items.len());
        seen.extend(items.iter().map(|i| str_of(i, "sk").to_string()));
        match res.get("LastEvaluatedKey") {
            Some(Value::Map(lek)) => {
                assert_eq!(lek.keys().collect::<Vec<_>>(), ["pk", "sk"]);
                params.insert("ExclusiveStartKey".into(), Value::Map(lek.clone()));
            }
            None => break,
            other => panic!("LastEvaluatedKey: {other:?}"),
        }
        assert!(pages.len() < 10, "pagination does not end");
    }
    assert_eq!(&pages[..3], [10, 10, 5]);
    let expected: Vec<String> = (0..25).map(|i| format!("item#{i:02}")).collect();
    assert_eq!(seen, expected);

    // Backwards, on the GSI, with a filter.
    let res = client
        .send(
            Operation::Query,
            &map! {
                "TableName" => t,
                "IndexName" => "gsi1",
                "KeyConditionExpression" => "#pk = :pk",
                "FilterExpression" => "#n > :min",
                "ExpressionAttributeNames" => map! {"#pk" => "gsi1pk", "#n" => "n"},
                "ExpressionAttributeValues" => map! {":pk" => "q#even", ":min" => 15},
                "ScanIndexForward" => false,
            },
        )
        .await
        .unwrap();
    let ns: Vec<i64> = items_of(&res, "Items")
        .iter()
        .map(|i| i["n"].as_number().unwrap().as_i64().unwrap())
        .collect();
    assert_eq!(ns, [24, 22, 20, 18, 16]);
    assert_eq!(res["Count"], Value::from(5));
    assert_eq!(res["ScannedCount"], Value::from(13));

    // Select COUNT returns counts without items.
    let res = client
        .send(
            Operation::Query,
            &map! {
                "TableName" => t,
                "KeyConditionExpression" => "pk = :pk",
                "ExpressionAttributeValues" => map! {":pk" => "other"},
                "Select" => "COUNT",
                "ReturnConsumedCapacity" => "TOTAL",
            },
        )
        .await
        .unwrap();
    assert_eq!(res["Count"], Value::from(3));
    assert_eq!(items_of(&res, "Items").len(), 0);
    assert!(matches!(res.get("ConsumedCapacity"), Some(Value::Map(_))));

    let err = client
        .send(
            Operation::Query,
            &map! {"TableName" => t, "Select" => "EVERYTHING"},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013);
    client.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn scan_filters_and_counts() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "scan").await;
    let t = table.as_str();
    seed(&client, t, "a", 7).await;
    seed(&client, t, "b", 5).await;
    let res = client
        .send(Operation::Scan, &map! {"TableName" => t})
        .await
        .unwrap();
    assert_eq!(res["Count"], Value::from(12));
    assert_eq!(items_of(&res, "Items").len(), 12);

    let res = client
        .send(
            Operation::Scan,
            &map! {
                "TableName" => t,
                "FilterExpression" => "#n >= :min AND #pk = :pk",
                "ProjectionExpression" => "#pk, #n",
                "ExpressionAttributeNames" => map! {"#n" => "n", "#pk" => "pk"},
                "ExpressionAttributeValues" => map! {":min" => 3, ":pk" => "b"},
                "ConsistentRead" => true,
            },
        )
        .await
        .unwrap();
    assert_eq!(res["Count"], Value::from(2));
    assert_eq!(res["ScannedCount"], Value::from(12));
    let mut ns: Vec<i64> = items_of(&res, "Items")
        .iter()
        .map(|i| {
            assert_eq!(i.keys().collect::<Vec<_>>(), ["n", "pk"], "projected");
            i["n"].as_number().unwrap().as_i64().unwrap()
        })
        .collect();
    ns.sort();
    assert_eq!(ns, [3, 4]);
    client.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn batch_write_and_get() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "batch").await;
    let t = table.as_str();
    seed(&client, t, "b", 30).await;

    let deletes: Vec<Value> = (0..5)
        .map(|i| {
            Value::from(map! {"DeleteRequest" => map! {"Key" => key("b", &format!("item#{i:02}"))}})
        })
        .collect();
    let res = client
        .send(
            Operation::BatchWrite,
            &map! {"RequestItems" => map! {t => deletes}, "ReturnConsumedCapacity" => "TOTAL"},
        )
        .await
        .unwrap();
    assert_eq!(res["UnprocessedItems"], Value::Map(Map::default()));
    assert!(matches!(res.get("ConsumedCapacity"), Some(Value::List(l)) if !l.is_empty()));

    let keys: Vec<Value> = [3, 4, 5, 6, 29]
        .iter()
        .map(|i| Value::from(key("b", &format!("item#{i:02}"))))
        .collect();
    let res = client
        .send(
            Operation::BatchGet,
            &map! {"RequestItems" => map! {t => map! {
                "Keys" => keys,
                "ProjectionExpression" => "#sk, #n",
                "ExpressionAttributeNames" => map! {"#sk" => "sk", "#n" => "n"},
                "ConsistentRead" => true,
            }}},
        )
        .await
        .unwrap();
    let responses = item_of(&res, "Responses");
    let mut got: Vec<(String, i64)> = match &responses[t] {
        Value::List(items) => items
            .iter()
            .map(|i| {
                let i = i.as_map().unwrap();
                assert_eq!(i.len(), 2, "projected: {i:?}");
                (
                    str_of(i, "sk").to_string(),
                    i["n"].as_number().unwrap().as_i64().unwrap(),
                )
            })
            .collect(),
        other => panic!("{other:?}"),
    };
    got.sort();
    assert_eq!(
        got,
        [
            ("item#05".to_string(), 5),
            ("item#06".to_string(), 6),
            ("item#29".to_string(), 29)
        ]
    );
    assert_eq!(res["UnprocessedKeys"], Value::Map(Map::default()));

    let err = client
        .send(
            Operation::BatchWrite,
            &map! {"RequestItems" => map! {t => vec![Value::from(map! {"Put" => map! {}})]}},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013);
    assert!(
        err.reason().contains("PutRequest or DeleteRequest"),
        "{}",
        err.reason()
    );
    client.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn batch_write_reports_unprocessed_items_through_an_interceptor() {
    let Some(endpoint) = endpoint() else { return };
    let plain = Client::local(&endpoint);
    let table = fresh_table(&plain, "unprocessed").await;
    let t = table.as_str();
    // The last write of the first batch write only.
    let hold_back = HoldBack::new(1, 1);
    let shared = hold_back.interceptor();
    let client = Client::local_with_config(&endpoint, move |b| b.interceptor(shared));

    let puts: Vec<Value> = ["a", "b", "c"]
        .iter()
        .map(|sk| {
            Value::from(
                map! {"PutRequest" => map! {"Item" => map! {"pk" => "u", "sk" => *sk, "v" => 1}}},
            )
        })
        .collect();
    let res = client
        .send(
            Operation::BatchWrite,
            &map! {"RequestItems" => map! {t => puts}},
        )
        .await
        .unwrap();
    let unprocessed = item_of(&res, "UnprocessedItems");
    let held = match &unprocessed[t] {
        Value::List(l) => l.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(held.len(), 1);
    let held_item = item_of(&item_of(held[0].as_map().unwrap(), "PutRequest"), "Item");
    assert_eq!(str_of(&held_item, "sk"), "c");

    let get_c = map! {"TableName" => t, "Key" => key("u", "c")};
    assert!(
        client
            .send(Operation::Get, &get_c)
            .await
            .unwrap()
            .get("Item")
            .is_none()
    );

    // Resending UnprocessedItems as RequestItems, as ElectroDB does, completes it.
    let res = client
        .send(Operation::BatchWrite, &map! {"RequestItems" => unprocessed})
        .await
        .unwrap();
    assert_eq!(res["UnprocessedItems"], Value::Map(Map::default()));
    let got = client.send(Operation::Get, &get_c).await.unwrap();
    assert_eq!(item_of(&got, "Item"), held_item);
    assert_eq!(hold_back.total_held(), 1);
    plain.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn transact_write_canceled_by_a_condition_reports_each_action() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "transact").await;
    let t = table.as_str();
    client
        .send(
            Operation::Put,
            &map! {"TableName" => t, "Item" => map! {"pk" => "acct", "sk" => "1", "balance" => 5}},
        )
        .await
        .unwrap();

    let put_new = map! {"Put" => map! {
        "TableName" => t,
        "Item" => map! {"pk" => "acct", "sk" => "2", "balance" => 0},
        "ConditionExpression" => "attribute_not_exists(pk)",
    }};
    let check = map! {"ConditionCheck" => map! {
        "TableName" => t,
        "Key" => key("acct", "1"),
        "ConditionExpression" => "#b >= :amount",
        "ExpressionAttributeNames" => map! {"#b" => "balance"},
        "ExpressionAttributeValues" => map! {":amount" => 10},
        "ReturnValuesOnConditionCheckFailure" => "ALL_OLD",
    }};
    let update = map! {"Update" => map! {
        "TableName" => t,
        "Key" => key("acct", "3"),
        "UpdateExpression" => "SET #b = :b",
        "ExpressionAttributeNames" => map! {"#b" => "balance"},
        "ExpressionAttributeValues" => map! {":b" => 1},
    }};
    let params = map! {
        "TransactItems" => vec![Value::from(put_new.clone()), Value::from(check), Value::from(update.clone())],
        // At most 36 characters; unique so reruns are not taken as retries.
        "ClientRequestToken" => format!("{:x}", std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()),
    };
    let err = client
        .send(Operation::TransactWrite, &params)
        .await
        .unwrap_err();
    let a = aws(&err);
    assert_eq!(a.kind, AwsErrorKind::TransactionCanceled, "{a:?}");
    assert_eq!(a.aws_code, "TransactionCanceledException");
    let codes: Vec<_> = a
        .cancellation_reasons
        .iter()
        .map(|r| r.code.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(codes, ["None", "ConditionalCheckFailed", "None"]);
    let old = a.cancellation_reasons[1]
        .item
        .as_ref()
        .expect("ALL_OLD item");
    assert_eq!(old["balance"], Value::from(5));
    assert!(a.cancellation_reasons[0].item.is_none());

    // Nothing was written.
    let get = |sk: &str| map! {"Get" => map! {"TableName" => t, "Key" => key("acct", sk)}};
    let res = client
        .send(
            Operation::TransactGet,
            &map! {"TransactItems" => vec![Value::from(get("1")), Value::from(get("2")), Value::from(get("3"))]},
        )
        .await
        .unwrap();
    let responses = items_of(&res, "Responses");
    assert_eq!(responses.len(), 3);
    assert_eq!(item_of(&responses[0], "Item")["balance"], Value::from(5));
    assert!(
        responses[1].is_empty() && responses[2].is_empty(),
        "{responses:?}"
    );

    // Without the failing check it commits.
    let delete = map! {"Delete" => map! {"TableName" => t, "Key" => key("acct", "1")}};
    client
        .send(
            Operation::TransactWrite,
            &map! {"TransactItems" => vec![Value::from(put_new), Value::from(update), Value::from(delete)]},
        )
        .await
        .unwrap();
    let res = client
        .send(
            Operation::TransactGet,
            &map! {"TransactItems" => vec![
                Value::from(get("1")),
                Value::from(get("2")),
                Value::from(map! {"Get" => map! {
                    "TableName" => t,
                    "Key" => key("acct", "3"),
                    "ProjectionExpression" => "#b",
                    "ExpressionAttributeNames" => map! {"#b" => "balance"},
                }}),
            ]},
        )
        .await
        .unwrap();
    let responses = items_of(&res, "Responses");
    assert!(responses[0].is_empty());
    assert_eq!(str_of(&item_of(&responses[1], "Item"), "sk"), "2");
    assert_eq!(item_of(&responses[2], "Item"), map! {"balance" => 1});

    let err = client
        .send(
            Operation::TransactWrite,
            &map! {"TransactItems" => vec![Value::from(map! {"Upsert" => map! {}})]},
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), 2013);
    client.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn numbers_keep_all_38_digits() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "numbers").await;
    let t = table.as_str();
    let texts = [
        "12345678901234567890123456789012345678",
        "-99999999999999999999999999999999999999",
        "0.12345678901234567890123456789012345678",
        "-1234567890123456789.0123456789012345678",
        "9007199254740993",
        "0.1",
    ];
    let mut item = map! {"pk" => "n", "sk" => "n"};
    for (i, text) in texts.iter().enumerate() {
        item.insert(format!("n{i}").into(), Value::Number(num(text)));
    }
    item.insert(
        "set".into(),
        Value::NumberSet(texts.iter().map(|t| num(t)).collect()),
    );
    item.insert(
        "nested".into(),
        Value::from(vec![Value::from(
            map! {"deep" => Value::Number(num(texts[0]))},
        )]),
    );
    client
        .send(Operation::Put, &map! {"TableName" => t, "Item" => item})
        .await
        .unwrap();
    let got = item_of(
        &client
            .send(
                Operation::Get,
                &map! {"TableName" => t, "Key" => key("n", "n")},
            )
            .await
            .unwrap(),
        "Item",
    );
    for (i, text) in texts.iter().enumerate() {
        assert_eq!(
            got[format!("n{i}").as_str()]
                .as_number()
                .unwrap()
                .to_js_string(),
            *text
        );
    }
    let mut set: Vec<String> = match &got["set"] {
        Value::NumberSet(s) => s.iter().map(Number::to_js_string).collect(),
        other => panic!("{other:?}"),
    };
    set.sort();
    let mut expected: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(set, expected);
    let deep = &got["nested"].as_list().unwrap()[0].as_map().unwrap()["deep"];
    assert_eq!(deep.as_number().unwrap().to_js_string(), texts[0]);

    // Floats go out as JavaScript writes them, exponents included, and come back equal.
    let floats = [1e21, 1.5e-7, -2.5e100, 0.30000000000000004];
    let item = map! {"pk" => "f", "sk" => "f", "fs" => floats.iter().map(|f| Value::from(*f)).collect::<Vec<_>>()};
    client
        .send(Operation::Put, &map! {"TableName" => t, "Item" => item})
        .await
        .unwrap();
    let got_f = item_of(
        &client
            .send(
                Operation::Get,
                &map! {"TableName" => t, "Key" => key("f", "f")},
            )
            .await
            .unwrap(),
        "Item",
    );
    let back: Vec<f64> = got_f["fs"]
        .as_list()
        .unwrap()
        .iter()
        .map(|v| v.as_number().unwrap().as_f64())
        .collect();
    assert_eq!(back, floats);

    // Arithmetic in DynamoDB on a 38-digit number stays exact.
    let res = client
        .send(
            Operation::Update,
            &map! {
                "TableName" => t,
                "Key" => key("n", "n"),
                "UpdateExpression" => "SET n0 = n0 + :one",
                "ExpressionAttributeValues" => map! {":one" => 1},
                "ReturnValues" => "UPDATED_NEW",
            },
        )
        .await
        .unwrap();
    assert_eq!(
        item_of(&res, "Attributes")["n0"]
            .as_number()
            .unwrap()
            .to_js_string(),
        "12345678901234567890123456789012345679"
    );
    client.delete_table(t).await.unwrap();
}

#[tokio::test]
async fn sets_binary_and_nested_values_round_trip() {
    let client = client_or_skip!();
    let table = fresh_table(&client, "types").await;
    let t = table.as_str();
    let bytes: Vec<u8> = (0..=255).collect();
    let item = map! {
        "pk" => "types",
        "sk" => "1",
        "bin" => Value::Binary(bytes.clone()),
        "ss" => Value::StringSet(vec!["b".into(), "a".into(), "ü".into()]),
        "ns" => Value::NumberSet(vec![num("3"), num("1.5"), num("-2")]),
        "bs" => Value::BinarySet(vec![vec![0], vec![1, 2], vec![255]]),
        "bool" => false,
        "null" => Value::Null,
        "empty" => "",
        "list" => vec![Value::from(1), Value::from("two"), Value::Binary(vec![3]), Value::Null, Value::from(Vec::<Value>::new())],
        "map" => map! {"inner" => map! {"ss" => Value::StringSet(vec!["x".into()])}, "empty" => Map::default()},
    };
    client
        .send(
            Operation::Put,
            &map! {"TableName" => t, "Item" => item.clone()},
        )
        .await
        .unwrap();
    let mut got = item_of(
        &client
            .send(
                Operation::Get,
                &map! {"TableName" => t, "Key" => key("types", "1")},
            )
            .await
            .unwrap(),
        "Item",
    );
    // Sets have no order in DynamoDB; compare them sorted.
    for v in got.values_mut() {
        match v {
            Value::StringSet(s) => s.sort(),
            Value::NumberSet(s) => s.sort_by(|a, b| a.partial_cmp(b).unwrap()),
            Value::BinarySet(s) => s.sort(),
            _ => {}
        }
    }
    let mut expected = item;
    expected.sort_keys();
    expected["ss"] = Value::StringSet(vec!["a".into(), "b".into(), "ü".into()]);
    expected["ns"] = Value::NumberSet(vec![num("-2"), num("1.5"), num("3")]);
    assert_eq!(got, expected);
    assert_eq!(got["bin"], Value::Binary(bytes));

    // Sets work in expressions too: ADD to a string set, DELETE from a number set.
    let res = client
        .send(
            Operation::Update,
            &map! {
                "TableName" => t,
                "Key" => key("types", "1"),
                "UpdateExpression" => "ADD ss :more DELETE ns :gone",
                "ExpressionAttributeValues" => map! {
                    ":more" => Value::StringSet(vec!["c".into()]),
                    ":gone" => Value::NumberSet(vec![num("1.5")]),
                },
                "ReturnValues" => "UPDATED_NEW",
            },
        )
        .await
        .unwrap();
    let attrs = item_of(&res, "Attributes");
    let mut ss = match &attrs["ss"] {
        Value::StringSet(s) => s.clone(),
        other => panic!("{other:?}"),
    };
    ss.sort();
    assert_eq!(ss, ["a", "b", "c", "ü"]);
    let mut ns = match &attrs["ns"] {
        Value::NumberSet(s) => s.iter().map(|n| n.as_i64().unwrap()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    ns.sort();
    assert_eq!(ns, [-2, 3]);
    client.delete_table(t).await.unwrap();
}
