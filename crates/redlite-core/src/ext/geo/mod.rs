//! GEO: positions as members of a sorted set, exactly as Redis 7.0 keeps them.
//!
//! A geospatial index is an ordinary sorted set (TYPE zset; ZRANGE, ZREM and the
//! rest see it): each member's score is the 52-bit interleaved geohash of its
//! position (hash.rs, a port of Redis's geohash.c and geohash_helper.c). GEOADD is
//! ZADD of those scores; GEOPOS, GEOHASH and GEODIST decode them; the searches
//! (search.rs, Redis's geo.c) read the score ranges of nine geohash cells and keep
//! the members within the shape. The sorted-set storage is the core's
//! (types/zset.rs, through command/zsets.rs): GEO adds no table and no key type.
//!
//! Replies are Redis's to the byte: coordinates with 17 decimals
//! (`Reply::HumanDouble`), distances with four (`hash::distance_text`), the same
//! error texts in the same order of checks (options are matched as C's `strcasecmp`
//! matches them, up to a NUL byte). One difference: Redis names GEOSEARCH in two
//! errors as the client typed it; redlite writes the name in capitals, as client
//! libraries send it.

mod hash;
mod search;

use crate::command::args::parse_f64;
use crate::command::keyspec::{KeyFlags, ACCESS, OW, RO, RW, UPDATE};
use crate::command::zsets::{self, AddOptions};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;
use crate::types::zset;

const KS_READ: &[KeySpec] = &[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)];
/// GEORADIUS key ... [STORE key] [STOREDIST key]: the store keys found after their
/// keyword, searched from argument `from`.
const fn ks_radius_store(from: i32) -> [KeySpec; 3] {
    [
        KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
        KeySpec::new(OW | UPDATE)
            .keyword("STORE", from)
            .range(0, 1, 0),
        KeySpec::new(OW | UPDATE)
            .keyword("STOREDIST", from)
            .range(0, 1, 0),
    ]
}
const KS_GEORADIUS: &[KeySpec] = &ks_radius_store(6);
const KS_GEORADIUSBYMEMBER: &[KeySpec] = &ks_radius_store(5);

const RADIUS_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";

pub const COMMANDS: &[Spec] = &[
    Spec::write("geoadd", -5, geoadd)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Add one or more geospatial items in the geospatial index represented using a sorted set",
            "GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]",
        )
        .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
        .history(&[("6.2.0", "Added the `CH`, `NX` and `XX` options.")]),
    Spec::read("geodist", -4, geodist)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Returns the distance between two members of a geospatial index",
            "GEODIST key member1 member2 [M | KM | FT | MI]",
        )
        .complexity("O(log(N))"),
    Spec::read("geohash", -2, geohash)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Returns members of a geospatial index as standard geohash strings",
            "GEOHASH key member [member ...]",
        )
        .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set."),
    Spec::read("geopos", -2, geopos)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Returns longitude and latitude of members of a geospatial index",
            "GEOPOS key member [member ...]",
        )
        .complexity("O(N) where N is the number of members requested."),
    Spec::write("georadius", -6, georadius)
        .keys(1, 1, 1)
        .key_specs(KS_GEORADIUS)
        .getkeys(radius_keys)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
            "GEORADIUS key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key] [STOREDIST key]",
        )
        .complexity(RADIUS_COMPLEXITY)
        .deprecated("6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument")
        .history(&[
            ("6.2.0", "Added the `ANY` option for `COUNT`."),
            ("7.0.0", "Added support for uppercase unit names."),
        ]),
    Spec::read("georadius_ro", -6, georadius_ro)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "3.2.10",
            "A read-only variant for GEORADIUS",
            "GEORADIUS_RO key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]",
        )
        .complexity(RADIUS_COMPLEXITY)
        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument")
        .history(&[("6.2.0", "Added the `ANY` option for `COUNT`.")]),
    Spec::write("georadiusbymember", -5, georadiusbymember)
        .keys(1, 1, 1)
        .key_specs(KS_GEORADIUSBYMEMBER)
        .getkeys(radius_keys)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "geo", "slow"])
        .doc(
            "geo",
            "3.2.0",
            "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
            "GEORADIUSBYMEMBER key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key] [STOREDIST key]",
        )
        .complexity(RADIUS_COMPLEXITY)
        .deprecated(
            "6.2.0",
            "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
        )
        .history(&[("7.0.0", "Added support for uppercase unit names.")]),
    Spec::read("georadiusbymember_ro", -5, georadiusbymember_ro)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "3.2.10",
            "A read-only variant for GEORADIUSBYMEMBER",
            "GEORADIUSBYMEMBER_RO key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]",
        )
        .complexity(RADIUS_COMPLEXITY)
        .deprecated("6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments"),
    Spec::read("geosearch", -7, geosearch)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "geo", "slow"])
        .doc(
            "geo",
            "6.2.0",
            "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
            "GEOSEARCH key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
        )
        .complexity(SEARCH_COMPLEXITY)
        .history(&[("7.0.0", "Added support for uppercase unit names.")]),
    Spec::write("geosearchstore", -8, geosearchstore)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "geo", "slow"])
        .doc(
            "geo",
            "6.2.0",
            "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
            "GEOSEARCHSTORE destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]",
        )
        .complexity(SEARCH_COMPLEXITY)
        .history(&[("7.0.0", "Added support for uppercase unit names.")]),
];

// ---------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------

/// C's `strcasecmp` of an argument with an option name: the argument ends at its
/// first NUL byte, as the C string Redis compares does.
fn is(arg: &[u8], word: &str) -> bool {
    let end = arg.iter().position(|&c| c == 0).unwrap_or(arg.len());
    arg[..end].eq_ignore_ascii_case(word.as_bytes())
}

/// `getDoubleFromObjectOrReply`: a float argument, or `text` as the error.
fn float_arg(arg: &[u8], text: &str) -> Result<f64> {
    parse_f64(arg).ok_or_else(|| Error::redis(text))
}

/// `extractLongLatOrReply`: a longitude and a latitude, within the limits.
fn long_lat(lon: &[u8], lat: &[u8]) -> Result<[f64; 2]> {
    let x = float_arg(lon, msg::NOT_FLOAT)?;
    let y = float_arg(lat, msg::NOT_FLOAT)?;
    if !(hash::LONG_MIN..=hash::LONG_MAX).contains(&x)
        || !(hash::LAT_MIN..=hash::LAT_MAX).contains(&y)
    {
        return Err(Error::redis(format!(
            "ERR invalid longitude,latitude pair {:.6},{:.6}",
            x, y
        )));
    }
    Ok([x, y])
}

/// `extractUnitOrReply`: the size of a unit in meters.
fn unit(arg: &[u8]) -> Result<f64> {
    if is(arg, "m") {
        Ok(1.0)
    } else if is(arg, "km") {
        Ok(1000.0)
    } else if is(arg, "ft") {
        Ok(0.3048)
    } else if is(arg, "mi") {
        Ok(1609.34)
    } else {
        Err(Error::redis(
            "ERR unsupported unit provided. please use M, KM, FT, MI",
        ))
    }
}

/// The position of `member` in the set `id` (`longLatFromMember`), if it is there.
fn member_position(
    conn: &rusqlite::Connection,
    id: i64,
    member: &[u8],
) -> Result<Option<[f64; 2]>> {
    Ok(zset::score(conn, id, member)?.and_then(hash::decode_score))
}

/// GEORADIUS and GEORADIUSBYMEMBER's key-finding procedure (Redis's
/// `georadiusGetKeys`): the key, then the key after the last STORE or STOREDIST
/// from argument 5 on.
fn radius_keys(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
    let mut stored = None;
    let mut i = 5;
    while i < argv.len() {
        if (is(argv[i], "store") || is(argv[i], "storedist")) && i + 1 < argv.len() {
            stored = Some(i + 1);
            i += 1;
        }
        i += 1;
    }
    let mut keys = vec![(1, 0)];
    keys.extend(stored.map(|p| (p, 0)));
    keys
}

// ---------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------

/// GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
///
/// Redis's GEOADD is ZADD of the positions' scores: its options, its reply, its
/// keyspace event ("zadd").
fn geoadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let mut o = AddOptions::default();
    while let Some(a) = args.peek() {
        if is(a, "nx") {
            o.nx = true;
        } else if is(a, "xx") {
            o.xx = true;
        } else if is(a, "ch") {
            o.ch = true;
        } else {
            break;
        }
        args.next();
    }
    let rest = args.rest();
    if !rest.len().is_multiple_of(3) || (o.xx && o.nx) {
        return Err(Error::redis(msg::SYNTAX));
    }
    let mut scores = Vec::with_capacity(rest.len() / 3);
    for triple in rest.chunks(3) {
        let [lon, lat] = long_lat(triple[0], triple[1])?;
        scores.push(hash::score_of(lon, lat).to_string().into_bytes());
    }
    let mut pairs: Vec<&[u8]> = Vec::with_capacity(scores.len() * 2);
    for (score, triple) in scores.iter().zip(rest.chunks(3)) {
        pairs.push(score);
        pairs.push(triple[2]);
    }
    zsets::add_generic(ctx, key, &pairs, o)
}

/// GEODIST key member1 member2 [M | KM | FT | MI]
fn geodist(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let (m1, m2) = (args.bytes()?, args.bytes()?);
    let to_meter = match args.remaining() {
        0 => 1.0,
        1 => unit(args.bytes()?)?,
        _ => return Err(Error::redis(msg::SYNTAX)),
    };
    let Some(meta) = zsets::read_zset(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    let conn = ctx.conn()?;
    let (Some(s1), Some(s2)) = (
        zset::score(conn, meta.id, m1)?,
        zset::score(conn, meta.id, m2)?,
    ) else {
        return Ok(Reply::Nil);
    };
    Ok(match (hash::decode_score(s1), hash::decode_score(s2)) {
        (Some([x1, y1]), Some([x2, y2])) => Reply::bulk(hash::distance_text(
            hash::distance(x1, y1, x2, y2) / to_meter,
        )),
        _ => Reply::Nil,
    })
}

/// GEOHASH key member [member ...]
fn geohash(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let meta = zsets::read_zset(ctx, key)?;
    let conn = ctx.conn()?;
    let mut out = Vec::with_capacity(args.remaining());
    for member in args.rest() {
        let score = match &meta {
            Some(m) => zset::score(conn, m.id, member)?,
            None => None,
        };
        out.push(match score.and_then(hash::geohash_string) {
            Some(text) => Reply::bulk(text.to_vec()),
            None => Reply::Nil,
        });
    }
    Ok(Reply::Array(out))
}

/// GEOPOS key member [member ...]
fn geopos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let meta = zsets::read_zset(ctx, key)?;
    let conn = ctx.conn()?;
    let mut out = Vec::with_capacity(args.remaining());
    for member in args.rest() {
        let position = match &meta {
            Some(m) => member_position(conn, m.id, member)?,
            None => None,
        };
        out.push(match position {
            Some([lon, lat]) => {
                Reply::Array(vec![Reply::HumanDouble(lon), Reply::HumanDouble(lat)])
            }
            None => Reply::NilArray,
        });
    }
    Ok(Reply::Array(out))
}

/// GEORADIUS key longitude latitude radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST]
/// [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key] [STOREDIST key]
fn georadius(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::Radius { store: true })
}

/// GEORADIUS_RO key longitude latitude radius <M | KM | FT | MI> [WITHCOORD]
/// [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
fn georadius_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::Radius { store: false })
}

/// GEORADIUSBYMEMBER key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST]
/// [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key] [STOREDIST key]
fn georadiusbymember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::ByMember { store: true })
}

/// GEORADIUSBYMEMBER_RO key member radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST]
/// [WITHHASH] [COUNT count [ANY]] [ASC | DESC]
fn georadiusbymember_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::ByMember { store: false })
}

/// GEOSEARCH key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius
/// unit | BYBOX width height unit> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD]
/// [WITHDIST] [WITHHASH]
fn geosearch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::Search { store: false })
}

/// GEOSEARCHSTORE destination source <FROMMEMBER member | FROMLONLAT longitude
/// latitude> <BYRADIUS radius unit | BYBOX width height unit> [ASC | DESC]
/// [COUNT count [ANY]] [STOREDIST]
fn geosearchstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    search::run(ctx, args, search::Variant::Search { store: true })
}
