//! The generated writers write what the serde writer (the reference) writes, byte for byte,
//! and what they write reads back as the same value: every response and error document of
//! the public fixtures and of every recorded answer of the simulator, every public
//! notification, and proptest variations of their values (texts with characters to escape,
//! other timestamps and amounts, unknown enum values, absent members, empty structures and
//! lists, repeated and removed list items).
//!
//! Values are varied through their serde JSON form: each edit is kept only when the result
//! is still a value of the type, so every case is a value the types can hold.

mod v1_documents;

use std::collections::BTreeMap;
use std::path::Path;

use amazon_pay_protocol::Operation;
use amazon_pay_protocol::error::ErrorDocument;
use amazon_pay_protocol::ipn::{Notification, SnsEnvelope};
use amazon_pay_protocol::v1::*;
use amazon_pay_protocol::xml::{self, XmlReader};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use v1_documents::{documents, every_operation};

/// The generated writer's document against the reference's, and the document read back.
fn check<T: PartialEq + std::fmt::Debug>(
    what: &str,
    value: &T,
    written: &str,
    reference: Result<String, xml::XmlError>,
    read: impl FnOnce(&[u8]) -> Result<T, xml::XmlError>,
) -> Result<(), String> {
    let reference = reference.map_err(|e| format!("{what}: the reference fails: {e}"))?;
    if written != reference {
        return Err(format!(
            "{what}: generated writer\n{written}\nserde writer\n{reference}"
        ));
    }
    match read(written.as_bytes()) {
        Ok(again) if again == *value => Ok(()),
        again => Err(format!(
            "{what}: read back as {again:?}\nnot {value:?}\nfrom\n{written}"
        )),
    }
}

/// `response`, an answer of `O`, written both ways and read back.
fn check_response<O: Operation>(
    response: &O::Response,
    to_xml: fn(&O::Response) -> String,
) -> Result<(), String>
where
    O::Response: Serialize + PartialEq,
{
    let root = format!("{}Response", O::ACTION);
    check(
        O::ACTION,
        response,
        &to_xml(response),
        xml::to_string(&root, XML_NAMESPACE, response),
        O::read_response,
    )
}

fn check_error(document: &ErrorDocument) -> Result<(), String> {
    check(
        "ErrorResponse",
        document,
        &document.to_xml(XML_NAMESPACE),
        xml::to_string("ErrorResponse", XML_NAMESPACE, document),
        ErrorDocument::from_xml,
    )
}

/// The operation whose answer `body` is (by its root element), or `None` for an error
/// document.
fn action(body: &[u8]) -> Option<String> {
    let root = xml::root_name(body)?;
    root.strip_suffix("Response")
        .filter(|_| root != "ErrorResponse")
        .map(str::to_owned)
}

/// Checks the document `body` (read as its operation's answer, or as an error document) with
/// its value varied by `edits`; `Ok(false)` when it is neither.
fn check_document(body: &[u8], edits: &[(prop::sample::Index, Edit)]) -> Result<bool, String> {
    let Some(action) = action(body) else {
        return match ErrorDocument::from_xml(body) {
            Ok(document) => check_error(&vary(&document, edits)).map(|()| true),
            Err(_) => Ok(false),
        };
    };
    let mut checked = false;
    macro_rules! each {
        ($($op:ident)*) => {$(
            if <$op as Operation>::ACTION == action {
                if let Ok(response) = <$op as Operation>::read_response(body) {
                    let response = vary(&response, edits);
                    check_response::<$op>(&response, <<$op as Operation>::Response>::to_xml)?;
                    checked = true;
                }
            }
        )*};
    }
    every_operation!(each);
    Ok(checked)
}

#[test]
fn every_fixture_and_recording_writes_the_same() {
    let mut checked = 0;
    for body in documents() {
        checked += usize::from(check_document(body, &[]).unwrap());
    }
    // Every document is an answer of its operation or an error document.
    assert_eq!(checked, documents().len());
}

/// Every public notification fixture that the types can hold (not `Unknown`), with its SNS
/// envelope.
fn notifications() -> &'static [(SnsEnvelope, Notification)] {
    static ALL: std::sync::OnceLock<Vec<(SnsEnvelope, Notification)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/v1");
        let mut all = Vec::new();
        for sdk in std::fs::read_dir(fixtures).unwrap().flatten() {
            for file in std::fs::read_dir(sdk.path()).unwrap().flatten() {
                if file.path().extension().is_none_or(|x| x != "json") {
                    continue;
                }
                let Ok(envelope) = SnsEnvelope::parse(&std::fs::read(file.path()).unwrap()) else {
                    continue;
                };
                if let Ok((_, n)) = Notification::parse(&envelope) {
                    if !matches!(n, Notification::Unknown { .. }) {
                        all.push((envelope, n));
                    }
                }
            }
        }
        assert!(all.len() >= 18, "{}", all.len());
        all
    })
}

/// The notification `wrap(payload)` written both ways and read back from `envelope` with the
/// document written in its message.
fn check_notification<T: Serialize + Clone>(
    envelope: &SnsEnvelope,
    payload: &T,
    wrap: impl FnOnce(T) -> Notification,
) -> Result<(), String> {
    let notification = wrap(payload.clone());
    let (notification_type, written) = notification
        .to_data()
        .ok_or("a known notification is written")?;
    // The reference writes the payload as the one child of the root element, under the names
    // the generated writer used; reading the document back checks those names.
    let root = xml::root_name(written.as_bytes()).ok_or("no root element")?;
    let element = first_child(&written)?;
    let reference = xml::to_string(&root, IPN_NAMESPACE, &BTreeMap::from([(element, payload)]));
    check(
        notification_type,
        &notification,
        &written,
        reference,
        |data| read_notification(envelope, data),
    )
}

fn first_child(document: &str) -> Result<String, String> {
    XmlReader::document("NotificationData", document.as_bytes(), |r, mut open| {
        let mut first = None;
        while let Some((name, child)) = r.next_child(&mut open)? {
            first.get_or_insert_with(|| String::from_utf8_lossy(name).into_owned());
            r.skip(child)?;
        }
        Ok(first)
    })
    .map_err(|e| e.to_string())?
    .ok_or_else(|| "no payload element".to_owned())
}

/// Reads `envelope` with `data` as the `NotificationData` of its message.
fn read_notification(envelope: &SnsEnvelope, data: &[u8]) -> Result<Notification, xml::XmlError> {
    let mut message: Value = serde_json::from_str(&envelope.message).unwrap();
    message["NotificationData"] = Value::String(String::from_utf8_lossy(data).into_owned());
    let envelope = SnsEnvelope {
        message: message.to_string(),
        ..envelope.clone()
    };
    Notification::parse(&envelope)
        .map(|(_, n)| n)
        .map_err(|e| xml::XmlError::Malformed {
            root: "NotificationData",
            reason: e.to_string(),
        })
}

/// Checks the notification of `envelope` with its payload varied by `edits`.
fn check_varied_notification(
    (envelope, notification): &(SnsEnvelope, Notification),
    edits: &[(prop::sample::Index, Edit)],
) -> Result<(), String> {
    let e = envelope;
    match notification {
        Notification::OrderReference(d) => {
            check_notification(e, &vary(d, edits), Notification::OrderReference)
        }
        Notification::PaymentAuthorize(d) => {
            check_notification(e, &vary(d, edits), Notification::PaymentAuthorize)
        }
        Notification::PaymentCapture(d) => {
            check_notification(e, &vary(d, edits), Notification::PaymentCapture)
        }
        Notification::PaymentRefund(d) => {
            check_notification(e, &vary(d, edits), Notification::PaymentRefund)
        }
        Notification::BillingAgreement {
            event_type,
            details,
        } => check_notification(e, &vary(details, edits), |details| {
            Notification::BillingAgreement {
                event_type: event_type.clone(),
                details,
            }
        }),
        Notification::ProviderCredit(d) => {
            check_notification(e, &vary(d, edits), Notification::ProviderCredit)
        }
        Notification::ProviderCreditReversal(d) => {
            check_notification(e, &vary(d, edits), Notification::ProviderCreditReversal)
        }
        Notification::SolutionProviderEvent(d) => {
            check_notification(e, &vary(d, edits), Notification::SolutionProviderEvent)
        }
        Notification::Chargeback(d) => {
            check_notification(e, &vary(d, edits), Notification::Chargeback)
        }
        Notification::Unknown { .. } => Err("an unknown notification has no document".to_owned()),
    }
}

#[test]
fn every_notification_fixture_writes_the_same() {
    for notification in notifications() {
        check_varied_notification(notification, &[]).unwrap();
    }
}

/// A change to one node of a value's JSON form.
#[derive(Debug, Clone)]
enum Edit {
    /// Another text (a string, an enum value, a timestamp, an amount, a currency).
    Text(String),
    Number(i64),
    Flip,
    /// The member absent, or the list item gone.
    Remove,
    /// A list item twice.
    Repeat,
    /// A structure with every member absent, a list without items.
    Empty,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => text().prop_map(Edit::Text),
        1 => any::<i64>().prop_map(Edit::Number),
        1 => Just(Edit::Flip),
        2 => Just(Edit::Remove),
        1 => Just(Edit::Repeat),
        1 => Just(Edit::Empty),
    ]
}

/// Texts with the characters XML escapes, non-ASCII ones, timestamps with and without
/// milliseconds, amounts. No whitespace at either end, which a reader trims.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 <>&'\"=;#/\u{e9}\u{3042}\u{1f600}-]{0,12}".prop_map(|s| s.trim().to_owned()),
        (
            1970..2100u32,
            1..=12u32,
            1..=28u32,
            0..24u32,
            0..60u32,
            0..60u32,
            prop::option::of(0..1000u32)
        )
            .prop_map(|(y, mo, d, h, mi, s, ms)| {
                let ms = ms.map(|ms| format!(".{ms:03}")).unwrap_or_default();
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{ms}Z")
            }),
        "[0-9]{1,7}(\\.[0-9]{1,2})?",
        Just("USD".to_owned()),
    ]
}

/// `value` with `edits` applied to its JSON form, each kept only when the result still reads
/// as a `T`. Each edit goes to one of the nodes it applies to (a text edit to a text, …).
fn vary<T: Serialize + DeserializeOwned>(value: &T, edits: &[(prop::sample::Index, Edit)]) -> T {
    let mut json = serde_json::to_value(value).unwrap();
    for (at, edit) in edits {
        let mut count = 0;
        walk(&mut json, edit, None, &mut count);
        if count == 0 {
            continue;
        }
        let mut candidate = json.clone();
        walk(&mut candidate, edit, Some(at.index(count)), &mut 0);
        if serde_json::from_value::<T>(candidate.clone()).is_ok() {
            json = candidate;
        }
    }
    serde_json::from_value(json).unwrap()
}

/// Counts in `seen` the nodes below `parent` that `edit` applies to, in document order, and
/// applies it to the `target`-th; true once applied.
fn walk(parent: &mut Value, edit: &Edit, target: Option<usize>, seen: &mut usize) -> bool {
    let hit = |node: &Value, in_list: bool, seen: &mut usize| {
        let applies = match (edit, node) {
            (Edit::Text(_), Value::String(_))
            | (Edit::Number(_), Value::Number(_))
            | (Edit::Flip, Value::Bool(_))
            | (Edit::Empty, Value::Object(_) | Value::Array(_))
            | (Edit::Remove, _) => true,
            (Edit::Repeat, _) => in_list,
            _ => false,
        };
        let here = applies && target == Some(*seen);
        *seen += usize::from(applies);
        here
    };
    match parent {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if hit(&map[&key], false, seen) {
                    match edit {
                        Edit::Remove => drop(map.remove(&key)),
                        _ => change(&mut map[&key], edit),
                    }
                    return true;
                }
                if walk(&mut map[&key], edit, target, seen) {
                    return true;
                }
            }
        }
        Value::Array(items) => {
            for i in 0..items.len() {
                if hit(&items[i], true, seen) {
                    match edit {
                        Edit::Remove => drop(items.remove(i)),
                        Edit::Repeat => items.insert(i, items[i].clone()),
                        _ => change(&mut items[i], edit),
                    }
                    return true;
                }
                if walk(&mut items[i], edit, target, seen) {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}

fn change(node: &mut Value, edit: &Edit) {
    match (node, edit) {
        (Value::String(s), Edit::Text(text)) => text.clone_into(s),
        (Value::Number(n), Edit::Number(x)) => *n = (*x).into(),
        (Value::Bool(b), Edit::Flip) => *b = !*b,
        (Value::Object(map), Edit::Empty) => map.clear(),
        (Value::Array(items), Edit::Empty) => items.clear(),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn varied_documents_write_the_same(
        doc in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..16),
    ) {
        let body = doc.get(documents());
        prop_assert!(check_document(body, &edits).map_err(TestCaseError::fail)?);
    }

    #[test]
    fn varied_notifications_write_the_same(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..16),
    ) {
        check_varied_notification(which.get(notifications()), &edits).map_err(TestCaseError::fail)?;
    }
}
