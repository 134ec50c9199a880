//! Which DynamoDB call a set of params is for.
//!
//! ElectroDB's params do not say which call they belong to (a `Key` alone could be a
//! get or a delete), so the caller names it.

use std::fmt;

/// A DynamoDB operation that [`Client::send`](crate::exec::Client::send) can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `GetItem`.
    Get,
    /// `PutItem`.
    Put,
    /// `UpdateItem`.
    Update,
    /// `DeleteItem`.
    Delete,
    /// `Query`.
    Query,
    /// `Scan`.
    Scan,
    /// `BatchGetItem`.
    BatchGet,
    /// `BatchWriteItem`.
    BatchWrite,
    /// `TransactWriteItems`.
    TransactWrite,
    /// `TransactGetItems`.
    TransactGet,
    /// A `ConditionCheck`: exists only as one item of a `TransactWriteItems`, so
    /// [`Client::send`](crate::exec::Client::send) refuses it on its own.
    Check,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 11] = [
        Operation::Get,
        Operation::Put,
        Operation::Update,
        Operation::Delete,
        Operation::Query,
        Operation::Scan,
        Operation::BatchGet,
        Operation::BatchWrite,
        Operation::TransactWrite,
        Operation::TransactGet,
        Operation::Check,
    ];

    /// The DynamoDB API name, e.g. `"GetItem"`.
    ///
    /// ```
    /// use electro_core::Operation;
    /// assert_eq!(Operation::BatchWrite.aws_name(), "BatchWriteItem");
    /// ```
    pub const fn aws_name(self) -> &'static str {
        match self {
            Operation::Get => "GetItem",
            Operation::Put => "PutItem",
            Operation::Update => "UpdateItem",
            Operation::Delete => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGet => "BatchGetItem",
            Operation::BatchWrite => "BatchWriteItem",
            Operation::TransactWrite => "TransactWriteItems",
            Operation::TransactGet => "TransactGetItems",
            Operation::Check => "ConditionCheck",
        }
    }

    /// The top-level params keys this operation accepts; any other key is refused.
    ///
    /// ```
    /// use electro_core::Operation;
    /// assert!(Operation::Query.params_keys().contains(&"KeyConditionExpression"));
    /// assert!(!Operation::Get.params_keys().contains(&"Limit"));
    /// ```
    pub const fn params_keys(self) -> &'static [&'static str] {
        const RCC: &str = "ReturnConsumedCapacity";
        const RICM: &str = "ReturnItemCollectionMetrics";
        const EAN: &str = "ExpressionAttributeNames";
        const EAV: &str = "ExpressionAttributeValues";
        match self {
            Operation::Get => &[
                "TableName",
                "Key",
                "ProjectionExpression",
                EAN,
                "ConsistentRead",
                RCC,
            ],
            Operation::Put => &[
                "TableName",
                "Item",
                "ConditionExpression",
                EAN,
                EAV,
                "ReturnValues",
                "ReturnValuesOnConditionCheckFailure",
                RCC,
                RICM,
            ],
            Operation::Update => &[
                "TableName",
                "Key",
                "UpdateExpression",
                "ConditionExpression",
                EAN,
                EAV,
                "ReturnValues",
                "ReturnValuesOnConditionCheckFailure",
                RCC,
                RICM,
            ],
            Operation::Delete => &[
                "TableName",
                "Key",
                "ConditionExpression",
                EAN,
                EAV,
                "ReturnValues",
                "ReturnValuesOnConditionCheckFailure",
                RCC,
                RICM,
            ],
            Operation::Query => &[
                "TableName",
                "IndexName",
                "KeyConditionExpression",
                "FilterExpression",
                "ProjectionExpression",
                EAN,
                EAV,
                "ExclusiveStartKey",
                "Limit",
                "ScanIndexForward",
                "ConsistentRead",
                "Select",
                RCC,
            ],
            Operation::Scan => &[
                "TableName",
                "IndexName",
                "FilterExpression",
                "ProjectionExpression",
                EAN,
                EAV,
                "ExclusiveStartKey",
                "Limit",
                "ConsistentRead",
                "Select",
                "Segment",
                "TotalSegments",
                RCC,
            ],
            Operation::BatchGet => &["RequestItems", RCC],
            Operation::BatchWrite => &["RequestItems", RCC, RICM],
            Operation::TransactWrite => &["TransactItems", "ClientRequestToken", RCC, RICM],
            Operation::TransactGet => &["TransactItems", RCC],
            Operation::Check => &[
                "TableName",
                "Key",
                "ConditionExpression",
                EAN,
                EAV,
                "ReturnValuesOnConditionCheckFailure",
            ],
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.aws_name())
    }
}
