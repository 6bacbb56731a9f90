//! The dense encoding: 16384 registers of 6 bits each, packed from the least
//! significant bit of each byte up (register 0 is the low 6 bits of byte 0, register 1
//! its top 2 bits and the low 4 of byte 1, ...), 12288 bytes after the header.

use super::{BITS, REGISTERS};

/// The bytes of a dense register set.
pub const SIZE: usize = (REGISTERS * BITS).div_ceil(8);

const MAX: u16 = (1 << BITS) - 1;

/// Register `i` of `regs`. The last register's second byte is past the end: Redis
/// reads the string's terminating zero there, which is what `0` stands for.
pub fn get(regs: &[u8], i: usize) -> u8 {
    let byte = i * BITS / 8;
    let shift = (i * BITS) & 7;
    let b0 = u16::from(regs[byte]);
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((b0 >> shift) | (b1 << (8 - shift))) & MAX) as u8
}

/// Set register `i` of `regs` to `value` (below 64).
pub fn set(regs: &mut [u8], i: usize, value: u8) {
    let byte = i * BITS / 8;
    let shift = (i * BITS) & 7;
    let v = u16::from(value);
    regs[byte] = (u16::from(regs[byte]) & !(MAX << shift) | (v << shift)) as u8;
    if let Some(next) = regs.get_mut(byte + 1) {
        *next = (u16::from(*next) & !(MAX >> (8 - shift)) | (v >> (8 - shift))) as u8;
    }
}

/// Raise register `i` to `count` if it is lower (`hllDenseSet`); true if it was.
pub fn raise(regs: &mut [u8], i: usize, count: u8) -> bool {
    if count > get(regs, i) {
        set(regs, i, count);
        true
    } else {
        false
    }
}

/// How many registers hold each value (`hllDenseRegHisto`).
pub fn histogram(regs: &[u8], hist: &mut [u32; 64]) {
    // Four registers in every three bytes.
    for b in regs[..SIZE].chunks_exact(3) {
        let (r0, r1, r2) = (b[0], b[1], b[2]);
        hist[usize::from(r0 & 63)] += 1;
        hist[usize::from((r0 >> 6 | r1 << 2) & 63)] += 1;
        hist[usize::from((r1 >> 4 | r2 << 4) & 63)] += 1;
        hist[usize::from(r2 >> 2)] += 1;
    }
}

/// `max[i] = max(max[i], register i)` for every register (`hllMerge`, dense).
pub fn merge_into(regs: &[u8], max: &mut [u8]) {
    for (i, m) in max.iter_mut().enumerate().take(REGISTERS) {
        let v = get(regs, i);
        if v > *m {
            *m = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_keep_their_values_and_leave_their_neighbours_alone() {
        let mut regs = vec![0u8; SIZE];
        let mut want = vec![0u8; REGISTERS];
        let mut rng = crate::rng::Rng::new();
        for _ in 0..3 {
            for (i, w) in want.iter_mut().enumerate() {
                *w = (rng.next_u64() & 63) as u8;
                set(&mut regs, i, *w);
            }
            for (i, w) in want.iter().enumerate() {
                assert_eq!(get(&regs, i), *w, "register {}", i);
            }
        }
    }

    /// Redis 7.0.15, `PFADD d x` then `PFDEBUG TODENSE d`: element "x" sets register
    /// 16374 to 2, which is bits 4..10 of register bytes 12280..12282: byte 12280
    /// (12296 of the value) holds 0x20.
    #[test]
    fn register_layout_as_redis() {
        let mut regs = vec![0u8; SIZE];
        assert!(raise(&mut regs, 16374, 2));
        assert!(!raise(&mut regs, 16374, 1));
        let nonzero: Vec<(usize, u8)> = regs
            .iter()
            .enumerate()
            .filter(|(_, b)| **b != 0)
            .map(|(i, b)| (i, *b))
            .collect();
        assert_eq!(nonzero, vec![(12280, 0x20)]);
        let mut hist = [0u32; 64];
        histogram(&regs, &mut hist);
        assert_eq!((hist[0], hist[2]), (REGISTERS as u32 - 1, 1));
    }
}
