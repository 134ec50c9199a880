use electro::typed::WhereExt;
use electro::{Entity, Enum, Map};

#[derive(Enum, Clone, Copy, Debug, PartialEq)]
#[electro(rename_all = "kebab-case")]
enum Status { Open, InProgress }

#[derive(Map, Clone, Debug, PartialEq)]
struct Comment { user: String, body: Option<String> }

#[derive(Entity)]
#[electro(service = "s", entity = "task", version = "1", rename_all = "camelCase")]
#[electro(index(access = "record", pk(field = "pk", composite(team)), sk(field = "sk", composite(project, task))))]
#[electro(index(access = "byStatus", index = "gsi1", collection("all", "open"), pk(field = "gsi1pk", composite(status)), sk(field = "gsi1sk", composite(task))))]
struct Task {
    team: String,
    project: String,
    task: String,
    status: Status,
    points: Option<i64>,
    comments: Option<Vec<Comment>>,
    tags: Option<std::collections::BTreeSet<String>>,
    #[electro(field = "x_any")]
    any: Option<electro::Value>,
}

fn main() {
    let t = Task::entity().table("t");
    let _ = t.query(Task::query().record().team("c")).filter(Task::POINTS.gt(1)).params().unwrap();
    let _ = t.query(Task::query().by_status().status(Status::Open).task("x")).params().unwrap();
    let _ = t
        .update(Task::key().team("c").project("p").task("t"))
        .set(Task::STATUS, Status::InProgress)
        .add(Task::POINTS, 1)
        .add(Task::TAGS, std::collections::BTreeSet::from(["a".to_string()]))
        .delete(Task::TAGS, std::collections::BTreeSet::from(["b".to_string()]))
        .append(Task::COMMENTS, vec![Comment { user: "u".into(), body: None }])
        .remove(Task::ANY)
        .params()
        .unwrap();
}
