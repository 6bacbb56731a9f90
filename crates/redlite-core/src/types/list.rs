//! Lists: one row per element in `lists`, primary key (key_id, pos).
//!
//! A list of `len` elements whose first element is at position `head` (both kept in
//! the `keys` row by the caller, through `keyspace::set_len`) holds its elements at
//! the contiguous positions head .. head+len-1. Element `i` (0-based) is therefore at
//! `head + i`: LINDEX, LSET and LRANGE are primary-key look-ups, LPUSH takes
//! `head - 1`, RPUSH `head + len`, and popping from either end only deletes rows.
//!
//! Only an insertion or removal in the middle (LINSERT, LREM) renumbers, and it moves
//! the shorter side. A renumbering must not trip over the primary key while rows
//! shift (SQLite checks uniqueness row by row, in an order it chooses), so the rows
//! that move first go to a scratch key id, `-key_id` (real key ids are positive), at
//! their new positions, then come back in one statement: neither step can meet an
//! occupied (key_id, pos).
//!
//! Nothing here touches the `keys` table.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::types::{put_blob, Reader};

/// Which end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

/// Where a list's elements are: the position of the first one and how many there are
/// (the `keys.head` and `keys.len` of its row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub head: i64,
    pub len: i64,
}

impl Span {
    /// The position of element `index` (0-based from the left).
    pub fn pos(self, index: i64) -> i64 {
        self.head + index
    }

    /// The position of the last element.
    pub fn tail(self) -> i64 {
        self.head + self.len - 1
    }
}

/// Push `values` one after the other at `end` (LPUSH a b c leaves c b a in front);
/// returns the new span.
pub fn push(conn: &Connection, id: i64, span: Span, values: &[&[u8]], end: End) -> Result<Span> {
    let n = values.len() as i64;
    crate::db::with_statement(
        conn,
        "INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)",
        |insert| {
            for (i, v) in values.iter().enumerate() {
                let i = i as i64;
                let pos = match end {
                    End::Left => span.head - 1 - i,
                    End::Right => span.head + span.len + i,
                };
                insert.execute(params![id, pos, v])?;
            }
            Ok(())
        },
    )?;
    Ok(match end {
        End::Left => Span {
            head: span.head - n,
            len: span.len + n,
        },
        End::Right => Span {
            head: span.head,
            len: span.len + n,
        },
    })
}

/// Remove up to `count` elements from `end`, returned in pop order; and the new span.
pub fn pop(
    conn: &Connection,
    id: i64,
    span: Span,
    count: i64,
    end: End,
) -> Result<(Vec<Vec<u8>>, Span)> {
    let n = count.clamp(0, span.len);
    if n == 0 {
        return Ok((Vec::new(), span));
    }
    let (lo, hi, sql, rest) = match end {
        End::Left => (
            span.head,
            span.head + n - 1,
            "SELECT value FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 ORDER BY pos",
            Span {
                head: span.head + n,
                len: span.len - n,
            },
        ),
        End::Right => (
            span.tail() - n + 1,
            span.tail(),
            "SELECT value FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 ORDER BY pos DESC",
            Span {
                head: span.head,
                len: span.len - n,
            },
        ),
    };
    let values = crate::db::with_statement(conn, sql, |select| {
        Ok(select
            .query_map(params![id, lo, hi], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<Vec<u8>>>>()?)
    })?;
    delete_range(conn, id, lo, hi)?;
    Ok((values, rest))
}

/// The elements at indexes `start` ..= `stop` (0-based, already clamped to the list).
pub fn range(
    conn: &Connection,
    id: i64,
    span: Span,
    start: i64,
    stop: i64,
) -> Result<Vec<Vec<u8>>> {
    if start > stop {
        return Ok(Vec::new());
    }
    let rows = conn
        .prepare_cached(
            "SELECT value FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 ORDER BY pos",
        )?
        .query_map(params![id, span.pos(start), span.pos(stop)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Every element, in order (SORT reads a list with this).
pub fn all(conn: &Connection, id: i64, head: i64, len: i64) -> Result<Vec<Vec<u8>>> {
    if len <= 0 {
        return Ok(Vec::new());
    }
    range(conn, id, Span { head, len }, 0, len - 1)
}

/// The element at index `index` (0-based, within the list).
pub fn get(conn: &Connection, id: i64, span: Span, index: i64) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT value FROM lists WHERE key_id = ?1 AND pos = ?2")?
        .query_row(params![id, span.pos(index)], |r| r.get(0))
        .optional()?)
}

/// Overwrite the element at index `index` (0-based, within the list).
pub fn set(conn: &Connection, id: i64, span: Span, index: i64, value: &[u8]) -> Result<()> {
    conn.prepare_cached("UPDATE lists SET value = ?3 WHERE key_id = ?1 AND pos = ?2")?
        .execute(params![id, span.pos(index), value])?;
    Ok(())
}

/// Store `values` as the whole contents of key `id`, which has no elements: at
/// positions 0 .. n-1, so the caller records head 0 and len n (SORT ... STORE,
/// RESTORE).
pub fn write_all<V: AsRef<[u8]>>(conn: &Connection, id: i64, values: &[V]) -> Result<Span> {
    let refs: Vec<&[u8]> = values.iter().map(|v| v.as_ref()).collect();
    push(conn, id, Span { head: 0, len: 0 }, &refs, End::Right)
}

/// The index of the first element equal to `value` scanning from the left, if any
/// (LINSERT's pivot).
pub fn find(conn: &Connection, id: i64, span: Span, value: &[u8]) -> Result<Option<i64>> {
    let pos: Option<i64> = conn
        .prepare_cached(
            "SELECT pos FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4 \
             ORDER BY pos LIMIT 1",
        )?
        .query_row(params![id, span.head, span.tail(), value], |r| r.get(0))
        .optional()?;
    Ok(pos.map(|p| p - span.head))
}

/// LPOS's scan: the indexes of the elements equal to `value`, walking from `from`,
/// looking at no more than `maxlen` elements (0: all), skipping the first `skip`
/// matches and returning at most `limit` (None: all).
#[allow(clippy::too_many_arguments)] // LPOS's options, each plain
pub fn positions(
    conn: &Connection,
    id: i64,
    span: Span,
    value: &[u8],
    from: End,
    maxlen: i64,
    skip: i64,
    limit: Option<i64>,
) -> Result<Vec<i64>> {
    let seen = if maxlen == 0 {
        span.len
    } else {
        maxlen.min(span.len)
    };
    let (lo, hi, sql) = match from {
        End::Left => (
            span.head,
            span.head + seen - 1,
            "SELECT pos FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4 \
             ORDER BY pos LIMIT ?6 OFFSET ?5",
        ),
        End::Right => (
            span.tail() - seen + 1,
            span.tail(),
            "SELECT pos FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4 \
             ORDER BY pos DESC LIMIT ?6 OFFSET ?5",
        ),
    };
    let rows = conn
        .prepare_cached(sql)?
        .query_map(params![id, lo, hi, value, skip, limit.unwrap_or(-1)], |r| {
            r.get::<_, i64>(0)
        })?
        .map(|p| p.map(|p| p - span.head))
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Insert `value` so that it becomes element `index` (0 ..= len); returns the new
/// span. The side of `index` with fewer elements moves by one position.
pub fn insert(conn: &Connection, id: i64, span: Span, index: i64, value: &[u8]) -> Result<Span> {
    let (pos, after) = if index < span.len - index {
        // Elements 0 .. index-1 move one position to the left.
        if index > 0 {
            shift(conn, id, span.head, span.pos(index) - 1, -1)?;
            restore_shifted(conn, id)?;
        }
        (
            span.pos(index) - 1,
            Span {
                head: span.head - 1,
                len: span.len + 1,
            },
        )
    } else {
        // Elements index .. len-1 move one position to the right.
        if index < span.len {
            shift(conn, id, span.pos(index), span.tail(), 1)?;
            restore_shifted(conn, id)?;
        }
        (
            span.pos(index),
            Span {
                head: span.head,
                len: span.len + 1,
            },
        )
    };
    conn.prepare_cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")?
        .execute(params![id, pos, value])?;
    Ok(after)
}

/// Remove elements equal to `value`: the first `count` from the left (count > 0), the
/// first -count from the right (count < 0), or all (0). Returns how many went and the
/// new span; the remaining elements are renumbered, moving the shorter side.
pub fn remove(
    conn: &Connection,
    id: i64,
    span: Span,
    value: &[u8],
    count: i64,
) -> Result<(i64, Span)> {
    // Which matches go: the first |count| from the left (count > 0) or from the right
    // (count < 0), or all; how many, and the first and last of their positions.
    let (sql, limit) = match count {
        c if c < 0 => (
            "SELECT count(*), min(pos), max(pos) FROM (SELECT pos FROM lists \
             WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4 ORDER BY pos DESC LIMIT ?5)",
            c.checked_neg().unwrap_or(i64::MAX),
        ),
        c => (
            "SELECT count(*), min(pos), max(pos) FROM (SELECT pos FROM lists \
             WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4 ORDER BY pos LIMIT ?5)",
            if c == 0 { -1 } else { c },
        ),
    };
    let (m, first, last): (i64, Option<i64>, Option<i64>) = conn
        .prepare_cached(sql)?
        .query_row(params![id, span.head, span.tail(), value, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok((0, span));
    };
    // The matches between the first and the last one taken are exactly those taken
    // (they are the first |count| in scan order).
    conn.prepare_cached(
        "DELETE FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3 AND value = ?4",
    )?
    .execute(params![id, first, last, value])?;
    // Close the holes from one side, in one statement: the elements right of the
    // first hole move left, or those left of the last hole move right. Whichever
    // moves fewer rows.
    let right_side = span.tail() - first - (m - 1);
    let left_side = last - span.head - (m - 1);
    let after = if right_side <= left_side {
        renumber(conn, id, first, span.tail(), first)?;
        Span {
            head: span.head,
            len: span.len - m,
        }
    } else {
        renumber(conn, id, span.head, last, span.head + m)?;
        Span {
            head: span.head + m,
            len: span.len - m,
        }
    };
    restore_shifted(conn, id)?;
    Ok((m, after))
}

/// Keep only indexes `start` ..= `stop` (already clamped; start > stop keeps nothing);
/// returns the new span.
pub fn trim(conn: &Connection, id: i64, span: Span, start: i64, stop: i64) -> Result<Span> {
    if start > stop {
        delete(conn, id)?;
        return Ok(Span {
            head: span.head,
            len: 0,
        });
    }
    if start > 0 {
        delete_range(conn, id, span.head, span.pos(start) - 1)?;
    }
    if stop < span.len - 1 {
        delete_range(conn, id, span.pos(stop) + 1, span.tail())?;
    }
    Ok(Span {
        head: span.pos(start),
        len: stop - start + 1,
    })
}

fn delete_range(conn: &Connection, id: i64, lo: i64, hi: i64) -> Result<()> {
    crate::db::execute_hot(
        conn,
        "DELETE FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3",
        params![id, lo, hi],
    )?;
    Ok(())
}

/// Move the elements at positions lo ..= hi by `by`, into the scratch key id `-id`
/// (where nothing else lives, so no order of row updates can collide). Every shift of
/// one renumbering goes there; `restore_shifted` brings them all back at once.
fn shift(conn: &Connection, id: i64, lo: i64, hi: i64, by: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE lists SET key_id = -key_id, pos = pos + ?4 WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3",
    )?
    .execute(params![id, lo, hi, by])?;
    Ok(())
}

/// Give the elements between positions lo and hi (with holes among them) the
/// consecutive positions from `to` on, in order, in the scratch key id `-id` (as
/// `shift` does); `restore_shifted` brings them back.
fn renumber(conn: &Connection, id: i64, lo: i64, hi: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE lists SET key_id = -key_id, pos = r.new_pos \
         FROM (SELECT pos AS old_pos, ?4 + row_number() OVER (ORDER BY pos) - 1 AS new_pos \
               FROM lists WHERE key_id = ?1 AND pos BETWEEN ?2 AND ?3) AS r \
         WHERE lists.key_id = ?1 AND lists.pos = r.old_pos",
    )?
    .execute(params![id, lo, hi, to])?;
    Ok(())
}

/// Bring the shifted elements back to key id `id`, at the positions they were moved to.
fn restore_shifted(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE lists SET key_id = -key_id WHERE key_id = -?1")?
        .execute(params![id])?;
    Ok(())
}

/// Remove every element of key `id`.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM lists WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Give key `to` (empty) a copy of the elements of key `from` (COPY): the same
/// positions, so the head travels with them (types/mod.rs copies keys.head and len).
pub fn copy(conn: &Connection, from: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO lists (key_id, pos, value) SELECT ?2, pos, value FROM lists WHERE key_id = ?1",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// Append the DUMP encoding of key `id`'s elements to `out` (see types/mod.rs): the
/// elements, left to right.
pub fn dump(conn: &Connection, id: i64, out: &mut Vec<u8>) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT value FROM lists WHERE key_id = ?1 ORDER BY pos")?;
    let mut rows = stmt.query(params![id])?;
    while let Some(row) = rows.next()? {
        let value: Vec<u8> = row.get(0)?;
        put_blob(out, &value);
    }
    Ok(())
}

/// Store the elements of a DUMP payload as key `id`'s (empty), at positions
/// 0 .. n-1 (types/mod.rs then records head 0 and len n); returns their count.
pub fn restore(conn: &Connection, id: i64, body: &mut Reader<'_>) -> Result<i64> {
    let mut insert =
        conn.prepare_cached("INSERT INTO lists (key_id, pos, value) VALUES (?1, ?2, ?3)")?;
    let mut n: i64 = 0;
    while !body.is_empty() {
        insert.execute(params![id, n, body.blob()?])?;
        n += 1;
    }
    Ok(n)
}

/// OBJECT ENCODING: Redis 7.0 keeps every list in a quicklist, whatever its size.
pub fn encoding(_conn: &Connection, _id: i64, _len: i64) -> Result<&'static str> {
    Ok("quicklist")
}
