//! What the HTTP handlers of a running simulator share: the accounts, the world behind its
//! lock and its journal, the faults, the clock, IPN delivery, quotas, and the API generations' fronts.

use std::sync::{Mutex, MutexGuard};

use amazon_pay_protocol::Timestamp;
use rand::Rng as _;
use rand::rngs::StdRng;

use super::accounts::Accounts;
use super::clock::{Clock, Timing};
use super::common::uuid_text;
use super::delivery::IpnDelivery;
use super::faults::Faults;
use super::front::{Env, Gate};
use super::journal::Journal;
use super::throttle::Quotas;
use super::v1::front::V1Front;
use super::v2::front::V2Front;
use super::world::World;

/// The mutable part: the world.
pub struct Inner {
    pub world: World,
}

pub struct Shared {
    pub accounts: Accounts,
    pub inner: Mutex<Inner>,
    /// Where the world is kept, with `--state FILE`.
    pub journal: Option<Journal>,
    pub faults: Mutex<Faults>,
    pub timing: Timing,
    pub delivery: IpnDelivery,
    pub quotas: Option<Quotas>,
    pub clock: Clock,
    pub request_ids: Mutex<StdRng>,
    pub v1: V1Front,
    pub v2: V2Front,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A handler that panicked cannot have left a half-applied request behind (handlers
        // return before mutating), so the state is still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn faults(&self) -> Faults {
        *self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    /// The simulator's clock: the machine's (or the frozen start), moved by `/__sandbox/clock`.
    pub fn now(&self, world: &World) -> Timestamp {
        self.clock.now(world.common.clock_offset)
    }

    /// What a front may use before the state lock. The world is read (briefly) only for a
    /// frozen clock's offset.
    pub fn gate(&self) -> Gate<'_> {
        let signing_time = match self.clock.frozen {
            Some(_) => self.now(&self.lock().world),
            None => self.clock.signing_time(0),
        };
        Gate {
            accounts: &self.accounts,
            quotas: self.quotas.as_ref(),
            signing_time,
        }
    }

    /// What a front is given for work done at `now`.
    pub fn env(&self, now: Timestamp) -> Env<'_> {
        Env {
            accounts: &self.accounts,
            timing: self.timing,
            now,
        }
    }

    /// A request id in the service's form (a UUID).
    pub fn request_id(&self) -> String {
        uuid_text(
            self.request_ids
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .r#gen(),
        )
    }
}
