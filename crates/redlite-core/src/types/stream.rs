//! Streams: entries, Redis's macro nodes, consumer groups, consumers and pending
//! entries lists, in the tables of migration 0003 (read its comments first).
//!
//! Ids are two u64; each is stored as an i64 with its top bit flipped (`to_sql`), so
//! SQLite's integer order is the ids' order and (key_id, ms, seq) indexes serve every
//! range.
//!
//! An entry's field/value pairs are one BLOB: each field and value a LEB128 length
//! and its bytes (`put_blob`), in order. One BLOB rather than a row per field because
//! an entry is written once, never edited, and always read whole: XADD is one insert
//! and an XRANGE of N entries reads N rows, where rows per field would multiply both
//! the rows and the index entries by the number of fields, for nothing.
//!
//! Nodes: Redis keeps a stream's entries in listpacks of at most 100 entries (live and
//! deleted) and 4096 bytes (`stream-node-max-entries`, `stream-node-max-bytes`), and
//! approximate trimming removes only whole listpacks. To trim as Redis does,
//! `stream_nodes` keeps the bookkeeping of each listpack Redis would have: its first
//! (master) id, its last id, its live and deleted counts, its master fields and its
//! exact size in bytes (`entry_bytes` computes an entry's listpack encoding).
//!
//! The commands keep the `keys` row (its version, through `keyspace::touch`); the one
//! write here is `set_len`, as a stream's length lives in `keys.len` and, unlike a
//! collection's, may be 0 (an empty stream stays a key).

use std::fmt;

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::num::parse_i64;
use crate::types::{put_blob, Reader, BAD_DATA};

/// Redis 7.0's `stream-node-max-bytes`.
pub const NODE_MAX_BYTES: i64 = 4096;
/// Redis 7.0's `stream-node-max-entries`.
pub const NODE_MAX_ENTRIES: i64 = 100;
/// Redis's `SCG_INVALID_ENTRIES_READ`: a group's read counter is unknown.
pub const INVALID_ENTRIES_READ: i64 = -1;

/// A stream entry id: milliseconds and sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }

    /// The id right after this one (Redis's `streamIncrID`); `None` after the last.
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The id right before this one (Redis's `streamDecrID`); `None` before 0-0.
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    fn sql(self) -> (i64, i64) {
        (to_sql(self.ms), to_sql(self.seq))
    }

    fn from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<StreamId> {
        Ok(StreamId::new(
            from_sql(r.get(at)?),
            from_sql(r.get(at + 1)?),
        ))
    }

    /// The 16 bytes of Redis's `streamEncodeID`: ms then seq, big endian.
    pub fn key_bytes(self) -> [u8; 16] {
        let mut k = [0u8; 16];
        k[..8].copy_from_slice(&self.ms.to_be_bytes());
        k[8..].copy_from_slice(&self.seq.to_be_bytes());
        k
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// A u64 as stored: its top bit flipped, so that i64 order is u64 order.
pub fn to_sql(u: u64) -> i64 {
    (u ^ (1 << 63)) as i64
}

/// The u64 that `to_sql` stored.
pub fn from_sql(i: i64) -> u64 {
    (i as u64) ^ (1 << 63)
}

// ---------------------------------------------------------------------------------
// The stream's own counters.
// ---------------------------------------------------------------------------------

/// What Redis keeps beside the entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meta {
    /// last-generated-id: every new id is greater.
    pub last: StreamId,
    /// max-deleted-entry-id: the greatest id XDEL removed (0-0: none).
    pub max_deleted: StreamId,
    /// entries-added: every entry ever appended.
    pub added: i64,
}

/// The counters of stream `key`.
pub fn meta(conn: &Connection, key: i64) -> Result<Meta> {
    let m = conn
        .prepare_cached(
            "SELECT last_ms, last_seq, maxdel_ms, maxdel_seq, added FROM stream_meta WHERE key_id = ?1",
        )?
        .query_row(params![key], |r| {
            Ok(Meta {
                last: StreamId::from_row(r, 0)?,
                max_deleted: StreamId::from_row(r, 2)?,
                added: r.get(4)?,
            })
        })
        .optional()?;
    m.ok_or_else(|| Error::redis("ERR internal: stream without its counters"))
}

/// Store the counters of stream `key` (a new stream's first).
pub fn put_meta(conn: &Connection, key: i64, m: &Meta) -> Result<()> {
    let (lm, ls) = m.last.sql();
    let (dm, ds) = m.max_deleted.sql();
    conn.prepare_cached(
        "INSERT INTO stream_meta (key_id, last_ms, last_seq, maxdel_ms, maxdel_seq, added) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key_id) DO UPDATE SET last_ms = ?2, \
         last_seq = ?3, maxdel_ms = ?4, maxdel_seq = ?5, added = ?6",
    )?
    .execute(params![key, lm, ls, dm, ds, m.added])?;
    Ok(())
}

/// Store stream `key`'s length in its `keys` row.
pub fn set_len(conn: &Connection, key: i64, len: i64) -> Result<()> {
    conn.prepare_cached("UPDATE keys SET len = ?2 WHERE id = ?1")?
        .execute(params![key, len])?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Entries.
// ---------------------------------------------------------------------------------

/// One entry: its id and its encoded field/value pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: StreamId,
    pub pairs: Vec<u8>,
}

impl Entry {
    /// Field, value, field, value, ...
    pub fn fields(&self) -> Result<Vec<&[u8]>> {
        decode_blobs(&self.pairs)
    }
}

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: StreamId::from_row(r, 0)?,
        pairs: r.get(2)?,
    })
}

/// The BLOB of a list of byte strings (field, value, ... or master fields).
pub fn encode_blobs(items: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.iter().map(|i| i.len() + 2).sum());
    for i in items {
        put_blob(&mut out, i);
    }
    out
}

/// The byte strings of `encode_blobs`.
pub fn decode_blobs(blob: &[u8]) -> Result<Vec<&[u8]>> {
    let mut r = Reader::new(blob);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(r.blob()?);
    }
    Ok(out)
}

/// Entries with start <= id <= end, in order (or reversed), at most `count` (0: all).
pub fn range(
    conn: &Connection,
    key: i64,
    start: StreamId,
    end: StreamId,
    count: usize,
    rev: bool,
) -> Result<Vec<Entry>> {
    if start > end {
        return Ok(Vec::new());
    }
    let sql = if rev {
        "SELECT ms, seq, pairs FROM stream_entries WHERE key_id = ?1 \
         AND (ms, seq) >= (?2, ?3) AND (ms, seq) <= (?4, ?5) ORDER BY ms DESC, seq DESC LIMIT ?6"
    } else {
        "SELECT ms, seq, pairs FROM stream_entries WHERE key_id = ?1 \
         AND (ms, seq) >= (?2, ?3) AND (ms, seq) <= (?4, ?5) ORDER BY ms, seq LIMIT ?6"
    };
    let (sm, ss) = start.sql();
    let (em, es) = end.sql();
    let limit = if count == 0 {
        -1
    } else {
        count.min(i64::MAX as usize) as i64
    };
    let rows = conn
        .prepare_cached(sql)?
        .query_map(params![key, sm, ss, em, es, limit], entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Entry `id`, if it is live.
pub fn get(conn: &Connection, key: i64, id: StreamId) -> Result<Option<Entry>> {
    let (m, s) = id.sql();
    Ok(conn
        .prepare_cached(
            "SELECT ms, seq, pairs FROM stream_entries WHERE key_id = ?1 AND ms = ?2 AND seq = ?3",
        )?
        .query_row(params![key, m, s], entry)
        .optional()?)
}

/// True if entry `id` is live.
pub fn exists(conn: &Connection, key: i64, id: StreamId) -> Result<bool> {
    let (m, s) = id.sql();
    Ok(conn
        .prepare_cached("SELECT 1 FROM stream_entries WHERE key_id = ?1 AND ms = ?2 AND seq = ?3")?
        .query_row(params![key, m, s], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The first live entry's id (Redis's first_id, "recorded-first-entry-id").
pub fn first_id(conn: &Connection, key: i64) -> Result<Option<StreamId>> {
    edge_id(
        conn,
        key,
        "SELECT ms, seq FROM stream_entries WHERE key_id = ?1 ORDER BY ms, seq LIMIT 1",
    )
}

/// The last live entry's id (Redis's `streamLastValidID`).
pub fn last_id(conn: &Connection, key: i64) -> Result<Option<StreamId>> {
    edge_id(
        conn,
        key,
        "SELECT ms, seq FROM stream_entries WHERE key_id = ?1 ORDER BY ms DESC, seq DESC LIMIT 1",
    )
}

fn edge_id(conn: &Connection, key: i64, sql: &str) -> Result<Option<StreamId>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![key], |r| StreamId::from_row(r, 0))
        .optional()?)
}

// ---------------------------------------------------------------------------------
// Nodes: Redis's listpacks, as bookkeeping.
// ---------------------------------------------------------------------------------

/// One listpack of Redis's radix tree.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    master: StreamId,
    last: StreamId,
    live: i64,
    deleted: i64,
    bytes: i64,
    fields: Vec<u8>,
}

const NODE_COLUMNS: &str = "ms, seq, last_ms, last_seq, live, deleted, bytes, fields";

fn node(r: &Row<'_>) -> rusqlite::Result<Node> {
    Ok(Node {
        master: StreamId::from_row(r, 0)?,
        last: StreamId::from_row(r, 2)?,
        live: r.get(4)?,
        deleted: r.get(5)?,
        bytes: r.get(6)?,
        fields: r.get(7)?,
    })
}

fn edge_node(conn: &Connection, key: i64, last: bool) -> Result<Option<Node>> {
    let sql = if last {
        format!("SELECT {NODE_COLUMNS} FROM stream_nodes WHERE key_id = ?1 ORDER BY ms DESC, seq DESC LIMIT 1")
    } else {
        format!(
            "SELECT {NODE_COLUMNS} FROM stream_nodes WHERE key_id = ?1 ORDER BY ms, seq LIMIT 1"
        )
    };
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key], node)
        .optional()?)
}

fn put_node(conn: &Connection, key: i64, n: &Node) -> Result<()> {
    let (m, s) = n.master.sql();
    let (lm, ls) = n.last.sql();
    conn.prepare_cached(
        "INSERT INTO stream_nodes (key_id, ms, seq, last_ms, last_seq, live, deleted, bytes, fields) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (key_id, ms, seq) DO UPDATE SET \
         last_ms = ?4, last_seq = ?5, live = ?6, deleted = ?7, bytes = ?8",
    )?
    .execute(params![key, m, s, lm, ls, n.live, n.deleted, n.bytes, n.fields])?;
    Ok(())
}

fn delete_node(conn: &Connection, key: i64, master: StreamId) -> Result<()> {
    let (m, s) = master.sql();
    conn.prepare_cached("DELETE FROM stream_nodes WHERE key_id = ?1 AND ms = ?2 AND seq = ?3")?
        .execute(params![key, m, s])?;
    Ok(())
}

/// The master ids of the nodes, in order (Redis's radix tree keys).
pub fn node_keys(conn: &Connection, key: i64) -> Result<Vec<StreamId>> {
    let keys = conn
        .prepare_cached("SELECT ms, seq FROM stream_nodes WHERE key_id = ?1 ORDER BY ms, seq")?
        .query_map(params![key], |r| StreamId::from_row(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

/// The number of nodes of Redis's radix tree (rax) holding these keys (sorted,
/// distinct, all 16 bytes): the tree is kept compressed, so it is the head, one node
/// per branching point, one per run of shared bytes between them, and one per leaf.
pub fn rax_nodes(keys: &[StreamId]) -> i64 {
    fn count(keys: &[[u8; 16]], depth: usize) -> i64 {
        if depth == 16 {
            return 1; // the leaf that marks the key
        }
        let first = &keys[0];
        let last = &keys[keys.len() - 1];
        // Sorted: the prefix shared by all is the one the first and last share.
        let common = (depth..16).take_while(|&i| first[i] == last[i]).count();
        if common > 0 {
            return 1 + count(keys, depth + common);
        }
        let mut n = 1;
        let mut i = 0;
        while i < keys.len() {
            let b = keys[i][depth];
            let j = i + keys[i..].iter().take_while(|k| k[depth] == b).count();
            n += count(&keys[i..j], depth + 1);
            i = j;
        }
        n
    }
    if keys.is_empty() {
        return 1;
    }
    let bytes: Vec<[u8; 16]> = keys.iter().map(|k| k.key_bytes()).collect();
    count(&bytes, 0)
}

/// The bytes a listpack element holding this integer takes (encoding, data, backlen).
fn lp_int(v: i64) -> i64 {
    let enc = if (0..=127).contains(&v) {
        1
    } else if (-4096..=4095).contains(&v) {
        2
    } else if (-32768..=32767).contains(&v) {
        3
    } else if (-8_388_608..=8_388_607).contains(&v) {
        4
    } else if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
        5
    } else {
        9
    };
    enc + lp_backlen(enc)
}

/// The bytes of a listpack element holding this string: as an integer when it reads
/// as one (listpack's `lpStringToInt64`, Redis's string2ll rules).
fn lp_str(s: &[u8]) -> i64 {
    if let Some(v) = parse_i64(s) {
        return lp_int(v);
    }
    let len = s.len() as i64;
    let enc = if len < 64 {
        1 + len
    } else if len < 4096 {
        2 + len
    } else {
        5 + len
    };
    enc + lp_backlen(enc)
}

fn lp_backlen(l: i64) -> i64 {
    if l <= 127 {
        1
    } else if l < 16383 {
        2
    } else if l < 2_097_151 {
        3
    } else if l < 268_435_455 {
        4
    } else {
        5
    }
}

/// A listpack's header (total bytes, element count) and end byte.
const LP_OVERHEAD: i64 = 7;
const FLAG_SAMEFIELDS: i64 = 2;

/// The bytes Redis's `streamAppendItem` adds to a listpack of master id `master` for
/// entry `id` with these pairs: flags, ms and seq deltas (u64 differences written as
/// int64), [field count, fields], values, and the element count of the entry.
fn entry_bytes(id: StreamId, master: StreamId, pairs: &[&[u8]], same_fields: bool) -> i64 {
    let n = (pairs.len() / 2) as i64;
    let mut size = lp_int(if same_fields { FLAG_SAMEFIELDS } else { 0 })
        + lp_int(id.ms.wrapping_sub(master.ms) as i64)
        + lp_int(id.seq.wrapping_sub(master.seq) as i64);
    if !same_fields {
        size += lp_int(n);
    }
    for (i, p) in pairs.iter().enumerate() {
        if i % 2 == 1 || !same_fields {
            size += lp_str(p);
        }
    }
    let count = n + 3 + if same_fields { 0 } else { n + 1 };
    size + lp_int(count)
}

/// Append entry `id` (greater than every id of the stream) to stream `key`, in its
/// last node or a new one, as Redis's `streamAppendItem` chooses.
pub fn append(conn: &Connection, key: i64, id: StreamId, pairs: &[&[u8]]) -> Result<()> {
    let fields: Vec<&[u8]> = pairs.iter().step_by(2).copied().collect();
    let elements: i64 = pairs.iter().map(|p| p.len() as i64).sum();
    let tail = edge_node(conn, key, true)?
        .filter(|n| n.bytes + elements < NODE_MAX_BYTES && n.live + n.deleted < NODE_MAX_ENTRIES);
    let node = match tail {
        Some(mut n) => {
            let same = decode_blobs(&n.fields)? == fields;
            n.bytes += entry_bytes(id, n.master, pairs, same);
            n.live += 1;
            n.last = id;
            n
        }
        None => {
            // The master entry: count, deleted, field count, fields, terminator.
            let master = lp_int(1)
                + lp_int(0)
                + lp_int(fields.len() as i64)
                + fields.iter().map(|f| lp_str(f)).sum::<i64>()
                + lp_int(0);
            Node {
                master: id,
                last: id,
                live: 1,
                deleted: 0,
                bytes: LP_OVERHEAD + master + entry_bytes(id, id, pairs, true),
                fields: encode_blobs(&fields),
            }
        }
    };
    put_node(conn, key, &node)?;
    let (m, s) = id.sql();
    conn.prepare_cached(
        "INSERT INTO stream_entries (key_id, ms, seq, pairs) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, m, s, encode_blobs(pairs)])?;
    Ok(())
}

/// Remove live entry `id` (XDEL); false if there is none. Its node counts one more
/// deleted entry, or goes when this was its last live one.
pub fn delete_entry(conn: &Connection, key: i64, id: StreamId) -> Result<bool> {
    let (m, s) = id.sql();
    let n = conn
        .prepare_cached("DELETE FROM stream_entries WHERE key_id = ?1 AND ms = ?2 AND seq = ?3")?
        .execute(params![key, m, s])?;
    if n == 0 {
        return Ok(false);
    }
    let sql = format!(
        "SELECT {NODE_COLUMNS} FROM stream_nodes WHERE key_id = ?1 AND (ms, seq) <= (?2, ?3) \
         ORDER BY ms DESC, seq DESC LIMIT 1"
    );
    let node = conn
        .prepare_cached(&sql)?
        .query_row(params![key, m, s], node)
        .optional()?;
    if let Some(mut n) = node {
        if n.live <= 1 {
            delete_node(conn, key, n.master)?;
        } else {
            n.live -= 1;
            n.deleted += 1;
            put_node(conn, key, &n)?;
        }
    }
    Ok(true)
}

/// How to trim: to a length, or below an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trim {
    MaxLen(i64),
    MinId(StreamId),
}

fn delete_entries_between(
    conn: &Connection,
    key: i64,
    from: StreamId,
    to: StreamId,
    to_excl: bool,
) -> Result<i64> {
    let sql = if to_excl {
        "DELETE FROM stream_entries WHERE key_id = ?1 AND (ms, seq) >= (?2, ?3) AND (ms, seq) < (?4, ?5)"
    } else {
        "DELETE FROM stream_entries WHERE key_id = ?1 AND (ms, seq) >= (?2, ?3) AND (ms, seq) <= (?4, ?5)"
    };
    let (fm, fs) = from.sql();
    let (tm, ts) = to.sql();
    Ok(conn
        .prepare_cached(sql)?
        .execute(params![key, fm, fs, tm, ts])? as i64)
}

/// Redis's `streamTrim` on stream `key` of `len` entries: from the oldest node, remove
/// whole nodes while the strategy allows; then, unless `approx`, remove single entries
/// from the node where it stopped. `limit` (0: none) caps the entries removed by whole
/// nodes, as XADD/XTRIM's LIMIT. Returns the number of entries removed.
pub fn trim(
    conn: &Connection,
    key: i64,
    len: i64,
    how: Trim,
    approx: bool,
    limit: i64,
) -> Result<i64> {
    let mut length = len;
    let mut removed = 0;
    while let Some(mut n) = edge_node(conn, key, false)? {
        if let Trim::MaxLen(max) = how {
            if length <= max {
                break;
            }
        }
        if limit > 0 && removed + n.live > limit {
            break;
        }
        let whole = match how {
            Trim::MaxLen(max) => length - n.live >= max,
            Trim::MinId(min) => n.last < min,
        };
        if whole {
            delete_entries_between(conn, key, n.master, n.last, false)?;
            delete_node(conn, key, n.master)?;
            length -= n.live;
            removed += n.live;
            continue;
        }
        if approx {
            break;
        }
        let gone = match how {
            Trim::MaxLen(max) => {
                // The oldest length - max live entries of this node go.
                let (m, s) = n.master.sql();
                let kth = conn
                    .prepare_cached(
                        "SELECT ms, seq FROM stream_entries WHERE key_id = ?1 AND (ms, seq) >= (?2, ?3) \
                         ORDER BY ms, seq LIMIT 1 OFFSET ?4",
                    )?
                    .query_row(params![key, m, s, length - max - 1], |r| StreamId::from_row(r, 0))
                    .optional()?;
                match kth {
                    Some(kth) => delete_entries_between(conn, key, n.master, kth, false)?,
                    None => 0,
                }
            }
            Trim::MinId(min) => delete_entries_between(conn, key, n.master, min, true)?,
        };
        n.live -= gone;
        n.deleted += gone;
        removed += gone;
        put_node(conn, key, &n)?;
        break;
    }
    Ok(removed)
}

// ---------------------------------------------------------------------------------
// Consumer groups, consumers, pending entries.
// ---------------------------------------------------------------------------------

/// A consumer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub name: Vec<u8>,
    /// last-delivered-id.
    pub last: StreamId,
    /// entries-read, or `INVALID_ENTRIES_READ`.
    pub entries_read: i64,
}

const GROUP_COLUMNS: &str = "id, name, last_ms, last_seq, entries_read";

fn group_row(r: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: r.get(0)?,
        name: r.get(1)?,
        last: StreamId::from_row(r, 2)?,
        entries_read: r.get(4)?,
    })
}

/// Group `name` of stream `key`.
pub fn group(conn: &Connection, key: i64, name: &[u8]) -> Result<Option<Group>> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM stream_groups WHERE key_id = ?1 AND name = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key, name], group_row)
        .optional()?)
}

/// Every group of stream `key`, by name (Redis's radix tree order: memcmp).
pub fn groups(conn: &Connection, key: i64) -> Result<Vec<Group>> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM stream_groups WHERE key_id = ?1 ORDER BY name");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![key], group_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn group_count(conn: &Connection, key: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM stream_groups WHERE key_id = ?1")?
        .query_row(params![key], |r| r.get(0))?)
}

/// Create group `name` (which does not exist).
pub fn create_group(
    conn: &Connection,
    key: i64,
    name: &[u8],
    last: StreamId,
    entries_read: i64,
) -> Result<()> {
    let (m, s) = last.sql();
    conn.prepare_cached(
        "INSERT INTO stream_groups (key_id, name, last_ms, last_seq, entries_read) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![key, name, m, s, entries_read])?;
    Ok(())
}

/// Store a group's last-delivered-id and entries-read.
pub fn set_group(conn: &Connection, g: &Group) -> Result<()> {
    let (m, s) = g.last.sql();
    conn.prepare_cached(
        "UPDATE stream_groups SET last_ms = ?2, last_seq = ?3, entries_read = ?4 WHERE id = ?1",
    )?
    .execute(params![g.id, m, s, g.entries_read])?;
    Ok(())
}

/// Remove a group, its consumers and its pending entries.
pub fn destroy_group(conn: &Connection, key: i64, group: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM stream_pel WHERE key_id = ?1 AND group_id = ?2")?
        .execute(params![key, group])?;
    conn.prepare_cached("DELETE FROM stream_consumers WHERE key_id = ?1 AND group_id = ?2")?
        .execute(params![key, group])?;
    conn.prepare_cached("DELETE FROM stream_groups WHERE id = ?1")?
        .execute(params![group])?;
    Ok(())
}

/// A consumer of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    pub id: i64,
    pub name: Vec<u8>,
    /// Unix ms of its last read or claim (seen-time).
    pub seen: i64,
    /// Its pending entries.
    pub pending: i64,
}

const CONSUMER_SELECT: &str = "SELECT c.id, c.name, c.seen_at, \
     (SELECT count(*) FROM stream_pel p WHERE p.consumer_id = c.id) FROM stream_consumers c";

fn consumer_row(r: &Row<'_>) -> rusqlite::Result<Consumer> {
    Ok(Consumer {
        id: r.get(0)?,
        name: r.get(1)?,
        seen: r.get(2)?,
        pending: r.get(3)?,
    })
}

/// Consumer `name` of a group.
pub fn consumer(conn: &Connection, key: i64, group: i64, name: &[u8]) -> Result<Option<Consumer>> {
    let sql = format!("{CONSUMER_SELECT} WHERE c.key_id = ?1 AND c.group_id = ?2 AND c.name = ?3");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key, group, name], consumer_row)
        .optional()?)
}

/// Every consumer of a group, by name.
pub fn consumers(conn: &Connection, key: i64, group: i64) -> Result<Vec<Consumer>> {
    let sql = format!("{CONSUMER_SELECT} WHERE c.key_id = ?1 AND c.group_id = ?2 ORDER BY c.name");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![key, group], consumer_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn consumer_count(conn: &Connection, key: i64, group: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM stream_consumers WHERE key_id = ?1 AND group_id = ?2",
        )?
        .query_row(params![key, group], |r| r.get(0))?)
}

/// Create consumer `name` (which does not exist), seen at `now`; returns its id.
pub fn create_consumer(
    conn: &Connection,
    key: i64,
    group: i64,
    name: &[u8],
    now: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO stream_consumers (key_id, group_id, name, seen_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![key, group, name, now])?;
    Ok(conn.last_insert_rowid())
}

/// Record that a consumer was seen (read or claimed) at `now`.
pub fn see_consumer(conn: &Connection, consumer: i64, now: i64) -> Result<()> {
    conn.prepare_cached("UPDATE stream_consumers SET seen_at = ?2 WHERE id = ?1")?
        .execute(params![consumer, now])?;
    Ok(())
}

/// Remove a consumer and its pending entries (XGROUP DELCONSUMER).
pub fn delete_consumer(conn: &Connection, consumer: i64) -> Result<()> {
    // Consumer ids are unique: their own index finds the pending entries.
    conn.prepare_cached("DELETE FROM stream_pel WHERE consumer_id = ?1")?
        .execute(params![consumer])?;
    conn.prepare_cached("DELETE FROM stream_consumers WHERE id = ?1")?
        .execute(params![consumer])?;
    Ok(())
}

/// One pending entry of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: StreamId,
    pub consumer: i64,
    pub consumer_name: Vec<u8>,
    /// Unix ms of its last delivery.
    pub delivered: i64,
    pub deliveries: i64,
}

const PENDING_SELECT: &str =
    "SELECT p.ms, p.seq, p.consumer_id, c.name, p.delivered_at, p.deliveries \
     FROM stream_pel p JOIN stream_consumers c ON c.id = p.consumer_id";

fn pending_row(r: &Row<'_>) -> rusqlite::Result<Pending> {
    Ok(Pending {
        id: StreamId::from_row(r, 0)?,
        consumer: r.get(2)?,
        consumer_name: r.get(3)?,
        delivered: r.get(4)?,
        deliveries: r.get(5)?,
    })
}

/// Pending entry `id` of a group.
pub fn pending(conn: &Connection, key: i64, group: i64, id: StreamId) -> Result<Option<Pending>> {
    let sql = format!(
        "{PENDING_SELECT} WHERE p.key_id = ?1 AND p.group_id = ?2 AND p.ms = ?3 AND p.seq = ?4"
    );
    let (m, s) = id.sql();
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![key, group, m, s], pending_row)
        .optional()?)
}

/// Pending entries of a group (or of one of its consumers) with start <= id <= end,
/// in order, at most `count` (0: all).
pub fn pending_range(
    conn: &Connection,
    key: i64,
    group: i64,
    consumer: Option<i64>,
    start: StreamId,
    end: StreamId,
    count: usize,
) -> Result<Vec<Pending>> {
    if start > end {
        return Ok(Vec::new());
    }
    let (sm, ss) = start.sql();
    let (em, es) = end.sql();
    let limit = if count == 0 {
        -1
    } else {
        count.min(i64::MAX as usize) as i64
    };
    let rows = match consumer {
        None => {
            let sql = format!(
                "{PENDING_SELECT} WHERE p.key_id = ?1 AND p.group_id = ?2 \
                 AND (p.ms, p.seq) >= (?3, ?4) AND (p.ms, p.seq) <= (?5, ?6) ORDER BY p.ms, p.seq LIMIT ?7"
            );
            conn.prepare_cached(&sql)?
                .query_map(params![key, group, sm, ss, em, es, limit], pending_row)?
                .collect::<rusqlite::Result<_>>()?
        }
        Some(c) => {
            let sql = format!(
                "{PENDING_SELECT} WHERE p.consumer_id = ?1 \
                 AND (p.ms, p.seq) >= (?2, ?3) AND (p.ms, p.seq) <= (?4, ?5) ORDER BY p.ms, p.seq LIMIT ?6"
            );
            conn.prepare_cached(&sql)?
                .query_map(params![c, sm, ss, em, es, limit], pending_row)?
                .collect::<rusqlite::Result<_>>()?
        }
    };
    Ok(rows)
}

/// The size of a group's PEL, with its first and last ids.
pub fn pending_summary(
    conn: &Connection,
    key: i64,
    group: i64,
) -> Result<(i64, Option<(StreamId, StreamId)>)> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM stream_pel WHERE key_id = ?1 AND group_id = ?2")?
        .query_row(params![key, group], |r| r.get(0))?;
    if n == 0 {
        return Ok((0, None));
    }
    let edge = |sql: &str| -> Result<StreamId> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(params![key, group], |r| StreamId::from_row(r, 0))?)
    };
    let first = edge("SELECT ms, seq FROM stream_pel WHERE key_id = ?1 AND group_id = ?2 ORDER BY ms, seq LIMIT 1")?;
    let last = edge(
        "SELECT ms, seq FROM stream_pel WHERE key_id = ?1 AND group_id = ?2 ORDER BY ms DESC, seq DESC LIMIT 1",
    )?;
    Ok((n, Some((first, last))))
}

/// Deliver entry `id` to `consumer` at `now` (XREADGROUP): a new pending entry with
/// one delivery, or one taken from whichever consumer held it, its count reset to 1.
pub fn deliver(
    conn: &Connection,
    key: i64,
    group: i64,
    id: StreamId,
    consumer: i64,
    now: i64,
) -> Result<()> {
    let (m, s) = id.sql();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO stream_pel (key_id, group_id, ms, seq, consumer_id, delivered_at, deliveries) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
    )?
    .execute(params![key, group, m, s, consumer, now])?;
    Ok(())
}

/// Store a pending entry as given (XCLAIM, XAUTOCLAIM, history reads).
pub fn put_pending(conn: &Connection, key: i64, group: i64, p: &Pending) -> Result<()> {
    let (m, s) = p.id.sql();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO stream_pel (key_id, group_id, ms, seq, consumer_id, delivered_at, deliveries) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![key, group, m, s, p.consumer, p.delivered, p.deliveries])?;
    Ok(())
}

/// Remove pending entry `id` of a group; true if it was there (XACK).
pub fn ack(conn: &Connection, key: i64, group: i64, id: StreamId) -> Result<bool> {
    let (m, s) = id.sql();
    Ok(conn
        .prepare_cached(
            "DELETE FROM stream_pel WHERE key_id = ?1 AND group_id = ?2 AND ms = ?3 AND seq = ?4",
        )?
        .execute(params![key, group, m, s])?
        > 0)
}

/// Pending entries per consumer of a group, for those with any, by consumer name.
pub fn pending_per_consumer(
    conn: &Connection,
    key: i64,
    group: i64,
) -> Result<Vec<(Vec<u8>, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT c.name, count(*) FROM stream_pel p JOIN stream_consumers c ON c.id = p.consumer_id \
             WHERE p.key_id = ?1 AND p.group_id = ?2 GROUP BY c.id ORDER BY c.name",
        )?
        .query_map(params![key, group], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------
// The per-type hooks of types/mod.rs.
// ---------------------------------------------------------------------------------

/// Every table of a stream's contents, keyed by key_id.
pub const TABLES: &[&str] = &[
    "stream_meta",
    "stream_entries",
    "stream_nodes",
    "stream_groups",
    "stream_consumers",
    "stream_pel",
];

/// Remove everything of stream `key`.
pub fn delete(conn: &Connection, key: i64) -> Result<()> {
    for table in TABLES {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE key_id = ?1"))?
            .execute(params![key])?;
    }
    Ok(())
}

/// Give stream `to` (empty) a copy of stream `from`: entries, nodes, groups with their
/// consumers and pending entries (COPY).
pub fn copy(conn: &Connection, from: i64, to: i64) -> Result<()> {
    for sql in [
        "INSERT INTO stream_meta (key_id, last_ms, last_seq, maxdel_ms, maxdel_seq, added) \
         SELECT ?2, last_ms, last_seq, maxdel_ms, maxdel_seq, added FROM stream_meta WHERE key_id = ?1",
        "INSERT INTO stream_entries (key_id, ms, seq, pairs) \
         SELECT ?2, ms, seq, pairs FROM stream_entries WHERE key_id = ?1",
        "INSERT INTO stream_nodes (key_id, ms, seq, last_ms, last_seq, live, deleted, bytes, fields) \
         SELECT ?2, ms, seq, last_ms, last_seq, live, deleted, bytes, fields FROM stream_nodes WHERE key_id = ?1",
        "INSERT INTO stream_groups (key_id, name, last_ms, last_seq, entries_read) \
         SELECT ?2, name, last_ms, last_seq, entries_read FROM stream_groups WHERE key_id = ?1 ORDER BY id",
        "INSERT INTO stream_consumers (key_id, group_id, name, seen_at) \
         SELECT ?2, ng.id, c.name, c.seen_at FROM stream_consumers c \
         JOIN stream_groups og ON og.id = c.group_id \
         JOIN stream_groups ng ON ng.key_id = ?2 AND ng.name = og.name \
         WHERE c.key_id = ?1 ORDER BY c.id",
        "INSERT INTO stream_pel (key_id, group_id, ms, seq, consumer_id, delivered_at, deliveries) \
         SELECT ?2, ng.id, p.ms, p.seq, nc.id, p.delivered_at, p.deliveries FROM stream_pel p \
         JOIN stream_groups og ON og.id = p.group_id \
         JOIN stream_groups ng ON ng.key_id = ?2 AND ng.name = og.name \
         JOIN stream_consumers oc ON oc.id = p.consumer_id \
         JOIN stream_consumers nc ON nc.key_id = ?2 AND nc.group_id = ng.id AND nc.name = oc.name \
         WHERE p.key_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute(params![from, to])?;
    }
    Ok(())
}

fn put_u64s(out: &mut Vec<u8>, values: &[u64]) {
    let mut b = Vec::with_capacity(values.len() * 8);
    for v in values {
        b.extend_from_slice(&v.to_le_bytes());
    }
    put_blob(out, &b);
}

fn read_u64s<const N: usize>(r: &mut Reader<'_>) -> Result<[u64; N]> {
    let b = r.blob()?;
    if b.len() != N * 8 {
        return Err(Error::redis(BAD_DATA));
    }
    let mut out = [0u64; N];
    for (i, c) in b.chunks_exact(8).enumerate() {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        out[i] = u64::from_le_bytes(a);
    }
    Ok(out)
}

/// Append the DUMP encoding of stream `key` to `out` (see types/mod.rs). Each number
/// is 8 bytes little endian, a group of numbers one blob:
///
/// ```text
/// [last ms, last seq, maxdel ms, maxdel seq, entries-added, nodes, entries, groups]
/// per node:  [ms, seq, last ms, last seq, live, deleted, bytes], master fields
/// per entry: [ms, seq], pairs
/// per group: name, [last ms, last seq, entries-read, consumers, pending]
///     per consumer: name, [seen]
///     per pending entry: [ms, seq, delivered, deliveries], consumer name
/// ```
pub fn dump(conn: &Connection, key: i64, out: &mut Vec<u8>) -> Result<()> {
    let m = meta(conn, key)?;
    let nodes: Vec<Node> = conn
        .prepare_cached(&format!(
            "SELECT {NODE_COLUMNS} FROM stream_nodes WHERE key_id = ?1 ORDER BY ms, seq"
        ))?
        .query_map(params![key], node)?
        .collect::<rusqlite::Result<_>>()?;
    let entries = range(conn, key, StreamId::MIN, StreamId::MAX, 0, false)?;
    let groups = groups(conn, key)?;
    put_u64s(
        out,
        &[
            m.last.ms,
            m.last.seq,
            m.max_deleted.ms,
            m.max_deleted.seq,
            m.added as u64,
            nodes.len() as u64,
            entries.len() as u64,
            groups.len() as u64,
        ],
    );
    for n in &nodes {
        put_u64s(
            out,
            &[
                n.master.ms,
                n.master.seq,
                n.last.ms,
                n.last.seq,
                n.live as u64,
                n.deleted as u64,
                n.bytes as u64,
            ],
        );
        put_blob(out, &n.fields);
    }
    for e in &entries {
        put_u64s(out, &[e.id.ms, e.id.seq]);
        put_blob(out, &e.pairs);
    }
    for g in &groups {
        let cs = consumers(conn, key, g.id)?;
        let pel = pending_range(conn, key, g.id, None, StreamId::MIN, StreamId::MAX, 0)?;
        put_blob(out, &g.name);
        put_u64s(
            out,
            &[
                g.last.ms,
                g.last.seq,
                g.entries_read as u64,
                cs.len() as u64,
                pel.len() as u64,
            ],
        );
        for c in &cs {
            put_blob(out, &c.name);
            put_u64s(out, &[c.seen as u64]);
        }
        for p in &pel {
            put_u64s(
                out,
                &[p.id.ms, p.id.seq, p.delivered as u64, p.deliveries as u64],
            );
            put_blob(out, &p.consumer_name);
        }
    }
    Ok(())
}

/// Store the stream of a DUMP payload as key `key`'s (empty); returns its length.
/// Anything inconsistent (a count that does not match, a repeated id or name, entries
/// out of order) is "Bad data format".
pub fn restore(conn: &Connection, key: i64, body: &mut Reader<'_>) -> Result<i64> {
    let bad = || Error::redis(BAD_DATA);
    let [lm, ls, dm, ds, added, n_nodes, n_entries, n_groups] = read_u64s::<8>(body)?;
    let m = Meta {
        last: StreamId::new(lm, ls),
        max_deleted: StreamId::new(dm, ds),
        added: i64::try_from(added).map_err(|_| bad())?,
    };
    put_meta(conn, key, &m)?;
    let mut prev: Option<StreamId> = None;
    for _ in 0..n_nodes {
        let [ms, seq, lms, lseq, live, deleted, bytes] = read_u64s::<7>(body)?;
        let n = Node {
            master: StreamId::new(ms, seq),
            last: StreamId::new(lms, lseq),
            live: i64::try_from(live).map_err(|_| bad())?,
            deleted: i64::try_from(deleted).map_err(|_| bad())?,
            bytes: i64::try_from(bytes).map_err(|_| bad())?,
            fields: body.blob()?.to_vec(),
        };
        decode_blobs(&n.fields)?;
        if prev.is_some_and(|p| p >= n.master) || n.last < n.master {
            return Err(bad());
        }
        prev = Some(n.last);
        put_node(conn, key, &n)?;
    }
    let mut prev: Option<StreamId> = None;
    for _ in 0..n_entries {
        let [ms, seq] = read_u64s::<2>(body)?;
        let id = StreamId::new(ms, seq);
        let pairs = body.blob()?;
        let fields = decode_blobs(pairs)?;
        if fields.is_empty()
            || fields.len() % 2 != 0
            || prev.is_some_and(|p| p >= id)
            || id > m.last
        {
            return Err(bad());
        }
        prev = Some(id);
        let (a, b) = id.sql();
        conn.prepare_cached(
            "INSERT INTO stream_entries (key_id, ms, seq, pairs) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![key, a, b, pairs])?;
    }
    for _ in 0..n_groups {
        let name = body.blob()?;
        let [gm, gs, read, n_consumers, n_pending] = read_u64s::<5>(body)?;
        if group(conn, key, name)?.is_some() {
            return Err(bad());
        }
        create_group(conn, key, name, StreamId::new(gm, gs), read as i64)?;
        let g = group(conn, key, name)?.ok_or_else(bad)?;
        for _ in 0..n_consumers {
            let cname = body.blob()?;
            let [seen] = read_u64s::<1>(body)?;
            if consumer(conn, key, g.id, cname)?.is_some() {
                return Err(bad());
            }
            create_consumer(conn, key, g.id, cname, seen as i64)?;
        }
        for _ in 0..n_pending {
            let [ms, seq, delivered, deliveries] = read_u64s::<4>(body)?;
            let cname = body.blob()?;
            let c = consumer(conn, key, g.id, cname)?.ok_or_else(bad)?;
            let id = StreamId::new(ms, seq);
            if pending(conn, key, g.id, id)?.is_some() {
                return Err(bad());
            }
            put_pending(
                conn,
                key,
                g.id,
                &Pending {
                    id,
                    consumer: c.id,
                    consumer_name: Vec::new(),
                    delivered: delivered as i64,
                    deliveries: deliveries as i64,
                },
            )?;
        }
    }
    Ok(n_entries as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_their_order_when_stored() {
        let ids = [0u64, 1, (1 << 63) - 1, 1 << 63, u64::MAX - 1, u64::MAX];
        for w in ids.windows(2) {
            assert!(to_sql(w[0]) < to_sql(w[1]));
            assert_eq!(from_sql(to_sql(w[0])), w[0]);
        }
    }

    #[test]
    fn next_and_prev() {
        assert_eq!(StreamId::new(1, u64::MAX).next(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.next(), None);
        assert_eq!(StreamId::new(2, 0).prev(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::MIN.prev(), None);
    }

    #[test]
    fn rax_node_counts() {
        assert_eq!(rax_nodes(&[]), 1);
        assert_eq!(rax_nodes(&[StreamId::new(1, 1)]), 2);
        // Two keys differing in the last byte: compressed prefix, branch, two leaves.
        assert_eq!(rax_nodes(&[StreamId::new(1, 1), StreamId::new(1, 2)]), 4);
    }

    #[test]
    fn listpack_sizes() {
        assert_eq!(lp_int(0), 2);
        assert_eq!(lp_int(-1), 3);
        assert_eq!(lp_int(i64::MIN), 10);
        assert_eq!(lp_str(b"v"), 3);
        assert_eq!(lp_str(b"12"), 2);
        assert_eq!(lp_str(&[b'a'; 63]), 65);
        assert_eq!(lp_str(&[b'a'; 64]), 67);
        assert_eq!(lp_str(&[b'a'; 200]), 204);
    }
}
