use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "task", version = "1")]
#[electro(index(access = "record", pk(field = "pk", composite(team)), sk(field = "sk", composite(project, task))))]
struct Task {
    team: String,
    project: String,
    task: String,
    title: String,
    points: Option<i64>,
    tags: Option<Vec<String>>,
    #[electro(read_only)]
    created: Option<i64>,
}

fn main() {
    let _ = Task::POINTS.begins("1");
}
