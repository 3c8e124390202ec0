//! Timestamps as the v1 API writes them: ISO 8601 in UTC, with or without milliseconds.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A point in time, always UTC. Written to the wire to the second with a `Z`
/// (`2024-01-02T03:04:05Z`), the form every official SDK's signature vectors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// Text that is not an ISO 8601 UTC timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an ISO 8601 timestamp such as 2024-01-02T03:04:05Z")]
pub struct TimestampError {
    pub text: String,
}

impl Timestamp {
    pub fn from_offset_date_time(t: OffsetDateTime) -> Timestamp {
        Timestamp(t.to_offset(UtcOffset::UTC))
    }

    /// Seconds since the Unix epoch.
    pub fn from_unix(seconds: i64) -> Option<Timestamp> {
        OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .map(Timestamp)
    }

    pub fn unix(&self) -> i64 {
        self.0.unix_timestamp()
    }

    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.0
    }

    /// Parses RFC 3339 / ISO 8601 with an offset or `Z`, with any fraction of a second.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let trimmed = text.trim();
        if let Some(t) = parse_utc(trimmed.as_bytes()) {
            return Ok(t);
        }
        OffsetDateTime::parse(trimmed, &Rfc3339)
            .map(Timestamp::from_offset_date_time)
            .map_err(|_| TimestampError {
                text: text.to_owned(),
            })
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, dropping any fraction of a second.
    pub fn to_wire(&self) -> String {
        self.wire().as_str().to_owned()
    }

    /// The wire form held inline: signing writes one per request, and this allocates nothing.
    /// Written digit by digit: a parsed format description costs several times more.
    pub(crate) fn wire(&self) -> WireText {
        let mut text = WireText {
            bytes: [0; WIRE_MAX],
            len: 0,
        };
        let (year, month, day) = self.0.to_calendar_date();
        let Ok(year @ 0..=9999) = u16::try_from(year) else {
            // Years before 0 (the `time` crate allows them) take the general path; `time`
            // keeps years within four digits, so the text always fits.
            let _ = write_general(self.0, &mut text);
            return text;
        };
        let (hour, minute, second) = self.0.to_hms();
        // The two decimal digits of a number below 100.
        let pair = |n: u8| [b'0' + n / 10, b'0' + n % 10];
        let [c0, c1] = pair((year / 100) as u8);
        let [y0, y1] = pair((year % 100) as u8);
        let [m0, m1] = pair(u8::from(month));
        let [d0, d1] = pair(day);
        let [h0, h1] = pair(hour);
        let [i0, i1] = pair(minute);
        let [s0, s1] = pair(second);
        let wire = [
            c0, c1, y0, y1, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', i0, i1, b':', s0, s1,
            b'Z',
        ];
        text.bytes[..wire.len()].copy_from_slice(&wire);
        text.len = wire.len();
        text
    }

    /// The basic ISO 8601 form of v2 (`YYYYMMDDTHHMMSSZ`): the wire form without its
    /// separators (a year before 0 keeps its sign).
    pub fn to_basic(&self) -> String {
        self.basic().as_str().to_owned()
    }

    /// The basic form held inline: every v2 document carries several timestamps.
    pub(crate) fn basic(&self) -> WireText {
        let wire = self.wire();
        let mut basic = WireText {
            bytes: [0; WIRE_MAX],
            len: 0,
        };
        for (i, &byte) in wire.as_str().as_bytes().iter().enumerate() {
            // A leading `-` is the sign of the year, not a separator.
            if byte == b':' || (byte == b'-' && i > 0) {
                continue;
            }
            basic.bytes[basic.len] = byte;
            basic.len += 1;
        }
        basic
    }

    /// The form documents use: to the second, or to the millisecond when there is one
    /// (`2015-11-02T17:36:30.173Z`), so a parsed document writes back unchanged.
    pub fn to_document(&self) -> String {
        let millis = self.0.millisecond();
        if millis == 0 {
            return self.to_wire();
        }
        let seconds = self.to_wire();
        format!("{}.{millis:03}Z", seconds.trim_end_matches('Z'))
    }
}

/// The form every document uses, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with at most nine
/// fraction digits, read field by field: responses carry several timestamps each, and the
/// general RFC 3339 parser costs several times more. Anything else (an offset, a leap second,
/// another separator, a longer fraction, an invalid date) is `None` and left to that parser,
/// so both give the same answers.
fn parse_utc(text: &[u8]) -> Option<Timestamp> {
    let (head, rest) = text.split_at_checked(19)?;
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
    ] = head
    else {
        return None;
    };
    let nanosecond = match rest {
        [b'Z'] => 0,
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
            let scale = 10u32.pow(9 - fraction.len() as u32);
            digits(fraction)? * scale
        }
        _ => return None,
    };
    utc(
        [y0, y1, y2, y3],
        [m0, m1, d0, d1],
        [h0, h1, i0, i1, s0, s1],
        nanosecond,
    )
}

/// The basic form of v2 (`YYYYMMDDTHHMMSSZ`, what [`Timestamp::to_basic`] writes), read
/// field by field like [`parse_utc`]: a format description would need `time`'s proc macro
/// (a cold-build cost) or parsing the description on every call.
pub(crate) fn parse_basic(text: &str) -> Option<Timestamp> {
    let &[
        y0,
        y1,
        y2,
        y3,
        m0,
        m1,
        d0,
        d1,
        b'T',
        h0,
        h1,
        i0,
        i1,
        s0,
        s1,
        b'Z',
    ] = text.as_bytes()
    else {
        return None;
    };
    utc(
        [y0, y1, y2, y3],
        [m0, m1, d0, d1],
        [h0, h1, i0, i1, s0, s1],
        0,
    )
}

/// The UTC time of a date's and a time's ASCII digits (`YYYY`, `MMDD`, `HHMMSS`), or `None`
/// when one is not a digit or the date or time does not exist.
fn utc(year: [u8; 4], date: [u8; 4], time: [u8; 6], nanosecond: u32) -> Option<Timestamp> {
    let two = |pair: &[u8]| digits(pair).and_then(|n| u8::try_from(n).ok());
    let year = i32::try_from(digits(&year)?).ok()?;
    let month = Month::try_from(two(&date[..2])?).ok()?;
    let date = Date::from_calendar_date(year, month, two(&date[2..])?).ok()?;
    let time = Time::from_hms_nano(
        two(&time[..2])?,
        two(&time[2..4])?,
        two(&time[4..])?,
        nanosecond,
    )
    .ok()?;
    Some(Timestamp(PrimitiveDateTime::new(date, time).assume_utc()))
}

/// The value of ASCII decimal digits (at most nine, so no overflow), or `None`.
fn digits(text: &[u8]) -> Option<u32> {
    text.iter().try_fold(0u32, |value, b| {
        b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
    })
}

/// The wire form through `write!`: the signed-year fallback of [`Timestamp::wire`].
fn write_general(t: OffsetDateTime, out: &mut impl fmt::Write) -> fmt::Result {
    write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The longest wire form: a sign, four year digits and the rest (`-9999-12-31T23:59:59Z`).
const WIRE_MAX: usize = 21;

/// [`Timestamp::to_wire`]'s text in a fixed buffer (ASCII only).
#[derive(Clone, Copy)]
pub(crate) struct WireText {
    bytes: [u8; WIRE_MAX],
    len: usize,
}

impl WireText {
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever written, so this never falls back.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl fmt::Write for WireText {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.len + text.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_document())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_document())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form() {
        let t = Timestamp::parse("2024-01-02T03:04:05Z").unwrap();
        assert_eq!(t.to_basic(), "20240102T030405Z");
        assert_eq!(parse_basic(&t.to_basic()), Some(t));
        // A year before 0 keeps its sign and loses only the separators.
        let early = Timestamp::from_offset_date_time(PrimitiveDateTime::MIN.assume_utc());
        let wire = early.to_wire();
        assert!(wire.starts_with('-'), "{wire}");
        assert_eq!(
            early.to_basic(),
            format!("-{}", wire[1..].replace(['-', ':'], ""))
        );
    }

    #[test]
    fn accepts_both_sdk_styles_and_writes_seconds() {
        let a = Timestamp::parse("2015-12-31T23:59:58Z").unwrap();
        let b = Timestamp::parse("2015-12-31T23:59:58.000Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_wire(), "2015-12-31T23:59:58Z");
        assert_eq!(
            Timestamp::parse("2015-11-02T17:36:30.173Z")
                .unwrap()
                .to_wire(),
            "2015-11-02T17:36:30Z"
        );
        assert!(Timestamp::parse("yesterday").is_err());
    }

    #[test]
    fn the_document_form_reads_as_the_general_parser_reads_it() {
        // Calendar edges, every field's limits and fraction lengths, then every byte of one
        // timestamp replaced in turn: the field-by-field reading either agrees with the RFC
        // 3339 parser or leaves the text to it.
        let mut texts = Vec::new();
        for (date, time) in [
            ("2024-02-29", "23:59:59"),
            ("2023-02-29", "00:00:00"),
            ("2023-04-31", "12:00:00"),
            ("2023-12-31", "24:00:00"),
            ("2023-13-01", "00:60:00"),
            ("2023-00-10", "00:00:60"),
            ("2023-01-00", "99:99:99"),
            ("0000-01-01", "00:00:00"),
            ("9999-12-31", "23:59:59"),
            ("2016-12-31", "23:59:60"),
        ] {
            for fraction in ["", ".", ".1", ".123", ".173", ".123456789", ".1234567891"] {
                for zone in ["Z", "z", "+00:00", "+09:00", ""] {
                    texts.push(format!("{date}T{time}{fraction}{zone}"));
                }
            }
        }
        let base = b"2015-11-02T17:36:30.173Z";
        for at in 0..base.len() {
            for b in [
                b'0', b'5', b'9', b'/', b':', b'-', b'T', b't', b' ', b'.', b'Z', b'x', 0xC3,
            ] {
                let mut text = base.to_vec();
                text[at] = b;
                texts.push(String::from_utf8_lossy(&text).into_owned());
            }
        }
        let mut fast = 0;
        for text in &texts {
            let general =
                OffsetDateTime::parse(text, &Rfc3339).map(Timestamp::from_offset_date_time);
            if let Some(read) = parse_utc(text.as_bytes()) {
                fast += 1;
                assert_eq!(
                    Ok(read),
                    general.as_ref().map_err(|_| ()).copied(),
                    "{text}"
                );
            }
            assert_eq!(Timestamp::parse(text).ok(), general.ok(), "{text}");
        }
        assert!(
            fast > 50,
            "only {fast} texts took the field-by-field reading"
        );
    }

    /// The wire form through the general formatter, as a reference.
    fn general_wire(t: OffsetDateTime) -> String {
        let mut text = String::new();
        write_general(t, &mut text).unwrap();
        text
    }

    #[test]
    fn wire_form_is_written_digit_by_digit_like_the_general_format() {
        // From year 0 to 9999 in uneven steps, so every field takes many values.
        let (first, last) = (-62_167_219_200_i64, 253_402_300_799_i64);
        let mut unix = first;
        while unix <= last {
            let t = Timestamp::from_unix(unix).unwrap();
            assert_eq!(t.to_wire(), general_wire(t.0), "{unix}");
            unix += 999_999_937;
        }
        assert_eq!(
            Timestamp::from_unix(last).unwrap().to_wire(),
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(
            Timestamp::from_unix(first).unwrap().to_wire(),
            "0000-01-01T00:00:00Z"
        );
        // Before year 0 the general path writes the sign, the earliest year `time` has too.
        for t in [
            Timestamp::from_unix(first - 86_400).unwrap(),
            Timestamp::from_offset_date_time(PrimitiveDateTime::MIN.assume_utc()),
        ] {
            assert_eq!(t.to_wire(), general_wire(t.0));
            assert!(t.to_wire().starts_with('-'), "{}", t.to_wire());
        }
    }
}
