//! What the seller hears: the IPN of each notice, carrying the object as Get*Details would
//! show it when the request ends.

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::ipn::Notification;
use amazon_pay_protocol::v1::NotificationEventType as E;

use super::buyer_view::{billing_agreement_view, order_reference_view};
use super::ctx::Notice;
use super::handlers::notification;
use super::records::Owner;
use super::state::State;
use crate::sandbox::delivery::{Outgoing, Payload};

/// Addressed to the URL the seller configured for the event type, if any
/// (SetMerchantNotificationConfiguration); otherwise the simulator's own URL applies.
fn outgoing(
    state: &State,
    event: E,
    notification: Notification,
    id: &str,
    owner: &Owner,
) -> Outgoing {
    let url = notification::url_for(state, &State::notification_key(owner), &event);
    Outgoing {
        url: url.map(str::to_owned),
        notification: Payload::V1(Box::new(notification)),
        object_id: id.to_owned(),
        seller_id: owner.seller_id.clone(),
        environment: owner.environment.clone(),
    }
}

/// The notification of a notice; `None` when its object is gone or cannot be shown.
pub fn notification(state: &State, notice: &Notice, now: Timestamp) -> Option<Outgoing> {
    Some(match notice {
        Notice::BillingAgreement { id, event_type } => {
            let ba = state.billing_agreement(id)?;
            let details = billing_agreement_view(state, ba, now, false).ok()?;
            let notification = Notification::BillingAgreement {
                event_type: Some((*event_type).to_owned()),
                details,
            };
            outgoing(state, E::BillingAgreement, notification, id, &ba.owner)
        }
        Notice::OrderReference(id) => {
            let oro = state.order_reference(id)?;
            let details = order_reference_view(oro, false).ok()?;
            outgoing(
                state,
                E::OrderReference,
                Notification::OrderReference(details),
                id,
                &oro.owner,
            )
        }
        Notice::Authorization(id) => {
            let a = state.authorization(id)?;
            let notification = Notification::PaymentAuthorize(a.details.clone());
            outgoing(state, E::PaymentAuthorize, notification, id, &a.owner)
        }
        Notice::Capture(id) => {
            let c = state.capture(id)?;
            outgoing(
                state,
                E::PaymentCapture,
                Notification::PaymentCapture(c.details.clone()),
                id,
                &c.owner,
            )
        }
        Notice::Refund(id) => {
            let r = state.refund(id)?;
            outgoing(
                state,
                E::PaymentRefund,
                Notification::PaymentRefund(r.details.clone()),
                id,
                &r.owner,
            )
        }
    })
}
