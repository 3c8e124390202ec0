//! What each charge permission has charged per calendar month (UTC), kept up to date as charges
//! are made and change: the Saved Wallet's monthly limit (§4.3) reads it on every Create Charge,
//! and summing the permission's history there made each charge slower than the last (a
//! seventh of the simulator's CPU after 5,000 charges on one permission).
//!
//! It is derived data: never stored, rebuilt as the charges are restored. Every change of a
//! charge goes through `State::update_charge`, which takes the charge's part out before the
//! change and puts it back after, so nothing changes a charge behind it; debug builds check it
//! against the sum of the history on every read.

use amazon_pay_protocol::v2::State;

use super::records::ChargeRecord;
use crate::sandbox::monthly::{Month, MonthlyTotals, month_of};

/// The month of a charge's creation, and the amount it counts there: none for a declined or
/// canceled charge.
pub fn part_of(record: &ChargeRecord) -> Option<(Month, i64)> {
    let state = record.document.status_details.as_ref()?.state.as_ref();
    if matches!(state, Some(State::Declined | State::Canceled)) {
        return None;
    }
    let created = record.document.creation_timestamp?;
    let amount = record.document.charge_amount.as_ref()?;
    Some((month_of(created), amount.minor_units()))
}

/// Amounts by permission and month.
#[derive(Debug, Default)]
pub struct Monthly(MonthlyTotals);

impl Monthly {
    /// What `permission_id` has charged in `month`.
    pub fn charged(&self, permission_id: &str, month: Month) -> i64 {
        self.0.total(permission_id, month)
    }

    /// Counts a charge (a new one, or one just changed).
    pub fn add(&mut self, record: &ChargeRecord) {
        if let Some((month, amount)) = part_of(record) {
            self.0.add(record.permission_id(), month, amount);
        }
    }

    /// Stops counting a charge (before it changes or is replaced).
    pub fn remove(&mut self, record: &ChargeRecord) {
        if let Some((month, amount)) = part_of(record) {
            self.0.subtract(record.permission_id(), month, amount);
        }
    }
}
