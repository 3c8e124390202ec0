//! Posting IPNs: when an IPN URL is configured, every state change a handler reports becomes a
//! signed SNS notification POSTed there. The handler only snapshots the object; a background
//! task signs (RSA, the expensive part) and posts, so neither a slow receiver nor the signing
//! holds the state lock. Without a URL nothing is produced.

use std::sync::{Arc, Mutex};

use amazon_pay_protocol::Timestamp;
use serde::Serialize;
use tokio::sync::mpsc;

use amazon_pay_protocol::ipn::Notification;

use super::notify::NotificationSigner;
use super::ops::{self, Notice};
use super::world::World;

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

struct Job {
    url: String,
    notification: Notification,
    object_id: String,
    seller_id: String,
    environment: String,
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

    /// Queues a notification per notice, with the objects' current state.
    pub fn send(&self, world: &World, notices: &[Notice], now: Timestamp) {
        let Some(url) = self.url() else { return };
        for notice in notices {
            if let Some((notification, object_id, seller_id, environment)) =
                notification(world, notice, now)
            {
                let _ = self.jobs.send(Job {
                    url: url.clone(),
                    notification,
                    object_id,
                    seller_id,
                    environment,
                    at: now,
                });
            }
        }
    }
}

async fn post_forever(mut queue: mpsc::UnboundedReceiver<Job>, log: Arc<Mutex<Vec<IpnRecord>>>) {
    let signer = NotificationSigner::new();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build();
    while let Some(job) = queue.recv().await {
        let message_id = format!("{:032x}", rand::random::<u128>());
        let Some(envelope) = signer.envelope(
            &job.notification,
            &job.seller_id,
            &job.environment,
            job.at,
            &message_id,
        ) else {
            continue;
        };
        let body = serde_json::to_string(&envelope).unwrap_or_default();
        let notification_type = serde_json::from_str::<serde_json::Value>(&envelope.message)
            .ok()
            .and_then(|m| m["NotificationType"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let delivery = match &client {
            Ok(client) => match client
                .post(&job.url)
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
            object_id: job.object_id,
            url: job.url,
            delivery,
            body,
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The notification of a notice: the object as Get*Details would show it now.
fn notification(
    world: &World,
    notice: &Notice,
    now: Timestamp,
) -> Option<(Notification, String, String, String)> {
    Some(match notice {
        Notice::BillingAgreement { id, event_type } => {
            let ba = world.billing_agreement(id)?;
            let details = ops::billing_agreement_view(world, ba, now, false).ok()?;
            (
                Notification::BillingAgreement {
                    event_type: Some((*event_type).to_owned()),
                    details,
                },
                id.clone(),
                ba.owner.seller_id.clone(),
                ba.owner.environment.clone(),
            )
        }
        Notice::OrderReference(id) => {
            let oro = world.order_reference(id)?;
            let details = ops::order_reference_view(oro, false).ok()?;
            (
                Notification::OrderReference(details),
                id.clone(),
                oro.owner.seller_id.clone(),
                oro.owner.environment.clone(),
            )
        }
        Notice::Authorization(id) => {
            let a = world.authorization(id)?;
            (
                Notification::PaymentAuthorize(a.details.clone()),
                id.clone(),
                a.owner.seller_id.clone(),
                a.owner.environment.clone(),
            )
        }
        Notice::Capture(id) => {
            let c = world.capture(id)?;
            (
                Notification::PaymentCapture(c.details.clone()),
                id.clone(),
                c.owner.seller_id.clone(),
                c.owner.environment.clone(),
            )
        }
        Notice::Refund(id) => {
            let r = world.refund(id)?;
            (
                Notification::PaymentRefund(r.details.clone()),
                id.clone(),
                r.owner.seller_id.clone(),
                r.owner.environment.clone(),
            )
        }
    })
}
