//! A small, fast generator (splitmix64) for numbers that must not repeat or be
//! predictable by chance, but need not be secret: random members (ZRANDMEMBER) and
//! the first version of a new key row (see `keyspace::create`).

use std::cell::Cell;

/// splitmix64: 64 bits of state, full period, good enough statistics for sampling.
pub struct Rng(u64);

thread_local! {
    static THREAD: Cell<u64> = Cell::new(os_seed());
}

/// 64 bits from the operating system, or (without OS randomness) from the clock and
/// this thread's stack address, never a panic.
fn os_seed() -> u64 {
    let mut buf = [0u8; 8];
    match getrandom::fill(&mut buf) {
        Ok(()) => u64::from_le_bytes(buf),
        Err(_) => crate::db::now_us() as u64 ^ (buf.as_ptr() as u64).rotate_left(32),
    }
}

/// The next number of this thread's generator.
pub fn next_u64() -> u64 {
    THREAD.with(|state| {
        let mut rng = Rng(state.get());
        let v = rng.next_u64();
        state.set(rng.0);
        v
    })
}

impl Default for Rng {
    fn default() -> Rng {
        Rng::new()
    }
}

impl Rng {
    /// A generator of its own, seeded from this thread's.
    pub fn new() -> Rng {
        Rng(next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }
}
