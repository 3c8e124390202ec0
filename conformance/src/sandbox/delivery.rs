//! Posting IPNs: every state change a handler reports becomes a signed SNS notification POSTed
//! to the seller's own URL for its event type (v1: SetMerchantNotificationConfiguration) or,
//! when the seller configured none, to the simulator's IPN URL. The front only snapshots the
//! object (an [`Outgoing`]); a background task signs (RSA, the expensive part) and posts, so
//! neither a slow receiver nor the signing holds the state lock. A notification with neither
//! URL is dropped.

use std::sync::{Arc, Mutex};

use amazon_pay_protocol::Timestamp;
use serde::Serialize;
use tokio::sync::mpsc;

use amazon_pay_protocol::ipn::Notification;

use super::notify::NotificationSigner;

/// One notification as the simulator sent it.
#[derive(Debug, Clone, Serialize)]
pub struct IpnRecord {
    pub message_id: String,
    pub notification_type: String,
    pub object_id: String,
    pub url: String,
    /// `delivered (HTTP 200)` or `failed: …`.
    pub delivery: String,
    /// The POST body (the SNS envelope as JSON).
    pub body: String,
}

/// What a notification says, by API generation.
pub enum Payload {
    /// A v1 notification (its XML `NotificationData` is written when signing).
    V1(Box<Notification>),
    /// A v2 notification: the `Message` JSON.
    V2(String),
}

/// A notification to send: the object as it is when the request ends, and whose it is.
pub struct Outgoing {
    /// The seller's own URL for this notification, which takes precedence over the
    /// simulator's.
    pub url: Option<String>,
    pub notification: Payload,
    pub object_id: String,
    pub seller_id: String,
    /// `Sandbox` or `Live`.
    pub environment: String,
}

struct Job {
    url: String,
    outgoing: Outgoing,
    at: Timestamp,
}

/// The IPN sender of one simulator.
pub struct IpnDelivery {
    url: Mutex<Option<String>>,
    log: Arc<Mutex<Vec<IpnRecord>>>,
    jobs: mpsc::UnboundedSender<Job>,
}

impl IpnDelivery {
    /// Starts the signing and posting task on the current tokio runtime.
    pub fn start(url: Option<String>) -> IpnDelivery {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (jobs, queue) = mpsc::unbounded_channel::<Job>();
        tokio::spawn(post_forever(queue, log.clone()));
        IpnDelivery {
            url: Mutex::new(url),
            log,
            jobs,
        }
    }

    pub fn set_url(&self, url: Option<String>) {
        *lock(&self.url) = url;
    }

    pub fn url(&self) -> Option<String> {
        lock(&self.url).clone()
    }

    pub fn log(&self) -> Vec<IpnRecord> {
        lock(&self.log).clone()
    }

    /// Queues the notifications, sent at `now`, each to its seller's URL or the simulator's.
    pub fn send(&self, outgoing: Vec<Outgoing>, now: Timestamp) {
        let fallback = self.url();
        for outgoing in outgoing {
            let Some(url) = outgoing.url.clone().or_else(|| fallback.clone()) else {
                continue;
            };
            let _ = self.jobs.send(Job {
                url,
                outgoing,
                at: now,
            });
        }
    }
}

async fn post_forever(mut queue: mpsc::UnboundedReceiver<Job>, log: Arc<Mutex<Vec<IpnRecord>>>) {
    let signer = NotificationSigner::new();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build();
    while let Some(Job { url, outgoing, at }) = queue.recv().await {
        let message_id = format!("{:032x}", rand::random::<u128>());
        let envelope = match &outgoing.notification {
            Payload::V1(notification) => signer.envelope(
                notification,
                &outgoing.seller_id,
                &outgoing.environment,
                at,
                &message_id,
            ),
            Payload::V2(message) => {
                signer.envelope_v2(message.clone(), &outgoing.seller_id, at, &message_id)
            }
        };
        let Some(envelope) = envelope else {
            continue;
        };
        let body = serde_json::to_string(&envelope).unwrap_or_default();
        let notification_type = serde_json::from_str::<serde_json::Value>(&envelope.message)
            .ok()
            .and_then(|m| m["NotificationType"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let delivery = match &client {
            Ok(client) => match client
                .post(&url)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", "Notification")
                .body(body.clone())
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => {
                    format!("delivered (HTTP {})", r.status().as_u16())
                }
                Ok(r) => format!("failed: HTTP {}", r.status().as_u16()),
                Err(e) => format!("failed: {e}"),
            },
            Err(e) => format!("failed: no HTTP client ({e})"),
        };
        lock(&log).push(IpnRecord {
            message_id,
            notification_type,
            object_id: outgoing.object_id,
            url,
            delivery,
            body,
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
