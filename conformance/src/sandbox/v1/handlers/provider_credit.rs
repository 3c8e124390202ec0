//! GetProviderCreditDetails, GetProviderCreditReversalDetails and ReverseProviderCredit
//! (reference §3.D), and the reversals a refund's ProviderCreditReversalList asks for.

use amazon_pay_protocol::v1;

use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::objects::provider_credit::{self, NewReversal};
use crate::sandbox::v1::records::ProviderCreditRecord;
use crate::sandbox::v1::status;

pub fn get(
    ctx: &mut Ctx<'_>,
    r: v1::GetProviderCreditDetailsRequest,
) -> SimResult<v1::GetProviderCreditDetailsResponse> {
    let credit = status::provider_credit(ctx, r.amazon_provider_credit_id.as_str())?;
    let result = v1::GetProviderCreditDetailsResult::builder()
        .provider_credit_details(credit.details.clone())
        .build()?;
    Ok(v1::GetProviderCreditDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn get_reversal(
    ctx: &mut Ctx<'_>,
    r: v1::GetProviderCreditReversalDetailsRequest,
) -> SimResult<v1::GetProviderCreditReversalDetailsResponse> {
    let reversal =
        status::provider_credit_reversal(ctx, r.amazon_provider_credit_reversal_id.as_str())?;
    let result = v1::GetProviderCreditReversalDetailsResult::builder()
        .provider_credit_reversal_details(reversal.details.clone())
        .build()?;
    Ok(v1::GetProviderCreditReversalDetailsResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

pub fn reverse(
    ctx: &mut Ctx<'_>,
    r: v1::ReverseProviderCreditRequest,
) -> SimResult<v1::ReverseProviderCreditResponse> {
    let credit_id = r.amazon_provider_credit_id.as_str().to_owned();
    let reference = r.credit_reversal_reference_id.as_str().to_owned();
    let credit = status::provider_credit(ctx, &credit_id)?;
    let key = "CreditReversalReferenceId";
    let action = "ReverseProviderCredit";
    let reversal_id = match ctx.retry_of(key, &reference, action, &credit_id)? {
        Some(id) => id,
        None => {
            provider_credit::check_reversal(credit, &r.credit_reversal_amount)?;
            let id = provider_credit::reverse(
                ctx,
                NewReversal {
                    credit_id: credit_id.clone(),
                    reference_id: reference.clone(),
                    amount: r.credit_reversal_amount,
                    note: r.credit_reversal_note,
                },
            )?;
            ctx.record_reference(key, &reference, action, &credit_id, &id);
            id
        }
    };
    let reversal = status::provider_credit_reversal(ctx, &reversal_id)?;
    let result = v1::ReverseProviderCreditResult::builder()
        .provider_credit_reversal_details(reversal.details.clone())
        .build()?;
    Ok(v1::ReverseProviderCreditResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

/// The credit a refund reverses: the one its capture paid to that provider.
fn credit_of<'a>(
    ctx: &'a Ctx<'_>,
    capture_id: &str,
    reversal: &v1::ProviderCreditReversal,
) -> SimResult<&'a ProviderCreditRecord> {
    let capture = status::capture(ctx, capture_id)?;
    capture
        .details
        .provider_credit_summary_list
        .iter()
        .flat_map(|l| l.items.iter())
        .filter(|s| s.provider_id.as_deref() == Some(reversal.provider_id.as_str()))
        .filter_map(|s| s.provider_credit_id.as_ref())
        .find_map(|id| ctx.state.provider_credit(id.as_str()))
        .ok_or_else(|| {
            SimError::new(
                v1::ErrorCode::InvalidParameterValue,
                format!(
                    "The capture {capture_id} paid no credit to the provider {}.",
                    reversal.provider_id
                ),
            )
        })
}

/// Checks a refund's ProviderCreditReversalList before the refund is made.
pub fn check_refund_reversals(
    ctx: &Ctx<'_>,
    capture_id: &str,
    reversals: &[v1::ProviderCreditReversal],
) -> SimResult<()> {
    for (i, reversal) in reversals.iter().enumerate() {
        if reversals[..i]
            .iter()
            .any(|r| r.provider_id == reversal.provider_id)
        {
            return Err(SimError::new(
                v1::ErrorCode::InvalidParameterValue,
                format!(
                    "The provider {} is named twice; send one reversal per provider.",
                    reversal.provider_id
                ),
            ));
        }
        let credit = credit_of(ctx, capture_id, reversal)?;
        provider_credit::check_reversal(credit, &reversal.credit_reversal_amount)?;
    }
    Ok(())
}

/// Makes a refund's reversals (checked with [`check_refund_reversals`]); each carries the
/// refund's reference id (GUESSES.md). Returns the summaries the refund shows.
pub fn reverse_for_refund(
    ctx: &mut Ctx<'_>,
    capture_id: &str,
    refund_reference: &str,
    reversals: Vec<v1::ProviderCreditReversal>,
) -> SimResult<Vec<v1::ProviderCreditReversalSummary>> {
    let mut summaries = Vec::with_capacity(reversals.len());
    for reversal in reversals {
        let credit_id = credit_of(ctx, capture_id, &reversal)?
            .details
            .amazon_provider_credit_id
            .as_str()
            .to_owned();
        let id = provider_credit::reverse(
            ctx,
            NewReversal {
                credit_id,
                reference_id: refund_reference.to_owned(),
                amount: reversal.credit_reversal_amount,
                note: None,
            },
        )?;
        summaries.push(
            v1::ProviderCreditReversalSummary::builder()
                .provider_id(reversal.provider_id)
                .provider_credit_reversal_id(id.as_str())
                .build()?,
        );
    }
    Ok(summaries)
}
