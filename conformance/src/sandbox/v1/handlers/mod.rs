//! The v1 operations: each takes the generated request type and returns the generated
//! response type, after checking the request against the objects' state machines
//! (`super::objects`). A handler that refuses a request returns before its first mutation, so a
//! refused request changes nothing.

mod authorization;
mod billing_agreement;
mod capture;
pub mod notification;
mod order_reference;
mod order_reference_list;
mod provider_credit;
mod refund;

use amazon_pay_protocol::v1::{self, AnyRequest, AnyResponse};

use super::ctx::Ctx;
use super::error::SimResult;

/// Handles a verified request.
pub fn handle(ctx: &mut Ctx<'_>, request: AnyRequest) -> SimResult<AnyResponse> {
    use AnyRequest as Q;
    use AnyResponse as A;
    Ok(match request {
        Q::GetBillingAgreementDetails(r) => {
            A::GetBillingAgreementDetails(billing_agreement::get(ctx, r)?)
        }
        Q::SetBillingAgreementDetails(r) => {
            A::SetBillingAgreementDetails(billing_agreement::set(ctx, r)?)
        }
        Q::ConfirmBillingAgreement(r) => {
            A::ConfirmBillingAgreement(billing_agreement::confirm(ctx, r)?)
        }
        Q::ValidateBillingAgreement(r) => {
            A::ValidateBillingAgreement(billing_agreement::validate(ctx, r)?)
        }
        Q::AuthorizeOnBillingAgreement(r) => {
            A::AuthorizeOnBillingAgreement(billing_agreement::authorize(ctx, r)?)
        }
        Q::CloseBillingAgreement(r) => A::CloseBillingAgreement(billing_agreement::close(ctx, r)?),
        Q::CreateOrderReferenceForId(r) => {
            A::CreateOrderReferenceForId(billing_agreement::create_order_reference(ctx, r)?)
        }
        Q::GetOrderReferenceDetails(r) => {
            A::GetOrderReferenceDetails(order_reference::get(ctx, r)?)
        }
        Q::SetOrderReferenceDetails(r) => {
            A::SetOrderReferenceDetails(order_reference::set(ctx, r)?)
        }
        Q::SetOrderAttributes(r) => A::SetOrderAttributes(order_reference::set_attributes(ctx, r)?),
        Q::ConfirmOrderReference(r) => A::ConfirmOrderReference(order_reference::confirm(ctx, r)?),
        Q::CancelOrderReference(r) => A::CancelOrderReference(order_reference::cancel(ctx, r)?),
        Q::CloseOrderReference(r) => A::CloseOrderReference(order_reference::close(ctx, r)?),
        Q::Authorize(r) => A::Authorize(authorization::authorize(ctx, r)?),
        Q::GetAuthorizationDetails(r) => A::GetAuthorizationDetails(authorization::get(ctx, r)?),
        Q::CloseAuthorization(r) => A::CloseAuthorization(authorization::close(ctx, r)?),
        Q::Capture(r) => A::Capture(capture::capture(ctx, r)?),
        Q::GetCaptureDetails(r) => A::GetCaptureDetails(capture::get(ctx, r)?),
        Q::Refund(r) => A::Refund(refund::refund(ctx, r)?),
        Q::GetRefundDetails(r) => A::GetRefundDetails(refund::get(ctx, r)?),
        Q::GetServiceStatus(_) => A::GetServiceStatus(v1::GetServiceStatusResponse::new(
            v1::GetServiceStatusResult::builder()
                .status(v1::ServiceStatusValue::Green)
                .timestamp(ctx.now)
                .build()?,
            ctx.request_id.clone(),
        )),
        Q::GetMerchantAccountStatus(_) => {
            A::GetMerchantAccountStatus(v1::GetMerchantAccountStatusResponse::new(
                v1::GetMerchantAccountStatusResult::builder()
                    .account_status(v1::AccountStatus::Active)
                    .build()?,
                ctx.request_id.clone(),
            ))
        }
        Q::ListOrderReference(r) => A::ListOrderReference(order_reference_list::list(ctx, r)?),
        Q::ListOrderReferenceByNextToken(r) => {
            A::ListOrderReferenceByNextToken(order_reference_list::next(ctx, r)?)
        }
        Q::GetProviderCreditDetails(r) => {
            A::GetProviderCreditDetails(provider_credit::get(ctx, r)?)
        }
        Q::GetProviderCreditReversalDetails(r) => {
            A::GetProviderCreditReversalDetails(provider_credit::get_reversal(ctx, r)?)
        }
        Q::ReverseProviderCredit(r) => A::ReverseProviderCredit(provider_credit::reverse(ctx, r)?),
        Q::GetMerchantNotificationConfiguration(r) => {
            A::GetMerchantNotificationConfiguration(notification::get(ctx, r)?)
        }
        Q::SetMerchantNotificationConfiguration(r) => {
            A::SetMerchantNotificationConfiguration(notification::set(ctx, r)?)
        }
    })
}
