//! `.go()`: running entity operations against DynamoDB and formatting what comes
//! back as ElectroDB 3 does (`entity.js`: `go`, `executeQuery`, `executeBulkGet`,
//! `executeBulkWrite`, `executeOperation`, `formatResponse`).
//!
//! Results keep only this entity's items (unless `ignore_ownership`), apply
//! getters, drop hidden attributes and honour `data` (`attributes`, `includeKeys`,
//! `raw`). Cursors are the reference's (base64url of the `LastEvaluatedKey` JSON), so
//! a cursor from electrodb resumes an electro query and the other way round.

use std::borrow::Cow;
use std::sync::Arc;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use super::chain::{Chain, Method};
use super::options::{DataFormat, Normalized, Options, Pager, Pages, Response};
use super::{Batch, Built, Delete, Entity, Get, Put, Query, Scan, Update, Upsert, op_of};
use crate::error::{Error, ErrorCode, Result};
use crate::exec::{
    Client, GsiDefinition, KeyAttributeType, Listener, Operation, RetryPolicy, TableDefinition,
    add_capacity, consumed_capacity_units, deserialize_cursor, parse_key_json, serialize_cursor,
};
use crate::model::{KeyCast, Model, TABLE_INDEX};
use crate::schema::RetrievalOptions;
use crate::{Map, Value};

/// What a query or scan returns: the items of the pages read and where to resume.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryResult {
    /// The items, formatted per the `data` option.
    pub data: Vec<Map>,
    /// Where the next page starts (`None` at the end): ElectroDB's cursor, or the
    /// `LastEvaluatedKey` JSON with `pager: raw` / `data: raw`.
    pub cursor: Option<String>,
    /// How many DynamoDB pages were read.
    pub pages: u32,
    /// Capacity units consumed over all pages, when asked for
    /// ([`Options::consumed_capacity`]).
    pub consumed_capacity: Option<f64>,
}

/// What a batch get or batch write returns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchResult {
    /// Batch get: the items found (in request order with `preserve_batch_order`).
    pub data: Vec<Map>,
    /// Batch get with `preserve_batch_order`: one slot per requested key, `None`
    /// where there was no item (ElectroDB's `null`s); empty otherwise.
    pub ordered: Vec<Option<Map>>,
    /// What stayed unprocessed after the retries: keys (batch get, as DynamoDB
    /// keys), or items (puts, formatted) and keys (deletes) of a batch write.
    pub unprocessed: Vec<Map>,
    /// Requests sent, retries included.
    pub requests: u32,
    /// Retries of unprocessed items made.
    pub retries: u32,
    /// Capacity units consumed, summed over every request, when asked for.
    pub consumed_capacity: Option<f64>,
}

/// Execution settings that are not params: merged from the chain's options, then
/// the caller's.
#[derive(Clone, Debug)]
struct Exec {
    cursor: Option<String>,
    concurrent: usize,
    preserve_batch_order: bool,
    retry: RetryPolicy,
}

/// Everything needed to run and format, owned so that streams can outlive the
/// builder.
#[derive(Clone, Debug)]
struct Ctx {
    model: Arc<Model>,
    index: crate::Name,
    method: &'static str,
    data: DataFormat,
    /// How items are formatted (the requested `attributes`, whether keys are kept):
    /// built once, not per item.
    retrieval: RetrievalOptions,
    ignore_ownership: bool,
    pager: Pager,
    listeners: Vec<Listener>,
    include_on_response: Map,
    pages: Option<Pages>,
    count: Option<u32>,
    response: Option<Response>,
}

fn method_name(c: &Chain) -> &'static str {
    if !c.origin.is_empty() {
        return c.origin;
    }
    match c.method {
        Method::Get => "get",
        Method::Check => "check",
        Method::Delete => "delete",
        Method::Put => "put",
        Method::Update => "update",
        Method::Upsert => "upsert",
        Method::Query => "query",
        Method::Scan => "scan",
        Method::BatchGet => "batchGet",
        Method::BatchWrite => "batchWrite",
    }
}

/// Builds the params and the context to run them with. The chain is spent: what
/// the context needs is moved out of it.
fn prepare(chain: &mut Chain, options: &Options) -> Result<(Built, Ctx, Exec)> {
    let mut go_options = options.clone();
    go_options.terminal_go = true;
    // Read before building: params take the key composites.
    let response_keys = chain
        .include_on_response
        .is_empty()
        .then(|| chain.response_keys());
    let (built, n): (Built, Normalized) = chain.build_params(&go_options, false)?;
    let include_on_response =
        response_keys.unwrap_or_else(|| std::mem::take(&mut chain.include_on_response));
    let mut listeners = chain
        .options
        .as_deref_mut()
        .map(|o| std::mem::take(&mut o.listeners))
        .unwrap_or_default();
    listeners.extend(options.listeners.iter().cloned());
    let no_options = Options::default();
    let chain_options = chain.options.as_deref().unwrap_or(&no_options);
    let ctx = Ctx {
        model: chain.model.clone(),
        index: chain.index.clone(),
        method: method_name(chain),
        data: n.data,
        retrieval: RetrievalOptions {
            attributes: n.attributes,
            include_keys: n.data == DataFormat::IncludeKeys,
        },
        ignore_ownership: n.ignore_ownership,
        pager: n.pager,
        listeners,
        include_on_response,
        pages: n.pages,
        count: n.count,
        response: n.response,
    };
    let exec = Exec {
        cursor: options
            .cursor
            .clone()
            .or_else(|| chain_options.cursor.clone()),
        concurrent: options
            .concurrent
            .or(chain_options.concurrent)
            .unwrap_or(1)
            .max(1) as usize,
        preserve_batch_order: options.preserve_batch_order || chain_options.preserve_batch_order,
        retry: options
            .batch_retry
            .or(chain_options.batch_retry)
            .unwrap_or_default(),
    };
    Ok((built, ctx, exec))
}

fn one(built: Built) -> Result<Map> {
    match built {
        Built::One(p) => Ok(p),
        Built::Many(_) => Err(Error::new(
            ErrorCode::UnknownError,
            "a single operation built batch params",
        )),
    }
}

impl Ctx {
    fn owns_item(&self, item: &Map) -> bool {
        let ids = &self.model.identifiers;
        let is = |field: &str, want: &str| matches!(item.get(field), Some(Value::String(s)) if !s.is_empty() && s == want);
        is(&ids.entity, &self.model.entity) && is(&ids.version, &self.model.version)
    }

    fn owns_keys(&self, item: &Map) -> bool {
        let Some(fx) = self.model.fixings_of(TABLE_INDEX) else {
            return false;
        };
        let pk_match = match item.get(fx.pk.field.as_str()) {
            Some(Value::String(s)) => {
                s.starts_with(&fx.pk.prefix)
                    && fx.pk.postfix.as_deref().is_none_or(|p| s.ends_with(p))
            }
            Some(Value::Number(_)) => fx.pk.cast == KeyCast::Number,
            _ => false,
        };
        if !pk_match {
            return false;
        }
        if !self.model.table_index().has_sk() {
            return true;
        }
        match item.get(fx.sk.field.as_str()) {
            Some(Value::Number(_)) => fx.sk.cast == KeyCast::Number,
            Some(Value::String(s)) => {
                s.starts_with(&fx.sk.prefix)
                    && fx.sk.postfix.as_deref().is_none_or(|p| s.ends_with(p))
            }
            _ => false,
        }
    }

    fn includes_keys(&self, item: &Map) -> bool {
        let (pk, sk) = self.model.primary_key_fields();
        item.contains_key(pk) && sk.is_none_or(|sk| item.contains_key(sk))
    }

    /// ElectroDB's `is`: whether an item belongs in this entity's results.
    fn is(&self, item: &Map) -> bool {
        self.data == DataFormat::Raw
            || (self.ignore_ownership
                && !self.retrieval.attributes.is_empty()
                && !self.includes_keys(item))
            || (self.ignore_ownership && self.owns_keys(item))
            || self.owns_item(item)
    }

    fn format(&self, item: &Map) -> Result<Map> {
        if self.data == DataFormat::Raw {
            return Ok(item.clone());
        }
        self.model
            .schema
            .format_item_for_retrieval(item, &self.retrieval)
    }

    /// [`Ctx::format`] consuming the item.
    fn format_owned(&self, item: Map) -> Result<Map> {
        if self.data == DataFormat::Raw {
            return Ok(item);
        }
        self.model
            .schema
            .format_owned_item_for_retrieval(item, &self.retrieval)
    }

    /// The items this entity owns, formatted. The stored form is kept beside each
    /// only when `count` may need the last one's keys for the cursor.
    fn select(&self, items: Vec<Map>) -> Result<Vec<(Option<Map>, Map)>> {
        let keep_raw = self.count.is_some();
        items
            .into_iter()
            .filter(|i| self.is(i))
            .map(|i| {
                if keep_raw {
                    let f = self.format(&i)?;
                    Ok((Some(i), f))
                } else {
                    Ok((None, self.format_owned(i)?))
                }
            })
            .collect()
    }

    fn raw_cursors(&self) -> bool {
        self.data == DataFormat::Raw || self.pager == Pager::Raw
    }

    fn format_cursor(&self, key: &Map) -> String {
        if self.raw_cursors() {
            Value::Map(key.clone()).to_json().to_string()
        } else {
            serialize_cursor(key)
        }
    }

    fn parse_cursor(&self, cursor: &str) -> Result<Map> {
        let key = if self.raw_cursors() {
            parse_key_json(cursor)?
        } else if self.pager == Pager::Item {
            // ElectroDB's `item` pager: resume from an item's composite attributes
            // (e.g. the last item of a page, as JSON), whose keys are rebuilt.
            let composite = parse_key_json(cursor)?;
            crate::conversion::format_supplied_pager(
                &self.model,
                &self.index,
                &composite,
                crate::conversion::Strict::None,
            )?
        } else {
            deserialize_cursor(cursor)?
        };
        Ok(self.trim_keys(&key))
    }

    /// `_trimKeysToIndex`: the index's and the table's key fields.
    fn trim_keys(&self, item: &Map) -> Map {
        let mut fields: Vec<&str> = Vec::new();
        if let Some((pk, sk)) = self.model.key_fields(&self.index) {
            fields.push(pk);
            fields.extend(sk);
        }
        let (pk, sk) = self.model.primary_key_fields();
        fields.push(pk);
        fields.extend(sk);
        let mut key = Map::default();
        for f in fields {
            if let Some(v) = item.get(f) {
                key.insert(f.into(), v.clone());
            }
        }
        key
    }

    async fn page(
        &self,
        client: &Client,
        op: Operation,
        params: &Map,
        start: Option<&Map>,
    ) -> Result<(Vec<Map>, Option<Map>, Option<f64>)> {
        // The first page sends the params as built; later pages add the cursor.
        let p = match start {
            Some(start) => {
                let mut p = params.clone();
                p.insert("ExclusiveStartKey".into(), Value::Map(start.clone()));
                Cow::Owned(p)
            }
            None => Cow::Borrowed(params),
        };
        let mut res = client
            .send_observed(op, &p, self.method, &self.listeners)
            .await?;
        let items = match res.swap_remove("Items") {
            Some(Value::List(l)) => l
                .into_iter()
                .filter_map(|i| match i {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let lek = match res.swap_remove("LastEvaluatedKey") {
            Some(Value::Map(m)) if !m.is_empty() => Some(m),
            _ => None,
        };
        Ok((items, lek, consumed_capacity_units(&res)))
    }

    /// `executeQuery`: pages until `pages` are read, `count` items are kept or the
    /// results end.
    async fn run_query(
        &self,
        client: &Client,
        op: Operation,
        params: &Map,
        start: Option<Map>,
    ) -> Result<QueryResult> {
        let pages = self.pages.unwrap_or(Pages::Count(1));
        let mut out = QueryResult::default();
        let mut next = start;
        loop {
            let (items, lek, cap) = self.page(client, op, params, next.as_ref()).await?;
            out.pages += 1;
            out.consumed_capacity = add_capacity(out.consumed_capacity, cap);
            next = lek;
            let mut kept = self.select(items)?;
            if let Some(count) = self.count {
                let remaining = (count as usize).saturating_sub(out.data.len());
                if kept.len() >= remaining {
                    kept.truncate(remaining);
                    if let Some((Some(raw), _)) = kept.last() {
                        next = Some(self.trim_keys(raw));
                    }
                    out.data.extend(kept.into_iter().map(|(_, f)| f));
                    break;
                }
            }
            out.data.extend(kept.into_iter().map(|(_, f)| f));
            if next.is_none() {
                break;
            }
            if self.count.is_none() {
                if let Pages::Count(n) = pages {
                    if out.pages >= n {
                        break;
                    }
                }
            }
        }
        out.cursor = next.map(|k| self.format_cursor(&k));
        Ok(out)
    }

    /// The cursor's key, checked to belong to this index and query
    /// (`cursor_guard`): a cursor is client-controlled input.
    fn start_key(&self, exec: &Exec, op: Operation, params: &Map) -> Result<Option<Map>> {
        let Some(key) = exec
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| self.parse_cursor(c))
            .transpose()?
        else {
            return Ok(None);
        };
        super::cursor_guard::check_start_key(&self.model, &self.index, op, params, &key)?;
        Ok(Some(key))
    }

    /// Pages one DynamoDB page at a time, following the cursor to the end.
    fn page_stream(
        self,
        client: Client,
        op: Operation,
        params: Map,
        start: Option<Map>,
    ) -> impl Stream<Item = Result<QueryResult>> + Send + 'static + use<> {
        struct State {
            ctx: Ctx,
            client: Client,
            op: Operation,
            params: Map,
            // None: finished; Some(None): from the start.
            next: Option<Option<Map>>,
        }
        let state = State {
            ctx: self,
            client,
            op,
            params,
            next: Some(start),
        };
        stream::unfold(state, |mut st| async move {
            let start = st.next.take()?;
            let page = st
                .ctx
                .page(&st.client, st.op, &st.params, start.as_ref())
                .await;
            let item = page.and_then(|(items, lek, cap)| {
                let data = st.ctx.select(items)?.into_iter().map(|(_, f)| f).collect();
                let cursor = lek.as_ref().map(|k| st.ctx.format_cursor(k));
                st.next = lek.map(Some);
                Ok(QueryResult {
                    data,
                    cursor,
                    pages: 1,
                    consumed_capacity: cap,
                })
            });
            Some((item, st))
        })
    }
}

macro_rules! query_go {
    ($ty:ident) => {
        impl $ty {
            /// Runs it with default options: one page (ElectroDB 3's default) and
            /// a cursor to the next.
            ///
            /// ```no_run
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            /// # let e = electro_core::entity::doc_entity();
            #[doc = concat!("# let builder: electro_core::entity::", stringify!($ty), " = unimplemented!();")]
            /// let page = builder.go(&client).await?;
            /// for item in &page.data { println!("{item:?}"); }
            /// # Ok(()) }
            /// ```
            pub async fn go(self, client: &Client) -> Result<QueryResult> {
                self.go_with(client, &Options::default()).await
            }

            /// Runs it with options: `pages`, `count`, `limit`, `cursor`, `pager`,
            /// `data`, `ignore_ownership`, `listeners`...
            ///
            /// ```no_run
            /// use electro_core::entity::{Options, Pages};
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            #[doc = concat!("# let builder: electro_core::entity::", stringify!($ty), " = unimplemented!();")]
            /// let all = builder.go_with(&client, &Options::default().pages(Pages::All)).await?;
            /// assert!(all.cursor.is_none());
            /// # Ok(()) }
            /// ```
            pub async fn go_with(mut self, client: &Client, options: &Options) -> Result<QueryResult> {
                let op = op_of(&self.0);
                let (built, ctx, exec) = prepare(&mut self.0, options)?;
                let params = one(built)?;
                let start = ctx.start_key(&exec, op, &params)?;
                ctx.run_query(client, op, &params, start).await
            }

            /// The results page by page (one DynamoDB page each) until the end, from
            /// `options.cursor` if given. Errors end the stream.
            ///
            /// ```no_run
            /// use futures::TryStreamExt;
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            #[doc = concat!("# let builder: electro_core::entity::", stringify!($ty), " = unimplemented!();")]
            /// let pages: Vec<_> = builder.pages(&client, &Default::default()).try_collect().await?;
            /// println!("{} pages", pages.len());
            /// # Ok(()) }
            /// ```
            pub fn pages(
                mut self,
                client: &Client,
                options: &Options,
            ) -> impl Stream<Item = Result<QueryResult>> + Send + 'static + use<> {
                let op = op_of(&self.0);
                let prepared = prepare(&mut self.0, options).and_then(|(built, ctx, exec)| {
                    let params = one(built)?;
                    let start = ctx.start_key(&exec, op, &params)?;
                    Ok((params, ctx, start))
                });
                match prepared {
                    Ok((params, ctx, start)) => ctx
                        .page_stream(client.clone(), op, params, start)
                        .left_stream(),
                    Err(e) => stream::once(async move { Err(e) }).right_stream(),
                }
            }

            /// The items one by one, across every page.
            ///
            /// ```no_run
            /// use futures::TryStreamExt;
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            #[doc = concat!("# let builder: electro_core::entity::", stringify!($ty), " = unimplemented!();")]
            /// let items: Vec<_> = builder.stream(&client, &Default::default()).try_collect().await?;
            /// println!("{} items", items.len());
            /// # Ok(()) }
            /// ```
            pub fn stream(
                self,
                client: &Client,
                options: &Options,
            ) -> impl Stream<Item = Result<Map>> + Send + 'static + use<> {
                self.pages(client, options)
                    .map_ok(|p| stream::iter(p.data.into_iter().map(Ok)))
                    .try_flatten()
            }
        }
    };
}

query_go!(Query);
query_go!(Scan);

impl Get {
    /// Runs the GetItem: the item, or `None` when there is none (or it is another
    /// entity's).
    ///
    /// ```no_run
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let item = e.get(electro_core::item!{"animal" => "lion", "name" => "Leo"}).go(&client).await?;
    /// # let _ = item; Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<Option<Map>> {
        self.go_with(client, &Options::default()).await
    }

    /// [`Get::go`] with options (`attributes`, `data`, `consistent`...).
    ///
    /// ```no_run
    /// use electro_core::entity::Options;
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let item = e.get(electro_core::item!{"animal" => "lion", "name" => "Leo"})
    ///     .go_with(&client, &Options::default().attributes(["name"])).await?;
    /// # let _ = item; Ok(()) }
    /// ```
    pub async fn go_with(mut self, client: &Client, options: &Options) -> Result<Option<Map>> {
        let op = op_of(&self.0);
        let (built, ctx, _) = prepare(&mut self.0, options)?;
        let params = one(built)?;
        let mut res = client
            .send_observed(op, &params, ctx.method, &ctx.listeners)
            .await?;
        match res.swap_remove("Item") {
            Some(Value::Map(item)) if ctx.is(&item) => Ok(Some(ctx.format_owned(item)?)),
            _ => Ok(None),
        }
    }
}

impl Put {
    /// Runs the PutItem and returns the item as written (formatted like a read),
    /// or, when a `response` option asked for old values, those (empty when there
    /// were none).
    ///
    /// ```no_run
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let item = e.put(electro_core::item!{"animal" => "lion", "name" => "Leo"}).go(&client).await?;
    /// assert_eq!(item["name"], electro_core::Value::from("Leo"));
    /// # Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<Map> {
        self.go_with(client, &Options::default()).await
    }

    /// [`Put::go`] with options.
    ///
    /// ```no_run
    /// use electro_core::entity::{Options, Response};
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let old = e.put(electro_core::item!{"animal" => "lion", "name" => "Leo"})
    ///     .go_with(&client, &Options::default().response(Response::AllOld)).await?;
    /// # let _ = old; Ok(()) }
    /// ```
    pub async fn go_with(mut self, client: &Client, options: &Options) -> Result<Map> {
        let (built, ctx, _) = prepare(&mut self.0, options)?;
        let mut params = one(built)?;
        let mut res = client
            .send_observed(Operation::Put, &params, ctx.method, &ctx.listeners)
            .await?;
        if ctx.response.is_some() {
            return match res.swap_remove("Attributes") {
                Some(Value::Map(a)) => ctx.format_owned(a),
                _ => Ok(Map::default()),
            };
        }
        // The item as written, read back as a get would: the params are spent.
        match params.swap_remove("Item") {
            Some(Value::Map(item)) => ctx.format_owned(item),
            _ => Ok(Map::default()),
        }
    }
}

/// `executeOperation` for updates and deletes.
async fn write_go(chain: &mut Chain, client: &Client, options: &Options) -> Result<Option<Map>> {
    let op = op_of(chain);
    let (built, ctx, _) = prepare(chain, options)?;
    let params = one(built)?;
    let res = client
        .send_observed(op, &params, ctx.method, &ctx.listeners)
        .await?;
    let attributes = match res.get("Attributes") {
        Some(Value::Map(a)) => Some(ctx.format(a)?),
        _ => None,
    };
    Ok(match ctx.response {
        Some(Response::None) => None,
        Some(_) => attributes.filter(|a| !a.is_empty()),
        None => Some(attributes.unwrap_or_else(|| ctx.include_on_response.clone())),
    })
}

macro_rules! write_go {
    ($ty:ident, $example:literal) => {
        impl $ty {
            /// Runs it. By default the item's key composites come back (or the
            /// attributes DynamoDB returned); with a `response` option the values it
            /// asked for (`None` for `Response::None` or when there are none).
            ///
            /// A failed condition is an `Error` whose
            /// [`aws()`](crate::Error::aws) says `ConditionalCheckFailed`; with
            /// `return_on_condition_check_failure` [`Entity::rejected_item`] gives the
            /// item as it was.
            ///
            /// ```no_run
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            /// let e = electro_core::entity::doc_entity();
            #[doc = $example]
            /// # Ok(()) }
            /// ```
            pub async fn go(self, client: &Client) -> Result<Option<Map>> {
                self.go_with(client, &Options::default()).await
            }

            /// Runs it with options (`response`, `return_on_condition_check_failure`,
            /// `listeners`...).
            ///
            /// ```no_run
            /// use electro_core::entity::{Options, Response};
            /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
            #[doc = concat!("# let builder: electro_core::entity::", stringify!($ty), " = unimplemented!();")]
            /// let new = builder.go_with(&client, &Options::default().response(Response::AllNew)).await?;
            /// # let _ = new; Ok(()) }
            /// ```
            pub async fn go_with(mut self, client: &Client, options: &Options) -> Result<Option<Map>> {
                write_go(&mut self.0, client, options).await
            }
        }
    };
}

write_go!(
    Update,
    "let keys = e.update(electro_core::item!{\"animal\" => \"lion\", \"name\" => \"Leo\"}).set(electro_core::item!{\"keeper\" => \"Zed\"}).go(&client).await?;"
);
write_go!(
    Upsert,
    "let keys = e.upsert(electro_core::item!{\"animal\" => \"lion\", \"name\" => \"Leo\", \"keeper\" => \"Zed\"}).go(&client).await?;"
);
write_go!(
    Delete,
    "let keys = e.delete(electro_core::item!{\"animal\" => \"lion\", \"name\" => \"Leo\"}).go(&client).await?;"
);

/// The slot key of an item in a batch get: its table key fields' values.
fn slot_key(item: &Map, pk: &str, sk: Option<&str>) -> String {
    let v = |f: &str| {
        item.get(f)
            .map(|v| v.to_json().to_string())
            .unwrap_or_default()
    };
    format!("{}\u{0}{}", v(pk), sk.map(v).unwrap_or_default())
}

impl Batch {
    /// Runs the batch: chunks of 100 keys (get) or 25 writes, `concurrent` requests
    /// in flight, unprocessed items retried per `batch_retry` and then returned.
    ///
    /// ```no_run
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let got = e.get_many(vec![electro_core::item!{"animal" => "lion", "name" => "Leo"}])
    ///     .go(&client).await?;
    /// assert!(got.unprocessed.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<BatchResult> {
        self.go_with(client, &Options::default()).await
    }

    /// [`Batch::go`] with options (`concurrent`, `preserve_batch_order`,
    /// `batch_retry`, `attributes`...).
    ///
    /// ```no_run
    /// use electro_core::entity::Options;
    /// # async fn run(client: electro_core::Client, items: Vec<electro_core::Map>) -> electro_core::Result<()> {
    /// let e = electro_core::entity::doc_entity();
    /// let written = e.put_many(items).go_with(&client, &Options::default().concurrent(4)).await?;
    /// assert!(written.unprocessed.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn go_with(mut self, client: &Client, options: &Options) -> Result<BatchResult> {
        let op = op_of(&self.0);
        let (built, ctx, exec) = prepare(&mut self.0, options)?;
        let requests = match built {
            Built::Many(v) => v,
            Built::One(p) => vec![p],
        };
        let (pk, sk) = ctx.model.primary_key_fields();
        // Request order of the keys, for `preserve_batch_order`.
        let mut order: Vec<String> = Vec::new();
        if op == Operation::BatchGet && exec.preserve_batch_order {
            for r in &requests {
                let Some(Value::Map(items)) = r.get("RequestItems") else {
                    continue;
                };
                for body in items.values() {
                    if let Some(keys) = body
                        .as_map()
                        .and_then(|b| b.get("Keys"))
                        .and_then(Value::as_list)
                    {
                        order.extend(
                            keys.iter()
                                .filter_map(Value::as_map)
                                .map(|k| slot_key(k, pk, sk)),
                        );
                    }
                }
            }
        }
        let outcome = client
            .send_batches(
                op,
                requests,
                exec.concurrent,
                &exec.retry,
                ctx.method,
                &ctx.listeners,
            )
            .await?;
        let mut result = BatchResult {
            requests: outcome.requests,
            retries: outcome.retries,
            consumed_capacity: outcome.consumed_capacity,
            ..BatchResult::default()
        };
        if op == Operation::BatchGet {
            let mut found = Vec::new();
            for item in &outcome.items {
                if ctx.is(item) {
                    found.push((slot_key(item, pk, sk), ctx.format(item)?));
                }
            }
            if exec.preserve_batch_order {
                let mut slots: Vec<Option<Map>> = vec![None; order.len()];
                for (key, item) in found {
                    match order.iter().position(|k| *k == key) {
                        Some(i) if slots[i].is_none() => slots[i] = Some(item),
                        _ => slots.push(Some(item)),
                    }
                }
                result.data = slots.iter().flatten().cloned().collect();
                result.ordered = slots;
            } else {
                result.data = found.into_iter().map(|(_, i)| i).collect();
            }
            result.unprocessed = outcome.unprocessed;
        } else {
            for request in outcome.unprocessed {
                let put = request
                    .get("PutRequest")
                    .and_then(Value::as_map)
                    .and_then(|p| p.get("Item"))
                    .and_then(Value::as_map);
                let del = request
                    .get("DeleteRequest")
                    .and_then(Value::as_map)
                    .and_then(|d| d.get("Key"))
                    .and_then(Value::as_map);
                match (put, del) {
                    (Some(item), _) => result.unprocessed.push(ctx.format(item)?),
                    (None, Some(key)) => result.unprocessed.push(key.clone()),
                    _ => {
                        return Err(Error::new(
                            ErrorCode::UnknownError,
                            "Unknown response format",
                        ));
                    }
                }
            }
        }
        Ok(result)
    }
}

impl Entity {
    /// The item a write's failed condition returned (with
    /// `return_on_condition_check_failure`), formatted like a read; `None` when the
    /// error carries none.
    ///
    /// ```no_run
    /// use electro_core::entity::Options;
    /// # async fn run(client: electro_core::Client) {
    /// let e = electro_core::entity::doc_entity();
    /// let mut options = Options::default();
    /// options.return_on_condition_check_failure = true;
    /// let err = e.create(electro_core::item!{"animal" => "lion", "name" => "Leo"})
    ///     .go_with(&client, &options).await.unwrap_err();
    /// let existing = e.rejected_item(&err);
    /// # let _ = existing; }
    /// ```
    pub fn rejected_item(&self, error: &Error) -> Option<Map> {
        let item = error.aws()?.item.as_ref()?;
        self.model
            .schema
            .format_item_for_retrieval(item, &RetrievalOptions::default())
            .ok()
    }
}

impl Options {
    /// Reads this many pages (ElectroDB's `pages`; 1 by default).
    ///
    /// ```
    /// use electro_core::entity::{Options, Pages};
    /// assert_eq!(Options::default().pages(Pages::All).pages, Some(Pages::All));
    /// ```
    pub fn pages(mut self, pages: Pages) -> Self {
        self.pages = Some(pages);
        self
    }

    /// Stops once this many items are kept, whatever the pages (ElectroDB's
    /// `count`); the cursor then points just after the last item returned.
    ///
    /// ```
    /// assert_eq!(electro_core::entity::Options::default().count(10).count, Some(10));
    /// ```
    pub fn count(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }

    /// Resumes from a cursor a previous page returned.
    ///
    /// ```
    /// let o = electro_core::entity::Options::default().cursor("eyJwayI6ImEifQ");
    /// assert!(o.cursor.is_some());
    /// ```
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// How cursors are given and taken: [`Pager::Raw`] for the `LastEvaluatedKey`
    /// as JSON text, anything else for ElectroDB's opaque cursor.
    ///
    /// ```
    /// use electro_core::entity::{Options, Pager};
    /// assert_eq!(Options::default().pager(Pager::Raw).pager, Some(Pager::Raw));
    /// ```
    pub fn pager(mut self, pager: Pager) -> Self {
        self.pager = Some(pager);
        self
    }

    /// What results contain.
    ///
    /// ```
    /// use electro_core::entity::{DataFormat, Options};
    /// assert_eq!(Options::default().data(DataFormat::IncludeKeys).data, Some(DataFormat::IncludeKeys));
    /// ```
    pub fn data(mut self, data: DataFormat) -> Self {
        self.data = Some(data);
        self
    }

    /// Batch requests in flight at once (1 by default).
    ///
    /// ```
    /// assert_eq!(electro_core::entity::Options::default().concurrent(4).concurrent, Some(4));
    /// ```
    pub fn concurrent(mut self, concurrent: u32) -> Self {
        self.concurrent = Some(concurrent);
        self
    }

    /// Keeps batch-get results in the order of the keys asked for.
    ///
    /// ```
    /// assert!(electro_core::entity::Options::default().preserve_batch_order(true).preserve_batch_order);
    /// ```
    pub fn preserve_batch_order(mut self, preserve: bool) -> Self {
        self.preserve_batch_order = preserve;
        self
    }

    /// How unprocessed batch items are retried.
    ///
    /// ```
    /// use electro_core::{entity::Options, exec::RetryPolicy};
    /// let o = Options::default().batch_retry(RetryPolicy::none());
    /// assert_eq!(o.batch_retry.unwrap().max_retries, 0);
    /// ```
    pub fn batch_retry(mut self, retry: RetryPolicy) -> Self {
        self.batch_retry = Some(retry);
        self
    }

    /// Adds a listener for ElectroDB's `query` / `results` events.
    ///
    /// ```
    /// use electro_core::{entity::Options, exec::Listener};
    /// let o = Options::default().listener(Listener::new(|e| println!("{}", e.method)));
    /// assert_eq!(o.listeners.len(), 1);
    /// ```
    pub fn listener(mut self, listener: Listener) -> Self {
        self.listeners.push(listener);
        self
    }

    /// Asks DynamoDB for consumed capacity (`ReturnConsumedCapacity: TOTAL`), summed
    /// into results over pages and batch requests.
    ///
    /// ```
    /// let o = electro_core::entity::Options::default().consumed_capacity();
    /// assert_eq!(o.params["ReturnConsumedCapacity"], electro_core::Value::from("TOTAL"));
    /// ```
    pub fn consumed_capacity(mut self) -> Self {
        self.params
            .insert("ReturnConsumedCapacity".into(), Value::from("TOTAL"));
        self
    }
}

impl TableDefinition {
    /// The table these entities need: the table index's key fields and one GSI per
    /// secondary index of any of them (numeric where a key is cast to a number).
    /// The name is the first entity's table.
    ///
    /// ```
    /// let e = electro_core::entity::doc_entity();
    /// let t = electro_core::exec::TableDefinition::from_entities(&[&e]).unwrap();
    /// assert_eq!((t.name.as_str(), t.pk.as_str(), t.sk.as_deref()), ("electro", "pk", Some("sk")));
    /// assert_eq!(t.gsis.len(), 2);
    /// ```
    pub fn from_entities(entities: &[&Entity]) -> Result<TableDefinition> {
        let Some(first) = entities.first() else {
            return Err(Error::new(
                ErrorCode::InvalidOptions,
                "TableDefinition::from_entities needs at least one entity",
            ));
        };
        let name = first
            .table_name()
            .ok_or_else(|| Error::new(ErrorCode::MissingTable, "Table name not defined."))?;
        let (pk, sk) = first.model().primary_key_fields();
        let mut def = TableDefinition::new(name, pk);
        if let Some(sk) = sk {
            def = def.sk(sk);
        }
        for e in entities {
            let model = e.model();
            for index in &model.indexes {
                for key in std::iter::once(&index.pk).chain(index.sk.as_ref()) {
                    if key.cast.as_deref() == Some("number") {
                        def = def.attribute_type(key.field.clone(), KeyAttributeType::Number);
                    }
                }
                if index.index.is_empty() || def.gsis.iter().any(|g| g.name == index.index) {
                    continue;
                }
                let mut gsi = GsiDefinition::new(&index.index, &index.pk.field);
                if let Some(sk) = index.sk_field() {
                    gsi = gsi.sk(sk);
                }
                def = def.gsi(gsi);
            }
        }
        Ok(def)
    }
}
