//! RESTORE payloads: the fuzzer writes the value (the first byte is the type), the
//! target adds the version and the CRC-64 the format asks for (one input in sixteen
//! goes as it is, to try the check itself). A payload RESTORE accepts must read back
//! with every read of its type, and DUMP it again must RESTORE to the same DUMP.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use redlite_core::types::{crc64, DUMP_VERSION};
use redlite_core::{Db, Reply, Session};

/// One in-memory database for the run, emptied before each input.
fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| Db::open_memory().expect("an in-memory database"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let payload = if mode & 0x0f == 0 {
        body.to_vec()
    } else {
        let mut p = vec![DUMP_VERSION];
        p.extend_from_slice(body);
        let crc = crc64(0, &p);
        p.extend_from_slice(&crc.to_le_bytes());
        p
    };
    let mut s = Session::new(db().clone());
    s.execute(&["FLUSHALL"]);
    let restored = s.execute(&[b"RESTORE".as_slice(), b"k", b"0", &payload]);
    if restored.is_error() {
        return;
    }
    for argv in [
        &["TYPE", "k"][..],
        &["GET", "k"],
        &["STRLEN", "k"],
        &["LRANGE", "k", "0", "-1"],
        &["LLEN", "k"],
        &["SMEMBERS", "k"],
        &["SCARD", "k"],
        &["HGETALL", "k"],
        &["HLEN", "k"],
        &["ZRANGE", "k", "0", "-1", "WITHSCORES"],
        &["ZCARD", "k"],
        &["XRANGE", "k", "-", "+"],
        &["XLEN", "k"],
        &["XINFO", "STREAM", "k", "FULL"],
        &["XINFO", "GROUPS", "k"],
        &["OBJECT", "ENCODING", "k"],
        &["MEMORY", "USAGE", "k"],
        &["SCAN", "0"],
    ] {
        let _ = s.execute(argv);
    }
    let Reply::Bulk(dump) = s.execute(&["DUMP", "k"]) else {
        panic!("DUMP of a restored key is not a payload");
    };
    let again = s.execute(&[b"RESTORE".as_slice(), b"k2", b"0", &dump]);
    assert_eq!(again, Reply::ok(), "its own DUMP does not RESTORE");
    assert_eq!(s.execute(&["DUMP", "k2"]), Reply::Bulk(dump));
});
