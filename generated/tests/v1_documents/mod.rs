//! What the differential tests of the v1 readers and writers share: the documents they run
//! on, and the list of every operation.

use std::path::Path;

/// Every fixture document and every recorded answer body.
pub fn documents() -> &'static [Vec<u8>] {
    static DOCS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut docs = Vec::new();
        for sdk in std::fs::read_dir(root.join("fixtures/v1"))
            .unwrap()
            .flatten()
        {
            for file in std::fs::read_dir(sdk.path()).unwrap().flatten() {
                if file.path().extension().is_some_and(|x| x == "xml") {
                    docs.push(std::fs::read(file.path()).unwrap());
                }
            }
        }
        let fixtures = docs.len();
        for file in std::fs::read_dir(root.join("conformance/recordings/v1"))
            .unwrap()
            .flatten()
        {
            let text = std::fs::read_to_string(file.path()).unwrap();
            let exchanges: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            docs.extend(
                exchanges
                    .iter()
                    .filter_map(|e| e["response"].as_str())
                    .map(|body| body.as_bytes().to_vec()),
            );
        }
        assert!(
            fixtures > 40 && docs.len() > fixtures + 100,
            "{fixtures} of {}",
            docs.len()
        );
        docs
    })
}

/// `$each!(A B …)` with the request type of every operation; fails when an operation is
/// missing from the list.
macro_rules! every_operation {
    ($each:ident) => {{
        $each!(
            AuthorizeOnBillingAgreementRequest AuthorizeRequest CancelOrderReferenceRequest
            CaptureRequest CloseAuthorizationRequest CloseBillingAgreementRequest
            CloseOrderReferenceRequest ConfirmBillingAgreementRequest ConfirmOrderReferenceRequest
            CreateOrderReferenceForIdRequest GetAuthorizationDetailsRequest
            GetBillingAgreementDetailsRequest GetCaptureDetailsRequest
            GetMerchantAccountStatusRequest GetMerchantNotificationConfigurationRequest
            GetOrderReferenceDetailsRequest GetProviderCreditDetailsRequest
            GetProviderCreditReversalDetailsRequest GetRefundDetailsRequest
            GetServiceStatusRequest ListOrderReferenceByNextTokenRequest
            ListOrderReferenceRequest RefundRequest ReverseProviderCreditRequest
            SetBillingAgreementDetailsRequest SetMerchantNotificationConfigurationRequest
            SetOrderAttributesRequest SetOrderReferenceDetailsRequest
            ValidateBillingAgreementRequest
        );
        assert_eq!(
            amazon_pay_protocol::v1::OPERATIONS.len(),
            29,
            "a new operation must join the list above"
        );
    }};
}
pub(crate) use every_operation;
