//! The request parser (RESP multibulk and inline commands, parse.rs): any bytes, fed
//! whole and fed in pieces, must give the same requests and the same error, and
//! never panic. The first input byte picks the piece size.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use redlite_server::parse::{ProtocolError, RequestParser};

/// Every request the parser finds in `input`, given `chunk` bytes at a time, and the
/// error that stopped it, if any.
fn parse(input: &[u8], chunk: usize) -> (Vec<Vec<Vec<u8>>>, Option<ProtocolError>) {
    let mut parser = RequestParser::new();
    let mut buf = BytesMut::new();
    let mut requests = Vec::new();
    for piece in input.chunks(chunk.max(1)) {
        buf.extend_from_slice(piece);
        loop {
            match parser.next(&mut buf) {
                Ok(Some(argv)) => {
                    assert!(!argv.is_empty(), "an empty request was not skipped");
                    requests.push(argv.iter().map(|a| a.to_vec()).collect());
                }
                Ok(None) => break,
                Err(e) => {
                    // The reply must be one line.
                    let text = e.reply_bytes();
                    assert!(!text.contains(&b'\n') || text.ends_with(b"'"));
                    return (requests, Some(e));
                }
            }
        }
    }
    (requests, None)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    let whole = parse(input, input.len());
    let pieces = parse(input, usize::from(first % 17) + 1);
    assert_eq!(whole, pieces);
});
