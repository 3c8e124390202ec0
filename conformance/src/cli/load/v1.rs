//! The v1 load: GetBillingAgreementDetails with every Nth an AuthorizeOnBillingAgreement, one
//! confirmed billing agreement per worker.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::client::{Client, RetryPolicy};
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{self, Environment, Region};

use super::LoadArgs;
use super::drive::{Stats, Worker, drive};
use crate::sandbox::{BuyerChoices, Sandbox};

/// What the mix writes and reads.
pub const MIX: (&str, &str) = (
    "an AuthorizeOnBillingAgreement",
    "GetBillingAgreementDetails",
);

/// The fixed answers of the baseline server (embedded, so the binary runs anywhere).
const GET_ANSWER: &str = include_str!(
    "../../../../fixtures/v1/amazon-pay-sdk-java/GetBillingAgreementDetailsResponse.xml"
);
const AUTHORIZE_ANSWER: &str = include_str!(
    "../../../../fixtures/v1/amazon-pay-sdk-java/AuthorizeOnBillingAgreementResponse.xml"
);

struct AgreementWorker {
    client: Client,
    number: usize,
    agreement: String,
    get: v1::GetBillingAgreementDetailsRequest,
}

impl AgreementWorker {
    fn new(
        client: &Client,
        number: usize,
        agreement: String,
    ) -> Result<AgreementWorker, amazon_pay_protocol::BuildError> {
        let get = v1::GetBillingAgreementDetailsRequest::builder()
            .amazon_billing_agreement_id(agreement.as_str())
            .build()?;
        Ok(AgreementWorker {
            client: client.clone(),
            number,
            agreement,
            get,
        })
    }
}

impl Worker for AgreementWorker {
    async fn call(&self, i: u64, write: bool) -> bool {
        if !write {
            return self
                .client
                .get_billing_agreement_details(&self.get)
                .await
                .is_ok();
        }
        let Ok(yen) = Money::jpy(1) else {
            return false;
        };
        let request = v1::AuthorizeOnBillingAgreementRequest::builder()
            .amazon_billing_agreement_id(self.agreement.as_str())
            .authorization_reference_id(format!("load-{}-{i}", self.number))
            .authorization_amount(yen)
            .transaction_timeout(0)
            .build();
        match request {
            Ok(request) => self
                .client
                .authorize_on_billing_agreement(&request)
                .await
                .is_ok(),
            Err(_) => false,
        }
    }
}

fn client(
    credentials: amazon_pay_protocol::credentials::Credentials,
    endpoint: Endpoint,
) -> Result<Client, Box<dyn std::error::Error>> {
    Ok(Client::builder(credentials, endpoint)
        .retry_policy(RetryPolicy::none())
        .build()?)
}

pub async fn against_simulator(
    sandbox: &Sandbox,
    args: &LoadArgs,
) -> Result<Stats, Box<dyn std::error::Error>> {
    let account = sandbox.account(Region::Jp).ok_or("no JP account")?.clone();
    let client = client(
        account.credentials(),
        sandbox.endpoint(Environment::Sandbox),
    )?;
    // One agreement per worker, confirmed, so authorizations are legal.
    let mut workers = Vec::new();
    for number in 0..args.concurrency as usize {
        let (id, _) =
            sandbox.buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())?;
        client
            .confirm_billing_agreement(
                &v1::ConfirmBillingAgreementRequest::builder()
                    .amazon_billing_agreement_id(id.as_str())
                    .build()?,
            )
            .await?;
        workers.push(AgreementWorker::new(&client, number, id)?);
    }
    Ok(drive(workers, args.requests, args.authorize_every).await?)
}

pub async fn against_baseline(args: &LoadArgs) -> Result<Stats, Box<dyn std::error::Error>> {
    let app = axum::Router::new().fallback(|body: String| async move {
        // The Action is all the bare handler reads: no signature check, no state.
        if body.contains("Action=AuthorizeOnBillingAgreement&") {
            AUTHORIZE_ANSWER
        } else {
            GET_ANSWER
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let endpoint = Endpoint::loopback_http(&addr.to_string(), Environment::Sandbox)?;
    let credentials = amazon_pay_protocol::credentials::Credentials::new(
        "AKIABASELINE",
        amazon_pay_protocol::credentials::SecretKey::new("baseline-secret"),
        "A1BASELINE",
    );
    let client = client(credentials, endpoint)?;
    let workers = (0..args.concurrency as usize)
        .map(|w| AgreementWorker::new(&client, w, format!("C01-0000000-{w:07}")))
        .collect::<Result<Vec<_>, _>>()?;
    let stats = drive(workers, args.requests, args.authorize_every).await?;
    server.abort();
    Ok(stats)
}
