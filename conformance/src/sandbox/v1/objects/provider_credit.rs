//! Solution-provider credits (reference §3.C ProviderCreditList, §3.D, §3.G): a capture pays
//! each listed provider a credit out of its amount; reversals take all or part of a credit back
//! (ReverseProviderCredit, or a refund's ProviderCreditReversalList), and a credit reversed in
//! full is Closed with `MaxAmountReversed`. Credits and reversals are Completed at once
//! (GUESSES.md). Below the capture: it names no other object, the capture passes its own id.

use amazon_pay_protocol::Money;
use amazon_pay_protocol::v1::{self, ErrorCode, ProviderCreditState as P};

use crate::sandbox::v1::amounts::{check_currency, text};
use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::{Owner, ProviderCreditRecord, ProviderCreditReversalRecord};
use crate::sandbox::v1::status::{id_base, provider_credit_status};

/// Checks a capture's credits before anything is created: each in the capture's currency and
/// above zero, one per provider (a refund names the credit to reverse by its provider), and
/// together at most the captured amount (GUESSES.md).
pub fn check_credits(credits: &[v1::ProviderCredit], captured: &Money) -> SimResult<()> {
    let mut total = 0;
    for (i, credit) in credits.iter().enumerate() {
        check_currency(&credit.credit_amount, &[captured.currency().as_str()])?;
        if credit.credit_amount.minor_units() <= 0 || credit.provider_id.is_empty() {
            return Err(SimError::new(
                ErrorCode::InvalidParameterValue,
                "A provider credit needs a ProviderId and an amount above zero.",
            ));
        }
        if credits[..i]
            .iter()
            .any(|c| c.provider_id == credit.provider_id)
        {
            return Err(SimError::new(
                ErrorCode::InvalidParameterValue,
                format!(
                    "The provider {} is credited twice; send one credit per provider.",
                    credit.provider_id
                ),
            ));
        }
        total += credit.credit_amount.minor_units();
    }
    if total > captured.minor_units() {
        return Err(SimError::new(
            ErrorCode::TransactionAmountExceeded,
            format!(
                "The provider credits add up to {cur} {}, more than the capture of {cur} {}.",
                text(total, captured),
                captured.amount_text(),
                cur = captured.currency().as_str(),
            ),
        ));
    }
    Ok(())
}

/// Pays the credits of a capture (checked with [`check_credits`]); returns the summaries the
/// capture shows. A credit's CreditReferenceId is the capture's reference id (GUESSES.md).
pub fn pay(
    ctx: &mut Ctx<'_>,
    owner: &Owner,
    capture_id: &str,
    capture_reference: &str,
    credits: Vec<v1::ProviderCredit>,
) -> SimResult<Vec<v1::ProviderCreditSummary>> {
    let base = id_base(capture_id).to_owned();
    let mut summaries = Vec::with_capacity(credits.len());
    for credit in credits {
        let id = ctx.common.new_child_id(&base, 'P');
        let zero = Money::from_minor(0, credit.credit_amount.currency().clone())
            .map_err(SimError::internal)?;
        let details = v1::ProviderCreditDetails::builder()
            .amazon_provider_credit_id(id.as_str())
            .seller_id(owner.seller_id.as_str())
            .provider_id(credit.provider_id.as_str())
            .credit_reference_id(capture_reference)
            .credit_amount(credit.credit_amount)
            .credit_reversal_amount(zero)
            .credit_reversal_id_list(v1::CreditReversalIdList::default())
            .creation_timestamp(ctx.now)
            .credit_status(provider_credit_status(P::Completed, None, ctx.now)?)
            .build()?;
        ctx.state.insert_provider_credit(
            id.clone(),
            ProviderCreditRecord {
                owner: owner.clone(),
                capture_id: capture_id.to_owned(),
                details,
            },
        );
        summaries.push(
            v1::ProviderCreditSummary::builder()
                .provider_id(credit.provider_id)
                .provider_credit_id(id.as_str())
                .build()?,
        );
    }
    Ok(summaries)
}

/// What may still be reversed of a credit; refuses a reversal it cannot take (another
/// currency, more than is left, a credit no longer Completed).
pub fn check_reversal(credit: &ProviderCreditRecord, amount: &Money) -> SimResult<()> {
    let id = credit.details.amazon_provider_credit_id.as_str();
    let state = credit.details.credit_status.as_ref().map(|s| &s.state);
    if state != Some(&P::Completed) {
        return Err(SimError::new(
            ErrorCode::InvalidTransactionId,
            format!("The provider credit {id} cannot be reversed in its current state."),
        ));
    }
    let paid = credit
        .details
        .credit_amount
        .as_ref()
        .ok_or_else(|| SimError::internal("provider credit without amount"))?;
    check_currency(amount, &[paid.currency().as_str()])?;
    let reversed = credit
        .details
        .credit_reversal_amount
        .as_ref()
        .map_or(0, Money::minor_units);
    if amount.minor_units() <= 0 {
        return Err(SimError::new(
            ErrorCode::InvalidParameterValue,
            "A credit reversal needs an amount above zero.",
        ));
    }
    if reversed + amount.minor_units() > paid.minor_units() {
        return Err(SimError::new(
            ErrorCode::TransactionAmountExceeded,
            format!(
                "The provider credit {id} of {cur} {} has {cur} {} reversed already; a reversal \
                 of {cur} {} would exceed it.",
                paid.amount_text(),
                text(reversed, paid),
                amount.amount_text(),
                cur = paid.currency().as_str(),
            ),
        ));
    }
    Ok(())
}

/// A reversal to make (checked with [`check_reversal`]).
pub struct NewReversal {
    pub credit_id: String,
    pub reference_id: String,
    pub amount: Money,
    pub note: Option<String>,
}

/// Reverses part or all of a credit; returns the reversal's id.
pub fn reverse(ctx: &mut Ctx<'_>, n: NewReversal) -> SimResult<String> {
    let closed = provider_credit_status(
        P::Closed,
        Some(v1::ProviderCreditReasonCode::MaxAmountReversed),
        ctx.now,
    )?;
    let completed = provider_credit_status(P::Completed, None, ctx.now)?;
    let base = id_base(&n.credit_id).to_owned();
    let id = ctx.common.new_child_id(&base, 'Q');
    let now = ctx.now;
    let credit = ctx
        .state
        .provider_credit_mut(&n.credit_id)
        .ok_or_else(|| SimError::internal("reversal of a missing provider credit"))?;
    let owner = credit.owner.clone();
    let provider = credit.details.provider_id.clone().unwrap_or_default();
    let reversed = credit
        .details
        .credit_reversal_amount
        .as_ref()
        .map_or(0, Money::minor_units)
        + n.amount.minor_units();
    let paid = credit
        .details
        .credit_amount
        .as_ref()
        .map_or(0, Money::minor_units);
    credit.details.credit_reversal_amount =
        Some(Money::from_minor(reversed, n.amount.currency().clone()).map_err(SimError::internal)?);
    credit
        .details
        .credit_reversal_id_list
        .get_or_insert_with(v1::CreditReversalIdList::default)
        .items
        .push(id.clone());
    if reversed == paid {
        credit.details.credit_status = Some(closed);
    }
    let mut details = v1::ProviderCreditReversalDetails::builder()
        .amazon_provider_credit_reversal_id(id.as_str())
        .seller_id(owner.seller_id.as_str())
        .provider_id(provider)
        .credit_reversal_reference_id(n.reference_id)
        .credit_reversal_amount(n.amount)
        .creation_timestamp(now)
        .credit_reversal_status(completed);
    if let Some(note) = n.note {
        details = details.credit_reversal_note(note);
    }
    ctx.state.insert_provider_credit_reversal(
        id.clone(),
        ProviderCreditReversalRecord {
            owner,
            provider_credit_id: n.credit_id,
            details: details.build()?,
        },
    );
    Ok(id)
}
