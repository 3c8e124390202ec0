//! The v1 client (`features = ["client"]`): the runtime's engine for the v1 protocol, the
//! typed methods generated on it, the charge of a saved billing agreement, and redaction with the
//! v1 service's facts. Users reach it as `amazon_pay_protocol::client`, whose documentation
//! shows the flows.

pub use amazon_pay_runtime::client::{
    Attempt, CallOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_REQUEST_TIMEOUT, HttpRequest, HttpResponse, ReqwestTransport, RetryBudget, RetryPolicy,
    Transport, TransportError, TransportErrorKind, TransportFuture, retry, transport,
};

pub use crate::charge::{ReferenceCharge, ReferenceChargeError, ReferenceChargeOutcome};

use crate::service::V1;

amazon_pay_runtime::engine_client!(
    /// An Amazon Pay v1 client: one typed method per operation (generated) and
    /// [`Client::charge`]. Cheap to clone; clones share the connection pool, the retry budget
    /// and the learned clock offset.
    V1,
    crate::credentials::Credentials,
    crate::v1::ErrorCode
);

/// Redaction with the v1 service's facts: what the client's tracing and the conformance
/// recorder write.
pub mod redact {
    use amazon_pay_runtime::protocol::Protocol;

    pub use amazon_pay_runtime::v1::redact::REDACTED;

    use crate::service::V1;

    /// A form body with the values of secret parameters replaced (keys and order kept).
    pub fn form(body: &[u8]) -> String {
        V1::redact_request(body)
    }

    /// An XML document with the text of personal-data elements replaced.
    pub fn xml(body: &[u8]) -> String {
        V1::redact_response(body)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn forms_lose_credentials() {
            let body = b"AWSAccessKeyId=AKIA&Action=Authorize&MWSAuthToken=amzn.mws.1&SellerId=A1&SellerNote=hi&Signature=abc%3D";
            assert_eq!(
                form(body),
                "AWSAccessKeyId=[redacted]&Action=Authorize&MWSAuthToken=[redacted]&SellerId=[redacted]&SellerNote=hi&Signature=[redacted]"
            );
        }

        #[test]
        fn documents_lose_personal_data() {
            let body = "<R xmlns=\"x\"><Buyer><Name>山田 花子</Name><Email>a@example.com</Email></Buyer>\
                        <Destination><PhysicalDestination><City>Tokyo</City><CountryCode>JP</CountryCode>\
                        </PhysicalDestination></Destination><State>Open</State></R>";
            let out = xml(body.as_bytes());
            for secret in ["山田", "a@example.com", "Tokyo"] {
                assert!(!out.contains(secret), "{out}");
            }
            assert!(out.contains("<CountryCode>JP</CountryCode>"));
            assert!(out.contains("<State>Open</State>"));
            assert!(
                xml(b"<unclosed><Name>x").starts_with(REDACTED)
                    || !xml(b"<unclosed><Name>x").contains('x')
            );
        }

        #[test]
        fn buyer_elements_and_everything_inside_them_are_redacted() {
            let body = "<R><BuyerNickname>hana</BuyerNickname>\n  <Buyer>\n    <Id>amzn1.account.X</Id>\n  </Buyer>\
                        <BillingAddress><PhysicalAddress><AddressLine1>1-2-3 Ginza</AddressLine1>\
                        <StateOrRegion>Tokyo-to</StateOrRegion><PostalCode>104-0061</PostalCode>\
                        <County>Chuo</County><District>Ginza</District></PhysicalAddress></BillingAddress>\
                        <ShippingPhone><![CDATA[+81 3 0000 0000]]></ShippingPhone>\
                        <SellerOrderAttributes><StoreName>Shop</StoreName><SellerOrderId>o-1</SellerOrderId>\
                        </SellerOrderAttributes><Amount>1000</Amount></R>";
            let out = xml(body.as_bytes());
            for secret in [
                "hana",
                "amzn1.account.X",
                "Ginza",
                "Tokyo-to",
                "104-0061",
                "Chuo",
                "+81",
                "Shop",
            ] {
                assert!(!out.contains(secret), "{secret} in {out}");
            }
            assert!(
                out.contains("<Buyer>\n    <Id>[redacted]</Id>\n  </Buyer>"),
                "{out}"
            );
            assert!(out.contains("<SellerOrderId>o-1</SellerOrderId>"), "{out}");
            assert!(out.contains("<Amount>1000</Amount>"), "{out}");
        }

        #[test]
        fn forms_keep_everything_else_and_odd_pairs() {
            assert_eq!(
                form(b"Action=GetServiceStatus&Signature=&flag&SignatureMethod=HmacSHA256"),
                "Action=GetServiceStatus&Signature=[redacted]&flag&SignatureMethod=HmacSHA256"
            );
            assert_eq!(form(b""), "");
        }

        #[test]
        fn non_xml_is_replaced_whole() {
            let out = xml(b"Name: Hanako </oops>");
            assert!(!out.contains("Hanako"), "{out}");
        }
    }
}
