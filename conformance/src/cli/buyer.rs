//! `amazon-pay-conformance buyer ...`: the buyer's side (Amazon's hosted pages) against a
//! running simulator, through its test endpoints under `/__sandbox/`. v1: the buyer creates a
//! billing agreement or order reference and updates its payment method. v2: the buyer checks
//! out from a session's `amazonPayRedirectUrl`, updates a saved wallet's payment method on the
//! hosted Update page, and cancels the saved wallet from their account. Each prints the
//! simulator's JSON answer.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use super::CliResult;

/// Which simulator to reach, and how.
#[derive(clap::Args)]
pub struct Target {
    /// The simulator's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    sandbox: String,
    /// Trust this CA certificate (PEM): the one `sandbox --tls` writes, to reach it over https.
    #[arg(long)]
    ca: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
pub enum BuyerCommand {
    /// v1: the buyer signs in, chooses an address and a payment method and consents: a Draft
    /// billing agreement (or order reference with --order-reference) is printed as JSON.
    Create {
        #[command(flatten)]
        target: Target,
        #[arg(long, default_value = "JP")]
        region: String,
        #[arg(long)]
        order_reference: bool,
        #[arg(long)]
        no_consent: bool,
        #[arg(long)]
        no_address: bool,
        /// valid, declining or none.
        #[arg(long, default_value = "valid")]
        payment_method: String,
    },
    /// The buyer updates the payment method: of a v1 billing agreement or order reference
    /// (its id), or of a v2 saved wallet (--charge-permission) on the hosted Update page.
    UpdatePaymentMethod {
        #[command(flatten)]
        target: Target,
        #[arg(long, default_value = "JP")]
        region: String,
        /// v1: the billing agreement or order reference.
        #[arg(
            required_unless_present = "charge_permission",
            conflicts_with = "charge_permission"
        )]
        id: Option<String>,
        /// v1: valid, declining or none.
        #[arg(long, conflicts_with = "charge_permission")]
        payment_method: Option<String>,
        /// v2: the Saved Wallet charge permission.
        #[arg(long)]
        charge_permission: Option<String>,
        /// v2: the last four digits of the new simulated card (default 1111).
        #[arg(long, requires = "charge_permission")]
        card: Option<String>,
    },
    /// v2: the buyer opens a checkout session from its amazonPayRedirectUrl on Amazon's page,
    /// signs in, chooses a card and an address and pays (or cancels); prints the merchant's
    /// return URL.
    Checkout {
        #[command(flatten)]
        target: Target,
        /// The region of the merchant (NA, EU or JP).
        #[arg(long, default_value = "JP")]
        region: String,
        /// The session's amazonPayRedirectUrl (or its checkout session id).
        #[arg(long)]
        redirect_url: String,
        /// The last four digits of a simulated card: 1111 pays; 3064 BuyerCanceled, 3434
        /// Declined, 0701 pending then Authorized, 4354 pending then HardDeclined.
        #[arg(long)]
        card: Option<String>,
        /// Leave with Cancel instead of paying.
        #[arg(long)]
        cancel: bool,
        /// Fail the strong-authentication step (EU merchants).
        #[arg(long)]
        fail_authentication: bool,
    },
    /// v2: the buyer cancels a saved wallet from their Amazon account (BuyerClosed).
    CancelSavedWallet {
        #[command(flatten)]
        target: Target,
        #[arg(long, default_value = "JP")]
        region: String,
        #[arg(long)]
        charge_permission: String,
    },
}

/// The test endpoint and body of a command.
fn request(command: BuyerCommand) -> (Target, String, Value) {
    match command {
        BuyerCommand::Create {
            target,
            region,
            order_reference,
            no_consent,
            no_address,
            payment_method,
        } => {
            let kind = if order_reference {
                "order-references"
            } else {
                "billing-agreements"
            };
            (
                target,
                format!("/__sandbox/buyer/{kind}"),
                json!({ "region": region, "consent": !no_consent, "address": !no_address, "payment_method": payment_method }),
            )
        }
        BuyerCommand::UpdatePaymentMethod {
            target,
            region,
            id,
            payment_method,
            charge_permission,
            card,
        } => match charge_permission {
            // clap lets a charge permission come only without the v1 id and payment method.
            Some(permission) => {
                let mut body = Map::new();
                body.insert("region".into(), region.into());
                if let Some(card) = card {
                    body.insert("card".into(), card.into());
                }
                (
                    target,
                    format!("/__sandbox/v2/buyer/charge-permissions/{permission}/payment-method"),
                    body.into(),
                )
            }
            None => (
                target,
                "/__sandbox/buyer/payment-method".to_owned(),
                json!({ "id": id, "region": region, "payment_method": payment_method.as_deref().unwrap_or("valid") }),
            ),
        },
        BuyerCommand::Checkout {
            target,
            region,
            redirect_url,
            card,
            cancel,
            fail_authentication,
        } => {
            let mut body = Map::new();
            body.insert("region".into(), region.into());
            body.insert("redirectUrl".into(), redirect_url.into());
            if let Some(card) = card {
                body.insert("card".into(), card.into());
            }
            body.insert("cancel".into(), cancel.into());
            body.insert("failAuthentication".into(), fail_authentication.into());
            (
                target,
                "/__sandbox/v2/buyer/checkout".to_owned(),
                body.into(),
            )
        }
        BuyerCommand::CancelSavedWallet {
            target,
            region,
            charge_permission,
        } => (
            target,
            format!("/__sandbox/v2/buyer/charge-permissions/{charge_permission}/cancel"),
            json!({ "region": region }),
        ),
    }
}

/// An HTTP client that trusts `ca` besides the system's roots.
fn http_client(ca: Option<&PathBuf>) -> Result<reqwest::Client, Box<dyn std::error::Error>> {
    let mut builder = reqwest::Client::builder();
    if let Some(path) = ca {
        let pem =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        builder = builder.add_root_certificate(reqwest::Certificate::from_pem(&pem)?);
    }
    Ok(builder.build()?)
}

pub fn run(command: BuyerCommand) -> CliResult {
    let (target, path, body) = request(command);
    let client = http_client(target.ca.as_ref())?;
    let url = format!("{}{path}", target.sandbox.trim_end_matches('/'));
    let runtime = tokio::runtime::Runtime::new()?;
    let (status, value) = runtime.block_on(async {
        let response = client.post(&url).json(&body).send().await?;
        let status = response.status();
        let value: Value = response.json().await?;
        Ok::<_, reqwest::Error>((status, value))
    })?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(if status.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
