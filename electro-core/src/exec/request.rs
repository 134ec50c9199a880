//! Running one operation from DocumentClient-style params and answering in the same
//! style, so that params built the way ElectroDB builds them can be executed as they
//! are, and responses read the way ElectroDB reads them.

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    Capacity, ConditionCheck, ConsumedCapacity, Delete, DeleteRequest, Get, ItemCollectionMetrics,
    KeysAndAttributes, Put, PutRequest, ReturnConsumedCapacity, ReturnItemCollectionMetrics,
    ReturnValue, ReturnValuesOnConditionCheckFailure, Select, TransactGetItem, TransactWriteItem,
    Update, WriteRequest,
};
use electro_expr::{Map, Number, Value};

use super::aws_error::{Details, from_sdk, no_details};
use super::client::Client;
use super::convert::{Item, from_item, from_item_owned};
use super::operation::Operation;
use super::params::{Params, invalid, single_entry};
use crate::error::Result;

impl Client {
    /// Runs `op` with DocumentClient-style `params`, exactly as ElectroDB's
    /// `.params()` emits them, and returns the response in the same style (`Item`,
    /// `Items`, `Count`, `ScannedCount`, `LastEvaluatedKey`, `Attributes`,
    /// `Responses`, `UnprocessedKeys`, `UnprocessedItems`, `ConsumedCapacity`).
    ///
    /// An unknown or mistyped params key is an `InvalidQueryParameters` (2013)
    /// error; a DynamoDB failure is an `AWSError` (4001) whose
    /// [`AwsError`](crate::error::AwsError) says what kind of failure it was.
    ///
    /// ```no_run
    /// use electro_core::exec::{Client, Operation};
    /// use electro_core::{Map, Value};
    ///
    /// # async fn run() -> electro_core::Result<()> {
    /// let client = Client::local("http://127.0.0.1:8000");
    /// let mut key = Map::default();
    /// key.insert("pk".into(), Value::from("$store#id_1"));
    /// key.insert("sk".into(), Value::from("$employee_1"));
    /// let mut params = Map::default();
    /// params.insert("TableName".into(), Value::from("electro"));
    /// params.insert("Key".into(), Value::Map(key));
    /// let response = client.send(Operation::Get, &params).await?;
    /// if let Some(Value::Map(item)) = response.get("Item") {
    ///     println!("found {item:?}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(&self, op: Operation, params: &Map) -> Result<Map> {
        let p = Params::new(op.aws_name(), params, op.params_keys())?;
        // DynamoDB's limits, checked before anything is sent (exec/limits.rs).
        super::limits::check_params(op, params)?;
        match op {
            Operation::Get => self.get_item(&p).await,
            Operation::Put => self.put_item(&p).await,
            Operation::Update => self.update_item(&p).await,
            Operation::Delete => self.delete_item(&p).await,
            Operation::Query => self.query(&p).await,
            Operation::Scan => self.scan(&p).await,
            Operation::BatchGet => self.batch_get(&p).await,
            Operation::BatchWrite => self.batch_write(&p).await,
            Operation::TransactWrite => self.transact_write(&p).await,
            Operation::TransactGet => self.transact_get(&p).await,
            Operation::Check => Err(invalid(
                "A ConditionCheck runs only as an item of a TransactWriteItems",
            )),
        }
    }

    async fn get_item(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .get_item()
            .table_name(p.required_string("TableName")?)
            .set_key(Some(p.required_item("Key")?))
            .set_projection_expression(p.string("ProjectionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_consistent_read(p.bool("ConsistentRead")?)
            .set_return_consumed_capacity(rcc(p)?)
            .send()
            .await
            .map_err(|e| from_sdk(e, no_details))?;
        let mut res = Map::default();
        if let Some(item) = out.item.take() {
            res.insert("Item".into(), Value::Map(from_item_owned(item)?));
        }
        put_capacity(&mut res, out.consumed_capacity());
        Ok(res)
    }

    async fn put_item(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .put_item()
            .table_name(p.required_string("TableName")?)
            .set_item(Some(p.required_item("Item")?))
            .set_condition_expression(p.string("ConditionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_expression_attribute_values(p.values()?)
            .set_return_values(p.enumeration("ReturnValues", ReturnValue::try_parse)?)
            .set_return_values_on_condition_check_failure(rvocf(p)?)
            .set_return_consumed_capacity(rcc(p)?)
            .set_return_item_collection_metrics(ricm(p)?)
            .send()
            .await
            .map_err(|e| {
                from_sdk(e, |e| match e {
                    PutItemError::ConditionalCheckFailedException(c) => failed_item(c.item()),
                    _ => Details::default(),
                })
            })?;
        write_result(
            out.attributes.take(),
            out.consumed_capacity(),
            out.item_collection_metrics(),
        )
    }

    async fn update_item(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .update_item()
            .table_name(p.required_string("TableName")?)
            .set_key(Some(p.required_item("Key")?))
            .set_update_expression(p.string("UpdateExpression")?)
            .set_condition_expression(p.string("ConditionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_expression_attribute_values(p.values()?)
            .set_return_values(p.enumeration("ReturnValues", ReturnValue::try_parse)?)
            .set_return_values_on_condition_check_failure(rvocf(p)?)
            .set_return_consumed_capacity(rcc(p)?)
            .set_return_item_collection_metrics(ricm(p)?)
            .send()
            .await
            .map_err(|e| {
                from_sdk(e, |e| match e {
                    UpdateItemError::ConditionalCheckFailedException(c) => failed_item(c.item()),
                    _ => Details::default(),
                })
            })?;
        write_result(
            out.attributes.take(),
            out.consumed_capacity(),
            out.item_collection_metrics(),
        )
    }

    async fn delete_item(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .delete_item()
            .table_name(p.required_string("TableName")?)
            .set_key(Some(p.required_item("Key")?))
            .set_condition_expression(p.string("ConditionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_expression_attribute_values(p.values()?)
            .set_return_values(p.enumeration("ReturnValues", ReturnValue::try_parse)?)
            .set_return_values_on_condition_check_failure(rvocf(p)?)
            .set_return_consumed_capacity(rcc(p)?)
            .set_return_item_collection_metrics(ricm(p)?)
            .send()
            .await
            .map_err(|e| {
                from_sdk(e, |e| match e {
                    DeleteItemError::ConditionalCheckFailedException(c) => failed_item(c.item()),
                    _ => Details::default(),
                })
            })?;
        write_result(
            out.attributes.take(),
            out.consumed_capacity(),
            out.item_collection_metrics(),
        )
    }

    async fn query(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .query()
            .table_name(p.required_string("TableName")?)
            .set_index_name(p.string("IndexName")?)
            .set_key_condition_expression(p.string("KeyConditionExpression")?)
            .set_filter_expression(p.string("FilterExpression")?)
            .set_projection_expression(p.string("ProjectionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_expression_attribute_values(p.values()?)
            .set_exclusive_start_key(p.item("ExclusiveStartKey")?)
            .set_limit(p.i32("Limit")?)
            .set_scan_index_forward(p.bool("ScanIndexForward")?)
            .set_consistent_read(p.bool("ConsistentRead")?)
            .set_select(p.enumeration("Select", Select::try_parse)?)
            .set_return_consumed_capacity(rcc(p)?)
            .send()
            .await
            .map_err(|e| from_sdk(e, no_details))?;
        page(
            out.items.take().unwrap_or_default(),
            out.count(),
            out.scanned_count(),
            out.last_evaluated_key.take(),
            out.consumed_capacity(),
        )
    }

    async fn scan(&self, p: &Params<'_>) -> Result<Map> {
        let mut out = self
            .sdk()
            .scan()
            .table_name(p.required_string("TableName")?)
            .set_index_name(p.string("IndexName")?)
            .set_filter_expression(p.string("FilterExpression")?)
            .set_projection_expression(p.string("ProjectionExpression")?)
            .set_expression_attribute_names(p.names()?)
            .set_expression_attribute_values(p.values()?)
            .set_exclusive_start_key(p.item("ExclusiveStartKey")?)
            .set_limit(p.i32("Limit")?)
            .set_consistent_read(p.bool("ConsistentRead")?)
            .set_select(p.enumeration("Select", Select::try_parse)?)
            .set_segment(p.i32("Segment")?)
            .set_total_segments(p.i32("TotalSegments")?)
            .set_return_consumed_capacity(rcc(p)?)
            .send()
            .await
            .map_err(|e| from_sdk(e, no_details))?;
        page(
            out.items.take().unwrap_or_default(),
            out.count(),
            out.scanned_count(),
            out.last_evaluated_key.take(),
            out.consumed_capacity(),
        )
    }

    async fn batch_get(&self, p: &Params<'_>) -> Result<Map> {
        let mut request_items = HashMap::new();
        for (table, body) in p.required_map("RequestItems")? {
            let what = format!("{}.RequestItems.{table}", p.what());
            let Value::Map(body) = body else {
                return Err(invalid(format!("{what} must be an object with Keys")));
            };
            let t = Params::new(
                what,
                body,
                &[
                    "Keys",
                    "ProjectionExpression",
                    "ExpressionAttributeNames",
                    "ConsistentRead",
                ],
            )?;
            let keys = t
                .required_list("Keys")?
                .iter()
                .enumerate()
                .map(|(i, k)| match k {
                    Value::Map(m) => Ok(super::convert::to_item(m)),
                    _ => Err(invalid(format!("{}.Keys[{i}] must be an object", t.what()))),
                })
                .collect::<Result<Vec<_>>>()?;
            let kaa = KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .set_projection_expression(t.string("ProjectionExpression")?)
                .set_expression_attribute_names(t.names()?)
                .set_consistent_read(t.bool("ConsistentRead")?)
                .build()
                .map_err(|e| invalid(format!("{}: {e}", t.what())))?;
            request_items.insert(table.to_string(), kaa);
        }
        let out = self
            .sdk()
            .batch_get_item()
            .set_request_items(Some(request_items))
            .set_return_consumed_capacity(rcc(p)?)
            .send()
            .await
            .map_err(|e| from_sdk(e, no_details))?;
        let mut res = Map::default();
        let mut responses = Map::default();
        for (table, items) in sorted(out.responses()) {
            responses.insert(table.as_str().into(), items_list(items)?);
        }
        res.insert("Responses".into(), Value::Map(responses));
        let mut unprocessed = Map::default();
        for (table, kaa) in sorted(out.unprocessed_keys()) {
            let mut body = Map::default();
            body.insert("Keys".into(), items_list(kaa.keys())?);
            if let Some(pe) = kaa.projection_expression() {
                body.insert("ProjectionExpression".into(), Value::from(pe));
            }
            if let Some(names) = kaa.expression_attribute_names() {
                body.insert(
                    "ExpressionAttributeNames".into(),
                    Value::Map(string_map(names)),
                );
            }
            if let Some(cr) = kaa.consistent_read() {
                body.insert("ConsistentRead".into(), Value::Bool(cr));
            }
            unprocessed.insert(table.as_str().into(), Value::Map(body));
        }
        res.insert("UnprocessedKeys".into(), Value::Map(unprocessed));
        put_capacities(&mut res, out.consumed_capacity());
        Ok(res)
    }

    async fn batch_write(&self, p: &Params<'_>) -> Result<Map> {
        let mut request_items = HashMap::new();
        for (table, writes) in p.required_map("RequestItems")? {
            let what = format!("{}.RequestItems.{table}", p.what());
            let Value::List(writes) = writes else {
                return Err(invalid(format!(
                    "{what} must be an array of write requests"
                )));
            };
            let writes = writes
                .iter()
                .enumerate()
                .map(|(i, w)| write_request(&format!("{what}[{i}]"), w))
                .collect::<Result<Vec<_>>>()?;
            request_items.insert(table.to_string(), writes);
        }
        let out = self
            .sdk()
            .batch_write_item()
            .set_request_items(Some(request_items))
            .set_return_consumed_capacity(rcc(p)?)
            .set_return_item_collection_metrics(ricm(p)?)
            .send()
            .await
            .map_err(|e| from_sdk(e, no_details))?;
        let mut res = Map::default();
        let mut unprocessed = Map::default();
        for (table, writes) in sorted(out.unprocessed_items()) {
            let list = writes
                .iter()
                .map(write_request_value)
                .collect::<Result<_>>()?;
            unprocessed.insert(table.as_str().into(), Value::List(list));
        }
        res.insert("UnprocessedItems".into(), Value::Map(unprocessed));
        put_capacities(&mut res, out.consumed_capacity());
        Ok(res)
    }

    async fn transact_write(&self, p: &Params<'_>) -> Result<Map> {
        let items = p
            .required_list("TransactItems")?
            .iter()
            .enumerate()
            .map(|(i, el)| transact_write_item(&format!("{}.TransactItems[{i}]", p.what()), el))
            .collect::<Result<Vec<_>>>()?;
        let out = self
            .sdk()
            .transact_write_items()
            .set_transact_items(Some(items))
            .set_client_request_token(p.string("ClientRequestToken")?)
            .set_return_consumed_capacity(rcc(p)?)
            .set_return_item_collection_metrics(ricm(p)?)
            .send()
            .await
            .map_err(|e| {
                from_sdk(e, |e| match e {
                    TransactWriteItemsError::TransactionCanceledException(t) => Details {
                        item: None,
                        reasons: t.cancellation_reasons().to_vec(),
                    },
                    _ => Details::default(),
                })
            })?;
        let mut res = Map::default();
        put_capacities(&mut res, out.consumed_capacity());
        Ok(res)
    }

    async fn transact_get(&self, p: &Params<'_>) -> Result<Map> {
        let items = p
            .required_list("TransactItems")?
            .iter()
            .enumerate()
            .map(|(i, el)| {
                let what = format!("{}.TransactItems[{i}]", p.what());
                let (kind, body) = single_entry(&what, el)?;
                if kind != "Get" {
                    return Err(invalid(format!(
                        "{what} must be a Get request, got \"{kind}\""
                    )));
                }
                let g = Params::new(
                    format!("{what}.Get"),
                    body,
                    &[
                        "TableName",
                        "Key",
                        "ProjectionExpression",
                        "ExpressionAttributeNames",
                    ],
                )?;
                let get = Get::builder()
                    .table_name(g.required_string("TableName")?)
                    .set_key(Some(g.required_item("Key")?))
                    .set_projection_expression(g.string("ProjectionExpression")?)
                    .set_expression_attribute_names(g.names()?)
                    .build()
                    .map_err(|e| invalid(format!("{}: {e}", g.what())))?;
                Ok(TransactGetItem::builder().get(get).build())
            })
            .collect::<Result<Vec<_>>>()?;
        let out = self
            .sdk()
            .transact_get_items()
            .set_transact_items(Some(items))
            .set_return_consumed_capacity(rcc(p)?)
            .send()
            .await
            .map_err(|e| {
                from_sdk(e, |e| match e {
                    TransactGetItemsError::TransactionCanceledException(t) => Details {
                        item: None,
                        reasons: t.cancellation_reasons().to_vec(),
                    },
                    _ => Details::default(),
                })
            })?;
        let mut res = Map::default();
        let responses = out
            .responses()
            .iter()
            .map(|r| {
                let mut m = Map::default();
                put_item_field(&mut m, "Item", r.item())?;
                Ok(Value::Map(m))
            })
            .collect::<Result<_>>()?;
        res.insert("Responses".into(), Value::List(responses));
        put_capacities(&mut res, out.consumed_capacity());
        Ok(res)
    }
}

fn rcc(p: &Params<'_>) -> Result<Option<ReturnConsumedCapacity>> {
    p.enumeration("ReturnConsumedCapacity", ReturnConsumedCapacity::try_parse)
}

fn ricm(p: &Params<'_>) -> Result<Option<ReturnItemCollectionMetrics>> {
    p.enumeration(
        "ReturnItemCollectionMetrics",
        ReturnItemCollectionMetrics::try_parse,
    )
}

fn rvocf(p: &Params<'_>) -> Result<Option<ReturnValuesOnConditionCheckFailure>> {
    p.enumeration(
        "ReturnValuesOnConditionCheckFailure",
        ReturnValuesOnConditionCheckFailure::try_parse,
    )
}

fn failed_item(item: Option<&Item>) -> Details {
    Details {
        item: item.cloned(),
        reasons: Vec::new(),
    }
}

/// One element of a batch write's table list: `{PutRequest: {Item}}` or
/// `{DeleteRequest: {Key}}`.
fn write_request(what: &str, element: &Value) -> Result<WriteRequest> {
    let (kind, body) = single_entry(what, element)?;
    let built = match kind {
        "PutRequest" => {
            let r = Params::new(format!("{what}.PutRequest"), body, &["Item"])?;
            let put = PutRequest::builder()
                .set_item(Some(r.required_item("Item")?))
                .build()
                .map_err(|e| invalid(format!("{}: {e}", r.what())))?;
            WriteRequest::builder().put_request(put).build()
        }
        "DeleteRequest" => {
            let r = Params::new(format!("{what}.DeleteRequest"), body, &["Key"])?;
            let delete = DeleteRequest::builder()
                .set_key(Some(r.required_item("Key")?))
                .build()
                .map_err(|e| invalid(format!("{}: {e}", r.what())))?;
            WriteRequest::builder().delete_request(delete).build()
        }
        other => {
            return Err(invalid(format!(
                "{what} must be a PutRequest or DeleteRequest, got \"{other}\""
            )));
        }
    };
    Ok(built)
}

fn write_request_value(w: &WriteRequest) -> Result<Value> {
    let mut m = Map::default();
    if let Some(put) = w.put_request() {
        let mut body = Map::default();
        body.insert("Item".into(), Value::Map(from_item(put.item())?));
        m.insert("PutRequest".into(), Value::Map(body));
    }
    if let Some(delete) = w.delete_request() {
        let mut body = Map::default();
        body.insert("Key".into(), Value::Map(from_item(delete.key())?));
        m.insert("DeleteRequest".into(), Value::Map(body));
    }
    Ok(Value::Map(m))
}

/// One element of `TransactItems` for a write transaction.
fn transact_write_item(what: &str, element: &Value) -> Result<TransactWriteItem> {
    const COMMON: [&str; 6] = [
        "TableName",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnValuesOnConditionCheckFailure",
        "Key",
    ];
    let (kind, body) = single_entry(what, element)?;
    let what = format!("{what}.{kind}");
    let build_err = |e: aws_sdk_dynamodb::error::BuildError| invalid(format!("{what}: {e}"));
    let item = TransactWriteItem::builder();
    let item = match kind {
        "Put" => {
            let mut allowed = COMMON.to_vec();
            allowed.retain(|k| *k != "Key");
            allowed.push("Item");
            let r = Params::new(what.clone(), body, &allowed)?;
            item.put(
                Put::builder()
                    .table_name(r.required_string("TableName")?)
                    .set_item(Some(r.required_item("Item")?))
                    .set_condition_expression(r.string("ConditionExpression")?)
                    .set_expression_attribute_names(r.names()?)
                    .set_expression_attribute_values(r.values()?)
                    .set_return_values_on_condition_check_failure(rvocf(&r)?)
                    .build()
                    .map_err(build_err)?,
            )
        }
        "Update" => {
            let mut allowed = COMMON.to_vec();
            allowed.push("UpdateExpression");
            let r = Params::new(what.clone(), body, &allowed)?;
            item.update(
                Update::builder()
                    .table_name(r.required_string("TableName")?)
                    .set_key(Some(r.required_item("Key")?))
                    .set_update_expression(Some(r.required_string("UpdateExpression")?))
                    .set_condition_expression(r.string("ConditionExpression")?)
                    .set_expression_attribute_names(r.names()?)
                    .set_expression_attribute_values(r.values()?)
                    .set_return_values_on_condition_check_failure(rvocf(&r)?)
                    .build()
                    .map_err(build_err)?,
            )
        }
        "Delete" => {
            let r = Params::new(what.clone(), body, &COMMON)?;
            item.delete(
                Delete::builder()
                    .table_name(r.required_string("TableName")?)
                    .set_key(Some(r.required_item("Key")?))
                    .set_condition_expression(r.string("ConditionExpression")?)
                    .set_expression_attribute_names(r.names()?)
                    .set_expression_attribute_values(r.values()?)
                    .set_return_values_on_condition_check_failure(rvocf(&r)?)
                    .build()
                    .map_err(build_err)?,
            )
        }
        "ConditionCheck" => {
            let r = Params::new(what.clone(), body, &COMMON)?;
            item.condition_check(
                ConditionCheck::builder()
                    .table_name(r.required_string("TableName")?)
                    .set_key(Some(r.required_item("Key")?))
                    .condition_expression(r.required_string("ConditionExpression")?)
                    .set_expression_attribute_names(r.names()?)
                    .set_expression_attribute_values(r.values()?)
                    .set_return_values_on_condition_check_failure(rvocf(&r)?)
                    .build()
                    .map_err(build_err)?,
            )
        }
        other => {
            return Err(invalid(format!(
                "{what} must be one of Put, Update, Delete, ConditionCheck, got \"{other}\""
            )));
        }
    };
    Ok(item.build())
}

/// A query or scan page.
fn page(
    items: Vec<Item>,
    count: i32,
    scanned_count: i32,
    last_evaluated_key: Option<Item>,
    capacity: Option<&ConsumedCapacity>,
) -> Result<Map> {
    let mut res = Map::default();
    let items = items
        .into_iter()
        .map(|i| from_item_owned(i).map(Value::Map))
        .collect::<Result<_>>()?;
    res.insert("Items".into(), Value::List(items));
    res.insert("Count".into(), Value::from(count as i64));
    res.insert("ScannedCount".into(), Value::from(scanned_count as i64));
    if let Some(key) = last_evaluated_key {
        res.insert("LastEvaluatedKey".into(), Value::Map(from_item_owned(key)?));
    }
    put_capacity(&mut res, capacity);
    Ok(res)
}

fn items_list(items: &[Item]) -> Result<Value> {
    Ok(Value::List(
        items
            .iter()
            .map(|i| from_item(i).map(Value::Map))
            .collect::<Result<_>>()?,
    ))
}

/// The response of a single-item write (put, update, delete): they answer alike.
/// The returned attributes are taken, as get, query and scan take their items.
fn write_result(
    attributes: Option<Item>,
    capacity: Option<&ConsumedCapacity>,
    metrics: Option<&ItemCollectionMetrics>,
) -> Result<Map> {
    let mut res = Map::default();
    if let Some(item) = attributes {
        res.insert("Attributes".into(), Value::Map(from_item_owned(item)?));
    }
    put_capacity(&mut res, capacity);
    put_metrics(&mut res, metrics)?;
    Ok(res)
}

fn put_item_field(res: &mut Map, key: &str, item: Option<&Item>) -> Result<()> {
    if let Some(item) = item {
        res.insert(key.into(), Value::Map(from_item(item)?));
    }
    Ok(())
}

/// Map entries sorted by key, for deterministic responses.
fn sorted<V>(map: Option<&HashMap<String, V>>) -> Vec<(&String, &V)> {
    let mut entries: Vec<_> = map.into_iter().flatten().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

fn string_map(map: &HashMap<String, String>) -> Map {
    sorted(Some(map))
        .into_iter()
        .map(|(k, v)| (k.as_str().into(), Value::from(v.as_str())))
        .collect()
}

fn number(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn capacity_fields(m: &mut Map, cu: Option<f64>, rcu: Option<f64>, wcu: Option<f64>) {
    for (k, v) in [
        ("CapacityUnits", cu),
        ("ReadCapacityUnits", rcu),
        ("WriteCapacityUnits", wcu),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), number(v));
        }
    }
}

fn capacity(c: &Capacity) -> Value {
    let mut m = Map::default();
    capacity_fields(
        &mut m,
        c.capacity_units(),
        c.read_capacity_units(),
        c.write_capacity_units(),
    );
    Value::Map(m)
}

fn consumed_capacity(c: &ConsumedCapacity) -> Value {
    let mut m = Map::default();
    if let Some(t) = c.table_name() {
        m.insert("TableName".into(), Value::from(t));
    }
    capacity_fields(
        &mut m,
        c.capacity_units(),
        c.read_capacity_units(),
        c.write_capacity_units(),
    );
    if let Some(t) = c.table() {
        m.insert("Table".into(), capacity(t));
    }
    for (key, indexes) in [
        ("LocalSecondaryIndexes", c.local_secondary_indexes()),
        ("GlobalSecondaryIndexes", c.global_secondary_indexes()),
    ] {
        if let Some(indexes) = indexes {
            let by_name = sorted(Some(indexes))
                .into_iter()
                .map(|(name, cap)| (name.as_str().into(), capacity(cap)))
                .collect();
            m.insert(key.into(), Value::Map(by_name));
        }
    }
    Value::Map(m)
}

fn put_capacity(res: &mut Map, c: Option<&ConsumedCapacity>) {
    if let Some(c) = c {
        res.insert("ConsumedCapacity".into(), consumed_capacity(c));
    }
}

fn put_capacities(res: &mut Map, c: &[ConsumedCapacity]) {
    if !c.is_empty() {
        res.insert(
            "ConsumedCapacity".into(),
            Value::List(c.iter().map(consumed_capacity).collect()),
        );
    }
}

fn put_metrics(res: &mut Map, m: Option<&ItemCollectionMetrics>) -> Result<()> {
    if let Some(m) = m {
        let mut body = Map::default();
        put_item_field(&mut body, "ItemCollectionKey", m.item_collection_key())?;
        body.insert(
            "SizeEstimateRangeGB".into(),
            Value::List(
                m.size_estimate_range_gb()
                    .iter()
                    .map(|f| number(*f))
                    .collect(),
            ),
        );
        res.insert("ItemCollectionMetrics".into(), Value::Map(body));
    }
    Ok(())
}
