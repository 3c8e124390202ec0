//! Reading a v1 response: the typed success document, or a typed error that says what went
//! wrong and whether sending the same request again may help.

pub use amazon_pay_runtime::error::ServiceCode;
pub use amazon_pay_runtime::v1::error::{ErrorDetail, ErrorDocument};

use crate::Operation;
use crate::v1::ErrorCode;

/// An error the v1 service answered with.
pub type ServiceError = amazon_pay_runtime::error::ServiceError<ErrorCode>;

/// Why a v1 response did not give the expected result.
pub type ResponseError = amazon_pay_runtime::error::ResponseError<ErrorCode>;

/// Reads the response of operation `O`: the typed document on 2xx, a [`ServiceError`] when the
/// body is an `ErrorResponse`, otherwise a parse error that keeps the body.
pub fn parse_response<O: Operation>(
    status: u16,
    body: &[u8],
) -> Result<O::Response, ResponseError> {
    amazon_pay_runtime::v1::error::parse_response::<O, ErrorCode>(status, body)
}
