//! `split_args` (Redis's sdssplitargs, for inline commands): never panics, and what
//! it splits out joins back into a line it splits the same way when every argument
//! is re-quoted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redlite_server::parse::split_args;

/// An argument in double quotes, every byte escaped as sdssplitargs reads it back.
fn quote(arg: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    for &b in arg {
        out.extend_from_slice(format!("\\x{:02x}", b).as_bytes());
    }
    out.push(b'"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some(args) = split_args(data) else {
        return;
    };
    let line: Vec<u8> = args
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(&b' ');
    assert_eq!(split_args(&line), Some(args));
});
