//! A tiny seeded random generator and a stable hash, so training and evaluation are reproducible.

/// SplitMix64: small, fast and good enough for shuffling; the seed fixes every draw.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A uniform draw in `0..n` (`n > 0`); the tiny modulo bias does not matter for shuffling.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The SplitMix64 finaliser: spreads every input bit over the output.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit hash of a sequence of `u32`s under a namespace (FNV-1a, then mixed): the same
/// key in every process and every build, unlike std's randomised hasher.
pub(crate) fn hash_u32s(namespace: u64, items: impl IntoIterator<Item = u32>) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325_u64 ^ namespace.wrapping_mul(0x100_0000_01B3);
    for x in items {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x100_0000_01B3);
    }
    mix(h)
}

/// A `HashMap` hasher for keys that are already well-mixed `u64`s: it passes them through, which is
/// both faster than SipHash and deterministic.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_shuffle() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..50).collect();
        Rng::new(8).shuffle(&mut c);
        assert_ne!(a, c);
    }

    #[test]
    fn hash_depends_on_namespace_and_order() {
        assert_ne!(hash_u32s(1, [1, 2]), hash_u32s(2, [1, 2]));
        assert_ne!(hash_u32s(1, [1, 2]), hash_u32s(1, [2, 1]));
        assert_eq!(hash_u32s(3, [5, 6, 7]), hash_u32s(3, [5, 6, 7]));
    }
}
