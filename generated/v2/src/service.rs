//! The v2 service's facts, stated to the runtime: its error codes (whose `ServiceCode` impl is generated), which
//! JSON members are personal data, hosts and paths. Every fact is generated from `spec/v2/`;
//! this only connects them to the runtime's traits.

use amazon_pay_runtime::endpoint::RegionHost;
use amazon_pay_runtime::v2::{Rest, RestService};

use crate::v2;

/// The v2 service (Checkout API).
#[derive(Debug, Clone, Copy)]
pub struct V2Service;

/// The v2 protocol, as the client's engine sees it.
pub type V2 = Rest<V2Service>;

impl RestService for V2Service {
    type Code = v2::ErrorCode;

    /// Exact member names: JSON members are named by the spec, and `shippingAddressList`'s
    /// entries are redacted whole with it.
    fn is_personal(member: &str) -> bool {
        v2::PERSONAL_ELEMENTS.binary_search(&member).is_ok()
    }

    #[cfg(feature = "client")]
    type Client = crate::client::v2::Client;
}

impl RegionHost for v2::Region {
    fn host(&self) -> &str {
        v2::Region::host(self)
    }
}
