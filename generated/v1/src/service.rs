//! The v1 service's facts, stated to the runtime: its error codes (whose `ServiceCode` impl is generated), which
//! form parameters are secret, which elements are personal data, hosts and paths. Every fact
//! is generated from the spec; this only connects them to the runtime's traits.

use amazon_pay_runtime::endpoint::{EnvironmentPath, RegionHost};
use amazon_pay_runtime::v1::{Mws, MwsService};

use crate::v1;

/// The v1 service (`OffAmazonPayments`, 2013-01-01).
#[derive(Debug, Clone, Copy)]
pub struct V1Service;

/// The v1 protocol, as the client's engine sees it.
pub type V1 = Mws<V1Service>;

impl MwsService for V1Service {
    type Code = v1::ErrorCode;
    const SECRET_PARAMS: &'static [&'static str] = v1::SECRET_PARAMS;

    /// An element is personal when its local name contains the name of an element the spec
    /// marks personal, so that elements a newer service version adds (`BuyerNickname`,
    /// `ShippingPhone`) are redacted too: over-redacting is the safe side.
    fn is_personal(element: &str) -> bool {
        v1::PERSONAL_ELEMENTS
            .iter()
            .any(|personal| element.contains(personal))
    }

    #[cfg(feature = "client")]
    type Client = crate::client::Client;
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
