//! Turning the SDK's per-operation errors into electro's [`Error::DynamoDb`].
//!
//! Callers branch on what went wrong (a failed condition, a canceled transaction,
//! throttling), not on which of the SDK's ten error enums it came in, so the mapping
//! goes by AWS error code and keeps the code and message as DynamoDB sent them.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::convert::{Item, from_item};
use crate::error::{AwsError, AwsErrorKind, CancellationReason, Error, ErrorCode};

/// What some service errors carry beyond code and message.
#[derive(Default)]
pub(crate) struct Details {
    pub item: Option<Item>,
    pub reasons: Vec<aws_sdk_dynamodb::types::CancellationReason>,
}

/// The family of an AWS error code.
///
/// ```
/// use electro_core::{error::AwsErrorKind, exec::aws_error_kind};
/// assert_eq!(aws_error_kind("ThrottlingException"), AwsErrorKind::Throttled);
/// assert_eq!(aws_error_kind("SomethingNew"), AwsErrorKind::Other);
/// ```
pub fn kind_of(aws_code: &str) -> AwsErrorKind {
    match aws_code {
        "ConditionalCheckFailedException" => AwsErrorKind::ConditionalCheckFailed,
        "TransactionCanceledException" => AwsErrorKind::TransactionCanceled,
        "ProvisionedThroughputExceededException"
        | "ThrottlingException"
        | "RequestLimitExceeded" => AwsErrorKind::Throttled,
        "ValidationException" => AwsErrorKind::Validation,
        "ResourceNotFoundException" => AwsErrorKind::ResourceNotFound,
        _ => AwsErrorKind::Other,
    }
}

/// Maps an SDK error; `details` pulls the returned item or cancellation reasons out
/// of the operation's own error type.
pub(crate) fn from_sdk<E, R>(err: SdkError<E, R>, details: impl FnOnce(&E) -> Details) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let (aws_code, message, details) = match err.as_service_error() {
        Some(service) => (
            service.code().unwrap_or("Unknown").to_string(),
            service
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(&err).to_string()),
            details(service),
        ),
        None => {
            let code = match &err {
                SdkError::ConstructionFailure(_) => "ConstructionFailure",
                SdkError::TimeoutError(_) => "TimeoutError",
                SdkError::DispatchFailure(_) => "DispatchFailure",
                SdkError::ResponseError(_) => "ResponseError",
                _ => "Unknown",
            };
            (
                code.to_string(),
                DisplayErrorContext(&err).to_string(),
                Details::default(),
            )
        }
    };
    let item = details.item.as_ref().and_then(|i| from_item(i).ok());
    let cancellation_reasons = details
        .reasons
        .iter()
        .map(|r| CancellationReason {
            code: r.code().map(str::to_string),
            message: r.message().map(str::to_string),
            item: r.item().and_then(|i| from_item(i).ok()),
        })
        .collect();
    Error::DynamoDb {
        code: ErrorCode::AWSError,
        aws: Box::new(AwsError {
            kind: kind_of(&aws_code),
            aws_code,
            message,
            cancellation_reasons,
            item,
        }),
        source: Some(Box::new(err)),
    }
}

/// For operations whose errors carry nothing beyond code and message.
pub(crate) fn no_details<E>(_: &E) -> Details {
    Details::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(
            kind_of("ConditionalCheckFailedException"),
            AwsErrorKind::ConditionalCheckFailed
        );
        assert_eq!(kind_of("ThrottlingException"), AwsErrorKind::Throttled);
        assert_eq!(kind_of("RequestLimitExceeded"), AwsErrorKind::Throttled);
        assert_eq!(
            kind_of("ProvisionedThroughputExceededException"),
            AwsErrorKind::Throttled
        );
        assert_eq!(kind_of("ValidationException"), AwsErrorKind::Validation);
        assert_eq!(
            kind_of("ResourceNotFoundException"),
            AwsErrorKind::ResourceNotFound
        );
        assert_eq!(kind_of("ResourceInUseException"), AwsErrorKind::Other);
    }
}
