//! Running many batch requests: several in flight at once, unprocessed items and
//! keys sent again with exponential backoff and jitter up to a bound, and whatever
//! is still unprocessed then handed back, never dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use electro_expr::{Map, Value};
use futures::stream::{self, StreamExt};

use super::client::Client;
use super::events::Listener;
use super::format::{add_capacity, consumed_capacity_units};
use super::operation::Operation;
use crate::error::{Error, ErrorCode, Result};

/// How unprocessed batch items are retried: up to `max_retries` times per request,
/// waiting `base_delay * 2^attempt` (capped at `max_delay`) with jitter: half that
/// delay plus a random part of the other half.
///
/// ```
/// use std::time::Duration;
/// use electro_core::exec::RetryPolicy;
///
/// let policy = RetryPolicy { max_retries: 3, ..RetryPolicy::default() };
/// assert!(policy.delay(10) <= policy.max_delay);
/// assert!(policy.delay(0) >= policy.base_delay / 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries per request after the first try; 0 never retries.
    pub max_retries: u32,
    /// The first backoff.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 8 retries from 25 ms up to 2 s, as AWS recommends for unprocessed items.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 8,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries: unprocessed items come back at once.
    ///
    /// ```
    /// assert_eq!(electro_core::exec::RetryPolicy::none().max_retries, 0);
    /// ```
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `attempt` (from 0), jittered.
    ///
    /// ```
    /// use electro_core::exec::RetryPolicy;
    /// let policy = RetryPolicy::default();
    /// assert!(policy.delay(0) <= policy.base_delay);
    /// assert!(policy.delay(30) <= policy.max_delay);
    /// ```
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let half = exp / 2;
        let jitter_nanos = half.as_nanos() as u64;
        let r = if jitter_nanos == 0 {
            0
        } else {
            next_random() % (jitter_nanos + 1)
        };
        half + Duration::from_nanos(r)
    }
}

/// xorshift64*, seeded from the clock: jitter needs spread, not cryptography.
fn next_random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        x = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15)
            | 1;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    STATE.store(x, Ordering::Relaxed);
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// What running a set of batch requests came to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchOutcome {
    /// Batch get: every item returned, over all tables and retries.
    pub items: Vec<Map>,
    /// What stayed unprocessed after the last retry: keys (batch get) or write
    /// requests (`{"PutRequest": ...}` / `{"DeleteRequest": ...}`, batch write).
    pub unprocessed: Vec<Map>,
    /// Requests sent, retries included.
    pub requests: u32,
    /// Of those, retries of unprocessed items.
    pub retries: u32,
    /// Capacity units consumed, summed, when the requests asked for them.
    pub consumed_capacity: Option<f64>,
}

impl Client {
    /// Runs `requests` (each DocumentClient-style `BatchGetItem` or
    /// `BatchWriteItem` params) with at most `concurrent` in flight, retrying
    /// unprocessed keys or items per `retry`.
    ///
    /// ```no_run
    /// use electro_core::exec::{Client, Operation, RetryPolicy};
    /// # async fn run(requests: Vec<electro_core::Map>) -> electro_core::Result<()> {
    /// let client = Client::local("http://127.0.0.1:8000");
    /// let outcome = client
    ///     .send_batches(Operation::BatchWrite, requests, 4, &RetryPolicy::default(), "batchWrite", &[])
    ///     .await?;
    /// assert!(outcome.unprocessed.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn send_batches(
        &self,
        op: Operation,
        requests: Vec<Map>,
        concurrent: usize,
        retry: &RetryPolicy,
        method: &str,
        listeners: &[Listener],
    ) -> Result<BatchOutcome> {
        if !matches!(op, Operation::BatchGet | Operation::BatchWrite) {
            return Err(Error::new(
                ErrorCode::InvalidQueryParameters,
                format!("send_batches runs BatchGetItem or BatchWriteItem, not {op}"),
            ));
        }
        let outcomes: Vec<Result<BatchOutcome>> = stream::iter(requests)
            .map(|params| self.send_one_batch(op, params, retry, method, listeners))
            .buffer_unordered(concurrent.max(1))
            .collect()
            .await;
        let mut total = BatchOutcome::default();
        for o in outcomes {
            let o = o?;
            total.items.extend(o.items);
            total.unprocessed.extend(o.unprocessed);
            total.requests += o.requests;
            total.retries += o.retries;
            total.consumed_capacity = add_capacity(total.consumed_capacity, o.consumed_capacity);
        }
        Ok(total)
    }

    async fn send_one_batch(
        &self,
        op: Operation,
        mut params: Map,
        retry: &RetryPolicy,
        method: &str,
        listeners: &[Listener],
    ) -> Result<BatchOutcome> {
        let mut out = BatchOutcome::default();
        let leftover_field = match op {
            Operation::BatchGet => "UnprocessedKeys",
            _ => "UnprocessedItems",
        };
        let mut attempt = 0;
        loop {
            let response = self.send_observed(op, &params, method, listeners).await?;
            out.requests += 1;
            out.consumed_capacity =
                add_capacity(out.consumed_capacity, consumed_capacity_units(&response));
            if let Some(Value::Map(responses)) = response.get("Responses") {
                for items in responses.values() {
                    if let Value::List(items) = items {
                        out.items
                            .extend(items.iter().filter_map(|i| i.as_map().cloned()));
                    }
                }
            }
            let leftover = match response.get(leftover_field) {
                Some(Value::Map(m)) if has_requests(m) => m.clone(),
                _ => return Ok(out),
            };
            if attempt >= retry.max_retries {
                for body in leftover.values() {
                    let list = match body {
                        Value::Map(b) => b.get("Keys").and_then(Value::as_list),
                        Value::List(l) => Some(l.as_slice()),
                        _ => None,
                    };
                    out.unprocessed.extend(
                        list.unwrap_or_default()
                            .iter()
                            .filter_map(|v| v.as_map().cloned()),
                    );
                }
                return Ok(out);
            }
            let wait = retry.delay(attempt);
            tracing::debug!(target: "electro", method, attempt, ?wait, "retrying unprocessed batch items");
            tokio::time::sleep(wait).await;
            attempt += 1;
            out.retries += 1;
            params.insert("RequestItems".into(), Value::Map(leftover));
        }
    }
}

/// Whether `UnprocessedKeys` / `UnprocessedItems` holds anything.
fn has_requests(leftover: &Map) -> bool {
    leftover.values().any(|body| match body {
        Value::Map(b) => b
            .get("Keys")
            .and_then(Value::as_list)
            .is_some_and(|k| !k.is_empty()),
        Value::List(l) => !l.is_empty(),
        _ => false,
    })
}
