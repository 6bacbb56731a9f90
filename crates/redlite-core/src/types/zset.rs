//! Sorted sets: one row per member in `zsets` (key_id, member, score).
//!
//! Order is (score, member), held by the index `zsets_by_score` (key_id, score,
//! member): SQLite compares REALs numerically and BLOBs with memcmp then length,
//! which is Redis's order exactly. Scores are never NaN (the commands refuse them);
//! -inf and +inf are ordinary REALs. SQLite has no negative zero: a score of -0 reads
//! back as 0, as it does from Redis's listpack encoding.
//!
//! Ranks: a b-tree keeps no order statistics, so a rank is a count of the index
//! entries before a position (ZRANK walks them, O(rank)) and a range by rank is an
//! OFFSET walk of the index, taken from whichever end is nearer (ZRANGE k 1000 1009
//! steps over 1000 entries of a set of 10^6, ZRANGE k -10 -1 over none).
//!
//! `keys.len` is the member count. `keys.head`, which positions a list, holds for a
//! sorted set whether Redis would have converted it to a skiplist (1): Redis converts
//! once, when the set outgrows its listpack, and never back as it shrinks, which
//! OBJECT ENCODING and ZSCAN show. Nothing here writes the `keys` row: the commands
//! keep it through `keyspace::set_len` and `keyspace::touch`.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::types::{put_blob, Reader, BAD_DATA};

/// Redis 7.0's `zset-max-listpack-entries`.
pub const LISTPACK_MAX_ENTRIES: i64 = 128;
/// Redis 7.0's `zset-max-listpack-value`: the longest member a listpack holds.
pub const LISTPACK_MAX_VALUE: usize = 64;

/// One member and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub member: Vec<u8>,
    pub score: f64,
}

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        member: r.get(0)?,
        score: r.get(1)?,
    })
}

/// A score interval: ZRANGEBYSCORE's min and max, each inclusive or exclusive ('(').
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub min_ex: bool,
    pub max: f64,
    pub max_ex: bool,
}

impl ScoreRange {
    /// True if no score can be in it (Redis's `zslIsInRange` test).
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.min_ex || self.max_ex))
    }

    /// The SQL condition on `score`, comparing with ?2 (min) and ?3 (max).
    fn sql(&self) -> &'static str {
        match (self.min_ex, self.max_ex) {
            (false, false) => "score >= ?2 AND score <= ?3",
            (true, false) => "score > ?2 AND score <= ?3",
            (false, true) => "score >= ?2 AND score < ?3",
            (true, true) => "score > ?2 AND score < ?3",
        }
    }
}

/// One end of a lexicographic range: `-`, `+`, `[member` or `(member`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: below every member.
    Min,
    /// `+`: above every member.
    Max,
    Incl(Vec<u8>),
    Excl(Vec<u8>),
}

impl LexBound {
    /// Redis's `sdscmplex` of two bounds' values (`-` and `+` below and above all).
    fn cmp_value(&self, other: &LexBound) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        use LexBound::*;
        match (self, other) {
            (Min, Min) | (Max, Max) => Equal,
            (Min, _) | (_, Max) => Less,
            (Max, _) | (_, Min) => Greater,
            (Incl(a) | Excl(a), Incl(b) | Excl(b)) => a.cmp(b),
        }
    }

    /// `-` and `+` count as exclusive, as Redis parses them.
    fn exclusive(&self) -> bool {
        !matches!(self, LexBound::Incl(_))
    }
}

/// A lexicographic range: ZRANGEBYLEX's min and max.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

impl LexRange {
    /// True if no member can be in it (Redis's first test in `zslIsInLexRange`).
    pub fn is_empty(&self) -> bool {
        match self.min.cmp_value(&self.max) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => self.min.exclusive() || self.max.exclusive(),
            std::cmp::Ordering::Less => false,
        }
    }

    /// True if `m` is at or above the range's start.
    pub fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => true,
            LexBound::Max => false,
            LexBound::Incl(b) => m >= b.as_slice(),
            LexBound::Excl(b) => m > b.as_slice(),
        }
    }

    /// True if `m` is at or below the range's end.
    pub fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::Max => true,
            LexBound::Min => false,
            LexBound::Incl(b) => m <= b.as_slice(),
            LexBound::Excl(b) => m < b.as_slice(),
        }
    }

    /// SQL conditions on `member` (each starting " AND "), their parameters appended
    /// to `vals`. Only for a range that is not empty.
    fn sql(&self, vals: &mut Vec<Value>) -> String {
        let mut sql = String::new();
        for (bound, incl, excl) in [(&self.min, ">=", ">"), (&self.max, "<=", "<")] {
            let (op, b) = match bound {
                LexBound::Incl(b) => (incl, b),
                LexBound::Excl(b) => (excl, b),
                _ => continue,
            };
            vals.push(Value::Blob(b.clone()));
            sql.push_str(&format!(" AND member {} ?{}", op, vals.len()));
        }
        sql
    }
}

// ---------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------

/// The score of `member`, if it is in the set.
pub fn score(conn: &Connection, id: i64, member: &[u8]) -> Result<Option<f64>> {
    Ok(conn
        .prepare_cached("SELECT score FROM zsets WHERE key_id = ?1 AND member = ?2")?
        .query_row(params![id, member], |r| r.get(0))
        .optional()?)
}

/// The 0-based rank of `member` (whose score is `score`): how many members come
/// before it in (score, member) order. O(rank): a count over the index.
pub fn rank(conn: &Connection, id: i64, member: &[u8], score: f64) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM zsets WHERE key_id = ?1 AND (score, member) < (?2, ?3)",
        )?
        .query_row(params![id, score, member], |r| r.get(0))?)
}

/// The member at 0-based rank `rank` (0 <= rank < len) of a set of `len` members,
/// found by an OFFSET walk from the nearer end.
pub fn at_rank(conn: &Connection, id: i64, len: i64, rank: i64) -> Result<Option<Entry>> {
    let (sql, offset) = if rank <= len - 1 - rank {
        ("SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member LIMIT 1 OFFSET ?2", rank)
    } else {
        (
            "SELECT member, score FROM zsets WHERE key_id = ?1 \
             ORDER BY score DESC, member DESC LIMIT 1 OFFSET ?2",
            len - 1 - rank,
        )
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![id, offset], entry)
        .optional()?)
}

/// The members of ranks `start..=stop` (0 <= start <= stop < len), in order. An
/// OFFSET walk from the nearer end: O(min(start, len - stop) + stop - start).
pub fn range_by_rank(
    conn: &Connection,
    id: i64,
    len: i64,
    start: i64,
    stop: i64,
) -> Result<Vec<Entry>> {
    let count = stop - start + 1;
    if start <= len - 1 - stop {
        query_entries(
            conn,
            "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member LIMIT ?3 OFFSET ?2",
            params![id, start, count],
        )
    } else {
        let mut rows = query_entries(
            conn,
            "SELECT member, score FROM zsets WHERE key_id = ?1 \
             ORDER BY score DESC, member DESC LIMIT ?3 OFFSET ?2",
            params![id, len - 1 - stop, count],
        )?;
        rows.reverse();
        Ok(rows)
    }
}

/// How many members have a score in `range`. A count over the index: O(answer).
pub fn count_by_score(conn: &Connection, id: i64, range: &ScoreRange) -> Result<i64> {
    if range.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT count(*) FROM zsets WHERE key_id = ?1 AND {}",
        range.sql()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id, range.min, range.max], |r| r.get(0))?)
}

/// The members with a score in `range`, in order (reversed if `rev`), after skipping
/// `offset` of them (none at all if `offset` is negative, as Redis), at most `limit`
/// of them (no limit if negative).
pub fn range_by_score(
    conn: &Connection,
    id: i64,
    range: &ScoreRange,
    rev: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<Entry>> {
    if range.is_empty() || offset < 0 || limit == 0 {
        return Ok(Vec::new());
    }
    let order = if rev {
        "score DESC, member DESC"
    } else {
        "score, member"
    };
    let sql = format!(
        "SELECT member, score FROM zsets WHERE key_id = ?1 AND {} ORDER BY {} LIMIT ?5 OFFSET ?4",
        range.sql(),
        order
    );
    query_entries(
        conn,
        &sql,
        params![id, range.min, range.max, offset, limit.max(-1)],
    )
}

/// Visit the members with a score in `range`, in order, while `visit` returns true:
/// a walk of the index that reads no further than the visitor goes (GEOSEARCH ...
/// ANY stops at its COUNT).
pub fn visit_by_score(
    conn: &Connection,
    id: i64,
    range: &ScoreRange,
    mut visit: impl FnMut(Entry) -> bool,
) -> Result<()> {
    if range.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT member, score FROM zsets WHERE key_id = ?1 AND {} ORDER BY score, member",
        range.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, range.min, range.max])?;
    while let Some(row) = rows.next()? {
        if !visit(entry(row)?) {
            break;
        }
    }
    Ok(())
}

/// How a lexicographic range meets a set. Redis's lex commands assume one score for
/// every member; then the range is a range of the index at that score. With mixed
/// scores Redis's answer is "unspecified" but definite: the listpack encoding walks
/// the (score, member) order from the first member at or above min while members stay
/// at or below max, and that walk is what redlite does too (over the whole set: O(N)).
enum LexPlan {
    /// Empty set, or an empty range.
    Nothing,
    /// Every member has this score.
    OneScore(f64),
    /// Mixed scores: walk the whole set.
    Walk(Vec<Entry>),
}

fn lex_plan(conn: &Connection, id: i64, range: &LexRange) -> Result<LexPlan> {
    if range.is_empty() {
        return Ok(LexPlan::Nothing);
    }
    let bounds: (Option<f64>, Option<f64>) = conn
        .prepare_cached(
            "SELECT (SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score LIMIT 1), \
                    (SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score DESC LIMIT 1)",
        )?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(match bounds {
        (Some(lo), Some(hi)) if lo == hi => LexPlan::OneScore(lo),
        (Some(_), Some(_)) => LexPlan::Walk(all(conn, id)?),
        _ => LexPlan::Nothing,
    })
}

/// Redis's `zzlFirstInLexRange`: where the forward walk of a lex range starts.
fn walk_first(all: &[Entry], range: &LexRange) -> Option<usize> {
    let (first, last) = (all.first()?, all.last()?);
    if !range.gte_min(&last.member) || !range.lte_max(&first.member) {
        return None;
    }
    let i = all.iter().position(|e| range.gte_min(&e.member))?;
    range.lte_max(&all[i].member).then_some(i)
}

/// Redis's `zzlLastInLexRange`: where the backward walk starts.
fn walk_last(all: &[Entry], range: &LexRange) -> Option<usize> {
    let (first, last) = (all.first()?, all.last()?);
    if !range.gte_min(&last.member) || !range.lte_max(&first.member) {
        return None;
    }
    let i = all.iter().rposition(|e| range.lte_max(&e.member))?;
    range.gte_min(&all[i].member).then_some(i)
}

/// The forward walk of a lex range: indexes `first..end` of `all`.
fn walk_span(all: &[Entry], range: &LexRange) -> std::ops::Range<usize> {
    match walk_first(all, range) {
        Some(i) => {
            let n = all[i..]
                .iter()
                .take_while(|e| range.lte_max(&e.member))
                .count();
            i..i + n
        }
        None => 0..0,
    }
}

/// How many members are in the lex range.
pub fn count_by_lex(conn: &Connection, id: i64, range: &LexRange) -> Result<i64> {
    match lex_plan(conn, id, range)? {
        LexPlan::Nothing => Ok(0),
        LexPlan::OneScore(score) => {
            let mut vals = vec![Value::Integer(id), Value::Real(score)];
            let sql = format!(
                "SELECT count(*) FROM zsets WHERE key_id = ?1 AND score = ?2{}",
                range.sql(&mut vals)
            );
            Ok(conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(vals), |r| r.get(0))?)
        }
        LexPlan::Walk(all) => Ok(walk_span(&all, range).len() as i64),
    }
}

/// The members in the lex range, in order (reversed if `rev`), with ZRANGEBYLEX's
/// offset and limit (as in `range_by_score`).
pub fn range_by_lex(
    conn: &Connection,
    id: i64,
    range: &LexRange,
    rev: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<Entry>> {
    if offset < 0 || limit == 0 {
        return Ok(Vec::new());
    }
    match lex_plan(conn, id, range)? {
        LexPlan::Nothing => Ok(Vec::new()),
        LexPlan::OneScore(score) => {
            let mut vals = vec![Value::Integer(id), Value::Real(score)];
            let cond = range.sql(&mut vals);
            vals.push(Value::Integer(limit.max(-1)));
            vals.push(Value::Integer(offset));
            let sql = format!(
                "SELECT member, score FROM zsets WHERE key_id = ?1 AND score = ?2{} \
                 ORDER BY member{} LIMIT ?{} OFFSET ?{}",
                cond,
                if rev { " DESC" } else { "" },
                vals.len() - 1,
                vals.len()
            );
            query_entries(conn, &sql, params_from_iter(vals))
        }
        LexPlan::Walk(all) => {
            // As Redis's listpack walk: skip `offset` members whatever they are, then
            // take members while they are within the far end of the range.
            let limit = if limit < 0 {
                usize::MAX
            } else {
                limit as usize
            };
            let offset = usize::try_from(offset).unwrap_or(usize::MAX);
            let picked: Vec<Entry> = if rev {
                match walk_last(&all, range) {
                    Some(i) if offset <= i => all[..=i - offset]
                        .iter()
                        .rev()
                        .take_while(|e| range.gte_min(&e.member))
                        .take(limit)
                        .cloned()
                        .collect(),
                    _ => Vec::new(),
                }
            } else {
                match walk_first(&all, range) {
                    Some(i) => all
                        .iter()
                        .skip(i.saturating_add(offset))
                        .take_while(|e| range.lte_max(&e.member))
                        .take(limit)
                        .cloned()
                        .collect(),
                    None => Vec::new(),
                }
            };
            Ok(picked)
        }
    }
}

/// Every member, in (score, member) order.
pub fn all(conn: &Connection, id: i64) -> Result<Vec<Entry>> {
    query_entries(
        conn,
        "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member",
        params![id],
    )
}

/// Every member in (score, member) order, without scores (SORT's input).
pub fn members_in_order(conn: &Connection, id: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached("SELECT member FROM zsets WHERE key_id = ?1 ORDER BY score, member")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The members at the given ranks (sorted, distinct), in order: one walk of the index
/// up to the last rank wanted.
pub fn at_ranks(conn: &Connection, id: i64, ranks: &[i64]) -> Result<Vec<Entry>> {
    let Some(&last) = ranks.last() else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member LIMIT ?2",
    )?;
    let mut rows = stmt.query(params![id, last + 1])?;
    let mut out = Vec::with_capacity(ranks.len());
    let mut wanted = ranks.iter().peekable();
    let mut rank = 0i64;
    while let Some(row) = rows.next()? {
        if wanted.peek() == Some(&&rank) {
            wanted.next();
            out.push(entry(row)?);
        }
        rank += 1;
    }
    Ok(out)
}

/// Members from `from` on, in member order (ZSCAN's pages), while `keep(member,
/// taken so far)` says so; also the first member refused, if any.
pub fn members_from(
    conn: &Connection,
    id: i64,
    from: &[u8],
    mut keep: impl FnMut(&[u8], usize) -> bool,
) -> Result<(Vec<Entry>, Option<Entry>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT member, score FROM zsets WHERE key_id = ?1 AND member >= ?2 ORDER BY member",
    )?;
    let mut rows = stmt.query(params![id, from])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        if !keep(&e.member, out.len()) {
            return Ok((out, Some(e)));
        }
        out.push(e);
    }
    Ok((out, None))
}

/// The length of the longest member (0 for an empty set).
fn max_member_len(conn: &Connection, id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(length(member)), 0) FROM zsets WHERE key_id = ?1")?
        .query_row(params![id], |r| r.get(0))?)
}

/// True if Redis 7.0 would hold this set as a listpack: it was never converted to a
/// skiplist (`skiplist`, from keys.head), it has at most 128 members, none longer than
/// 64 bytes.
pub fn is_listpack(conn: &Connection, id: i64, len: i64, skiplist: bool) -> Result<bool> {
    Ok(!skiplist
        && len <= LISTPACK_MAX_ENTRIES
        && max_member_len(conn, id)? <= LISTPACK_MAX_VALUE as i64)
}

fn query_entries(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Entry>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(p, entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------
// Writes. The caller keeps keys.len (and the version) with keyspace::set_len / touch.
// ---------------------------------------------------------------------------------

/// Add a member that is not in the set.
pub fn insert(conn: &Connection, id: i64, member: &[u8], score: f64) -> Result<()> {
    conn.prepare_cached("INSERT INTO zsets (key_id, member, score) VALUES (?1, ?2, ?3)")?
        .execute(params![id, member, score])?;
    Ok(())
}

/// Change the score of a member that is in the set.
pub fn update(conn: &Connection, id: i64, member: &[u8], score: f64) -> Result<()> {
    conn.prepare_cached("UPDATE zsets SET score = ?3 WHERE key_id = ?1 AND member = ?2")?
        .execute(params![id, member, score])?;
    Ok(())
}

/// Remove `member`; true if it was there.
pub fn remove(conn: &Connection, id: i64, member: &[u8]) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM zsets WHERE key_id = ?1 AND member = ?2")?
        .execute(params![id, member])?;
    Ok(n == 1)
}

/// Remove the members of ranks `start..=stop` (0 <= start <= stop < len); returns how
/// many. The two ends are found by rank (OFFSET walks), the rest is one range delete.
pub fn remove_by_rank(conn: &Connection, id: i64, len: i64, start: i64, stop: i64) -> Result<i64> {
    let (Some(first), Some(last)) = (
        at_rank(conn, id, len, start)?,
        at_rank(conn, id, len, stop)?,
    ) else {
        return Ok(0);
    };
    let n = conn
        .prepare_cached(
            "DELETE FROM zsets WHERE key_id = ?1 \
             AND (score, member) >= (?2, ?3) AND (score, member) <= (?4, ?5)",
        )?
        .execute(params![
            id,
            first.score,
            first.member,
            last.score,
            last.member
        ])?;
    Ok(n as i64)
}

/// Remove the members with a score in `range`; returns how many.
pub fn remove_by_score(conn: &Connection, id: i64, range: &ScoreRange) -> Result<i64> {
    if range.is_empty() {
        return Ok(0);
    }
    let sql = format!("DELETE FROM zsets WHERE key_id = ?1 AND {}", range.sql());
    let n = conn
        .prepare_cached(&sql)?
        .execute(params![id, range.min, range.max])?;
    Ok(n as i64)
}

/// Remove the members in the lex range (the same members `count_by_lex` counts).
pub fn remove_by_lex(conn: &Connection, id: i64, range: &LexRange) -> Result<i64> {
    match lex_plan(conn, id, range)? {
        LexPlan::Nothing => Ok(0),
        LexPlan::OneScore(score) => {
            let mut vals = vec![Value::Integer(id), Value::Real(score)];
            let sql = format!(
                "DELETE FROM zsets WHERE key_id = ?1 AND score = ?2{}",
                range.sql(&mut vals)
            );
            Ok(conn.prepare_cached(&sql)?.execute(params_from_iter(vals))? as i64)
        }
        LexPlan::Walk(all) => {
            let span = walk_span(&all, range);
            let n = span.len() as i64;
            for e in &all[span] {
                remove(conn, id, &e.member)?;
            }
            Ok(n)
        }
    }
}

/// Remove and return up to `count` members from the low end (or the high end, `max`),
/// in the order they leave.
pub fn pop(conn: &Connection, id: i64, count: i64, max: bool) -> Result<Vec<Entry>> {
    let sql = if max {
        "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score DESC, member DESC LIMIT ?2"
    } else {
        "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member LIMIT ?2"
    };
    let popped = query_entries(conn, sql, params![id, count])?;
    for e in &popped {
        remove(conn, id, &e.member)?;
    }
    Ok(popped)
}

/// Fill key `id` (empty) with `entries` (distinct members).
pub fn insert_all(conn: &Connection, id: i64, entries: &[Entry]) -> Result<()> {
    for e in entries {
        insert(conn, id, &e.member, e.score)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// The per-type hooks of types/mod.rs.
// ---------------------------------------------------------------------------------

/// Remove every element of key `id`.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM zsets WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Give key `to` (empty) a copy of the elements of key `from` (COPY).
pub fn copy(conn: &Connection, from: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO zsets (key_id, member, score) SELECT ?2, member, score FROM zsets WHERE key_id = ?1",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// Append the DUMP encoding of key `id`'s elements to `out` (see types/mod.rs): for
/// each member in order, the member, then its score as the 8 bytes of an IEEE double,
/// little endian.
pub fn dump(conn: &Connection, id: i64, out: &mut Vec<u8>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT member, score FROM zsets WHERE key_id = ?1 ORDER BY score, member",
    )?;
    let mut rows = stmt.query(params![id])?;
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        put_blob(out, &e.member);
        put_blob(out, &e.score.to_le_bytes());
    }
    Ok(())
}

/// Store the elements of a DUMP payload as key `id`'s (empty); returns their count.
/// A repeated member, a score that is not 8 bytes or is NaN is "Bad data format".
pub fn restore(conn: &Connection, id: i64, body: &mut Reader<'_>) -> Result<i64> {
    let bad = || Error::redis(BAD_DATA);
    let mut seen = HashSet::new();
    let mut n = 0;
    while !body.is_empty() {
        let member = body.blob()?;
        let bytes: [u8; 8] = body.blob()?.try_into().map_err(|_| bad())?;
        let score = f64::from_le_bytes(bytes);
        if score.is_nan() || !seen.insert(member) {
            return Err(bad());
        }
        insert(conn, id, member, score)?;
        n += 1;
    }
    Ok(n)
}

/// OBJECT ENCODING, as Redis 7.0 would choose for this key of `len` elements:
/// "listpack" while it has at most 128 members of at most 64 bytes and was never
/// converted, else "skiplist".
pub fn encoding(conn: &Connection, id: i64, len: i64) -> Result<&'static str> {
    let skiplist: i64 = conn
        .prepare_cached("SELECT head FROM keys WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))?;
    Ok(if is_listpack(conn, id, len, skiplist != 0)? {
        "listpack"
    } else {
        "skiplist"
    })
}
