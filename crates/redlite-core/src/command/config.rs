//! CONFIG GET, SET, RESETSTAT, REWRITE and HELP over the parameter table of
//! `crate::config` (where parameters are added).

use std::sync::atomic::Ordering;

use crate::command::help;
use crate::command::{run_subcommand, Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[Spec::nodb("config", -2, run_subcommand)
    .acl(&["slow"])
    .subcommands(CONFIG)
    .doc(
        "server",
        "2.0.0",
        "A container for server configuration commands",
        "CONFIG",
    )
    .complexity("Depends on subcommand.")];

const ADMIN: &[&str] = &["admin", "noscript", "loading", "stale"];
const ADMIN_ACL: &[&str] = &["admin", "slow", "dangerous"];

const CONFIG: &[Spec] = &[
    Spec::nodb("config|get", -3, config_get)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "2.0.0",
            "Get the values of configuration parameters",
            "CONFIG GET parameter [parameter ...]",
        )
        .complexity("O(N) when N is the number of configuration parameters provided")
        .history(&[(
            "7.0.0",
            "Added the ability to pass multiple pattern parameters in one call",
        )]),
    Spec::nodb("config|help", 2, config_help)
        .flags(&["loading", "stale"])
        .acl(&["slow"])
        .doc(
            "server",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "CONFIG HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("config|resetstat", 2, config_resetstat)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "2.0.0",
            "Reset the stats returned by INFO",
            "CONFIG RESETSTAT",
        )
        .complexity("O(1)"),
    Spec::nodb("config|rewrite", 2, config_rewrite)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            "server",
            "2.8.0",
            "Rewrite the configuration file with the in memory configuration",
            "CONFIG REWRITE",
        )
        .complexity("O(1)"),
    Spec::nodb("config|set", -4, config_set)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc(
            "server",
            "2.0.0",
            "Set configuration parameters to the given values",
            "CONFIG SET parameter value [parameter value ...]",
        )
        .complexity("O(N) when N is the number of configuration parameters provided")
        .history(&[(
            "7.0.0",
            "Added the ability to set multiple parameters in one call.",
        )]),
];

/// CONFIG GET parameter [parameter ...]
fn config_get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let found = ctx.db.config().matching(args.rest());
    Ok(Reply::Map(
        found
            .into_iter()
            .map(|(k, v)| (Reply::bulk(k), Reply::bulk(v)))
            .collect(),
    ))
}

/// CONFIG SET parameter value [parameter value ...]: all or nothing.
fn config_set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let first = args.argv_index();
    let rest = args.rest();
    if !rest.len().is_multiple_of(2) {
        return Err(Error::redis(msg::SYNTAX));
    }
    // As Redis 7.0: the value of every secret named, before anything is checked.
    for (i, pair) in rest.chunks(2).enumerate() {
        if crate::config::lookup(&String::from_utf8_lossy(pair[0])).is_some_and(|p| p.sensitive) {
            ctx.redact(first + 2 * i + 1);
        }
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let pairs: Vec<(String, String)> = rest.chunks(2).map(|p| (text(p[0]), text(p[1]))).collect();
    ctx.db
        .config()
        .set_many(ctx.db, &pairs, false)
        .map_err(|e| Error::redis(format!("ERR {}", e)))?;
    Ok(Reply::ok())
}

/// CONFIG RESETSTAT: INFO's counters back to zero, as Redis's `resetServerStats`.
fn config_resetstat(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.db.stats();
    for counter in [
        &s.total_commands_processed,
        &s.keyspace_hits,
        &s.keyspace_misses,
        &s.expired_keys,
        &s.total_connections_received,
        &s.total_net_input_bytes,
        &s.total_net_output_bytes,
        &s.rejected_connections,
    ] {
        counter.store(0, Ordering::Relaxed);
    }
    ctx.db.ops().reset_stats();
    Ok(Reply::ok())
}

/// CONFIG REWRITE
fn config_rewrite(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db
        .config()
        .rewrite()
        .map_err(|e| Error::redis(format!("ERR {}", e)))?;
    Ok(Reply::ok())
}

/// CONFIG HELP
fn config_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    ))
}
