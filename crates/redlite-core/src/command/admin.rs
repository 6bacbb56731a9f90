//! SLOWLOG, MONITOR and SHUTDOWN. MONITOR and SHUTDOWN need a network front end: it
//! gave the client a push hook (MONITOR's lines) and the `Db` a shutdown hook.

use crate::command::args::{eq, parse_i64};
use crate::command::help;
use crate::command::{run_subcommand, Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::ops::ShutdownRequest;
use crate::reply::Reply;

const ADMIN: &[&str] = &["admin", "loading", "stale"];
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous"];

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("slowlog", -2, run_subcommand)
        .acl(&["slow"])
        .subcommands(SLOWLOG)
        .doc("server", "2.2.12", "A container for slow log commands", "SLOWLOG")
        .complexity("Depends on subcommand."),
    Spec::nodb("monitor", 1, monitor)
        .flags(&["admin", "noscript", "loading", "stale"])
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "1.0.0",
            "Listen for all requests received by the server in real time",
            "MONITOR",
        ),
    Spec::nodb("shutdown", -1, shutdown)
        .flags(&["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"])
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "1.0.0",
            "Synchronously save the dataset to disk and then shut down the server",
            "SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]",
        )
        .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
        .history(&[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")]),
];

const SLOWLOG: &[Spec] = &[
    Spec::nodb("slowlog|get", -2, slowlog_get)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&["request_policy:all_nodes", "nondeterministic_output"])
        .doc(
            "server",
            "2.2.12",
            "Get the slow log's entries",
            "SLOWLOG GET [count]",
        )
        .complexity("O(N) where N is the number of entries returned")
        .history(&[(
            "4.0.0",
            "Added client IP address, port and name to the reply.",
        )]),
    Spec::nodb("slowlog|help", 2, slowlog_help)
        .flags(&["loading", "stale"])
        .acl(&["slow"])
        .doc(
            "server",
            "6.2.0",
            "Show helpful text about the different subcommands",
            "SLOWLOG HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("slowlog|len", 2, slowlog_len)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&[
            "request_policy:all_nodes",
            "response_policy:agg_sum",
            "nondeterministic_output",
        ])
        .doc(
            "server",
            "2.2.12",
            "Get the slow log's length",
            "SLOWLOG LEN",
        )
        .complexity("O(1)"),
    Spec::nodb("slowlog|reset", 2, slowlog_reset)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc(
            "server",
            "2.2.12",
            "Clear all entries from the slow log",
            "SLOWLOG RESET",
        )
        .complexity("O(N) where N is the number of entries in the slowlog"),
];

/// SLOWLOG GET [count]: 10 by default, -1 for all.
fn slowlog_get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let count =
        match args.rest() {
            [] => Some(10),
            [n] => match parse_i64(n) {
                Some(-1) => None,
                Some(n) if n >= 0 => Some(n as usize),
                _ => {
                    return Err(Error::redis(
                        "ERR count should be greater than or equal to -1",
                    ))
                }
            },
            _ => return Err(Error::redis(
                "ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.",
            )),
        };
    Ok(ctx.db.ops().slowlog.get(count))
}

/// SLOWLOG LEN
fn slowlog_len(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(ctx.db.ops().slowlog.len() as i64))
}

/// SLOWLOG RESET
fn slowlog_reset(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db.ops().slowlog.reset();
    Ok(Reply::ok())
}

/// SLOWLOG HELP
fn slowlog_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    ))
}

/// MONITOR: from now on this client gets a line for every command any client runs.
fn monitor(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let clients = &ctx.db.ops().clients;
    match clients.get(ctx.session.id) {
        Some(c) if c.can_push() => {
            clients.add_monitor(&c);
            Ok(Reply::ok())
        }
        _ => Err(Error::redis(
            "ERR MONITOR needs a connection to redlite-server",
        )),
    }
}

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]. Every write is already in the
/// database file: SAVE and NOSAVE change nothing, and the server stops at once
/// (there are no replicas to wait for), so ABORT never finds a shutdown to abort.
fn shutdown(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut req = ShutdownRequest::default();
    for a in args.rest() {
        if eq(a, "nosave") {
            req.nosave = true;
        } else if eq(a, "save") {
            req.save = true;
        } else if eq(a, "now") {
            req.now = true;
        } else if eq(a, "force") {
            req.force = true;
        } else if eq(a, "abort") {
            req.abort = true;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let flags = req.nosave || req.save || req.now || req.force;
    if (req.abort && flags) || (req.nosave && req.save) {
        return Err(Error::redis(msg::SYNTAX));
    }
    if req.abort {
        return Err(Error::redis("ERR No shutdown in progress."));
    }
    ctx.db
        .ops()
        .shutdown(req)
        .map_err(|e| Error::redis(format!("ERR {}", e)))?;
    // The server is stopping: this client is closed without a reply, as in Redis.
    if let Some(c) = ctx.db.ops().clients.get(ctx.session.id) {
        c.set_reply_mode(crate::clients::REPLY_OFF);
    }
    ctx.session.closing = true;
    Ok(Reply::ok())
}
