//! The typed v1 notification inside a verified SNS message (it needs the generated types, so
//! it lives here rather than in the runtime's `ipn`).

use serde::{Deserialize, Serialize};

use crate::ipn::{IpnError, NotificationMessage, SnsEnvelope};
use crate::v1;

/// A typed notification, by `NotificationType`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Notification {
    OrderReference(v1::OrderReferenceDetails),
    PaymentAuthorize(v1::AuthorizationDetails),
    PaymentCapture(v1::CaptureDetails),
    PaymentRefund(v1::RefundDetails),
    /// `EventType` is `BillingAgreementStatusUpdated` or `PaymentMethodUpdated`.
    BillingAgreement {
        event_type: Option<String>,
        details: v1::BillingAgreementDetails,
    },
    ProviderCredit(v1::ProviderCreditDetails),
    ProviderCreditReversal(v1::ProviderCreditReversalDetails),
    SolutionProviderEvent(v1::MerchantRegistrationDetails),
    Chargeback(v1::ChargebackDetails),
    /// A type this version does not know, kept as received.
    Unknown {
        notification_type: String,
        raw_xml: String,
    },
}

/// The `NotificationData` documents: a root element holding one payload element.
macro_rules! documents {
    ($($doc:ident { $field:literal : $ty:ty }),* $(,)?) => {$(
        #[derive(Deserialize, Serialize)]
        struct $doc {
            #[serde(rename = $field)]
            payload: $ty,
        }
    )*};
}

documents! {
    OrderReferenceNotification { "OrderReference": v1::OrderReferenceDetails },
    AuthorizationNotification { "AuthorizationDetails": v1::AuthorizationDetails },
    CaptureNotification { "CaptureDetails": v1::CaptureDetails },
    RefundNotification { "RefundDetails": v1::RefundDetails },
    BillingAgreementNotification { "BillingAgreement": v1::BillingAgreementDetails },
    ProviderCreditNotification { "ProviderCreditDetails": v1::ProviderCreditDetails },
    ProviderCreditReversalNotification { "ProviderCreditReversalDetails": v1::ProviderCreditReversalDetails },
    SolutionProviderMerchantNotification { "MerchantRegistrationDetails": v1::MerchantRegistrationDetails },
    ChargebackNotification { "ChargebackDetails": v1::ChargebackDetails },
}

impl Notification {
    /// Reads the notification of an SNS envelope. Call [`crate::ipn::verify`] first: this only parses.
    pub fn parse(envelope: &SnsEnvelope) -> Result<(NotificationMessage, Notification), IpnError> {
        let message: NotificationMessage = serde_json::from_str(&envelope.message)
            .map_err(|e| IpnError::MalformedMessage(e.to_string()))?;
        let notification = Notification::from_message(&message)?;
        Ok((message, notification))
    }

    fn from_message(m: &NotificationMessage) -> Result<Notification, IpnError> {
        let xml = m.notification_data.as_str();
        let bad = |e: crate::xml::XmlError| IpnError::MalformedData {
            notification_type: m.notification_type.clone(),
            reason: e.to_string(),
        };
        // The fixtures spell one type "Chargeback Detailed Notification"; compare without spaces.
        let kind: String = m
            .notification_type
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        Ok(match kind.as_str() {
            "OrderReferenceNotification" => Notification::OrderReference(
                crate::xml::from_str::<OrderReferenceNotification>(
                    "OrderReferenceNotification",
                    xml,
                )
                .map_err(bad)?
                .payload,
            ),
            "PaymentAuthorize" => Notification::PaymentAuthorize(
                crate::xml::from_str::<AuthorizationNotification>("AuthorizationNotification", xml)
                    .map_err(bad)?
                    .payload,
            ),
            "PaymentCapture" => Notification::PaymentCapture(
                crate::xml::from_str::<CaptureNotification>("CaptureNotification", xml)
                    .map_err(bad)?
                    .payload,
            ),
            "PaymentRefund" => Notification::PaymentRefund(
                crate::xml::from_str::<RefundNotification>("RefundNotification", xml)
                    .map_err(bad)?
                    .payload,
            ),
            "BillingAgreementNotification" => Notification::BillingAgreement {
                event_type: m.event_type.clone(),
                details: crate::xml::from_str::<BillingAgreementNotification>(
                    "BillingAgreementNotification",
                    xml,
                )
                .map_err(bad)?
                .payload,
            },
            "ProviderCredit" => Notification::ProviderCredit(
                crate::xml::from_str::<ProviderCreditNotification>(
                    "ProviderCreditNotification",
                    xml,
                )
                .map_err(bad)?
                .payload,
            ),
            "ProviderCreditReversal" => Notification::ProviderCreditReversal(
                crate::xml::from_str::<ProviderCreditReversalNotification>(
                    "ProviderCreditReversalNotification",
                    xml,
                )
                .map_err(bad)?
                .payload,
            ),
            "SolutionProviderEvent" => Notification::SolutionProviderEvent(
                crate::xml::from_str::<SolutionProviderMerchantNotification>(
                    "SolutionProviderMerchantNotification",
                    xml,
                )
                .map_err(bad)?
                .payload,
            ),
            "ChargebackDetailedNotification" => Notification::Chargeback(
                crate::xml::from_str::<ChargebackNotification>("ChargebackNotification", xml)
                    .map_err(bad)?
                    .payload,
            ),
            _ => Notification::Unknown {
                notification_type: m.notification_type.clone(),
                raw_xml: xml.to_owned(),
            },
        })
    }

    /// The `NotificationType` and the `NotificationData` document the service sends for this
    /// notification (the sandbox simulator writes its IPNs with this, so reading and writing
    /// share one table). `None` for `Unknown`, whose type this version cannot write.
    pub fn to_data(&self) -> Option<Result<(&'static str, String), crate::xml::XmlError>> {
        use crate::v1::IPN_NAMESPACE as NS;
        use crate::xml::to_string;
        let written = match self {
            Notification::OrderReference(d) => (
                "OrderReferenceNotification",
                to_string(
                    "OrderReferenceNotification",
                    NS,
                    &OrderReferenceNotification { payload: d.clone() },
                ),
            ),
            Notification::PaymentAuthorize(d) => (
                "PaymentAuthorize",
                to_string(
                    "AuthorizationNotification",
                    NS,
                    &AuthorizationNotification { payload: d.clone() },
                ),
            ),
            Notification::PaymentCapture(d) => (
                "PaymentCapture",
                to_string(
                    "CaptureNotification",
                    NS,
                    &CaptureNotification { payload: d.clone() },
                ),
            ),
            Notification::PaymentRefund(d) => (
                "PaymentRefund",
                to_string(
                    "RefundNotification",
                    NS,
                    &RefundNotification { payload: d.clone() },
                ),
            ),
            Notification::BillingAgreement { details, .. } => (
                "BillingAgreementNotification",
                to_string(
                    "BillingAgreementNotification",
                    NS,
                    &BillingAgreementNotification {
                        payload: details.clone(),
                    },
                ),
            ),
            Notification::ProviderCredit(d) => (
                "ProviderCredit",
                to_string(
                    "ProviderCreditNotification",
                    NS,
                    &ProviderCreditNotification { payload: d.clone() },
                ),
            ),
            Notification::ProviderCreditReversal(d) => (
                "ProviderCreditReversal",
                to_string(
                    "ProviderCreditReversalNotification",
                    NS,
                    &ProviderCreditReversalNotification { payload: d.clone() },
                ),
            ),
            Notification::SolutionProviderEvent(d) => (
                "SolutionProviderEvent",
                to_string(
                    "SolutionProviderMerchantNotification",
                    NS,
                    &SolutionProviderMerchantNotification { payload: d.clone() },
                ),
            ),
            Notification::Chargeback(d) => (
                "ChargebackDetailedNotification",
                to_string(
                    "ChargebackNotification",
                    NS,
                    &ChargebackNotification { payload: d.clone() },
                ),
            ),
            Notification::Unknown { .. } => return None,
        };
        Some(written.1.map(|xml| (written.0, xml)))
    }
}
