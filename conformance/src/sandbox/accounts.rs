//! The sellers the simulator knows: access key, secret, seller id and region.

use amazon_pay_protocol::credentials::{Credentials, SecretKey};
use amazon_pay_protocol::v1::Region;

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

/// The accounts of a running simulator.
#[derive(Debug, Clone)]
pub struct Accounts(Vec<Account>);

impl Accounts {
    pub fn new(accounts: Vec<Account>) -> Accounts {
        Accounts(accounts)
    }

    /// One built-in account per region.
    pub fn builtin() -> Accounts {
        Accounts(Region::ALL.iter().map(|r| Account::builtin(*r)).collect())
    }

    pub fn by_access_key(&self, key: &str) -> Option<&Account> {
        self.0.iter().find(|a| a.access_key_id == key)
    }

    pub fn by_region(&self, region: Region) -> Option<&Account> {
        self.0.iter().find(|a| a.region == region)
    }

    pub fn all(&self) -> &[Account] {
        &self.0
    }
}
