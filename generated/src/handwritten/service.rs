//! The v1 service's facts, stated to the runtime: its error codes, which form parameters are
//! secret, which elements are personal data, hosts and paths.

use amazon_pay_runtime::ErrorClass;
use amazon_pay_runtime::endpoint::{EnvironmentPath, RegionHost};
use amazon_pay_runtime::error::ServiceCode;
use amazon_pay_runtime::v1::{Mws, MwsService};

use crate::v1;

/// The v1 service (`OffAmazonPayments`, 2013-01-01).
#[derive(Debug, Clone, Copy)]
pub struct V1Service;

/// The v1 protocol, as the client's engine sees it.
pub type V1 = Mws<V1Service>;

/// Form parameters whose values are secrets or credentials (the seller id too: it names the
/// merchant account the key belongs to).
const SECRET_PARAMS: &[&str] = &["Signature", "AWSAccessKeyId", "MWSAuthToken", "SellerId"];

/// Names of XML elements holding buyer personal data. An element is personal when its local
/// name contains one of these (`Name` also covers `StoreName`: over-redacting is the safe
/// side).
const PERSONAL_NAME_PARTS: [&str; 11] = [
    "Buyer",
    "Name",
    "Email",
    "Phone",
    "AddressLine",
    "City",
    "County",
    "District",
    "StateOrRegion",
    "PostalCode",
    "CustomInformation",
];

impl MwsService for V1Service {
    type Code = v1::ErrorCode;
    const SECRET_PARAMS: &'static [&'static str] = SECRET_PARAMS;

    fn is_personal(element: &str) -> bool {
        PERSONAL_NAME_PARTS
            .iter()
            .any(|part| element.contains(part))
    }

    #[cfg(feature = "client")]
    type Client = crate::client::Client;
}

impl ServiceCode for v1::ErrorCode {
    fn parse(text: &str) -> v1::ErrorCode {
        v1::ErrorCode::parse(text)
    }

    fn as_str(&self) -> &str {
        v1::ErrorCode::as_str(self)
    }

    fn class(&self) -> ErrorClass {
        match self {
            v1::ErrorCode::RequestExpired => ErrorClass::ClockSkew,
            v1::ErrorCode::DuplicateReferenceId | v1::ErrorCode::DuplicateRequest => {
                ErrorClass::DuplicateKey
            }
            v1::ErrorCode::RequestThrottled => ErrorClass::Throttled,
            code if code.retryable() => ErrorClass::Transient,
            _ => ErrorClass::Final,
        }
    }
}

impl RegionHost for v1::Region {
    fn host(&self) -> &str {
        v1::Region::host(self)
    }
}

impl EnvironmentPath for v1::Environment {
    fn path(&self) -> &str {
        v1::Environment::path(self)
    }
}
