//! Throughput of building params offline, for the workloads of
//! `shared/bench/workloads.md` (the same ones `benches/electrodb_params.js` runs on
//! the reference, electrodb@3.9.3).
//!
//! ```sh
//! cargo bench --bench params                  # about 1 s per workload
//! cargo bench --bench params -- 0.5 get put   # seconds per workload, then workload names
//! ```
//!
//! Prints one JSON line per workload to stdout, the same lines as the reference plus
//! the allocations per operation counted by this binary's global allocator:
//!
//! ```text
//! {"workload": "get", "ops_per_sec": N, "ns_per_op": N, "allocs_per_op": N}
//! ```
//!
//! `ELECTRO_BENCH_SHOW=1` also prints each workload's params once (to stderr),
//! `ELECTRO_BENCH_WARMUP=N` changes the warm-up (2000 operations), and
//! `ELECTRO_BENCH_OPS=N` times exactly N operations (for instruction counts under
//! callgrind) instead of a time budget. Everything else
//! goes to stderr. Entities are built once, outside the timed loop;
//! each operation builds the params of one request from the entity and drops them,
//! as the reference does.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use electro::entity::{Entity, Params};
use electro::item;
use electro::schema::named_functions::NamedFunctions;
use electro::schema::{DefaultFn, FunctionResolver, FunctionRole, MutationFn, ValidateFn};
use electro::{Map, Value};

/// Counts every allocation (and reallocation, which may move) of the process.
struct CountingAlloc;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged;
// the counter has no effect on the memory handed out.
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

const TABLE: &str = "electro";

/// The bench's copies of the corpus models (`benches/models/`), so that the figures
/// do not move when the conformance corpus does.
fn model(name: &str) -> serde_json::Value {
    let text = match name {
        "mallstore" => include_str!("models/mallstore.json"),
        "teamtasks" => include_str!("models/teamtasks.json"),
        "employees" => include_str!("models/employees.json"),
        "tasks" => include_str!("models/tasks.json"),
        "projectMembers" => include_str!("models/projectMembers.json"),
        other => panic!("no bench model {other}"),
    };
    serde_json::from_str(text).unwrap_or_else(|e| panic!("bench model {name}: {e}"))
}

/// The corpus's named functions, except that teamtasks' `updatedAt` setter is a plain
/// closure returning 1630977029015, as the reference bench's
/// `teamtasks.attributes.updatedAt.set = () => 1630977029015`.
struct BenchFunctions;

impl FunctionResolver for BenchFunctions {
    fn default_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<DefaultFn, String> {
        NamedFunctions.default_fn(spec)
    }
    fn mutation_fn(
        &self,
        role: FunctionRole,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<MutationFn, String> {
        let updated_at = serde_json::json!(1630977029015u64);
        if matches!(role, FunctionRole::Set) && spec.get("value") == Some(&updated_at) {
            return Ok(MutationFn::new(|_, _| Some(Value::from(1630977029015u64))));
        }
        NamedFunctions.mutation_fn(role, spec)
    }
    fn validate_fn(
        &self,
        spec: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<ValidateFn, String> {
        NamedFunctions.validate_fn(spec)
    }
}

fn entity(name: &str) -> Entity {
    Entity::from_json_value(&model(name), &BenchFunctions)
        .unwrap_or_else(|e| panic!("bench model {name}: {e}"))
        .table(TABLE)
}

/// One workload: a name and the operation it times. `run` builds the finished params
/// and drops them, inside the timed loop; `show` builds them once as JSON, for
/// `ELECTRO_BENCH_SHOW=1` (to check them against the reference's).
struct Workload {
    name: &'static str,
    run: Box<dyn FnMut()>,
    show: Box<dyn FnMut() -> serde_json::Value>,
}

/// Finished params as JSON.
trait ToJson {
    fn json(&self) -> serde_json::Value;
}

impl ToJson for Params {
    fn json(&self) -> serde_json::Value {
        self.to_json()
    }
}

impl ToJson for Vec<Params> {
    fn json(&self) -> serde_json::Value {
        self.iter().map(Params::to_json).collect()
    }
}

impl Workload {
    fn new<T: ToJson>(name: &'static str, f: impl FnMut() -> T + 'static) -> Workload {
        let f = std::rc::Rc::new(std::cell::RefCell::new(f));
        let g = f.clone();
        Workload {
            name,
            run: Box::new(move || drop(black_box((f.borrow_mut())()))),
            show: Box::new(move || (g.borrow_mut())().json()),
        }
    }
}

fn store() -> Map {
    item! {
        "cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys",
        "buildingId" => "BuildingA1", "unitId" => "B47", "category" => "food/coffee",
        "leaseEndDate" => "2020-03-22", "rent" => "4500.00",
    }
}

fn keys100() -> Vec<Map> {
    (0..100)
        .map(|i| {
            item! {
                "cityId" => "Atlanta1", "mallId" => "EastPointe",
                "storeId" => format!("s{i}"), "buildingId" => format!("b{}", i % 7),
            }
        })
        .collect()
}

/// The workloads that electro can build today, in the reference's order.
fn workloads() -> Vec<Workload> {
    let mall = entity("mallstore");
    let tasks = entity("teamtasks");
    let mut out = Vec::new();
    let m = mall.clone();
    out.push(Workload::new("get", move || {
        m.get(item! {"cityId" => "Atlanta1", "mallId" => "EastPointe",
        "storeId" => "LatteLarrys", "buildingId" => "F34"})
            .params()
            .expect("get params")
    }));
    let m = mall.clone();
    let s = store();
    out.push(Workload::new("put", move || {
        m.put(s.clone()).params().expect("put params")
    }));
    let m = mall.clone();
    out.push(Workload::new("query_between_where", move || {
        m.query("leases", item! {"storeId" => "LatteLarrys"})
            .between(
                item! {"leaseEndDate" => "2020-04-01"},
                item! {"leaseEndDate" => "2020-07-01"},
            )
            .where_(|a, op| {
                format!(
                    "{} AND {}",
                    op.between(&a.get("rent"), "2000.00", "5000.00"),
                    op.eq(&a.get("discount"), "1000.00")
                )
            })
            .params()
            .expect("query params")
    }));
    out.push(Workload::new("patch_mixed", move || {
        tasks
            .patch(item! {"team" => "core", "task" => "45-662", "project" => "backend"})
            .set(item! {"status" => "open"})
            .add(item! {"points" => 5})
            .append(item! {"comments" => vec![Value::Map(
                item! {"user" => "janet", "body" => "This seems half-baked."},
            )]})
            .where_(|a, op| op.eq(&a.get("status"), "in-progress"))
            .params()
            .expect("patch params")
    }));
    out.push(collection_workload());
    let keys = keys100();
    // The keys are built once and lent, as the reference passes its `keys100` array.
    out.push(Workload::new("batch_get_100", move || {
        mall.get_many(&keys).params().expect("batch get params")
    }));
    out
}

/// `collections.contributions({employeeId: "JExotic"})` on a service of employees,
/// tasks and projectMembers (built once, outside the timed closure).
fn collection_workload() -> Workload {
    let mut service = electro::service::Service::new("taskapp").table("electro");
    for alias in ["employees", "tasks", "projectMembers"] {
        service = service.join(alias, entity(alias));
    }
    let service = service.build().expect("service");
    Workload::new("collection", move || {
        service
            .collection("contributions", item! {"employeeId" => "JExotic"})
            .params()
            .expect("collection params")
    })
}

/// Times `w` for about `seconds`, in batches of 100 after a warm-up of `warmup`
/// operations (2000, as the reference does). Returns (ns per op, allocations per op).
/// Never inlined, so that a profiler can collect from here only
/// (`valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measure*'`).
#[inline(never)]
fn measure(w: &mut Workload, seconds: f64, warmup: u64, ops: Option<u64>) -> (f64, f64) {
    for _ in 0..warmup {
        (w.run)();
    }
    let budget = Duration::from_secs_f64(seconds);
    let allocs_before = ALLOCS.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut n: u64 = 0;
    let elapsed = loop {
        for _ in 0..100 {
            (w.run)();
        }
        n += 100;
        let e = start.elapsed();
        if ops.map_or(e >= budget, |ops| n >= ops) {
            break e;
        }
    };
    let allocs = ALLOCS.load(Ordering::Relaxed) - allocs_before;
    (
        elapsed.as_nanos() as f64 / n as f64,
        allocs as f64 / n as f64,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; any flag is ignored.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut seconds = 1.0;
    let mut only: Vec<&str> = Vec::new();
    for a in &args {
        match a.parse::<f64>() {
            Ok(s) if s > 0.0 => seconds = s,
            _ => only.push(a),
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("params: warning: debug build; use `cargo bench` (release) for figures");
    }
    let show = std::env::var_os("ELECTRO_BENCH_SHOW").is_some();
    // Fewer warm-up operations for slow runs, e.g. under a profiler.
    let warmup = std::env::var("ELECTRO_BENCH_WARMUP")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(2000);
    // A fixed number of timed operations (rounded up to hundreds) instead of a time
    // budget, so that instruction counts under a profiler compare per operation.
    let ops = std::env::var("ELECTRO_BENCH_OPS")
        .ok()
        .and_then(|n| n.parse().ok());
    for mut w in workloads() {
        if !only.is_empty() && !only.contains(&w.name) {
            continue;
        }
        if show {
            eprintln!("params: {}: {}", w.name, (w.show)());
        }
        let (ns, allocs) = measure(&mut w, seconds, warmup, ops);
        println!(
            "{{\"workload\": \"{}\", \"ops_per_sec\": {}, \"ns_per_op\": {}, \"allocs_per_op\": {}}}",
            w.name,
            (1e9 / ns).round() as u64,
            ns.round() as u64,
            // Whole numbers unless an op's allocations vary (e.g. a hash map growing).
            (allocs * 10.0).round() / 10.0
        );
    }
}
