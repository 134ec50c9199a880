//! A collection query over three derived entities runs against DynamoDB Local and
//! comes back split by member, as structs. Skipped without `ELECTRO_DYNAMODB_ENDPOINT`.

use electro::entity::{Options, Pages};
use electro::exec::{Client, TableDefinition, live_test_endpoint, unique_table_name};
use electro::service::Service;
use electro::{Entity, item};

#[derive(Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "taskapp",
    entity = "employees",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "staff",
    pk(field = "pk", composite(organization_id)),
    sk(field = "sk", composite(employee_id))
))]
#[electro(index(
    access = "employee",
    index = "gsi2",
    collection = "contributions",
    pk(field = "gsi2pk", composite(employee_id)),
    sk(field = "gsi2sk", composite())
))]
struct Employee {
    employee_id: String,
    organization_id: String,
    name: Option<String>,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "taskapp",
    entity = "tasks",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "project",
    pk(field = "pk", composite(project_id)),
    sk(field = "sk", composite(task_id))
))]
#[electro(index(
    access = "assigned",
    index = "gsi2",
    collection = "contributions",
    pk(field = "gsi2pk", composite(employee_id)),
    sk(field = "gsi2sk", composite(project_id))
))]
struct Task {
    task_id: String,
    employee_id: String,
    project_id: String,
    title: Option<String>,
}

#[derive(Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "taskapp",
    entity = "projectMembers",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "members",
    pk(field = "pk", composite(project_id)),
    sk(field = "sk", composite(employee_id))
))]
#[electro(index(
    access = "projects",
    index = "gsi2",
    collection = "contributions",
    pk(field = "gsi2pk", composite(employee_id)),
    sk(field = "gsi2sk", composite())
))]
struct Member {
    employee_id: String,
    project_id: String,
    #[electro(hidden)]
    note: Option<String>,
}

#[tokio::test]
async fn collection_members_come_back_typed() {
    let Some(ep) = live_test_endpoint() else {
        return;
    };
    let client = Client::local(ep);
    let table = unique_table_name("collection");
    let employees = Employee::entity().table(&table);
    let tasks = Task::entity().table(&table);
    let members = Member::entity().table(&table);
    let def = TableDefinition::from_entities(&[
        employees.untyped().unwrap(),
        tasks.untyped().unwrap(),
        members.untyped().unwrap(),
    ])
    .unwrap();
    client.create_table(&def).await.unwrap();
    let service = Service::new("taskapp")
        .join("employees", employees.clone().into_untyped().unwrap())
        .join("tasks", tasks.clone().into_untyped().unwrap())
        .join("members", members.clone().into_untyped().unwrap())
        .build()
        .unwrap();

    let pam = Employee {
        employee_id: "pam".into(),
        organization_id: "o".into(),
        name: Some("Pam".into()),
    };
    employees.put(&pam).go(&client).await.unwrap();
    for i in 0..3 {
        let t = Task {
            task_id: format!("t{i}"),
            employee_id: "pam".into(),
            project_id: format!("p{i}"),
            title: None,
        };
        tasks.put(&t).go(&client).await.unwrap();
    }
    let m = Member {
        employee_id: "pam".into(),
        project_id: "p0".into(),
        note: Some("x".into()),
    };
    members.put(&m).go(&client).await.unwrap();
    // Someone else's items stay out.
    let dwight = Employee {
        employee_id: "dwight".into(),
        ..pam.clone()
    };
    employees.put(&dwight).go(&client).await.unwrap();

    let res = service
        .collection("contributions", item! {"employeeId" => "pam"})
        .go_with(&client, &Options::default().pages(Pages::All))
        .await
        .unwrap();
    assert_eq!(res.typed::<Employee>("employees").unwrap(), vec![pam]);
    assert_eq!(res.typed::<Task>("tasks").unwrap().len(), 3);
    // Hidden attributes are dropped by the member's own schema.
    assert_eq!(
        res.typed::<Member>("members").unwrap(),
        vec![Member { note: None, ..m }]
    );
    assert!(res.cursor.is_none());

    // One item per page: a cursor comes back and resumes.
    let first = service
        .collection("contributions", item! {"employeeId" => "pam"})
        .go_with(&client, &Options::default().limit(1))
        .await
        .unwrap();
    assert_eq!(first.data.values().map(Vec::len).sum::<usize>(), 1);
    let cursor = first.cursor.expect("a cursor");
    let rest = service
        .collection("contributions", item! {"employeeId" => "pam"})
        .go_with(
            &client,
            &Options::default().cursor(cursor).pages(Pages::All),
        )
        .await
        .unwrap();
    assert_eq!(rest.data.values().map(Vec::len).sum::<usize>(), 4);
    client.delete_table(&table).await.unwrap();
}
