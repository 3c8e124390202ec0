//! Sandbox simulation strings (reference §6): a JSON object in a note field asks the sandbox for
//! a given outcome. A note that is not such an object is an ordinary note; one that is, but
//! names a State/ReasonCode combination the field does not allow, is refused with
//! `InvalidSandboxSimulationSpecified` before anything changes.

use amazon_pay_protocol::v1::ErrorCode;
use serde::Deserialize;

use super::error::{SimError, SimResult};

/// Which note field a simulation string was found in; each allows its own outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteField {
    /// SellerAuthorizationNote (Authorize, AuthorizeOnBillingAgreement).
    Authorization,
    /// SellerCaptureNote (Capture).
    Capture,
    /// SellerRefundNote (Refund).
    Refund,
    /// SellerNote (SetOrderReferenceDetails, SetBillingAgreementDetails).
    SellerNote,
    /// ClosureReason (CloseOrderReference, CloseBillingAgreement).
    ClosureReason,
}

/// An outcome the sandbox was asked to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simulation {
    /// Authorization Declined/InvalidPaymentMethod; the buyer fixes the method after the given
    /// minutes (asynchronous authorizations only, per reference §6).
    DeclineInvalidPaymentMethod {
        update_after_minutes: Option<i64>,
        soft: bool,
    },
    DeclineAmazonRejected,
    DeclineTransactionTimedOut,
    /// Authorization Open, then Closed/ExpiredUnused after the given minutes.
    ExpireUnused {
        after_minutes: i64,
    },
    /// The object is Closed/AmazonClosed (authorization, capture, order reference, agreement).
    AmazonClosed,
    /// Capture stays Pending before it completes.
    CapturePending,
    /// Capture or refund Declined/AmazonRejected.
    Rejected,
    /// Constraint PaymentMethodNotAllowed on an order reference or billing agreement.
    PaymentMethodNotAllowed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    #[serde(rename = "SandboxSimulation")]
    simulation: Fields,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(rename = "State")]
    state: Option<String>,
    #[serde(rename = "ReasonCode")]
    reason_code: Option<String>,
    #[serde(rename = "Constraint")]
    constraint: Option<String>,
    #[serde(rename = "PaymentMethodUpdateTimeInMins")]
    payment_method_update_minutes: Option<i64>,
    #[serde(rename = "ExpirationTimeInMins")]
    expiration_minutes: Option<i64>,
    /// `"true"`/`"false"` as a string in the published examples; a JSON bool is accepted too.
    #[serde(rename = "SoftDecline")]
    soft_decline: Option<serde_json::Value>,
}

/// Reads a note. `Ok(None)`: an ordinary note. Only the sandbox path honours simulations; on
/// the live path every note is ordinary.
pub fn parse(note: Option<&str>, field: NoteField) -> SimResult<Option<Simulation>> {
    let Some(note) = note else { return Ok(None) };
    if !note.contains("SandboxSimulation") {
        return Ok(None);
    }
    let invalid = |why: String| {
        SimError::new(
            ErrorCode::InvalidSandboxSimulationSpecified,
            format!("The sandbox simulation `{note}` is not valid here: {why}."),
        )
    };
    let envelope: Envelope = serde_json::from_str(note.trim())
        .map_err(|e| invalid(format!("not a simulation object ({e})")))?;
    let f = envelope.simulation;
    let minutes = |v: Option<i64>, name: &str| match v {
        Some(m) if m < 0 => Err(invalid(format!("{name} must not be negative"))),
        other => Ok(other),
    };
    let soft = match &f.soft_decline {
        None => true,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(other) => {
            return Err(invalid(format!(
                "SoftDecline `{other}` is not true or false"
            )));
        }
    };
    let state = f.state.as_deref();
    let reason = f.reason_code.as_deref();
    let simulation = match (field, state, reason, f.constraint.as_deref()) {
        (NoteField::SellerNote, None, None, Some("PaymentMethodNotAllowed")) => {
            Simulation::PaymentMethodNotAllowed
        }
        (NoteField::Authorization, Some("Declined"), Some("InvalidPaymentMethod"), None) => {
            Simulation::DeclineInvalidPaymentMethod {
                update_after_minutes: minutes(
                    f.payment_method_update_minutes,
                    "PaymentMethodUpdateTimeInMins",
                )?,
                soft,
            }
        }
        (NoteField::Authorization, Some("Declined"), Some("AmazonRejected"), None) => {
            Simulation::DeclineAmazonRejected
        }
        (NoteField::Authorization, Some("Declined"), Some("TransactionTimedOut"), None) => {
            Simulation::DeclineTransactionTimedOut
        }
        (NoteField::Authorization, Some("Closed"), Some("ExpiredUnused"), None) => {
            match minutes(f.expiration_minutes, "ExpirationTimeInMins")? {
                Some(after_minutes) => Simulation::ExpireUnused { after_minutes },
                None => return Err(invalid("ExpiredUnused needs ExpirationTimeInMins".into())),
            }
        }
        (
            NoteField::Authorization | NoteField::Capture | NoteField::ClosureReason,
            Some("Closed"),
            Some("AmazonClosed"),
            None,
        ) => Simulation::AmazonClosed,
        (NoteField::Capture, Some("Pending"), None, None) => Simulation::CapturePending,
        (
            NoteField::Capture | NoteField::Refund,
            Some("Declined"),
            Some("AmazonRejected"),
            None,
        ) => Simulation::Rejected,
        _ => {
            return Err(invalid(format!(
                "State {:?}, ReasonCode {:?}, Constraint {:?} is not a simulation of {field:?}",
                state.unwrap_or("-"),
                reason.unwrap_or("-"),
                f.constraint.as_deref().unwrap_or("-"),
            )));
        }
    };
    // Extra knobs on an outcome that does not use them are a mistake worth reporting.
    let extra_minutes = f.payment_method_update_minutes.is_some()
        && !matches!(simulation, Simulation::DeclineInvalidPaymentMethod { .. });
    let extra_expiry =
        f.expiration_minutes.is_some() && !matches!(simulation, Simulation::ExpireUnused { .. });
    if extra_minutes || extra_expiry {
        return Err(invalid(
            "a timing field does not belong to this outcome".into(),
        ));
    }
    Ok(Some(simulation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_strings() {
        let cases = [
            (
                r#"{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":5}}"#,
                NoteField::Authorization,
                Simulation::DeclineInvalidPaymentMethod {
                    update_after_minutes: Some(5),
                    soft: true,
                },
            ),
            (
                r#"{"SandboxSimulation":{"State":"Declined","ReasonCode":"InvalidPaymentMethod","PaymentMethodUpdateTimeInMins":1,"SoftDecline":"false"}}"#,
                NoteField::Authorization,
                Simulation::DeclineInvalidPaymentMethod {
                    update_after_minutes: Some(1),
                    soft: false,
                },
            ),
            (
                r#"{"SandboxSimulation": {"State":"Closed", "ReasonCode":"ExpiredUnused", "ExpirationTimeInMins":1}}"#,
                NoteField::Authorization,
                Simulation::ExpireUnused { after_minutes: 1 },
            ),
            (
                r#"{"SandboxSimulation": {"State":"Pending"}}"#,
                NoteField::Capture,
                Simulation::CapturePending,
            ),
            (
                r#"{"SandboxSimulation":{"Constraint":"PaymentMethodNotAllowed"}}"#,
                NoteField::SellerNote,
                Simulation::PaymentMethodNotAllowed,
            ),
            (
                r#"{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected"}}"#,
                NoteField::Refund,
                Simulation::Rejected,
            ),
        ];
        for (note, field, expected) in cases {
            assert_eq!(parse(Some(note), field), Ok(Some(expected)), "{note}");
        }
    }

    #[test]
    fn ordinary_notes_and_bad_combinations() {
        assert_eq!(parse(Some("thank you"), NoteField::Authorization), Ok(None));
        assert_eq!(parse(None, NoteField::Capture), Ok(None));
        for (note, field) in [
            // Capture outcome asked of an authorization.
            (
                r#"{"SandboxSimulation": {"State":"Pending"}}"#,
                NoteField::Authorization,
            ),
            // Refunds cannot be Closed.
            (
                r#"{"SandboxSimulation": {"State":"Closed", "ReasonCode":"AmazonClosed"}}"#,
                NoteField::Refund,
            ),
            (
                r#"{"SandboxSimulation": {"State":"Declined", "ReasonCode":"Nope"}}"#,
                NoteField::Authorization,
            ),
            (r#"{"SandboxSimulation": "#, NoteField::Authorization),
            (
                r#"{"SandboxSimulation": {"State":"Closed", "ReasonCode":"ExpiredUnused"}}"#,
                NoteField::Authorization,
            ),
            (
                r#"{"SandboxSimulation": {"State":"Declined", "ReasonCode":"AmazonRejected", "ExpirationTimeInMins": 3}}"#,
                NoteField::Authorization,
            ),
        ] {
            let err = parse(Some(note), field).unwrap_err();
            assert_eq!(
                err.code,
                ErrorCode::InvalidSandboxSimulationSpecified,
                "{note}"
            );
        }
    }
}
