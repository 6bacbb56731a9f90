//! The hash Redis's HyperLogLog feeds its registers from: MurmurHash2, 64-bit
//! (MurmurHash64A), in the endian-neutral form of hyperloglog.c, with Redis's seed.
//! A register set written by Redis is only usable here if every element lands in the
//! same register with the same run length, so this must match bit for bit.

use super::{P, Q, REGISTERS};

/// The seed `hllPatLen` hashes with.
pub const SEED: u32 = 0xadc8_3b19;

/// MurmurHash64A of `key`: 8-byte words read little endian, the tail folded in from
/// its last byte down, as Redis does on every architecture.
pub fn murmur64a(key: &[u8], seed: u32) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = u64::from(seed) ^ (key.len() as u64).wrapping_mul(M);
    let mut words = key.chunks_exact(8);
    for word in &mut words {
        let mut k = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate().rev() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// Where `element` goes and what it counts (`hllPatLen`): the register is the low P
/// bits of the hash, the count the position of the first 1 bit in the other Q bits
/// (1 for "1", 3 for "001"), at most Q + 1.
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, SEED);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    // The extra bit above the Q used ones ends the run at Q + 1 at the latest.
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of Redis's MurmurHash64A (hyperloglog.c's function, compiled in C) with
    /// Redis's seed; where the hash puts elements is checked against a real Redis in
    /// dense.rs and mod.rs.
    #[test]
    fn murmur64a_as_redis() {
        for (key, want) in [
            (&b""[..], 0xd8df_ea65_85bc_9732_u64),
            (b"a", 0x53d2_470a_9b43_b1a7),
            (b"hello", 0x0f65_6f01_eecf_e400),
            (b"12345678", 0x95eb_b863_8913_2953),
            (b"foobarbaz-0123456789", 0x75e6_10f1_34bf_4946),
        ] {
            assert_eq!(murmur64a(key, SEED), want, "{:?}", key);
        }
    }
}
