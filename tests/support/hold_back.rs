//! An SDK interceptor that makes `BatchWriteItem` report unprocessed items, as
//! DynamoDB does under load, so retry and return paths run against DynamoDB Local.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::interceptors::{
    BeforeSerializationInterceptorContextMut, FinalizerInterceptorContextMut,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::batch_write_item::{BatchWriteItemInput, BatchWriteItemOutput};
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Holds back the last `per_request` writes of each `BatchWriteItem` while its
/// budget of requests lasts and reports them as unprocessed; those writes are
/// really not sent.
#[derive(Debug)]
pub struct HoldBack {
    per_request: usize,
    budget: AtomicUsize,
    held: Mutex<Vec<(String, WriteRequest)>>,
    total_held: AtomicUsize,
}

impl HoldBack {
    /// Holds back `per_request` writes on each of the first `requests` batch writes.
    pub fn new(per_request: usize, requests: usize) -> Arc<Self> {
        Arc::new(HoldBack {
            per_request,
            budget: AtomicUsize::new(requests),
            held: Mutex::new(Vec::new()),
            total_held: AtomicUsize::new(0),
        })
    }

    /// How many writes were held back so far.
    pub fn total_held(&self) -> usize {
        self.total_held.load(Ordering::SeqCst)
    }

    /// The interceptor to install; the test keeps the `Arc` to look at afterwards.
    pub fn interceptor(self: &Arc<Self>) -> HoldBackInterceptor {
        HoldBackInterceptor(self.clone())
    }
}

/// [`HoldBack`] as an SDK interceptor.
#[derive(Debug, Clone)]
pub struct HoldBackInterceptor(Arc<HoldBack>);

impl Intercept for HoldBackInterceptor {
    fn name(&self) -> &'static str {
        "HoldBack"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(input) = context.input_mut().downcast_mut::<BatchWriteItemInput>() else {
            return Ok(());
        };
        let hb = &self.0;
        if hb.budget.load(Ordering::SeqCst) == 0 {
            return Ok(());
        }
        hb.budget.fetch_sub(1, Ordering::SeqCst);
        for (table, writes) in input.request_items.iter_mut().flatten() {
            let n = hb.per_request.min(writes.len());
            for w in writes.drain(writes.len() - n..) {
                hb.held.lock().unwrap().push((table.clone(), w));
                hb.total_held.fetch_add(1, Ordering::SeqCst);
            }
            if writes.is_empty() {
                // DynamoDB refuses an empty list: write a sentinel in another partition.
                let item = HashMap::from([
                    ("pk".to_string(), AttributeValue::S("sentinel".into())),
                    ("sk".to_string(), AttributeValue::S("sentinel".into())),
                ]);
                let put = PutRequest::builder().set_item(Some(item)).build().unwrap();
                writes.push(WriteRequest::builder().put_request(put).build());
            }
        }
        Ok(())
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(Ok(output)) = context.output_or_error_mut() {
            if let Some(out) = output.downcast_mut::<BatchWriteItemOutput>() {
                for (table, w) in self.0.held.lock().unwrap().drain(..) {
                    out.unprocessed_items
                        .get_or_insert_with(HashMap::new)
                        .entry(table)
                        .or_default()
                        .push(w);
                }
            }
        }
        Ok(())
    }
}
