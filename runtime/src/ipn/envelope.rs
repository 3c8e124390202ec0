//! The SNS envelope posted to the merchant's endpoint.

use serde::{Deserialize, Serialize};

use super::IpnError;

/// An SNS HTTP POST body. `Message` is kept exactly as received: it is what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SnsEnvelope {
    #[serde(rename = "Type")]
    pub message_type: String,
    #[serde(rename = "MessageId")]
    pub message_id: String,
    #[serde(rename = "TopicArn")]
    pub topic_arn: String,
    #[serde(rename = "Subject", default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "Timestamp")]
    pub timestamp: String,
    #[serde(rename = "SignatureVersion")]
    pub signature_version: String,
    #[serde(rename = "Signature")]
    pub signature: String,
    #[serde(rename = "SigningCertURL")]
    pub signing_cert_url: String,
    #[serde(
        rename = "UnsubscribeURL",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unsubscribe_url: Option<String>,
}

impl SnsEnvelope {
    /// Reads a POST body (a UTF-8 byte-order mark is tolerated).
    pub fn parse(body: &[u8]) -> Result<SnsEnvelope, IpnError> {
        let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
        serde_json::from_slice(body).map_err(|e| IpnError::MalformedEnvelope(e.to_string()))
    }

    /// The SNS string to sign of a Notification: `key\nvalue\n` for Message, MessageId,
    /// Subject (when present), Timestamp, TopicArn and Type, in that (byte) order.
    pub fn string_to_sign(&self) -> String {
        let mut out = String::with_capacity(self.message.len() + 256);
        let mut field = |key: &str, value: &str| {
            out.push_str(key);
            out.push('\n');
            out.push_str(value);
            out.push('\n');
        };
        field("Message", &self.message);
        field("MessageId", &self.message_id);
        if let Some(subject) = &self.subject {
            field("Subject", subject);
        }
        field("Timestamp", &self.timestamp);
        field("TopicArn", &self.topic_arn);
        field("Type", &self.message_type);
        out
    }
}
