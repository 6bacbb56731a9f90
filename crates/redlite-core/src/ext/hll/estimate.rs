//! The cardinality estimate of Redis 7.0 (`hllCount`): Otmar Ertl's improved raw
//! estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
//! arXiv:1702.01284) over the histogram of register values. Same operations in the
//! same order as hyperloglog.c, so the same doubles and the same rounded answer.

use super::{Q, REGISTERS};

/// 0.5 / ln(2).
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// Ertl's sigma, for the registers still at zero.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if before == z {
            return z;
        }
    }
}

/// Ertl's tau, for the registers at Q + 1 (a hash whose Q high bits were all zero).
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        // pow(1 - x, 2) in C: the square, rounded once.
        z -= (1.0 - x) * (1.0 - x) * y;
        if before == z {
            return z / 3.0;
        }
    }
}

/// The estimated cardinality from `hist[v]` = how many registers hold `v`. Values
/// above Q + 1 (only a corrupt dense value has them) count for nothing, as in Redis.
pub fn cardinality(hist: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - f64::from(hist[Q + 1])) / m);
    for j in (1..=Q).rev() {
        z += f64::from(hist[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(hist[0]) / m);
    (ALPHA_INF * m * m / z).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_small_sets() {
        let mut hist = [0u32; 64];
        hist[0] = REGISTERS as u32;
        assert_eq!(cardinality(&hist), 0);
        // Redis 7.0.15: PFADD k a b c sets three registers (values 1, 2, 1): 3.
        hist[0] -= 3;
        hist[1] = 2;
        hist[2] = 1;
        assert_eq!(cardinality(&hist), 3);
    }
}
