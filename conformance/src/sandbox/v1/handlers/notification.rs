//! GetMerchantNotificationConfiguration and SetMerchantNotificationConfiguration (reference
//! §3.E): where a seller's IPNs go, per event type. `ipn.rs` reads the configuration when it
//! addresses a notification.

use amazon_pay_protocol::v1::{self, ErrorCode, NotificationEventType as E};

use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::NotificationConfigurationRecord;
use crate::sandbox::v1::state::State;

/// Whether the simulator will post to a URL: https anywhere, plain http only to this machine
/// (a developer's receiver; GUESSES.md).
fn postable(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .trim_start_matches('[');
    let loopback = ["127.0.0.1", "localhost", "::1]"]
        .iter()
        .any(|h| host == *h || host.starts_with(&format!("{h}:")));
    !host.is_empty()
        && !url.chars().any(char::is_whitespace)
        && (scheme.eq_ignore_ascii_case("https")
            || (scheme.eq_ignore_ascii_case("http") && loopback))
}

fn check(list: &v1::NotificationConfigurationList) -> SimResult<()> {
    for c in &list.items {
        if !postable(&c.notification_url) {
            return Err(SimError::new(
                ErrorCode::InvalidParameterValue,
                format!(
                    "NotificationUrl {} is not an https URL (plain http is accepted only for \
                     this machine).",
                    c.notification_url
                ),
            ));
        }
        let types = c.event_types.iter().flat_map(|t| t.items.iter());
        if let Some(E::Unknown(other)) = types.into_iter().find(|t| matches!(t, E::Unknown(_))) {
            return Err(SimError::new(
                ErrorCode::InvalidParameterValue,
                format!("{other} is not an IPN event type."),
            ));
        }
    }
    Ok(())
}

pub fn get(
    ctx: &mut Ctx<'_>,
    _: v1::GetMerchantNotificationConfigurationRequest,
) -> SimResult<v1::GetMerchantNotificationConfigurationResponse> {
    let key = State::notification_key(&ctx.owner);
    let list = ctx
        .state
        .notification_configuration(&key)
        .map(|c| c.list.clone())
        .unwrap_or_default();
    let result = v1::GetMerchantNotificationConfigurationResult::builder()
        .notification_configuration_list(list)
        .build()?;
    Ok(v1::GetMerchantNotificationConfigurationResponse::new(
        result,
        ctx.request_id.clone(),
    ))
}

/// Replaces the seller's configuration; an empty list sends the seller's IPNs to the
/// simulator's own URL again.
pub fn set(
    ctx: &mut Ctx<'_>,
    r: v1::SetMerchantNotificationConfigurationRequest,
) -> SimResult<v1::SetMerchantNotificationConfigurationResponse> {
    let list = r.notification_configuration_list.unwrap_or_default();
    check(&list)?;
    let key = State::notification_key(&ctx.owner);
    ctx.state.insert_notification_configuration(
        key,
        NotificationConfigurationRecord {
            owner: ctx.owner.clone(),
            list,
        },
    );
    Ok(v1::SetMerchantNotificationConfigurationResponse::new(
        v1::SetMerchantNotificationConfigurationResult::builder().build()?,
        ctx.request_id.clone(),
    ))
}

/// The seller's URL for an event type: the first configuration listing the type or `ALL` (a
/// configuration without event types receives all). `None`: the seller configured none for
/// it, and the simulator's own URL applies.
pub fn url_for<'a>(state: &'a State, key: &str, event: &E) -> Option<&'a str> {
    let config = state.notification_configuration(key)?;
    config
        .list
        .items
        .iter()
        .find(|c| {
            c.event_types
                .as_ref()
                .is_none_or(|t| t.items.iter().any(|e| e == event || *e == E::All))
        })
        .map(|c| c.notification_url.as_str())
}
