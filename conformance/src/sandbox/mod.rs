//! The local sandbox simulator: a stateful stand-in for Amazon's sandbox that speaks the
//! protocol over real HTTP on 127.0.0.1.
//!
//! A neutral core (this directory) runs the server pipeline over a per-generation front
//! (`front::Front`): faults, the clock, the schedule of events, the reference-id store,
//! persistence, IPN delivery and throttling. `v1/` is the v1 generation: its front, objects,
//! handlers, events, buyer's side and simulation strings. Requests are read with the generated
//! types and answered with them, so the simulator and the client share one spec. See
//! `ARCHITECTURE.md` for the map, and `conformance/GUESSES.md` for every choice made where the
//! reference is silent or unconfirmed.
//!
//! Files import only files below them: `checkpoint`, `persist`, `schedule`, `common`, `clock`, `faults`,
//! `throttle`, `notify`, `delivery`, `accounts`; then `v1/` and `v2/` below their fronts;
//! `world`; `front`; `v1/front`, `v2/front`; `shared`; `server`; `control`; this file. `tls`
//! and `listen` (the serving loop) stand apart: they know nothing of the simulator.

pub mod accounts;
mod checkpoint;
mod clock;
mod common;
mod control;
mod control_v2;
mod delivery;
pub mod faults;
mod front;
mod journal;
mod listen;
pub(crate) mod monthly;
pub mod notify;
mod persist;
mod schedule;
mod server;
mod shared;
mod throttle;
pub mod tls;
pub mod v1;
pub mod v2;
mod world;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::endpoint::{Endpoint, EnvironmentPath};
use amazon_pay_protocol::v1::Region;
use rand::SeedableRng as _;
use rand::rngs::StdRng;

pub use accounts::{Account, Accounts, Merchant};
pub use clock::Timing;
pub use common::Common;
pub use delivery::IpnDelivery;
pub use faults::Faults;
pub use listen::Timeouts;
pub use v1::buyer::BuyerChoices;

pub use world::World;

use clock::Clock;
use journal::Journal;
use persist::Store;
use shared::{Inner, Shared};
use v1::error::SimResult;

/// How to run a simulator.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub accounts: Accounts,
    /// Keep the state in this SQLite file (created if missing) instead of memory only.
    pub state_file: Option<PathBuf>,
    pub faults: Faults,
    /// Where signed IPNs are posted; `None` records them without posting.
    pub ipn_url: Option<String>,
    pub timing: Timing,
    /// Enforce Amazon's documented per-operation request quotas (`--throttle-quotas`).
    pub throttle_quotas: bool,
    /// Start the clock here and move it only when told (`/__sandbox/clock`), instead of
    /// following the machine's: with `seed`, a run answers byte for byte the same every time.
    pub frozen_clock: Option<Timestamp>,
    /// Seed for the random-looking parts of ids and request ids.
    pub seed: Option<u64>,
    /// Serve the test-only `/__sandbox/` endpoints (`--no-control` turns them off).
    pub control: bool,
    /// Serve https with a certificate made at start (`--tls`); its CA is
    /// [`Sandbox::ca_certificate_pem`].
    pub tls: bool,
    /// When idle, stalled or half-sent connections are closed.
    pub timeouts: Timeouts,
}

impl Default for SandboxConfig {
    fn default() -> SandboxConfig {
        SandboxConfig {
            port: 0,
            accounts: Accounts::builtin(),
            state_file: None,
            faults: Faults::default(),
            ipn_url: None,
            timing: Timing::default(),
            throttle_quotas: false,
            frozen_clock: None,
            seed: None,
            control: true,
            tls: false,
            timeouts: Timeouts::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] persist::StoreError),
    #[error("invalid faults: {0}")]
    Faults(String),
    #[error("the clock cannot start after 9999-01-01T00:00:00Z")]
    Clock,
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
}

/// A running simulator; stops when dropped or on [`Sandbox::shutdown`].
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// The CA certificate (PEM) when serving https.
    ca_pem: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1 and serves in the background of the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        config.faults.validate().map_err(SandboxError::Faults)?;
        if config
            .frozen_clock
            .is_some_and(|t| t.unix() > clock::LATEST)
        {
            return Err(SandboxError::Clock);
        }
        let (mut world, journal) = match &config.state_file {
            Some(path) => {
                let mut store = Store::open(path)?;
                let world = World::restore(store.rows()?)?;
                let journal = Journal::start(store).map_err(persist::StoreError::Writer)?;
                (world, Some(journal))
            }
            None => (World::default(), None),
        };
        // Two streams from one seed: ids drawn under the state lock, request ids before it.
        let rng = |stream: u64| match config.seed {
            Some(seed) => StdRng::seed_from_u64(seed.wrapping_mul(2).wrapping_add(stream)),
            None => StdRng::from_entropy(),
        };
        world.common.reseed(rng(0));
        let identity = config.tls.then(tls::Identity::generate).transpose()?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| SandboxError::Bind {
                port: config.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?;
        let shared = Arc::new(Shared {
            accounts: config.accounts,
            inner: Mutex::new(Inner { world }),
            journal,
            faults: Mutex::new(config.faults),
            timing: config.timing,
            delivery: IpnDelivery::start(config.ipn_url),
            quotas: config.throttle_quotas.then(throttle::Quotas::default),
            clock: Clock {
                frozen: config.frozen_clock,
            },
            request_ids: Mutex::new(rng(1)),
            v1: v1::front::V1Front,
            v2: v2::front::V2Front,
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let control = config.control.then(|| control::router(shared.clone()));
        let app = server::App::new(shared.clone(), control);
        let ticker = tokio::spawn(server::tick_forever(
            shared.clone(),
            Duration::from_millis(250),
        ));
        let (server_tls, timeouts) = (identity.as_ref().map(|i| i.server.clone()), config.timeouts);
        let task = tokio::spawn(async move {
            let stop = async move {
                let _ = stopped.await;
            };
            listen::serve(listener, app, server_tls, timeouts, stop).await;
            // Waited for, not only stopped: its future holds the world (and the state file's
            // lock), which a simulator started right after on the same file needs.
            ticker.abort();
            let _ = ticker.await;
        });
        Ok(Sandbox {
            addr,
            shared,
            ca_pem: identity.map(|i| i.ca_pem),
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://…` when serving TLS.
    pub fn base_url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The CA certificate (PEM) a client must trust to reach an https simulator.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The endpoint a client uses to reach this simulator.
    pub fn endpoint(&self, environment: impl EnvironmentPath) -> Endpoint {
        if self.ca_pem.is_some() {
            return Endpoint::https(self.addr.to_string(), environment);
        }
        // 127.0.0.1 is loopback, so this cannot be refused.
        Endpoint::loopback_http(&self.addr.to_string(), environment)
            .unwrap_or_else(|_| unreachable!("127.0.0.1 is loopback"))
    }

    pub fn account(&self, region: Region) -> Option<&Account> {
        self.shared.accounts.by_region(region)
    }

    /// Reads the state (tests: "no reference id twice", sums of amounts).
    pub fn inspect<R>(&self, f: impl FnOnce(&World) -> R) -> R {
        f(&self.shared.lock().world)
    }

    /// The buyer signs in, chooses an address and a payment method and consents, on Amazon's
    /// pages: a Draft billing agreement of the region's seller. Returns its id and the access
    /// token the seller's page would receive. (`POST /__sandbox/buyer/billing-agreements`.)
    pub fn buyer_creates_billing_agreement(
        &self,
        region: Region,
        choices: &BuyerChoices,
    ) -> SimResult<(String, String)> {
        control::act(&self.shared, region, |ctx| {
            v1::buyer::create_billing_agreement(ctx, choices)
        })
    }

    /// The built-in v2 merchant of a region.
    pub fn merchant(&self, region: amazon_pay_protocol::v2::Region) -> Option<&Merchant> {
        self.shared.accounts.merchant(region)
    }

    /// The endpoint a v2 client with `public_key_id` uses to reach this simulator (the
    /// unified `/v2` for `SANDBOX-`/`LIVE-` keys, `/sandbox/v2` or `/live/v2` otherwise).
    pub fn v2_endpoint(
        &self,
        public_key_id: &str,
        environment: amazon_pay_protocol::v2::Environment,
    ) -> Endpoint {
        self.endpoint(environment.base_path(public_key_id))
    }

    /// The buyer acts on Amazon's checkout page for the region's merchant
    /// (`POST /__sandbox/v2/buyer/checkout`); returns the merchant's return URL.
    pub fn buyer_checks_out(
        &self,
        region: amazon_pay_protocol::v2::Region,
        action: v2::buyer::Checkout,
    ) -> v2::error::ApiResult<String> {
        control_v2::act(&self.shared, region, |ctx| v2::buyer::checkout(ctx, action))
    }

    /// The buyer signs in with Amazon on the merchant's site; returns the buyer token for
    /// Get Buyer (`POST /__sandbox/v2/buyer/sign-in`).
    pub fn buyer_signs_in(
        &self,
        region: amazon_pay_protocol::v2::Region,
    ) -> v2::error::ApiResult<String> {
        control_v2::act(&self.shared, region, v2::buyer::sign_in)
    }

    /// The buyer chooses a new card for a saved wallet on the hosted Update page.
    pub fn buyer_updates_payment_method(
        &self,
        region: amazon_pay_protocol::v2::Region,
        charge_permission_id: &str,
        card: &str,
    ) -> v2::error::ApiResult<()> {
        control_v2::act(&self.shared, region, |ctx| {
            v2::buyer::update_payment_method(ctx, charge_permission_id, card)
        })
    }

    pub fn set_faults(&self, faults: Faults) -> Result<(), SandboxError> {
        faults.validate().map_err(SandboxError::Faults)?;
        self.shared.set_faults(faults);
        Ok(())
    }

    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
