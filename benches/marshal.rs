//! Marshalling a Rust struct to a DynamoDB item (`HashMap<String, AttributeValue>`)
//! and back: electro (`#[derive(electro::Entity)]`, with the nested `Line` a
//! `#[derive(electro::Map)]`, through the direct `EntityType::to_dynamo_item` /
//! `from_dynamo_item`, no serde and no intermediate `Map`) against `serde_dynamo`
//! (serde derive) for the same struct of 12 attributes: strings, numbers, a list of
//! maps and a string set.
//!
//! Both derives sit on the one struct, so both sides convert the same type and data.
//! One adaptation: `tags` is a `BTreeSet<String>` (it was a `Vec<String>`), because
//! electro's string set is a set type and a `Vec` is a list; serde_dynamo still
//! writes it with `serde_dynamo::string_set`, so both build the same `SS` attribute.
//!
//! ```sh
//! cargo bench --bench marshal            # about 1 s per case
//! cargo bench --bench marshal -- 2       # seconds per case
//! ```
//!
//! The cases alternate in short slices (5 rounds each) and each figure is the median
//! of its rounds. One JSON line per case on stdout:
//!
//! ```text
//! {"marshal": "to_item", "impl": "electro", "ns_per_op": N, "allocs_per_op": N}
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use electro::EntityType;
use electro::exec::Item;
use serde::{Deserialize, Serialize};

/// Counts every allocation (and reallocation) of the process.
struct CountingAlloc;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, electro::Map)]
struct Line {
    sku: String,
    qty: i64,
    price: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, electro::Entity)]
#[serde(rename_all = "camelCase")]
#[electro(
    service = "shop",
    entity = "order",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(access = "byId", pk(field = "pk", composite(order_id))))]
struct Order {
    order_id: String,
    customer_id: String,
    status: String,
    region: String,
    created_at: String,
    note: String,
    quantity: i64,
    version: u32,
    total: f64,
    discount: f64,
    lines: Vec<Line>,
    #[serde(with = "serde_dynamo::string_set")]
    tags: BTreeSet<String>,
}

fn order() -> Order {
    Order {
        order_id: "ord-2024-000123".into(),
        customer_id: "cust-98765".into(),
        status: "shipped".into(),
        region: "eu-west-1".into(),
        created_at: "2024-05-17T10:32:11Z".into(),
        note: "Leave the parcel at the back door, please.".into(),
        quantity: 7,
        version: 3,
        total: 149.85,
        discount: 12.5,
        lines: (0..3)
            .map(|i| Line {
                sku: format!("SKU-{i:04}"),
                qty: i + 1,
                price: 9.99 * (i + 1) as f64,
            })
            .collect(),
        tags: BTreeSet::from(["gift".into(), "priority".into(), "fragile".into()]),
    }
}

// electro: the derived struct to and from the SDK item directly.

fn electro_to(o: &Order) -> Item {
    o.to_dynamo_item()
}

fn electro_from(i: &Item) -> Order {
    // Like serde_dynamo's, this path consumes the item, so it gets the same clone.
    Order::from_dynamo_item(i.clone()).expect("electro from_dynamo_item")
}

fn serde_to(o: &Order) -> Item {
    serde_dynamo::aws_sdk_dynamodb_1::to_item(o).expect("serde_dynamo to_item")
}

fn serde_from(i: &Item) -> Order {
    serde_dynamo::aws_sdk_dynamodb_1::from_item(i.clone()).expect("serde_dynamo from_item")
}

struct Case {
    what: &'static str,
    imp: &'static str,
    run: Box<dyn FnMut()>,
    ns: Vec<f64>,
    allocs: Vec<f64>,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let seconds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<f64>().ok())
        .unwrap_or(1.0);
    if cfg!(debug_assertions) {
        eprintln!("marshal: warning: debug build; use `cargo bench` (release) for figures");
    }
    let o = order();
    // Both must produce the same item and read it back unchanged.
    let (ours, theirs) = (electro_to(&o), serde_to(&o));
    assert_eq!(ours, theirs, "electro and serde_dynamo items differ");
    assert_eq!(electro_from(&ours), o);
    assert_eq!(serde_from(&theirs), o);
    let sample = ours;
    eprintln!(
        "marshal: both build the same item of {} attributes",
        sample.len()
    );

    let (o1, o2, i1, i2) = (o.clone(), o, sample.clone(), sample);
    let mut cases = vec![
        Case {
            what: "to_item",
            imp: "electro",
            run: Box::new(move || drop(black_box(electro_to(black_box(&o1))))),
            ns: vec![],
            allocs: vec![],
        },
        Case {
            what: "to_item",
            imp: "serde_dynamo",
            run: Box::new(move || drop(black_box(serde_to(black_box(&o2))))),
            ns: vec![],
            allocs: vec![],
        },
        Case {
            what: "from_item",
            imp: "electro",
            run: Box::new(move || drop(black_box(electro_from(black_box(&i1))))),
            ns: vec![],
            allocs: vec![],
        },
        Case {
            what: "from_item",
            imp: "serde_dynamo",
            // serde_dynamo's from_item takes the item by value: the clone it needs
            // is part of its cost when the item is borrowed, as here.
            run: Box::new(move || drop(black_box(serde_from(black_box(&i2))))),
            ns: vec![],
            allocs: vec![],
        },
    ];
    const ROUNDS: usize = 5;
    let slice = Duration::from_secs_f64(seconds / ROUNDS as f64);
    for c in &mut cases {
        for _ in 0..1000 {
            (c.run)();
        }
    }
    for _ in 0..ROUNDS {
        for c in &mut cases {
            let a0 = ALLOCS.load(Ordering::Relaxed);
            let start = Instant::now();
            let mut n = 0u64;
            let elapsed = loop {
                for _ in 0..100 {
                    (c.run)();
                }
                n += 100;
                let e = start.elapsed();
                if e >= slice {
                    break e;
                }
            };
            let allocs = ALLOCS.load(Ordering::Relaxed) - a0;
            c.ns.push(elapsed.as_nanos() as f64 / n as f64);
            c.allocs.push(allocs as f64 / n as f64);
        }
    }
    for c in &mut cases {
        println!(
            "{{\"marshal\": \"{}\", \"impl\": \"{}\", \"ns_per_op\": {}, \"allocs_per_op\": {}}}",
            c.what,
            c.imp,
            median(&mut c.ns).round() as u64,
            (median(&mut c.allocs) * 10.0).round() / 10.0
        );
    }
}
