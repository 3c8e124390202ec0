//! The typed v1 notification inside a verified SNS message (it needs the generated types, so
//! it lives here rather than in the runtime's `ipn`).

use amazon_pay_runtime::ipn::{IpnError, SnsEnvelope};
use amazon_pay_runtime::v1::ipn_message::NotificationMessage;

use crate::v1;
use crate::xml::{WriteXml, XmlError, XmlReader, XmlWriter};

/// A typed notification, by `NotificationType`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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

/// The `NotificationData` documents: a root element holding one payload element, read by the
/// payload's generated pull reader and written by its generated writer.
macro_rules! documents {
    ($($doc:ident { $field:literal : $ty:ty }),* $(,)?) => {$(
        struct $doc;

        impl $doc {
            fn read(xml: &str) -> Result<$ty, XmlError> {
                read_payload(stringify!($doc), $field, xml, <$ty>::read_xml)
            }

            fn write(payload: &$ty) -> String {
                XmlWriter::document(stringify!($doc), v1::IPN_NAMESPACE, |w| {
                    payload.write_xml(w, $field)
                })
            }
        }
    )*};
}

/// The one `field` child of the root element `root` (unknown siblings skipped).
fn read_payload<T>(
    root: &'static str,
    field: &'static str,
    xml: &str,
    read: fn(&mut XmlReader<'_>, bool) -> Result<T, XmlError>,
) -> Result<T, XmlError> {
    XmlReader::document(root, xml.as_bytes(), |r, mut open| {
        let mut payload = None;
        while let Some((name, child)) = r.next_child(&mut open)? {
            if name == field.as_bytes() {
                r.once(&payload, field)?;
                payload = Some(read(r, child)?);
            } else {
                r.skip(child)?;
            }
        }
        r.required(payload, field)
    })
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
    /// Reads the notification of an SNS envelope. Call `amazon_pay_protocol::ipn::verify` (`amazon-pay-rsa`) first: this only parses.
    pub fn parse(envelope: &SnsEnvelope) -> Result<(NotificationMessage, Notification), IpnError> {
        let message: NotificationMessage = serde_json::from_str(&envelope.message)
            .map_err(|e| IpnError::MalformedMessage(e.to_string()))?;
        let notification = Notification::from_message(&message)?;
        Ok((message, notification))
    }

    fn from_message(m: &NotificationMessage) -> Result<Notification, IpnError> {
        let xml = m.notification_data.as_str();
        let bad = |e: XmlError| IpnError::MalformedData {
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
            "OrderReferenceNotification" => {
                Notification::OrderReference(OrderReferenceNotification::read(xml).map_err(bad)?)
            }
            "PaymentAuthorize" => {
                Notification::PaymentAuthorize(AuthorizationNotification::read(xml).map_err(bad)?)
            }
            "PaymentCapture" => {
                Notification::PaymentCapture(CaptureNotification::read(xml).map_err(bad)?)
            }
            "PaymentRefund" => {
                Notification::PaymentRefund(RefundNotification::read(xml).map_err(bad)?)
            }
            "BillingAgreementNotification" => Notification::BillingAgreement {
                event_type: m.event_type.clone(),
                details: BillingAgreementNotification::read(xml).map_err(bad)?,
            },
            "ProviderCredit" => {
                Notification::ProviderCredit(ProviderCreditNotification::read(xml).map_err(bad)?)
            }
            "ProviderCreditReversal" => Notification::ProviderCreditReversal(
                ProviderCreditReversalNotification::read(xml).map_err(bad)?,
            ),
            "SolutionProviderEvent" => Notification::SolutionProviderEvent(
                SolutionProviderMerchantNotification::read(xml).map_err(bad)?,
            ),
            "ChargebackDetailedNotification" => {
                Notification::Chargeback(ChargebackNotification::read(xml).map_err(bad)?)
            }
            _ => Notification::Unknown {
                notification_type: m.notification_type.clone(),
                raw_xml: xml.to_owned(),
            },
        })
    }

    /// The `NotificationType` and the `NotificationData` document the service sends for this
    /// notification (the sandbox simulator writes its IPNs with this, so reading and writing
    /// share one table). `None` for `Unknown`, whose type this version cannot write.
    pub fn to_data(&self) -> Option<(&'static str, String)> {
        Some(match self {
            Notification::OrderReference(d) => (
                "OrderReferenceNotification",
                OrderReferenceNotification::write(d),
            ),
            Notification::PaymentAuthorize(d) => {
                ("PaymentAuthorize", AuthorizationNotification::write(d))
            }
            Notification::PaymentCapture(d) => ("PaymentCapture", CaptureNotification::write(d)),
            Notification::PaymentRefund(d) => ("PaymentRefund", RefundNotification::write(d)),
            Notification::BillingAgreement { details, .. } => (
                "BillingAgreementNotification",
                BillingAgreementNotification::write(details),
            ),
            Notification::ProviderCredit(d) => {
                ("ProviderCredit", ProviderCreditNotification::write(d))
            }
            Notification::ProviderCreditReversal(d) => (
                "ProviderCreditReversal",
                ProviderCreditReversalNotification::write(d),
            ),
            Notification::SolutionProviderEvent(d) => (
                "SolutionProviderEvent",
                SolutionProviderMerchantNotification::write(d),
            ),
            Notification::Chargeback(d) => (
                "ChargebackDetailedNotification",
                ChargebackNotification::write(d),
            ),
            Notification::Unknown { .. } => return None,
        })
    }
}
