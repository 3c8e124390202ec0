//! The state every API generation shares: the clock offset, the sequence behind ids and the
//! schedule's order, the random-looking part of ids, and the store of used reference ids
//! (idempotency keys).

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde::{Deserialize, Serialize};

use super::persist::{Dirty, Row, StoreError, body_of, decode};

const REFERENCE_ID: &str = "reference_id";
const META: &str = "meta";

/// A used reference id (idempotency key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceUse {
    pub action: String,
    /// The object the request was made on (billing agreement, order reference, ...).
    pub parent: String,
    /// The request's own parameters (no timestamp, signature or credentials), to tell a
    /// retry of the same request from a different request under the same id.
    pub fingerprint: String,
    /// The object it created.
    pub created: String,
}

/// What a reference id says about a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Reuse<'a> {
    /// Never used: go ahead.
    Fresh,
    /// The same request again (a retry): the id of the object it created.
    Retry(&'a str),
    /// Used by a request with another action or on another object.
    OtherRequest(&'a ReferenceUse),
    /// Used by the same action on the same object with different parameters.
    OtherParameters,
}

/// Sixteen bytes in the UUID text form (`8-4-4-4-12` hex digits). Every answer carries one
/// (its request id), so the digits are written once, into place.
pub fn uuid_text(bytes: [u8; 16]) -> String {
    let mut digits = [0; 32];
    // Two digits a byte: the buffer is exactly as long as they need, so this cannot fail.
    let _ = hex::encode_to_slice(bytes, &mut digits);
    let mut text = String::with_capacity(36);
    for (i, &digit) in digits.iter().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            text.push('-');
        }
        text.push(char::from(digit));
    }
    text
}

#[derive(Debug, Default)]
pub struct Common {
    /// Seconds added to the machine's clock (`/__sandbox/clock`).
    pub clock_offset: i64,
    pub sequence: u64,
    /// The stored bound of the sequence: no number above it has been handed out, nor below it
    /// since a restart (see [`SEQUENCE_AHEAD`]).
    sequence_bound: u64,
    /// Keyed by the generation's own key (v1: `seller/kind/reference id`).
    pub reference_ids: BTreeMap<String, ReferenceUse>,
    dirty: Dirty,
    /// The random-looking part of new ids; seeded for reproducible runs, never persisted.
    salts: Salts,
}

#[derive(Debug)]
struct Salts(StdRng);

impl Default for Salts {
    fn default() -> Salts {
        Salts(StdRng::from_entropy())
    }
}

/// How far ahead of the sequence its stored bound is written. The state file keeps a bound
/// rather than the sequence itself, so that a change taking a number (almost every change)
/// writes the bound only once in this many numbers: it was a row and a page of every commit.
/// A restarted simulator goes on from the bound, so numbers skip and are never handed out
/// twice.
pub const SEQUENCE_AHEAD: u64 = 1024;

impl Common {
    /// A number never handed out before (ids, schedule order); its bound is persisted with
    /// the state, in the same change as the first number past the old one.
    pub fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        if self.sequence > self.sequence_bound {
            self.sequence_bound = self.sequence + SEQUENCE_AHEAD;
            self.dirty.mark(META, "sequence");
        }
        self.sequence
    }

    pub fn reseed(&mut self, rng: StdRng) {
        self.salts = Salts(rng);
    }

    /// Carries the random stream over to a world read back from the store.
    pub fn keep_salts(&mut self, from: &mut Common) {
        std::mem::swap(&mut self.salts, &mut from.salts);
    }

    /// Amazon-looking ids (`C01-0000012-3456789`) that stay unique across restarts.
    pub fn new_root_id(&mut self, prefix: &str) -> String {
        let n = self.next_sequence();
        let salt: u32 = self.salts.0.gen_range(0..10_000_000);
        format!("{prefix}-{:07}-{salt:07}", n % 10_000_000)
    }

    /// A UUID-looking id (checkout session ids, §1.3), from the seeded stream.
    pub fn new_uuid(&mut self) -> String {
        uuid_text(self.salts.0.r#gen())
    }

    /// Child ids as Amazon forms them: the parent id, a letter, a number.
    pub fn new_child_id(&mut self, parent: &str, letter: char) -> String {
        let n = self.next_sequence();
        format!("{parent}-{letter}{:07}", n % 10_000_000)
    }

    pub fn set_clock_offset(&mut self, seconds: i64) {
        self.clock_offset = seconds;
        self.dirty.mark(META, "clock_offset");
    }

    /// Checks a reference id before anything changes.
    pub fn reuse(&self, key: &str, action: &str, parent: &str, fingerprint: &str) -> Reuse<'_> {
        match self.reference_ids.get(key) {
            None => Reuse::Fresh,
            Some(used) if used.action != action || used.parent != parent => {
                Reuse::OtherRequest(used)
            }
            Some(used) if used.fingerprint != fingerprint => Reuse::OtherParameters,
            Some(used) => Reuse::Retry(&used.created),
        }
    }

    pub fn record_reference(&mut self, key: String, used: ReferenceUse) {
        self.dirty.mark(REFERENCE_ID, key.clone());
        self.reference_ids.insert(key, used);
    }

    /// Reads a stored row back; `Ok(false)` when the row is not one of the shared kinds.
    pub fn restore(&mut self, kind: &str, id: &str, body: &str) -> Result<bool, StoreError> {
        match (kind, id) {
            (REFERENCE_ID, _) => {
                self.reference_ids
                    .insert(id.to_owned(), decode(kind, id, body)?);
            }
            (META, "sequence") => {
                self.sequence = decode(kind, id, body)?;
                self.sequence_bound = self.sequence;
            }
            (META, "clock_offset") => self.clock_offset = decode(kind, id, body)?,
            (META, _) => {}
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub fn forget_changes(&mut self) {
        self.dirty.clear();
    }

    pub fn changes(&mut self) -> Vec<Row> {
        let (reference_ids, bound, offset) =
            (&self.reference_ids, self.sequence_bound, self.clock_offset);
        self.dirty.take(|kind, id| match (kind, id) {
            (REFERENCE_ID, _) => body_of(reference_ids.get(id)),
            (_, "sequence") => body_of(Some(&bound)),
            (_, "clock_offset") => body_of(Some(&offset)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bound each row of the sequence holds, read as the store would.
    fn stored_bounds(common: &mut Common) -> Vec<u64> {
        common
            .changes()
            .iter()
            .map(|row| serde_json::from_str(&row.body.as_ref().unwrap().encode().unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn the_sequence_bound_is_written_once_a_block_and_is_never_behind() {
        let mut common = Common::default();
        let first = common.next_sequence();
        let [bound] = stored_bounds(&mut common)[..] else {
            panic!("the first number writes the bound")
        };
        assert_eq!(bound, first + SEQUENCE_AHEAD);
        while common.sequence < bound {
            common.next_sequence();
            assert!(common.changes().is_empty(), "at {}", common.sequence);
        }
        let past = common.next_sequence();
        assert_eq!(stored_bounds(&mut common), [past + SEQUENCE_AHEAD]);

        // A world read back goes on after the bound, past every number handed out.
        let mut back = Common::default();
        let body = serde_json::to_string(&(past + SEQUENCE_AHEAD)).unwrap();
        assert!(back.restore(META, "sequence", &body).unwrap());
        assert_eq!(back.next_sequence(), past + SEQUENCE_AHEAD + 1);
        assert_eq!(stored_bounds(&mut back), [past + 2 * SEQUENCE_AHEAD + 1]);
    }

    #[test]
    fn a_uuid_is_its_bytes_in_hex_in_five_groups() {
        let bytes = core::array::from_fn(|i| (i as u8) * 17);
        assert_eq!(uuid_text(bytes), "00112233-4455-6677-8899-aabbccddeeff");
        assert_eq!(
            uuid_text([0xff; 16]),
            "ffffffff-ffff-ffff-ffff-ffffffffffff"
        );
    }
}
