//! The convention every live test follows, in one place: where DynamoDB Local is,
//! and whether a test may skip when it is not there.
//!
//! `scripts/test.sh` starts DynamoDB Local, exports its address as
//! `ELECTRO_DYNAMODB_ENDPOINT` and sets `ELECTRO_REQUIRE_DYNAMODB=1`, so that in the
//! project's test command a live test can never pass by skipping. A plain
//! `cargo test` without a server skips them with a notice instead.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The variable holding DynamoDB Local's endpoint, e.g. `http://127.0.0.1:8000`.
pub const ENDPOINT_VAR: &str = "ELECTRO_DYNAMODB_ENDPOINT";
/// When set, a missing endpoint fails live tests instead of skipping them.
pub const REQUIRE_VAR: &str = "ELECTRO_REQUIRE_DYNAMODB";

/// The live-test endpoint; `None` (after printing
/// `skipped: ELECTRO_DYNAMODB_ENDPOINT not set`) when there is none.
///
/// # Panics
///
/// When [`REQUIRE_VAR`] is set but [`ENDPOINT_VAR`] is not.
///
/// ```
/// # fn live_test() {
/// let Some(endpoint) = electro_core::exec::live_test_endpoint() else { return };
/// let client = electro_core::exec::Client::local(endpoint);
/// # let _ = client;
/// # }
/// ```
pub fn live_test_endpoint() -> Option<String> {
    match std::env::var(ENDPOINT_VAR) {
        Ok(e) if !e.trim().is_empty() => Some(e.trim().to_string()),
        _ if std::env::var_os(REQUIRE_VAR).is_some() => {
            panic!(
                "{REQUIRE_VAR} is set but {ENDPOINT_VAR} is not: run the tests with scripts/test.sh"
            )
        }
        _ => {
            println!("skipped: {ENDPOINT_VAR} not set");
            None
        }
    }
}

/// A table name no other test (in this or another process) uses, so tests can
/// run in parallel and be rerun against the same server.
///
/// ```
/// let a = electro_core::exec::unique_table_name("crud");
/// let b = electro_core::exec::unique_table_name("crud");
/// assert!(a.starts_with("electro_crud_") && a != b);
/// ```
pub fn unique_table_name(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "electro_{prefix}_{}_{nanos}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
