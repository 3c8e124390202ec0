//! Where requests go: a region and environment of the service, or a local stand-in.
//!
//! An endpoint is a scheme, a host and a base path. Which host a region has and which path an
//! environment has are facts of each API generation's spec; the generated `Region` and
//! `Environment` types say them through [`RegionHost`] and [`EnvironmentPath`].

use std::fmt;

/// A region of the service: the host its requests go to.
pub trait RegionHost {
    fn host(&self) -> &str;
}

/// An environment of the service (sandbox, live): the base path of its requests.
pub trait EnvironmentPath {
    fn path(&self) -> &str;
}

/// A host given as text (a proxy, the simulator).
impl RegionHost for &str {
    fn host(&self) -> &str {
        self
    }
}

/// A base path given as text (v2's depends on the key id as well as the environment).
impl EnvironmentPath for &str {
    fn path(&self) -> &str {
        self
    }
}

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
    /// `{scheme}://{host}{path}`, made once: every signed request carries it.
    url: String,
}

impl Endpoint {
    /// Amazon's endpoint for a region and environment.
    pub fn amazon(region: impl RegionHost, environment: impl EnvironmentPath) -> Endpoint {
        Endpoint::new("https", region.host().to_owned(), environment.path())
    }

    /// An https endpoint elsewhere (a proxy, a test double).
    pub fn https(host: impl Into<String>, environment: impl EnvironmentPath) -> Endpoint {
        Endpoint::new("https", host.into(), environment.path())
    }

    fn new(scheme: &'static str, host: String, path: &str) -> Endpoint {
        let url = [scheme, "://", &host, path].concat();
        Endpoint {
            scheme,
            host,
            path: path.to_owned(),
            url,
        }
    }

    /// A plain-http endpoint on this machine, such as the local sandbox simulator. Refused for
    /// any other host, so credentials never travel unencrypted over a network.
    pub fn loopback_http(
        host_and_port: &str,
        environment: impl EnvironmentPath,
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
        Ok(Endpoint::new(
            "http",
            host_and_port.to_owned(),
            environment.path(),
        ))
    }

    /// `https`, or `http` for a loopback endpoint.
    pub fn scheme(&self) -> &str {
        self.scheme
    }

    /// The host as signed (`host[:port]`).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// `{scheme}://{host}{path}`: a copy of the text made with the endpoint (every signed
    /// request takes one).
    pub fn url(&self) -> String {
        self.url.clone()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Jp;
    impl RegionHost for Jp {
        fn host(&self) -> &str {
            "mws.amazonservices.jp"
        }
    }
    struct Path(&'static str);
    impl EnvironmentPath for Path {
        fn path(&self) -> &str {
            self.0
        }
    }
    const SANDBOX: Path = Path("/OffAmazonPayments_Sandbox/2013-01-01");
    const LIVE: Path = Path("/OffAmazonPayments/2013-01-01");

    #[test]
    fn endpoints() {
        let e = Endpoint::amazon(Jp, SANDBOX);
        assert_eq!(
            e.url(),
            "https://mws.amazonservices.jp/OffAmazonPayments_Sandbox/2013-01-01"
        );
        assert_eq!(e.to_string(), e.url());
        assert_eq!(
            Endpoint::loopback_http("127.0.0.1:8080", LIVE).map(|e| e.url()),
            Ok("http://127.0.0.1:8080/OffAmazonPayments/2013-01-01".to_owned())
        );
        assert!(Endpoint::loopback_http("127.0.0.1:8080", LIVE).is_ok());
        assert!(Endpoint::loopback_http("[::1]:80", LIVE).is_ok());
        assert!(Endpoint::loopback_http("localhost:1", LIVE).is_ok());
        assert_eq!(
            Endpoint::loopback_http("10.0.0.1:80", LIVE),
            Err(EndpointError::InsecureNonLoopback("10.0.0.1:80".into()))
        );
    }
}
