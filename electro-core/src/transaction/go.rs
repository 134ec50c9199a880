//! Running transactions: ElectroDB 3's `{canceled, data}` results, one entry per
//! operation, with DynamoDB's cancellation reasons instead of a thrown error.

use std::sync::Arc;

use super::{TransactGet, TransactOptions, TransactWrite};
use crate::error::{AwsErrorKind, Result};
use crate::exec::Client;
use crate::model::Model;
use crate::schema::RetrievalOptions;
use crate::{Map, Value};

/// What became of one operation of a transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct TransactOutcome {
    /// Whether this operation made DynamoDB cancel the transaction.
    pub rejected: bool,
    /// DynamoDB's reason code (`ConditionalCheckFailed`, `None`, ...), when canceled.
    pub code: Option<String>,
    /// DynamoDB's message for this operation, when canceled.
    pub message: Option<String>,
    /// The item: a get's result, or the item a failed condition returned with
    /// `response: all_old`; formatted as the entity formats reads.
    pub item: Option<Map>,
}

/// A transaction's result: canceled or not, and one outcome per operation.
#[derive(Clone, Debug, PartialEq)]
pub struct TransactResult {
    /// Whether DynamoDB canceled the transaction (nothing was written).
    pub canceled: bool,
    /// One entry per operation, in order.
    pub data: Vec<TransactOutcome>,
}

fn format(model: Option<&Arc<Model>>, item: Option<&Map>) -> Result<Option<Map>> {
    match (model, item) {
        (Some(model), Some(item)) => {
            let owned = item_belongs(model, item);
            if !owned {
                return Ok(None);
            }
            model
                .schema
                .format_item_for_retrieval(item, &RetrievalOptions::default())
                .map(Some)
        }
        (None, Some(item)) => Ok(Some(item.clone())),
        _ => Ok(None),
    }
}

/// Ownership: an item written by another entity is not returned as this one's.
fn item_belongs(model: &Model, item: &Map) -> bool {
    let ids = &model.identifiers;
    match (
        item.get(ids.entity.as_str()),
        item.get(ids.version.as_str()),
    ) {
        (Some(Value::String(e)), Some(Value::String(v))) => {
            *e == model.entity && *v == model.version
        }
        // Items written without identifiers (by other tools) are kept.
        _ => true,
    }
}

fn outcome_of_cancellation(
    models: &[Option<Arc<Model>>],
    error: &crate::Error,
) -> Result<Option<TransactResult>> {
    let Some(aws) = error.aws() else {
        return Ok(None);
    };
    if aws.kind != AwsErrorKind::TransactionCanceled {
        return Ok(None);
    }
    let mut data = Vec::with_capacity(aws.cancellation_reasons.len());
    for (i, reason) in aws.cancellation_reasons.iter().enumerate() {
        let rejected = reason.code.as_deref().is_some_and(|c| c != "None");
        data.push(TransactOutcome {
            rejected,
            code: reason.code.clone(),
            message: reason.message.clone(),
            item: format(models.get(i).and_then(Option::as_ref), reason.item.as_ref())?,
        });
    }
    Ok(Some(TransactResult {
        canceled: true,
        data,
    }))
}

impl TransactWrite {
    /// Runs the transaction. A transaction DynamoDB cancels (a failed condition, a
    /// conflict) is not an error: the result says `canceled` and which operation
    /// was rejected, with the item when `response: all_old` asked for it.
    ///
    /// ```no_run
    /// # async fn run(client: &electro_core::Client) -> electro_core::Result<()> {
    /// use electro_core::{item, transaction::TransactWrite};
    /// let zoo = electro_core::entity::doc_entity();
    /// let result = TransactWrite::new()
    ///     .item(zoo.create(item! {"animal" => "lion", "name" => "Leo"}).commit())
    ///     .go(client)
    ///     .await?;
    /// if result.canceled {
    ///     println!("rejected: {:?}", result.data.iter().map(|o| o.rejected).collect::<Vec<_>>());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<TransactResult> {
        self.go_with(client, &TransactOptions::default()).await
    }

    /// [`TransactWrite::go`] with transaction options (`token`): a re-sent
    /// transaction with the same token is applied once.
    ///
    /// ```no_run
    /// # async fn run(client: &electro_core::Client) -> electro_core::Result<()> {
    /// use electro_core::{item, transaction::{TransactOptions, TransactWrite}};
    /// let zoo = electro_core::entity::doc_entity();
    /// let result = TransactWrite::new()
    ///     .item(zoo.remove(item! {"animal" => "lion", "name" => "Leo"}).commit())
    ///     .go_with(client, &TransactOptions::default().token("remove-leo-1"))
    ///     .await?;
    /// assert_eq!(result.data.len(), 1);
    /// # Ok(()) }
    /// ```
    pub async fn go_with(
        self,
        client: &Client,
        options: &TransactOptions,
    ) -> Result<TransactResult> {
        let models = self.models();
        let params = self.params_with(options)?;
        match client.send(params.operation, &params.body).await {
            Ok(_) => Ok(TransactResult {
                canceled: false,
                data: models
                    .iter()
                    .map(|_| TransactOutcome {
                        rejected: false,
                        code: None,
                        message: None,
                        item: None,
                    })
                    .collect(),
            }),
            Err(e) => match outcome_of_cancellation(&models, &e)? {
                Some(result) => Ok(result),
                None => Err(e),
            },
        }
    }
}

impl TransactGet {
    /// Runs the transaction: one outcome per get, with its item (`None` when there
    /// is none, or when it belongs to another entity).
    ///
    /// ```no_run
    /// # async fn run(client: &electro_core::Client) -> electro_core::Result<()> {
    /// use electro_core::{item, transaction::TransactGet};
    /// let zoo = electro_core::entity::doc_entity();
    /// let result = TransactGet::new()
    ///     .item(zoo.get(item! {"animal" => "lion", "name" => "Leo"}).commit())
    ///     .go(client)
    ///     .await?;
    /// let leo = result.data[0].item.as_ref();
    /// # Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<TransactResult> {
        self.go_with(client, &TransactOptions::default()).await
    }

    /// [`TransactGet::go`] with transaction options.
    ///
    /// ```no_run
    /// # async fn run(client: &electro_core::Client) -> electro_core::Result<()> {
    /// use electro_core::{item, transaction::{TransactGet, TransactOptions}};
    /// let zoo = electro_core::entity::doc_entity();
    /// let result = TransactGet::new()
    ///     .item(zoo.get(item! {"animal" => "lion", "name" => "Leo"}).commit())
    ///     .go_with(client, &TransactOptions::default())
    ///     .await?;
    /// assert!(!result.canceled);
    /// # Ok(()) }
    /// ```
    pub async fn go_with(
        self,
        client: &Client,
        options: &TransactOptions,
    ) -> Result<TransactResult> {
        let models = self.models();
        let params = self.params_with(options)?;
        let response = match client.send(params.operation, &params.body).await {
            Ok(r) => r,
            Err(e) => {
                return match outcome_of_cancellation(&models, &e)? {
                    Some(result) => Ok(result),
                    None => Err(e),
                };
            }
        };
        let responses = match response.get("Responses") {
            Some(Value::List(items)) => items.as_slice(),
            _ => &[],
        };
        let mut data = Vec::with_capacity(models.len());
        for (i, model) in models.iter().enumerate() {
            let item = match responses.get(i) {
                Some(Value::Map(entry)) => match entry.get("Item") {
                    Some(Value::Map(item)) => Some(item),
                    _ => None,
                },
                _ => None,
            };
            data.push(TransactOutcome {
                rejected: false,
                code: None,
                message: None,
                item: format(model.as_ref(), item)?,
            });
        }
        Ok(TransactResult {
            canceled: false,
            data,
        })
    }
}
