//! What a merchant's code meets on the simulator, driven by the client over real HTTP: limits
//! that hold whichever operation charges, elements Amazon always sends, the sandbox and live
//! environments kept apart, and the buyer's side bound to the seller that owns the object.

mod common;

use amazon_pay_conformance::sandbox::{Sandbox, SandboxConfig};
use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, ClientError};
use amazon_pay_protocol::v1::{self, Environment, Region};

fn client(sandbox: &Sandbox, environment: Environment) -> Client {
    Client::builder(
        sandbox.account(Region::Jp).unwrap().credentials(),
        sandbox.endpoint(environment),
    )
    .build()
    .unwrap()
}

fn service_code(error: ClientError) -> v1::ErrorCode {
    match error {
        ClientError::Service { error, .. } => error.code,
        other => panic!("not a service error: {other}"),
    }
}

/// CreateOrderReferenceForId with ConfirmNow: an Open order reference of the agreement.
async fn order_for_agreement(client: &Client, agreement: &str, yen: i64) -> String {
    client
        .create_order_reference_for_id(
            &v1::CreateOrderReferenceForIdRequest::builder()
                .id(agreement)
                .id_type(v1::IdType::BillingAgreement)
                .confirm_now(true)
                .order_reference_attributes(
                    v1::OrderReferenceAttributes::builder()
                        .order_total(Money::jpy(yen).unwrap())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .result
        .order_reference_details
        .amazon_order_reference_id
        .as_str()
        .to_owned()
}

fn authorize(order: &str, reference: &str, yen: i64) -> v1::AuthorizeRequest {
    common::authorization(order, reference, yen)
        .capture_now(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn authorizations_on_order_references_of_an_agreement_count_against_its_monthly_limit() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Environment::Sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;

    let first = order_for_agreement(&c, &ba, 40_000).await;
    c.authorize(&authorize(&first, "limit-1", 40_000))
        .await
        .unwrap();
    let limits = common::agreement_details(&c, &ba)
        .await
        .billing_agreement_limits
        .unwrap();
    assert_eq!(
        limits.current_remaining_balance,
        Money::jpy(10_000).unwrap()
    );

    let second = order_for_agreement(&c, &ba, 40_000).await;
    let error = c
        .authorize(&authorize(&second, "limit-2", 40_000))
        .await
        .unwrap_err();
    assert_eq!(service_code(error), v1::ErrorCode::PeriodicAmountExceeded);
    let over = c
        .authorize_on_billing_agreement(
            &v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .authorization_reference_id("limit-3")
                .authorization_amount(Money::jpy(10_001).unwrap())
                .transaction_timeout(0)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(over), v1::ErrorCode::PeriodicAmountExceeded);
    sandbox.shutdown().await;
}

type Paths = std::collections::BTreeSet<String>;

/// The element paths of every `<kind>` element of a document, one set per element, relative
/// to it (`member` and `Id` items of a list both written `member`).
fn instances(xml: &str, kind: &str) -> Vec<Paths> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut found: Vec<Paths> = Vec::new();
    let mut open: Option<usize> = None;
    loop {
        let (name, empty) = match reader.read_event().unwrap() {
            Event::Start(e) => (local(e.name().as_ref()), false),
            Event::Empty(e) => (local(e.name().as_ref()), true),
            Event::End(_) => {
                if open == Some(stack.len() - 1) {
                    open = None;
                }
                stack.pop();
                continue;
            }
            Event::Eof => return found,
            _ => continue,
        };
        stack.push(name);
        match open {
            Some(at) => {
                let path = stack[at + 1..].join("/");
                if let Some(paths) = found.last_mut() {
                    paths.insert(path);
                }
            }
            None if stack.last().is_some_and(|n| n == kind) => {
                found.push(Paths::new());
                open = Some(stack.len() - 1);
            }
            None => {}
        }
        if empty {
            if open == Some(stack.len() - 1) {
                open = None;
            }
            stack.pop();
        }
    }
}

/// The direct children of an element, from its paths.
fn children(paths: &Paths) -> Paths {
    paths.iter().filter(|p| !p.contains('/')).cloned().collect()
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    let name = name.rsplit(':').next().unwrap_or_default();
    if name == "Id" {
        "member".to_owned()
    } else {
        name.to_owned()
    }
}

const KINDS: [&str; 5] = [
    "OrderReferenceDetails",
    "BillingAgreementDetails",
    "AuthorizationDetails",
    "CaptureDetails",
    "RefundDetails",
];

/// What the public fixtures carry that the simulator does not render (with everything under
/// it), and why.
const NOT_SIMULATED: &[(&str, &str, &str)] = &[
    (
        "OrderReferenceDetails",
        "BillingAddress",
        "shared only with sellers enabled for it; the simulator's sellers are not",
    ),
    (
        "OrderReferenceDetails",
        "PaymentAuthenticationStatus",
        "Strong Customer Authentication (EU and UK) is not simulated",
    ),
    (
        "OrderReferenceDetails",
        "RequestPaymentAuthorization",
        "Strong Customer Authentication (EU and UK) is not simulated",
    ),
    (
        "OrderReferenceDetails",
        "PaymentDescriptor",
        "the buyer's payment instrument is not simulated",
    ),
    (
        "OrderReferenceDetails",
        "PaymentReference",
        "static payment tokens are not simulated",
    ),
    (
        "OrderReferenceDetails",
        "PaymentServiceProviderAttributes",
        "payment service providers are not simulated",
    ),
    (
        "CaptureDetails",
        "ConvertedAmount",
        "multi-currency is not simulated",
    ),
    (
        "CaptureDetails",
        "ConversionRate",
        "multi-currency is not simulated",
    ),
    (
        "RefundDetails",
        "ConvertedAmount",
        "multi-currency is not simulated",
    ),
    (
        "RefundDetails",
        "ConversionRate",
        "multi-currency is not simulated",
    ),
];

/// Elements every fixture of a kind happens to show that Amazon sends only in some states or
/// when the seller set them (the few agreement fixtures are all Drafts with seller attributes).
const SOMETIMES: &[(&str, &str)] = &[
    ("BillingAgreementDetails", "Constraints"),
    (
        "BillingAgreementDetails",
        "SellerBillingAgreementAttributes",
    ),
];

fn not_simulated(kind: &str, path: &str) -> bool {
    NOT_SIMULATED
        .iter()
        .any(|(k, top, _)| *k == kind && (path == *top || path.starts_with(&format!("{top}/"))))
}

/// Every object in the states a merchant reads, with every attribute a seller may set: a Draft
/// and a closed one-time order, an order of an agreement, an agreement before and after
/// confirmation, an authorization before and after its capture, a capture before and after a
/// refund, and the refund; each answer as sent.
async fn rendered_objects(sandbox: &Sandbox) -> Vec<String> {
    let mut bodies = Vec::new();
    let raw = async |action: &str, extra: &[(&str, &str)]| {
        let (status, body) = common::call_raw(sandbox, action, extra).await;
        assert_eq!(status, 200, "{action}: {body}");
        body
    };
    let (ba, _) = sandbox
        .buyer_creates_billing_agreement(Region::Jp, &Default::default())
        .unwrap();
    let ba = ba.as_str();
    bodies.push(
        raw(
            "SetBillingAgreementDetails",
            &[
                ("AmazonBillingAgreementId", ba),
                ("BillingAgreementAttributes.SellerNote", "note"),
                ("BillingAgreementAttributes.PlatformId", "PLATFORM"),
                ("BillingAgreementAttributes.BillingAgreementType", "CustomerInitiatedTransaction"),
                ("BillingAgreementAttributes.SubscriptionAmount.Amount", "1000"),
                ("BillingAgreementAttributes.SubscriptionAmount.CurrencyCode", "JPY"),
                ("BillingAgreementAttributes.SellerBillingAgreementAttributes.SellerBillingAgreementId", "sba-1"),
                ("BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName", "Store"),
                ("BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation", "custom"),
            ],
        )
        .await,
    );
    let (draft, _) = sandbox
        .buyer_creates_billing_agreement(
            Region::Jp,
            &serde_json::from_value(serde_json::json!({ "consent": false })).unwrap(),
        )
        .unwrap();
    bodies.push(
        raw(
            "GetBillingAgreementDetails",
            &[("AmazonBillingAgreementId", &draft)],
        )
        .await,
    );
    raw(
        "ConfirmBillingAgreement",
        &[("AmazonBillingAgreementId", ba)],
    )
    .await;
    bodies.push(
        raw(
            "GetBillingAgreementDetails",
            &[("AmazonBillingAgreementId", ba)],
        )
        .await,
    );
    bodies.push(
        raw(
            "CreateOrderReferenceForId",
            &[("Id", ba), ("IdType", "BillingAgreement")],
        )
        .await,
    );

    let order = common::buyer_order(sandbox).await;
    let order = order.as_str();
    bodies.push(
        raw(
            "GetOrderReferenceDetails",
            &[("AmazonOrderReferenceId", order)],
        )
        .await,
    );
    raw(
        "SetOrderReferenceDetails",
        &[
            ("AmazonOrderReferenceId", order),
            ("OrderReferenceAttributes.OrderTotal.Amount", "5000"),
            ("OrderReferenceAttributes.OrderTotal.CurrencyCode", "JPY"),
            ("OrderReferenceAttributes.SellerNote", "note"),
            ("OrderReferenceAttributes.PlatformId", "PLATFORM"),
            ("OrderReferenceAttributes.SellerOrderAttributes.SellerOrderId", "order-1"),
            ("OrderReferenceAttributes.SellerOrderAttributes.StoreName", "Store"),
            ("OrderReferenceAttributes.SellerOrderAttributes.CustomInformation", "custom"),
            ("OrderReferenceAttributes.SellerOrderAttributes.SupplementaryData", "{}"),
            (
                "OrderReferenceAttributes.SellerOrderAttributes.OrderItemCategories.OrderItemCategory.1",
                "Antiques",
            ),
        ],
    )
    .await;
    raw(
        "ConfirmOrderReference",
        &[("AmazonOrderReferenceId", order)],
    )
    .await;
    let authorized = raw(
        "Authorize",
        &[
            ("AmazonOrderReferenceId", order),
            ("AuthorizationReferenceId", "fixture-auth"),
            ("AuthorizationAmount.Amount", "5000"),
            ("AuthorizationAmount.CurrencyCode", "JPY"),
            ("TransactionTimeout", "0"),
        ],
    )
    .await;
    let auth = v1::AuthorizeResponse::from_xml(authorized.as_bytes())
        .unwrap()
        .result
        .authorization_details
        .amazon_authorization_id;
    bodies.push(authorized);
    let captured = raw(
        "Capture",
        &[
            ("AmazonAuthorizationId", auth.as_str()),
            ("CaptureReferenceId", "fixture-capture"),
            ("CaptureAmount.Amount", "5000"),
            ("CaptureAmount.CurrencyCode", "JPY"),
        ],
    )
    .await;
    let capture = v1::CaptureResponse::from_xml(captured.as_bytes())
        .unwrap()
        .result
        .capture_details
        .amazon_capture_id;
    bodies.push(captured);
    bodies.push(
        raw(
            "GetAuthorizationDetails",
            &[("AmazonAuthorizationId", auth.as_str())],
        )
        .await,
    );
    bodies.push(
        raw(
            "Refund",
            &[
                ("AmazonCaptureId", capture.as_str()),
                ("RefundReferenceId", "fixture-refund"),
                ("RefundAmount.Amount", "1000"),
                ("RefundAmount.CurrencyCode", "JPY"),
            ],
        )
        .await,
    );
    bodies.push(
        raw(
            "GetCaptureDetails",
            &[("AmazonCaptureId", capture.as_str())],
        )
        .await,
    );
    raw("CloseOrderReference", &[("AmazonOrderReferenceId", order)]).await;
    bodies.push(
        raw(
            "GetOrderReferenceDetails",
            &[("AmazonOrderReferenceId", order)],
        )
        .await,
    );
    bodies
}

#[tokio::test]
async fn every_object_carries_every_element_the_public_fixtures_show_for_its_kind() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let bodies = rendered_objects(&sandbox).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v1");
    let mut fixtures = Vec::new();
    for sdk in std::fs::read_dir(&dir).unwrap() {
        for file in std::fs::read_dir(sdk.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "xml") {
                fixtures.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut missing = Vec::new();
    for kind in KINDS {
        let shown: Vec<Paths> = fixtures.iter().flat_map(|f| instances(f, kind)).collect();
        let rendered: Vec<Paths> = bodies.iter().flat_map(|b| instances(b, kind)).collect();
        assert!(!shown.is_empty() && !rendered.is_empty(), "{kind}");
        // Every element some fixture shows appears in some rendered object ...
        let all_rendered: Paths = rendered.iter().flatten().cloned().collect();
        for path in shown.iter().flatten().cloned().collect::<Paths>() {
            if !all_rendered.contains(&path) && !not_simulated(kind, &path) {
                missing.push(format!("{kind}/{path} (in no object)"));
            }
        }
        // ... and every element all fixtures show (Amazon always sends it) in every object.
        let always = shown
            .iter()
            .map(children)
            .reduce(|a, b| a.intersection(&b).cloned().collect())
            .unwrap_or_default();
        for (n, object) in rendered.iter().enumerate() {
            let present = children(object);
            let absent = always.difference(&present);
            for child in absent.filter(|c| !SOMETIMES.contains(&(kind, c.as_str()))) {
                missing.push(format!("{kind}/{child} (not in object {n})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing elements:\n{}",
        missing.join("\n")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sandbox_objects_are_unknown_on_the_live_path() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Environment::Sandbox);
    let live = client(&sandbox, Environment::Live);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let read = live
        .get_billing_agreement_details(
            &v1::GetBillingAgreementDetailsRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(read), v1::ErrorCode::InvalidParameterValue);
    let charge = live
        .authorize_on_billing_agreement(
            &v1::AuthorizeOnBillingAgreementRequest::builder()
                .amazon_billing_agreement_id(ba.as_str())
                .authorization_reference_id("live-1")
                .authorization_amount(Money::jpy(1000).unwrap())
                .transaction_timeout(0)
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(service_code(charge), v1::ErrorCode::InvalidParameterValue);
    assert_eq!(sandbox.inspect(|w| w.v1.authorizations.len()), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_buyer_updates_the_payment_method_only_in_the_region_that_owns_the_agreement() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let c = client(&sandbox, Environment::Sandbox);
    let ba = common::confirmed_agreement(&sandbox, &c).await;
    let update =
        async |region: &str| {
            reqwest::Client::new()
            .post(format!("{}/__sandbox/buyer/payment-method", sandbox.base_url()))
            .json(&serde_json::json!({ "id": ba, "region": region, "payment_method": "declining" }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
        };
    assert_eq!(update("NA").await, 400, "another region's seller");
    let validate = v1::ValidateBillingAgreementRequest::builder()
        .amazon_billing_agreement_id(ba.as_str())
        .build()
        .unwrap();
    let result = c
        .validate_billing_agreement(&validate)
        .await
        .unwrap()
        .result;
    assert_eq!(result.validation_result, v1::ValidationResult::Success);
    assert_eq!(update("JP").await, 200);
    let result = c
        .validate_billing_agreement(&validate)
        .await
        .unwrap()
        .result;
    assert_eq!(result.validation_result, v1::ValidationResult::Failure);
    sandbox.shutdown().await;
}
