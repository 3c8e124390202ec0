//! The buyer's side, which happens on Amazon's pages: signing in, choosing an address and a
//! payment method, consenting, and later updating the payment method. Tests and the runner
//! play it through the simulator's `/__sandbox/buyer/...` endpoints.

use amazon_pay_protocol::v1::{self, ErrorCode, Region};
use serde::{Deserialize, Serialize};

use super::ctx::{Ctx, Notice};
use super::error::{SimError, SimResult};
use super::lifetimes::{order_reference_expiry, schedule_stale_cancel};
use super::objects::{billing_agreement, order_reference};
use super::records::{BillingAgreementRecord, BuyerProfile, OrderReferenceRecord, PaymentMethod};
use super::status::{self, agreement_status, order_language, order_status, release_environment};

/// What the buyer did before the seller's first call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BuyerChoices {
    /// Consent to future charges (billing agreements only).
    pub consent: bool,
    /// A shipping address was chosen.
    pub address: bool,
    pub payment_method: PaymentMethod,
}

impl Default for BuyerChoices {
    fn default() -> BuyerChoices {
        BuyerChoices {
            consent: true,
            address: true,
            payment_method: PaymentMethod::Valid,
        }
    }
}

/// A made-up buyer of the region; the values only have to look like real data so redaction
/// and address handling are exercised.
fn persona(region: Region, n: u64, choices: &BuyerChoices) -> SimResult<BuyerProfile> {
    let (name, phone, address) = match region {
        Region::Jp => (
            "山田 花子",
            "03-1234-5678",
            v1::Address::builder()
                .name("山田 花子")
                .address_line1("架空町1-2-3")
                .address_line2("サンプルビル101")
                .city("千代田区")
                .state_or_region("東京都")
                .postal_code("100-0000")
                .country_code("JP")
                .phone("03-1234-5678"),
        ),
        Region::Na => (
            "Pat Example",
            "+1 206-555-0100",
            v1::Address::builder()
                .name("Pat Example")
                .address_line1("123 Any Street")
                .city("Seattle")
                .state_or_region("WA")
                .postal_code("98101")
                .country_code("US")
                .phone("+1 206-555-0100"),
        ),
        Region::Eu => (
            "Erika Beispiel",
            "+49 30 1234567",
            v1::Address::builder()
                .name("Erika Beispiel")
                .address_line1("Musterstraße 1")
                .city("Berlin")
                .state_or_region("Berlin")
                .postal_code("10115")
                .country_code("DE")
                .phone("+49 30 1234567"),
        ),
        Region::Uk => (
            "Alex Example",
            "+44 20 7946 0000",
            v1::Address::builder()
                .name("Alex Example")
                .address_line1("1 Example Road")
                .city("London")
                .state_or_region("Greater London")
                .postal_code("SW1A 1AA")
                .country_code("GB")
                .phone("+44 20 7946 0000"),
        ),
    };
    Ok(BuyerProfile {
        name: name.to_owned(),
        email: format!("buyer{n}@example.com"),
        phone: phone.to_owned(),
        address: if choices.address {
            Some(address.build()?)
        } else {
            None
        },
        consent: choices.consent,
        payment_method: choices.payment_method,
        access_token: format!("Atza|sandbox-buyer-token-{n}-{:08x}", rand::random::<u32>()),
    })
}

/// The buyer signs in and leaves a Draft billing agreement behind. Returns its id and the
/// access token the seller's page would receive.
pub fn create_billing_agreement(
    ctx: &mut Ctx<'_>,
    choices: &BuyerChoices,
) -> SimResult<(String, String)> {
    let prefix = if ctx.sandbox { "C01" } else { "B01" };
    let id = ctx.common.new_root_id(prefix);
    let buyer = persona(ctx.owner.region(), ctx.common.sequence, choices)?;
    let token = buyer.access_token.clone();
    let details = v1::BillingAgreementDetails::builder()
        .amazon_billing_agreement_id(id.as_str())
        .billing_agreement_status(agreement_status(
            v1::BillingAgreementState::Draft,
            None,
            None,
            ctx.now,
        )?)
        .creation_timestamp(ctx.now)
        .release_environment(release_environment(ctx))
        .order_language(order_language(ctx.owner.region()))
        .build()?;
    ctx.state.insert_billing_agreement(
        id.clone(),
        BillingAgreementRecord {
            owner: ctx.owner.clone(),
            buyer,
            details,
            order_references: Vec::new(),
            ledger: Vec::new(),
        },
    );
    schedule_stale_cancel(ctx, &id);
    Ok((id, token))
}

/// The buyer signs in for a one-time payment and leaves a Draft order reference behind.
pub fn create_order_reference(
    ctx: &mut Ctx<'_>,
    choices: &BuyerChoices,
) -> SimResult<(String, String)> {
    let prefix = if ctx.sandbox { "S01" } else { "P01" };
    let id = ctx.common.new_root_id(prefix);
    let buyer = persona(ctx.owner.region(), ctx.common.sequence, choices)?;
    let token = buyer.access_token.clone();
    let expires = order_reference_expiry(ctx, &id);
    let details = v1::OrderReferenceDetails::builder()
        .amazon_order_reference_id(id.as_str())
        .order_reference_status(order_status(
            v1::OrderReferenceState::Draft,
            None,
            None,
            ctx.now,
        )?)
        .creation_timestamp(ctx.now)
        .expiration_timestamp(expires)
        .release_environment(release_environment(ctx))
        .order_language(order_language(ctx.owner.region()))
        .build()?;
    ctx.state.insert_order_reference(
        id.clone(),
        OrderReferenceRecord {
            owner: ctx.owner.clone(),
            buyer,
            details,
        },
    );
    schedule_stale_cancel(ctx, &id);
    Ok((id, token))
}

/// A new payment method for a billing agreement or order reference (the buyer on Amazon's
/// pages, or the sandbox's `PaymentMethodUpdateTimeInMins` event; no owner check). A valid
/// method lifts an InvalidPaymentMethod suspension at once.
pub fn update_payment_method(ctx: &mut Ctx<'_>, id: &str, method: PaymentMethod) -> SimResult<()> {
    if let Some(ba) = ctx.state.billing_agreement_mut(id) {
        ba.buyer.payment_method = method;
        let suspended =
            ba.details.billing_agreement_status.state == v1::BillingAgreementState::Suspended;
        ctx.notices.push(Notice::BillingAgreement {
            id: id.to_owned(),
            event_type: "PaymentMethodUpdated",
        });
        if suspended && method == PaymentMethod::Valid {
            billing_agreement::open(ctx, id)?;
        }
        return Ok(());
    }
    if let Some(oro) = ctx.state.order_reference_mut(id) {
        oro.buyer.payment_method = method;
        let suspended =
            oro.details.order_reference_status.state == v1::OrderReferenceState::Suspended;
        if suspended && method == PaymentMethod::Valid {
            order_reference::open(ctx, id)?;
        }
        return Ok(());
    }
    Err(unknown(id))
}

/// The buyer chooses another payment method on Amazon's pages of the region's seller: only
/// that seller's objects, as for consent.
pub fn choose_payment_method(ctx: &mut Ctx<'_>, id: &str, method: PaymentMethod) -> SimResult<()> {
    if status::agreement(ctx, id).is_err() && status::order_reference(ctx, id).is_err() {
        return Err(unknown(id));
    }
    update_payment_method(ctx, id, method)
}

/// The buyer gives (or had not given) consent to future charges on a Draft agreement.
pub fn give_consent(ctx: &mut Ctx<'_>, id: &str) -> SimResult<()> {
    status::agreement(ctx, id)?;
    if let Some(ba) = ctx.state.billing_agreement_mut(id) {
        ba.buyer.consent = true;
    }
    Ok(())
}

fn unknown(id: &str) -> SimError {
    SimError::new(
        ErrorCode::InvalidParameterValue,
        format!("No billing agreement or order reference {id} of this seller."),
    )
}
