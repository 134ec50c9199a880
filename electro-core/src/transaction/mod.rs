//! Transactions: ElectroDB's `service.transaction.write(fn)` / `.get(fn)` and the
//! `commit` clause each operation ends with.
//!
//! Each operation is committed to a [`TransactItem`] (its params, built as in a
//! transaction: `response` becomes `ReturnValuesOnConditionCheckFailure`), and the
//! transaction lists them under `TransactItems`. Entities of different services
//! (or none) can be mixed through [`TransactWrite::new`].
//!
//! ```
//! use electro_core::{item, transaction::TransactWrite};
//! let zoo = electro_core::entity::doc_entity();
//! let p = TransactWrite::new()
//!     .item(zoo.remove(item! {"animal" => "lion", "name" => "Leo"}).commit())
//!     .params_json()
//!     .unwrap();
//! assert_eq!(p["TransactItems"][0]["Delete"]["ConditionExpression"],
//!            "attribute_exists(#pk) AND attribute_exists(#sk)");
//! ```

mod go;

pub use go::{TransactOutcome, TransactResult};

use serde_json::Value as Json;

use crate::entity::chain::{Chain, Method};
use crate::entity::{Built, Delete, Get, Operation, Options, Params, Put, Update, Upsert};
use crate::error::{Error, ErrorCode, Result};
use crate::{Map, Value};

/// DynamoDB's limit on the actions of one transaction.
pub const MAX_TRANSACTION_ITEMS: usize = 100;

/// DynamoDB's limit on the length of a `ClientRequestToken`.
pub const MAX_TOKEN_LENGTH: usize = 36;

/// What a committed operation is in `TransactItems`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactKind {
    /// `Get` (get transactions).
    Get,
    /// `ConditionCheck`.
    ConditionCheck,
    /// `Put` (put, create).
    Put,
    /// `Update` (update, patch, upsert).
    Update,
    /// `Delete` (delete, remove).
    Delete,
}

impl TransactKind {
    /// The key DynamoDB expects for it in `TransactItems`.
    ///
    /// ```
    /// use electro_core::transaction::TransactKind;
    /// assert_eq!(TransactKind::ConditionCheck.as_str(), "ConditionCheck");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TransactKind::Get => "Get",
            TransactKind::ConditionCheck => "ConditionCheck",
            TransactKind::Put => "Put",
            TransactKind::Update => "Update",
            TransactKind::Delete => "Delete",
        }
    }
}

/// One committed operation: its kind and params, or the error building them.
#[derive(Debug)]
pub struct TransactItem {
    result: Result<(TransactKind, Map)>,
    /// The entity the operation is on: formats what DynamoDB returns for it.
    model: Option<std::sync::Arc<crate::model::Model>>,
}

impl TransactItem {
    /// The kind and params, or the operation's error.
    ///
    /// ```
    /// use electro_core::{item, transaction::TransactKind};
    /// let zoo = electro_core::entity::doc_entity();
    /// let t = zoo.get(item! {"animal" => "lion", "name" => "Leo"}).commit();
    /// assert_eq!(t.result().unwrap().0, TransactKind::Get);
    /// ```
    pub fn result(&self) -> std::result::Result<(TransactKind, &Map), &Error> {
        match &self.result {
            Ok((k, m)) => Ok((*k, m)),
            Err(e) => Err(e),
        }
    }

    fn from_chain(chain: &mut Chain, options: &Options) -> TransactItem {
        let kind = match chain.method {
            Method::Get => TransactKind::Get,
            Method::Check => TransactKind::ConditionCheck,
            Method::Put => TransactKind::Put,
            Method::Update | Method::Upsert => TransactKind::Update,
            Method::Delete => TransactKind::Delete,
            other => {
                return TransactItem {
                    result: Err(Error::new(
                        ErrorCode::InvalidQueryParameters,
                        format!("Invalid commit method: {other:?}"),
                    )),
                    model: None,
                };
            }
        };
        let model = Some(chain.model.clone());
        let result = chain
            .build_params(options, true)
            .and_then(|(built, _)| match built {
                Built::One(body) => Ok((kind, body)),
                Built::Many(_) => Err(Error::new(
                    ErrorCode::InvalidQueryParameters,
                    "Invalid commit method: batch",
                )),
            });
        TransactItem { result, model }
    }

    fn into_value(self) -> Result<(TransactKind, Value)> {
        let (kind, body) = self.result?;
        let mut item = Map::with_capacity(1);
        item.insert(kind.as_str().into(), Value::Map(body));
        Ok((kind, Value::Map(item)))
    }
}

/// `commit` and `commit_with` per builder, documented with an example that commits
/// `$build` (over `doc_entity()` as `e`) as a `$kind` item.
macro_rules! commit_methods {
    ($($ty:ident => $kind:ident, $build:literal);* $(;)?) => {$(
        impl $ty {
            /// Ends the operation for a transaction, with default commit options.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::TransactKind};\n",
                "let t = ", $build, ".commit();\n",
                "assert_eq!(t.result().unwrap().0, TransactKind::", stringify!($kind), ");\n```"
            )]
            pub fn commit(self) -> TransactItem {
                self.commit_with(&Options::default())
            }

            /// Ends the operation for a transaction; `response` in the options becomes
            /// `ReturnValuesOnConditionCheckFailure`.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{entity::{Options, Response}, item};\n",
                "let t = ", $build, ".commit_with(&Options::default().response(Response::AllOld));\n",
                "let (_, params) = t.result().unwrap();\n",
                "assert_eq!(params[\"TableName\"], electro_core::Value::from(\"electro\"));\n```"
            )]
            pub fn commit_with(mut self, options: &Options) -> TransactItem {
                TransactItem::from_chain(&mut self.0, options)
            }
        }
    )*};
}

commit_methods! {
    Get => Get, r#"e.get(item! {"animal" => "lion", "name" => "Leo"})"#;
    Put => Put, r#"e.create(item! {"animal" => "lion", "name" => "Leo", "keeper" => "Zed"})"#;
    Update => Update, r#"e.patch(item! {"animal" => "lion", "name" => "Leo"}).remove(["diet"])"#;
    Upsert => Update, r#"e.upsert(item! {"animal" => "lion", "name" => "Leo", "habitat" => "plains", "keeper" => "Zed", "enclosure" => "E1"})"#;
    Delete => Delete, r#"e.remove(item! {"animal" => "lion", "name" => "Leo"})"#;
}

/// Options of a whole transaction.
#[derive(Clone, Debug, Default)]
pub struct TransactOptions {
    /// `ClientRequestToken`: makes the write idempotent.
    pub token: Option<String>,
}

impl TransactOptions {
    /// Sets the idempotency token.
    ///
    /// ```
    /// let o = electro_core::transaction::TransactOptions::default().token("t-1");
    /// assert_eq!(o.token.as_deref(), Some("t-1"));
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// From ElectroDB's option object (`{"token": "..."}`; other keys are ignored).
    ///
    /// ```
    /// let o = electro_core::transaction::TransactOptions::from_json(&serde_json::json!({"token": "x"}));
    /// assert_eq!(o.token.as_deref(), Some("x"));
    /// ```
    pub fn from_json(json: &Json) -> TransactOptions {
        TransactOptions {
            token: json
                .get("token")
                .and_then(|t| t.as_str())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        }
    }
}

fn transact_params(
    items: Vec<TransactItem>,
    error: Option<Error>,
    options: &TransactOptions,
    operation: Operation,
) -> Result<Params> {
    if let Some(e) = error {
        return Err(e);
    }
    if items.len() > MAX_TRANSACTION_ITEMS {
        return Err(Error::new(
            ErrorCode::InvalidQueryParameters,
            format!(
                "A transaction can hold at most {MAX_TRANSACTION_ITEMS} actions; {} were given",
                items.len()
            ),
        ));
    }
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        let (kind, value) = item.into_value()?;
        let is_get = kind == TransactKind::Get;
        if is_get != (operation == Operation::TransactGet) {
            return Err(Error::new(
                ErrorCode::InvalidQueryParameters,
                format!(
                    "A {} operation cannot be part of a {} transaction",
                    kind.as_str(),
                    if is_get { "write" } else { "get" }
                ),
            ));
        }
        list.push(value);
    }
    let mut body = Map::with_capacity(2);
    body.insert("TransactItems".into(), Value::List(list));
    if let Some(token) = &options.token {
        // DynamoDB's limit: say so before sending rather than after.
        if token.is_empty() || token.len() > MAX_TOKEN_LENGTH {
            return Err(Error::new(
                ErrorCode::InvalidOptions,
                format!(
                    "Transaction token must be 1 to {MAX_TOKEN_LENGTH} characters; \"{token}\" has {}",
                    token.len()
                ),
            ));
        }
        body.insert(
            "ClientRequestToken".into(),
            Value::String(token.as_str().into()),
        );
    }
    Ok(Params { operation, body })
}

macro_rules! transaction_type {
    ($(#[$doc:meta])* $ty:ident, $op:expr, $commit:literal, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Default)]
        pub struct $ty {
            items: Vec<TransactItem>,
            error: Option<Error>,
        }

        impl $ty {
            /// An empty transaction; add committed operations with `item`/`items`.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::", stringify!($ty), "};\n",
                "assert_eq!(", stringify!($ty), "::new().params_json().unwrap()[\"TransactItems\"], serde_json::json!([]));\n```"
            )]
            pub fn new() -> Self {
                Self::default()
            }

            pub(crate) fn failed(error: Error) -> Self {
                Self { items: Vec::new(), error: Some(error) }
            }

            /// Adds a committed operation; items keep their order.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::", stringify!($ty), "};\n",
                "let p = ", stringify!($ty), "::new().item(", $commit, ").params_json().unwrap();\n",
                "assert_eq!(p[\"TransactItems\"].as_array().unwrap().len(), 1);\n```"
            )]
            pub fn item(mut self, item: TransactItem) -> Self {
                self.items.push(item);
                self
            }

            /// Adds committed operations, e.g. one per item of a list.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::", stringify!($ty), "};\n",
                "let p = ", stringify!($ty), "::new().items([", $commit, ", ", $commit, "]).params_json().unwrap();\n",
                "assert_eq!(p[\"TransactItems\"].as_array().unwrap().len(), 2);\n```"
            )]
            pub fn items(mut self, items: impl IntoIterator<Item = TransactItem>) -> Self {
                self.items.extend(items);
                self
            }

            /// The params: `TransactItems`, in order. The first operation's error, if
            /// any, is returned instead; so is a transaction of more than 100 actions.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::", stringify!($ty), "};\n",
                "use electro_core::entity::Operation;\n",
                "let p = ", stringify!($ty), "::new().item(", $commit, ").params().unwrap();\n",
                "assert_eq!(p.operation, ", stringify!($op), ");\n```"
            )]
            pub fn params(self) -> Result<Params> {
                self.params_with(&TransactOptions::default())
            }

            /// The params with transaction options (`token` → `ClientRequestToken`).
            #[doc = $example]
            pub fn params_with(self, options: &TransactOptions) -> Result<Params> {
                transact_params(self.items, self.error, options, $op)
            }

            /// The params as canonical JSON.
            ///
            #[doc = concat!(
                "```\n# let e = electro_core::entity::doc_entity();\n",
                "use electro_core::{item, transaction::", stringify!($ty), "};\n",
                "let p = ", stringify!($ty), "::new().item(", $commit, ").params_json().unwrap();\n",
                "assert_eq!(p[\"TransactItems\"][0].as_object().unwrap().len(), 1);\n```"
            )]
            pub fn params_json(self) -> Result<Json> {
                Ok(self.params()?.to_json())
            }

            /// The entities of the operations, in order (to format results).
            fn models(&self) -> Vec<Option<std::sync::Arc<crate::model::Model>>> {
                self.items.iter().map(|i| i.model.clone()).collect()
            }
        }
    };
}

transaction_type!(
    /// A TransactWriteItems being built: put, create, upsert, update, patch,
    /// delete, remove and check operations.
    TransactWrite,
    Operation::TransactWrite,
    r#"e.remove(item! {"animal" => "lion", "name" => "Leo"}).commit()"#,
    r#"
```
use electro_core::{entity::{Options, Response}, item, transaction::{TransactOptions, TransactWrite}};
let zoo = electro_core::entity::doc_entity();
let p = TransactWrite::new()
    .item(zoo.update(item! {"animal" => "lion", "name" => "Leo"})
        .set(item! {"keeper" => "Zed"})
        .commit_with(&Options::default().response(Response::AllOld)))
    .params_with(&TransactOptions::default().token("once"))
    .unwrap()
    .to_json();
assert_eq!(p["ClientRequestToken"], "once");
assert_eq!(p["TransactItems"][0]["Update"]["ReturnValuesOnConditionCheckFailure"], "ALL_OLD");
let many = (0..101).map(|i| zoo.delete(item! {"animal" => "a", "name" => i.to_string()}).commit());
assert!(TransactWrite::new().items(many).params().is_err());
let long = TransactOptions::default().token("x".repeat(37));
let one = zoo.delete(item! {"animal" => "a", "name" => "b"}).commit();
assert_eq!(TransactWrite::new().item(one).params_with(&long).unwrap_err().code(), 1010);
```
"#
);

transaction_type!(
    /// A TransactGetItems being built from `get` operations.
    TransactGet,
    Operation::TransactGet,
    r#"e.get(item! {"animal" => "lion", "name" => "Leo"}).commit()"#,
    r#"
```
use electro_core::{item, transaction::{TransactGet, TransactOptions}};
let zoo = electro_core::entity::doc_entity();
let p = TransactGet::new()
    .item(zoo.get(item! {"animal" => "lion", "name" => "Leo"}).commit())
    .params_with(&TransactOptions::default())
    .unwrap()
    .to_json();
assert_eq!(p["TransactItems"][0]["Get"]["Key"]["pk"], "$zoo#animal_lion");
```
"#
);
