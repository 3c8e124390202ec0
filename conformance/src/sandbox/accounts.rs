//! The sellers the simulator knows: for v1 the access key, secret, seller id and region; for
//! v2 the merchant's three public key ids (legacy, `SANDBOX-`, `LIVE-`), its key pair and store.

use std::sync::Arc;

use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::v1::Region;
use amazon_pay_protocol::v2;
use amazon_pay_protocol::v2_runtime::{PrivateKey, PublicKey};

/// One seller account.
#[derive(Debug, Clone)]
pub struct Account {
    pub access_key_id: String,
    pub secret: SecretKey,
    pub seller_id: String,
    pub region: Region,
}

impl Account {
    /// The built-in test account of a region. The values are public on purpose: they only
    /// open this simulator.
    pub fn builtin(region: Region) -> Account {
        let name = region.name();
        Account {
            access_key_id: format!("SIMULATOR{name}ACCESSKEY"),
            secret: SecretKey::new(Account::builtin_secret(region)),
            seller_id: format!("A1SIMULATOR{name}"),
            region,
        }
    }

    /// The secret of a built-in account (printed by `sandbox` so other SDKs can sign).
    pub fn builtin_secret(region: Region) -> String {
        format!("simulator-{}-secret-key", region.name().to_lowercase())
    }

    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            self.access_key_id.clone(),
            self.secret.clone(),
            self.seller_id.clone(),
        )
    }
}

/// The test key pairs of the built-in v2 merchants (public on purpose: they only open this
/// simulator; `conformance/sandbox-keys/README.md`).
const MERCHANT_KEYS: &[(v2::Region, &str)] = &[
    (
        v2::Region::Na,
        include_str!("../../sandbox-keys/na-private.pem"),
    ),
    (
        v2::Region::Eu,
        include_str!("../../sandbox-keys/eu-private.pem"),
    ),
    (
        v2::Region::Jp,
        include_str!("../../sandbox-keys/jp-private.pem"),
    ),
];

/// One v2 merchant account. Its merchant id is the v1 seller id of the same region's account:
/// one Amazon merchant, two API generations.
#[derive(Clone)]
pub struct Merchant {
    pub region: v2::Region,
    pub merchant_id: String,
    pub store_id: String,
    /// A key id without prefix: the environment is in the path (`/sandbox/v2`, `/live/v2`).
    pub legacy_key_id: String,
    /// `SANDBOX-…`: the unified path `/v2`, sandbox.
    pub sandbox_key_id: String,
    /// `LIVE-…`: the unified path `/v2`, live.
    pub live_key_id: String,
    pub public_key: PublicKey,
    /// The test key's PEM, printed by `sandbox` so other SDKs can sign.
    pub private_key_pem: &'static str,
}

impl std::fmt::Debug for Merchant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merchant")
            .field("region", &self.region)
            .field("merchant_id", &self.merchant_id)
            .field("legacy_key_id", &self.legacy_key_id)
            .finish_non_exhaustive()
    }
}

/// Which environment a key id opens, and whether it names it itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Legacy,
    Sandbox,
    Live,
}

impl Merchant {
    /// The built-in merchant of a region.
    pub fn builtin(region: v2::Region, private_key_pem: &'static str) -> Merchant {
        let name = region.name();
        // The committed keys are part of this crate; a test proves each parses.
        let public_key = PrivateKey::from_pem(private_key_pem.as_bytes())
            .and_then(|key| key.public_key())
            .unwrap_or_else(|e| panic!("sandbox-keys/{name}: {e}"));
        Merchant {
            region,
            merchant_id: format!("A1SIMULATOR{name}"),
            store_id: format!(
                "amzn1.application-oa2-client.simulator{}",
                name.to_ascii_lowercase()
            ),
            legacy_key_id: format!("AHSIMULATOR{name}KEYID0000000"),
            sandbox_key_id: format!("SANDBOX-AHSIMULATOR{name}KEYID"),
            live_key_id: format!("LIVE-AHSIMULATOR{name}KEYID"),
            public_key,
            private_key_pem,
        }
    }

    /// What kind of this merchant's keys `key_id` is, if it is one.
    pub fn key_kind(&self, key_id: &str) -> Option<KeyKind> {
        [
            (&self.legacy_key_id, KeyKind::Legacy),
            (&self.sandbox_key_id, KeyKind::Sandbox),
            (&self.live_key_id, KeyKind::Live),
        ]
        .into_iter()
        .find(|(id, _)| id.as_str() == key_id)
        .map(|(_, kind)| kind)
    }

    /// The private key (tests and the runner sign with it).
    pub fn private_key(&self) -> Arc<PrivateKey> {
        Arc::new(
            PrivateKey::from_pem(self.private_key_pem.as_bytes())
                .unwrap_or_else(|e| panic!("sandbox-keys/{}: {e}", self.region.name())),
        )
    }

    /// Signing credentials for one of the merchant's key ids.
    pub fn credentials(&self, key_id: &str) -> amazon_pay_protocol::v2_runtime::Credentials {
        amazon_pay_protocol::v2_runtime::Credentials::new(
            key_id,
            self.private_key(),
            self.region.code(),
        )
    }
}

/// The accounts of a running simulator.
#[derive(Debug, Clone)]
pub struct Accounts {
    sellers: Vec<Account>,
    merchants: Vec<Merchant>,
}

impl Accounts {
    /// The v1 accounts given, and the built-in v2 merchants.
    pub fn new(accounts: Vec<Account>) -> Accounts {
        Accounts {
            sellers: accounts,
            merchants: MERCHANT_KEYS
                .iter()
                .map(|(region, pem)| Merchant::builtin(*region, pem))
                .collect(),
        }
    }

    /// One built-in account per region.
    pub fn builtin() -> Accounts {
        Accounts::new(Region::ALL.iter().map(|r| Account::builtin(*r)).collect())
    }

    pub fn by_access_key(&self, key: &str) -> Option<&Account> {
        self.sellers.iter().find(|a| a.access_key_id == key)
    }

    pub fn by_region(&self, region: Region) -> Option<&Account> {
        self.sellers.iter().find(|a| a.region == region)
    }

    pub fn all(&self) -> &[Account] {
        &self.sellers
    }

    /// The v2 merchants.
    pub fn merchants(&self) -> &[Merchant] {
        &self.merchants
    }

    /// The merchant one of whose key ids is `key_id`, with the key's kind.
    pub fn by_key_id(&self, key_id: &str) -> Option<(&Merchant, KeyKind)> {
        self.merchants
            .iter()
            .find_map(|m| m.key_kind(key_id).map(|kind| (m, kind)))
    }

    pub fn merchant(&self, region: v2::Region) -> Option<&Merchant> {
        self.merchants.iter().find(|m| m.region == region)
    }
}
