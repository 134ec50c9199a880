//! Query options: what ElectroDB takes in `.params(options)` / `.go(options)`, typed,
//! and their normalisation (ElectroDB's `_normalizeExecutionOptions`).

use serde_json::Value as Json;

use crate::error::{Error, ErrorCode, Result};
use crate::{Map, Value};

/// Sort order of query results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Ascending (`ScanIndexForward: true`).
    Asc,
    /// Descending (`ScanIndexForward: false`).
    Desc,
}

/// What a write returns (`ReturnValues`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// The operation's usual result.
    Default,
    /// `NONE`.
    None,
    /// `ALL_OLD`.
    AllOld,
    /// `UPDATED_OLD`.
    UpdatedOld,
    /// `ALL_NEW`.
    AllNew,
    /// `UPDATED_NEW`.
    UpdatedNew,
}

impl Response {
    /// Parses ElectroDB's name for it.
    ///
    /// ```
    /// use electro_core::entity::Response;
    /// assert_eq!(Response::parse("all_new"), Some(Response::AllNew));
    /// assert_eq!(Response::parse("everything"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Response> {
        Some(match s {
            "default" => Response::Default,
            "none" => Response::None,
            "all_old" => Response::AllOld,
            "updated_old" => Response::UpdatedOld,
            "all_new" => Response::AllNew,
            "updated_new" => Response::UpdatedNew,
            _ => return None,
        })
    }

    /// DynamoDB's `ReturnValues` value.
    ///
    /// ```
    /// use electro_core::entity::Response;
    /// assert_eq!(Response::UpdatedOld.return_values(), "UPDATED_OLD");
    /// assert_eq!(Response::Default.return_values(), "NONE");
    /// ```
    pub fn return_values(self) -> &'static str {
        match self {
            Response::Default | Response::None => "NONE",
            Response::AllOld => "ALL_OLD",
            Response::UpdatedOld => "UPDATED_OLD",
            Response::AllNew => "ALL_NEW",
            Response::UpdatedNew => "UPDATED_NEW",
        }
    }
}

/// How sort-key range queries compare (ElectroDB's `compare` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Compare {
    /// Compare the built keys (the default).
    #[default]
    Keys,
    /// Also filter on the composite attributes themselves.
    Attributes,
    /// ElectroDB 3's corrected key comparison.
    V2,
}

/// What results contain (ElectroDB's `data` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DataFormat {
    /// Formatted attributes (the default).
    #[default]
    Attributes,
    /// Formatted attributes plus key fields.
    IncludeKeys,
    /// DynamoDB's response as is.
    Raw,
}

/// How cursors/pagers are shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Pager {
    /// Named composite attributes (ElectroDB v1 default).
    #[default]
    Named,
    /// The last item.
    Item,
    /// DynamoDB's LastEvaluatedKey.
    Raw,
    /// ElectroDB 3's opaque cursor.
    Cursor,
}

/// How many pages a query reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pages {
    /// Up to this many.
    Count(u32),
    /// Until the end.
    All,
}

/// Options for `.params()` and `.go()`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The table, overriding the entity's.
    pub table: Option<String>,
    /// Params merged over what electro builds (ElectroDB's `params`).
    pub params: Map,
    /// `Limit`.
    pub limit: Option<Value>,
    /// `ScanIndexForward`.
    pub order: Option<Order>,
    /// Attributes to project.
    pub attributes: Vec<String>,
    /// Return items of other entities too.
    pub ignore_ownership: Option<bool>,
    /// `ReturnValues`.
    pub response: Option<Response>,
    /// `ConsistentRead`.
    pub consistent: bool,
    /// Stop after this many items.
    pub count: Option<u32>,
    /// How many pages.
    pub pages: Option<Pages>,
    /// Sort-key comparison mode.
    pub compare: Option<Compare>,
    /// What results contain.
    pub data: Option<DataFormat>,
    /// Results as DynamoDB returned them.
    pub raw: bool,
    /// Include key fields in results.
    pub include_keys: bool,
    /// The pager shape.
    pub pager: Option<Pager>,
    /// Concurrent batch requests.
    pub concurrent: Option<u32>,
    /// Keep batch-get results in request order.
    pub preserve_batch_order: bool,
    /// Resume from this cursor.
    pub cursor: Option<String>,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    pub return_on_condition_check_failure: bool,
    /// Whether the chain is a collection query (set by services).
    pub(crate) is_collection_query: bool,
    /// Whether the params are for `.go()` (which then projects the identifiers
    /// that ownership checks need), as ElectroDB's `terminalOperation`.
    pub(crate) terminal_go: bool,
    /// Called with ElectroDB's `query` and `results` events of every request
    /// `.go()` sends (ElectroDB's `listeners` / `logger`).
    pub listeners: Vec<crate::exec::Listener>,
    /// How `.go()` retries unprocessed batch items; `None` is
    /// [`RetryPolicy::default`](crate::exec::RetryPolicy::default).
    pub batch_retry: Option<crate::exec::RetryPolicy>,
}

/// The options of a plain `.params()`: made once, not per call (a default
/// `Options` is 240 bytes to fill and drop).
pub(crate) fn no_options() -> &'static Options {
    static NO_OPTIONS: std::sync::LazyLock<Options> = std::sync::LazyLock::new(Options::default);
    &NO_OPTIONS
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidOptions, message)
}

impl Options {
    /// Options from ElectroDB's JSON option object, with its errors for bad values.
    ///
    /// ```
    /// let o = electro_core::entity::Options::from_json(&serde_json::json!({"limit": 10, "order": "desc"})).unwrap();
    /// assert_eq!(o.order, Some(electro_core::entity::Order::Desc));
    /// assert_eq!(electro_core::entity::Options::from_json(&serde_json::json!({"order": "up"})).unwrap_err().code(), 1010);
    /// ```
    pub fn from_json(json: &Json) -> Result<Options> {
        let mut o = Options::default();
        let Some(obj) = json.as_object() else {
            return Ok(o);
        };
        if let Some(order) = obj.get("order").and_then(|v| v.as_str()) {
            o.order = Some(match order.to_ascii_lowercase().as_str() {
                "asc" => Order::Asc,
                "desc" => Order::Desc,
                _ => {
                    return Err(invalid(format!(
                        "Invalid value for query option \"order\" provided. Valid options include 'asc' and 'desc, received: \"{order}\""
                    )));
                }
            });
        }
        if let Some(compare) = obj.get("compare").and_then(|v| v.as_str()) {
            o.compare = Some(match compare.to_ascii_lowercase().as_str() {
                "keys" => Compare::Keys,
                "attributes" => Compare::Attributes,
                "v2" => Compare::V2,
                _ => {
                    return Err(invalid(format!(
                        "Invalid value for query option \"compare\" provided. Valid options include \"keys\", \"attributes\", \"v2\", received: \"{compare}\""
                    )));
                }
            });
        }
        if let Some(response) = obj.get("response").and_then(|v| v.as_str()) {
            if !response.is_empty() {
                o.response = Some(Response::parse(response).ok_or_else(|| invalid(format!("Invalid value for query option \"format\" provided: \"{response}\". Allowed values include \"default\", \"none\", \"all_old\", \"updated_old\", \"all_new\", \"updated_new\"."))) ?);
            }
        }
        if let Some(attrs) = obj.get("attributes").and_then(|v| v.as_array()) {
            o.attributes = attrs
                .iter()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect();
        }
        o.preserve_batch_order = obj.get("preserveBatchOrder") == Some(&Json::Bool(true));
        if let Some(pages) = obj.get("pages") {
            o.pages = Some(match pages {
                Json::String(s) if s == "all" => Pages::All,
                Json::Number(n) if n.as_u64().is_some_and(|n| n >= 1) => {
                    Pages::Count(n.as_u64().unwrap_or(1).min(u32::MAX as u64) as u32)
                }
                other => {
                    return Err(Error::new(
                        ErrorCode::InvalidPagesOption,
                        format!(
                            "Query option 'pages' must be of type 'number' and greater than zero or the string value 'all'. Received: {other}"
                        ),
                    ));
                }
            });
        }
        o.include_keys = obj.get("includeKeys") == Some(&Json::Bool(true));
        if let Some(r) = obj.get("returnOnConditionCheckFailure") {
            match r {
                Json::Bool(b) => o.return_on_condition_check_failure = *b,
                Json::String(s) if s.eq_ignore_ascii_case("all_old") => {
                    o.return_on_condition_check_failure = true
                }
                other => {
                    return Err(invalid(format!(
                        "Invalid value for query option \"returnOnConditionCheckFailure\" provided: \"{}\". Allowed values include true, false, or \"all_old\".",
                        other.as_str().unwrap_or(&other.to_string())
                    )));
                }
            }
        }
        o.raw = obj.get("raw") == Some(&Json::Bool(true));
        if let Some(cursor) = obj.get("cursor").and_then(|v| v.as_str()) {
            o.cursor = Some(cursor.to_string());
        }
        if let Some(data) = obj.get("data").and_then(|v| v.as_str()) {
            o.data = Some(match data {
                "attributes" => DataFormat::Attributes,
                "includeKeys" => DataFormat::IncludeKeys,
                "raw" => DataFormat::Raw,
                _ => {
                    return Err(invalid(
                        "Query option 'data' must be one of \"raw\", \"includeKeys\", \"attributes\".",
                    ));
                }
            });
        }
        if let Some(count) = obj.get("count") {
            match count.as_f64() {
                Some(n) if n >= 1.0 => o.count = Some(n as u32),
                _ => {
                    return Err(invalid(
                        "Query option 'count' must be of type 'number' and greater than zero.",
                    ));
                }
            }
        }
        o.consistent = obj.get("consistent") == Some(&Json::Bool(true));
        if let Some(limit) = obj.get("limit") {
            if !limit.is_null() {
                o.limit = Some(Value::from_json(limit));
            }
        }
        if let Some(table) = obj.get("table").and_then(|v| v.as_str()) {
            if !table.is_empty() {
                o.table = Some(table.to_string());
            }
        }
        if let Some(c) = obj.get("concurrent").and_then(|v| v.as_u64()) {
            o.concurrent = Some(c.min(u32::MAX as u64) as u32);
        }
        if let Some(pager) = obj.get("pager").and_then(|v| v.as_str()) {
            o.pager = Some(match pager {
                "named" => Pager::Named,
                "item" => Pager::Item,
                "raw" => Pager::Raw,
                "cursor" => Pager::Cursor,
                _ => {
                    return Err(invalid(format!(
                        "Invalid value for option \"pager\" provided: \"{pager}\". Allowed values include \"raw\", \"named\", \"item\", \"cursor\"."
                    )));
                }
            });
        }
        if let Some(b) = obj.get("ignoreOwnership").and_then(|v| v.as_bool()) {
            o.ignore_ownership = Some(b);
        }
        if let Some(Json::Object(params)) = obj.get("params") {
            for (k, v) in params {
                o.params.insert(k.as_str().into(), Value::from_json(v));
            }
        }
        Ok(o)
    }

    /// Sets the table.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().table("zoo-archive")).unwrap();
    /// assert_eq!(p.to_json()["TableName"], "zoo-archive");
    /// ```
    pub fn table(mut self, table: impl Into<String>) -> Self {
        self.table = Some(table.into());
        self
    }

    /// Sets `Limit`.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().limit(10)).unwrap();
    /// assert_eq!(p.to_json()["Limit"], 10);
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(Value::from(limit));
        self
    }

    /// Sets the order.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::{Options, Order}, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().order(Order::Desc)).unwrap();
    /// assert_eq!(p.to_json()["ScanIndexForward"], false);
    /// ```
    pub fn order(mut self, order: Order) -> Self {
        self.order = Some(order);
        self
    }

    /// Projects these attributes.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().attributes(["name"])).unwrap();
    /// assert_eq!(p.to_json()["ProjectionExpression"], "#pk, #sk1, #name");
    /// ```
    pub fn attributes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, attrs: I) -> Self {
        self.attributes = attrs.into_iter().map(Into::into).collect();
        self
    }

    /// Sets what writes return.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::{Options, Response}, item};
    /// let p = e.update(item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"])
    ///     .params_with(&Options::default().response(Response::AllNew)).unwrap();
    /// assert_eq!(p.to_json()["ReturnValues"], "ALL_NEW");
    /// ```
    pub fn response(mut self, response: Response) -> Self {
        self.response = Some(response);
        self
    }

    /// Returns other entities' items too.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::entity::Options;
    /// let p = e.scan().params_with(&Options::default().ignore_ownership(true)).unwrap();
    /// assert_eq!(p.to_json()["FilterExpression"], "begins_with(#pk, :pk) AND begins_with(#sk, :sk)");
    /// ```
    pub fn ignore_ownership(mut self, ignore: bool) -> Self {
        self.ignore_ownership = Some(ignore);
        self
    }

    /// Reads consistently.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().consistent(true)).unwrap();
    /// assert_eq!(p.to_json()["ConsistentRead"], true);
    /// ```
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// Sets the comparison mode.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::{Compare, Options}, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).gt(item! {"name" => "L"})
    ///     .params_with(&Options::default().compare(Compare::Attributes)).unwrap();
    /// assert_eq!(p.to_json()["FilterExpression"], "#name > :name0");
    /// ```
    pub fn compare(mut self, compare: Compare) -> Self {
        self.compare = Some(compare);
        self
    }

    /// Merges raw params over the built ones.
    ///
    /// ```
    /// # let e = electro_core::entity::doc_entity();
    /// use electro_core::{entity::Options, item};
    /// let p = e.query("animal", item! {"animal" => "lion"}).params_with(&Options::default().params(item! {"ReturnConsumedCapacity" => "TOTAL"})).unwrap();
    /// assert_eq!(p.to_json()["ReturnConsumedCapacity"], "TOTAL");
    /// ```
    pub fn params(mut self, params: Map) -> Self {
        self.params = params;
        self
    }
}

/// Options after merging entity defaults, chain state and the caller's options.
#[derive(Clone, Debug, Default)]
pub(crate) struct Normalized {
    pub params: Map,
    pub table: Option<String>,
    pub attributes: Vec<String>,
    pub ignore_ownership: bool,
    pub compare: Compare,
    pub data: DataFormat,
    pub response: Option<Response>,
    pub pages: Option<Pages>,
    pub count: Option<u32>,
    pub pager: Pager,
    pub terminal_go: bool,
    pub is_collection_query: bool,
}

/// Merges options as `_normalizeExecutionOptions` does, in the order given.
pub(crate) fn normalize(
    provided: &[&Options],
    default_ignore_ownership: bool,
    is_transaction: bool,
) -> Normalized {
    let mut n = Normalized {
        ignore_ownership: default_ignore_ownership,
        ..Normalized::default()
    };
    // The default options (a plain `.params()`) change nothing.
    let none = no_options();
    let given = provided.iter().filter(|o| !std::ptr::eq(**o, none));
    for o in given {
        if let Some(order) = o.order {
            n.params
                .insert("ScanIndexForward".into(), Value::Bool(order == Order::Asc));
        }
        if let Some(c) = o.compare {
            n.compare = c;
        }
        if let Some(r) = o.response {
            if r != Response::Default {
                n.response = Some(r);
                let key = if is_transaction {
                    "ReturnValuesOnConditionCheckFailure"
                } else {
                    "ReturnValues"
                };
                n.params.insert(key.into(), Value::from(r.return_values()));
            }
        }
        n.attributes.extend(o.attributes.iter().cloned());
        if let Some(p) = o.pages {
            n.pages = Some(p);
        }
        if o.is_collection_query {
            n.is_collection_query = true;
        }
        if o.terminal_go {
            n.terminal_go = true;
        }
        if o.return_on_condition_check_failure {
            n.params.insert(
                "ReturnValuesOnConditionCheckFailure".into(),
                Value::from("ALL_OLD"),
            );
        }
        if let Some(d) = o.data {
            n.data = d;
        }
        if o.raw {
            n.data = DataFormat::Raw;
        }
        if let Some(c) = o.count {
            n.count = Some(c);
        }
        if o.consistent {
            n.params.insert("ConsistentRead".into(), Value::Bool(true));
        }
        if let Some(limit) = &o.limit {
            n.params.insert("Limit".into(), limit.clone());
        }
        if let Some(table) = &o.table {
            n.params
                .insert("TableName".into(), Value::from(table.as_str()));
            n.table = Some(table.clone());
        }
        if let Some(p) = o.pager {
            n.pager = p;
        }
        if let Some(i) = o.ignore_ownership {
            n.ignore_ownership = i;
        }
        for (k, v) in &o.params {
            n.params.insert(k.clone(), v.clone());
        }
    }
    n
}
