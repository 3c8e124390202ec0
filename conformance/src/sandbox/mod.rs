//! The local sandbox simulator: a stateful stand-in for Amazon's v1 sandbox that speaks the
//! protocol over real HTTP on 127.0.0.1.
//!
//! Requests are read with the generated types (`AnyRequest::from_params`) and answered with
//! them (`AnyResponse::to_xml`, `ErrorDocument::to_xml`), so the simulator and the client share
//! one spec. See `ARCHITECTURE.md` for the map, and `conformance/GUESSES.md` for every choice
//! made where the reference is silent or unconfirmed.

pub mod accounts;
mod control;
mod delivery;
pub mod error;
pub mod faults;
pub mod notify;
pub mod ops;
mod persist;
mod server;
pub mod simulation;
mod throttle;
pub mod verify;
pub mod world;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::endpoint::Endpoint;
use amazon_pay_protocol::v1::{Environment, Region};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

pub use accounts::{Account, Accounts};
pub use delivery::IpnDelivery;
pub use faults::Faults;
pub use ops::Timing;
pub use ops::buyer::BuyerChoices;
pub use world::{BuyerMessage, PaymentMethod, World};

use persist::Store;

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
}

/// The mutable part: the world and where it is kept.
struct Inner {
    world: World,
    store: Option<Store>,
}

/// What the HTTP handlers share.
struct Shared {
    accounts: Accounts,
    inner: Mutex<Inner>,
    faults: Mutex<Faults>,
    timing: Timing,
    delivery: IpnDelivery,
    quotas: Option<throttle::Quotas>,
    frozen_clock: Option<Timestamp>,
    request_ids: Mutex<StdRng>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A handler that panicked cannot have left a half-applied request behind (handlers
        // return before mutating), so the state is still usable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn faults(&self) -> Faults {
        *self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs an action that is not a seller request (the buyer's side) for the seller of
    /// `region`, with the same persistence and notifications as a request.
    fn act<T>(
        &self,
        region: Region,
        action: impl FnOnce(&mut ops::Ctx<'_>) -> error::SimResult<T>,
    ) -> error::SimResult<T> {
        let account = self.accounts.by_region(region).ok_or_else(|| {
            error::SimError::new(
                amazon_pay_protocol::v1::ErrorCode::InvalidParameterValue,
                format!("the simulator has no account for region {region}"),
            )
        })?;
        let mut inner = self.lock();
        let now = self.now(&inner.world);
        let Inner { world, store } = &mut *inner;
        let mut ctx = ops::Ctx {
            world,
            now,
            owner: world::Owner {
                seller_id: account.seller_id.clone(),
                region: region.name().to_owned(),
                environment: "Sandbox".to_owned(),
            },
            sandbox: true,
            request_id: String::new(),
            fingerprint: String::new(),
            timing: self.timing,
            notices: Vec::new(),
        };
        let result = action(&mut ctx);
        let notices = std::mem::take(&mut ctx.notices);
        if let Some(store) = store {
            store.save(world).map_err(error::SimError::internal)?;
        }
        self.delivery.send(world, &notices, now);
        result
    }

    /// The simulator's clock: the machine's (or the frozen start), moved by `/__sandbox/clock`.
    fn now(&self, world: &World) -> Timestamp {
        let base = match self.frozen_clock {
            Some(t) => t.unix(),
            None => time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        Timestamp::from_unix(base + world.clock_offset)
            .unwrap_or_else(|| Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()))
    }

    /// A request id in the service's form (a UUID).
    fn request_id(&self) -> String {
        let b: [u8; 16] = self
            .request_ids
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .r#gen();
        let h = hex::encode(b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

/// A running simulator; stops when dropped or on [`Sandbox::shutdown`].
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1 and serves in the background of the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        config.faults.validate().map_err(SandboxError::Faults)?;
        let (mut world, store) = match &config.state_file {
            Some(path) => {
                let store = Store::open(path)?;
                (store.load()?, Some(store))
            }
            None => (World::default(), None),
        };
        // Two streams from one seed: ids drawn under the state lock, request ids before it.
        let rng = |stream: u64| match config.seed {
            Some(seed) => StdRng::seed_from_u64(seed.wrapping_mul(2).wrapping_add(stream)),
            None => StdRng::from_entropy(),
        };
        world.reseed(rng(0));
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
            inner: Mutex::new(Inner { world, store }),
            faults: Mutex::new(config.faults),
            timing: config.timing,
            delivery: IpnDelivery::start(config.ipn_url),
            quotas: config.throttle_quotas.then(throttle::Quotas::default),
            frozen_clock: config.frozen_clock,
            request_ids: Mutex::new(rng(1)),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = server::router(shared.clone()).merge(control::router(shared.clone()));
        let ticker = tokio::spawn(server::tick_forever(
            shared.clone(),
            Duration::from_millis(250),
        ));
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "sandbox server stopped");
            }
            ticker.abort();
        });
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The endpoint a client uses to reach this simulator.
    pub fn endpoint(&self, environment: Environment) -> Endpoint {
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
    ) -> error::SimResult<(String, String)> {
        self.shared.act(region, |ctx| {
            ops::buyer::create_billing_agreement(ctx, choices)
        })
    }

    pub fn set_faults(&self, faults: Faults) -> Result<(), SandboxError> {
        faults.validate().map_err(SandboxError::Faults)?;
        *self.shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
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
