//! Marshalling a Rust struct to a DynamoDB item (`HashMap<String, AttributeValue>`)
//! and back: electro (a hand-written, serde-free conversion of the struct to a
//! [`Map`], then `electro::exec::to_item` / `from_item`) against `serde_dynamo`
//! (serde derive) for the same struct of 12 attributes: strings, numbers, a list of
//! maps and a string set.
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
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use electro::exec::{Item, from_item_owned, to_item};
use electro::{Map, Value};
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    sku: String,
    qty: i64,
    price: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
    tags: Vec<String>,
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
        tags: vec!["gift".into(), "priority".into(), "fragile".into()],
    }
}

// electro: the struct to and from a Map by hand, no serde.

fn line_to_value(l: &Line) -> Value {
    let mut m = Map::with_capacity_and_hasher(3, Default::default());
    m.insert("sku".into(), Value::from(l.sku.as_str()));
    m.insert("qty".into(), Value::from(l.qty));
    m.insert("price".into(), Value::from(l.price));
    Value::Map(m)
}

fn order_to_map(o: &Order) -> Map {
    let mut m = Map::with_capacity_and_hasher(12, Default::default());
    m.insert("orderId".into(), Value::from(o.order_id.as_str()));
    m.insert("customerId".into(), Value::from(o.customer_id.as_str()));
    m.insert("status".into(), Value::from(o.status.as_str()));
    m.insert("region".into(), Value::from(o.region.as_str()));
    m.insert("createdAt".into(), Value::from(o.created_at.as_str()));
    m.insert("note".into(), Value::from(o.note.as_str()));
    m.insert("quantity".into(), Value::from(o.quantity));
    m.insert("version".into(), Value::from(o.version));
    m.insert("total".into(), Value::from(o.total));
    m.insert("discount".into(), Value::from(o.discount));
    m.insert(
        "lines".into(),
        Value::List(o.lines.iter().map(line_to_value).collect()),
    );
    m.insert("tags".into(), Value::StringSet(o.tags.clone()));
    m
}

/// Takes a string out of the map (the map is consumed field by field).
fn string(m: &mut Map, k: &str) -> Option<String> {
    match m.swap_remove(k)? {
        Value::String(s) => Some(s.into_string()),
        _ => None,
    }
}

fn int(m: &Map, k: &str) -> Option<i64> {
    match m.get(k)? {
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

fn float(m: &Map, k: &str) -> Option<f64> {
    match m.get(k)? {
        Value::Number(n) => Some(n.as_f64()),
        _ => None,
    }
}

fn line_from_value(v: Value) -> Option<Line> {
    let Value::Map(mut m) = v else { return None };
    let m = &mut m;
    Some(Line {
        sku: string(m, "sku")?,
        qty: int(m, "qty")?,
        price: float(m, "price")?,
    })
}

fn order_from_map(mut m: Map) -> Option<Order> {
    let m = &mut m;
    Some(Order {
        order_id: string(m, "orderId")?,
        customer_id: string(m, "customerId")?,
        status: string(m, "status")?,
        region: string(m, "region")?,
        created_at: string(m, "createdAt")?,
        note: string(m, "note")?,
        quantity: int(m, "quantity")?,
        version: u32::try_from(int(m, "version")?).ok()?,
        total: float(m, "total")?,
        discount: float(m, "discount")?,
        lines: match m.swap_remove("lines")? {
            Value::List(l) => l.into_iter().map(line_from_value).collect::<Option<_>>()?,
            _ => return None,
        },
        tags: match m.swap_remove("tags")? {
            Value::StringSet(s) => s,
            _ => return None,
        },
    })
}

fn electro_to(o: &Order) -> Item {
    to_item(&order_to_map(o))
}

fn electro_from(i: &Item) -> Order {
    // Like serde_dynamo's, this path consumes the item, so it gets the same clone.
    let map = from_item_owned(i.clone()).expect("electro from_item");
    order_from_map(map).expect("electro order")
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
