//! The simulator's TLS identity (`sandbox --tls`): a certificate authority made at start and a
//! server certificate it signs for the loopback names. The official v2 SDKs speak only https,
//! so a client trusts the CA's certificate (PEM) to reach the simulator; the CA's key is
//! dropped once the server certificate is signed, so nothing else can ever be issued under it.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The names the server certificate is valid for: every way to say "this machine".
const NAMES: [&str; 3] = ["127.0.0.1", "localhost", "::1"];

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot make the simulator's certificates: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("cannot set up TLS: {0}")]
    Config(#[from] tokio_rustls::rustls::Error),
}

/// What a TLS simulator serves with, and what its clients trust.
pub struct Identity {
    /// The CA certificate, PEM: what a client adds to its roots.
    pub ca_pem: String,
    /// The server's configuration: the server certificate and its key, HTTP/1.1 by ALPN.
    pub server: Arc<ServerConfig>,
}

impl Identity {
    /// A fresh CA and server certificate (ECDSA P-256), and the rustls configuration with
    /// the ring provider.
    pub fn generate() -> Result<Identity, TlsError> {
        let mut ca = CertificateParams::default();
        ca.distinguished_name = name("Amazon Pay sandbox simulator CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate()?;
        let ca_pem = ca.self_signed(&ca_key)?.pem();
        let issuer = Issuer::new(ca, ca_key);

        let mut leaf = CertificateParams::new(NAMES.map(str::to_owned).to_vec())?;
        leaf.distinguished_name = name("Amazon Pay sandbox simulator");
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_key = KeyPair::generate()?;
        let leaf_der = leaf.signed_by(&leaf_key, &issuer)?.der().clone();

        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let mut server = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf_der],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
            )?;
        // The server speaks HTTP/1.1 only (as the simulator always has).
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Identity {
            ca_pem,
            server: Arc::new(server),
        })
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_certificate_is_pem_and_fresh_each_time() {
        let a = Identity::generate().unwrap();
        let b = Identity::generate().unwrap();
        assert!(
            a.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"),
            "{}",
            a.ca_pem
        );
        assert_ne!(a.ca_pem, b.ca_pem);
        assert_eq!(a.server.alpn_protocols, [b"http/1.1".to_vec()]);
    }
}
