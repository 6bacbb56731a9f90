//! Random picks of the collection families (SPOP, SRANDMEMBER, HRANDFIELD): the
//! per-command generator, picks with repetition, and the checks of a random count.

use crate::command::args::parse_i64;
use crate::error::{msg, Error, Result};

/// The most elements a random pick with repetitions (a negative count for
/// SRANDMEMBER, HRANDFIELD) answers. Redis has no bound and builds whatever reply was
/// asked for (a count of -2^62 exhausts its memory); redlite answers Redis's
/// "value is out of range" error beyond this instead.
pub(crate) const MAX_RANDOM_PICKS: u64 = 1 << 24;

/// Below this many picks with repetitions, each pick reads one row by its position;
/// from here on the whole collection is read once.
const FEW_PICKS: u64 = 8;

/// A small pseudo-random generator (SplitMix64) for SPOP, SRANDMEMBER, HRANDFIELD:
/// seeded afresh for each command from the process's random hasher keys and the clock.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new() -> Rng {
        use std::collections::hash_map::RandomState;
        use std::hash::{BuildHasher, Hasher};
        let mut h = RandomState::new().build_hasher();
        if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(t.as_nanos());
        }
        Rng(h.finish())
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform position in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: i64) -> i64 {
        ((self.next_u64() as u128 * n.max(1) as u128) >> 64) as i64
    }
}

/// `n` elements drawn uniformly with repetitions from a collection of `len` elements,
/// read by `page(offset, limit)` in the collection's order.
pub(crate) fn picks_with_repetition<T: Clone>(
    len: i64,
    n: u64,
    mut page: impl FnMut(i64, i64) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    let mut rng = Rng::new();
    if n < FEW_PICKS {
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            out.extend(page(rng.below(len), 1)?);
        }
        return Ok(out);
    }
    let all = page(0, len)?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let len = all.len() as i64;
    Ok((0..n)
        .map(|_| all[rng.below(len) as usize].clone())
        .collect())
}

/// A random-count argument of SRANDMEMBER / HRANDFIELD: an integer in
/// -LONG_MAX..=LONG_MAX (Redis's `getRangeLongFromObjectOrReply` and its text).
pub(crate) fn random_count(arg: &[u8]) -> Result<i64> {
    let n = parse_i64(arg).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
    if n == i64::MIN {
        return Err(Error::redis(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    Ok(n)
}

/// The bound on picks with repetition (see `MAX_RANDOM_PICKS`).
pub(crate) fn check_picks(n: u64) -> Result<()> {
    if n > MAX_RANDOM_PICKS {
        return Err(Error::redis("ERR value is out of range"));
    }
    Ok(())
}
