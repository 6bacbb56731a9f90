//! CLIENT and its subcommands, over the client registry (clients.rs). What only a
//! network front end can do (close a socket, hold replies back) it does through the
//! hooks it attached to the client; embedded, CLIENT KILL marks the session and
//! CLIENT REPLY changes nothing.

use crate::clients::{Filter, REPLY_OFF, REPLY_ON, REPLY_SKIP};
use crate::command::args::{eq, parse_i64};
use crate::command::help;
use crate::command::{run_subcommand, Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[Spec::nodb("client", -2, run_subcommand)
    .acl(&["slow"])
    .subcommands(CLIENT)
    .doc(
        "connection",
        "2.4.0",
        "A container for client connection commands",
        "CLIENT",
    )
    .complexity("Depends on subcommand.")];

const FLAGS: &[&str] = &["noscript", "loading", "stale"];
const ACL: &[&str] = &["slow", "connection"];
const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous", "connection"];

const CLIENT: &[Spec] = &[
    Spec::nodb("client|caching", 3, client_caching)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "6.0.0",
            "Instruct the server about tracking or not keys in the next request",
            "CLIENT CACHING <YES | NO>",
        )
        .complexity("O(1)"),
    Spec::nodb("client|getname", 2, client_getname)
        .flags(FLAGS)
        .acl(ACL)
        .doc("connection", "2.6.9", "Get the current connection name", "CLIENT GETNAME")
        .complexity("O(1)"),
    Spec::nodb("client|getredir", 2, client_getredir)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "6.0.0",
            "Get tracking notifications redirection client ID if any",
            "CLIENT GETREDIR",
        )
        .complexity("O(1)"),
    Spec::nodb("client|help", 2, client_help)
        .flags(&["loading", "stale"])
        .acl(ACL)
        .doc(
            "connection",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "CLIENT HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("client|id", 2, client_id)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "5.0.0",
            "Returns the client ID for the current connection",
            "CLIENT ID",
        )
        .complexity("O(1)"),
    Spec::nodb("client|info", 2, client_info)
        .flags(FLAGS)
        .acl(ACL)
        .tips(&["nondeterministic_output"])
        .doc(
            "connection",
            "6.2.0",
            "Returns information about the current client connection.",
            "CLIENT INFO",
        )
        .complexity("O(1)"),
    Spec::nodb("client|kill", -3, client_kill)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "connection",
            "2.4.0",
            "Kill the connection of a client",
            "CLIENT KILL <ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] [[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>] ...]>>",
        )
        .complexity("O(N) where N is the number of client connections")
        .history(&[
            ("2.8.12", "Added new filter format."),
            ("2.8.12", "`ID` option."),
            ("3.2.0", "Added `master` type in for `TYPE` option."),
            ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."),
            ("6.2.0", "`LADDR` option."),
        ]),
    Spec::nodb("client|list", -2, client_list)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&["nondeterministic_output"])
        .doc(
            "connection",
            "2.4.0",
            "Get the list of client connections",
            "CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]",
        )
        .complexity("O(N) where N is the number of client connections")
        .history(&[
            ("2.8.12", "Added unique client `id` field."),
            ("5.0.0", "Added optional `TYPE` filter."),
            ("6.0.0", "Added `user` field."),
            ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."),
            ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."),
            ("7.0.3", "Added `ssub` field."),
        ]),
    Spec::nodb("client|no-evict", 3, client_no_evict)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "connection",
            "7.0.0",
            "Set client eviction mode for the current connection",
            "CLIENT NO-EVICT <ON | OFF>",
        )
        .complexity("O(1)"),
    Spec::nodb("client|pause", -3, client_pause)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "connection",
            "2.9.50",
            "Stop processing commands from clients for some time",
            "CLIENT PAUSE timeout [WRITE | ALL]",
        )
        .complexity("O(1)")
        .history(&[("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")]),
    Spec::nodb("client|reply", 3, client_reply)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "3.2.0",
            "Instruct the server whether to reply to commands",
            "CLIENT REPLY <ON | OFF | SKIP>",
        )
        .complexity("O(1)"),
    // Redis 7.2's (src/commands/client-setinfo.json of 7.2): our 7.0 oracle lacks
    // it; redis-py and other clients send it on connect and ignore an error.
    Spec::nodb("client|setinfo", 4, client_setinfo)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "7.2.0",
            "Sets information specific to the client or connection.",
            "CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>",
        )
        .complexity("O(1)"),
    Spec::nodb("client|setname", 3, client_setname)
        .flags(FLAGS)
        .acl(ACL)
        .doc("connection", "2.6.9", "Set the current connection name", "CLIENT SETNAME connection-name")
        .complexity("O(1)"),
    Spec::nodb("client|tracking", -3, client_tracking)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "6.0.0",
            "Enable or disable server assisted client side caching support",
            "CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]",
        )
        .complexity("O(1). Some options may introduce additional complexity."),
    Spec::nodb("client|trackinginfo", 2, client_trackinginfo)
        .flags(FLAGS)
        .acl(ACL)
        .doc(
            "connection",
            "6.2.0",
            "Return information about server assisted client side caching for the current connection",
            "CLIENT TRACKINGINFO",
        )
        .complexity("O(1)"),
    Spec::nodb("client|unblock", -3, client_unblock)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "connection",
            "5.0.0",
            "Unblock a client blocked in a blocking command from a different connection",
            "CLIENT UNBLOCK client-id [TIMEOUT | ERROR]",
        )
        .complexity("O(log N) where N is the number of client connections"),
    Spec::nodb("client|unpause", 2, client_unpause)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "connection",
            "6.2.0",
            "Resume processing of clients that were paused",
            "CLIENT UNPAUSE",
        )
        .complexity("O(N) Where N is the number of paused clients"),
];

/// Redis's `getClientTypeByName`, as the name of the types redlite has.
fn client_type(name: &[u8]) -> Result<String> {
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    match lower.as_str() {
        "normal" | "pubsub" | "master" => Ok(lower),
        "slave" | "replica" => Ok("replica".into()),
        _ => Err(Error::redis(format!(
            "ERR Unknown client type '{}'",
            String::from_utf8_lossy(name)
        ))),
    }
}

/// A client id within 1..=LONG_MAX, or `why`.
fn client_id_arg(arg: &[u8], why: &str) -> Result<u64> {
    match parse_i64(arg) {
        Some(n) if n >= 1 => Ok(n as u64),
        _ => Err(Error::redis(format!("ERR {}", why))),
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lines(ctx: &Ctx<'_>, filter: &Filter) -> Reply {
    let now = crate::db::now_ms();
    let mut out = String::new();
    for c in ctx.db.ops().clients.pick(filter) {
        out.push_str(&c.info_line(now));
        out.push('\n');
    }
    Reply::Verbatim("txt", out.into_bytes())
}

/// CLIENT LIST [TYPE type] [ID id [id ...]]
fn client_list(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let rest = args.rest();
    let mut filter = Filter::default();
    if rest.len() == 2 && eq(rest[0], "type") {
        filter.kind = Some(client_type(rest[1])?);
    } else if rest.len() > 1 && eq(rest[0], "id") {
        // Any integer: ids below 1 match no client.
        let ids = rest[1..]
            .iter()
            .map(|a| {
                parse_i64(a)
                    .map(|n| n.max(0) as u64)
                    .ok_or_else(|| Error::redis("ERR Invalid client ID"))
            })
            .collect::<Result<Vec<u64>>>()?;
        filter.ids = Some(ids);
    } else if !rest.is_empty() {
        return Err(Error::redis(msg::SYNTAX));
    }
    Ok(lines(ctx, &filter))
}

/// CLIENT INFO
fn client_info(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    // The registry's figures are those after the previous command: note this one.
    let filter = Filter {
        ids: Some(vec![ctx.session.id]),
        ..Filter::default()
    };
    Ok(lines(ctx, &filter))
}

/// CLIENT ID
fn client_id(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(ctx.session.id as i64))
}

/// Redis's `validateClientName`: printable ASCII, no spaces.
fn check_name(name: &[u8], what: &str) -> Result<()> {
    if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(Error::redis(format!(
            "ERR {} cannot contain spaces, newlines or special characters.",
            what
        )));
    }
    Ok(())
}

/// CLIENT SETNAME connection-name
fn client_setname(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let name = args.bytes()?;
    check_name(name, "Client names")?;
    ctx.session.name = if name.is_empty() {
        None
    } else {
        Some(name.to_vec())
    };
    Ok(Reply::ok())
}

/// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver> (Redis 7.2's
/// `clientSetinfoCommand`): shown as lib-name= / lib-ver= in CLIENT LIST and INFO.
fn client_setinfo(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let attr = args.bytes()?;
    let value = args.bytes()?;
    // Redis's error replies turn \r and \n into spaces (addReplyErrorFormat).
    let shown = text(attr).replace(['\r', '\n'], " ");
    let lib_name = if eq(attr, "lib-name") {
        true
    } else if eq(attr, "lib-ver") {
        false
    } else {
        return Err(Error::redis(format!("ERR Unrecognized option '{}'", shown)));
    };
    // As validateClientAttr: printable ASCII, no spaces; the empty value unsets.
    check_name(value, &shown)?;
    if let Some(c) = ctx.db.ops().clients.get(ctx.session.id) {
        c.set_lib_info(lib_name, value);
    }
    Ok(Reply::ok())
}

/// CLIENT GETNAME
fn client_getname(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::opt_bulk(ctx.session.name.clone()))
}

/// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER u] [ADDR a] [LADDR a] [SKIPME yes|no] ...
fn client_kill(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let rest = args.rest();
    let clients = &ctx.db.ops().clients;
    if rest.len() == 1 {
        let filter = Filter {
            addr: Some(text(rest[0])),
            ..Filter::default()
        };
        let Some(victim) = clients.pick(&filter).into_iter().next() else {
            return Err(Error::redis("ERR No such client"));
        };
        victim.kill();
        return Ok(Reply::ok());
    }
    let mut filter = Filter {
        skip: Some(ctx.session.id),
        ..Filter::default()
    };
    let mut i = 0;
    while i < rest.len() {
        let Some(value) = rest.get(i + 1) else {
            return Err(Error::redis(msg::SYNTAX));
        };
        let opt = rest[i];
        if eq(opt, "id") {
            filter.ids = Some(vec![client_id_arg(
                value,
                "client-id should be greater than 0",
            )?]);
        } else if eq(opt, "type") {
            filter.kind = Some(client_type(value)?);
        } else if eq(opt, "addr") {
            filter.addr = Some(text(value));
        } else if eq(opt, "laddr") {
            filter.laddr = Some(text(value));
        } else if eq(opt, "user") {
            filter.user = Some(text(value));
        } else if eq(opt, "skipme") {
            if eq(value, "yes") {
                filter.skip = Some(ctx.session.id);
            } else if eq(value, "no") {
                filter.skip = None;
            } else {
                return Err(Error::redis(msg::SYNTAX));
            }
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
        i += 2;
    }
    let victims = clients.pick(&filter);
    for v in &victims {
        v.kill();
    }
    Ok(Reply::Int(victims.len() as i64))
}

/// Redis's addReplySubcommandSyntaxError, for a subcommand given too many arguments:
/// it names the subcommand as the client spelled it.
fn wrong_count(args: &Args<'_>) -> Error {
    let sub = args
        .argv()
        .first()
        .map(|s| text(&s[..s.len().min(128)]))
        .unwrap_or_default();
    Error::redis(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        sub
    ))
}

/// CLIENT PAUSE timeout [WRITE | ALL]
fn client_pause(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if args.remaining() > 2 {
        return Err(wrong_count(args));
    }
    let ms = parse_i64(args.bytes()?)
        .ok_or_else(|| Error::redis("ERR timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(Error::redis("ERR timeout is negative"));
    }
    let mut all = true;
    match args.rest() {
        [] => {}
        [mode] if eq(mode, "write") => all = false,
        [mode] if eq(mode, "all") => {}
        [_] => return Err(Error::redis("ERR CLIENT PAUSE mode must be WRITE or ALL")),
        _ => return Err(Error::redis(msg::SYNTAX)),
    }
    ctx.db
        .ops()
        .pause(crate::db::now_ms().saturating_add(ms), all);
    Ok(Reply::ok())
}

/// CLIENT UNPAUSE
fn client_unpause(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db.ops().unpause();
    Ok(Reply::ok())
}

/// CLIENT REPLY ON | OFF | SKIP: the front end holds back the replies.
fn client_reply(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mode = args.bytes()?;
    let mode = if eq(mode, "on") {
        REPLY_ON
    } else if eq(mode, "off") {
        REPLY_OFF
    } else if eq(mode, "skip") {
        REPLY_SKIP
    } else {
        return Err(Error::redis(msg::SYNTAX));
    };
    if let Some(c) = ctx.db.ops().clients.get(ctx.session.id) {
        // SKIP while OFF changes nothing, as in Redis.
        if !(mode == REPLY_SKIP && c.reply_mode() == REPLY_OFF) {
            c.set_reply_mode(mode);
        }
    }
    Ok(Reply::ok())
}

/// CLIENT NO-EVICT ON | OFF (nothing is ever evicted here: only shown in CLIENT LIST).
fn client_no_evict(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let v = args.bytes()?;
    let on = if eq(v, "on") {
        true
    } else if eq(v, "off") {
        false
    } else {
        return Err(Error::redis(msg::SYNTAX));
    };
    if let Some(c) = ctx.db.ops().clients.get(ctx.session.id) {
        c.set_no_evict(on);
    }
    Ok(Reply::ok())
}

/// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]: the client's blocking command answers
/// now, with its timeout reply or an UNBLOCKED error; 1 if it was blocked, else 0.
fn client_unblock(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let id = args.bytes()?;
    // As Redis 7.0: the count, then the reason, then the id.
    let error = match args.rest() {
        [] => false,
        [m] if eq(m, "timeout") => false,
        [m] if eq(m, "error") => true,
        [_] => {
            return Err(Error::redis(
                "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            ))
        }
        _ => return Err(wrong_count(args)),
    };
    let id = parse_i64(id).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
    // Every blocking command of redlite times out with a null array (Ctx::block).
    let reply = if error {
        Reply::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into())
    } else {
        Reply::NilArray
    };
    let unblocked = id > 0 && ctx.db.blocking().unblock(id as u64, reply);
    Ok(Reply::Int(unblocked as i64))
}

/// CLIENT TRACKING: client-side caching is not implemented.
fn client_tracking(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Err(Error::redis(
        "ERR CLIENT TRACKING is not supported by redlite",
    ))
}

/// CLIENT CACHING: only meaningful with tracking, which is never on.
fn client_caching(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Err(Error::redis(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    ))
}

/// CLIENT GETREDIR: tracking is off.
fn client_getredir(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(-1))
}

/// CLIENT TRACKINGINFO: tracking is off.
fn client_trackinginfo(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Map(vec![
        (Reply::bulk("flags"), Reply::Set(vec![Reply::bulk("off")])),
        (Reply::bulk("redirect"), Reply::Int(-1)),
        (Reply::bulk("prefixes"), Reply::Array(vec![])),
    ]))
}

/// CLIENT HELP
fn client_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "CLIENT",
        &[
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            // Redis 7.2's lines for SETINFO.
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        ],
    ))
}
