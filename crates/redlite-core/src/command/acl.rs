//! AUTH and the ACL commands. The users and the rules live in `crate::acl`; these are
//! the command-table entries and their argument handling, with Redis 7.0.15's texts.

use crate::acl::{self, Context};
use crate::command::args::{eq, parse_i64};
use crate::command::help;
use crate::command::{run_subcommand, Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("auth", -2, auth)
        .flags(&[
            "noscript",
            "loading",
            "stale",
            "fast",
            "no_auth",
            "allow_busy",
        ])
        .acl(&["fast", "connection"])
        .doc(
            "connection",
            "1.0.0",
            "Authenticate to the server",
            "AUTH [username] password",
        )
        .complexity("O(N) where N is the number of passwords defined for the user")
        .history(&[("6.0.0", "Added ACL style (username and password).")]),
    Spec::nodb("acl", -2, run_subcommand)
        .acl(&["slow"])
        .subcommands(ACL)
        .doc(
            "server",
            "6.0.0",
            "A container for Access List Control commands ",
            "ACL",
        )
        .complexity("Depends on subcommand."),
];

const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous"];

const ACL: &[Spec] = &[
    Spec::nodb("acl|cat", -2, cat)
        .flags(&["noscript", "loading", "stale"])
        .acl(&["slow"])
        .doc(
            "server",
            "6.0.0",
            "List the ACL categories or the commands inside a category",
            "ACL CAT [categoryname]",
        )
        .complexity("O(1) since the categories and commands are a fixed set."),
    Spec::nodb("acl|deluser", -3, deluser)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "6.0.0",
            "Remove the specified ACL users and the associated rules",
            "ACL DELUSER username [username ...]",
        )
        .complexity("O(1) amortized time considering the typical user."),
    Spec::nodb("acl|dryrun", -4, dryrun)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "7.0.0",
            "Returns whether the user can execute the given command without executing the command.",
            "ACL DRYRUN username command [arg [arg ...]]",
        )
        .complexity("O(1)."),
    Spec::nodb("acl|genpass", -2, genpass)
        .flags(&["noscript", "loading", "stale"])
        .acl(&["slow"])
        .doc(
            "server",
            "6.0.0",
            "Generate a pseudorandom secure password to use for ACL users",
            "ACL GENPASS [bits]",
        )
        .complexity("O(1)"),
    Spec::nodb("acl|getuser", 3, getuser)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc("server", "6.0.0", "Get the rules for a specific ACL user", "ACL GETUSER username")
        .complexity("O(N). Where N is the number of password, command and pattern rules that the user has.")
        .history(&[
            ("6.2.0", "Added Pub/Sub channel patterns."),
            (
                "7.0.0",
                "Added selectors and changed the format of key and channel patterns from a list to their rule representation.",
            ),
        ]),
    Spec::nodb("acl|help", 2, acl_help)
        .flags(&["loading", "stale"])
        .acl(&["slow"])
        .doc("server", "6.0.0", "Show helpful text about the different subcommands", "ACL HELP")
        .complexity("O(1)"),
    Spec::nodb("acl|list", 2, list)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "6.0.0",
            "List the current ACL rules in ACL config file format",
            "ACL LIST",
        )
        .complexity("O(N). Where N is the number of configured users."),
    Spec::nodb("acl|load", 2, load)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc("server", "6.0.0", "Reload the ACLs from the configured ACL file", "ACL LOAD")
        .complexity("O(N). Where N is the number of configured users."),
    Spec::nodb("acl|log", -2, log)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "6.0.0",
            "List latest events denied because of ACLs in place",
            "ACL LOG [count | RESET]",
        )
        .complexity("O(N) with N being the number of entries shown."),
    Spec::nodb("acl|save", 2, load)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc("server", "6.0.0", "Save the current ACL rules in the configured ACL file", "ACL SAVE")
        .complexity("O(N). Where N is the number of configured users."),
    Spec::nodb("acl|setuser", -3, setuser)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "6.0.0",
            "Modify or create the rules for a specific ACL user",
            "ACL SETUSER username [rule [rule ...]]",
        )
        .complexity("O(N). Where N is the number of rules provided.")
        .history(&[
            ("6.2.0", "Added Pub/Sub channel patterns."),
            ("7.0.0", "Added selectors and key based permissions."),
        ]),
    Spec::nodb("acl|users", 2, users)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "6.0.0",
            "List the username of all the configured ACL rules",
            "ACL USERS",
        )
        .complexity("O(N). Where N is the number of configured users."),
    Spec::nodb("acl|whoami", 2, whoami)
        .flags(&["noscript", "loading", "stale"])
        .acl(&["slow"])
        .doc(
            "server",
            "6.0.0",
            "Return the name of the user associated to the current connection",
            "ACL WHOAMI",
        )
        .complexity("O(1)"),
];

const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// A CLIENT LIST style line for ACL LOG's client-info, from what the engine knows.
pub(crate) fn client_info(ctx_session: &crate::command::SessionState, cmd: &str) -> String {
    format!(
        "id={} addr= laddr= fd=-1 name={} age=0 idle=0 flags=N db={} sub=0 psub=0 ssub=0 \
         multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 \
         tot-mem=0 events=r cmd={} user={} redir=-1 resp={}",
        ctx_session.id,
        ctx_session
            .name
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default(),
        ctx_session.db,
        cmd,
        ctx_session.auth.user,
        ctx_session.protocol
    )
}

/// Check `user`/`password` and log the session in as that user: Redis's
/// ACLAuthenticateUser. False (and an ACL LOG entry) on a wrong pair or a user off.
pub(crate) fn authenticate(ctx: &mut Ctx<'_>, user: &[u8], password: &[u8]) -> bool {
    let info = client_info(ctx.session, "auth");
    if ctx.db.acl().authenticate(user, password, &info) {
        ctx.session.auth.login(user);
        true
    } else {
        false
    }
}

/// AUTH [username] password
fn auth(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if args.remaining() > 2 {
        return Err(Error::redis(msg::SYNTAX));
    }
    // As Redis 7.0: every argument, once the count is right.
    for i in 0..args.remaining() {
        ctx.redact(args.argv_index() + i);
    }
    let (user, password): (&[u8], &[u8]) = if args.remaining() == 1 {
        if ctx.db.acl().user("default").is_some_and(|u| u.nopass()) {
            return Err(Error::redis(
                "ERR AUTH <password> called without any password configured for the default user. \
                 Are you sure your configuration is correct?",
            ));
        }
        (b"default", args.bytes()?)
    } else {
        (args.bytes()?, args.bytes()?)
    };
    if authenticate(ctx, user, password) {
        Ok(Reply::ok())
    } else {
        Err(Error::redis(WRONGPASS))
    }
}

/// The ACL check of one command, as the session runs it before the command:
/// NOAUTH for a client that must authenticate first, NOPERM (and an ACL LOG entry)
/// for a command, key or channel the user may not use.
pub(crate) fn check(
    db: &crate::db::Db,
    state: &mut crate::command::SessionState,
    spec: &'static Spec,
    argv: &[&[u8]],
    context: Context,
) -> Result<()> {
    match acl::check_command(db.acl(), &mut state.auth, spec, argv, context) {
        Ok(()) => Ok(()),
        Err(mut refusal) => {
            let info = client_info(state, refusal.command().unwrap_or(spec.name));
            db.acl().log_refusal(&mut refusal, info);
            Err(Error::redis(refusal.text))
        }
    }
}

/// The ACL check of a command that EXEC or a script runs (`context` Multi or Lua),
/// where the user's rules may have changed since it was queued, or the script names
/// commands of its own: `Err` with what was refused ("command", "key", "channel";
/// `None` for a user that is gone), after the refusal went to ACL LOG.
pub(crate) fn check_nested(
    db: &crate::db::Db,
    state: &mut crate::command::SessionState,
    spec: &'static Spec,
    argv: &[&[u8]],
    context: Context,
) -> std::result::Result<(), Option<&'static str>> {
    match acl::check_command(db.acl(), &mut state.auth, spec, argv, context) {
        Ok(()) => Ok(()),
        Err(mut refusal) => {
            let reason = refusal.reason();
            let info = client_info(state, refusal.command().unwrap_or(spec.name));
            db.acl().log_refusal(&mut refusal, info);
            Err(reason)
        }
    }
}

fn text(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).into_owned()
}

/// ACL CAT [categoryname]
fn cat(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match args.next() {
        None => Ok(Reply::Array(
            acl::CATEGORIES.iter().map(|c| Reply::bulk(*c)).collect(),
        )),
        Some(name) => {
            let name = text(name);
            let cmds = acl::commands_in_category(&name)
                .ok_or_else(|| Error::redis(format!("ERR Unknown category '{}'", name)))?;
            Ok(Reply::Array(cmds.into_iter().map(Reply::bulk).collect()))
        }
    }
}

/// ACL DELUSER username [username ...]
fn deluser(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let names: Vec<String> = args.rest().iter().map(|n| text(n)).collect();
    let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
    ctx.db
        .acl()
        .deluser(&names)
        .map(Reply::Int)
        .map_err(Error::redis)
}

/// ACL DRYRUN username command [arg [arg ...]]
fn dryrun(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let user = text(args.bytes()?);
    let argv = args.rest();
    match acl::dryrun(ctx.db.acl(), &user, argv).map_err(Error::redis)? {
        None => Ok(Reply::ok()),
        Some(why) => Ok(Reply::bulk(why)),
    }
}

/// ACL GENPASS [bits]
fn genpass(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let bits = match args.next() {
        None => 256,
        Some(b) => {
            let n = parse_i64(b).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
            if !(1..=4096).contains(&n) {
                return Err(Error::redis(
                    "ERR ACL GENPASS argument must be the number of bits for the output password, \
                     a positive number up to 4096",
                ));
            }
            n as usize
        }
    };
    Ok(Reply::bulk(acl::genpass(bits)))
}

/// ACL GETUSER username
fn getuser(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let name = text(args.bytes()?);
    Ok(match ctx.db.acl().user(&name) {
        Some(u) => u.getuser(),
        None => Reply::Nil,
    })
}

/// ACL HELP
fn acl_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "ACL",
        &[
            "CAT [<category>]",
            "    List all commands that belong to <category>, or all command categories",
            "    when no category is specified.",
            "DELUSER <username> [<username> ...]",
            "    Delete a list of users.",
            "DRYRUN <username> <command> [<arg> ...]",
            "    Returns whether the user can execute the given command without executing the command.",
            "GETUSER <username>",
            "    Get the user's details.",
            "GENPASS [<bits>]",
            "    Generate a secure 256-bit user password. The optional `bits` argument can",
            "    be used to specify a different size.",
            "LIST",
            "    Show users details in config file format.",
            "LOAD",
            "    Reload users from the ACL file.",
            "LOG [<count> | RESET]",
            "    Show the ACL log entries.",
            "SAVE",
            "    Save the current config to the ACL file.",
            "SETUSER <username> <attribute> [<attribute> ...]",
            "    Create or modify a user with the specified attributes.",
            "USERS",
            "    List all the registered usernames.",
            "WHOAMI",
            "    Return the current connection username.",
        ],
    ))
}

/// ACL LIST
fn list(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(
        ctx.db
            .acl()
            .users()
            .iter()
            .map(|u| Reply::bulk(u.describe()))
            .collect(),
    ))
}

/// ACL LOAD, ACL SAVE: users live in memory only; there is no ACL file (yet).
fn load(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Err(Error::redis(
        "ERR This Redis instance is not configured to use an ACL file. You may want to specify \
         users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a \
         Redis configuration file set) in order to store users in the Redis configuration.",
    ))
}

/// ACL LOG [count | RESET]
fn log(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut count = 10usize;
    if args.remaining() > 1 {
        return Err(Error::redis(
            "ERR unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP.",
        ));
    }
    if let Some(arg) = args.next() {
        if eq(arg, "RESET") {
            ctx.db.acl().log_reset();
            return Ok(Reply::ok());
        }
        // A negative count shows nothing, as in Redis.
        count = parse_i64(arg)
            .ok_or_else(|| Error::redis(msg::NOT_INTEGER))?
            .max(0) as usize;
    }
    Ok(ctx.db.acl().log_reply(count))
}

/// ACL SETUSER username [rule [rule ...]]
fn setuser(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    // As Redis 7.0: the user name and every rule (a rule may carry a password).
    for i in 0..args.remaining() {
        ctx.redact(args.argv_index() + i);
    }
    let name = text(args.bytes()?);
    let rules = args.rest();
    ctx.db.acl().setuser(&name, rules).map_err(Error::redis)?;
    Ok(Reply::ok())
}

/// ACL USERS
fn users(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Array(
        ctx.db
            .acl()
            .users()
            .iter()
            .map(|u| Reply::bulk(u.name.as_str()))
            .collect(),
    ))
}

/// ACL WHOAMI
fn whoami(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::bulk(ctx.session.auth.user.as_str()))
}
