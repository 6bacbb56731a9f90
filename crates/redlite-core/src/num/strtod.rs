//! C's `strtod`, byte for byte as Redis sees it: Redis reads float arguments
//! (scores, increments, weights, timeouts) with `strtod`, so hex floats such as
//! "0x1p3" pass, a number out of a double's range is an error (ERANGE), and what
//! counts as "the whole argument" follows C's rules. Every float parser of the engine
//! is built on `strtod` here.

/// C's `isspace` in the "C" locale.
pub fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// C's `strtod` on `s`: the value, how many bytes it read (0 when it found no number:
/// leading spaces are then not counted either), and whether it would set ERANGE (a
/// finite number too large, or a non-zero one too small, for a double).
pub fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = s.iter().take_while(|&&c| is_c_space(c)).count();
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let sign = if negative { -1.0 } else { 1.0 };
    let rest = &s[i..];
    let starts =
        |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
    if starts(b"infinity") {
        return (sign * f64::INFINITY, i + 8, false);
    }
    if starts(b"inf") {
        return (sign * f64::INFINITY, i + 3, false);
    }
    if starts(b"nan") {
        // The optional "(chars)" is not read: a NaN is refused whatever follows.
        return (f64::NAN, i + 3, false);
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        return match strtod_hex(&rest[2..]) {
            Some((v, n, erange)) => (sign * v, i + 2 + n, erange),
            // "0x" and no hex digit: strtod reads the "0" alone.
            None => (sign * 0.0, i + 1, false),
        };
    }
    let digits = |from: usize| {
        rest[from.min(rest.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let int_digits = digits(0);
    let mut j = int_digits;
    let mut frac_digits = 0;
    if rest.get(j) == Some(&b'.') {
        frac_digits = digits(j + 1);
        if int_digits + frac_digits > 0 {
            j += 1 + frac_digits;
        }
    }
    if int_digits + frac_digits == 0 {
        return (0.0, 0, false);
    }
    let nonzero_mantissa = rest[..j].iter().any(|c| (b'1'..=b'9').contains(c));
    if matches!(rest.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(rest.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let exp_digits = digits(k);
        if exp_digits > 0 {
            j = k + exp_digits;
        }
    }
    let text = std::str::from_utf8(&rest[..j]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    // glibc sets ERANGE for a result that overflows, underflows to zero, or is
    // subnormal.
    let erange =
        v.is_infinite() || (v == 0.0 && nonzero_mantissa) || (v != 0.0 && v < f64::MIN_POSITIVE);
    (sign * v, i + j, erange)
}

/// The hexadecimal part of a strtod number after "0x": hex digits with an optional
/// point, then an optional binary exponent "p[+-]digits". None without a hex digit.
fn strtod_hex(s: &[u8]) -> Option<(f64, usize, bool)> {
    let mut mantissa: u64 = 0;
    let mut exp: i64 = 0;
    let mut any = false;
    let mut seen_point = false;
    let mut j = 0;
    while let Some(&c) = s.get(j) {
        if let Some(d) = (c as char).to_digit(16) {
            any = true;
            if mantissa >> 56 == 0 {
                mantissa = mantissa * 16 + d as u64;
                if seen_point {
                    exp -= 4;
                }
            } else if !seen_point {
                // Past 56 bits the digit only scales (its bits are below a double's).
                exp += 4;
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        j += 1;
    }
    if !any {
        return None;
    }
    if matches!(s.get(j), Some(b'p' | b'P')) {
        let mut k = j + 1;
        let negative = match s.get(k) {
            Some(b'-') => {
                k += 1;
                true
            }
            Some(b'+') => {
                k += 1;
                false
            }
            _ => false,
        };
        let start = k;
        let mut e: i64 = 0;
        while let Some(c) = s.get(k).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + (c - b'0') as i64).min(1 << 20);
            k += 1;
        }
        if k > start {
            exp += if negative { -e } else { e };
            j = k;
        }
    }
    let mut v = mantissa as f64;
    let mut e = exp;
    while e > 1000 {
        v *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        v *= 2f64.powi(-1000);
        e += 1000;
    }
    v *= 2f64.powi(e as i32);
    Some((v, j, v.is_infinite() || (v == 0.0 && mantissa != 0)))
}
