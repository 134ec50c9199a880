//! The task app of the ElectroDB docs, with a derived entity. Prints params offline.
//!
//! `cargo run --example taskapp`

// Clippy reads repeated field names in `#[electro(index(...))]` as duplicated attributes.
#![allow(clippy::duplicated_attributes)]

use electro::typed::WhereExt;
use electro::{Entity, EntityType, Enum, Map, Value};

#[derive(Enum, Clone, Copy, Debug, PartialEq)]
#[electro(rename_all = "kebab-case")]
enum Status {
    Open,
    InProgress,
    Closed,
}

#[derive(Map, Clone, Debug, PartialEq)]
struct Comment {
    user: Option<String>,
    body: Option<String>,
}

fn now_millis(_: Option<&Value>, _: &electro::Map) -> Option<Value> {
    Some(Value::from(1630977029015i64))
}

#[derive(Entity, Clone, Debug, PartialEq)]
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
struct Task {
    team: String,
    task: String,
    project: String,
    #[electro(default = "open")]
    status: Option<Status>,
    points: Option<i64>,
    comments: Option<Vec<Comment>>,
    #[electro(read_only, watch = "*", set = now_millis)]
    updated_at: Option<i64>,
}

fn show(title: &str, params: electro::Result<electro::entity::Params>) {
    println!("// {title}");
    match params {
        Ok(p) => println!("{}\n", serde_json::to_string_pretty(&p.to_json()).unwrap()),
        Err(e) => println!("error: {e}\n"),
    }
}

fn main() {
    let tasks = Task::entity().table("your_table_name");

    let task = Task {
        team: "core".into(),
        task: "45-662".into(),
        project: "backend".into(),
        status: Some(Status::InProgress),
        points: Some(3),
        comments: None,
        updated_at: None,
    };
    show("put", tasks.put(&task).params());

    show(
        "patch: set, add, append, where",
        tasks
            .patch(Task::key().team("core").project("backend").task("45-662"))
            .set(Task::STATUS, Status::Open)
            .add(Task::POINTS, 5)
            .append(
                Task::COMMENTS,
                vec![Comment {
                    user: Some("janet".into()),
                    body: Some("This seems half-baked.".into()),
                }],
            )
            .condition(Task::STATUS.eq(Status::InProgress))
            .params(),
    );

    show(
        "query: record, sort key begins with the project",
        tasks
            .query(Task::query().record().team("core").project("backend"))
            .filter(Task::POINTS.gt(3) & !Task::COMMENTS.exists())
            .params(),
    );

    show(
        "query: assignments of a project by status",
        tasks
            .query(
                Task::query()
                    .assignments()
                    .project("backend")
                    .status(Status::Open),
            )
            .params(),
    );

    show(
        "get",
        tasks
            .get(Task::key().team("core").project("backend").task("45-662"))
            .params(),
    );

    let back = Task::from_item(&task.to_item()).unwrap();
    assert_eq!(back, task);
    let _: &Map = &task.to_item();
    println!("// round trip through to_item/from_item: ok");
}
