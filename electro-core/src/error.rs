//! One error type for every way electro can fail, carrying ElectroDB's error codes.
//!
//! Codes follow ElectroDB: 1xxx an invalid model, 2xxx an invalid query, 3xxx an
//! invalid value, 4xxx DynamoDB said no, 5xxx something unexpected. Messages follow
//! ElectroDB's wording so that users can search its docs for them.

use std::fmt;

/// ElectroDB's error codes, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    NoClientDefined,
    InvalidIdentifier,
    InvalidKeyCompositeAttributeTemplate,
    DuplicateIndexes,
    CollectionNoSK,
    DuplicateCollections,
    MissingPrimaryIndex,
    InvalidAttributeDefinition,
    InvalidModel,
    InvalidOptions,
    InvalidFilter,
    InvalidWhere,
    InvalidJoin,
    DuplicateIndexFields,
    DuplicateIndexCompositeAttributes,
    InvalidAttributeWatchDefinition,
    IncompatibleKeyCompositeAttributeTemplate,
    InvalidIndexWithAttributeName,
    InvalidCollectionOnIndexWithAttributeFieldNames,
    IncompatibleKeyCasing,
    InvalidListenerProvided,
    InvalidLoggerProvided,
    InvalidClientProvided,
    InconsistentIndexDefinition,
    InvalidProjectionDefinition,
    InvalidIndexDefinition,
    MissingAttribute,
    IncompleteCompositeAttributes,
    MissingTable,
    InvalidConcurrencyOption,
    InvalidPagesOption,
    InvalidLimitOption,
    InvalidConversionKeysProvided,
    InvalidConversionCursorProvided,
    InvalidConversionCompositeProvided,
    DuplicateUpdateCompositesProvided,
    InvalidIndexCondition,
    IncompleteIndexCompositesAttributesProvided,
    InvalidQueryParameters,
    InvalidAttribute,
    AWSError,
    OperationAborted,
    UnknownError,
    GeneralError,
    LastEvaluatedKey,
    NoOwnerForPager,
    NoOwnerForCursor,
    PagerNotUnique,
}

impl ErrorCode {
    /// The numeric code ElectroDB gives this error.
    pub const fn code(self) -> u16 {
        use ErrorCode::*;
        match self {
            NoClientDefined => 1001,
            InvalidIdentifier => 1002,
            InvalidKeyCompositeAttributeTemplate => 1003,
            DuplicateIndexes => 1004,
            CollectionNoSK => 1005,
            DuplicateCollections => 1006,
            MissingPrimaryIndex => 1007,
            InvalidAttributeDefinition => 1008,
            InvalidModel => 1009,
            InvalidOptions => 1010,
            InvalidFilter => 1011,
            InvalidWhere => 1012,
            InvalidJoin => 1013,
            DuplicateIndexFields => 1014,
            DuplicateIndexCompositeAttributes => 1015,
            InvalidAttributeWatchDefinition => 1016,
            IncompatibleKeyCompositeAttributeTemplate => 1017,
            InvalidIndexWithAttributeName => 1018,
            InvalidCollectionOnIndexWithAttributeFieldNames => 1019,
            IncompatibleKeyCasing => 1020,
            InvalidListenerProvided => 1021,
            InvalidLoggerProvided => 1022,
            InvalidClientProvided => 1023,
            InconsistentIndexDefinition => 1024,
            InvalidProjectionDefinition => 1025,
            InvalidIndexDefinition => 1026,
            MissingAttribute => 2001,
            IncompleteCompositeAttributes => 2002,
            MissingTable => 2003,
            InvalidConcurrencyOption => 2004,
            InvalidPagesOption => 2005,
            InvalidLimitOption => 2006,
            InvalidConversionKeysProvided => 2007,
            InvalidConversionCursorProvided => 2008,
            InvalidConversionCompositeProvided => 2009,
            DuplicateUpdateCompositesProvided => 2010,
            InvalidIndexCondition => 2011,
            IncompleteIndexCompositesAttributesProvided => 2012,
            InvalidQueryParameters => 2013,
            InvalidAttribute => 3001,
            AWSError => 4001,
            OperationAborted => 4002,
            UnknownError => 5001,
            GeneralError => 5002,
            LastEvaluatedKey => 5003,
            NoOwnerForPager | NoOwnerForCursor => 5004,
            PagerNotUnique => 5005,
        }
    }

    /// The section of ElectroDB's error reference that explains this error.
    pub const fn section(self) -> &'static str {
        use ErrorCode::*;
        match self {
            NoClientDefined => "no-client-defined-on-model",
            InvalidIdentifier => "invalid-identifier",
            InvalidKeyCompositeAttributeTemplate => "invalid-key-composite-attribute-template",
            DuplicateIndexes => "duplicate-indexes",
            CollectionNoSK => "collection-without-an-sk",
            DuplicateCollections => "duplicate-collections",
            MissingPrimaryIndex => "missing-primary-index",
            InvalidAttributeDefinition => "invalid-attribute-definition",
            InvalidModel => "invalid-model",
            InvalidOptions => "invalid-options",
            InvalidFilter => "filters",
            InvalidWhere => "where",
            InvalidJoin => "join",
            DuplicateIndexFields => "duplicate-index-fields",
            DuplicateIndexCompositeAttributes => "duplicate-index-composite-attributes",
            InvalidAttributeWatchDefinition => "invalid-attribute-watch-definition",
            IncompatibleKeyCompositeAttributeTemplate => {
                "incompatible-key-composite-attribute-template"
            }
            InvalidIndexWithAttributeName => "invalid-index-with-attribute-name",
            InvalidCollectionOnIndexWithAttributeFieldNames => {
                "invalid-collection-on-index-with-attribute-field-names"
            }
            IncompatibleKeyCasing => "incompatible-key-casing",
            InvalidListenerProvided => "invalid-listener-provided",
            InvalidLoggerProvided => "invalid-logger-provided",
            InvalidClientProvided => "invalid-client-provided",
            InconsistentIndexDefinition => "inconsistent-index-definition",
            InvalidProjectionDefinition => "invalid-projection-definition",
            InvalidIndexDefinition => "invalid-index-definition",
            MissingAttribute => "missing-attribute",
            IncompleteCompositeAttributes => "missing-composite-attributes",
            MissingTable => "missing-table",
            InvalidConcurrencyOption => "invalid-concurrency-option",
            InvalidPagesOption => "invalid-pages-option",
            InvalidLimitOption => "invalid-limit-option",
            InvalidConversionKeysProvided
            | InvalidConversionCursorProvided
            | InvalidConversionCompositeProvided => "invalid-conversion-values-provided",
            DuplicateUpdateCompositesProvided => "duplicate-update-composites-provided",
            InvalidIndexCondition => "invalid-index-option",
            IncompleteIndexCompositesAttributesProvided => {
                "invalid-index-composite-attributes-provided"
            }
            InvalidQueryParameters => "invalid-query-parameters",
            InvalidAttribute => "invalid-attribute",
            AWSError => "aws-error",
            OperationAborted => "operation-aborted",
            UnknownError => "unknown-error",
            GeneralError => "",
            LastEvaluatedKey => "invalid-last-evaluated-key",
            NoOwnerForPager | NoOwnerForCursor => "no-owner-for-pager",
            PagerNotUnique => "pager-not-unique",
        }
    }

    /// Which family the code belongs to.
    pub const fn kind(self) -> ErrorKind {
        match self.code() / 1000 {
            1 => ErrorKind::Model,
            2 => ErrorKind::Query,
            3 => ErrorKind::Validation,
            4 => ErrorKind::DynamoDb,
            _ => ErrorKind::Unexpected,
        }
    }
}

/// The family of an error: what the caller should look at to fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 1xxx: the entity model or service definition is invalid.
    Model,
    /// 2xxx: the operation was given missing or invalid arguments.
    Query,
    /// 3xxx: a value failed validation.
    Validation,
    /// 4xxx: DynamoDB refused or failed the request.
    DynamoDb,
    /// 5xxx: something that should not happen happened.
    Unexpected,
}

/// One attribute that failed validation, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The attribute path, e.g. `"rent"` or `"veterinarian.name"`.
    pub field: String,
    /// Why it failed.
    pub reason: String,
}

/// What DynamoDB said when it refused a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AwsErrorKind {
    /// `ConditionalCheckFailedException`.
    ConditionalCheckFailed,
    /// `TransactionCanceledException`.
    TransactionCanceled,
    /// `ProvisionedThroughputExceededException`, `ThrottlingException`,
    /// `RequestLimitExceeded`.
    Throttled,
    /// `ValidationException`.
    Validation,
    /// `ResourceNotFoundException`.
    ResourceNotFound,
    /// Any other service error, or a transport failure.
    Other,
}

/// A DynamoDB (4xxx) failure: its AWS code and message, and, where DynamoDB returns
/// them, the item of a failed condition and the reasons of a canceled transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct AwsError {
    /// The family of the failure.
    pub kind: AwsErrorKind,
    /// The AWS error code, e.g. `ConditionalCheckFailedException`.
    pub aws_code: String,
    /// DynamoDB's message.
    pub message: String,
    /// Per action of a canceled transaction: the reason code (`None` for actions that
    /// did not fail) and the returned item when `ReturnValuesOnConditionCheckFailure`
    /// asked for it.
    pub cancellation_reasons: Vec<CancellationReason>,
    /// The item returned by `ReturnValuesOnConditionCheckFailure` on a single write.
    pub item: Option<electro_expr::Map>,
}

/// Why one action of a canceled transaction failed.
#[derive(Clone, Debug, PartialEq)]
pub struct CancellationReason {
    /// `ConditionalCheckFailed`, `None`, `TransactionConflict`, ...
    pub code: Option<String>,
    /// DynamoDB's message for this action.
    pub message: Option<String>,
    /// The item, when `ReturnValuesOnConditionCheckFailure` was `ALL_OLD`.
    pub item: Option<electro_expr::Map>,
}

/// Every error electro returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 1xxx: the model (or service) is invalid.
    #[error("{}", with_reference(*code, message))]
    Model { code: ErrorCode, message: String },
    /// 2xxx: the operation's arguments or options are invalid.
    #[error("{}", with_reference(*code, message))]
    Query { code: ErrorCode, message: String },
    /// 3001: values failed validation; `fields` lists every failure.
    #[error("{}", with_reference(ErrorCode::InvalidAttribute, message))]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 4xxx: DynamoDB refused or failed the request.
    #[error("{}", with_reference(*code, &format!("Error thrown by DynamoDB client: \"{}\"", .aws.message)))]
    DynamoDb {
        code: ErrorCode,
        aws: Box<AwsError>,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// 5xxx: something unexpected.
    #[error("{}", with_reference(*code, message))]
    Unexpected { code: ErrorCode, message: String },
}

fn with_reference(code: ErrorCode, message: &str) -> String {
    let section = code.section();
    if section.is_empty() {
        return message.to_string();
    }
    format!(
        "{message} - For more detail on this error reference: https://electrodb.dev/en/reference/errors/#{section}"
    )
}

/// A shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with the given ElectroDB code; the variant follows from the code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        let message = message.into();
        match code.kind() {
            ErrorKind::Model => Error::Model { code, message },
            ErrorKind::Query => Error::Query { code, message },
            ErrorKind::Validation => Error::Validation {
                message,
                fields: Vec::new(),
            },
            ErrorKind::DynamoDb => Error::DynamoDb {
                code,
                aws: Box::new(AwsError {
                    kind: AwsErrorKind::Other,
                    aws_code: String::new(),
                    message,
                    cancellation_reasons: Vec::new(),
                    item: None,
                }),
                source: None,
            },
            ErrorKind::Unexpected => Error::Unexpected { code, message },
        }
    }

    /// A validation error (3001) listing each failing field.
    pub fn validation(fields: Vec<FieldError>) -> Error {
        let message = fields
            .iter()
            .map(|f| f.reason.as_str())
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let message = if message.is_empty() {
            "Invalid value(s) provided".to_string()
        } else {
            message
        };
        Error::Validation { message, fields }
    }

    /// A validation error (3001) for one field.
    pub fn invalid_attribute(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::validation(vec![FieldError {
            field: field.into(),
            reason: reason.into(),
        }])
    }

    /// ElectroDB's name for the error.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::Model { code, .. }
            | Error::Query { code, .. }
            | Error::DynamoDb { code, .. }
            | Error::Unexpected { code, .. } => *code,
            Error::Validation { .. } => ErrorCode::InvalidAttribute,
        }
    }

    /// ElectroDB's numeric code, e.g. 2002.
    pub fn code(&self) -> u16 {
        self.error_code().code()
    }

    /// The family of the error.
    pub fn kind(&self) -> ErrorKind {
        self.error_code().kind()
    }

    /// The message without the reference link.
    pub fn reason(&self) -> &str {
        match self {
            Error::Model { message, .. }
            | Error::Query { message, .. }
            | Error::Validation { message, .. }
            | Error::Unexpected { message, .. } => message,
            Error::DynamoDb { aws, .. } => &aws.message,
        }
    }

    /// The failing fields of a validation error; empty for other errors.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation { fields, .. } => fields,
            _ => &[],
        }
    }

    /// The DynamoDB failure, for 4xxx errors.
    pub fn aws(&self) -> Option<&AwsError> {
        match self {
            Error::DynamoDb { aws, .. } => Some(aws),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({})", self, self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_kinds() {
        let e = Error::new(
            ErrorCode::IncompleteCompositeAttributes,
            "Missing \"cityId\"",
        );
        assert_eq!(e.code(), 2002);
        assert_eq!(e.kind(), ErrorKind::Query);
        assert!(e.to_string().ends_with("#missing-composite-attributes"));
        let v = Error::validation(vec![
            FieldError {
                field: "a".into(),
                reason: "bad a".into(),
            },
            FieldError {
                field: "b".into(),
                reason: "bad b".into(),
            },
        ]);
        assert_eq!(v.code(), 3001);
        assert_eq!(v.reason(), "bad a, bad b");
        assert_eq!(v.fields().len(), 2);
    }
}
