//! `.go()` against a real DynamoDB Local: every entity operation, pagination,
//! batches with retries, ownership, events. Each test creates its own table with
//! `TableDefinition::from_entities`. Without `ELECTRO_DYNAMODB_ENDPOINT` they skip
//! (unless `ELECTRO_REQUIRE_DYNAMODB` is set, as `scripts/test.sh` does).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use electro::entity::{DataFormat, Entity, Options, Pager, Pages, Response};
use electro::error::AwsErrorKind;
use electro::exec::{
    Client, EventKind, Listener, Operation, RetryPolicy, TableDefinition, live_test_endpoint,
    unique_table_name,
};
use electro::{Map, Value, item};
use futures::TryStreamExt;

#[path = "support/hold_back.rs"]
mod hold_back;
use hold_back::HoldBack;

fn task_model(entity: &str, templates: bool) -> String {
    let (pk, sk, g1) = if templates {
        (
            r#""field": "pk", "composite": ["project"], "template": "p#${project}""#,
            r#""field": "sk", "composite": ["taskId"], "template": "t#${taskId}""#,
            r#""field": "gsi1pk", "composite": ["status"], "template": "s#${status}""#,
        )
    } else {
        (
            r#""field": "pk", "composite": ["project"]"#,
            r#""field": "sk", "composite": ["taskId"]"#,
            r#""field": "gsi1pk", "composite": ["status"]"#,
        )
    };
    format!(
        r#"{{
      "model": {{"entity": "{entity}", "version": "1", "service": "work"}},
      "attributes": {{
        "project": {{"type": "string", "required": true}},
        "taskId": {{"type": "string", "required": true}},
        "status": {{"type": "string", "default": "open"}},
        "points": {{"type": "number"}},
        "secret": {{"type": "string", "hidden": true}},
        "tags": {{"type": "set", "items": "string"}}
      }},
      "indexes": {{
        "byProject": {{"pk": {{{pk}}}, "sk": {{{sk}}}}},
        "byStatus": {{"index": "gsi1pk-gsi1sk-index", "pk": {{{g1}}},
                     "sk": {{"field": "gsi1sk", "composite": ["taskId"]}}}}
      }}
    }}"#
    )
}

/// An entity in a fresh table of its own, and a client; `None` to skip.
async fn setup(prefix: &str, entities: &[(&str, bool)]) -> Option<(Client, Vec<Entity>)> {
    let endpoint = live_test_endpoint()?;
    let client = Client::local(endpoint);
    let table = unique_table_name(prefix);
    let list: Vec<Entity> = entities
        .iter()
        .map(|(name, templates)| {
            Entity::from_json(&task_model(name, *templates))
                .unwrap()
                .table(&table)
        })
        .collect();
    let refs: Vec<&Entity> = list.iter().collect();
    let def = TableDefinition::from_entities(&refs).unwrap();
    assert_eq!(def.gsis.len(), 1);
    client.create_table(&def).await.unwrap();
    Some((client, list))
}

fn task(project: &str, id: usize) -> Map {
    item! {"project" => project, "taskId" => format!("t{id:04}"), "points" => id as i64,
    "secret" => "s3cr3t"}
}

#[tokio::test]
async fn every_operation_runs_and_formats_like_electrodb() {
    let Some((client, es)) = setup("go_ops", &[("task", false)]).await else {
        return;
    };
    let e = &es[0];
    let key = item! {"project" => "p1", "taskId" => "t0001"};

    // put: the item as written, hidden attribute removed, default applied.
    let put = e.put(task("p1", 1)).go(&client).await.unwrap();
    assert_eq!(put["status"], Value::from("open"));
    assert!(!put.contains_key("secret") && !put.contains_key("pk"));

    // get: formatted; includeKeys keeps the key fields; raw is DynamoDB's item.
    let got = e.get(key.clone()).go(&client).await.unwrap().unwrap();
    assert_eq!(got, put);
    let with_keys = e
        .get(key.clone())
        .go_with(&client, &Options::default().data(DataFormat::IncludeKeys))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(with_keys["pk"], Value::from("$work#project_p1"));
    let raw = e
        .get(key.clone())
        .go_with(&client, &Options::default().data(DataFormat::Raw))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw["__edb_e__"], Value::from("task"));
    assert_eq!(raw["secret"], Value::from("s3cr3t"));
    let projected = e
        .get(key.clone())
        .go_with(&client, &Options::default().attributes(["points"]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(projected, item! {"points" => 1});
    assert!(
        e.get(item! {"project" => "p1", "taskId" => "nope"})
            .go(&client)
            .await
            .unwrap()
            .is_none()
    );

    // create on an existing key: the condition fails; the old item comes back.
    let mut opts = Options::default();
    opts.return_on_condition_check_failure = true;
    let err = e
        .create(task("p1", 1))
        .go_with(&client, &opts)
        .await
        .unwrap_err();
    assert_eq!(
        err.aws().unwrap().kind,
        AwsErrorKind::ConditionalCheckFailed
    );
    assert_eq!(e.rejected_item(&err).unwrap()["points"], Value::from(1));
    let created = e.create(task("p1", 2)).go(&client).await.unwrap();
    assert_eq!(created["taskId"], Value::from("t0002"));

    // update: keys by default, the new item with response all_new.
    let keys = e
        .update(key.clone())
        .set(item! {"status" => "done"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(keys, Some(key.clone()));
    let new = e
        .update(key.clone())
        .add(item! {"points" => 10})
        .go_with(&client, &Options::default().response(Response::AllNew))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(new["points"], Value::from(11));
    assert_eq!(new["status"], Value::from("done"));
    assert!(!new.contains_key("secret"));

    // patch needs the item; upsert creates it.
    let err = e
        .patch(item! {"project" => "p1", "taskId" => "ghost"})
        .set(item! {"status" => "x"})
        .go(&client)
        .await
        .unwrap_err();
    assert_eq!(
        err.aws().unwrap().kind,
        AwsErrorKind::ConditionalCheckFailed
    );
    e.upsert(item! {"project" => "p1", "taskId" => "t0003", "points" => 3})
        .go(&client)
        .await
        .unwrap();
    let up = e
        .get(item! {"project" => "p1", "taskId" => "t0003"})
        .go(&client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(up["points"], Value::from(3));

    // query, find, match, scan.
    let q = e
        .query("byProject", item! {"project" => "p1"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(q.data.len(), 3);
    assert!(q.cursor.is_none());
    let open = e
        .query("byStatus", item! {"status" => "open"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(open.data.len(), 2, "{:?}", open.data);
    let found = e
        .find(item! {"project" => "p1", "taskId" => "t0002"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(found.data.len(), 1);
    let matched = e
        .match_(item! {"project" => "p1", "status" => "done"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(matched.data.len(), 1);
    assert_eq!(matched.data[0]["taskId"], Value::from("t0001"));
    let scanned = e
        .scan()
        .go_with(&client, &Options::default().pages(Pages::All))
        .await
        .unwrap();
    assert_eq!(scanned.data.len(), 3);

    // delete returns the keys; remove needs the item.
    let deleted = e.delete(key.clone()).go(&client).await.unwrap();
    assert_eq!(deleted, Some(key.clone()));
    let old = e
        .delete(item! {"project" => "p1", "taskId" => "t0002"})
        .go_with(&client, &Options::default().response(Response::AllOld))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old["points"], Value::from(2));
    let err = e.remove(key.clone()).go(&client).await.unwrap_err();
    assert_eq!(
        err.aws().unwrap().kind,
        AwsErrorKind::ConditionalCheckFailed
    );
    assert!(e.get(key).go(&client).await.unwrap().is_none());
}

#[tokio::test]
async fn pagination_with_each_pager_form_and_streams() {
    let Some((client, es)) = setup("go_pages", &[("task", false)]).await else {
        return;
    };
    let e = &es[0];
    let items: Vec<Map> = (0..23).map(|i| task("big", i)).collect();
    let written = e.put_many(items).go(&client).await.unwrap();
    assert!(written.unprocessed.is_empty());
    let query = || e.query("byProject", item! {"project" => "big"});
    let ids = |data: &[Map]| -> Vec<String> {
        data.iter()
            .map(|i| i["taskId"].as_str().unwrap().to_string())
            .collect()
    };
    let expected: Vec<String> = (0..23).map(|i| format!("t{i:04}")).collect();

    // Default pager (ElectroDB's cursor), `named` (the same cursor in ElectroDB 3)
    // and `raw`: one page per go, following cursors.
    for pager in [None, Some(Pager::Named), Some(Pager::Raw)] {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut o = Options::default().limit(5);
            if let Some(p) = pager {
                o = o.pager(p);
            }
            if let Some(c) = &cursor {
                o = o.cursor(c.clone());
            }
            let page = query().go_with(&client, &o).await.unwrap();
            pages += 1;
            assert!(page.data.len() <= 5);
            all.extend(ids(&page.data));
            if let (Some(c), Some(Pager::Raw)) = (&page.cursor, pager) {
                assert!(c.starts_with('{'), "raw pager gives the key as JSON: {c}");
            }
            cursor = page.cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(all, expected);
        assert!(pages >= 5, "{pages} pages with pager {pager:?}");
        println!("pager {pager:?}: {pages} pages, {} items", all.len());
    }

    // `item` pager: resume from the last item of each page (its composite
    // attributes, as JSON), as ElectroDB's `pager: "item"` takes.
    let mut all = Vec::new();
    let mut resume: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut o = Options::default().limit(5).pager(Pager::Item);
        if let Some(c) = &resume {
            o = o.cursor(c.clone());
        }
        let page = query().go_with(&client, &o).await.unwrap();
        pages += 1;
        all.extend(ids(&page.data));
        if page.cursor.is_none() {
            break;
        }
        let last = page.data.last().expect("a page with a cursor has items");
        resume = Some(Value::Map(last.clone()).to_json().to_string());
    }
    assert_eq!(all, expected);
    assert!(pages >= 5, "{pages} pages with the item pager");
    println!("pager item: {pages} pages, {} items", all.len());

    // pages: 3 reads three pages at once; pages: all reads to the end.
    let three = query()
        .go_with(&client, &Options::default().limit(5).pages(Pages::Count(3)))
        .await
        .unwrap();
    assert_eq!((three.pages, three.data.len()), (3, 15));
    let rest = query()
        .go_with(
            &client,
            &Options::default()
                .limit(5)
                .pages(Pages::All)
                .cursor(three.cursor.unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(ids(&rest.data), expected[15..]);
    assert!(rest.cursor.is_none());

    // count: stops mid-page; the cursor resumes right after the last item.
    let seven = query()
        .go_with(&client, &Options::default().limit(5).count(7))
        .await
        .unwrap();
    assert_eq!(ids(&seven.data), expected[..7]);
    let next = query()
        .go_with(
            &client,
            &Options::default().limit(5).cursor(seven.cursor.unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(ids(&next.data), expected[7..12]);

    // Streams: of pages and of items; consumed capacity summed over pages.
    let pages: Vec<_> = query()
        .pages(&client, &Options::default().limit(5).consumed_capacity())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 5);
    assert!(pages.iter().all(|p| p.consumed_capacity.unwrap() > 0.0));
    let streamed: Vec<Map> = query()
        .stream(&client, &Options::default().limit(4))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&streamed), expected);
    let summed = query()
        .go_with(
            &client,
            &Options::default()
                .limit(5)
                .pages(Pages::All)
                .consumed_capacity(),
        )
        .await
        .unwrap();
    let per_page: f64 = pages.iter().map(|p| p.consumed_capacity.unwrap()).sum();
    assert_eq!(summed.consumed_capacity, Some(per_page));
    println!(
        "streams: {} pages, {} items; consumed capacity {per_page}",
        pages.len(),
        streamed.len()
    );

    // Scans page too.
    let scanned: Vec<Map> = e
        .scan()
        .stream(&client, &Options::default().limit(6))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 23);
}

#[tokio::test]
async fn batch_write_of_a_thousand_items_concurrently_reads_back_whole() {
    let Some((client, es)) = setup("go_batch", &[("task", false)]).await else {
        return;
    };
    let e = &es[0];
    let items: Vec<Map> = (0..1000).map(|i| task(&format!("p{}", i % 7), i)).collect();
    let events = Arc::new(AtomicUsize::new(0));
    let counter = events.clone();
    let listener = Listener::new(move |ev| {
        if ev.kind == EventKind::Results && ev.success && ev.method == "batchWrite" {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let started = std::time::Instant::now();
    let written = e
        .put_many(items.clone())
        .go_with(
            &client,
            &Options::default()
                .concurrent(4)
                .listener(listener)
                .consumed_capacity(),
        )
        .await
        .unwrap();
    assert!(written.unprocessed.is_empty());
    assert_eq!(written.requests, 40);
    assert_eq!(events.load(Ordering::SeqCst), 40);
    // DynamoDB Local reports no capacity for batch writes; when it does, it is summed.
    if let Some(units) = written.consumed_capacity {
        assert!(units >= 1000.0, "{units}");
    }

    let keys: Vec<Map> = items
        .iter()
        .map(|i| item! {"project" => i["project"].clone(), "taskId" => i["taskId"].clone()})
        .collect();
    let read = e
        .get_many(keys.clone())
        .go_with(
            &client,
            &Options::default().concurrent(3).preserve_batch_order(true),
        )
        .await
        .unwrap();
    assert_eq!(read.requests, 10);
    assert_eq!(read.ordered.len(), 1000);
    for (i, got) in read.ordered.iter().enumerate() {
        assert_eq!(
            got.as_ref().unwrap()["taskId"],
            keys[i]["taskId"],
            "slot {i}"
        );
    }
    let mut total = 0;
    for p in 0..7 {
        let page = e
            .query("byProject", item! {"project" => format!("p{p}")})
            .go_with(&client, &Options::default().pages(Pages::All))
            .await
            .unwrap();
        total += page.data.len();
    }
    assert_eq!(total, 1000);
    println!(
        "batch: wrote 1000 items in {} requests, read back {} by batch get and {total} by query in {:?}",
        written.requests,
        read.data.len(),
        started.elapsed()
    );
}

#[tokio::test]
async fn unprocessed_batch_items_are_retried_then_returned_never_dropped() {
    let Some((plain, es)) = setup("go_retry", &[("task", false)]).await else {
        return;
    };
    let endpoint = live_test_endpoint().unwrap();
    let e = &es[0];

    // Three writes held back on each of the first 4 requests: retries finish them.
    let hb = HoldBack::new(3, 4);
    let shared = hb.interceptor();
    let client = Client::local_with_config(&endpoint, move |b| b.interceptor(shared));
    let items: Vec<Map> = (0..60).map(|i| task("r", i)).collect();
    let res = e.put_many(items).go(&client).await.unwrap();
    assert!(res.unprocessed.is_empty(), "{:?}", res.unprocessed);
    assert_eq!(hb.total_held(), 12);
    assert_eq!(res.retries, 4);
    let back = e
        .query("byProject", item! {"project" => "r"})
        .go_with(&plain, &Options::default().pages(Pages::All))
        .await
        .unwrap();
    assert_eq!(back.data.len(), 60);
    println!(
        "retry: {} held back, {} retries, {} requests, 60/60 read back",
        hb.total_held(),
        res.retries,
        res.requests
    );

    // Held back every time and a bound of 2 retries: returned, formatted.
    let hb = HoldBack::new(2, usize::MAX);
    let shared = hb.interceptor();
    let client = Client::local_with_config(&endpoint, move |b| b.interceptor(shared));
    let items: Vec<Map> = (0..5).map(|i| task("s", i)).collect();
    let policy = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    let res = e
        .put_many(items)
        .go_with(&client, &Options::default().batch_retry(policy))
        .await
        .unwrap();
    assert_eq!((res.requests, res.retries), (3, 2));
    let ids: HashSet<String> = res
        .unprocessed
        .iter()
        .map(|i| i["taskId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, HashSet::from(["t0003".into(), "t0004".into()]));
    assert!(!res.unprocessed[0].contains_key("secret"));
    let written = e
        .query("byProject", item! {"project" => "s"})
        .go(&plain)
        .await
        .unwrap();
    assert_eq!(written.data.len(), 3);
}

#[tokio::test]
async fn ownership_keeps_other_entities_out_unless_ignored() {
    let Some((client, es)) = setup("go_owner", &[("task", true), ("note", true)]).await else {
        return;
    };
    let (task_e, note_e) = (&es[0], &es[1]);
    for i in 0..4 {
        task_e.put(task("shared", i)).go(&client).await.unwrap();
        note_e
            .put(task("shared", 10 + i))
            .go(&client)
            .await
            .unwrap();
    }
    // Same key templates: both entities' items share the partition.
    let tasks = task_e
        .query("byProject", item! {"project" => "shared"})
        .go(&client)
        .await
        .unwrap();
    assert_eq!(tasks.data.len(), 4);
    let notes = note_e.scan().go(&client).await.unwrap();
    assert_eq!(notes.data.len(), 4);
    let both = task_e
        .query("byProject", item! {"project" => "shared"})
        .go_with(&client, &Options::default().ignore_ownership(true))
        .await
        .unwrap();
    assert_eq!(both.data.len(), 8);
    // A note read through the task entity is not a task.
    assert!(
        task_e
            .get(item! {"project" => "shared", "taskId" => "t0010"})
            .go(&client)
            .await
            .unwrap()
            .is_none()
    );
    let got = task_e
        .get_many(vec![
            item! {"project" => "shared", "taskId" => "t0010"},
            item! {"project" => "shared", "taskId" => "t0001"},
        ])
        .go(&client)
        .await
        .unwrap();
    assert_eq!(got.data.len(), 1);
}

#[tokio::test]
async fn a_transaction_canceled_by_a_failing_condition() {
    let Some((client, es)) = setup("go_tx", &[("task", false)]).await else {
        return;
    };
    let e = &es[0];
    e.put(task("tx", 1)).go(&client).await.unwrap();
    // Entity params, assembled into a TransactWriteItems and run with Client::send.
    let check = e
        .check(item! {"project" => "tx", "taskId" => "t0001"})
        .where_(|a, op| op.gt(&a.get("points"), 100))
        .params()
        .unwrap();
    assert_eq!(check.operation, Operation::Check);
    let put = e.put(task("tx", 2)).params().unwrap();
    let mut check_body = check.body.clone();
    check_body.insert(
        "ReturnValuesOnConditionCheckFailure".into(),
        Value::from("ALL_OLD"),
    );
    let items = vec![
        Value::Map(item! {"ConditionCheck" => Value::Map(check_body)}),
        Value::Map(item! {"Put" => Value::Map(put.body)}),
    ];
    let err = client
        .send(
            Operation::TransactWrite,
            &item! {"TransactItems" => Value::List(items)},
        )
        .await
        .unwrap_err();
    let aws = err.aws().unwrap();
    assert_eq!(aws.kind, AwsErrorKind::TransactionCanceled);
    assert_eq!(
        aws.cancellation_reasons[0].code.as_deref(),
        Some("ConditionalCheckFailed")
    );
    let old = aws.cancellation_reasons[0].item.as_ref().unwrap();
    assert_eq!(e.parse_item(old.clone()).unwrap()["points"], Value::from(1));
    assert!(
        e.get(item! {"project" => "tx", "taskId" => "t0002"})
            .go(&client)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn listeners_see_query_and_results_events() {
    let Some((client, es)) = setup("go_events", &[("task", false)]).await else {
        return;
    };
    let e = &es[0];
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let listener = Listener::new(move |ev| {
        sink.lock().unwrap().push((
            ev.kind,
            ev.method.to_string(),
            ev.success,
            ev.params.contains_key("TableName"),
        ))
    });
    let o = Options::default().listener(listener);
    e.put(task("ev", 1)).go_with(&client, &o).await.unwrap();
    let _ = e
        .create(task("ev", 1))
        .go_with(&client, &o)
        .await
        .unwrap_err();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (EventKind::Query, "put".to_string(), true, true),
            (EventKind::Results, "put".to_string(), true, true),
            (EventKind::Query, "create".to_string(), true, true),
            (EventKind::Results, "create".to_string(), false, true),
        ]
    );
}
