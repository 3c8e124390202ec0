//! HMAC-SHA256 keyed once per secret key.
//!
//! Absorbing the key costs two SHA-256 blocks (the inner and the outer pad), a typical request
//! six to ten more; so the state after the key is computed when the [`SecretKey`] is made and
//! cloned for each request, instead of keying a new HMAC every time.
//!
//! That state is as good as the key for forging signatures, and hmac 0.12 cannot zeroize it,
//! so this module does. It drives hmac's core (`HmacCore`: the inner and outer SHA-256 states)
//! and a block buffer itself, rather than through the `Hmac` wrapper, because the wrapper
//! finalizes either by value (a moved copy this module could not wipe) or, with hmac's `reset`
//! feature, by restoring a third saved state (more to copy and wipe on every signature). Both
//! parts are flat (integers and arrays of them, no pointer, no `Drop`), so every copy this
//! module makes, the cached core and each request's core and buffer, is overwritten with
//! zeros, a word at a time, when dropped.
//!
//! [`SecretKey`]: crate::v1::credentials::SecretKey

use base64::Engine as _;
use hmac::HmacCore;
use hmac::digest::KeyInit;
use hmac::digest::core_api::{Buffer, FixedOutputCore, UpdateCore};
use sha2::Sha256;

type Core = HmacCore<Sha256>;

// A type without drop glue frees nothing when dropped: a future hmac or block buffer that
// started to allocate would fail here rather than be wiped as if it were flat.
const _: () = assert!(!std::mem::needs_drop::<Core>() && !std::mem::needs_drop::<Buffer<Core>>());

/// The key absorbed: HMAC-SHA256's inner and outer states after their pad blocks. Wiped on
/// drop.
pub(crate) struct KeyedMac(Core);

/// One message being absorbed: a copy of the keyed core and the partial block. Wiped on drop.
/// Word-aligned so that the wipe writes whole words.
#[repr(C, align(8))]
struct Absorbing {
    core: Core,
    buffer: Buffer<Core>,
}

impl KeyedMac {
    pub(crate) fn new(key: &[u8]) -> KeyedMac {
        // HMAC accepts keys of any length, so this cannot fail.
        KeyedMac(Core::new_from_slice(key).unwrap_or_else(|_| unreachable!()))
    }

    /// The base64 HMAC of `parts`, concatenated.
    pub(crate) fn sign(&self, parts: &[&str]) -> String {
        // Base64 is ASCII.
        String::from_utf8_lossy(&self.sign_base64(parts)).into_owned()
    }

    /// The base64 HMAC of `parts` as bytes, for a caller that copies it on at once (no
    /// allocation, and no UTF-8 check of text known to be ASCII).
    pub(crate) fn sign_base64(&self, parts: &[&str]) -> [u8; 44] {
        let mut out = [0u8; 44];
        // 32 bytes are always 44 base64 characters.
        let _ = base64::engine::general_purpose::STANDARD.encode_slice(self.tag(parts), &mut out);
        out
    }

    fn tag(&self, parts: &[&str]) -> [u8; 32] {
        let mut mac = Absorbing {
            core: self.0.clone(),
            buffer: Buffer::<Core>::default(),
        };
        let Absorbing { core, buffer } = &mut mac;
        for part in parts {
            buffer.digest_blocks(part.as_bytes(), |blocks| core.update_blocks(blocks));
        }
        let mut tag = Default::default();
        // In place: the copy finalized is `mac`'s, which its drop wipes.
        core.finalize_fixed_core(buffer, &mut tag);
        tag.into()
    }
}

impl Clone for KeyedMac {
    fn clone(&self) -> KeyedMac {
        KeyedMac(self.0.clone())
    }
}

impl zeroize::Zeroize for KeyedMac {
    fn zeroize(&mut self) {
        // SAFETY: `Core` holds only integers and arrays of them (checked in part by the
        // `needs_drop` assertion above), so all-zero bytes are a valid value of it: a wiped
        // state can still be used (it signs garbage) and dropped.
        unsafe { wipe(&mut self.0) }
    }
}

impl Drop for KeyedMac {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl Drop for Absorbing {
    fn drop(&mut self) {
        // SAFETY: as for `KeyedMac`, and the buffer is bytes and a position; the padding
        // `repr(C)` adds may hold anything.
        unsafe { wipe(self) }
    }
}

/// Overwrites `value` with zeros a word at a time: `zeroize_flat_type` writes a byte at a
/// time, which costs a few hundred volatile stores on every signature. A type whose size or
/// alignment words do not tile fails to compile.
///
/// # Safety
///
/// All-zero bytes must be a valid `T`, and `T` must own nothing behind a pointer.
unsafe fn wipe<T>(value: &mut T) {
    const WORD: usize = std::mem::size_of::<u64>();
    const {
        assert!(std::mem::size_of::<T>() % WORD == 0);
        assert!(std::mem::align_of::<T>() >= std::mem::align_of::<u64>());
    }
    let words = std::ptr::from_mut(value).cast::<u64>();
    for i in 0..std::mem::size_of::<T>() / WORD {
        // SAFETY: the words tile `value` exactly and are aligned (asserted above), `&mut`
        // is exclusive, and the caller vouches for zeros. Volatile, so the stores are not
        // removed as dead before the memory is dropped.
        unsafe { std::ptr::write_volatile(words.add(i), 0) };
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
        assert_eq!(
            &key.sign_base64(&["my_test_string"]),
            b"JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E="
        );
    }

    /// Drops `value` in place and tells whether every byte it occupied is then zero.
    fn wiped_when_dropped<T>(value: T) -> bool {
        let mut value = std::mem::ManuallyDrop::new(value);
        // SAFETY: dropped once, and afterwards only its bytes are read, all of which the
        // wipe has written (padding included).
        unsafe { std::mem::ManuallyDrop::drop(&mut value) };
        let bytes = unsafe {
            std::slice::from_raw_parts((&raw const *value).cast::<u8>(), std::mem::size_of::<T>())
        };
        bytes.iter().all(|&b| b == 0)
    }

    #[test]
    fn dropping_wipes_the_state() {
        let state = KeyedMac::new(b"mws_secret_key");
        assert!(!state.sign(&["x"]).is_empty());
        assert!(wiped_when_dropped(state));
    }

    #[test]
    fn dropping_wipes_a_request_copy() {
        // A partial block in the buffer, as a request leaves it before finalizing.
        let mut mac = Absorbing {
            core: KeyedMac::new(b"mws_secret_key").0.clone(),
            buffer: Buffer::<Core>::default(),
        };
        let Absorbing { core, buffer } = &mut mac;
        buffer.digest_blocks(&[0xA5; 100], |blocks| core.update_blocks(blocks));
        assert!(wiped_when_dropped(mac));
    }
}
