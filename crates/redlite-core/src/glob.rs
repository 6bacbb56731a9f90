//! Glob-style patterns exactly as Redis matches them (`stringmatchlen` in util.c):
//! KEYS, SCAN ... MATCH, and later PSUBSCRIBE, HSCAN, CONFIG GET.
//!
//! - `*` any run of bytes, `?` any one byte,
//! - `[abc]`, `[a-z]` (either order: `[z-a]` is the same range), `[^...]` negation,
//! - `\x` matches `x` literally, inside brackets too.
//!
//! Redis's quirks are kept on purpose, since clients see them: an unclosed `[` matches
//! as if it were closed at the end of the pattern; bytes are compared as C's signed
//! `char` inside ranges; reading past the end of the pattern sees a NUL byte (the sds
//! terminator); a pattern never matches the empty string unless it is empty itself;
//! and more than 1000 nested `*` give up (no match), as Redis's protection against
//! abusive patterns does.

/// True if `string` matches `pattern`, byte for byte.
pub fn matches(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, false, &mut skip_longer, 0)
}

/// The same, ignoring ASCII case (Redis's `nocase`).
pub fn matches_nocase(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, true, &mut skip_longer, 0)
}

/// The literal bytes every match must start with: the pattern up to its first special
/// character. Lets a caller narrow a key range in SQL before matching.
pub fn literal_prefix(pattern: &[u8]) -> &[u8] {
    let end = pattern
        .iter()
        .position(|c| matches!(c, b'*' | b'?' | b'[' | b'\\'))
        .unwrap_or(pattern.len());
    &pattern[..end]
}

/// True if the pattern matches everything (`*`): Redis skips matching then.
pub fn is_match_all(pattern: &[u8]) -> bool {
    pattern == b"*"
}

/// The byte at `i`, or NUL past the end, as the C code reads its NUL-terminated sds.
#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

#[inline]
fn lower(c: u8) -> u8 {
    c.to_ascii_lowercase()
}

/// A byte as C's (signed) `char`, widened to int.
#[inline]
fn schar(c: u8) -> i32 {
    c as i8 as i32
}

fn match_impl(pat: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: u32) -> bool {
    if nesting > 1000 {
        return false;
    }
    // `p` and `i` walk the pattern and the string; `plen` and `slen` are what is left,
    // as in the C code, which this follows statement for statement.
    let (mut p, mut plen) = (0usize, pat.len() as isize);
    let (mut i, mut slen) = (0usize, s.len());
    while plen > 0 && slen > 0 {
        match at(pat, p) {
            b'*' => {
                while plen > 0 && at(pat, p + 1) == b'*' {
                    p += 1;
                    plen -= 1;
                }
                if plen == 1 {
                    return true;
                }
                while slen > 0 {
                    if match_impl(&pat[p + 1..], &s[i..], nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    i += 1;
                    slen -= 1;
                }
                // No match for the rest of the pattern anywhere in the rest of the
                // string: an earlier '*' matching more cannot help either.
                *skip_longer = true;
                return false;
            }
            b'?' => {
                i += 1;
                slen -= 1;
            }
            b'[' => {
                p += 1;
                plen -= 1;
                let not = at(pat, p) == b'^';
                if not {
                    p += 1;
                    plen -= 1;
                }
                let c = at(s, i);
                let mut hit = false;
                loop {
                    if at(pat, p) == b'\\' && plen >= 2 {
                        p += 1;
                        plen -= 1;
                        if at(pat, p) == c {
                            hit = true;
                        }
                    } else if at(pat, p) == b']' {
                        break;
                    } else if plen == 0 {
                        // Unclosed bracket: step back so the advance below ends it.
                        p -= 1;
                        plen += 1;
                        break;
                    } else if plen >= 3 && at(pat, p + 1) == b'-' {
                        let (mut start, mut end, mut ch) =
                            (schar(at(pat, p)), schar(at(pat, p + 2)), schar(c));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = c_tolower(start);
                            end = c_tolower(end);
                            ch = c_tolower(ch);
                        }
                        p += 2;
                        plen -= 2;
                        if ch >= start && ch <= end {
                            hit = true;
                        }
                    } else if nocase {
                        if lower(at(pat, p)) == lower(c) {
                            hit = true;
                        }
                    } else if at(pat, p) == c {
                        hit = true;
                    }
                    p += 1;
                    plen -= 1;
                }
                if not {
                    hit = !hit;
                }
                if !hit {
                    return false;
                }
                i += 1;
                slen -= 1;
            }
            first => {
                let mut pc = first;
                if first == b'\\' && plen >= 2 {
                    p += 1;
                    plen -= 1;
                    pc = at(pat, p);
                }
                let sc = at(s, i);
                let same = if nocase {
                    lower(pc) == lower(sc)
                } else {
                    pc == sc
                };
                if !same {
                    return false;
                }
                i += 1;
                slen -= 1;
            }
        }
        p += 1;
        plen -= 1;
        if slen == 0 {
            while at(pat, p) == b'*' {
                p += 1;
                plen -= 1;
            }
            break;
        }
    }
    plen == 0 && slen == 0
}

/// C's `tolower` on a (possibly negative) char value: only 'A'..='Z' change.
fn c_tolower(c: i32) -> i32 {
    if (b'A' as i32..=b'Z' as i32).contains(&c) {
        c + 32
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn stars_and_questions() {
        assert!(m("*", "anything"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("a*b*c", "aXXbYYc"));
        assert!(!m("a*b*c", "aXXbYY"));
        assert!(m("**", "x"));
        assert!(m("a**", "a"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        // Redis: a non-empty pattern never matches the empty string.
        assert!(!m("*", ""));
        assert!(!m("?", ""));
    }

    #[test]
    fn brackets() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        assert!(m("[\\]]", "]"));
        // "[a-]": the range runs from 'a' to ']' (swapped), the bracket stays open.
        assert!(m("[a-]", "^"));
        assert!(!m("[a-]", "-"));
        // An unclosed bracket runs to the end of the pattern.
        assert!(m("[abc", "a"));
        assert!(!m("[abc", "ab"));
        assert!(!m("x[", "x"));
        // Ranges compare as signed chars: 0x80..0xff sort below ASCII.
        assert!(matches(b"[\x80-a]", b"0"));
        assert!(!matches(b"[a-\xff]", b"b"));
        assert!(matches(b"[a-\xff]", b"0"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\?b", "a?b"));
        assert!(!m("a\\?b", "axb"));
        // A trailing backslash is a literal backslash.
        assert!(m("a\\", "a\\"));
    }

    #[test]
    fn nocase_and_binary() {
        assert!(matches_nocase(b"HeL*", b"hello"));
        assert!(matches_nocase(b"[A-C]x", b"bX"));
        assert!(!matches(b"HeL*", b"hello"));
        assert!(matches(b"k\x00*", b"k\x00\xff"));
        assert!(matches(b"*\xff", b"\x00\xff"));
    }

    #[test]
    fn abusive_patterns_end() {
        let pat = "a*".repeat(40) + "b";
        let s = "a".repeat(60);
        assert!(!m(&pat, &s));
    }

    #[test]
    fn prefixes() {
        assert_eq!(literal_prefix(b"user:*"), b"user:");
        assert_eq!(literal_prefix(b"a\\*b"), b"a");
        assert_eq!(literal_prefix(b"abc"), b"abc");
        assert_eq!(literal_prefix(b"[a]bc"), b"");
    }
}
