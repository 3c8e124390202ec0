//! Where requests go: a region and environment of the service, or a local stand-in.

use std::fmt;

use crate::v1::{Environment, Region};

/// Why an endpoint override was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error(
        "plain http is only allowed for loopback hosts (127.0.0.0/8, localhost, ::1), not `{0}`"
    )]
    InsecureNonLoopback(String),
}

/// Scheme, host (with port when not the default) and path of the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: &'static str,
    host: String,
    path: String,
}

impl Endpoint {
    /// Amazon's endpoint for a region and environment.
    pub fn amazon(region: Region, environment: Environment) -> Endpoint {
        Endpoint {
            scheme: "https",
            host: region.host().to_owned(),
            path: environment.path().to_owned(),
        }
    }

    /// An https endpoint elsewhere (a proxy, a test double).
    pub fn https(host: impl Into<String>, environment: Environment) -> Endpoint {
        Endpoint {
            scheme: "https",
            host: host.into(),
            path: environment.path().to_owned(),
        }
    }

    /// A plain-http endpoint on this machine, such as the local sandbox simulator. Refused for
    /// any other host, so credentials never travel unencrypted over a network.
    pub fn loopback_http(
        host_and_port: &str,
        environment: Environment,
    ) -> Result<Endpoint, EndpointError> {
        let host = host_and_port
            .rsplit_once(':')
            .map_or(host_and_port, |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Err(EndpointError::InsecureNonLoopback(host_and_port.to_owned()));
        }
        Ok(Endpoint {
            scheme: "http",
            host: host_and_port.to_owned(),
            path: environment.path().to_owned(),
        })
    }

    /// The host as signed (`host[:port]`).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn url(&self) -> String {
        // Called for every signed request: no format machinery for three pieces.
        let mut url = String::with_capacity(self.host.len() + self.path.len() + 8);
        url.push_str(self.scheme);
        url.push_str("://");
        url.push_str(&self.host);
        url.push_str(&self.path);
        url
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

/// The time used for `Timestamp`; injectable so tests and simulators control it.
pub trait Clock: Send + Sync {
    fn now(&self) -> crate::Timestamp;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> crate::Timestamp {
        crate::Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())
    }
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub crate::Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> crate::Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = Endpoint::amazon(Region::Jp, Environment::Sandbox);
        assert_eq!(
            e.url(),
            "https://mws.amazonservices.jp/OffAmazonPayments_Sandbox/2013-01-01"
        );
        assert!(Endpoint::loopback_http("127.0.0.1:8080", Environment::Live).is_ok());
        assert!(Endpoint::loopback_http("[::1]:80", Environment::Live).is_ok());
        assert!(Endpoint::loopback_http("localhost:1", Environment::Live).is_ok());
        assert_eq!(
            Endpoint::loopback_http("10.0.0.1:80", Environment::Live),
            Err(EndpointError::InsecureNonLoopback("10.0.0.1:80".into()))
        );
    }
}
