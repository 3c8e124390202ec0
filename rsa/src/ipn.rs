//! SNS signature verification of an IPN: certificate URL rules, certificate validity, RSA
//! signature. The envelope and the errors are the runtime's (`amazon_pay_runtime::ipn`).

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Public};
use openssl::sign::Verifier;
use openssl::x509::X509;

use amazon_pay_runtime::Timestamp;
use amazon_pay_runtime::ipn::{IpnError, SnsEnvelope};

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
    let digest = match envelope.signature_version.as_str() {
        "1" => MessageDigest::sha1(),
        "2" => MessageDigest::sha256(),
        other => return Err(IpnError::UnsupportedSignatureVersion(other.to_owned())),
    };
    // RSA keys verify PKCS#1 v1.5 by default. OpenSSL reports a signature of the wrong length
    // as an error rather than `false`: either way the message is not authentic.
    let verified = Verifier::new(digest, &key)
        .and_then(|mut v| v.verify_oneshot(&signature, envelope.string_to_sign().as_bytes()));
    match verified {
        Ok(true) => Ok(()),
        Ok(false) | Err(_) => Err(IpnError::BadSignature),
    }
}

/// The RSA public key of a PEM certificate that is valid at `at`.
fn certificate_key(pem: &str, at: Timestamp) -> Result<PKey<Public>, IpnError> {
    let malformed = |e: &dyn std::fmt::Display| IpnError::MalformedCertificate(e.to_string());
    let cert = X509::from_pem(pem.as_bytes()).map_err(|e| malformed(&e))?;
    let not_before = unix_seconds(cert.not_before()).map_err(|e| malformed(&e))?;
    let not_after = unix_seconds(cert.not_after()).map_err(|e| malformed(&e))?;
    let text =
        |secs: i64| Timestamp::from_unix(secs).map_or_else(|| secs.to_string(), |t| t.to_wire());
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
    let key = cert.public_key().map_err(|e| malformed(&e))?;
    if key.id() != Id::RSA {
        return Err(malformed(&"the public key is not an RSA key"));
    }
    Ok(key)
}

/// Seconds since the Unix epoch of a certificate time (UTCTime or GeneralizedTime).
fn unix_seconds(time: &Asn1TimeRef) -> Result<i64, ErrorStack> {
    let since = Asn1Time::from_unix(0)?.diff(time)?;
    Ok(i64::from(since.days) * 86_400 + i64::from(since.secs))
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

    #[test]
    fn certificate_times_in_unix_seconds() {
        for (asn1, secs) in [
            ("19700101000000Z", 0),
            ("20150101000000Z", 1_420_070_400),
            ("19691231235959Z", -1),
            ("20991231235959Z", 4_102_444_799),
        ] {
            let time = Asn1Time::from_str(asn1).unwrap();
            assert_eq!(unix_seconds(&time).unwrap(), secs, "{asn1}");
        }
    }
}
