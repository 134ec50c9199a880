//! A fault-injecting HTTP proxy for tests: sits on loopback between an SDK client and
//! DynamoDB Local and, by configuration, answers a share of requests with
//! `ProvisionedThroughputExceededException` / `ThrottlingException`, reports part
//! of every `BatchWriteItem` / `BatchGetItem` as unprocessed (forwarding only the
//! rest and adding the held-back part to the response's `UnprocessedItems` /
//! `UnprocessedKeys`), delays requests, or drops the connection before or after
//! forwarding (the last one loses a response whose request DynamoDB applied).
//!
//! Bounded: at most `max_faults` faults, and the proxy stops listening after
//! `lifetime` (or when dropped). Deterministic: whether and how a request is
//! faulted depends only on the seed, the request's content (canonical JSON, without
//! the random `ClientRequestToken`) and how many times that same request was seen,
//! so the same run makes the same decisions however requests interleave.
//!
//! HTTP/1.1 only, `Content-Length` requests (what the SDK sends), one upstream
//! connection per request.

#![allow(dead_code)]

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What to inject.
#[derive(Clone, Debug)]
pub struct FaultConfig {
    /// Seeds every decision.
    pub seed: u64,
    /// Share of requests answered with a throttling error (never forwarded).
    pub throttle: f64,
    /// Share of each batch request's items/keys held back and reported unprocessed.
    pub unprocessed: f64,
    /// Share of requests delayed, by up to `max_delay`.
    pub delay: f64,
    /// The longest delay.
    pub max_delay: Duration,
    /// Share of requests whose connection is dropped before forwarding.
    pub drop_before: f64,
    /// Share of requests forwarded, then their connection dropped: the response is
    /// lost although DynamoDB applied the request.
    pub drop_after: f64,
    /// Operations (`X-Amz-Target` suffixes such as `"Query"`) faults apply to; empty
    /// for all.
    pub only: Vec<&'static str>,
    /// At most this many faults in all; past it everything passes through.
    pub max_faults: u64,
    /// The proxy stops accepting connections after this long.
    pub lifetime: Duration,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 7,
            throttle: 0.0,
            unprocessed: 0.0,
            delay: 0.0,
            max_delay: Duration::from_millis(20),
            drop_before: 0.0,
            drop_after: 0.0,
            only: Vec::new(),
            max_faults: 100_000,
            lifetime: Duration::from_secs(240),
        }
    }
}

/// What the proxy did.
#[derive(Debug, Default)]
pub struct FaultStats {
    /// HTTP requests received.
    pub requests: AtomicU64,
    /// Of those, forwarded to DynamoDB.
    pub forwarded: AtomicU64,
    /// Answered `ProvisionedThroughputExceededException`.
    pub throughput_exceeded: AtomicU64,
    /// Answered `ThrottlingException`.
    pub throttling: AtomicU64,
    /// Batch requests that had items or keys held back.
    pub partial_batches: AtomicU64,
    /// Items or keys held back and reported unprocessed.
    pub unprocessed: AtomicU64,
    /// Requests delayed.
    pub delayed: AtomicU64,
    /// Connections dropped before forwarding.
    pub dropped_before: AtomicU64,
    /// Connections dropped after forwarding (response lost).
    pub dropped_after: AtomicU64,
}

impl FaultStats {
    fn get(a: &AtomicU64) -> u64 {
        a.load(Ordering::Relaxed)
    }

    /// Faults injected: error answers, partial batches, drops (delays are not faults).
    pub fn faults(&self) -> u64 {
        Self::get(&self.throughput_exceeded)
            + Self::get(&self.throttling)
            + Self::get(&self.partial_batches)
            + Self::get(&self.dropped_before)
            + Self::get(&self.dropped_after)
    }

    /// Requests the proxy received.
    pub fn requests(&self) -> u64 {
        Self::get(&self.requests)
    }

    /// One line of figures.
    pub fn summary(&self) -> String {
        format!(
            "requests {}, forwarded {}, throttled {} (ProvisionedThroughputExceeded {}, Throttling {}), \
             partial batches {} ({} items/keys held back), delayed {}, dropped before {}, dropped after {}",
            Self::get(&self.requests),
            Self::get(&self.forwarded),
            Self::get(&self.throughput_exceeded) + Self::get(&self.throttling),
            Self::get(&self.throughput_exceeded),
            Self::get(&self.throttling),
            Self::get(&self.partial_batches),
            Self::get(&self.unprocessed),
            Self::get(&self.delayed),
            Self::get(&self.dropped_before),
            Self::get(&self.dropped_after),
        )
    }
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`, for the client's endpoint.
    pub url: String,
    /// What it did so far.
    pub stats: Arc<FaultStats>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    config: FaultConfig,
    upstream: SocketAddr,
    stats: Arc<FaultStats>,
    seen: Mutex<HashMap<u64, u64>>,
    faults_left: AtomicU64,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (`http://host:port`) on a free loopback port.
    pub async fn start(upstream: &str, config: FaultConfig) -> FaultProxy {
        let authority = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .replace("localhost", "127.0.0.1");
        let upstream: SocketAddr = tokio::net::lookup_host(&authority)
            .await
            .expect("upstream address")
            .next()
            .expect("upstream resolves");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stats = Arc::new(FaultStats::default());
        let shared = Arc::new(Shared {
            faults_left: AtomicU64::new(config.max_faults),
            config,
            upstream,
            stats: stats.clone(),
            seen: Mutex::new(HashMap::new()),
        });
        let deadline = Instant::now() + shared.config.lifetime;
        let task = tokio::spawn(async move {
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let Ok(Ok((conn, _))) = tokio::time::timeout(left, listener.accept()).await else {
                    return;
                };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(conn, shared).await;
                });
            }
        });
        FaultProxy { url, stats, task }
    }
}

/// splitmix64: a seeded, stateless mix.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Draws uniform numbers in [0, 1) for one request.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> f64 {
        self.0 = mix(self.0);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// JSON with object keys sorted, and what differs between runs left out: the
/// random `ClientRequestToken` and table names (each test run has a fresh table).
fn canonical(v: &serde_json::Value, out: &mut String) {
    canonical_in(v, "", out)
}

fn canonical_in(v: &serde_json::Value, parent: &str, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m
                .keys()
                .filter(|k| *k != "ClientRequestToken" && *k != "TableName")
                .collect();
            keys.sort();
            out.push('{');
            for k in keys {
                if parent != "RequestItems" {
                    out.push_str(k);
                }
                out.push(':');
                canonical_in(&m[k], k, out);
                out.push(',');
            }
            out.push('}');
        }
        serde_json::Value::Array(a) => {
            out.push('[');
            for x in a {
                canonical_in(x, parent, out);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

struct Request {
    head: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one HTTP message head and its `Content-Length` body; `None` at EOF.
async fn read_message(conn: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Option<Request>> {
    loop {
        if let Some(end) = find(buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let first = lines.next().unwrap_or_default().to_string();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let start = end + 4;
            while buf.len() < start + len {
                let mut chunk = [0u8; 16384];
                let n = conn.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[start..start + len].to_vec();
            buf.drain(..start + len);
            return Ok(Some(Request {
                head: first,
                headers,
                body,
            }));
        }
        let mut chunk = [0u8; 16384];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

async fn respond(conn: &mut TcpStream, status: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.0\r\n\
         x-amzn-RequestId: electro-fault-proxy\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body).await?;
    conn.flush().await
}

async fn serve(mut conn: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    while let Some(req) = read_message(&mut conn, &mut buf).await? {
        let stats = &shared.stats;
        stats.requests.fetch_add(1, Ordering::Relaxed);
        let target = req
            .header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_string();
        let json: Option<serde_json::Value> = serde_json::from_slice(&req.body).ok();
        let key = {
            let mut text = target.clone();
            if let Some(j) = &json {
                canonical(j, &mut text);
            }
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            h.finish()
        };
        let attempt = {
            let mut seen = shared.seen.lock().unwrap();
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            *n
        };
        let cfg = &shared.config;
        let mut draw = Draw(mix(cfg.seed ^ key) ^ mix(attempt));
        let eligible = cfg.only.is_empty() || cfg.only.contains(&target.as_str());
        let fault = |share: f64, draw: &mut Draw| -> bool {
            let hit = draw.next() < share;
            hit && eligible
                && shared
                    .faults_left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
        };

        if fault(cfg.delay, &mut draw) {
            stats.delayed.fetch_add(1, Ordering::Relaxed);
            // A delay is not a fault: give the budget back.
            shared.faults_left.fetch_add(1, Ordering::Relaxed);
            let wait = cfg.max_delay.mul_f64(draw.next());
            tokio::time::sleep(wait).await;
        }
        if fault(cfg.drop_before, &mut draw) {
            stats.dropped_before.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        if fault(cfg.throttle, &mut draw) {
            let (code, counter) = if draw.next() < 0.5 {
                (
                    "ProvisionedThroughputExceededException",
                    &stats.throughput_exceeded,
                )
            } else {
                ("ThrottlingException", &stats.throttling)
            };
            counter.fetch_add(1, Ordering::Relaxed);
            let body = serde_json::json!({
                "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
                "message": "Rate of requests exceeds the allowed throughput (injected by the fault proxy)",
            });
            respond(&mut conn, "400 Bad Request", body.to_string().as_bytes()).await?;
            continue;
        }
        // Hold back part of a batch.
        let mut body = req.body.clone();
        let mut held: Option<(&'static str, serde_json::Map<String, serde_json::Value>)> = None;
        if cfg.unprocessed > 0.0 && matches!(target.as_str(), "BatchWriteItem" | "BatchGetItem") {
            if let Some(mut j) = json.clone() {
                let (field, taken) = hold_back(&target, &mut j, cfg.unprocessed);
                if taken > 0 && fault(1.0, &mut draw) {
                    stats.partial_batches.fetch_add(1, Ordering::Relaxed);
                    stats.unprocessed.fetch_add(taken, Ordering::Relaxed);
                    body = serde_json::to_vec(&j["__forward"]).unwrap();
                    let held_map = j["__held"].as_object().cloned().unwrap_or_default();
                    held = Some((field, held_map));
                }
            }
        }
        let drop_after = fault(cfg.drop_after, &mut draw);
        stats.forwarded.fetch_add(1, Ordering::Relaxed);
        let (status, mut resp_headers, mut resp_body) =
            forward(shared.upstream, &req, &body).await?;
        if drop_after {
            stats.dropped_after.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        if let Some((field, held)) = held {
            if status.contains(" 200") {
                let mut r: serde_json::Value =
                    serde_json::from_slice(&resp_body).unwrap_or_else(|_| serde_json::json!({}));
                let slot = r
                    .as_object_mut()
                    .unwrap()
                    .entry(field)
                    .or_insert_with(|| serde_json::json!({}));
                let slot = slot.as_object_mut().unwrap();
                for (table, requests) in held {
                    merge_unprocessed(slot, &table, requests);
                }
                resp_body = serde_json::to_vec(&r).unwrap();
                resp_headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-amz-crc32"));
            }
        }
        let mut head = format!("{status}\r\n");
        for (k, v) in &resp_headers {
            if k.eq_ignore_ascii_case("content-length")
                || k.eq_ignore_ascii_case("transfer-encoding")
                || k.eq_ignore_ascii_case("connection")
            {
                continue;
            }
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", resp_body.len()));
        conn.write_all(head.as_bytes()).await?;
        conn.write_all(&resp_body).await?;
        conn.flush().await?;
    }
    Ok(())
}

/// Splits a batch body: `j["__forward"]` is what is sent, `j["__held"]` per table
/// what is held back (write requests, or a `KeysAndAttributes` with the held keys).
fn hold_back(target: &str, j: &mut serde_json::Value, share: f64) -> (&'static str, u64) {
    let mut forward = j.clone();
    let mut held = serde_json::Map::default();
    let mut taken = 0u64;
    let items = forward["RequestItems"].as_object_mut();
    let Some(items) = items else {
        return ("", 0);
    };
    for (table, body) in items.iter_mut() {
        let list = if target == "BatchWriteItem" {
            body.as_array_mut()
        } else {
            body.get_mut("Keys").and_then(|k| k.as_array_mut())
        };
        let Some(list) = list else { continue };
        let n = (list.len() as f64 * share).floor() as usize;
        if n == 0 || n >= list.len() {
            continue;
        }
        let rest = list.split_off(list.len() - n);
        taken += rest.len() as u64;
        let value = if target == "BatchWriteItem" {
            serde_json::Value::Array(rest)
        } else {
            let mut kaa = body.clone();
            kaa["Keys"] = serde_json::Value::Array(rest);
            kaa
        };
        held.insert(table.clone(), value);
    }
    let field = if target == "BatchWriteItem" {
        "UnprocessedItems"
    } else {
        "UnprocessedKeys"
    };
    let mut out = serde_json::Map::default();
    out.insert("__forward".into(), forward);
    out.insert("__held".into(), serde_json::Value::Object(held));
    *j = serde_json::Value::Object(out);
    (field, taken)
}

fn merge_unprocessed(
    slot: &mut serde_json::Map<String, serde_json::Value>,
    table: &str,
    held: serde_json::Value,
) {
    match (slot.get_mut(table), held) {
        (None, held) => {
            slot.insert(table.to_string(), held);
        }
        (Some(serde_json::Value::Array(existing)), serde_json::Value::Array(more)) => {
            existing.extend(more)
        }
        (Some(existing), serde_json::Value::Object(more)) => {
            if let (Some(keys), Some(serde_json::Value::Array(more_keys))) = (
                existing.get_mut("Keys").and_then(|k| k.as_array_mut()),
                more.get("Keys").cloned(),
            ) {
                keys.extend(more_keys);
            }
        }
        _ => {}
    }
}

/// Sends the request upstream on a fresh connection; the response's status line,
/// headers and (de-chunked) body.
async fn forward(
    upstream: SocketAddr,
    req: &Request,
    body: &[u8],
) -> std::io::Result<(String, Vec<(String, String)>, Vec<u8>)> {
    let mut up = TcpStream::connect(upstream).await?;
    let mut head = format!("{}\r\n", req.head);
    for (k, v) in &req.headers {
        if k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("connection") {
            continue;
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    up.write_all(head.as_bytes()).await?;
    up.write_all(body).await?;
    let mut raw = Vec::new();
    up.read_to_end(&mut raw).await?;
    let end = find(&raw, b"\r\n\r\n").ok_or_else(|| std::io::Error::other("bad response"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut rest = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        rest = dechunk(&rest);
    }
    Ok((status, headers, rest))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(data, b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        data = &data[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}
