//! Server and connection commands: PING, ECHO, SELECT, QUIT, SWAPDB, DBSIZE, FLUSHDB,
//! FLUSHALL, TIME, INFO and COMMAND. COMMAND's answers are generated from the command
//! table (`command::all()`), so they cannot describe a command that does not exist.

use crate::command::args::{db_index, eq, int_arg, parse_i64};
use crate::command::help;
use crate::command::keyspec::{self, BeginSearch, FindKeys};
use crate::command::{all, lookup, run_subcommand, Args, Ctx, KeySpec, Spec};
use crate::db::now_us;
use crate::error::{msg, Error, Result};
use crate::glob;
use crate::info;
use crate::keyspace;
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("ping", -1, ping)
        .flags(&["fast"])
        .acl(&["fast", "connection"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "connection",
            "1.0.0",
            "Ping the server",
            "PING [message]",
        )
        .complexity("O(1)"),
    Spec::nodb("echo", 2, echo)
        .flags(&["loading", "stale", "fast"])
        .acl(&["fast", "connection"])
        .doc(
            "connection",
            "1.0.0",
            "Echo the given string",
            "ECHO message",
        )
        .complexity("O(1)"),
    Spec::nodb("select", 2, select)
        .flags(&["loading", "stale", "fast"])
        .acl(&["fast", "connection"])
        .doc(
            "connection",
            "1.0.0",
            "Change the selected database for the current connection",
            "SELECT index",
        )
        .complexity("O(1)"),
    Spec::nodb("quit", -1, quit)
        .flags(&[
            "noscript",
            "loading",
            "stale",
            "fast",
            "no_auth",
            "allow_busy",
        ])
        .acl(&["fast", "connection"])
        .doc("connection", "1.0.0", "Close the connection", "QUIT")
        .complexity("O(1)"),
    Spec::nodb("hello", -1, hello)
        .flags(&["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"])
        .acl(&["fast", "connection"])
        .doc(
            "connection",
            "6.0.0",
            "Handshake with Redis",
            "HELLO [protover [AUTH username password] [SETNAME clientname]]",
        )
        .complexity("O(1)")
        .history(&[
            (
                "6.2.0",
                "`protover` made optional; when called without arguments the command reports the current connection's context.",
            ),
        ]),
    Spec::write("swapdb", 3, swapdb)
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast", "dangerous"])
        .doc(
            "server",
            "4.0.0",
            "Swaps two Redis databases",
            "SWAPDB index1 index2",
        )
        .complexity(
            "O(N) where N is the count of clients watching or blocking on keys from both databases.",
        ),
    Spec::read("dbsize", 1, dbsize)
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .tips(&["request_policy:all_shards", "response_policy:agg_sum"])
        .doc(
            "server",
            "1.0.0",
            "Return the number of keys in the selected database",
            "DBSIZE",
        )
        .complexity("O(1)"),
    Spec::write("flushdb", -1, flushdb)
        .flags(&["write"])
        .acl(&["keyspace", "write", "slow", "dangerous"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "server",
            "1.0.0",
            "Remove all keys from the current database",
            "FLUSHDB [ASYNC | SYNC]",
        )
        .complexity("O(N) where N is the number of keys in the selected database")
        .history(&[
            ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
            ("6.2.0", "Added the `SYNC` flushing mode modifier."),
        ]),
    Spec::write("flushall", -1, flushall)
        .flags(&["write"])
        .acl(&["keyspace", "write", "slow", "dangerous"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "server",
            "1.0.0",
            "Remove all keys from all databases",
            "FLUSHALL [ASYNC | SYNC]",
        )
        .complexity("O(N) where N is the total number of keys in all databases")
        .history(&[
            ("4.0.0", "Added the `ASYNC` flushing mode modifier."),
            ("6.2.0", "Added the `SYNC` flushing mode modifier."),
        ]),
    Spec::nodb("time", 1, time)
        .flags(&["loading", "stale", "fast"])
        .acl(&["fast"])
        .tips(&["nondeterministic_output"])
        .doc("server", "2.6.0", "Return the current server time", "TIME")
        .complexity("O(1)"),
    Spec::read("info", -1, info_)
        .flags(&["loading", "stale"])
        .acl(&["slow", "dangerous"])
        .tips(&[
            "nondeterministic_output",
            "request_policy:all_shards",
            "response_policy:special",
        ])
        .doc(
            "server",
            "1.0.0",
            "Get information and statistics about the server",
            "INFO [section [section ...]]",
        )
        .complexity("O(1)")
        .history(&[
            ("7.0.0", "Added support for taking multiple section arguments."),
        ]),
    Spec::nodb("command", -1, command)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .tips(&["nondeterministic_output_order"])
        .subcommands(COMMAND)
        .doc(
            "server",
            "2.8.13",
            "Get array of Redis command details",
            "COMMAND",
        )
        .complexity("O(N) where N is the total number of Redis commands"),
];

const COMMAND: &[Spec] = &[
    Spec::nodb("command|count", 2, command_count)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .doc(
            "server",
            "2.8.13",
            "Get total number of Redis commands",
            "COMMAND COUNT",
        )
        .complexity("O(1)"),
    Spec::nodb("command|docs", -2, command_docs)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "server",
            "7.0.0",
            "Get array of specific Redis command documentation",
            "COMMAND DOCS [command-name [command-name ...]]",
        )
        .complexity("O(N) where N is the number of commands to look up"),
    Spec::nodb("command|getkeys", -4, command_getkeys)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .doc(
            "server",
            "2.8.13",
            "Extract keys given a full Redis command",
            "COMMAND GETKEYS command [arg [arg ...]]",
        )
        .complexity("O(N) where N is the number of arguments to the command"),
    Spec::nodb("command|getkeysandflags", -4, command_getkeysandflags)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .doc(
            "server",
            "7.0.0",
            "Extract keys and access flags given a full Redis command",
            "COMMAND GETKEYSANDFLAGS command [arg [arg ...]]",
        )
        .complexity("O(N) where N is the number of arguments to the command"),
    Spec::nodb("command|help", 2, command_help)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .doc(
            "server",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "COMMAND HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("command|info", -2, command_info)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "server",
            "2.8.13",
            "Get array of specific Redis command details, or all when no argument is given.",
            "COMMAND INFO [command-name [command-name ...]]",
        )
        .complexity("O(N) where N is the number of commands to look up")
        .history(&[(
            "7.0.0",
            "Allowed to be called with no argument to get info on all commands.",
        )]),
    Spec::nodb("command|list", -2, command_list)
        .flags(&["loading", "stale"])
        .acl(&["slow", "connection"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "server",
            "7.0.0",
            "Get an array of Redis command names",
            "COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]",
        )
        .complexity("O(N) where N is the total number of Redis commands"),
];

/// PING [message]
///
/// A RESP2 client that is subscribed gets `["pong", message or ""]`, as Redis answers.
fn ping(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if args.remaining() > 1 {
        return Err(Error::redis(msg::wrong_arity("ping")));
    }
    let message = args.next();
    if ctx.session.protocol == 2 && ctx.session.pubsub.subscribed() {
        return Ok(Reply::Array(vec![
            Reply::bulk("pong"),
            Reply::bulk(message.unwrap_or_default()),
        ]));
    }
    Ok(match message {
        None => Reply::Simple("PONG".into()),
        Some(m) => Reply::Bulk(m.to_vec()),
    })
}

/// ECHO message
fn echo(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Bulk(args.bytes()?.to_vec()))
}

/// SELECT index
fn select(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    ctx.session.db = db_index(int_arg(args.bytes()?, None)?)?;
    Ok(Reply::ok())
}

/// QUIT
fn quit(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.session.closing = true;
    Ok(Reply::ok())
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
///
/// Switches the connection's protocol (RESP2 or RESP3) and answers the server's
/// handshake map; AUTH logs the client in first (see `acl::authenticate`).
fn hello(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut protocol = ctx.session.protocol;
    if let Some(v) = args.next() {
        protocol = match parse_i64(v) {
            None => {
                return Err(Error::redis(
                    "ERR Protocol version is not an integer or out of range",
                ))
            }
            Some(n @ 2..=3) => n as u8,
            Some(_) => return Err(Error::redis("NOPROTO unsupported protocol version")),
        };
    }
    let mut name = None;
    while let Some(opt) = args.next() {
        if eq(opt, "AUTH") && args.remaining() >= 2 {
            // As Redis 7.0: AUTH takes effect where it stands, even if a later
            // option is wrong; its pair is redacted from there on.
            ctx.redact(args.argv_index());
            ctx.redact(args.argv_index() + 1);
            let (user, password) = (args.bytes()?, args.bytes()?);
            if !super::acl::authenticate(ctx, user, password) {
                return Err(Error::redis(
                    "WRONGPASS invalid username-password pair or user is disabled.",
                ));
            }
        } else if eq(opt, "SETNAME") && !args.is_empty() {
            let n = args.bytes()?;
            if n.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
                return Err(Error::redis(
                    "ERR Client names cannot contain spaces, newlines or special characters.",
                ));
            }
            name = Some(n);
        } else {
            return Err(Error::redis(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if !ctx.session.auth.authenticated && !ctx.db.acl().default_is_open() {
        return Err(Error::redis(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the \
             HELLO AUTH <user> <pass> option can be used to authenticate the client and select \
             the RESP protocol version at the same time",
        ));
    }
    if let Some(n) = name {
        ctx.session.name = if n.is_empty() { None } else { Some(n.to_vec()) };
    }
    ctx.session.protocol = protocol;
    let field = |k: &str, v: Reply| (Reply::bulk(k), v);
    Ok(Reply::Map(vec![
        field("server", Reply::bulk("redis")),
        field("version", Reply::bulk(info::REDIS_VERSION)),
        field("proto", Reply::Int(protocol as i64)),
        field("id", Reply::Int(ctx.session.id as i64)),
        field("mode", Reply::bulk("standalone")),
        field("role", Reply::bulk("master")),
        field(
            "modules",
            Reply::Array(crate::ext::modules().map(module_entry).collect()),
        ),
    ]))
}

/// A module's entry in HELLO's `modules` (as Redis's MODULE LIST writes it).
fn module_entry(m: crate::ext::Module) -> Reply {
    Reply::Map(vec![
        (Reply::bulk("name"), Reply::bulk(m.name)),
        (Reply::bulk("ver"), Reply::Int(m.version)),
        (Reply::bulk("path"), Reply::bulk("")),
        (Reply::bulk("args"), Reply::Array(vec![])),
    ])
}

/// SWAPDB index1 index2
fn swapdb(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let a = int_arg(args.bytes()?, Some("ERR invalid first DB index"))?;
    let b = int_arg(args.bytes()?, Some("ERR invalid second DB index"))?;
    let (a, b) = (db_index(a)?, db_index(b)?);
    keyspace::swap_db(ctx.conn()?, a, b)?;
    Ok(Reply::ok())
}

/// DBSIZE
fn dbsize(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(keyspace::count(ctx.scope()?)?))
}

/// The optional ASYNC | SYNC of FLUSHDB and FLUSHALL: both accepted, both synchronous
/// here (the delete is one transaction either way).
fn flush_mode(args: &mut Args<'_>) -> Result<()> {
    match args.rest() {
        [] => Ok(()),
        [mode] if eq(mode, "sync") || eq(mode, "async") => Ok(()),
        _ => Err(Error::redis(msg::SYNTAX)),
    }
}

/// FLUSHDB [ASYNC | SYNC]
fn flushdb(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    flush_mode(args)?;
    keyspace::flush(ctx.conn()?, Some(ctx.session.db))?;
    Ok(Reply::ok())
}

/// FLUSHALL [ASYNC | SYNC]
fn flushall(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    flush_mode(args)?;
    keyspace::flush(ctx.conn()?, None)?;
    Ok(Reply::ok())
}

/// TIME
fn time(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let us = now_us();
    Ok(Reply::Array(vec![
        Reply::bulk((us / 1_000_000).to_string()),
        Reply::bulk((us % 1_000_000).to_string()),
    ]))
}

/// INFO [section [section ...]]
fn info_(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let text = info::render(ctx.db, ctx.conn()?, ctx.now, args.rest())?;
    Ok(Reply::Verbatim("txt", text.into_bytes()))
}

/// COMMAND [subcommand ...]: with no subcommand, every command's info.
fn command(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if args.is_empty() {
        return Ok(Reply::Array(all().map(command_info_reply).collect()));
    }
    run_subcommand(ctx, args)
}

/// A command, or a subcommand as "container|sub", by name in any case.
fn find_command(name: &[u8]) -> Option<&'static Spec> {
    match name.iter().position(|&c| c == b'|') {
        Some(bar) => lookup(&name[..bar])?.subcommand(&name[bar + 1..]),
        None => lookup(name),
    }
}

fn simple_set(items: impl Iterator<Item = String>) -> Reply {
    Reply::Set(items.map(Reply::Simple).collect())
}

/// One command's COMMAND INFO entry, in Redis 7's shape: name, arity, flags, first key,
/// last key, step, ACL categories, tips, key specs, subcommands.
fn command_info_reply(spec: &'static Spec) -> Reply {
    let subcommands = if spec.subcommands.is_empty() {
        Reply::Set(vec![])
    } else {
        Reply::Array(spec.subcommands.iter().map(command_info_reply).collect())
    };
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Int(spec.arity as i64),
        simple_set(spec.flags.iter().map(|f| f.to_string())),
        Reply::Int(spec.first_key as i64),
        Reply::Int(spec.last_key as i64),
        Reply::Int(spec.step as i64),
        simple_set(spec.acl.iter().map(|c| format!("@{}", c))),
        Reply::Set(spec.tips.iter().map(|t| Reply::bulk(*t)).collect()),
        Reply::Set(spec.key_specs.iter().map(key_spec_reply).collect()),
        subcommands,
    ])
}

/// One key spec as Redis's `addReplyCommandKeySpecs` writes it: notes (if any), flags,
/// begin_search and find_keys, each a type and a spec map.
fn key_spec_reply(ks: &KeySpec) -> Reply {
    let field = |k: &str, v: Reply| (Reply::bulk(k), v);
    let int = |k: &str, v: i32| field(k, Reply::Int(v as i64));
    let typed = |kind: &str, spec: Vec<(Reply, Reply)>| {
        Reply::Map(vec![
            field("type", Reply::bulk(kind)),
            field("spec", Reply::Map(spec)),
        ])
    };
    let begin_search = match ks.begin_search {
        BeginSearch::Unknown => typed("unknown", vec![]),
        BeginSearch::Index(pos) => typed("index", vec![int("index", pos)]),
        BeginSearch::Keyword { keyword, startfrom } => typed(
            "keyword",
            vec![
                field("keyword", Reply::bulk(keyword)),
                int("startfrom", startfrom),
            ],
        ),
    };
    let find_keys = match ks.find_keys {
        FindKeys::Unknown => typed("unknown", vec![]),
        FindKeys::Range {
            lastkey,
            keystep,
            limit,
        } => typed(
            "range",
            vec![
                int("lastkey", lastkey),
                int("keystep", keystep),
                int("limit", limit),
            ],
        ),
        FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => typed(
            "keynum",
            vec![
                int("keynumidx", keynumidx),
                int("firstkey", firstkey),
                int("keystep", keystep),
            ],
        ),
    };
    let mut map = Vec::with_capacity(4);
    if !ks.notes.is_empty() {
        map.push(field("notes", Reply::bulk(ks.notes)));
    }
    map.push(field("flags", key_flags_reply(ks.flags)));
    map.push(field("begin_search", begin_search));
    map.push(field("find_keys", find_keys));
    Reply::Map(map)
}

/// Key-spec flags as a set of status strings, in Redis's order.
fn key_flags_reply(flags: keyspec::KeyFlags) -> Reply {
    simple_set(keyspec::flag_names(flags).map(String::from))
}

/// COMMAND COUNT
fn command_count(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(all().count() as i64))
}

/// COMMAND INFO [command-name [command-name ...]]
fn command_info(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if args.is_empty() {
        return Ok(Reply::Array(all().map(command_info_reply).collect()));
    }
    Ok(Reply::Array(
        args.rest()
            .iter()
            .map(|name| {
                find_command(name)
                    .map(command_info_reply)
                    .unwrap_or(Reply::Nil)
            })
            .collect(),
    ))
}

/// One command's COMMAND DOCS map, in Redis's order: summary, since, group,
/// complexity, doc_flags, deprecated_since, replaced_by, history, subcommands.
///
/// Redis also sends each command's `arguments` tree; redlite does not carry argument
/// trees in its table (a scope decision), so that field is left out.
fn command_docs_reply(spec: &'static Spec) -> Reply {
    let field = |k: &str, v: Reply| (Reply::bulk(k), v);
    let mut doc = Vec::with_capacity(9);
    let text = |doc: &mut Vec<(Reply, Reply)>, k: &str, v: &str| {
        if !v.is_empty() {
            doc.push(field(k, Reply::bulk(v)));
        }
    };
    text(&mut doc, "summary", spec.summary);
    text(&mut doc, "since", spec.since);
    doc.push(field("group", Reply::bulk(spec.group)));
    text(&mut doc, "complexity", spec.complexity);
    if !spec.doc_flags.is_empty() {
        doc.push(field(
            "doc_flags",
            simple_set(spec.doc_flags.iter().map(|f| f.to_string())),
        ));
    }
    text(&mut doc, "deprecated_since", spec.deprecated_since);
    text(&mut doc, "replaced_by", spec.replaced_by);
    if !spec.history.is_empty() {
        doc.push(field(
            "history",
            Reply::Set(
                spec.history
                    .iter()
                    .map(|(v, t)| Reply::Array(vec![Reply::bulk(*v), Reply::bulk(*t)]))
                    .collect(),
            ),
        ));
    }
    if !spec.subcommands.is_empty() {
        doc.push(field(
            "subcommands",
            Reply::Map(
                spec.subcommands
                    .iter()
                    .map(|s| (Reply::bulk(s.name), command_docs_reply(s)))
                    .collect(),
            ),
        ));
    }
    Reply::Map(doc)
}

/// COMMAND DOCS [command-name [command-name ...]]: unknown names are left out.
fn command_docs(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let specs: Vec<&'static Spec> = if args.is_empty() {
        all().collect()
    } else {
        args.rest().iter().filter_map(|n| find_command(n)).collect()
    };
    Ok(Reply::Map(
        specs
            .into_iter()
            .map(|s| (Reply::bulk(s.name), command_docs_reply(s)))
            .collect(),
    ))
}

/// Every command and subcommand, containers first.
fn all_with_subcommands() -> impl Iterator<Item = &'static Spec> {
    all().flat_map(|s| std::iter::once(s).chain(s.subcommands.iter()))
}

/// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
fn command_list(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let filter: Box<dyn Fn(&Spec) -> bool> = match args.rest() {
        [] => Box::new(|_| true),
        [by, kind, value] if eq(by, "filterby") => {
            let value = value.to_vec();
            if eq(kind, "module") {
                // The commands of the extension standing in for that module.
                Box::new(move |s| {
                    crate::ext::module_of(s.name)
                        .is_some_and(|m| m.name.as_bytes().eq_ignore_ascii_case(&value))
                })
            } else if eq(kind, "aclcat") {
                Box::new(move |s| {
                    s.acl
                        .iter()
                        .any(|c| c.as_bytes().eq_ignore_ascii_case(&value))
                })
            } else if eq(kind, "pattern") {
                Box::new(move |s| glob::matches_nocase(&value, s.name.as_bytes()))
            } else {
                return Err(Error::redis(msg::SYNTAX));
            }
        }
        _ => return Err(Error::redis(msg::SYNTAX)),
    };
    Ok(Reply::Array(
        all_with_subcommands()
            .filter(|s| filter(s))
            .map(|s| Reply::bulk(s.name))
            .collect(),
    ))
}

/// The keys of a full command line (name first) and their flags, found as Redis 7's
/// COMMAND GETKEYS finds them (key specs, else the command's getkeys procedure), with
/// its errors.
fn keys_of_command(argv: &[&[u8]]) -> Result<Vec<(usize, keyspec::KeyFlags)>> {
    let (name, rest) = argv
        .split_first()
        .ok_or_else(|| Error::redis(msg::SYNTAX))?;
    let mut spec = lookup(name).ok_or_else(|| Error::redis("ERR Invalid command specified"))?;
    if !spec.subcommands.is_empty() && !rest.is_empty() {
        spec = spec
            .subcommand(rest[0])
            .ok_or_else(|| Error::redis("ERR Invalid command specified"))?;
    }
    if !keyspec::has_keys(spec.key_specs, spec.getkeys) {
        return Err(Error::redis("ERR The command has no key arguments"));
    }
    if !spec.arity_ok(argv.len()) {
        return Err(Error::redis(
            "ERR Invalid number of arguments specified for command",
        ));
    }
    let keys = keyspec::find_keys(spec.key_specs, spec.getkeys, argv);
    if keys.is_empty() && !spec.flags.contains(&"no_mandatory_keys") {
        return Err(Error::redis("ERR Invalid arguments specified for command"));
    }
    Ok(keys)
}

/// COMMAND GETKEYS command [arg [arg ...]]
fn command_getkeys(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let keys = keys_of_command(argv)?;
    Ok(Reply::Array(
        keys.into_iter()
            .map(|(i, _)| Reply::bulk(argv[i]))
            .collect(),
    ))
}

/// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]: each key with its spec's flags.
fn command_getkeysandflags(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let keys = keys_of_command(argv)?;
    Ok(Reply::Array(
        keys.into_iter()
            .map(|(i, flags)| Reply::Array(vec![Reply::bulk(argv[i]), key_flags_reply(flags)]))
            .collect(),
    ))
}

/// COMMAND HELP
fn command_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    ))
}
