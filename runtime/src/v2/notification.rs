//! The v2 notification (§7): the JSON an SNS envelope's `Message` carries. It is a hint: the
//! receiver reads the object it names to learn its state. Verify the envelope first
//! (`amazon-pay-rsa`'s `ipn::verify`), then read its message with [`Notification::from_message`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ipn::IpnError;

/// The kind of object a notification is about; values this crate does not know are kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ObjectType {
    ChargePermission,
    Charge,
    Refund,
    Chargeback,
    Unknown(String),
}

impl ObjectType {
    pub fn as_str(&self) -> &str {
        match self {
            ObjectType::ChargePermission => "CHARGE_PERMISSION",
            ObjectType::Charge => "CHARGE",
            ObjectType::Refund => "REFUND",
            ObjectType::Chargeback => "CHARGEBACK",
            ObjectType::Unknown(other) => other,
        }
    }

    pub fn parse(text: &str) -> ObjectType {
        match text {
            "CHARGE_PERMISSION" => ObjectType::ChargePermission,
            "CHARGE" => ObjectType::Charge,
            "REFUND" => ObjectType::Refund,
            "CHARGEBACK" => ObjectType::Chargeback,
            other => ObjectType::Unknown(other.to_owned()),
        }
    }
}

impl Serialize for ObjectType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ObjectType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| ObjectType::parse(&text))
    }
}

/// The message of a v2 notification, with the docs' key spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    #[serde(rename = "MerchantID")]
    pub merchant_id: String,
    #[serde(rename = "ObjectType")]
    pub object_type: ObjectType,
    #[serde(rename = "ObjectId")]
    pub object_id: String,
    #[serde(rename = "ChargePermissionId")]
    pub charge_permission_id: String,
    /// `STATE_CHANGE` or `ATTRIBUTE_CHANGE`.
    #[serde(rename = "NotificationType")]
    pub notification_type: String,
    /// A random id, for tracking only.
    #[serde(rename = "NotificationId")]
    pub notification_id: String,
    /// The message format version, `V2` (not the API version).
    #[serde(rename = "NotificationVersion")]
    pub notification_version: String,
}

impl Notification {
    /// Reads the `Message` of a verified envelope.
    pub fn from_message(message: &str) -> Result<Notification, IpnError> {
        serde_json::from_str(message).map_err(|e| IpnError::MalformedMessage(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_back_and_unknown_object_types_are_kept() {
        let text = r#"{"MerchantID":"M1","ObjectType":"CHARGE","ObjectId":"S01-1-2-C3","ChargePermissionId":"S01-1-2","NotificationType":"STATE_CHANGE","NotificationId":"n1","NotificationVersion":"V2"}"#;
        let n = Notification::from_message(text).unwrap();
        assert_eq!(n.object_type, ObjectType::Charge);
        assert_eq!(serde_json::to_string(&n).unwrap(), text);
        let other = text.replace("\"CHARGE\"", "\"DISPUTE\"");
        assert_eq!(
            Notification::from_message(&other).unwrap().object_type,
            ObjectType::Unknown("DISPUTE".into())
        );
        assert!(matches!(
            Notification::from_message("{}"),
            Err(IpnError::MalformedMessage(_))
        ));
    }
}
