//! HMAC-SHA256 keyed once per secret key.
//!
//! Absorbing the key costs two SHA-256 blocks (the inner and the outer pad), a typical request
//! six to ten more; so the state after the key is computed when the [`SecretKey`] is made and
//! cloned for each request, instead of keying a new HMAC every time.
//!
//! That state is as good as the key for forging signatures, and hmac 0.12 cannot zeroize it,
//! so this type does: `Hmac<Sha256>` is flat (arrays of integers and counters, no pointer, no
//! `Drop`), which is what `zeroize_flat_type` requires, and every copy this module makes (the
//! cached one and each request's) is wiped when dropped.
//!
//! [`SecretKey`]: crate::v1::credentials::SecretKey

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

// `zeroize_flat_type` may only be used on a type that owns nothing behind a pointer; a type
// without drop glue at least frees nothing when dropped, so a future hmac that started to
// allocate would fail here.
const _: () = assert!(!std::mem::needs_drop::<HmacSha256>());

/// An HMAC-SHA256 state: the key absorbed, perhaps some message too. Wiped on drop.
pub(crate) struct KeyedMac(HmacSha256);

impl KeyedMac {
    pub(crate) fn new(key: &[u8]) -> KeyedMac {
        // HMAC accepts keys of any length, so this cannot fail.
        KeyedMac(HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
    }

    /// The base64 HMAC of `parts`, concatenated.
    pub(crate) fn sign(&self, parts: &[&str]) -> String {
        self.sign_into(parts, &mut [0u8; 44]).to_owned()
    }

    /// The base64 HMAC of `parts` written into `out`, for a caller that copies it on at once
    /// (no allocation).
    pub(crate) fn sign_into<'a>(&self, parts: &[&str], out: &'a mut [u8; 44]) -> &'a str {
        // 32 bytes are always 44 base64 characters, which are ASCII.
        let written = base64::engine::general_purpose::STANDARD
            .encode_slice(self.tag(parts), out)
            .unwrap_or_else(|_| unreachable!());
        std::str::from_utf8(&out[..written]).unwrap_or_else(|_| unreachable!())
    }

    fn tag(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac = self.clone();
        for part in parts {
            mac.0.update(part.as_bytes());
        }
        // `finalize_reset` leaves the state in place, so `mac`'s drop wipes it.
        mac.0.finalize_reset().into_bytes().into()
    }
}

impl Clone for KeyedMac {
    fn clone(&self) -> KeyedMac {
        KeyedMac(self.0.clone())
    }
}

// The wipe writes whole words: `zeroize_flat_type` writes a byte at a time, ~200 volatile
// stores on every signature. A size or alignment that words do not tile fails to compile.
const WORD: usize = std::mem::size_of::<u64>();
const _: () = assert!(std::mem::size_of::<HmacSha256>() % WORD == 0);
const _: () = assert!(std::mem::align_of::<HmacSha256>() >= std::mem::align_of::<u64>());

impl zeroize::Zeroize for KeyedMac {
    fn zeroize(&mut self) {
        let words = (&raw mut self.0).cast::<u64>();
        for i in 0..std::mem::size_of::<HmacSha256>() / WORD {
            // SAFETY: the words tile the state exactly and are aligned (asserted above), and
            // `&mut self` is exclusive. `HmacSha256` holds only integers and arrays of them
            // (checked in part by the `needs_drop` assertion above), so all-zero bytes are a
            // valid value of it: a wiped state can still be used (it signs garbage) and
            // dropped. Volatile, so the stores are not removed as dead before the drop.
            unsafe { std::ptr::write_volatile(words.add(i), 0) };
        }
    }
}

impl Drop for KeyedMac {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cloned_state_signs_like_a_fresh_hmac_every_time() {
        // python test_ap.py::test_sign (reference §2.3), signed twice from one keyed state.
        let key = KeyedMac::new(b"mws_secret_key");
        for _ in 0..2 {
            assert_eq!(
                key.sign(&["my_test", "_string"]),
                "JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E="
            );
        }
        let mut out = [0u8; 44];
        assert_eq!(
            key.sign_into(&["my_test_string"], &mut out),
            "JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E="
        );
    }

    #[test]
    fn dropping_wipes_the_state() {
        let mut state = std::mem::ManuallyDrop::new(KeyedMac::new(b"mws_secret_key"));
        assert!(!state.sign(&["x"]).is_empty());
        // SAFETY: dropped once, and afterwards only its bytes are read, all of which the
        // wipe has written (padding included).
        unsafe { std::mem::ManuallyDrop::drop(&mut state) };
        let size = std::mem::size_of::<KeyedMac>();
        let bytes =
            unsafe { std::slice::from_raw_parts((&*state as *const KeyedMac).cast::<u8>(), size) };
        assert!(bytes.iter().all(|&b| b == 0));
    }
}
