//! Server and connection commands.

use crate::command::{Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("ping", -1, ping)
        .flags(&["fast", "sentinel"])
        .acl(&["fast", "connection"])
        .doc("connection", "1.0.0", "Returns the server's liveliness response.", "PING [message]"),
    Spec::nodb("echo", 2, echo)
        .flags(&["fast"])
        .acl(&["fast", "connection"])
        .doc("connection", "1.0.0", "Returns the given string.", "ECHO message"),
    Spec::nodb("select", 2, select)
        .flags(&["loading", "stale", "fast"])
        .acl(&["fast", "connection"])
        .doc("connection", "1.0.0", "Changes the selected database.", "SELECT index"),
    Spec::nodb("quit", -1, quit)
        .flags(&["allow_busy", "noscript", "loading", "stale", "fast", "no_auth", "allow_busy"])
        .acl(&["fast", "connection"])
        .doc("connection", "1.0.0", "Closes the connection.", "QUIT"),
];

/// The number of logical databases, as Redis's default `databases 16`.
pub const DATABASES: u32 = 16;

/// PING [message]
fn ping(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match args.remaining() {
        0 => Ok(Reply::Simple("PONG".into())),
        1 => Ok(Reply::Bulk(args.bytes()?.to_vec())),
        _ => Err(Error::redis(msg::wrong_arity("ping"))),
    }
}

/// ECHO message
fn echo(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Bulk(args.bytes()?.to_vec()))
}

/// SELECT index
fn select(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let n = args.int()?;
    if !(0..DATABASES as i64).contains(&n) {
        return Err(Error::redis(msg::DB_INDEX));
    }
    ctx.session.db = n as u32;
    Ok(Reply::ok())
}

/// QUIT
fn quit(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.session.closing = true;
    Ok(Reply::ok())
}
