//! Storage of each Redis type: its SQL in one place, typed Rust functions over it.
//! No function here commits: the caller owns the transaction.

pub mod hash;
pub mod list;
pub mod set;
pub mod stream;
pub mod string;
pub mod zset;

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::keyspace::KeyType;

/// One page of a SCAN over a collection: the items taken, and the first item refused
/// (where the next page starts), if any.
pub type ScanPage<T> = (Vec<T>, Option<Vec<u8>>);

/// Remove the contents of key `id` (of type `ktype`) from its type's table.
pub fn delete_contents(conn: &Connection, id: i64, ktype: KeyType) -> Result<()> {
    match ktype {
        KeyType::String => string::delete(conn, id),
        KeyType::Hash => hash::delete(conn, id),
        KeyType::List => list::delete(conn, id),
        KeyType::Set => set::delete(conn, id),
        KeyType::ZSet => zset::delete(conn, id),
        KeyType::Stream => stream::delete(conn, id),
        KeyType::Ext(code) => crate::ext::delete_contents(conn, id, code),
    }
}

/// Every table that holds the contents of keys, by key_id (a string's value is in
/// its `keys` row).
const CONTENT_TABLES: &[&str] = &[
    "hashes",
    "lists",
    "sets",
    "zsets",
    "stream_meta",
    "stream_entries",
    "stream_nodes",
    "stream_groups",
    "stream_consumers",
    "stream_pel",
];

/// Remove the contents of every key of database `db`.
pub fn delete_contents_of_db(conn: &Connection, db: u32) -> Result<()> {
    for table in CONTENT_TABLES {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE key_id IN (SELECT id FROM keys WHERE db = ?1)"
        ))?
        .execute(params![db])?;
    }
    Ok(())
}

/// Remove the contents of every key.
pub fn delete_all_contents(conn: &Connection) -> Result<()> {
    for table in CONTENT_TABLES {
        conn.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

/// Give key `to` a copy of the contents of key `from`, both of type `ktype` (COPY).
/// `to` has no contents yet. Each type adds its arm here when it lands.
pub fn copy_contents(conn: &Connection, from: i64, to: i64, ktype: KeyType) -> Result<()> {
    match ktype {
        KeyType::String => {
            conn.prepare_cached(
                "UPDATE keys SET (value, raw) = (SELECT value, raw FROM keys WHERE id = ?1) \
                 WHERE id = ?2",
            )?
            .execute(params![from, to])?;
            Ok(())
        }
        KeyType::Hash => hash::copy(conn, from, to),
        KeyType::List => list::copy(conn, from, to),
        KeyType::Set => set::copy(conn, from, to),
        KeyType::ZSet => zset::copy(conn, from, to),
        KeyType::Stream => stream::copy(conn, from, to),
        KeyType::Ext(code) => crate::ext::copy_contents(conn, from, to, code),
    }?;
    // A collection's length and a list's head position travel with its contents.
    conn.prepare_cached(
        "UPDATE keys SET (len, head) = (SELECT len, head FROM keys WHERE id = ?1) WHERE id = ?2",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// OBJECT ENCODING: the encoding Redis 7.0 would choose for this value.
pub fn encoding(conn: &Connection, id: i64, ktype: KeyType) -> Result<&'static str> {
    match ktype {
        KeyType::String => {
            let form = string::form(conn, id)?;
            // Only short values can be "int" or "embstr": no need to read a long one.
            if form == string::Form::Raw || string::len(conn, id)? > EMBSTR_MAX as i64 {
                return Ok("raw");
            }
            if form == string::Form::Plain {
                return Ok("embstr");
            }
            Ok(string_encoding(&string::get(conn, id)?))
        }
        KeyType::List => list::encoding(conn, id, len(conn, id)?),
        KeyType::Set => set::encoding(conn, id, len(conn, id)?),
        KeyType::ZSet => zset::encoding(conn, id, len(conn, id)?),
        KeyType::Hash => hash::encoding(conn, id, len(conn, id)?),
        KeyType::Stream => Ok("stream"),
        KeyType::Ext(code) => crate::ext::encoding(code),
    }
}

/// OBJECT REFCOUNT: Redis shares the integers 0..10000 (refcount INT_MAX); everything
/// else has one reference.
pub fn refcount(conn: &Connection, id: i64, ktype: KeyType) -> Result<i64> {
    if ktype == KeyType::String && string::len(conn, id)? <= 20 {
        if let Some(n) = crate::num::parse_i64(&string::get(conn, id)?) {
            if (0..SHARED_INTEGERS).contains(&n) {
                return Ok(i32::MAX as i64);
            }
        }
    }
    Ok(1)
}

/// Redis's `OBJ_SHARED_INTEGERS`.
const SHARED_INTEGERS: i64 = 10000;
/// Redis's `OBJ_ENCODING_EMBSTR_SIZE_LIMIT`.
const EMBSTR_MAX: usize = 44;

/// Redis's `tryObjectEncoding` for a string written whole (SET): "int" for what
/// `string2l` takes in at most 20 bytes, "embstr" up to 44 bytes, else "raw".
/// (A value edited in place is "raw" whatever it holds: `encoding` checks that first.)
pub fn string_encoding(value: &[u8]) -> &'static str {
    if value.len() <= 20 && crate::num::parse_i64(value).is_some() {
        "int"
    } else if value.len() <= EMBSTR_MAX {
        "embstr"
    } else {
        "raw"
    }
}

// ---------------------------------------------------------------------------------
// DUMP / RESTORE payloads.
//
// redlite's own format (Redis's RDB payloads are not accepted, nor the reverse):
//
//     byte 0          format version, DUMP_VERSION (1)
//     byte 1          the type, as stored in keys.type (0 string, 1 list, 2 set,
//                     3 zset, 4 hash, 5 stream, an extension's code from 16)
//     bytes 2..n-8    the value, encoded by its type (below)
//     last 8 bytes    CRC-64/Jones (Redis's crc64) of every byte before it, little endian
//
// Value encodings:
//     string          the bytes of the value, as they are
//     collections     (as each type lands) a sequence of blobs, each a LEB128 length
//                     followed by its bytes, written with `put_blob`, read with `Reader`
//     stream          the same blobs, laid out as `stream::dump` describes
//     extension type  the same blobs, as its `KeyTypeDef::dump` writes them (by
//                     default `ext::dump_tables`)
//
// RESTORE rejects a payload whose version or checksum is wrong with Redis's
// "ERR DUMP payload version or checksum are wrong", and one that does not decode with
// "ERR Bad data format".
// ---------------------------------------------------------------------------------

/// The payload format this build writes and reads.
pub const DUMP_VERSION: u8 = 1;

const BAD_PAYLOAD: &str = "ERR DUMP payload version or checksum are wrong";
const BAD_DATA: &str = "ERR Bad data format";

/// The DUMP payload of key `id`.
pub fn dump(conn: &Connection, id: i64, ktype: KeyType) -> Result<Vec<u8>> {
    let mut out = vec![DUMP_VERSION, ktype.code() as u8];
    match ktype {
        KeyType::String => out.extend_from_slice(&string::get(conn, id)?),
        KeyType::Hash => hash::dump(conn, id, &mut out)?,
        KeyType::List => list::dump(conn, id, &mut out)?,
        KeyType::Set => set::dump(conn, id, &mut out)?,
        KeyType::ZSet => zset::dump(conn, id, &mut out)?,
        KeyType::Stream => stream::dump(conn, id, &mut out)?,
        KeyType::Ext(code) => crate::ext::dump(conn, id, code, &mut out)?,
    }
    let crc = crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// A payload that passed its version and checksum test: the type and the value bytes.
#[derive(Debug)]
pub struct Payload<'a> {
    pub ktype: KeyType,
    body: &'a [u8],
}

/// Check a payload's version and checksum, and read its type.
pub fn verify_payload(payload: &[u8]) -> Result<Payload<'_>> {
    if payload.len() < 10 {
        return Err(Error::redis(BAD_PAYLOAD));
    }
    let (data, footer) = payload.split_at(payload.len() - 8);
    let mut crc = [0u8; 8];
    crc.copy_from_slice(footer);
    if data[0] != DUMP_VERSION || u64::from_le_bytes(crc) != crc64(0, data) {
        return Err(Error::redis(BAD_PAYLOAD));
    }
    let ktype = KeyType::from_i64(data[1] as i64).ok_or_else(|| Error::redis(BAD_DATA))?;
    Ok(Payload {
        ktype,
        body: &data[2..],
    })
}

/// Store the value of a verified payload as the contents of key `id` (which has none).
pub fn restore(conn: &Connection, id: i64, payload: &Payload<'_>) -> Result<()> {
    match payload.ktype {
        KeyType::String => string::put(conn, id, payload.body),
        KeyType::Stream | KeyType::Ext(_) => {
            // A stream (or an extension's value) may be empty: its length is
            // whatever the payload holds.
            let mut body = Reader::new(payload.body);
            let n = match payload.ktype {
                KeyType::Ext(code) => crate::ext::restore(conn, id, code, &mut body)?,
                _ => stream::restore(conn, id, &mut body)?,
            };
            if !body.is_empty() {
                return Err(Error::redis(BAD_DATA));
            }
            conn.prepare_cached("UPDATE keys SET len = ?2, head = 0 WHERE id = ?1")?
                .execute(params![id, n])?;
            Ok(())
        }
        collection => {
            let mut body = Reader::new(payload.body);
            let n = match collection {
                KeyType::Hash => hash::restore(conn, id, &mut body)?,
                KeyType::List => list::restore(conn, id, &mut body)?,
                KeyType::Set => set::restore(conn, id, &mut body)?,
                _ => zset::restore(conn, id, &mut body)?,
            };
            if !body.is_empty() || n == 0 {
                return Err(Error::redis(BAD_DATA));
            }
            conn.prepare_cached("UPDATE keys SET len = ?2, head = 0 WHERE id = ?1")?
                .execute(params![id, n])?;
            Ok(())
        }
    }
}

/// The stored element count of key `id`.
fn len(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT len FROM keys WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))?)
}

/// Append a length-prefixed blob to a payload being built.
pub fn put_blob(out: &mut Vec<u8>, blob: &[u8]) {
    let mut n = blob.len() as u64;
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(blob);
}

/// Reads the blobs of a payload's value; a short or malformed payload is "Bad data format".
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(body: &'a [u8]) -> Reader<'a> {
        Reader { rest: body }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub fn blob(&mut self) -> Result<&'a [u8]> {
        let mut n: u64 = 0;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self
                .rest
                .split_first()
                .ok_or_else(|| Error::redis(BAD_DATA))?;
            self.rest = rest;
            if shift > 63 {
                return Err(Error::redis(BAD_DATA));
            }
            n |= ((byte & 0x7f) as u64) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        if n > self.rest.len() as u64 {
            return Err(Error::redis(BAD_DATA));
        }
        let (blob, rest) = self.rest.split_at(n as usize);
        self.rest = rest;
        Ok(blob)
    }
}

/// CRC-64/Jones, reflected, as Redis's crc64.c (check value of "123456789":
/// 0xe9c6d914c4b8d9ca).
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    const fn table() -> [u64; 256] {
        const POLY: u64 = 0x95ac9329ac4bc9b5; // 0xad93d23594c935a9, bit-reversed
        let mut t = [0u64; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u64;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
                k += 1;
            }
            t[i] = c;
            i += 1;
        }
        t
    }
    const TABLE: [u64; 256] = table();
    for &b in data {
        crc = TABLE[((crc ^ b as u64) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_is_redis_crc64() {
        assert_eq!(crc64(0, b"123456789"), 0xe9c6d914c4b8d9ca);
    }

    #[test]
    fn blobs_roundtrip() {
        let mut out = Vec::new();
        put_blob(&mut out, b"");
        put_blob(&mut out, &[7u8; 300]);
        let mut r = Reader::new(&out);
        assert_eq!(r.blob().unwrap(), b"");
        assert_eq!(r.blob().unwrap(), &[7u8; 300][..]);
        assert!(r.is_empty());
        assert!(r.blob().is_err());
    }

    #[test]
    fn string_encodings() {
        assert_eq!(string_encoding(b"123"), "int");
        assert_eq!(string_encoding(b"-9223372036854775808"), "int");
        assert_eq!(string_encoding(b"9223372036854775808"), "embstr");
        assert_eq!(string_encoding(b"01"), "embstr");
        assert_eq!(string_encoding(b""), "embstr");
        assert_eq!(string_encoding(&[b'a'; 44]), "embstr");
        assert_eq!(string_encoding(&[b'a'; 45]), "raw");
    }
}
