//! COMMAND INFO, COMMAND DOCS and COMMAND GETKEYS / GETKEYSANDFLAGS against replies
//! recorded from a real Redis 7.0.15 over RESP3 (so maps, sets and arrays are told
//! apart). `command_meta/info.resp3` and `docs.resp3` hold Redis's raw replies to
//! `COMMAND INFO <name>` and `COMMAND DOCS <name>` for each command redlite had when
//! they were recorded (`command_meta/record.py` re-records them); the GETKEYS cases
//! below were recorded the same way.
//!
//! Two differences from Redis are deliberate, and normalised on both sides (tests/common):
//! Redis lists a container's subcommands in the order of its hash table, whose seed is
//! random per process, so subcommands are compared sorted by name; and redlite does not
//! carry COMMAND DOCS's `arguments` trees (a scope decision), so Redis's are dropped.

mod common;

use common::{assert_docs_as_redis, assert_info_as_redis, normal_docs, one, recorded, session};
use redlite_core::command::keyspec::{
    find_keys, getkeys, GetKeysProc, KeyFlags, KeySpec, ACCESS, DELETE, OW, RO, RW, UPDATE,
};
use redlite_core::Reply;

#[test]
fn command_info_as_redis() {
    let entries = recorded("command_meta/info.resp3");
    assert!(entries.len() > 70);
    assert_info_as_redis(&mut session(), entries);
}

#[test]
fn command_docs_as_redis() {
    let entries = recorded("command_meta/docs.resp3");
    assert!(entries.len() > 70);
    assert_docs_as_redis(&mut session(), entries);
}

/// Examples of every shape: notes, several specs, a deprecated command with history.
#[test]
fn command_info_and_docs_examples() {
    let mut s = session();
    let want = one(b"*1\r\n*10\r\n$4\r\ncopy\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n~3\r\n+@keyspace\r\n+@write\r\n+@slow\r\n~0\r\n~2\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n");
    assert_eq!(s.execute(&["COMMAND", "INFO", "copy"]), want);
    // Redis's reply, arguments and all; the arguments are dropped for the comparison.
    let mut want = one(b"%1\r\n$6\r\ngetset\r\n%8\r\n$7\r\nsummary\r\n$54\r\nSet the string value of a key and return its old value\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\ndoc_flags\r\n~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nreplaced_by\r\n$30\r\n`SET` with the `!GET` argument\r\n$9\r\narguments\r\n*2\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n%2\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n");
    if let Reply::Map(p) = &mut want {
        normal_docs(&mut p[0].1);
    }
    assert_eq!(s.execute(&["COMMAND", "DOCS", "getset"]), want);
}

/// A table entry with keys has Redis's key specs: COMMAND INFO shows them and COMMAND
/// GETKEYS finds keys only through them (or a getkeys procedure).
#[test]
fn every_command_with_keys_has_key_specs() {
    let all =
        redlite_core::command::all().flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()));
    for spec in all {
        if spec.first_key > 0 {
            assert!(
                !spec.key_specs.is_empty(),
                "{} has keys but no key_specs",
                spec.name
            );
        }
    }
}

#[test]
fn command_getkeys_as_redis() {
    let mut s = session();
    for (argv, keys, flags) in TABLE {
        for (sub, want) in [("GETKEYS", keys), ("GETKEYSANDFLAGS", flags)] {
            let mut full = vec!["COMMAND", sub];
            full.extend_from_slice(argv);
            assert_eq!(s.execute(&full), one(want), "{}", full.join(" "));
        }
    }
}

const SORT_BY: &str = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const SORT_STORE: &str = "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";

/// Redis 7.0.15's key specs (and getkeys procedures) of commands the families still to
/// come will have: keyword and keynum searches, a range with a limit, unknown specs.
/// Redis's xreadGetKeys only serves when XREAD's spec fails, which these cases never do.
#[allow(clippy::type_complexity)]
const REDIS_SPECS: &[(&str, &[KeySpec], Option<GetKeysProc>)] = &[
    (
        "LMPOP",
        &[KeySpec::new(RW | ACCESS | DELETE).index(1).keynum(0, 1, 1)],
        Some(getkeys::lmpop),
    ),
    (
        "BLMPOP",
        &[KeySpec::new(RW | ACCESS | DELETE).index(2).keynum(0, 1, 1)],
        Some(getkeys::blmpop),
    ),
    (
        "ZMPOP",
        &[KeySpec::new(RW | ACCESS | DELETE).index(1).keynum(0, 1, 1)],
        Some(getkeys::zmpop),
    ),
    (
        "BZMPOP",
        &[KeySpec::new(RW | ACCESS | DELETE).index(2).keynum(0, 1, 1)],
        Some(getkeys::bzmpop),
    ),
    (
        "ZUNIONSTORE",
        &[
            KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).keynum(0, 1, 1),
        ],
        Some(getkeys::zunion_inter_diff_store),
    ),
    (
        "ZUNION",
        &[KeySpec::new(RO | ACCESS).index(1).keynum(0, 1, 1)],
        Some(getkeys::zunion_inter_diff),
    ),
    (
        "ZINTERCARD",
        &[KeySpec::new(RO | ACCESS).index(1).keynum(0, 1, 1)],
        Some(getkeys::zunion_inter_diff),
    ),
    (
        "SINTERCARD",
        &[KeySpec::new(RO | ACCESS).index(1).keynum(0, 1, 1)],
        Some(getkeys::sintercard),
    ),
    (
        "SORT",
        &[
            KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).notes(SORT_BY),
            KeySpec::new(OW | UPDATE).notes(SORT_STORE),
        ],
        Some(getkeys::sort),
    ),
    (
        "SORT_RO",
        &[
            KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).notes(SORT_BY),
        ],
        Some(getkeys::sort_ro),
    ),
    (
        "XREAD",
        &[KeySpec::new(RO | ACCESS)
            .keyword("STREAMS", 1)
            .range(-1, 1, 2)],
        None,
    ),
    (
        "XREADGROUP",
        &[KeySpec::new(RO | ACCESS)
            .keyword("STREAMS", 4)
            .range(-1, 1, 2)],
        None,
    ),
];

fn redis_specs(name: &str) -> (&'static [KeySpec], Option<GetKeysProc>) {
    let (_, specs, proc_) = REDIS_SPECS.iter().find(|(n, _, _)| *n == name).expect(name);
    (specs, *proc_)
}

fn flags_reply(flags: KeyFlags) -> Reply {
    Reply::Set(
        redlite_core::command::keyspec::flag_names(flags)
            .map(|f| Reply::Simple(f.into()))
            .collect(),
    )
}

#[test]
fn key_specs_find_keys_as_redis() {
    for (argv, keys, flags) in SPECLESS {
        let (specs, proc_) = redis_specs(argv[0]);
        let args: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        let found = find_keys(specs, proc_, &args);
        let (got_keys, got_flags) = if found.is_empty() {
            let e = Reply::Error("ERR Invalid arguments specified for command".into());
            (e.clone(), e)
        } else {
            (
                Reply::Array(
                    found
                        .iter()
                        .map(|&(i, _)| Reply::Bulk(args[i].to_vec()))
                        .collect(),
                ),
                Reply::Array(
                    found
                        .iter()
                        .map(|&(i, f)| {
                            Reply::Array(vec![Reply::Bulk(args[i].to_vec()), flags_reply(f)])
                        })
                        .collect(),
                ),
            )
        };
        assert_eq!(got_keys, one(keys), "GETKEYS {}", argv.join(" "));
        assert_eq!(got_flags, one(flags), "GETKEYSANDFLAGS {}", argv.join(" "));
    }
}

// Recorded from Redis 7.0.15: (argv, COMMAND GETKEYS argv, COMMAND GETKEYSANDFLAGS argv).
const TABLE: &[(&[&str], &[u8], &[u8])] = &[
    (
        &["GET", "k"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["GET"],
        b"-ERR wrong number of arguments for 'command|getkeys' command\r\n",
        b"-ERR wrong number of arguments for 'command|getkeysandflags' command\r\n",
    ),
    (
        &["GET", "a", "b"],
        b"-ERR Invalid number of arguments specified for command\r\n",
        b"-ERR Invalid number of arguments specified for command\r\n",
    ),
    (
        &["SET", "k", "v"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SET", "k", "v", "NX", "GET"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["SET", "k", "v", "get"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["SET", "k", "get"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SET", "k", "v", "gets"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SET", "k", "v", "ge"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["MSET", "a", "1", "b", "2"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["MSET", "a", "1", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["MGET", "a", "b", "c"],
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
        b"*3\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nc\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["DEL", "a", "b", "c"],
        b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n",
        b"*3\r\n*2\r\n$1\r\na\r\n~2\r\n+RM\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+RM\r\n+delete\r\n*2\r\n$1\r\nc\r\n~2\r\n+RM\r\n+delete\r\n",
    ),
    (
        &["EXISTS", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~1\r\n+RO\r\n*2\r\n$1\r\nb\r\n~1\r\n+RO\r\n",
    ),
    (
        &["TOUCH", "x"],
        b"*1\r\n$1\r\nx\r\n",
        b"*1\r\n*2\r\n$1\r\nx\r\n~1\r\n+RO\r\n",
    ),
    (
        &["UNLINK", "x", "y"],
        b"*2\r\n$1\r\nx\r\n$1\r\ny\r\n",
        b"*2\r\n*2\r\n$1\r\nx\r\n~2\r\n+RM\r\n+delete\r\n*2\r\n$1\r\ny\r\n~2\r\n+RM\r\n+delete\r\n",
    ),
    (
        &["RENAME", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["RENAMENX", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+insert\r\n",
    ),
    (
        &["COPY", "a", "b", "DB", "1", "REPLACE"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["BITOP", "AND", "d", "a", "b"],
        b"*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*3\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["BITOP", "NOT", "d", "a"],
        b"*2\r\n$1\r\nd\r\n$1\r\na\r\n",
        b"*2\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["BITOP", "AND", "d"],
        b"-ERR Invalid number of arguments specified for command\r\n",
        b"-ERR Invalid number of arguments specified for command\r\n",
    ),
    (
        &["LCS", "a", "b", "LEN"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["GETDEL", "a"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["GETEX", "a", "PERSIST"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["SETNX", "a", "1"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+insert\r\n",
    ),
    (
        &["MSETNX", "a", "1", "b", "2"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+insert\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n+insert\r\n",
    ),
    (
        &["APPEND", "a", "b"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RW\r\n+insert\r\n",
    ),
    (
        &["STRLEN", "a"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~1\r\n+RO\r\n",
    ),
    (
        &["BITFIELD", "k"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["BITFIELD", "k", "GET", "u8", "0"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["BITFIELD", "k", "OVERFLOW", "SAT", "GET", "u8", "0"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["BITFIELD", "k", "GET", "u8"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["BITFIELD", "k", "INCRBY", "u8", "0", "1"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["BITFIELD", "k", "FOO"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~3\r\n+RW\r\n+access\r\n+update\r\n",
    ),
    (
        &["BITFIELD_RO", "k", "GET", "u8", "0"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["OBJECT", "ENCODING", "k"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~1\r\n+RO\r\n",
    ),
    (
        &["OBJECT", "HELP"],
        b"-ERR The command has no key arguments\r\n",
        b"-ERR The command has no key arguments\r\n",
    ),
    (
        &["OBJECT"],
        b"-ERR wrong number of arguments for 'command|getkeys' command\r\n",
        b"-ERR wrong number of arguments for 'command|getkeysandflags' command\r\n",
    ),
    (
        &["OBJECT", "NOSUCH", "k"],
        b"-ERR Invalid command specified\r\n",
        b"-ERR Invalid command specified\r\n",
    ),
    (
        &["OBJECT", "ENCODING", "k", "x"],
        b"-ERR Invalid number of arguments specified for command\r\n",
        b"-ERR Invalid number of arguments specified for command\r\n",
    ),
    (
        &["RESTORE", "a", "0", "x"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["EXPIRE", "a", "1", "NX"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RW\r\n+update\r\n",
    ),
    (
        &["PING"],
        b"-ERR wrong number of arguments for 'command|getkeys' command\r\n",
        b"-ERR wrong number of arguments for 'command|getkeysandflags' command\r\n",
    ),
    (
        &["KEYS", "*"],
        b"-ERR The command has no key arguments\r\n",
        b"-ERR The command has no key arguments\r\n",
    ),
    (
        &["NOSUCH", "a"],
        b"-ERR Invalid command specified\r\n",
        b"-ERR Invalid command specified\r\n",
    ),
    (
        &["COMMAND", "INFO"],
        b"-ERR The command has no key arguments\r\n",
        b"-ERR The command has no key arguments\r\n",
    ),
];

const SPECLESS: &[(&[&str], &[u8], &[u8])] = &[
    (
        &["LMPOP", "2", "a", "b", "LEFT"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["LMPOP", "1", "a", "LEFT", "COUNT", "2"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["LMPOP", "0", "a", "LEFT"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["LMPOP", "3", "a", "b"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["LMPOP", "x", "a", "b"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["LMPOP", "-1", "a", "b"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["LMPOP", "2x", "a", "b", "c"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~0\r\n*2\r\n$1\r\nb\r\n~0\r\n",
    ),
    (
        &["LMPOP", "01", "a", "b"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~0\r\n",
    ),
    (
        &["BLMPOP", "0", "2", "a", "b", "LEFT"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["BLMPOP", "0", "5", "a", "b", "LEFT"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["ZUNIONSTORE", "d", "2", "a", "b"],
        b"*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*3\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"],
        b"*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*3\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["ZUNIONSTORE", "d", "3", "a", "b"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["ZUNIONSTORE", "d", "1x", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nd\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~0\r\n*2\r\n$1\r\nd\r\n~0\r\n",
    ),
    (
        &["ZUNIONSTORE", "d", "0", "a"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["ZUNION", "2", "a", "b", "WITHSCORES"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["ZUNION", "3", "a", "b"],
        b"-ERR Invalid arguments specified for command\r\n",
        b"-ERR Invalid arguments specified for command\r\n",
    ),
    (
        &["ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["SINTERCARD", "2", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["SINTERCARD", "2 ", "a", "b"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~0\r\n*2\r\n$1\r\nb\r\n~0\r\n",
    ),
    (
        &["ZMPOP", "1", "a", "MIN"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["BZMPOP", "1", "2", "a", "b", "MAX"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n",
    ),
    (
        &["SORT", "k"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["SORT", "k", "STORE", "d"],
        b"*2\r\n$1\r\nk\r\n$1\r\nd\r\n",
        b"*2\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SORT", "k", "BY", "x", "GET", "#", "STORE", "d", "STORE", "e"],
        b"*2\r\n$1\r\nk\r\n$1\r\ne\r\n",
        b"*2\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\ne\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SORT", "k", "LIMIT", "0", "1", "STORE", "d"],
        b"*2\r\n$1\r\nk\r\n$1\r\nd\r\n",
        b"*2\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SORT", "k", "STORE"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["SORT", "k", "GET", "store", "x"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["SORT", "k", "store", "limit", "STORE", "z"],
        b"*2\r\n$1\r\nk\r\n$5\r\nlimit\r\n",
        b"*2\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$5\r\nlimit\r\n~2\r\n+OW\r\n+update\r\n",
    ),
    (
        &["SORT_RO", "k", "BY", "x"],
        b"*1\r\n$1\r\nk\r\n",
        b"*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREAD", "STREAMS", "a", "b", "0", "0"],
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREAD", "COUNT", "1", "STREAMS", "a", "0"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREAD", "STREAMS", "a", "b", "0"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREAD", "COUNT", "1", "STREAMS", "a", "STREAMS", "0", "0"],
        b"*2\r\n$1\r\na\r\n$7\r\nSTREAMS\r\n",
        b"*2\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n*2\r\n$7\r\nSTREAMS\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREAD", "BLOCK", "0", "STREAMS", "streams", "0"],
        b"*1\r\n$7\r\nstreams\r\n",
        b"*1\r\n*2\r\n$7\r\nstreams\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "0"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n",
    ),
    (
        &["XREADGROUP", "GROUP", "g", "STREAMS", "STREAMS", "a", "0", "0"],
        b"*1\r\n$1\r\na\r\n",
        b"*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n",
    ),
];

/// The flag bits tested on every command say what the flag names say, and redlite's
/// own `fails_clean` mark (a group commit without a SAVEPOINT) is on write commands
/// only, and on the hot ones it was put on.
#[test]
fn flag_bits_match_the_flags() {
    use redlite_core::command::{self, flag};
    let named = [
        ("write", flag::WRITE),
        ("admin", flag::ADMIN),
        ("skip_monitor", flag::SKIP_MONITOR),
        ("skip_slowlog", flag::SKIP_SLOWLOG),
        ("no_auth", flag::NO_AUTH),
        ("may_replicate", flag::MAY_REPLICATE),
        ("readonly", flag::READONLY),
        ("blocking", flag::BLOCKING),
    ];
    for spec in command::all().flat_map(|s| std::iter::once(s).chain(s.subcommands)) {
        for (name, bit) in named {
            assert_eq!(
                spec.has(bit),
                spec.flags.contains(&name),
                "{} {}",
                spec.name,
                name
            );
        }
        if spec.has(flag::FAILS_CLEAN) {
            assert!(spec.has(flag::WRITE), "{}", spec.name);
            assert!(!spec.flags.contains(&"blocking"), "{}", spec.name);
        }
    }
    for name in [
        "set", "incr", "lpush", "rpop", "hset", "sadd", "zadd", "del",
    ] {
        let spec = command::lookup(name.as_bytes()).unwrap();
        assert!(spec.has(flag::FAILS_CLEAN), "{}", name);
    }
}
