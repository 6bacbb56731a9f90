//! Server and connection commands, driven through `Session::execute`.
//!
//! `redis_cases` is a fixed script whose expected replies were taken from a real
//! Redis 7.0.15 (one connection, RESP2; INFO's bulk string is redlite's verbatim
//! string, compared by its text). The tests after it check SWAPDB and FLUSHDB across
//! databases, INFO's layout and figures, and COMMAND's answers against the table.

mod common;

use common::{bulk, session};
use redlite_core::{command, Db, Reply, Session};

fn simple(s: &str) -> Reply {
    Reply::Simple(s.into())
}

/// RESP2's view of a reply, as the recorded replies are: verbatim strings are bulk
/// strings there, maps flat arrays, sets arrays.
fn resp2(r: Reply) -> Reply {
    match r {
        Reply::Verbatim(_, text) => Reply::Bulk(text),
        Reply::Map(pairs) => Reply::Array(
            pairs
                .into_iter()
                .flat_map(|(k, v)| [resp2(k), resp2(v)])
                .collect(),
        ),
        Reply::Set(items) | Reply::Array(items) => {
            Reply::Array(items.into_iter().map(resp2).collect())
        }
        other => other,
    }
}

fn text(r: Reply) -> String {
    match resp2(r) {
        Reply::Bulk(b) => String::from_utf8(b).unwrap(),
        other => panic!("not a string: {:?}", other),
    }
}

#[test]
fn replies_match_redis() {
    let mut s = session();
    for (argv, want) in redis_cases() {
        let got = resp2(s.execute(&argv));
        let shown: Vec<_> = argv
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        assert_eq!(got, want, "{}", shown.join(" "));
    }
}

fn redis_cases() -> Vec<(Vec<&'static [u8]>, Reply)> {
    use Reply::*;
    vec![
        // PING ECHO SELECT QUIT
        (vec![&b"PING"[..]], Simple("PONG".into())),
        (vec![&b"PING"[..], &b"hello"[..]], Bulk(b"hello".to_vec())),
        (
            vec![&b"PING"[..], &b"a"[..], &b"b"[..]],
            Error("ERR wrong number of arguments for 'ping' command".into()),
        ),
        (
            vec![&b"ECHO"[..]],
            Error("ERR wrong number of arguments for 'echo' command".into()),
        ),
        (vec![&b"ECHO"[..], &b"x"[..]], Bulk(b"x".to_vec())),
        (
            vec![&b"ECHO"[..], &b"a"[..], &b"b"[..]],
            Error("ERR wrong number of arguments for 'echo' command".into()),
        ),
        (
            vec![&b"SELECT"[..], &b"x"[..]],
            Error("ERR value is not an integer or out of range".into()),
        ),
        (
            vec![&b"SELECT"[..], &b"-1"[..]],
            Error("ERR DB index is out of range".into()),
        ),
        (
            vec![&b"SELECT"[..], &b"16"[..]],
            Error("ERR DB index is out of range".into()),
        ),
        (
            vec![&b"SELECT"[..], &b"4294967296"[..]],
            Error(
                "ERR value is out of range, value must between -2147483648 and 2147483647".into(),
            ),
        ),
        (
            vec![&b"SELECT"[..], &b"01"[..]],
            Error("ERR value is not an integer or out of range".into()),
        ),
        (
            vec![&b"SELECT"[..], &b" 1"[..]],
            Error("ERR value is not an integer or out of range".into()),
        ),
        (vec![&b"SELECT"[..], &b"15"[..]], Simple("OK".into())),
        (vec![&b"SELECT"[..], &b"0"[..]], Simple("OK".into())),
        // SWAPDB
        (
            vec![&b"SWAPDB"[..], &b"0"[..], &b"x"[..]],
            Error("ERR invalid second DB index".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"x"[..], &b"0"[..]],
            Error("ERR invalid first DB index".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"x"[..], &b"y"[..]],
            Error("ERR invalid first DB index".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"0"[..], &b"16"[..]],
            Error("ERR DB index is out of range".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"-1"[..], &b"0"[..]],
            Error("ERR DB index is out of range".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"4294967296"[..], &b"0"[..]],
            Error("ERR invalid first DB index".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"0"[..], &b"4294967296"[..]],
            Error("ERR invalid second DB index".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"0"[..], &b"0"[..]],
            Simple("OK".into()),
        ),
        (
            vec![&b"SWAPDB"[..], &b"0"[..]],
            Error("ERR wrong number of arguments for 'swapdb' command".into()),
        ),
        // FLUSHDB FLUSHALL DBSIZE
        (
            vec![&b"FLUSHDB"[..], &b"x"[..]],
            Error("ERR syntax error".into()),
        ),
        (
            vec![&b"FLUSHDB"[..], &b"sync"[..], &b"x"[..]],
            Error("ERR syntax error".into()),
        ),
        (vec![&b"FLUSHDB"[..], &b"ASYNC"[..]], Simple("OK".into())),
        (vec![&b"FLUSHDB"[..], &b"sync"[..]], Simple("OK".into())),
        (vec![&b"FLUSHALL"[..], &b"SYNC"[..]], Simple("OK".into())),
        (vec![&b"FLUSHALL"[..], &b"async"[..]], Simple("OK".into())),
        (
            vec![&b"FLUSHALL"[..], &b"foo"[..]],
            Error("ERR syntax error".into()),
        ),
        (vec![&b"DBSIZE"[..]], Int(0)),
        (
            vec![&b"DBSIZE"[..], &b"x"[..]],
            Error("ERR wrong number of arguments for 'dbsize' command".into()),
        ),
        (
            vec![&b"TIME"[..], &b"x"[..]],
            Error("ERR wrong number of arguments for 'time' command".into()),
        ),
        // INFO
        (vec![&b"INFO"[..], &b"foo"[..]], Bulk(b"".to_vec())),
        (
            vec![&b"INFO"[..], &b"foo"[..], &b"bar"[..]],
            Bulk(b"".to_vec()),
        ),
        (
            vec![&b"INFO"[..], &b"keyspace"[..]],
            Bulk(b"# Keyspace\x0d\x0a".to_vec()),
        ),
        (vec![&b"SET"[..], &b"a"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"SET"[..], &b"b"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"EXPIRE"[..], &b"b"[..], &b"100"[..]], Int(1)),
        (
            vec![&b"INFO"[..], &b"keyspace"[..]],
            Bulk(b"# Keyspace\x0d\x0adb0:keys=2,expires=1,avg_ttl=0\x0d\x0a".to_vec()),
        ),
        (
            vec![&b"INFO"[..], &b"KEYSPACE"[..], &b"foo"[..]],
            Bulk(b"# Keyspace\x0d\x0adb0:keys=2,expires=1,avg_ttl=0\x0d\x0a".to_vec()),
        ),
        // COMMAND
        (
            vec![&b"COMMAND"[..], &b"FOO"[..]],
            Error("ERR unknown subcommand 'FOO'. Try COMMAND HELP.".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"COUNT"[..], &b"x"[..]],
            Error("ERR wrong number of arguments for 'command|count' command".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"HELP"[..]],
            Array(vec![
                Simple("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:".into()),
                Simple("(no subcommand)".into()),
                Simple("    Return details about all Redis commands.".into()),
                Simple("COUNT".into()),
                Simple("    Return the total number of commands in this Redis server.".into()),
                Simple("LIST".into()),
                Simple("    Return a list of all commands in this Redis server.".into()),
                Simple("INFO [<command-name> ...]".into()),
                Simple("    Return details about multiple Redis commands.".into()),
                Simple("    If no command names are given, documentation details for all".into()),
                Simple("    commands are returned.".into()),
                Simple("DOCS [<command-name> ...]".into()),
                Simple("    Return documentation details about multiple Redis commands.".into()),
                Simple("    If no command names are given, documentation details for all".into()),
                Simple("    commands are returned.".into()),
                Simple("GETKEYS <full-command>".into()),
                Simple("    Return the keys from a full Redis command.".into()),
                Simple("GETKEYSANDFLAGS <full-command>".into()),
                Simple(
                    "    Return the keys and the access flags from a full Redis command.".into(),
                ),
                Simple("HELP".into()),
                Simple("    Prints this help.".into()),
            ]),
        ),
        (
            vec![&b"COMMAND"[..], &b"help"[..], &b"x"[..]],
            Error("ERR wrong number of arguments for 'command|help' command".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"LIST"[..], &b"FILTERBY"[..]],
            Error("ERR syntax error".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"LIST"[..], &b"foo"[..]],
            Error("ERR syntax error".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"LIST"[..],
                &b"FILTERBY"[..],
                &b"FOO"[..],
                &b"x"[..],
            ],
            Error("ERR syntax error".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"LIST"[..],
                &b"FILTERBY"[..],
                &b"MODULE"[..],
                &b"x"[..],
            ],
            Array(vec![]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"LIST"[..],
                &b"FILTERBY"[..],
                &b"ACLCAT"[..],
                &b"nosuchcat"[..],
            ],
            Array(vec![]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"LIST"[..],
                &b"FILTERBY"[..],
                &b"PATTERN"[..],
                &b"nosuch*"[..],
            ],
            Array(vec![]),
        ),
        (
            vec![&b"COMMAND"[..], &b"INFO"[..], &b"nosuch"[..]],
            Array(vec![Nil]),
        ),
        (
            vec![&b"COMMAND"[..], &b"DOCS"[..], &b"nosuch"[..]],
            Array(vec![]),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..]],
            Error("ERR wrong number of arguments for 'command|getkeys' command".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"get"[..]],
            Error("ERR wrong number of arguments for 'command|getkeys' command".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"get"[..], &b"a"[..]],
            Array(vec![Bulk(b"a".to_vec())]),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"GET"[..], &b"a"[..]],
            Array(vec![Bulk(b"a".to_vec())]),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"nosuch"[..], &b"a"[..]],
            Error("ERR Invalid command specified".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"get"[..],
                &b"a"[..],
                &b"b"[..],
            ],
            Error("ERR Invalid number of arguments specified for command".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"ping"[..], &b"x"[..]],
            Error("ERR The command has no key arguments".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"object"[..],
                &b"encoding"[..],
                &b"k"[..],
            ],
            Array(vec![Bulk(b"k".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"object"[..],
                &b"foo"[..],
                &b"x"[..],
            ],
            Error("ERR Invalid command specified".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"mset"[..],
                &b"a"[..],
                &b"1"[..],
                &b"b"[..],
                &b"2"[..],
            ],
            Array(vec![Bulk(b"a".to_vec()), Bulk(b"b".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"mset"[..],
                &b"a"[..],
                &b"1"[..],
                &b"b"[..],
            ],
            Array(vec![Bulk(b"a".to_vec()), Bulk(b"b".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"del"[..],
                &b"a"[..],
                &b"b"[..],
                &b"c"[..],
            ],
            Array(vec![
                Bulk(b"a".to_vec()),
                Bulk(b"b".to_vec()),
                Bulk(b"c".to_vec()),
            ]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"rename"[..],
                &b"a"[..],
                &b"b"[..],
            ],
            Array(vec![Bulk(b"a".to_vec()), Bulk(b"b".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"copy"[..],
                &b"a"[..],
                &b"b"[..],
                &b"DB"[..],
                &b"1"[..],
            ],
            Array(vec![Bulk(b"a".to_vec()), Bulk(b"b".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"command"[..],
                &b"info"[..],
                &b"x"[..],
            ],
            Error("ERR The command has no key arguments".into()),
        ),
        (
            vec![&b"COMMAND"[..], &b"GETKEYS"[..], &b"scan"[..], &b"0"[..]],
            Error("ERR The command has no key arguments".into()),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"set"[..],
                &b"k"[..],
                &b"v"[..],
            ],
            Array(vec![Bulk(b"k".to_vec())]),
        ),
        (
            vec![
                &b"COMMAND"[..],
                &b"GETKEYS"[..],
                &b"expire"[..],
                &b"k"[..],
                &b"10"[..],
            ],
            Array(vec![Bulk(b"k".to_vec())]),
        ),
    ]
}

#[test]
fn swapdb_exchanges_whole_databases() {
    let mut s = session();
    s.execute(&["SET", "a", "zero", "EX", "100"]);
    s.execute(&["SET", "both", "zero"]);
    s.execute(&["SELECT", "1"]);
    s.execute(&["SET", "b", "one"]);
    s.execute(&["SET", "both", "one"]);
    s.execute(&["SELECT", "2"]);
    s.execute(&["SET", "c", "two"]);
    assert_eq!(s.execute(&["SWAPDB", "0", "1"]), Reply::ok());
    s.execute(&["SELECT", "0"]);
    assert_eq!(s.execute(&["GET", "b"]), bulk("one"));
    assert_eq!(s.execute(&["GET", "both"]), bulk("one"));
    assert_eq!(s.execute(&["EXISTS", "a"]), Reply::Int(0));
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(2));
    s.execute(&["SELECT", "1"]);
    assert_eq!(s.execute(&["GET", "a"]), bulk("zero"));
    assert_eq!(s.execute(&["TTL", "a"]), Reply::Int(100));
    assert_eq!(s.execute(&["GET", "both"]), bulk("zero"));
    s.execute(&["SELECT", "2"]);
    assert_eq!(s.execute(&["GET", "c"]), bulk("two"));
    // Swapping with an empty database moves everything there, and back.
    assert_eq!(s.execute(&["SWAPDB", "2", "9"]), Reply::ok());
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(0));
    assert_eq!(s.execute(&["SWAPDB", "9", "2"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "c"]), bulk("two"));
}

#[test]
fn flushdb_empties_one_database_only() {
    let mut s = session();
    s.execute(&["SET", "a", "1"]);
    s.execute(&["SELECT", "1"]);
    s.execute(&["SET", "b", "1"]);
    s.execute(&["SET", "c", "1", "EX", "100"]);
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(2));
    assert_eq!(s.execute(&["FLUSHDB"]), Reply::ok());
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(0));
    assert_eq!(s.execute(&["GET", "b"]), Reply::Nil);
    s.execute(&["SELECT", "0"]);
    assert_eq!(s.execute(&["GET", "a"]), bulk("1"));
    s.execute(&["SELECT", "1"]);
    s.execute(&["SET", "b", "1"]);
    assert_eq!(s.execute(&["FLUSHALL", "ASYNC"]), Reply::ok());
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(0));
    s.execute(&["SELECT", "0"]);
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(0));
    // The key ids keep counting after a flush: a new key is a new id.
    s.execute(&["SET", "a", "2"]);
    assert_eq!(s.execute(&["GET", "a"]), bulk("2"));
}

#[test]
fn time_is_now() {
    let mut s = session();
    let Reply::Array(t) = s.execute(&["TIME"]) else {
        panic!()
    };
    let [Reply::Bulk(secs), Reply::Bulk(us)] = &t[..] else {
        panic!("{:?}", t)
    };
    let secs: i64 = std::str::from_utf8(secs).unwrap().parse().unwrap();
    let us: i64 = std::str::from_utf8(us).unwrap().parse().unwrap();
    let now = redlite_core::db::now_ms() / 1000;
    assert!((now - secs).abs() <= 1);
    assert!((0..1_000_000).contains(&us));
}

#[test]
fn info_layout_and_figures() {
    let dir = std::env::temp_dir().join(format!("redlite-info-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("info.db");
    let mut s = Session::new(Db::open(&path).unwrap());
    s.execute(&["SET", "a", "1"]);
    s.execute(&["SET", "b", "1", "EX", "100"]);
    s.execute(&["SELECT", "5"]);
    s.execute(&["SET", "c", "1"]);
    s.execute(&["GET", "c"]);
    s.execute(&["TYPE", "missing"]);
    let all = text(s.execute(&["INFO"]));
    // Sections in Redis's order, "# Title\r\n" then "field:value\r\n", separated by "\r\n".
    let titles: Vec<&str> = all.split("\r\n").filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        titles,
        [
            "# Server",
            "# Clients",
            "# Memory",
            "# Persistence",
            "# Stats",
            "# Replication",
            "# CPU",
            "# Modules",
            "# Cluster",
            "# Keyspace"
        ]
    );
    assert!(all.contains("\r\n\r\n# Clients\r\n"));
    assert!(all.ends_with("\r\n") && !all.ends_with("\r\n\r\n"));
    for line in all
        .split("\r\n")
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert!(line.contains(':'), "{:?}", line);
    }
    let field = |name: &str| -> String {
        all.split("\r\n")
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .unwrap_or_else(|| panic!("no {}", name))
            .to_string()
    };
    assert_eq!(field("redis_version"), "7.0.15");
    assert_eq!(field("redlite_version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(field("process_id"), std::process::id().to_string());
    assert_eq!(field("run_id").len(), 40);
    assert!(field("uptime_in_seconds").parse::<u64>().is_ok());
    assert!(field("used_memory").parse::<u64>().unwrap() > 0);
    assert!(field("used_memory_rss").parse::<u64>().unwrap() > 0);
    assert!(field("redlite_db_file_size").parse::<u64>().unwrap() > 0);
    assert_eq!(field("redlite_db_file"), path.display().to_string());
    assert!(field("total_commands_processed").parse::<u64>().unwrap() >= 6);
    assert!(field("keyspace_misses").parse::<u64>().unwrap() >= 1);
    assert_eq!(field("role"), "master");
    assert_eq!(field("db0"), "keys=2,expires=1,avg_ttl=0");
    assert_eq!(field("db5"), "keys=1,expires=0,avg_ttl=0");
    assert!(!all.contains("db1:"));
    // Selections.
    let two = text(s.execute(&["INFO", "keyspace", "SERVER"]));
    assert!(two.starts_with("# Server\r\n"));
    assert!(two.contains("\r\n\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb5:keys=1,expires=0,avg_ttl=0\r\n"));
    assert!(!text(s.execute(&["INFO", "all"])).contains("# Modules"));
    assert!(text(s.execute(&["INFO", "everything"])).contains("# Modules"));
    let titles_of = |t: String| -> Vec<String> {
        t.split("\r\n")
            .filter(|l| l.starts_with("# "))
            .map(String::from)
            .collect()
    };
    assert_eq!(titles_of(text(s.execute(&["INFO", "default"]))), titles);
    assert!(matches!(s.execute(&["INFO"]), Reply::Verbatim("txt", _)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// COMMAND INFO entries in Redis 7's shape, flags and categories as Redis reports them.
#[test]
fn command_info_shape() {
    let mut s = session();
    let Reply::Array(infos) = s.execute(&["COMMAND", "INFO", "get", "nosuch", "Object"]) else {
        panic!()
    };
    assert_eq!(infos.len(), 3);
    // Element 8, the key specs, is checked against Redis in tests/command_meta.rs.
    let without_key_specs = |r: &Reply| match r {
        Reply::Array(f) if f.len() == 10 => [&f[..8], &f[9..]].concat(),
        other => panic!("not an entry: {:?}", other),
    };
    assert_eq!(
        without_key_specs(&infos[0]),
        vec![
            bulk("get"),
            Reply::Int(2),
            Reply::Set(vec![simple("readonly"), simple("fast")]),
            Reply::Int(1),
            Reply::Int(1),
            Reply::Int(1),
            Reply::Set(vec![simple("@read"), simple("@string"), simple("@fast")]),
            Reply::Set(vec![]),
            Reply::Set(vec![]),
        ]
    );
    assert_eq!(infos[1], Reply::Nil);
    let Reply::Array(object) = &infos[2] else {
        panic!()
    };
    assert_eq!(object[0], bulk("object"));
    assert_eq!(object[1], Reply::Int(-2));
    assert_eq!(object[2], Reply::Set(vec![]));
    assert_eq!(object[6], Reply::Set(vec![simple("@slow")]));
    let Reply::Array(subs) = &object[9] else {
        panic!()
    };
    assert_eq!(subs.len(), 5);
    assert_eq!(
        without_key_specs(&subs[0]),
        vec![
            bulk("object|encoding"),
            Reply::Int(3),
            Reply::Set(vec![simple("readonly")]),
            Reply::Int(2),
            Reply::Int(2),
            Reply::Int(1),
            Reply::Set(vec![simple("@keyspace"), simple("@read"), simple("@slow")]),
            Reply::Set(vec![bulk("nondeterministic_output")]),
            Reply::Set(vec![]),
        ]
    );
    // The ones Redis reports with tips.
    let Reply::Array(ttl) = s.execute(&["COMMAND", "INFO", "keys"]) else {
        panic!()
    };
    let Reply::Array(keys) = &ttl[0] else {
        panic!()
    };
    assert_eq!(
        keys[7],
        Reply::Set(vec![
            bulk("request_policy:all_shards"),
            bulk("nondeterministic_output_order")
        ])
    );
    assert_eq!(
        keys[6],
        Reply::Set(vec![
            simple("@keyspace"),
            simple("@read"),
            simple("@slow"),
            simple("@dangerous")
        ])
    );
}

#[test]
fn command_lists_the_table() {
    let mut s = session();
    let n = command::all().count();
    assert_eq!(s.execute(&["COMMAND", "COUNT"]), Reply::Int(n as i64));
    let Reply::Array(all) = s.execute(&["COMMAND"]) else {
        panic!()
    };
    assert_eq!(all.len(), n);
    let Reply::Array(all) = s.execute(&["COMMAND", "INFO"]) else {
        panic!()
    };
    assert_eq!(all.len(), n);
    let Reply::Array(names) = s.execute(&["COMMAND", "LIST"]) else {
        panic!()
    };
    let subs: usize = command::all().map(|c| c.subcommands.len()).sum();
    assert_eq!(names.len(), n + subs);
    for spec in command::all() {
        assert!(names.contains(&bulk(spec.name)), "{}", spec.name);
    }
    assert!(names.contains(&bulk("object|encoding")));
    assert!(names.contains(&bulk("command|getkeys")));
    let Reply::Array(mut obj) = s.execute(&["COMMAND", "LIST", "FILTERBY", "pattern", "OBJECT*"])
    else {
        panic!()
    };
    obj.sort_by_key(|r| match r {
        Reply::Bulk(b) => b.clone(),
        _ => vec![],
    });
    assert_eq!(
        obj,
        [
            "object",
            "object|encoding",
            "object|freq",
            "object|help",
            "object|idletime",
            "object|refcount"
        ]
        .map(bulk)
        .to_vec()
    );
    let Reply::Array(cat) = s.execute(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "Dangerous"])
    else {
        panic!()
    };
    for name in ["keys", "flushdb", "flushall", "swapdb", "info", "restore"] {
        assert!(cat.contains(&bulk(name)), "{}", name);
    }
    assert!(!cat.contains(&bulk("get")));
}

#[test]
fn command_docs_from_the_table() {
    let mut s = session();
    assert_eq!(
        s.execute(&["COMMAND", "DOCS", "ttl", "nosuch"]),
        Reply::Map(vec![(
            bulk("ttl"),
            Reply::Map(vec![
                (
                    bulk("summary"),
                    bulk("Get the time to live for a key in seconds")
                ),
                (bulk("since"), bulk("1.0.0")),
                (bulk("group"), bulk("generic")),
                (bulk("complexity"), bulk("O(1)")),
                (
                    bulk("history"),
                    Reply::Set(vec![Reply::Array(vec![
                        bulk("2.8.0"),
                        bulk("Added the -2 reply.")
                    ])])
                ),
            ])
        )])
    );
    let Reply::Map(docs) = s.execute(&["COMMAND", "DOCS", "object"]) else {
        panic!()
    };
    let Reply::Map(fields) = &docs[0].1 else {
        panic!()
    };
    assert_eq!(
        fields[3],
        (bulk("complexity"), bulk("Depends on subcommand."))
    );
    assert_eq!(fields[4].0, bulk("subcommands"));
    let Reply::Map(subs) = &fields[4].1 else {
        panic!()
    };
    assert_eq!(subs.len(), 5);
    assert_eq!(subs[0].0, bulk("object|encoding"));
    let Reply::Map(all) = s.execute(&["COMMAND", "DOCS"]) else {
        panic!()
    };
    assert_eq!(all.len(), command::all().count());
}

#[test]
fn command_getkeysandflags() {
    let mut s = session();
    assert_eq!(
        s.execute(&["COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"]),
        Reply::Array(vec![
            Reply::Array(vec![
                bulk("a"),
                Reply::Set(vec![simple("RW"), simple("access"), simple("delete")])
            ]),
            Reply::Array(vec![
                bulk("b"),
                Reply::Set(vec![simple("OW"), simple("update")])
            ]),
        ])
    );
    assert_eq!(
        s.execute(&["COMMAND", "GETKEYSANDFLAGS", "get", "a"]),
        Reply::Array(vec![Reply::Array(vec![
            bulk("a"),
            Reply::Set(vec![simple("RO"), simple("access")])
        ])])
    );
}

/// Every table entry is complete: what COMMAND and docs/commands.md are built from.
#[test]
fn every_entry_is_documented() {
    let groups = [
        "string",
        "generic",
        "server",
        "connection",
        "bitmap",
        "list",
        "hash",
        "set",
        "sorted-set",
        "stream",
        "pubsub",
        "transactions",
        "scripting",
        "hyperloglog",
        "geo",
        "cluster",
    ];
    for spec in command::all().flat_map(|c| std::iter::once(c).chain(c.subcommands.iter())) {
        assert!(!spec.summary.is_empty(), "{} has no summary", spec.name);
        assert!(!spec.syntax.is_empty(), "{} has no syntax", spec.name);
        assert!(!spec.since.is_empty(), "{} has no since", spec.name);
        assert!(
            groups.contains(&spec.group),
            "{} has group {:?}",
            spec.name,
            spec.group
        );
        assert_eq!(spec.name, spec.name.to_ascii_lowercase());
        assert!(spec.arity != 0, "{}", spec.name);
    }
}

#[test]
fn quit_closes() {
    let mut s = session();
    assert!(!s.closing());
    assert_eq!(s.execute(&["QUIT"]), Reply::ok());
    assert!(s.closing());
}
