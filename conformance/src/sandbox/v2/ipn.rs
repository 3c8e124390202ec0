//! The v2 IPNs: one `STATE_CHANGE` notification per state change of a charge permission,
//! charge or refund (§7), in an SNS envelope whose `Message` is the v2 JSON, written with the
//! protocol crate's `v2::notification::Notification` so receivers read exactly what is sent.

use amazon_pay_protocol::v2_runtime::notification::Notification;

use super::ctx::Notice;
use crate::sandbox::delivery::{Outgoing, Payload};

/// The notification of a notice (`notification_id` makes each one distinct).
pub fn outgoing(notice: &Notice, notification_id: String) -> Option<Outgoing> {
    let message = Notification {
        merchant_id: notice.owner.merchant_id.clone(),
        object_type: notice.object_type.clone(),
        object_id: notice.object_id.clone(),
        charge_permission_id: notice.charge_permission_id.clone(),
        notification_type: "STATE_CHANGE".to_owned(),
        notification_id,
        notification_version: "V2".to_owned(),
    };
    Some(Outgoing {
        // v2 notification URLs are set in Seller Central, not by API: the simulator's applies.
        url: None,
        notification: Payload::V2(serde_json::to_string(&message).ok()?),
        object_id: notice.object_id.clone(),
        seller_id: notice.owner.merchant_id.clone(),
        environment: if notice.owner.sandbox {
            "Sandbox"
        } else {
            "Live"
        }
        .to_owned(),
    })
}
