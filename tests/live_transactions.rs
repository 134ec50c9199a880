//! Transactions against DynamoDB Local: writes that commit, writes canceled by a
//! failing condition (with per-operation reasons and the returned item), and gets
//! across two entities. Without `ELECTRO_DYNAMODB_ENDPOINT` they skip (the project's
//! test command always sets it).

use electro::Value;
use electro::entity::{Entity, Options, Response};
use electro::exec::{Client, TableDefinition, live_test_endpoint, unique_table_name};
use electro::item;
use electro::transaction::{TransactGet, TransactOptions, TransactWrite};

fn model(entity: &str) -> String {
    format!(
        r#"{{
      "model": {{"entity": "{entity}", "version": "1", "service": "shop"}},
      "attributes": {{
        "id": {{"type": "string", "required": true}},
        "stock": {{"type": "number"}},
        "note": {{"type": "string"}}
      }},
      "indexes": {{
        "byId": {{"pk": {{"field": "pk", "composite": ["id"]}}, "sk": {{"field": "sk", "composite": []}}}}
      }}
    }}"#
    )
}

async fn setup() -> Option<(Client, Entity, Entity, String)> {
    let Some(endpoint) = live_test_endpoint() else {
        println!("skipped: ELECTRO_DYNAMODB_ENDPOINT not set");
        return None;
    };
    let client = Client::local(endpoint);
    let table = unique_table_name("tx");
    let products = Entity::from_json(&model("product")).unwrap().table(&table);
    let orders = Entity::from_json(&model("order")).unwrap().table(&table);
    let def = TableDefinition::from_entities(&[&products, &orders]).unwrap();
    client.create_table(&def).await.unwrap();
    // Tokens make writes idempotent for ten minutes per account: a fixed token would
    // turn a re-run against the same server into a no-op.
    let token = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        table.hash(&mut h);
        format!("commit-{:016x}", h.finish())
    };
    Some((client, products, orders, token))
}

#[tokio::test]
async fn committed_writes_are_read_back_by_a_get_transaction() {
    let Some((client, products, orders, token)) = setup().await else {
        return;
    };
    let written = TransactWrite::new()
        .item(products.create(item! {"id" => "p1", "stock" => 5}).commit())
        .item(orders.put(item! {"id" => "o1", "note" => "first"}).commit())
        .go_with(&client, &TransactOptions::default().token(token))
        .await
        .unwrap();
    assert!(!written.canceled);
    assert_eq!(written.data.len(), 2);
    assert!(written.data.iter().all(|o| !o.rejected));

    let read = TransactGet::new()
        .item(products.get(item! {"id" => "p1"}).commit())
        .item(orders.get(item! {"id" => "o1"}).commit())
        .item(products.get(item! {"id" => "missing"}).commit())
        .go(&client)
        .await
        .unwrap();
    assert_eq!(read.data.len(), 3);
    assert_eq!(read.data[0].item, Some(item! {"id" => "p1", "stock" => 5}));
    assert_eq!(
        read.data[1].item,
        Some(item! {"id" => "o1", "note" => "first"})
    );
    assert_eq!(read.data[2].item, None);
}

#[tokio::test]
async fn a_failing_condition_cancels_everything_and_names_the_operation() {
    let Some((client, products, orders, _)) = setup().await else {
        return;
    };
    products
        .put(item! {"id" => "p2", "stock" => 1})
        .go(&client)
        .await
        .unwrap();

    // The order would be written, but the stock check fails: nothing is written.
    let result = TransactWrite::new()
        .item(orders.put(item! {"id" => "o2", "note" => "never"}).commit())
        .item(
            products
                .update(item! {"id" => "p2"})
                .subtract(item! {"stock" => 1})
                .where_(|a, op| op.gt(&a.get("stock"), 3))
                .commit_with(&Options::default().response(Response::AllOld)),
        )
        .go(&client)
        .await
        .unwrap();
    assert!(result.canceled);
    assert_eq!(result.data.len(), 2);
    assert!(!result.data[0].rejected);
    assert!(result.data[1].rejected);
    assert_eq!(
        result.data[1].code.as_deref(),
        Some("ConditionalCheckFailed")
    );
    // `response: all_old` returns the item that failed the condition, formatted.
    assert_eq!(
        result.data[1].item,
        Some(item! {"id" => "p2", "stock" => 1})
    );
    let order = orders.get(item! {"id" => "o2"}).go(&client).await.unwrap();
    assert_eq!(order, None, "a canceled transaction wrote nothing");
    let product = products
        .get(item! {"id" => "p2"})
        .go(&client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(product.get("stock"), Some(&Value::from(1)));
}
