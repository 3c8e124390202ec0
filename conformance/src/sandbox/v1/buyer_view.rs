//! What Get*Details shows of an object: the stored seller-side details plus what Amazon derives
//! at read time — the buyer's data (partial address before confirmation, everything after, seed
//! 003), the open constraints, and the billing agreement's monthly limit.

use amazon_pay_protocol::v1::{self, Region};
use amazon_pay_protocol::{Money, Timestamp};

use super::error::{SimError, SimResult};
use super::records::{BillingAgreementRecord, BuyerProfile, OrderReferenceRecord, PaymentMethod};
use super::simulation::{self, NoteField, Simulation};
use super::state::State;
use crate::sandbox::monthly::{month_of, month_window};

/// Before confirmation Amazon shares only the coarse part of the address, enough to compute
/// tax and shipping: state or region, postal code and country, and the city outside Japan.
/// Seed 003 lists prefecture, postal code and country for JP and puts the city (市区町村) in
/// the full address; the reference's BillingAgreementDetails page adds City elsewhere.
fn partial_address(full: &v1::Address, region: Region) -> SimResult<v1::Address> {
    let mut b = v1::Address::builder();
    if region != Region::Jp {
        if let Some(v) = &full.city {
            b = b.city(v.clone());
        }
    }
    if let Some(v) = &full.state_or_region {
        b = b.state_or_region(v.clone());
    }
    if let Some(v) = &full.postal_code {
        b = b.postal_code(v.clone());
    }
    if let Some(v) = &full.country_code {
        b = b.country_code(v.clone());
    }
    Ok(b.build()?)
}

fn destination(
    buyer: &BuyerProfile,
    full: bool,
    region: Region,
) -> SimResult<Option<v1::Destination>> {
    let Some(address) = &buyer.address else {
        return Ok(None);
    };
    let address = if full {
        address.clone()
    } else {
        partial_address(address, region)?
    };
    Ok(Some(
        v1::Destination::builder()
            .destination_type(v1::DestinationType::Physical)
            .physical_destination(address)
            .build()?,
    ))
}

fn buyer(profile: &BuyerProfile) -> SimResult<v1::Buyer> {
    Ok(v1::Buyer::builder()
        .name(profile.name.clone())
        .email(profile.email.clone())
        .phone(profile.phone.clone())
        .build()?)
}

fn constraint(id: v1::ConstraintId, description: &str) -> SimResult<v1::Constraint> {
    Ok(v1::Constraint::builder()
        .constraint_id(id)
        .description(description)
        .build()?)
}

/// The constraints that keep a Draft from being confirmed (reference §4.1 and §4.2).
pub fn open_constraints(
    buyer: &BuyerProfile,
    needs_consent: bool,
    amount_missing: bool,
    method_not_allowed: bool,
) -> SimResult<Vec<v1::Constraint>> {
    use v1::ConstraintId as C;
    let mut out = Vec::new();
    if needs_consent && !buyer.consent {
        out.push(constraint(
            C::BuyerConsentNotSet,
            "The buyer has not given consent to future charges.",
        )?);
    }
    if amount_missing {
        out.push(constraint(
            C::AmountNotSet,
            "The order total has not been set.",
        )?);
    }
    if buyer.payment_method == PaymentMethod::None {
        out.push(constraint(
            C::PaymentPlanNotSet,
            "The buyer has not chosen a payment method.",
        )?);
    }
    if buyer.address.is_none() {
        out.push(constraint(
            C::ShippingAddressNotSet,
            "The buyer has not chosen a shipping address.",
        )?);
    }
    if method_not_allowed {
        out.push(constraint(
            C::PaymentMethodNotAllowed,
            "The payment method chosen is not allowed for this order (sandbox simulation).",
        )?);
    }
    Ok(out)
}

/// Confirm* with open constraints: the error names every constraint.
pub fn constraints_error(
    code: amazon_pay_protocol::v1::ErrorCode,
    what: &str,
    constraints: &[v1::Constraint],
) -> SimError {
    let ids: Vec<&str> = constraints
        .iter()
        .map(|c| c.constraint_id.as_str())
        .collect();
    SimError::new(
        code,
        format!(
            "{what} has constraints and cannot be confirmed: {}.",
            ids.join(", ")
        ),
    )
}

/// The agreement's monthly limit and what remains of it at `now`.
pub fn limits(
    world: &State,
    agreement_id: &str,
    region: Region,
    now: Timestamp,
) -> SimResult<Option<v1::BillingAgreementLimits>> {
    let Some(limit) = region.billing_agreement_monthly_limit() else {
        return Ok(None);
    };
    let (start, end) = month_window(now);
    let used = world.authorized_in_month(agreement_id, month_of(now));
    let remaining = Money::from_minor(
        (limit.minor_units() - used).max(0),
        limit.currency().clone(),
    )
    .map_err(SimError::internal)?;
    Ok(Some(
        v1::BillingAgreementLimits::builder()
            .amount_limit_per_time_period(limit)
            .time_period_start_date(start)
            .time_period_end_date(end)
            .current_remaining_balance(remaining)
            .build()?,
    ))
}

/// GetBillingAgreementDetails' view. `token_valid`: the seller showed the buyer's token, which
/// unlocks the full address before confirmation.
pub fn billing_agreement_view(
    world: &State,
    ba: &BillingAgreementRecord,
    now: Timestamp,
    token_valid: bool,
) -> SimResult<v1::BillingAgreementDetails> {
    let mut details = ba.details.clone();
    // Canceled as Stale means never confirmed: the buyer's data stays hidden.
    let status = &details.billing_agreement_status;
    let draft = status.state == v1::BillingAgreementState::Draft;
    let confirmed = !draft && status.reason_code != Some(v1::BillingAgreementReasonCode::Stale);
    details.destination = destination(&ba.buyer, confirmed || token_valid, ba.owner.region())?;
    details.buyer = if confirmed {
        Some(buyer(&ba.buyer)?)
    } else {
        None
    };
    details.billing_agreement_consent = Some(ba.buyer.consent);
    details.billing_agreement_limits = limits(
        world,
        details.amazon_billing_agreement_id.as_str(),
        ba.owner.region(),
        now,
    )?;
    // Constraints say what keeps a Draft from confirmation; other states have none.
    details.constraints = if !draft {
        None
    } else {
        let list = open_constraints(&ba.buyer, true, false, ba_method_not_allowed(ba))?;
        (!list.is_empty()).then(|| v1::ConstraintList::from(list))
    };
    Ok(details)
}

/// The PaymentMethodNotAllowed simulation stays while the seller note carries it.
pub fn ba_method_not_allowed(ba: &BillingAgreementRecord) -> bool {
    note_asks_method_not_allowed(ba.details.seller_note.as_deref(), &ba.owner.environment)
}

pub fn oro_method_not_allowed(oro: &OrderReferenceRecord) -> bool {
    note_asks_method_not_allowed(oro.details.seller_note.as_deref(), &oro.owner.environment)
}

fn note_asks_method_not_allowed(note: Option<&str>, environment: &str) -> bool {
    environment == "Sandbox"
        && matches!(
            simulation::parse(note, NoteField::SellerNote),
            Ok(Some(Simulation::PaymentMethodNotAllowed))
        )
}

/// GetOrderReferenceDetails' view.
pub fn order_reference_view(
    oro: &OrderReferenceRecord,
    token_valid: bool,
) -> SimResult<v1::OrderReferenceDetails> {
    let mut details = oro.details.clone();
    let status = &details.order_reference_status;
    let draft = status.state == v1::OrderReferenceState::Draft;
    let confirmed = !draft && status.reason_code != Some(v1::OrderReferenceReasonCode::Stale);
    details.destination = destination(&oro.buyer, confirmed || token_valid, oro.owner.region())?;
    details.buyer = if confirmed {
        Some(buyer(&oro.buyer)?)
    } else {
        None
    };
    // Constraints say what keeps a Draft from confirmation; other states have none.
    details.constraints = if !draft {
        None
    } else {
        let list = open_constraints(
            &oro.buyer,
            false,
            details.order_total.is_none(),
            oro_method_not_allowed(oro),
        )?;
        (!list.is_empty()).then(|| v1::ConstraintList::from(list))
    };
    Ok(details)
}
