//! The searches: GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and
//! GEOSEARCHSTORE, as Redis 7.0's `georadiusGeneric` (geo.c) runs them.
//!
//! The order of everything that shows is Redis's: the key's type is checked first,
//! then the centre and radius of the older commands, then the options left to right
//! (each parsed, and the FROMMEMBER member looked up, as it is met), then the errors
//! of their combination, then the missing key. The points are collected cell by
//! cell in Redis's order (centre, N, S, E, W, NE, NW, SE, SW; each cell's members
//! in score order), so COUNT ... ANY stops at the same members, and they are sorted
//! by the same algorithms: glibc's merge sort (stable) when every result is
//! returned, Redis's partial quicksort (pqsort.c) when COUNT cuts them, so that
//! members at equal distances come out in Redis's order too.

use super::hash::{self, Shape, ShapeKind};
use super::{float_arg, is, long_lat, member_position, unit};
use crate::command::zsets;
use crate::command::{Args, Ctx};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;
use crate::types::zset::{self, Entry, ScoreRange};

/// Which command runs the search. `store`: GEORADIUS and GEORADIUSBYMEMBER take
/// STORE and STOREDIST (their _RO forms do not); GEOSEARCHSTORE stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Radius { store: bool },
    ByMember { store: bool },
    Search { store: bool },
}

/// One member found in the shape (Redis's `geoPoint`).
struct Point {
    lon: f64,
    lat: f64,
    dist: f64,
    score: f64,
    member: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// `extractDistanceOrReply`: a radius and the size of its unit in meters.
fn distance_arg(radius: &[u8], unit_arg: &[u8]) -> Result<(f64, f64)> {
    let d = float_arg(radius, "ERR need numeric radius")?;
    if d < 0.0 {
        return Err(Error::redis("ERR radius cannot be negative"));
    }
    Ok((d, unit(unit_arg)?))
}

/// `extractBoxOrReply`: width, height and the size of their unit in meters.
fn box_arg(width: &[u8], height: &[u8], unit_arg: &[u8]) -> Result<(f64, f64, f64)> {
    let w = float_arg(width, "ERR need numeric width")?;
    let h = float_arg(height, "ERR need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return Err(Error::redis("ERR height or width cannot be negative"));
    }
    Ok((w, h, unit(unit_arg)?))
}

const NO_MEMBER: &str = "ERR could not decode requested zset member";

/// Redis's `georadiusGeneric`.
pub fn run(ctx: &mut Ctx<'_>, args: &mut Args<'_>, variant: Variant) -> Result<Reply> {
    let argv = args.rest();
    // `at(i)` is C's `c->argv[i]` (the command name is 0).
    let at = |i: usize| argv[i - 1];
    let argc = argv.len() + 1;
    let (search, search_store, no_store) = match variant {
        Variant::Search { store } => (true, store, false),
        Variant::Radius { store } | Variant::ByMember { store } => (false, false, !store),
    };
    let src = zsets::read_zset(ctx, at(if search_store { 2 } else { 1 }))?;
    let conn = ctx.conn()?;

    let mut shape = Shape {
        kind: ShapeKind::Circle { radius: 0.0 },
        xy: [0.0, 0.0],
        conversion: 0.0,
        bounds: [0.0; 4],
    };
    let mut store_key: Option<&[u8]> = None;
    let mut store_dist = false;
    let base_args = match variant {
        Variant::Radius { .. } => {
            shape.xy = long_lat(at(2), at(3))?;
            let (radius, conversion) = distance_arg(at(4), at(5))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conversion;
            6
        }
        // No key: the options are still read, for the reply STORE asks for.
        Variant::ByMember { .. } if src.is_none() => 5,
        Variant::ByMember { .. } => {
            let id = src.as_ref().map_or(0, |m| m.id);
            shape.xy = member_position(conn, id, at(2))?.ok_or_else(|| Error::redis(NO_MEMBER))?;
            let (radius, conversion) = distance_arg(at(3), at(4))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conversion;
            5
        }
        Variant::Search { store } => {
            if store {
                store_key = Some(at(1));
                3
            } else {
                2
            }
        }
    };

    let (mut withdist, mut withhash, mut withcoords) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    // ANY: stop as soon as COUNT points are found. COUNT 0: no limit.
    let mut any = false;
    let mut count: i64 = 0;
    let remaining = argc.saturating_sub(base_args);
    let opt = |i: usize| at(base_args + i);
    let mut i = 0;
    while i < remaining {
        let arg = opt(i);
        if is(arg, "withdist") {
            withdist = true;
        } else if is(arg, "withhash") {
            withhash = true;
        } else if is(arg, "withcoord") {
            withcoords = true;
        } else if is(arg, "any") {
            any = true;
        } else if is(arg, "asc") {
            sort = Sort::Asc;
        } else if is(arg, "desc") {
            sort = Sort::Desc;
        } else if is(arg, "count") && i + 1 < remaining {
            count = crate::command::args::parse_i64(opt(i + 1))
                .ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
            if count <= 0 {
                return Err(Error::redis("ERR COUNT must be > 0"));
            }
            i += 1;
        } else if is(arg, "store") && i + 1 < remaining && !no_store && !search {
            store_key = Some(opt(i + 1));
            store_dist = false;
            i += 1;
        } else if is(arg, "storedist") && i + 1 < remaining && !no_store && !search {
            store_key = Some(opt(i + 1));
            store_dist = true;
            i += 1;
        } else if is(arg, "storedist") && search && search_store {
            store_dist = true;
        } else if is(arg, "frommember") && i + 1 < remaining && search && !fromloc {
            // No key: go on reading the options, the error comes once they are read.
            if let Some(m) = &src {
                shape.xy = member_position(conn, m.id, opt(i + 1))?
                    .ok_or_else(|| Error::redis(NO_MEMBER))?;
            }
            frommember = true;
            i += 1;
        } else if is(arg, "fromlonlat") && i + 2 < remaining && search && !frommember {
            shape.xy = long_lat(opt(i + 1), opt(i + 2))?;
            fromloc = true;
            i += 2;
        } else if is(arg, "byradius") && i + 2 < remaining && search && !bybox {
            let (radius, conversion) = distance_arg(opt(i + 1), opt(i + 2))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conversion;
            byradius = true;
            i += 2;
        } else if is(arg, "bybox") && i + 3 < remaining && search && !byradius {
            let (width, height, conversion) = box_arg(opt(i + 1), opt(i + 2), opt(i + 3))?;
            shape.kind = ShapeKind::Box { width, height };
            shape.conversion = conversion;
            bybox = true;
            i += 3;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
        i += 1;
    }

    if store_key.is_some() && (withdist || withhash || withcoords) {
        return Err(Error::redis(format!(
            "ERR {} is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
            if search_store {
                "GEOSEARCHSTORE"
            } else {
                "STORE option in GEORADIUS"
            }
        )));
    }
    let name = ctx.spec.name.to_ascii_uppercase();
    if search && !(frommember || fromloc) {
        return Err(Error::redis(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
            name
        )));
    }
    if search && !(byradius || bybox) {
        return Err(Error::redis(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {}",
            name
        )));
    }
    if any && count == 0 {
        return Err(Error::redis("ERR the ANY argument requires COUNT argument"));
    }

    let Some(src) = src else {
        return Ok(match store_key {
            // The destination is deleted, as by an empty result.
            Some(dst) => {
                zsets::store_and_signal(ctx, dst, &[])?;
                Reply::Int(0)
            }
            None => Reply::Array(Vec::new()),
        });
    };

    // COUNT without an order means the nearest COUNT: ascending (not with ANY).
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    let area = hash::areas_for_shape(&mut shape);
    let limit = if any { count as u64 } else { 0 };
    let mut points = Vec::new();
    collect(conn, src.id, &area, &shape, limit, &mut points)?;

    if points.is_empty() && store_key.is_none() {
        return Ok(Reply::Array(Vec::new()));
    }
    let returned = if count == 0 || (points.len() as u64) < count as u64 {
        points.len()
    } else {
        count as usize
    };
    if sort != Sort::None {
        let cmp = |a: &Point, b: &Point| {
            let asc = by_distance(a, b);
            if sort == Sort::Asc {
                asc
            } else {
                -asc
            }
        };
        if returned == points.len() {
            merge_sort(&mut points, &cmp);
        } else {
            partial_quicksort(&mut points, &cmp, 0, returned - 1);
        }
    }
    points.truncate(returned);

    let Some(dst) = store_key else {
        let options = usize::from(withdist) + usize::from(withcoords) + usize::from(withhash);
        let mut out = Vec::with_capacity(points.len());
        for p in points {
            let dist = p.dist / shape.conversion;
            if options == 0 {
                out.push(Reply::Bulk(p.member));
                continue;
            }
            let mut item = Vec::with_capacity(options + 1);
            item.push(Reply::Bulk(p.member));
            if withdist {
                item.push(Reply::bulk(hash::distance_text(dist)));
            }
            if withhash {
                item.push(Reply::Int(hash::c_f64_to_i64(p.score)));
            }
            if withcoords {
                item.push(Reply::Array(vec![
                    Reply::HumanDouble(p.lon),
                    Reply::HumanDouble(p.lat),
                ]));
            }
            out.push(Reply::Array(item));
        }
        return Ok(Reply::Array(out));
    };
    // The cells never overlap, so every member is found once; should one come twice,
    // its first score stands (Redis would fail an assertion).
    let mut seen = std::collections::HashSet::with_capacity(points.len());
    let mut entries = Vec::with_capacity(points.len());
    for p in points {
        let dist = p.dist / shape.conversion;
        if seen.insert(p.member.clone()) {
            entries.push(Entry {
                member: p.member,
                score: if store_dist { dist } else { p.score },
            });
        }
    }
    zsets::store_and_signal(ctx, dst, &entries)?;
    Ok(Reply::Int(returned as i64))
}

/// `membersOfAllNeighbors`: the points of each cell in turn (a cell that is the same
/// as the last one searched is skipped: huge radii make neighbours coincide), until
/// `limit` points are found (0: all).
fn collect(
    conn: &rusqlite::Connection,
    id: i64,
    area: &hash::SearchArea,
    shape: &Shape,
    limit: u64,
    out: &mut Vec<Point>,
) -> Result<()> {
    let cells = area.cells();
    let mut last_processed = 0;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_zero() {
            continue;
        }
        if last_processed != 0 && *cell == cells[last_processed] {
            continue;
        }
        if reached(out, limit) {
            break;
        }
        // Every score of the cell: `min <= score < max`.
        let min = hash::align52(*cell);
        let max = hash::align52(hash::HashBits {
            bits: cell.bits.wrapping_add(1),
            step: cell.step,
        });
        let range = ScoreRange {
            min: min as f64,
            min_ex: false,
            max: max as f64,
            max_ex: true,
        };
        zset::visit_by_score(conn, id, &range, |e| {
            if let Some(xy) = hash::decode_score(e.score) {
                if let Some(dist) = hash::within_shape(shape, xy) {
                    out.push(Point {
                        lon: xy[0],
                        lat: xy[1],
                        dist,
                        score: e.score,
                        member: e.member,
                    });
                }
            }
            !reached(out, limit)
        })?;
        last_processed = i;
    }
    Ok(())
}

fn reached(points: &[Point], limit: u64) -> bool {
    !points.is_empty() && limit != 0 && points.len() as u64 >= limit
}

/// Redis's `sort_gp_asc`: by distance (a NaN distance is "less" than anything).
fn by_distance(a: &Point, b: &Point) -> i32 {
    if a.dist > b.dist {
        1
    } else if a.dist == b.dist {
        0
    } else {
        -1
    }
}

/// glibc 2.36's `qsort`, the merge sort it runs when the buffer fits in memory
/// (`msort_with_tmp`): stable, halves of `n / 2` and `n - n / 2`.
fn merge_sort<T>(v: &mut Vec<T>, cmp: &impl Fn(&T, &T) -> i32) {
    fn sort<T>(v: &[T], idx: &mut [usize], tmp: &mut Vec<usize>, cmp: &impl Fn(&T, &T) -> i32) {
        let n = idx.len();
        if n <= 1 {
            return;
        }
        let n1 = n / 2;
        sort(v, &mut idx[..n1], tmp, cmp);
        sort(v, &mut idx[n1..], tmp, cmp);
        tmp.clear();
        let (mut i, mut j) = (0, n1);
        while i < n1 && j < n {
            if cmp(&v[idx[i]], &v[idx[j]]) <= 0 {
                tmp.push(idx[i]);
                i += 1;
            } else {
                tmp.push(idx[j]);
                j += 1;
            }
        }
        tmp.extend_from_slice(&idx[i..n1]);
        // What is left of the second half is in place already.
        idx[..tmp.len()].copy_from_slice(tmp);
    }
    let mut idx: Vec<usize> = (0..v.len()).collect();
    let mut tmp = Vec::with_capacity(v.len());
    sort(v, &mut idx, &mut tmp, cmp);
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(idx.into_iter().filter_map(|i| slots[i].take()));
}

/// Redis's `pqsort` (pqsort.c, Bentley and McIlroy's quicksort that only recurses
/// into partitions meeting the range): after it, `v[lrange..=rrange]` hold what a
/// full sort would put there, in the order Redis leaves equal elements.
fn partial_quicksort<T>(v: &mut [T], cmp: &impl Fn(&T, &T) -> i32, lrange: usize, rrange: usize) {
    // Positions are signed, as the C pointers they stand for may step below `lo`.
    let (lr, rr) = (lrange as isize, rrange as isize);
    let c = |v: &[T], a: isize, b: isize| cmp(&v[a as usize], &v[b as usize]);
    let swap = |v: &mut [T], a: isize, b: isize| v.swap(a as usize, b as usize);
    let vecswap = |v: &mut [T], a: isize, b: isize, n: isize| {
        for k in 0..n {
            v.swap((a + k) as usize, (b + k) as usize);
        }
    };
    let med3 = |v: &[T], a: isize, b: isize, d: isize| -> isize {
        if c(v, a, b) < 0 {
            if c(v, b, d) < 0 {
                b
            } else if c(v, a, d) < 0 {
                d
            } else {
                a
            }
        } else if c(v, b, d) > 0 {
            b
        } else if c(v, a, d) < 0 {
            a
        } else {
            d
        }
    };
    // The range is outside the partition `start..start + len`.
    let outside = |start: isize, len: isize| {
        (lr < start && rr < start) || (lr >= start + len && rr >= start + len)
    };

    let mut work = vec![(0isize, v.len() as isize)];
    while let Some((mut lo, mut n)) = work.pop() {
        loop {
            if n < 7 {
                for pm in lo + 1..lo + n {
                    let mut pl = pm;
                    while pl > lo && c(v, pl - 1, pl) > 0 {
                        swap(v, pl, pl - 1);
                        pl -= 1;
                    }
                }
                break;
            }
            let mut pm = lo + n / 2;
            if n > 7 {
                let mut pl = lo;
                let mut pn = lo + n - 1;
                if n > 40 {
                    let d = n / 8;
                    pl = med3(v, pl, pl + d, pl + 2 * d);
                    pm = med3(v, pm - d, pm, pm + d);
                    pn = med3(v, pn - 2 * d, pn - d, pn);
                }
                pm = med3(v, pl, pm, pn);
            }
            swap(v, lo, pm);
            let (mut pa, mut pb) = (lo + 1, lo + 1);
            let (mut pc, mut pd) = (lo + n - 1, lo + n - 1);
            loop {
                while pb <= pc {
                    let r = c(v, pb, lo);
                    if r > 0 {
                        break;
                    }
                    if r == 0 {
                        swap(v, pa, pb);
                        pa += 1;
                    }
                    pb += 1;
                }
                while pb <= pc {
                    let r = c(v, pc, lo);
                    if r < 0 {
                        break;
                    }
                    if r == 0 {
                        swap(v, pc, pd);
                        pd -= 1;
                    }
                    pc -= 1;
                }
                if pb > pc {
                    break;
                }
                swap(v, pb, pc);
                pb += 1;
                pc -= 1;
            }
            let pn = lo + n;
            let r = (pa - lo).min(pb - pa);
            vecswap(v, lo, pb - r, r);
            let r = (pd - pc).min(pn - pd - 1);
            vecswap(v, pb, pn - r, r);
            let r = pb - pa;
            if r > 1 && !outside(lo, r) {
                // C recurses here before it iterates on the right part: the stack
                // keeps that order.
                let right = pd - pc;
                if right > 1 && !outside(pn - right, right) {
                    work.push((pn - right, right));
                }
                n = r;
                continue;
            }
            let r = pd - pc;
            if r > 1 && !outside(pn - r, r) {
                lo = pn - r;
                n = r;
                continue;
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &(i32, usize), b: &(i32, usize)) -> i32 {
        a.0.cmp(&b.0) as i32
    }

    #[test]
    fn merge_sort_is_stable() {
        let mut v: Vec<(i32, usize)> = [3, 1, 3, 2, 1, 3, 0]
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i))
            .collect();
        merge_sort(&mut v, &cmp);
        assert_eq!(
            v,
            vec![(0, 6), (1, 1), (1, 4), (2, 3), (3, 0), (3, 2), (3, 5)]
        );
    }

    #[test]
    fn partial_quicksort_sorts_the_range() {
        let mut seed = 7u64;
        for n in [1usize, 2, 6, 7, 8, 40, 41, 100, 500] {
            let v: Vec<(i32, usize)> = (0..n)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (((seed >> 33) % 50) as i32, i)
                })
                .collect();
            let mut full = v.clone();
            full.sort_by_key(|p| p.0);
            for k in [1, n / 3 + 1, n] {
                let mut part = v.clone();
                partial_quicksort(&mut part, &cmp, 0, k - 1);
                let keys: Vec<i32> = part[..k].iter().map(|p| p.0).collect();
                let want: Vec<i32> = full[..k].iter().map(|p| p.0).collect();
                assert_eq!(keys, want, "n={} k={}", n, k);
            }
        }
    }
}
