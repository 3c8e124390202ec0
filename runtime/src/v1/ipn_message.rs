//! The v1 notification message: the JSON in a verified SNS envelope's `Message`, whose
//! `NotificationData` is an XML document of the type its `NotificationType` names.

use serde::{Deserialize, Serialize};

/// The JSON in the SNS `Message`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NotificationMessage {
    #[serde(rename = "NotificationReferenceId")]
    pub notification_reference_id: String,
    #[serde(rename = "MarketplaceID", default)]
    pub marketplace_id: String,
    #[serde(rename = "NotificationType")]
    pub notification_type: String,
    #[serde(rename = "SellerId", default)]
    pub seller_id: String,
    #[serde(rename = "ReleaseEnvironment", default)]
    pub release_environment: String,
    #[serde(rename = "Version", default)]
    pub version: String,
    #[serde(rename = "NotificationData")]
    pub notification_data: String,
    #[serde(rename = "Timestamp", default)]
    pub timestamp: String,
    #[serde(rename = "IsSample", default, skip_serializing_if = "Option::is_none")]
    pub is_sample: Option<bool>,
    #[serde(rename = "EventType", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
}
