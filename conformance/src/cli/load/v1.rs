//! The v1 load: GetBillingAgreementDetails with every Nth an AuthorizeOnBillingAgreement (a
//! new reference id each), one confirmed billing agreement per worker.

use std::net::SocketAddr;

use amazon_pay_protocol::client::{Client, RetryPolicy};
use amazon_pay_protocol::credentials::Credentials;
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{self, Environment, Region};
use amazon_pay_protocol::{Money, V1};
use axum::http::Method;

use super::drive::Prepared;
use super::{Generation, of_worker};
use crate::sandbox::{BuyerChoices, Sandbox};

/// The confirmed agreements of one simulator, one per worker, and how to sign for them.
pub struct Agreements {
    credentials: Credentials,
    endpoint: Endpoint,
    gets: Vec<v1::GetBillingAgreementDetailsRequest>,
}

/// The form of the mix's write carries this (parameters are sorted, so one always follows).
const WRITE_ACTION: &[u8] = b"Action=AuthorizeOnBillingAgreement&";

impl Generation for Agreements {
    const NAME: &'static str = "v1";
    const MIX: (&'static str, &'static str) = (
        "an AuthorizeOnBillingAgreement",
        "GetBillingAgreementDetails",
    );

    fn is_write(_: &Method, body: &[u8]) -> bool {
        body.windows(WRITE_ACTION.len()).any(|w| w == WRITE_ACTION)
    }

    async fn set_up(
        sandbox: &Sandbox,
        workers: u64,
    ) -> Result<Agreements, Box<dyn std::error::Error>> {
        let account = sandbox.account(Region::Jp).ok_or("no JP account")?;
        let credentials = account.credentials();
        let endpoint = sandbox.endpoint(Environment::Sandbox);
        let client = Client::builder(credentials.clone(), endpoint.clone())
            .retry_policy(RetryPolicy::none())
            .build()?;
        let mut gets = Vec::new();
        for _ in 0..workers {
            let (id, _) =
                sandbox.buyer_creates_billing_agreement(Region::Jp, &BuyerChoices::default())?;
            client
                .confirm_billing_agreement(
                    &v1::ConfirmBillingAgreementRequest::builder()
                        .amazon_billing_agreement_id(id.as_str())
                        .build()?,
                )
                .await?;
            gets.push(
                v1::GetBillingAgreementDetailsRequest::builder()
                    .amazon_billing_agreement_id(id)
                    .build()?,
            );
        }
        Ok(Agreements {
            credentials,
            endpoint,
            gets,
        })
    }

    fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn at(&self, addr: SocketAddr) -> Result<Endpoint, Box<dyn std::error::Error>> {
        Ok(Endpoint::loopback_http(
            &addr.to_string(),
            Environment::Sandbox,
        )?)
    }

    fn request(
        &self,
        endpoint: &Endpoint,
        run: &str,
        (worker, i): (u64, u64),
        write: bool,
    ) -> Result<Prepared, Box<dyn std::error::Error>> {
        let get = of_worker(&self.gets, worker)?;
        if !write {
            return Ok(Prepared::sign::<V1, _>(
                get,
                &self.credentials,
                endpoint,
                None,
                false,
            )?);
        }
        let authorize = v1::AuthorizeOnBillingAgreementRequest::builder()
            .amazon_billing_agreement_id(get.amazon_billing_agreement_id.as_str())
            .authorization_reference_id(format!("{run}-{worker}-{i}"))
            .authorization_amount(Money::jpy(1)?)
            .transaction_timeout(0)
            .build()?;
        Ok(Prepared::sign::<V1, _>(
            &authorize,
            &self.credentials,
            endpoint,
            None,
            true,
        )?)
    }
}
