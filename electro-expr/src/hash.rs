//! A fast hasher for the schema's lookup tables, and the placeholder map types.
//!
//! Schema lookups hash short attribute names taken from the model, not from
//! requests, so SipHash's DoS resistance buys nothing there. This is the Fx hash
//! rustc uses. The placeholder maps are [`OrderedMap`](crate::OrderedMap)s: small,
//! and searched in order.

use indexmap::IndexMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (multiply-rotate over 8-byte words).
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            let (word, rest) = bytes.split_at(8);
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.add(u64::from_le_bytes(w));
            bytes = rest;
        }
        if !bytes.is_empty() {
            let mut w = [0u8; 8];
            w[..bytes.len()].copy_from_slice(bytes);
            self.add(u64::from_le_bytes(w) ^ ((bytes.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The `BuildHasher` for [`FxHasher`].
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

/// An insertion-ordered map with the fast hasher (build one with `default()`).
pub type FastMap<K, V> = IndexMap<K, V, FxBuildHasher>;

/// `ExpressionAttributeNames`: `#prop → field`, in registration order.
pub type NameMap = crate::OrderedMap<crate::Name>;

/// `ExpressionAttributeValues`: `:placeholder → value`, in registration order.
/// The same type as [`Map`](crate::Map), so finished values move into params
/// without being rehashed.
pub type ValueMap = crate::Map;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn distinct_short_keys_hash_apart() {
        let b = FxBuildHasher::default();
        let keys = [
            "#a",
            "#b",
            ":a0",
            ":a1",
            "#name",
            "#names",
            "",
            "12345678",
            "123456789",
        ];
        let hashes: std::collections::BTreeSet<u64> = keys.iter().map(|k| b.hash_one(k)).collect();
        assert_eq!(hashes.len(), keys.len());
        let mut m = NameMap::default();
        m.insert("#a".into(), "a".into());
        assert_eq!(m["#a"], "a");
    }
}
