//! A live tour of `.go()` against DynamoDB Local.
//!
//! ```sh
//! export ELECTRO_DYNAMODB_ENDPOINT="$(bash scripts/dynamodb-local.sh start)"
//! cargo run --example live
//! bash scripts/dynamodb-local.sh stop
//! ```

use electro::entity::{Entity, Options, Pages, Response};
use electro::exec::{Client, ENDPOINT_VAR, TableDefinition, unique_table_name};
use electro::item;

#[tokio::main]
async fn main() -> electro::Result<()> {
    let Ok(endpoint) = std::env::var(ENDPOINT_VAR) else {
        eprintln!("set {ENDPOINT_VAR} (e.g. via `bash scripts/dynamodb-local.sh start`)");
        std::process::exit(2);
    };
    let client = Client::local(endpoint);
    let table = unique_table_name("example");
    let tasks = Entity::from_json(
        r#"{
      "model": {"entity": "task", "version": "1", "service": "todo"},
      "attributes": {
        "list": {"type": "string", "required": true},
        "taskId": {"type": "string", "required": true},
        "title": {"type": "string"},
        "done": {"type": "boolean", "default": false}
      },
      "indexes": {
        "byList": {"pk": {"field": "pk", "composite": ["list"]},
                   "sk": {"field": "sk", "composite": ["taskId"]}}
      }
    }"#,
    )?
    .table(&table);
    client
        .create_table(&TableDefinition::from_entities(&[&tasks])?)
        .await?;

    let items = (0..12)
        .map(|i| item! {"list" => "home", "taskId" => format!("t{i:02}"), "title" => format!("chore {i}")})
        .collect();
    let written = tasks.put_many(items).go(&client).await?;
    println!(
        "batch write: {} requests, {} unprocessed",
        written.requests,
        written.unprocessed.len()
    );

    let page = tasks
        .query("byList", item! {"list" => "home"})
        .go_with(&client, &Options::default().limit(5))
        .await?;
    println!(
        "first page: {} items, cursor {:?}",
        page.data.len(),
        page.cursor
    );
    let rest = tasks
        .query("byList", item! {"list" => "home"})
        .go_with(
            &client,
            &Options::default()
                .limit(5)
                .pages(Pages::All)
                .cursor(page.cursor.unwrap()),
        )
        .await?;
    println!("the rest: {} items", rest.data.len());

    let updated = tasks
        .update(item! {"list" => "home", "taskId" => "t03"})
        .set(item! {"done" => true})
        .go_with(&client, &Options::default().response(Response::AllNew))
        .await?;
    println!("updated: {updated:?}");
    let got = tasks
        .get(item! {"list" => "home", "taskId" => "t03"})
        .go(&client)
        .await?;
    println!("get: {got:?}");
    client.delete_table(&table).await?;
    Ok(())
}
