//! RSA keys for v2 signing: the merchant's private key (loaded once from PEM, never shown) and
//! the public key the service (or the simulator) verifies with. The algorithms and the errors
//! are the runtime's (`amazon_pay_runtime::v2::key`).
//!
//! The private-key operation is OpenSSL's: blinded, constant-time modular exponentiation, so a
//! server that signs many requests does not leak its key through timing (the RustCrypto `rsa`
//! crate carries RUSTSEC-2023-0071 for exactly that). OpenSSL clears the key's numbers when the
//! key is freed (`BN_clear_free`), which is what "zeroized on drop" means here.

use std::fmt;
use std::sync::Mutex;

use openssl::error::ErrorStack;
use openssl::md::Md;
use openssl::pkey::{HasPublic, PKey, Private, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use openssl::sign::RsaPssSaltlen;
use sha2::{Digest, Sha256};

use amazon_pay_runtime::v2::key::{Algorithm, KeyError, SigningKey};

/// Initialised signing or verifying contexts of one algorithm, reused: setting one up costs as
/// much as a third of a signature (and more than the verification itself), and OpenSSL allows
/// any number of operations per initialised context. Each is used by one caller at a time.
struct ContextPool<T> {
    algorithm: Algorithm,
    free: Mutex<Vec<PkeyCtx<T>>>,
}

impl<T: HasPublic> ContextPool<T> {
    /// An empty pool per algorithm, indexed by `Algorithm as usize`.
    fn per_algorithm() -> [ContextPool<T>; 2] {
        Algorithm::ALL.map(|algorithm| ContextPool {
            algorithm,
            free: Mutex::new(Vec::new()),
        })
    }

    /// Runs `operation` on a free context, or on a new one `init` readies for it (`sign_init`,
    /// `verify_init`); the context goes back to the pool unless the operation failed.
    fn with<R>(
        &self,
        key: &PKey<T>,
        init: fn(&mut PkeyCtx<T>) -> Result<(), ErrorStack>,
        operation: impl FnOnce(&mut PkeyCtx<T>) -> Result<R, ErrorStack>,
    ) -> Result<R, ErrorStack> {
        let reused = self.free.lock().ok().and_then(|mut free| free.pop());
        let mut ctx = match reused {
            Some(ctx) => ctx,
            None => pss_context(key, self.algorithm, init)?,
        };
        let result = operation(&mut ctx)?;
        if let Ok(mut free) = self.free.lock() {
            free.push(ctx);
        }
        Ok(result)
    }
}

/// A context for RSASSA-PSS of `algorithm` over SHA-256 digests, MGF1-SHA-256.
fn pss_context<T: HasPublic>(
    key: &PKey<T>,
    algorithm: Algorithm,
    init: fn(&mut PkeyCtx<T>) -> Result<(), ErrorStack>,
) -> Result<PkeyCtx<T>, ErrorStack> {
    let mut ctx = PkeyCtx::new(key)?;
    init(&mut ctx)?;
    ctx.set_rsa_padding(Padding::PKCS1_PSS)?;
    ctx.set_signature_md(Md::sha256())?;
    ctx.set_rsa_mgf1_md(Md::sha256())?;
    ctx.set_rsa_pss_saltlen(RsaPssSaltlen::custom(algorithm.salt_len()))?;
    Ok(ctx)
}

/// The merchant's RSA private key. Load it once and share it (it is `Send + Sync`); `Debug`
/// shows only the key size.
pub struct PrivateKey {
    key: PKey<Private>,
    pools: [ContextPool<Private>; 2],
}

impl PrivateKey {
    /// Reads a PKCS#1 or PKCS#8 PEM private key (the file Seller Central hands out).
    pub fn from_pem(pem: &[u8]) -> Result<PrivateKey, KeyError> {
        let key = PKey::private_key_from_pem(pem).map_err(|_| KeyError::NotAPrivateKey)?;
        PrivateKey::from_key(key)
    }

    fn from_key(key: PKey<Private>) -> Result<PrivateKey, KeyError> {
        if key.rsa().is_err() {
            return Err(KeyError::NotAPrivateKey);
        }
        if key.bits() < 2048 {
            return Err(KeyError::TooShort(key.bits()));
        }
        Ok(PrivateKey {
            key,
            pools: ContextPool::per_algorithm(),
        })
    }

    /// A new random 2048-bit key (tests, the simulator's built-in merchants).
    pub fn generate() -> Result<PrivateKey, KeyError> {
        let failed = |e: openssl::error::ErrorStack| KeyError::Signing(e.to_string());
        let rsa = openssl::rsa::Rsa::generate(2048).map_err(failed)?;
        PrivateKey::from_key(PKey::from_rsa(rsa).map_err(failed)?)
    }

    /// The PKCS#8 PEM text of the key, for handing a generated test key to another program
    /// (an SDK under test). Zeroized when dropped.
    pub fn to_pem(&self) -> Result<zeroize::Zeroizing<String>, KeyError> {
        let pem = self
            .key
            .private_key_to_pem_pkcs8()
            .map_err(|e| KeyError::Signing(e.to_string()))?;
        // PEM is ASCII; the buffer moves into the string, so no unzeroized copy is left.
        String::from_utf8(pem)
            .map(zeroize::Zeroizing::new)
            .map_err(|_| KeyError::NotAPrivateKey)
    }

    /// The matching public key.
    pub fn public_key(&self) -> Result<PublicKey, KeyError> {
        let der = self
            .key
            .public_key_to_der()
            .map_err(|_| KeyError::NotAPublicKey)?;
        let key = PKey::public_key_from_der(&der).map_err(|_| KeyError::NotAPublicKey)?;
        Ok(PublicKey::from_key(key))
    }

    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// RSASSA-PSS signature of `message` (hashed here with SHA-256).
    pub fn sign(&self, algorithm: Algorithm, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.sign_digest(algorithm, &Sha256::digest(message))
    }

    /// RSASSA-PSS signature of a SHA-256 digest.
    pub fn sign_digest(&self, algorithm: Algorithm, digest: &[u8]) -> Result<Vec<u8>, KeyError> {
        let pool = &self.pools[algorithm as usize];
        debug_assert_eq!(pool.algorithm, algorithm);
        let mut signature = Vec::with_capacity(self.key.size());
        pool.with(
            &self.key,
            |ctx| ctx.sign_init(),
            |ctx| ctx.sign_to_vec(digest, &mut signature),
        )
        .map_err(|e| KeyError::Signing(e.to_string()))?;
        Ok(signature)
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(RSA {} bits, ***)", self.key.bits())
    }
}

impl SigningKey for PrivateKey {
    fn sign(&self, algorithm: Algorithm, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        PrivateKey::sign(self, algorithm, message)
    }
}

/// An RSA public key, to verify v2 signatures (the service's side, the simulator, tests).
pub struct PublicKey {
    key: PKey<Public>,
    pools: [ContextPool<Public>; 2],
}

impl Clone for PublicKey {
    fn clone(&self) -> PublicKey {
        PublicKey::from_key(self.key.clone())
    }
}

impl PublicKey {
    /// Reads an SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`) PEM public key.
    pub fn from_pem(pem: &[u8]) -> Result<PublicKey, KeyError> {
        let key = PKey::public_key_from_pem(pem)
            .or_else(|_| openssl::rsa::Rsa::public_key_from_pem_pkcs1(pem).and_then(PKey::from_rsa))
            .map_err(|_| KeyError::NotAPublicKey)?;
        if key.rsa().is_err() {
            return Err(KeyError::NotAPublicKey);
        }
        Ok(PublicKey::from_key(key))
    }

    fn from_key(key: PKey<Public>) -> PublicKey {
        PublicKey {
            key,
            pools: ContextPool::per_algorithm(),
        }
    }

    /// The SPKI PEM text (`BEGIN PUBLIC KEY`), as Seller Central shows it.
    pub fn to_pem(&self) -> String {
        self.key
            .public_key_to_pem()
            .map(|pem| String::from_utf8_lossy(&pem).into_owned())
            .unwrap_or_default()
    }

    /// Whether `signature` is a valid RSASSA-PSS signature of `message` under `algorithm`,
    /// with exactly that algorithm's salt length (a strict verifier, like the service should
    /// be).
    pub fn verify(&self, algorithm: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        let pool = &self.pools[algorithm as usize];
        debug_assert_eq!(pool.algorithm, algorithm);
        let digest = Sha256::digest(message);
        pool.with(
            &self.key,
            |ctx| ctx.verify_init(),
            |ctx| ctx.verify(&digest, signature),
        )
        .unwrap_or(false)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(RSA {} bits)", self.key.bits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_with_each_salt_and_nothing_else() {
        let key = PrivateKey::generate().unwrap();
        let public = key.public_key().unwrap();
        let message = b"AMZN-PAY-RSASSA-PSS\n8dec52d7";
        for algorithm in Algorithm::ALL {
            // Twice, so the second signature uses a reused context.
            for _ in 0..2 {
                let signature = key.sign(algorithm, message).unwrap();
                assert_eq!(signature.len(), 256);
                assert!(public.verify(algorithm, message, &signature));
                assert!(!public.verify(algorithm, b"AMZN-PAY-RSASSA-PSS\n8dec52d8", &signature));
                let other = Algorithm::ALL
                    .into_iter()
                    .find(|a| *a != algorithm)
                    .unwrap();
                assert!(
                    !public.verify(other, message, &signature),
                    "salt is checked"
                );
            }
        }
    }

    #[test]
    fn pkcs1_and_pkcs8_load_and_debug_hides_the_key() {
        let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
        let pkcs1 = rsa.private_key_to_pem().unwrap();
        let pkcs8 = PKey::from_rsa(rsa)
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap();
        assert!(String::from_utf8_lossy(&pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        for pem in [&pkcs1, &pkcs8] {
            let key = PrivateKey::from_pem(pem).unwrap();
            let shown = format!("{key:?}");
            assert_eq!(shown, "PrivateKey(RSA 2048 bits, ***)");
        }
    }

    #[test]
    fn bad_keys_are_typed_errors_without_key_text() {
        assert_eq!(
            PrivateKey::from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .unwrap_err(),
            KeyError::NotAPrivateKey
        );
        assert_eq!(
            PublicKey::from_pem(b"garbage").unwrap_err(),
            KeyError::NotAPublicKey
        );
        let small = openssl::rsa::Rsa::generate(1024).unwrap();
        assert_eq!(
            PrivateKey::from_pem(&small.private_key_to_pem().unwrap()).unwrap_err(),
            KeyError::TooShort(1024)
        );
    }
}
