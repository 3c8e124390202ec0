//! Amounts per owner and calendar month (UTC), kept up to date as what counts toward a monthly
//! limit is made and changes: v1's billing agreement limit (JPY 50,000 in Japan, seed 003) and
//! v2's Saved Wallet limit are read on every charge, and v1's on every
//! GetBillingAgreementDetails too. Summing the owner's history on each read made each read
//! slower than the last.
//!
//! Derived data: never stored, rebuilt when the world is read back. Each generation keeps its
//! totals beside the records they sum and checks them against that sum in debug builds.

use std::collections::HashMap;

use amazon_pay_protocol::Timestamp;
use time::{Date, OffsetDateTime, Time};

/// A calendar month (UTC): year and month number.
pub type Month = (i32, u8);

/// The month `at` falls in.
pub fn month_of(at: Timestamp) -> Month {
    let at = at.as_offset_date_time();
    (at.year(), u8::from(at.month()))
}

/// The calendar month holding `now` (the one [`month_of`] names), as `[start, end)`: the
/// period a v1 agreement's limits show, and where a scenario's "next month" begins.
pub fn month_window(now: Timestamp) -> (Timestamp, Timestamp) {
    let date = now.as_offset_date_time().date();
    let start = Date::from_calendar_date(date.year(), date.month(), 1).unwrap_or(date);
    let (year, month) = match date.month() {
        time::Month::December => (date.year() + 1, time::Month::January),
        m => (date.year(), m.next()),
    };
    let end = Date::from_calendar_date(year, month, 1).unwrap_or(date);
    let at_midnight =
        |d: Date| Timestamp::from_offset_date_time(OffsetDateTime::new_utc(d, Time::MIDNIGHT));
    (at_midnight(start), at_midnight(end))
}

/// Amounts by owner (a billing agreement, a charge permission) and month.
#[derive(Debug, Default)]
pub struct MonthlyTotals {
    by_owner: HashMap<String, HashMap<Month, i64>>,
}

impl MonthlyTotals {
    /// What counts for `owner` in `month`.
    pub fn total(&self, owner: &str, month: Month) -> i64 {
        self.by_owner
            .get(owner)
            .and_then(|months| months.get(&month))
            .copied()
            .unwrap_or(0)
    }

    pub fn add(&mut self, owner: &str, month: Month, amount: i64) {
        let months = match self.by_owner.get_mut(owner) {
            Some(months) => months,
            None => self.by_owner.entry(owner.to_owned()).or_default(),
        };
        *months.entry(month).or_default() += amount;
    }

    /// Takes back what [`MonthlyTotals::add`] counted.
    pub fn subtract(&mut self, owner: &str, month: Month, amount: i64) {
        if let Some(total) = self
            .by_owner
            .get_mut(owner)
            .and_then(|months| months.get_mut(&month))
        {
            *total -= amount;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_kept_per_owner_and_month_and_a_month_starts_at_midnight_utc() {
        let at = |text: &str| month_of(Timestamp::parse(text).unwrap());
        assert_eq!(at("2026-01-31T23:59:59Z"), (2026, 1));
        assert_eq!(at("2026-02-01T00:00:00Z"), (2026, 2));
        // 08:59 in Tokyo on the 1st is still the month before in UTC.
        assert_eq!(at("2026-03-01T08:59:59+09:00"), (2026, 2));

        let mut totals = MonthlyTotals::default();
        totals.add("A", (2026, 1), 300);
        totals.add("A", (2026, 1), 200);
        totals.add("A", (2026, 2), 7);
        totals.add("B", (2026, 1), 1);
        totals.subtract("A", (2026, 1), 300);
        totals.subtract("C", (2026, 1), 5);
        assert_eq!(totals.total("A", (2026, 1)), 200);
        assert_eq!(totals.total("A", (2026, 2)), 7);
        assert_eq!(totals.total("B", (2026, 1)), 1);
        assert_eq!(totals.total("C", (2026, 1)), 0);
    }
}
