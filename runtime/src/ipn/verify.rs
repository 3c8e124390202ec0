//! SNS signature verification: certificate URL rules, certificate validity, RSA signature.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use x509_cert::Certificate;
use x509_cert::der::{DecodePem, Encode};

use super::{IpnError, SnsEnvelope};
use crate::Timestamp;

/// Supplies the PEM certificate a `SigningCertURL` names. The protocol crate does no I/O:
/// an application fetches over https (after [`check_cert_url`]) and should cache.
pub trait CertificateSource {
    fn pem(&self, url: &str) -> Result<String, IpnError>;
}

/// Certificates known in advance, by URL; or one certificate for every URL that passes the
/// URL rules (tests, the CLI's `--cert`).
#[derive(Debug, Clone, Default)]
pub struct StaticCertificates {
    by_url: HashMap<String, String>,
    any_url: Option<String>,
}

impl StaticCertificates {
    pub fn new() -> StaticCertificates {
        StaticCertificates::default()
    }

    pub fn with(mut self, url: impl Into<String>, pem: impl Into<String>) -> StaticCertificates {
        self.by_url.insert(url.into(), pem.into());
        self
    }

    pub fn for_any_url(pem: impl Into<String>) -> StaticCertificates {
        StaticCertificates {
            by_url: HashMap::new(),
            any_url: Some(pem.into()),
        }
    }
}

impl CertificateSource for StaticCertificates {
    fn pem(&self, url: &str) -> Result<String, IpnError> {
        self.by_url
            .get(url)
            .or(self.any_url.as_ref())
            .cloned()
            .ok_or_else(|| IpnError::CertificateUnavailable(url.to_owned()))
    }
}

/// Remembers what another source returned, so a certificate is fetched once per URL.
#[derive(Debug)]
pub struct CachingCertificateSource<S> {
    inner: S,
    cache: Mutex<HashMap<String, String>>,
}

impl<S: CertificateSource> CachingCertificateSource<S> {
    pub fn new(inner: S) -> CachingCertificateSource<S> {
        CachingCertificateSource {
            inner,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// How many certificates are cached.
    pub fn cached(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }
}

impl<S: CertificateSource> CertificateSource for CachingCertificateSource<S> {
    fn pem(&self, url: &str) -> Result<String, IpnError> {
        if let Some(pem) = self.cache.lock().ok().and_then(|c| c.get(url).cloned()) {
            return Ok(pem);
        }
        let pem = self.inner.pem(url)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(url.to_owned(), pem.clone());
        }
        Ok(pem)
    }
}

/// The `SigningCertURL` rules of the official SDKs: https, host `sns.<region>.amazonaws.com`
/// (or `.com.cn`), path ending in `.pem`. A forged message naming its own certificate fails here.
pub fn check_cert_url(url: &str) -> Result<(), IpnError> {
    let reject = |why: &str| Err(IpnError::InvalidCertUrl(format!("{why}: {url}")));
    let Some(rest) = url.strip_prefix("https://") else {
        return reject("not https");
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.to_ascii_lowercase();
    let region = host.strip_prefix("sns.").and_then(|h| {
        h.strip_suffix(".amazonaws.com")
            .or_else(|| h.strip_suffix(".amazonaws.com.cn"))
    });
    match region {
        Some(r) if r.len() >= 3 && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {}
        _ => return reject("host is not sns.<region>.amazonaws.com"),
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    if !path.ends_with(".pem") {
        return reject("path does not end in .pem");
    }
    Ok(())
}

/// Verifies an SNS notification at time `at`: only then may its content be trusted.
pub fn verify(
    envelope: &SnsEnvelope,
    source: &dyn CertificateSource,
    at: Timestamp,
) -> Result<(), IpnError> {
    if envelope.message_type != "Notification" {
        return Err(IpnError::NotANotification(envelope.message_type.clone()));
    }
    check_cert_url(&envelope.signing_cert_url)?;
    let pem = source.pem(&envelope.signing_cert_url)?;
    let key = certificate_key(&pem, at)?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(envelope.signature.trim())
        .map_err(|_| IpnError::MalformedSignature)?;
    let signature =
        Signature::try_from(signature.as_slice()).map_err(|_| IpnError::MalformedSignature)?;
    let message = envelope.string_to_sign();
    let verified = match envelope.signature_version.as_str() {
        "1" => VerifyingKey::<sha1::Sha1>::new(key).verify(message.as_bytes(), &signature),
        "2" => VerifyingKey::<sha2::Sha256>::new(key).verify(message.as_bytes(), &signature),
        other => return Err(IpnError::UnsupportedSignatureVersion(other.to_owned())),
    };
    verified.map_err(|_| IpnError::BadSignature)
}

/// The RSA public key of a PEM certificate that is valid at `at`.
fn certificate_key(pem: &str, at: Timestamp) -> Result<RsaPublicKey, IpnError> {
    let malformed = |e: &dyn std::fmt::Display| IpnError::MalformedCertificate(e.to_string());
    let cert = Certificate::from_pem(pem.as_bytes()).map_err(|e| malformed(&e))?;
    let validity = &cert.tbs_certificate.validity;
    let unix = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
    let text =
        |secs: i64| Timestamp::from_unix(secs).map_or_else(|| secs.to_string(), |t| t.to_wire());
    let (not_before, not_after) = (unix(validity.not_before), unix(validity.not_after));
    if at.unix() < not_before {
        return Err(IpnError::CertificateNotYetValid {
            not_before: text(not_before),
            at: at.to_wire(),
        });
    }
    if at.unix() > not_after {
        return Err(IpnError::CertificateExpired {
            not_after: text(not_after),
            at: at.to_wire(),
        });
    }
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| malformed(&e))?;
    RsaPublicKey::from_public_key_der(&spki).map_err(|e| malformed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cert_url_rules() {
        assert!(
            check_cert_url("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem")
                .is_ok()
        );
        assert!(check_cert_url("https://sns.cn-north-1.amazonaws.com.cn/x.pem").is_ok());
        for bad in [
            "http://sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com.evil.com/x.pem",
            "https://evil.com/sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com/x.txt",
            "https://sns..amazonaws.com/x.pem",
            "https://sns.a_b.amazonaws.com/x.pem",
        ] {
            assert!(
                matches!(check_cert_url(bad), Err(IpnError::InvalidCertUrl(_))),
                "{bad}"
            );
        }
    }
}
