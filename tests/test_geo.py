"""GEO commands, differential against a real Redis 7.0.

Each fixed case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py's
default protocol) on real Redis, redlite-server and embedded redlite; see
differential.py. redlite keeps Redis's order even where Redis promises none (the
cells of a search in Redis's order, each in score order; glibc's merge sort and
Redis's partial quicksort for ASC/DESC), so the fixed cases compare exactly; they
include every case of Redis 7.0's tests/unit/geo.tcl that compares replies. The
Hypothesis test compares unsorted results as sets and sorted ones group by group of
equal distance. RESP3's bytes (GEOPOS's 17 decimals) are compared on the wire, and
the keyspace events of the writes with a subscriber's.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

import pytest
from differential import C, Norm, RawClient, cases_params, check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_keyspace_events import compare as compare_events

SICILY = (
    "GEOADD",
    "Sicily",
    13.361389,
    38.115556,
    "Palermo",
    15.087269,
    37.502669,
    "Catania",
)
NYC = (
    "GEOADD",
    "nyc",
    "-73.9454966",
    "40.747533",
    "lic market",
    "-73.9733487",
    "40.7648057",
    "central park n/q/r",
    "-73.9903085",
    "40.7362513",
    "union square",
    "-74.0131604",
    "40.7126674",
    "wtc one",
    "-73.7858139",
    "40.6428986",
    "jfk",
    "-73.9375699",
    "40.7498929",
    "q4",
    "-73.9564142",
    "40.7480973",
    "4545",
)
CENTRE = ("-73.9798091", "40.7598464")


def edge_responses(bymember: bool) -> list[Any]:
    """geo.tcl's verify_geo_edge_response_bylonlat / _bymember."""
    if bymember:
        return [
            ("GEORADIUSBYMEMBER", "src", "member", 1, "km"),
            ("GEORADIUSBYMEMBER", "src", "member", 1, "km", "store", "dest"),
            ("GEOSEARCH", "src", "frommember", "member", "bybox", 1, 1, "km"),
            (
                "GEOSEARCHSTORE",
                "dest",
                "src",
                "frommember",
                "member",
                "bybox",
                1,
                1,
                "m",
            ),
            ("EXISTS", "dest"),
        ]
    return [
        ("GEORADIUS", "src", 1, 1, 1, "km"),
        ("GEORADIUS", "src", 1, 1, 1, "km", "store", "dest"),
        ("GEOSEARCH", "src", "fromlonlat", 0, 0, "byradius", 1, "km"),
        ("GEOSEARCHSTORE", "dest", "src", "fromlonlat", 0, 0, "byradius", 1, "km"),
        ("EXISTS", "dest"),
    ]


# Redis's unit/geo.tcl, test by test (the fuzzy tests are the Hypothesis test below).
GEO_TCL = {
    "tcl_wrong_type_src": [
        ("SET", "src", "wrong_type"),
        ("SET", "dest", "x"),
        *edge_responses(False),
        *edge_responses(True),
    ],
    "tcl_missing_src": [
        ("SET", "dest", "x"),
        *edge_responses(False),
        ("SET", "dest", "x"),
        *edge_responses(True),
    ],
    "tcl_empty_search_and_missing_member": [
        (
            "GEOADD",
            "src",
            13.361389,
            38.115556,
            "Palermo",
            15.087269,
            37.502669,
            "Catania",
        ),
        ("SET", "dest", "x"),
        *edge_responses(False),
        *edge_responses(True),
    ],
    "tcl_geoadd": [
        ("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market"),
        ("GEOADD", "nyc", "-73.9454966", "40.747533", "lic market"),
        ("GEOADD", "nyc", "CH", "40.747533", "-73.9454966", "lic market"),
        ("GEOPOS", "nyc", "lic market"),
        ("GEOADD", "nyc", "NX", "-73.9454966", "40.747533", "lic market"),
        ("GEOPOS", "nyc", "lic market"),
        ("GEOADD", "nyc", "XX", "-83.9454966", "40.747533", "lic market"),
        ("GEOPOS", "nyc", "lic market"),
        ("GEOADD", "nyc", "CH", "NX", "-73.9454966", "40.747533", "lic market"),
        ("GEOADD", "nyc", "CH", "XX", "-73.9454966", "40.747533", "lic market"),
        ("GEOADD", "nyc", "xx", "nx", "-73.9454966", "40.747533", "lic market"),
        ("GEOADD", "nyc", "ch", "xx", "foo", "-73.9454966", "40.747533", "lic market"),
        (
            "GEOADD",
            "nyc",
            "-73.9454966",
            "40.747533",
            "lic market",
            "foo",
            "bar",
            "luck market",
        ),
        NYC,
        ("ZRANGE", "nyc", 0, -1, "WITHSCORES"),
    ],
    "tcl_searches": [
        NYC,
        ("GEORADIUS", "nyc", *CENTRE, 3, "km", "asc"),
        ("GEOSEARCH", "nyc", "fromlonlat", *CENTRE, "bybox", 6, 6, "km", "asc"),
        (
            "GEOSEARCH",
            "nyc",
            "fromlonlat",
            *CENTRE,
            "frommember",
            "xxx",
            "bybox",
            6,
            6,
            "km",
            "asc",
        ),
        (
            "GEOSEARCH",
            "nyc",
            "bybox",
            3,
            3,
            "km",
            "asc",
            "desc",
            "withhash",
            "withdist",
            "withcoord",
        ),
        (
            "GEOSEARCH",
            "nyc",
            "fromlonlat",
            *CENTRE,
            "byradius",
            3,
            "km",
            "bybox",
            3,
            3,
            "km",
            "asc",
        ),
        (
            "GEOSEARCH",
            "nyc",
            "fromlonlat",
            *CENTRE,
            "asc",
            "desc",
            "withhash",
            "withdist",
            "withcoord",
        ),
        (
            "GEOSEARCH",
            "nyc",
            "fromlonlat",
            *CENTRE,
            "bybox",
            6,
            6,
            "km",
            "asc",
            "storedist",
        ),
        ("GEORADIUS", "nyc", *CENTRE, 3, "km", "withdist", "asc"),
        (
            "GEOSEARCH",
            "nyc",
            "fromlonlat",
            *CENTRE,
            "bybox",
            6,
            6,
            "km",
            "withdist",
            "asc",
        ),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "COUNT", 3),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "COUNT", 3, "ANY"),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "COUNT", 3, "ANY", "ASC"),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "ANY", "ASC"),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "COUNT"),
        ("GEORADIUS", "nyc", *CENTRE, 10, "km", "COUNT", 2, "DESC"),
        (
            "GEOADD",
            "users",
            "-47.271613776683807",
            "-54.534504198047678",
            "user_000000",
        ),
        ("GEORADIUS", "users", 0, 0, 50000, "km", "WITHCOORD"),
        ("GEORADIUSBYMEMBER", "nyc", "wtc one", 7, "km"),
        ("GEOSEARCH", "nyc", "frommember", "wtc one", "bybox", 14, 14, "km"),
        ("GEORADIUSBYMEMBER", "nyc", "wtc one", 7, "km", "withdist"),
    ],
    "tcl_oblique_and_pole": [
        (
            "GEOADD",
            "k1",
            "-0.15307903289794921875",
            85,
            "n1",
            "0.3515625",
            "85.00019260486917005437",
            "n2",
        ),
        ("GEORADIUSBYMEMBER", "k1", "n1", "4891.94", "m"),
        ("ZREM", "k1", "n1", "n2"),
        ("GEOADD", "k1", "-4.95211958885192871094", 85, "n3", "11.25", "85.0511", "n4"),
        ("GEORADIUSBYMEMBER", "k1", "n3", 156544, "m"),
        ("ZREM", "k1", "n3", "n4"),
        ("GEOADD", "k1", -45, "65.50900022111811438208", "n5", 90, "85.0511", "n6"),
        ("GEORADIUSBYMEMBER", "k1", "n5", 5009431, "m"),
        ("DEL", "k1"),
        ("GEOADD", "k1", 45, 65, "n1", -135, "85.05", "n2"),
        ("GEORADIUSBYMEMBER", "k1", "n1", 5009431, "m"),
    ],
    "tcl_sicily_boxes": [
        (
            "GEOADD",
            "Sicily",
            13.361389,
            38.115556,
            "Palermo",
            15.087269,
            37.502669,
            "Catania",
        ),
        (
            "GEOADD",
            "Sicily",
            12.758489,
            38.788135,
            "edge1",
            17.241510,
            38.788135,
            "eage2",
        ),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "asc"),
        ("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 400, "km", "asc"),
        ("DEL", "Sicily"),
        ("GEOADD", "Sicily", 12.75, 36.995, "test1"),
        ("GEOADD", "Sicily", 12.75, 36.50, "test2"),
        ("GEOADD", "Sicily", 13.00, 36.50, "test3"),
        ("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 2, "km"),
        ("GEOADD", "Sicily", -1, 37.00, "test3"),
        ("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 3000, 2, "km", "asc"),
        ("DEL", "Sicily"),
        (
            "GEOADD",
            "Sicily",
            "12.758489",
            "38.788135",
            "edge1",
            "17.241510",
            "38.788135",
            "edge2",
            "17.250000",
            "35.202000",
            "edge3",
            "12.750000",
            "35.202000",
            "edge4",
            "12.748489955781654",
            "37",
            "edge5",
            "15",
            "38.798135872540925",
            "edge6",
            "17.251510044218346",
            "37",
            "edge7",
            "15",
            "35.201864127459075",
            "edge8",
            "12.692799634687903",
            "38.798135872540925",
            "corner1",
            "12.692799634687903",
            "38.798135872540925",
            "corner2",
            "17.200560937451133",
            "35.201864127459075",
            "corner3",
            "12.799439062548865",
            "35.201864127459075",
            "corner4",
        ),
        ("GEOSEARCH", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 400, "km", "asc"),
    ],
    "tcl_geohash_geopos_geodist": [
        ("GEOADD", "points", "-5.6", "42.6", "test"),
        ("GEOHASH", "points", "test"),
        ("DEL", "points"),
        ("GEOADD", "points", 10, 20, "a", 30, 40, "b"),
        ("GEOPOS", "points", "a", "b"),
        ("GEOPOS", "points", "a", "x", "b"),
        ("DEL", "points"),
        (
            "GEOADD",
            "points",
            13.361389,
            38.115556,
            "Palermo",
            15.087269,
            37.502669,
            "Catania",
        ),
        ("GEODIST", "points", "Palermo", "Catania"),
        ("GEODIST", "points", "Palermo", "Catania", "km"),
        ("GEODIST", "points", "Palermo", "Palermo"),
        ("GEODIST", "points", "Palermo", "Agrigento"),
        ("GEODIST", "points", "Ragusa", "Agrigento"),
        ("GEODIST", "empty_key", "Palermo", "Catania"),
    ],
    "tcl_store": [
        (
            "GEOADD",
            "points",
            13.361389,
            38.115556,
            "Palermo",
            15.087269,
            37.502669,
            "Catania",
        ),
        ("GEORADIUS", "points", 13.361389, 38.115556, 50, "km", "store"),
        (
            "GEOSEARCHSTORE",
            "abc",
            "points",
            "fromlonlat",
            13.361389,
            38.115556,
            "byradius",
            50,
            "km",
            "store",
            "abc",
        ),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            50,
            "km",
            "store",
            "points2",
            "withdist",
        ),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            50,
            "km",
            "store",
            "points2",
            "withhash",
        ),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            50,
            "km",
            "store",
            "points2",
            "withcoords",
        ),
        ("GEORADIUS", "points", 13.361389, 38.115556, 500, "km", "store", "points2"),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        ("GEORADIUSBYMEMBER", "points", "Palermo", 500, "km", "store", "points2"),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        ("GEORADIUSBYMEMBER", "points", "Catania", 500, "km", "storedist", "points2"),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        (
            "GEOSEARCHSTORE",
            "points2",
            "points",
            "fromlonlat",
            13.361389,
            38.115556,
            "byradius",
            500,
            "km",
        ),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            500,
            "km",
            "storedist",
            "points2",
        ),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        (
            "GEOSEARCHSTORE",
            "points2",
            "points",
            "fromlonlat",
            13.361389,
            38.115556,
            "byradius",
            500,
            "km",
            "storedist",
        ),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            500,
            "km",
            "storedist",
            "points2",
            "asc",
            "count",
            1,
        ),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
        (
            "GEORADIUS",
            "points",
            13.361389,
            38.115556,
            500,
            "km",
            "storedist",
            "points2",
            "desc",
            "count",
            1,
        ),
        ("ZRANGE", "points2", 0, -1, "WITHSCORES"),
    ],
    "tcl_antimeridian_and_small_distance": [
        ("GEOADD", "points", 179.5, 36, "point1"),
        ("GEOADD", "points", -179.5, 36, "point2"),
        ("GEOSEARCH", "points", "fromlonlat", 179, 37, "bybox", 400, 400, "km", "asc"),
        ("GEOSEARCH", "points", "fromlonlat", -179, 37, "bybox", 400, 400, "km", "asc"),
        ("DEL", "points"),
        ("GEOADD", "points", "-122.407107", "37.794300", 1),
        ("GEOADD", "points", "-122.227336", "37.794300", 2),
        (
            "GEORADIUS",
            "points",
            "-122.407107",
            "37.794300",
            30,
            "mi",
            "ASC",
            "WITHDIST",
        ),
    ],
}

CASES: dict[str, list[Any]] = {
    **GEO_TCL,
    "sicily_reads": [
        SICILY,
        ("ZRANGE", "Sicily", 0, -1, "WITHSCORES"),
        ("ZSCORE", "Sicily", "Palermo"),
        ("TYPE", "Sicily"),
        ("OBJECT", "ENCODING", "Sicily"),
        ("GEOPOS", "Sicily", "Palermo", "Catania", "nope"),
        ("GEOPOS", "nokey", "a", "b"),
        ("GEOHASH", "Sicily", "Palermo", "Catania", "nope"),
        ("GEOHASH", "nokey", "a"),
        ("GEOHASH", "Sicily"),
        ("GEOPOS", "Sicily"),
        ("GEODIST", "Sicily", "Palermo", "Catania"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "m"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "KM"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "Mi"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "ft"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "yd"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "km\x00junk"),
        ("GEODIST", "Sicily", "Palermo", "Catania", "km", "x"),
        ("GEODIST", "Sicily", "Palermo", "nope"),
        ("GEODIST", "nokey", "Palermo", "Catania", "yd"),
        ("GEODIST", "Sicily", "Palermo"),
        ("GEOHASH",),
        ("GEOPOS",),
    ],
    "geoadd_arguments": [
        ("GEOADD", "g", 200, 10, "x"),
        ("GEOADD", "g", 10, 86, "x"),
        ("GEOADD", "g", 10, 90, "x"),
        ("GEOADD", "g", 10, -90, "x"),
        ("GEOADD", "g", 0, "85.05112879", "x"),
        ("GEOADD", "g", "180.0000001", 0, "x"),
        ("GEOADD", "g", "inf", 0, "x"),
        ("GEOADD", "g", "-inf", "nan", "x"),
        ("GEOADD", "g", "-0", "-100", "x"),
        ("GEOADD", "g", "1e300", 0, "x"),
        ("GEOADD", "g", "0.0000005", "91", "x"),
        ("GEOADD", "g", "0.0000015", "91", "x"),
        ("GEOADD", "g", "abc", 0, "x"),
        ("GEOADD", "g", 0, "", "x"),
        ("GEOADD", "g", " 1", 0, "x"),
        ("GEOADD", "g", 1, 2),
        ("GEOADD", "g", 1, 2, "a", 3),
        ("GEOADD", "g", 1, 2, "a", 3, 4),
        ("GEOADD", "g", "NX", "XX", 1, 2, "m"),
        ("GEOADD", "g", "CH", "CH", "CH"),
        ("GEOADD", "g", "GT", 1, 2, "m"),
        ("GEOADD", "g", "INCR", 1, 2, "m"),
        ("GEOADD", "g", "nx\x00junk", 1, 2, "m"),
        ("GEOADD", "g", 1, 2, "m", 200, 0, "n"),
        ("EXISTS", "g"),
        ("GEOADD", "g", "XX", 1, 2, "m"),
        ("EXISTS", "g"),
        ("GEOADD", "g", "0x10", "0x1p3", "hex"),
        ("GEOADD", "g", 180, "85.05112878", "ne", -180, "-85.05112878", "sw"),
        (
            "GEOADD",
            "g",
            180,
            "-85.05112878",
            "se",
            -180,
            "85.05112878",
            "nw",
            0,
            0,
            "zero",
        ),
        ("ZRANGE", "g", 0, -1, "WITHSCORES"),
        ("GEOPOS", "g", "hex", "ne", "sw", "se", "nw", "zero"),
        ("GEOHASH", "g", "hex", "ne", "sw", "se", "nw", "zero"),
        # In a script: strings in RESP2, {double=} (read from the text) in RESP3.
        ("EVAL", "return redis.call('GEOPOS', KEYS[1], 'zero', 'nope')", 1, "g"),
        (
            "EVAL",
            "redis.setresp(3); local p = redis.call('GEOPOS', KEYS[1], 'zero')[1]; "
            "return {p[1]['double'] * 1e6, p[2]['double'] * 1e6}",
            1,
            "g",
        ),
        (
            "EVAL",
            "redis.setresp(3); return redis.call('GEOPOS', KEYS[1], 'zero', 'ne')",
            1,
            "g",
        ),
        ("GEOADD", "g", "CH", 0, 0, "zero", 1, 1, "zero", 2, 2, "new"),
        ("GEOADD", "g", "CH", "XX", 3, 3, "zero", 4, 4, "absent"),
        ("GEOADD", "g", "NX", "CH", 5, 5, "zero", 6, 6, "absent"),
        ("GEOADD", "g", 7, 7, "dup", 8, 8, "dup"),
        ("GEOPOS", "g", "zero", "new", "absent", "dup"),
        ("SET", "s", "x"),
        ("GEOADD", "s", 1, 1, "m"),
        ("GEOADD", "s", 1, 100, "m"),
        ("GEOADD", "s", "NX", "XX", 1, 1, "m"),
        ("GET", "s"),
    ],
    "wrong_type_reads": [
        ("LPUSH", "l", "x"),
        ("GEOPOS", "l", "m"),
        ("GEOHASH", "l", "m"),
        ("GEODIST", "l", "a", "b"),
        ("GEODIST", "l", "a", "b", "yd"),
        ("GEORADIUS", "l", 1, 100, 1, "km"),
        ("GEORADIUS_RO", "l", 1, 1, -1, "km"),
        ("GEORADIUSBYMEMBER", "l", "m", 1, "km"),
        ("GEORADIUSBYMEMBER_RO", "l", "m", 1, "km"),
        ("GEOSEARCH", "l", "FROMMEMBER", "m", "BYRADIUS", 1, "km", "BOGUS"),
        ("GEOSEARCHSTORE", "d", "l", "FROMMEMBER", "m", "BYRADIUS", 1, "km"),
        ("GEOSEARCHSTORE", "l", "nokey", "FROMMEMBER", "m", "BYRADIUS", 1, "km"),
        ("TYPE", "l"),
    ],
    "search_arguments": [
        SICILY,
        ("GEORADIUS", "Sicily", 15, 37, "-1", "km"),
        ("GEORADIUS", "Sicily", 15, 37, "-0", "km"),
        ("GEORADIUS", "Sicily", 15, 37, "abc", "km"),
        ("GEORADIUS", "Sicily", 15, 37, 1, "parsec"),
        ("GEORADIUS", "Sicily", 15, 37, "abc", "parsec"),
        ("GEORADIUS", "Sicily", 15, 100, "abc", "parsec"),
        ("GEORADIUS", "Sicily", "x", 37, 1, "km"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "KM", "WITHDIST", "withdist"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 0),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", -5),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", "x"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", "99999999999999999999"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 1, "COUNT", 2),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "ANY", "COUNT", 1),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "ASC", "DESC"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "DESC", "ASC"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STORE"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STOREDIST"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STORE", "d", "WITHCOORD"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "WITHHASH", "STOREDIST", "d"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "FROMMEMBER", "Palermo"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "BYRADIUS", 1, "km"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "withcoord\x00x"),
        ("GEORADIUS_RO", "Sicily", 15, 37, 200, "km", "STORE", "d"),
        ("GEORADIUS_RO", "Sicily", 15, 37, 200, "km", "STOREDIST", "d"),
        ("GEORADIUSBYMEMBER", "Sicily", "nope", 200, "km"),
        ("GEORADIUSBYMEMBER", "Sicily", "nope", "abc", "km"),
        ("GEORADIUSBYMEMBER", "Sicily", "Palermo", "abc", "km"),
        ("GEORADIUSBYMEMBER", "Sicily", "Palermo", 200, "km", "ANY"),
        ("GEORADIUSBYMEMBER", "nokey", "nope", "abc", "parsec", "COUNT", 1),
        ("GEORADIUSBYMEMBER", "nokey", "nope", "abc", "parsec", "ANY"),
        ("GEORADIUSBYMEMBER", "nokey", "nope", "abc", "parsec", "BOGUS"),
        ("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", 200, "km", "STORE", "d"),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "STORE",
            "d",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "STOREDIST",
        ),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYRADIUS", 200),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 200, 200),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", -1, 1, "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 1, -1, "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", "a", "b", "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 1, "b", "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 1, 1, "yd"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYRADIUS", "a", "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 137, "BYRADIUS", 1, "km"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, "x", "BYRADIUS", 1, "km"),
        ("GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", 1, "km"),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMMEMBER",
            "nope",
            "FROMMEMBER",
            "Palermo",
            "BYRADIUS",
            1,
            "km",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMMEMBER",
            "Palermo",
            "FROMMEMBER",
            "Catania",
            "BYRADIUS",
            1,
            "km",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            1,
            1,
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            1,
            "km",
            "BYRADIUS",
            200,
            "km",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            1,
            1,
            "km",
            "BYBOX",
            400,
            400,
            "km",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "FROMMEMBER",
            "Palermo",
        ),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "ASC", "DESC"),
        ("GEOSEARCH", "Sicily", "BYRADIUS", 200, "km", "ASC"),
        ("GEOSEARCH", "Sicily", "BYRADIUS", 200, "km", "WITHDIST", "ANY"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYRADIUS", 200, "km", "ANY"),
        ("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", 200, "km"),
        ("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "x", "km"),
        ("GEOSEARCH", "nokey", "FROMMEMBER", "nope"),
        ("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "COUNT", 1, "ASC"),
        ("GEOSEARCH", "nokey", "FROMLONLAT", 1, 1, "BYBOX", 1, 1, "km", "ANY"),
        (
            "GEOSEARCHSTORE",
            "d",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "WITHDIST",
        ),
        (
            "GEOSEARCHSTORE",
            "d",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "STORE",
            "x",
        ),
        (
            "GEOSEARCHSTORE",
            "d",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "STOREDIST",
            "x",
        ),
        (
            "GEOSEARCHSTORE",
            "d",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYRADIUS",
            200,
            "km",
            "STOREDIST",
            "STOREDIST",
        ),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("GEOSEARCHSTORE", "d", "Sicily", "BYRADIUS", 200, "km"),
        ("GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", 200, "km"),
        ("GEORADIUS", "Sicily", 15, 37),
        ("GEORADIUS", "Sicily", 15, 37, 200),
        ("GEORADIUS_RO", "Sicily", 15, 37, 200),
        ("GEORADIUSBYMEMBER", "Sicily", "Palermo", 200),
        ("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo"),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYRADIUS"),
        ("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", 15, 37, "BYRADIUS"),
        ("GEODIST", "Sicily", "Palermo"),
        ("GEOADD", "Sicily", 1, 2),
    ],
    "search_replies": [
        SICILY,
        ("GEORADIUS", "Sicily", 15, 37, 200, "km"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "WITHDIST"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "WITHCOORD"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "WITHHASH"),
        (
            "GEORADIUS",
            "Sicily",
            15,
            37,
            200,
            "km",
            "WITHCOORD",
            "WITHHASH",
            "WITHDIST",
            "ASC",
        ),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "withhash", "withcoord", "DESC"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "m"),
        ("GEORADIUS", "Sicily", 15, 37, 124, "mi", "WITHDIST"),
        ("GEORADIUS", "Sicily", 15, 37, 660000, "ft", "WITHDIST", "ASC"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 1),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 1, "DESC"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 5),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 1, "ANY"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "COUNT", 1, "ANY", "DESC"),
        ("GEORADIUS", "Sicily", 15, 37, 1, "km"),
        ("GEORADIUS_RO", "Sicily", 15, 37, 200, "km", "WITHDIST", "ASC"),
        (
            "GEORADIUSBYMEMBER",
            "Sicily",
            "Palermo",
            200,
            "km",
            "WITHDIST",
            "WITHCOORD",
            "ASC",
        ),
        ("GEORADIUSBYMEMBER_RO", "Sicily", "Catania", 200, "km", "WITHDIST", "DESC"),
        ("GEORADIUSBYMEMBER", "Sicily", "Palermo", 0, "km", "WITHDIST"),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMMEMBER",
            "Palermo",
            "BYRADIUS",
            200,
            "km",
            "WITHDIST",
            "WITHHASH",
            "WITHCOORD",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMMEMBER",
            "Palermo",
            "BYBOX",
            400,
            400,
            "km",
            "ASC",
            "COUNT",
            1,
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            200,
            200,
            "km",
            "WITHDIST",
        ),
        ("GEOSEARCH", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 0, 0, "km", "WITHDIST"),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMMEMBER",
            "Palermo",
            "BYBOX",
            0,
            0,
            "km",
            "WITHDIST",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "fromlonlat",
            15,
            37,
            "byradius",
            200,
            "KM",
            "desc",
            "count",
            2,
            "any",
        ),
    ],
    "store_results": [
        SICILY,
        ("SET", "d", "string"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STORE", "d"),
        ("TYPE", "d"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("OBJECT", "ENCODING", "d"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STORE", "x", "STOREDIST", "d"),
        ("EXISTS", "x"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("GEORADIUS", "Sicily", 15, 37, 200, "km", "STOREDIST", "x", "STORE", "d"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        (
            "GEORADIUS",
            "Sicily",
            15,
            37,
            200,
            "mi",
            "STOREDIST",
            "d",
            "COUNT",
            1,
            "DESC",
        ),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("GEORADIUS", "Sicily", 15, 37, 1, "km", "STORE", "d"),
        ("EXISTS", "d"),
        ("GEORADIUS", "Sicily", 15, 37, 1, "km", "STORE", "d"),
        ("GEORADIUSBYMEMBER", "Sicily", "Palermo", 100, "km", "STORE", "Sicily"),
        ("ZRANGE", "Sicily", 0, -1, "WITHSCORES"),
        SICILY,
        (
            "GEOSEARCHSTORE",
            "Sicily",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            100,
            100,
            "km",
            "STOREDIST",
        ),
        ("ZRANGE", "Sicily", 0, -1, "WITHSCORES"),
        ("GEOSEARCHSTORE", "d2", "Sicily", "FROMLONLAT", 15, 37, "BYBOX", 1, 1, "m"),
        (
            "GEOSEARCHSTORE",
            "Sicily",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            1,
            1,
            "m",
        ),
        ("EXISTS", "Sicily"),
        (
            "GEOSEARCHSTORE",
            "d2",
            "nokey",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            1,
            1,
            "m",
            "COUNT",
            1,
            "ANY",
        ),
    ],
    "scores_not_from_geoadd": [
        (
            "ZADD",
            "w",
            -1,
            "a",
            "-inf",
            "b",
            "inf",
            "c",
            "1e30",
            "d",
            "-1e30",
            "e",
            "0.5",
            "f",
        ),
        (
            "ZADD",
            "w",
            4503599627370496,
            "g",
            9007199254740993,
            "h",
            "1.5e19",
            "i",
            -4503599627370497,
            "j",
        ),
        ("GEOPOS", "w", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
        ("GEOHASH", "w", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
        ("GEODIST", "w", "a", "b"),
        ("GEODIST", "w", "a", "j", "mi"),
        ("GEORADIUS", "w", 0, 0, 30000, "km", "WITHHASH", "WITHCOORD", "WITHDIST"),
        ("GEORADIUSBYMEMBER", "w", "a", 20000, "km", "WITHHASH", "ASC"),
        (
            "GEOSEARCH",
            "w",
            "FROMMEMBER",
            "b",
            "BYBOX",
            40000,
            40000,
            "km",
            "WITHDIST",
            "DESC",
        ),
    ],
    "edges_and_extremes": [
        (
            "GEOADD",
            "e",
            180,
            "85.05112878",
            "ne",
            -180,
            "-85.05112878",
            "sw",
            0,
            0,
            "o",
        ),
        (
            "GEOADD",
            "e",
            "179.9999",
            0,
            "east",
            "-179.9999",
            0,
            "west",
            0,
            "85.05",
            "north",
        ),
        ("GEOADD", "e", 0, "-85.05", "south", "0.000001", "0.000001", "tiny"),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            180,
            0,
            "BYRADIUS",
            100,
            "km",
            "WITHDIST",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            -180,
            0,
            "BYBOX",
            200,
            200,
            "km",
            "WITHDIST",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            179.95,
            0,
            "BYBOX",
            50,
            10,
            "km",
            "WITHCOORD",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            0,
            "85.05112878",
            "BYRADIUS",
            5000,
            "km",
            "WITHDIST",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            0,
            "-85.05112878",
            "BYBOX",
            2000,
            2000,
            "km",
            "ASC",
        ),
        ("GEOSEARCH", "e", "FROMLONLAT", 0, 0, "BYRADIUS", 0, "m", "WITHDIST"),
        ("GEOSEARCH", "e", "FROMMEMBER", "tiny", "BYRADIUS", 0, "m", "WITHDIST"),
        ("GEOSEARCH", "e", "FROMMEMBER", "tiny", "BYRADIUS", "0.5", "m", "WITHDIST"),
        ("GEOSEARCH", "e", "FROMLONLAT", 0, 0, "BYRADIUS", "1e-300", "m", "WITHDIST"),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            0,
            0,
            "BYRADIUS",
            20000,
            "km",
            "WITHDIST",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            0,
            0,
            "BYRADIUS",
            "1e308",
            "km",
            "WITHDIST",
            "ASC",
        ),
        ("GEOSEARCH", "e", "FROMLONLAT", 0, 0, "BYRADIUS", "inf", "km", "ASC"),
        ("GEOSEARCH", "e", "FROMLONLAT", 0, 0, "BYBOX", "inf", "inf", "m", "ASC"),
        ("GEOSEARCH", "e", "FROMLONLAT", 0, 0, "BYBOX", "1e308", 1, "m", "ASC"),
        (
            "GEOSEARCH",
            "e",
            "FROMLONLAT",
            0,
            0,
            "BYBOX",
            40000,
            40000,
            "km",
            "DESC",
            "WITHDIST",
        ),
        ("GEORADIUS", "e", 180, "85.05112878", 1, "m", "WITHDIST", "WITHCOORD"),
        ("GEORADIUSBYMEMBER", "e", "ne", 20037, "km", "WITHDIST", "ASC"),
        ("GEODIST", "e", "ne", "sw"),
        ("GEODIST", "e", "east", "west", "m"),
        ("GEODIST", "e", "north", "south", "km"),
        ("GEOPOS", "e", "ne", "sw", "east", "west", "north", "south", "tiny", "o"),
        ("GEOHASH", "e", "ne", "sw", "east", "west", "north", "south", "tiny", "o"),
    ],
    "ties_and_big_sets": [
        # Members at the same places: ASC, DESC and COUNT cut inside a tie.
        (
            "GEOADD",
            "t",
            1,
            1,
            "a",
            1,
            1,
            "b",
            1,
            1,
            "c",
            2,
            2,
            "d",
            2,
            2,
            "e",
            0,
            0,
            "f",
        ),
        ("GEOADD", "t", 1, 1, "g", 0, 0, "h", 2, 2, "i", "0.5", "0.5", "j"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "ASC"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "DESC"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "COUNT", 4),
        ("GEORADIUS", "t", 0, 0, 500, "km", "COUNT", 3, "DESC"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "COUNT", 7, "ASC", "WITHDIST"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "COUNT", 5, "ANY"),
        ("GEORADIUS", "t", 0, 0, 500, "km", "COUNT", 5, "ANY", "DESC"),
        ("GEOSEARCH", "t", "FROMMEMBER", "a", "BYBOX", 400, 400, "km", "ASC"),
        # Past 128 members the set is a skiplist in Redis.
        (
            "GEOADD",
            "t",
            *[
                x
                for i in range(150)
                for x in (
                    f"{(i * 7) % 360 - 180 + 0.5}",
                    f"{(i * 13) % 170 - 85}",
                    f"p{i}",
                )
            ],
        ),
        ("OBJECT", "ENCODING", "t"),
        ("GEORADIUS", "t", 10, 10, 3000, "km", "ASC", "WITHDIST"),
        ("GEORADIUS", "t", 10, 10, 9000, "km", "COUNT", 50),
        ("GEORADIUS", "t", 10, 10, 9000, "km", "COUNT", 45, "DESC"),
        ("GEORADIUS", "t", 10, 10, 9000, "km", "COUNT", 8, "ANY", "ASC"),
        (
            "GEOSEARCH",
            "t",
            "FROMLONLAT",
            0,
            0,
            "BYBOX",
            20000,
            8000,
            "km",
            "DESC",
            "COUNT",
            60,
            "WITHDIST",
        ),
        ("GEOSEARCH", "t", "FROMLONLAT", 0, 0, "BYBOX", 20000, 8000, "km"),
        ("GEOSEARCHSTORE", "t2", "t", "FROMLONLAT", 0, 0, "BYRADIUS", 5000, "km"),
        ("OBJECT", "ENCODING", "t2"),
        ("ZRANGE", "t2", 0, -1, "WITHSCORES"),
    ],
}


CASES["getkeys"] = [
    (
        "COMMAND",
        "GETKEYS",
        "georadius",
        "k",
        1,
        1,
        1,
        "km",
        "STORE",
        "a",
        "STOREDIST",
        "b",
    ),
    ("COMMAND", "GETKEYSANDFLAGS", "georadius", "k", 1, 1, 1, "km", "STORE", "a"),
    ("COMMAND", "GETKEYSANDFLAGS", "georadius", "k", 1, 1, 1, "km"),
    (
        "COMMAND",
        "GETKEYSANDFLAGS",
        "georadiusbymember",
        "k",
        "m",
        1,
        "km",
        "STOREDIST",
        "b",
    ),
    (
        "COMMAND",
        "GETKEYSANDFLAGS",
        "geosearchstore",
        "d",
        "s",
        "FROMMEMBER",
        "m",
        "BYRADIUS",
        1,
        "km",
    ),
    ("COMMAND", "GETKEYSANDFLAGS", "geoadd", "k", 1, 1, "m"),
    ("COMMAND", "GETKEYS", "georadius", "k", 1, 1, 1, "km", "store"),
    ("COMMAND", "GETKEYS", "georadius_ro", "k", 1, 1, 1, "km", "store", "a"),
]


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_differential(targets, steps, level):
    check(targets, level, steps)


# -- RESP3 on the wire ---------------------------------------------------------------


def _wire(port: int, commands: Sequence[Sequence[Any]]) -> list[bytes]:
    """The exact bytes of each reply, after HELLO 3 (a reply is read with
    RawClient's parser, which tells where it ends)."""
    c = RawClient(port)
    got: list[bytes] = []

    def recorder(original: Any) -> Any:
        def read(*a: Any) -> Any:
            data = original(*a)
            got.append(data + b"\r\n")
            return data

        return read

    c._line = recorder(c._line)  # type: ignore[method-assign]
    c._exact = recorder(c._exact)  # type: ignore[method-assign]
    out = []
    try:
        c.execute(["FLUSHALL"])
        c.execute(["HELLO", "3"])
        for argv in commands:
            got.clear()
            c.execute(list(argv))
            out.append(b"".join(got))
    finally:
        c.close()
    return out


def test_resp3_bytes(redis_server, redlite_server):
    commands = [
        SICILY,
        ("GEOPOS", "Sicily", "Palermo", "nope", "Catania"),
        ("GEOPOS", "nokey", "x"),
        ("GEOHASH", "Sicily", "Palermo", "nope"),
        ("GEODIST", "Sicily", "Palermo", "Catania"),
        ("GEODIST", "Sicily", "Palermo", "nope"),
        (
            "GEORADIUS",
            "Sicily",
            15,
            37,
            200,
            "km",
            "WITHCOORD",
            "WITHDIST",
            "WITHHASH",
            "ASC",
        ),
        (
            "GEOSEARCH",
            "Sicily",
            "FROMLONLAT",
            15,
            37,
            "BYBOX",
            400,
            400,
            "km",
            "WITHCOORD",
        ),
        ("GEOADD", "e", 180, "85.05112878", "ne", 0, 0, "o", -0.0001, 0, "w"),
        ("GEOPOS", "e", "ne", "o", "w"),
    ]
    want = _wire(redis_server.port, commands)
    assert b",13.36138933897018433\r\n" in want[1]
    assert _wire(redlite_server.port, commands) == want


# -- keyspace events -------------------------------------------------------------------


def test_keyspace_events(redis_server, redlite_server):
    steps = [
        ["GEOADD", "g", "13.361389", "38.115556", "Palermo"],
        ["GEOADD", "g", "15.087269", "37.502669", "Catania"],
        ["GEOADD", "g", "15.087269", "37.502669", "Catania"],
        ["GEOADD", "g", "CH", "15", "37", "Catania"],
        ["GEOADD", "g", "1", "100", "x"],
        ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"],
        ["GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d"],
        ["GEORADIUS", "g", "15", "37", "1", "km", "STORE", "d"],
        ["GEORADIUS", "g", "15", "37", "1", "km", "STORE", "d"],
        ["GEORADIUS", "g", "15", "37", "200", "km"],
        ["GEORADIUSBYMEMBER", "g", "Palermo", "500", "km", "STORE", "d"],
        ["GEORADIUSBYMEMBER", "nokey", "Palermo", "500", "km", "STORE", "d"],
        ["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km"],
        ["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"],
        ["GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"],
        [
            "GEOSEARCHSTORE",
            "g",
            "g",
            "FROMLONLAT",
            "15",
            "37",
            "BYRADIUS",
            "100",
            "km",
            "STOREDIST",
        ],
        ["GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "100", "km"],
        ["SET", "s", "x"],
        ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "s"],
    ]
    compare_events(redis_server.port, redlite_server.port, "KEA", steps)


# -- GEOADD wakes a blocked ZSET pop -------------------------------------------------------


def test_geoadd_serves_bzpopmin(redis_server, redlite_server):
    for port in (redis_server.port, redlite_server.port):
        blocked, writer = RawClient(port), RawClient(port)
        try:
            writer.execute(["FLUSHALL"])
            blocked.send(["BZPOPMIN", "g", "5"])
            time.sleep(0.2)
            assert writer.execute(
                ["GEOADD", "g", "13.361389", "38.115556", "Palermo"]
            ) == ("int", 1)
            assert blocked.read() == (
                "array",
                [("bulk", b"g"), ("bulk", b"Palermo"), ("bulk", b"3479099956230698")],
            )
            assert writer.execute(["EXISTS", "g"]) == ("int", 0)
        finally:
            blocked.close()
            writer.close()


# -- Hypothesis ------------------------------------------------------------------------------
# Points anywhere (edges, the antimeridian, the limits of latitude, and past them: the
# poles are refused), a few members so positions are replaced and coincide, and
# searches of every kind and size. Unsorted replies are compared as sets, sorted ones
# as the sequence of their distance groups (`GeoReply`).

EDGE_LON = [-180, 180, 0, "-0", "179.99999", "-179.99999", "0.000001", "-0.000001"]
EDGE_LAT = ["85.05112878", "-85.05112878", 0, "85.05", "-85.05", "0.000001", "45"]
OUT_LAT = [90, -90, "85.05112879", "-85.0511288", "1e3"]
# Where the points gather, so that searches find some (and members coincide): the
# equator, both sides of the antimeridian, Sicily, the limit of latitude.
CENTRES = [
    (0.0, 0.0),
    (179.95, 10.0),
    (-179.95, 10.0),
    (13.361389, 38.115556),
    (45.0, -84.9),
]
LAT_LIMIT = 85.05112878


def _near(centre: tuple[float, float], dx: float, dy: float) -> tuple[str, str]:
    """A point `dx`, `dy` degrees from a centre, its longitude wrapped into
    -180..180 and its latitude held within the limits."""
    lon = centre[0] + dx
    if lon > 180:
        lon -= 360
    elif lon < -180:
        lon += 360
    lat = max(-LAT_LIMIT, min(LAT_LIMIT, centre[1] + dy))
    return repr(lon), repr(lat)


OFFSET = st.one_of(
    st.just(0.0),
    st.floats(-0.01, 0.01, allow_nan=False),
    st.floats(-3, 3, allow_nan=False),
)
NEAR = st.builds(_near, st.sampled_from(CENTRES), OFFSET, OFFSET)
ANYWHERE = st.tuples(
    st.one_of(
        st.sampled_from(EDGE_LON),
        st.floats(-180, 180, allow_nan=False).map(repr),
        st.integers(-180, 180),
    ),
    st.one_of(
        st.sampled_from(EDGE_LAT),
        st.floats(-LAT_LIMIT, LAT_LIMIT, allow_nan=False).map(repr),
        st.integers(-85, 85),
    ),
)
# Mostly near a centre, sometimes anywhere.
LONLAT = st.one_of(NEAR, NEAR, NEAR, ANYWHERE)
# A position GEOADD and FROMLONLAT refuse (the poles, past the limits).
OUT_OF_RANGE = st.tuples(
    st.sampled_from([*EDGE_LON, "180.000001", "-181"]),
    st.sampled_from([*OUT_LAT, 0]),
).filter(lambda xy: xy[1] != 0 or xy[0] in ("180.000001", "-181"))
MEMBERS = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"])
UNITS = st.sampled_from(["m", "km", "km", "km", "km", "ft", "mi", "KM"])
RADIUS = st.one_of(
    st.sampled_from([0, "0.001", 1, 50, 500, 5000, 20000, 40000, "1e9"]),
    st.floats(0, 1000, allow_nan=False).map(repr),
    st.floats(0, 25000, allow_nan=False).map(repr),
)
GEO_KEYS = st.sampled_from(["g", "g", "g", "g2"])


def _points(draw_n: int = 8) -> Any:
    return st.lists(
        st.builds(lambda xy, m: (*xy, m), LONLAT, MEMBERS),
        min_size=1,
        max_size=draw_n,
    )


GEOADD = st.builds(
    lambda k, opts, pts: ("GEOADD", k, *opts, *[x for p in pts for x in p]),
    GEO_KEYS,
    st.sampled_from([(), ("NX",), ("XX",), ("CH",), ("NX", "CH"), ("XX", "CH")]),
    _points(),
)
# One point out of range among good ones: nothing is added.
GEOADD_REFUSED = st.builds(
    lambda k, pts, bad, i: (
        "GEOADD",
        k,
        *[x for p in pts[:i] + [(*bad, "z")] + pts[i:] for x in p],
    ),
    GEO_KEYS,
    _points(3),
    OUT_OF_RANGE,
    st.integers(0, 3),
)
ORDER = st.sampled_from([(), ("ASC",), ("DESC",)])
COUNT = st.one_of(
    st.just(()),
    st.builds(lambda n: ("COUNT", n), st.integers(1, 6)),
    st.builds(lambda n: ("COUNT", n, "ANY"), st.integers(1, 6)),
)
WITH = st.sets(st.sampled_from(["WITHDIST", "WITHCOORD", "WITHHASH"])).map(
    lambda s: tuple(sorted(s))
)
FROM = st.one_of(
    st.builds(lambda m: ("FROMMEMBER", m), MEMBERS),
    st.builds(lambda m: ("FROMMEMBER", m), MEMBERS),
    st.builds(lambda xy: ("FROMLONLAT", *xy), LONLAT),
    st.builds(lambda xy: ("FROMLONLAT", *xy), LONLAT),
    st.builds(lambda xy: ("FROMLONLAT", *xy), OUT_OF_RANGE),
)
BY = st.one_of(
    st.builds(lambda r, u: ("BYRADIUS", r, u), RADIUS, UNITS),
    st.builds(lambda w, h, u: ("BYBOX", w, h, u), RADIUS, RADIUS, UNITS),
)


class GeoReply(Norm):
    """A search's reply: as a set when unsorted; when sorted, with WITHDIST, as the
    sequence of its groups of equal distance (each a set; the last one, which COUNT
    may cut, by its size): members at one distance may come in any order."""

    name = "geo"

    def __init__(self, sorted_: bool, withdist_at: int, counted: bool) -> None:
        self.sorted = sorted_
        self.withdist_at = withdist_at
        self.counted = counted

    def key(self, v: Any) -> Any:
        # A raw tree ("array", [...]) or redis-py's list.
        if isinstance(v, tuple) and v[0] == "array":
            items, raw = v[1], True
        elif isinstance(v, list):
            items, raw = v, False
        else:
            return v
        if not self.sorted:
            return sorted(map(repr, items))
        if self.withdist_at < 0:
            return items
        groups: list[tuple[Any, list[str]]] = []
        for item in items:
            fields = item[1] if raw else item
            dist = fields[self.withdist_at]
            if groups and groups[-1][0] == dist:
                groups[-1][1].append(repr(item))
            else:
                groups.append((dist, [repr(item)]))
        out: list[Any] = [(d, sorted(ms)) for d, ms in groups]
        if out and self.counted:
            out[-1] = (out[-1][0], len(out[-1][1]))
        return out

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


def _search(
    argv: tuple[Any, ...],
    order: tuple[str, ...],
    count: tuple[Any, ...],
    withs: tuple[str, ...],
) -> Any:
    sorted_ = bool(order) or (bool(count) and "ANY" not in count)
    withdist_at = 1 if "WITHDIST" in withs else -1
    return C(
        *argv, *order, *count, *withs, norm=GeoReply(sorted_, withdist_at, bool(count))
    )


GEOSEARCH = st.builds(
    lambda k, f, b, o, c, w: _search(("GEOSEARCH", k, *f, *b), o, c, w),
    GEO_KEYS,
    FROM,
    BY,
    ORDER,
    COUNT,
    WITH,
)
GEORADIUS = st.builds(
    lambda name, k, xy, r, u, o, c, w: _search((name, k, *xy, r, u), o, c, w),
    st.sampled_from(["GEORADIUS", "GEORADIUS_RO"]),
    GEO_KEYS,
    LONLAT,
    RADIUS,
    UNITS,
    ORDER,
    COUNT,
    WITH,
)
GEORADIUSBYMEMBER = st.builds(
    lambda name, k, m, r, u, o, c, w: _search((name, k, m, r, u), o, c, w),
    st.sampled_from(["GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"]),
    GEO_KEYS,
    MEMBERS,
    RADIUS,
    UNITS,
    ORDER,
    COUNT,
    WITH,
)
# A stored result is compared through ZRANGE ... WITHSCORES (the scores are the hashes
# or the distances, in member order for equal ones).
GEOSEARCHSTORE = st.builds(
    lambda k, f, b, c, dist: [
        C("GEOSEARCHSTORE", "dst", k, *f, *b, *c, *dist),
        C("ZRANGE", "dst", 0, -1, "WITHSCORES"),
    ],
    GEO_KEYS,
    FROM,
    BY,
    st.one_of(st.just(()), st.builds(lambda n: ("COUNT", n), st.integers(1, 6))),
    st.sampled_from([(), ("STOREDIST",)]),
)
READS = st.one_of(
    st.builds(
        lambda k, ms: ("GEOPOS", k, *ms),
        GEO_KEYS,
        st.lists(MEMBERS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda k, ms: ("GEOHASH", k, *ms),
        GEO_KEYS,
        st.lists(MEMBERS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda k, a, b, u: ("GEODIST", k, a, b, *u),
        GEO_KEYS,
        MEMBERS,
        MEMBERS,
        st.one_of(st.just(()), UNITS.map(lambda u: (u,))),
    ),
    st.builds(lambda k, m: ("ZREM", k, m), GEO_KEYS, MEMBERS),
)
GEO_STEP = st.one_of(
    GEOADD,
    GEOADD,
    GEOADD,
    GEOADD_REFUSED,
    GEOSEARCH,
    GEOSEARCH,
    GEORADIUS,
    GEORADIUSBYMEMBER,
    READS,
    GEOSEARCHSTORE,
)


# Each sequence starts with points in both keys, so that the searches find some.
SEED = st.tuples(
    st.builds(lambda pts: ("GEOADD", "g", *[x for p in pts for x in p]), _points(12)),
    st.builds(lambda pts: ("GEOADD", "g2", *[x for p in pts for x in p]), _points(6)),
)


def _flatten(seed: tuple[Any, ...], steps: list[Any]) -> list[Any]:
    out: list[Any] = list(seed)
    for s in steps:
        out.extend(s if isinstance(s, list) else [s])
    return out


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(seed=SEED, steps=st.lists(GEO_STEP, min_size=1, max_size=20))
def test_random_geo_sequences(targets, seed, steps):
    check(targets, "raw", _flatten(seed, steps))


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=25,
)
@given(seed=SEED, steps=st.lists(GEO_STEP, min_size=1, max_size=12))
def test_random_geo_sequences_redis_py(targets, seed, steps):
    check(targets, "py3", _flatten(seed, steps))


# A big index: 2000 random points (half of them near the centres), then searches of
# every size around random places: Redis's fuzzy test, compared with Redis itself
# instead of a Tcl model.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=10,
)
@given(
    seed=st.integers(0, 2**32 - 1),
    searches=st.lists(
        st.tuples(LONLAT, BY, ORDER, COUNT),
        min_size=1,
        max_size=8,
    ),
)
def test_random_searches_in_a_big_index(targets, seed, searches):
    rnd = random.Random(seed)
    args: list[Any] = []
    for i in range(2000):
        if i % 2:
            lon, lat = _near(
                rnd.choice(CENTRES), rnd.uniform(-2, 2), rnd.uniform(-2, 2)
            )
        else:
            lon, lat = repr(rnd.uniform(-180, 180)), repr(rnd.uniform(-85, 85))
        args += [lon, lat, f"place:{i}"]
    steps: list[Any] = [("GEOADD", "big", *args)]
    for (x, y), by, order, count in searches:
        steps.append(
            _search(
                ("GEOSEARCH", "big", "FROMLONLAT", x, y, *by),
                order,
                count,
                ("WITHDIST",),
            )
        )
        steps.append(
            _search(("GEOSEARCH", "big", "FROMLONLAT", x, y, *by), order, count, ())
        )
    check(targets, "raw", steps)


def test_geo_norm_groups_ties():
    """The normaliser itself: ties in any order, a cut tie by its size."""
    n = GeoReply(True, 1, True)
    a = (
        "array",
        [
            ("array", [("bulk", b"x"), ("bulk", b"1.0")]),
            ("array", [("bulk", b"y"), ("bulk", b"1.0")]),
        ],
    )
    b = (
        "array",
        [
            ("array", [("bulk", b"y"), ("bulk", b"1.0")]),
            ("array", [("bulk", b"z"), ("bulk", b"1.0")]),
        ],
    )
    assert n.equal(a, b)
    assert not GeoReply(True, 1, False).equal(a, b)
