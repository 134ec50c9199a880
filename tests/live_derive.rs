//! A derived entity round-trips through DynamoDB Local: typed put, get, query (one
//! page with a cursor, then the rest by `stream`), scan, update and delete.
//! Skipped without `ELECTRO_DYNAMODB_ENDPOINT`.

use electro::entity::Options;
use electro::exec::{Client, TableDefinition, live_test_endpoint, unique_table_name};
use electro::{Entity, Enum, item};
use futures::TryStreamExt;

#[derive(Enum, Clone, Copy, Debug, PartialEq)]
#[electro(rename_all = "lowercase")]
enum Status {
    Open,
    Done,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "work",
    entity = "task",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "byProject",
    pk(field = "pk", composite(project)),
    sk(field = "sk", composite(task_id))
))]
struct Task {
    project: String,
    #[electro(padding(length = 4, char = "0"))]
    task_id: String,
    #[electro(default = "open")]
    status: Option<Status>,
    points: Option<i64>,
    #[electro(hidden)]
    secret: Option<String>,
}

#[tokio::test]
async fn derived_entity_round_trips() {
    let Some(ep) = live_test_endpoint() else {
        return;
    };
    let client = Client::local(ep);
    let table = unique_table_name("derive");
    let tasks = Task::entity().table(&table);
    let def = TableDefinition::from_entities(&[tasks.untyped().unwrap()]).unwrap();
    client.create_table(&def).await.unwrap();

    // put returns the struct as written: default applied, hidden attribute gone.
    let t1 = Task {
        project: "p".into(),
        task_id: "1".into(),
        status: None,
        points: Some(3),
        secret: Some("s".into()),
    };
    let put = tasks.put(&t1).go(&client).await.unwrap();
    assert_eq!(put.status, Some(Status::Open));
    assert_eq!(put.secret, None);

    let got = tasks
        .get(Task::key().project("p").task_id("1"))
        .go(&client)
        .await
        .unwrap();
    assert_eq!(got, Some(put.clone()));
    let none = tasks
        .get(Task::key().project("p").task_id("9"))
        .go(&client)
        .await
        .unwrap();
    assert_eq!(none, None);

    for i in 2..=5 {
        let t = Task {
            task_id: i.to_string(),
            points: Some(i),
            ..t1.clone()
        };
        tasks.put(&t).go(&client).await.unwrap();
    }
    // One page of 2 with a cursor, then the rest from the cursor by stream.
    let page = tasks
        .query(Task::query().by_project().project("p"))
        .go_with(&client, &Options::default().limit(2))
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(page.data[0].task_id, "1");
    let cursor = page.cursor.expect("a cursor");
    let rest: Vec<Task> = tasks
        .query(Task::query().by_project().project("p"))
        .stream_with(&client, &Options::default().cursor(cursor))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        rest.iter().map(|t| t.task_id.as_str()).collect::<Vec<_>>(),
        ["3", "4", "5"]
    );
    // Sort-key condition and typed filter.
    use electro::typed::WhereExt;
    let big: Vec<Task> = tasks
        .query(Task::query().by_project().project("p"))
        .gt(item! {"taskId" => "2"})
        .filter(Task::POINTS.gte(4))
        .stream(&client)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(big.len(), 2);
    let scanned = tasks
        .scan()
        .go_with(
            &client,
            &Options::default().pages(electro::entity::Pages::All),
        )
        .await
        .unwrap();
    assert_eq!(scanned.data.len(), 5);

    // Typed update, then delete.
    tasks
        .patch(Task::key().project("p").task_id("1"))
        .set(Task::STATUS, Status::Done)
        .add(Task::POINTS, 10)
        .untyped()
        .go(&client)
        .await
        .unwrap();
    let got = tasks
        .get(Task::key().project("p").task_id("1"))
        .go(&client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((got.status, got.points), (Some(Status::Done), Some(13)));
    tasks
        .delete(Task::key().project("p").task_id("1"))
        .go(&client)
        .await
        .unwrap();
    assert!(
        tasks
            .get(Task::key().project("p").task_id("1"))
            .go(&client)
            .await
            .unwrap()
            .is_none()
    );
    client.delete_table(&table).await.unwrap();
}
