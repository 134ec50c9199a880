//! What happened on the wire, for listeners and loggers: ElectroDB's `query` and
//! `results` events (its `events.js`), also emitted through `tracing`.

use std::fmt;
use std::sync::Arc;

use electro_expr::Map;

use super::client::Client;
use super::operation::Operation;
use crate::error::{Error, Result};

/// Which of ElectroDB's events this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// `"query"`: the params about to be (or just) sent.
    Query,
    /// `"results"`: what DynamoDB answered, or the error, with `success`.
    Results,
}

/// One event, as ElectroDB's listeners receive it: `{type, method, params}` or
/// `{type, method, success, results}`.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// `query` or `results`.
    pub kind: EventKind,
    /// ElectroDB's method name: `get`, `put`, `create`, `update`, `patch`,
    /// `upsert`, `delete`, `remove`, `query`, `scan`, `batchGet`, `batchWrite`...
    pub method: &'a str,
    /// The DocumentClient-style params sent.
    pub params: &'a Map,
    /// For `results`: whether DynamoDB accepted the request.
    pub success: bool,
    /// For successful `results`: the DocumentClient-style response.
    pub results: Option<&'a Map>,
    /// For failed `results`: the error.
    pub error: Option<&'a Error>,
}

/// A callback receiving every [`Event`]; cheap to clone.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use electro_core::exec::{EventKind, Listener};
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = seen.clone();
/// let listener = Listener::new(move |e| sink.lock().unwrap().push((e.kind, e.method.to_string())));
/// # let _ = listener;
/// ```
#[derive(Clone)]
pub struct Listener(Arc<dyn Fn(&Event<'_>) + Send + Sync>);

impl Listener {
    /// Wraps a callback.
    ///
    /// ```
    /// let l = electro_core::exec::Listener::new(|e| println!("{:?} {}", e.kind, e.method));
    /// # let _ = l;
    /// ```
    pub fn new(f: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Listener {
        Listener(Arc::new(f))
    }

    /// Calls the callback.
    ///
    /// ```
    /// use electro_core::exec::{Event, EventKind, Listener};
    /// let l = Listener::new(|e| assert_eq!(e.method, "get"));
    /// let params = electro_core::Map::default();
    /// l.notify(&Event { kind: EventKind::Query, method: "get", params: &params,
    ///                   success: true, results: None, error: None });
    /// ```
    pub fn notify(&self, event: &Event<'_>) {
        (self.0)(event)
    }
}

impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Listener(..)")
    }
}

impl Client {
    /// [`Client::send`], then the `query` and `results` events to every listener
    /// (in that order, as ElectroDB triggers them once the call settles) and to
    /// `tracing` (target `electro`, level `debug`; failures at `warn`).
    ///
    /// ```no_run
    /// use electro_core::exec::{Client, Listener, Operation};
    /// # async fn run(params: electro_core::Map) -> electro_core::Result<()> {
    /// let client = Client::local("http://127.0.0.1:8000");
    /// let log = Listener::new(|e| println!("{:?} {} {:?}", e.kind, e.method, e.params));
    /// let response = client.send_observed(Operation::Get, &params, "get", &[log]).await?;
    /// # let _ = response; Ok(())
    /// # }
    /// ```
    pub async fn send_observed(
        &self,
        op: Operation,
        params: &Map,
        method: &str,
        listeners: &[Listener],
    ) -> Result<Map> {
        let result = self.send(op, params).await;
        match &result {
            Ok(_) => {
                tracing::debug!(target: "electro", method, operation = %op, "request succeeded")
            }
            Err(e) => {
                tracing::warn!(target: "electro", method, operation = %op, error = %e, "request failed")
            }
        }
        if !listeners.is_empty() {
            let query = Event {
                kind: EventKind::Query,
                method,
                params,
                success: true,
                results: None,
                error: None,
            };
            let results = Event {
                kind: EventKind::Results,
                method,
                params,
                success: result.is_ok(),
                results: result.as_ref().ok(),
                error: result.as_ref().err(),
            };
            for l in listeners {
                l.notify(&query);
            }
            for l in listeners {
                l.notify(&results);
            }
        }
        result
    }
}
