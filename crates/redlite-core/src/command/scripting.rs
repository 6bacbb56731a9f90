//! Scripting and functions: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FUNCTION,
//! FCALL and FCALL_RO. The engine is in `crate::scripting`; these are the table
//! entries and the argument parsing.

use crate::command::args::eq;
use crate::command::help;
use crate::command::keyspec::{ACCESS, RO, RW, UPDATE};
use crate::command::{run_subcommand, Args, Ctx, KeySpec, Spec};
use crate::error::{Error, Result};
use crate::glob;
use crate::reply::Reply;
use crate::scripting::{self, functions, split_keys, Invocation, Kind};

const RW_NOTE: &str =
    "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";
const RO_NOTE: &str =
    "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS";

pub const COMMANDS: &[Spec] = &[
    Spec::write("eval", -3, eval)
        .flags(&[
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE)
            .notes(RW_NOTE)
            .index(2)
            .keynum(0, 1, 1)])
        .doc(
            "scripting",
            "2.6.0",
            "Execute a Lua script server side",
            "EVAL script numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the script that is executed."),
    Spec::write("evalsha", -3, evalsha)
        .flags(&[
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(2).keynum(0, 1, 1)])
        .doc(
            "scripting",
            "2.6.0",
            "Execute a Lua script server side",
            "EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the script that is executed."),
    Spec::read("eval_ro", -3, eval_ro)
        .flags(&[
            "readonly",
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RO | ACCESS)
            .notes(RO_NOTE)
            .index(2)
            .keynum(0, 1, 1)])
        .doc(
            "scripting",
            "7.0.0",
            "Execute a read-only Lua script server side",
            "EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the script that is executed."),
    Spec::read("evalsha_ro", -3, evalsha_ro)
        .flags(&[
            "readonly",
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RO | ACCESS).index(2).keynum(0, 1, 1)])
        .doc(
            "scripting",
            "7.0.0",
            "Execute a read-only Lua script server side",
            "EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the script that is executed."),
    Spec::write("fcall", -3, fcall)
        .flags(&[
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE)
            .notes(RW_NOTE)
            .index(2)
            .keynum(0, 1, 1)])
        .doc(
            "scripting",
            "7.0.0",
            "Invoke a function",
            "FCALL function numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the function that is executed."),
    Spec::read("fcall_ro", -3, fcall_ro)
        .flags(&[
            "readonly",
            "noscript",
            "stale",
            "skip_monitor",
            "no_mandatory_keys",
            "movablekeys",
        ])
        .acl(&["slow", "scripting"])
        .key_specs(&[KeySpec::new(RO | ACCESS)
            .notes(RO_NOTE)
            .index(2)
            .keynum(0, 1, 1)])
        .doc(
            "scripting",
            "7.0.0",
            "Invoke a read-only function",
            "FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]",
        )
        .complexity("Depends on the function that is executed."),
    Spec::nodb("script", -2, run_subcommand)
        .acl(&["slow"])
        .doc(
            "scripting",
            "2.6.0",
            "A container for Lua scripts management commands",
            "SCRIPT",
        )
        .complexity("Depends on subcommand.")
        .subcommands(SCRIPT),
    Spec::nodb("function", -2, run_subcommand)
        .acl(&["slow"])
        .doc(
            "scripting",
            "7.0.0",
            "A container for function commands",
            "FUNCTION",
        )
        .complexity("Depends on subcommand.")
        .subcommands(FUNCTION),
];

const SCRIPT: &[Spec] = &[
    Spec::nodb("script|debug", 3, script_debug)
        .flags(&["noscript"])
        .acl(&["slow", "scripting"])
        .doc("scripting", "3.2.0", "Set the debug mode for executed scripts.", "SCRIPT DEBUG <YES | SYNC | NO>")
        .complexity("O(1)"),
    Spec::nodb("script|exists", -3, script_exists)
        .flags(&["noscript"])
        .acl(&["slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:agg_logical_and"])
        .doc("scripting", "2.6.0", "Check existence of scripts in the script cache.", "SCRIPT EXISTS sha1 [sha1 ...]")
        .complexity("O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation)."),
    Spec::nodb("script|flush", -2, script_flush)
        .flags(&["noscript"])
        .acl(&["slow", "scripting"])
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc("scripting", "2.6.0", "Remove all the scripts from the script cache.", "SCRIPT FLUSH [ASYNC | SYNC]")
        .complexity("O(N) with N being the number of scripts in cache")
        .history(&[("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")]),
    Spec::nodb("script|help", 2, script_help)
        .flags(&["loading", "stale"])
        .acl(&["slow", "scripting"])
        .doc("scripting", "5.0.0", "Show helpful text about the different subcommands", "SCRIPT HELP")
        .complexity("O(1)"),
    Spec::nodb("script|kill", 2, script_kill)
        .flags(&["noscript", "allow_busy"])
        .acl(&["slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:one_succeeded"])
        .doc("scripting", "2.6.0", "Kill the script currently in execution.", "SCRIPT KILL")
        .complexity("O(1)"),
    Spec::nodb("script|load", 3, script_load)
        .flags(&["noscript", "stale"])
        .acl(&["slow", "scripting"])
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc("scripting", "2.6.0", "Load the specified Lua script into the script cache.", "SCRIPT LOAD script")
        .complexity("O(N) with N being the length in bytes of the script body."),
];

const FUNCTION: &[Spec] = &[
    Spec::write("function|delete", 3, function_delete)
        .flags(&["write", "noscript"])
        .acl(&["write", "slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "scripting",
            "7.0.0",
            "Delete a function by name",
            "FUNCTION DELETE library-name",
        )
        .complexity("O(1)"),
    Spec::read("function|dump", 2, function_dump)
        .flags(&["noscript"])
        .acl(&["slow", "scripting"])
        .doc(
            "scripting",
            "7.0.0",
            "Dump all functions into a serialized binary payload",
            "FUNCTION DUMP",
        )
        .complexity("O(N) where N is the number of functions"),
    Spec::write("function|flush", -2, function_flush)
        .flags(&["write", "noscript"])
        .acl(&["write", "slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "scripting",
            "7.0.0",
            "Deleting all functions",
            "FUNCTION FLUSH [ASYNC | SYNC]",
        )
        .complexity("O(N) where N is the number of functions deleted"),
    Spec::nodb("function|help", 2, function_help)
        .flags(&["loading", "stale"])
        .acl(&["slow", "scripting"])
        .doc(
            "scripting",
            "7.0.0",
            "Show helpful text about the different subcommands",
            "FUNCTION HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("function|kill", 2, function_kill)
        .flags(&["noscript", "allow_busy"])
        .acl(&["slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:one_succeeded"])
        .doc(
            "scripting",
            "7.0.0",
            "Kill the function currently in execution.",
            "FUNCTION KILL",
        )
        .complexity("O(1)"),
    Spec::read("function|list", -2, function_list)
        .flags(&["noscript"])
        .acl(&["slow", "scripting"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "scripting",
            "7.0.0",
            "List information about all the functions",
            "FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]",
        )
        .complexity("O(N) where N is the number of functions"),
    Spec::write("function|load", -3, function_load)
        .flags(&["write", "denyoom", "noscript"])
        .acl(&["write", "slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "scripting",
            "7.0.0",
            "Create a function with the given arguments (name, code, description)",
            "FUNCTION LOAD [REPLACE] function-code",
        )
        .complexity("O(1) (considering compilation time is redundant)"),
    Spec::write("function|restore", -3, function_restore)
        .flags(&["write", "denyoom", "noscript"])
        .acl(&["write", "slow", "scripting"])
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .doc(
            "scripting",
            "7.0.0",
            "Restore all the functions on the given payload",
            "FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]",
        )
        .complexity("O(N) where N is the number of functions on the payload"),
    Spec::nodb("function|stats", 2, function_stats)
        .flags(&["noscript", "allow_busy"])
        .acl(&["slow", "scripting"])
        .tips(&[
            "nondeterministic_output",
            "request_policy:all_shards",
            "response_policy:special",
        ])
        .doc(
            "scripting",
            "7.0.0",
            "Return information about the function currently running (name, description, duration)",
            "FUNCTION STATS",
        )
        .complexity("O(1)"),
];

fn eval_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, by_sha: bool, ro: bool) -> Result<Reply> {
    let script = args.bytes()?;
    let (keys, argv) = split_keys(args.rest())?;
    let inv = Invocation {
        kind: Kind::Eval,
        ro_command: ro,
        keys,
        args: argv,
    };
    if by_sha {
        scripting::eval(ctx, None, script, inv)
    } else {
        scripting::eval(ctx, Some(script), b"", inv)
    }
}

/// EVAL script numkeys [key [key ...]] [arg [arg ...]]
fn eval(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    eval_generic(ctx, args, false, false)
}

/// EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
fn evalsha(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    eval_generic(ctx, args, true, false)
}

/// EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
fn eval_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    eval_generic(ctx, args, false, true)
}

/// EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
fn evalsha_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    eval_generic(ctx, args, true, true)
}

fn fcall_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, ro: bool) -> Result<Reply> {
    let name = String::from_utf8_lossy(args.bytes()?).into_owned();
    let (keys, argv) = split_keys(args.rest())?;
    let engine = ctx.db.scripting();
    let conn = ctx.conn()?;
    engine.with_vm(Some(conn), |vm| {
        let Some(f) = vm.libraries.function(&name) else {
            return Err(Error::redis("ERR Function not found"));
        };
        if ro && !f.flags.no_writes {
            return Err(Error::redis(
                "ERR Can not execute a script with write flag using *_ro command.",
            ));
        }
        let (func, flags) = (f.func.clone(), f.flags);
        let inv = Invocation {
            kind: Kind::Function,
            ro_command: ro,
            keys,
            args: argv,
        };
        scripting::run(engine, vm, ctx, &func, flags, &name, inv)
    })
}

/// FCALL function numkeys [key [key ...]] [arg [arg ...]]
fn fcall(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    fcall_generic(ctx, args, false)
}

/// FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
fn fcall_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    fcall_generic(ctx, args, true)
}

/// SCRIPT DEBUG <YES | SYNC | NO>: only NO; redlite has no Lua debugger.
fn script_debug(_ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mode = args.bytes()?;
    if eq(mode, "no") {
        Ok(Reply::ok())
    } else if eq(mode, "yes") || eq(mode, "sync") {
        Err(Error::redis("ERR SCRIPT DEBUG is not supported by redlite"))
    } else {
        Err(Error::redis("ERR Use SCRIPT DEBUG YES/SYNC/NO"))
    }
}

/// SCRIPT EXISTS sha1 [sha1 ...]
fn script_exists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let engine = ctx.db.scripting();
    Ok(Reply::Array(
        args.rest()
            .iter()
            .map(|sha| Reply::Int(engine.script_exists(sha) as i64))
            .collect(),
    ))
}

/// SCRIPT FLUSH [ASYNC | SYNC]
fn script_flush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let ok = match args.rest() {
        [] => true,
        [mode] => eq(mode, "async") || eq(mode, "sync"),
        _ => false,
    };
    if !ok {
        return Err(Error::redis(
            "ERR SCRIPT FLUSH only support SYNC|ASYNC option",
        ));
    }
    ctx.db.scripting().flush_scripts();
    Ok(Reply::ok())
}

/// SCRIPT HELP
fn script_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "SCRIPT",
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    ))
}

/// SCRIPT KILL
fn script_kill(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db.scripting().kill(false)
}

/// SCRIPT LOAD script
fn script_load(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let sha = ctx.db.scripting().load_script(args.bytes()?)?;
    Ok(Reply::Bulk(sha.into_bytes()))
}

/// FUNCTION DELETE library-name
fn function_delete(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let name = String::from_utf8_lossy(args.bytes()?).into_owned();
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        if vm.libraries.remove(&name).is_none() {
            return Err(Error::redis("ERR Library not found"));
        }
        functions::unstore(conn, &name)?;
        Ok(Reply::ok())
    })
}

/// FUNCTION DUMP
fn function_dump(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        Ok(Reply::Bulk(functions::dump(&vm.libraries)))
    })
}

/// FUNCTION FLUSH [ASYNC | SYNC]
fn function_flush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let ok = match args.rest() {
        [] => true,
        [mode] => eq(mode, "async") || eq(mode, "sync"),
        _ => false,
    };
    if !ok {
        return Err(Error::redis(
            "ERR FUNCTION FLUSH only supports SYNC|ASYNC option",
        ));
    }
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        vm.libraries.clear();
        functions::unstore_all(conn)?;
        Ok(Reply::ok())
    })
}

/// FUNCTION HELP
fn function_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "FUNCTION",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    ))
}

/// FUNCTION KILL
fn function_kill(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db.scripting().kill(true)
}

/// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
fn function_list(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    while let Some(arg) = args.next() {
        if !with_code && eq(arg, "withcode") {
            with_code = true;
        } else if pattern.is_none() && eq(arg, "libraryname") {
            pattern = Some(
                args.next()
                    .ok_or_else(|| Error::redis("ERR library name argument was not given"))?,
            );
        } else {
            return Err(Error::redis(format!(
                "ERR Unknown argument {}",
                String::from_utf8_lossy(arg)
            )));
        }
    }
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        let mut out = Vec::new();
        for lib in vm.libraries.libs.values() {
            if let Some(p) = pattern {
                if !glob::matches(p, lib.name.as_bytes()) {
                    continue;
                }
            }
            let funcs = lib
                .functions
                .iter()
                .map(|f| {
                    Reply::Map(vec![
                        (Reply::bulk("name"), Reply::bulk(f.name.as_bytes())),
                        (
                            Reply::bulk("description"),
                            Reply::opt_bulk(f.description.clone()),
                        ),
                        (
                            Reply::bulk("flags"),
                            Reply::Set(
                                f.flags
                                    .names()
                                    .into_iter()
                                    .map(|n| Reply::Simple(n.into()))
                                    .collect(),
                            ),
                        ),
                    ])
                })
                .collect();
            let mut entry = vec![
                (
                    Reply::bulk("library_name"),
                    Reply::bulk(lib.name.as_bytes()),
                ),
                (Reply::bulk("engine"), Reply::bulk("LUA")),
                (Reply::bulk("functions"), Reply::Array(funcs)),
            ];
            if with_code {
                entry.push((Reply::bulk("library_code"), Reply::bulk(lib.code.clone())));
            }
            out.push(Reply::Map(entry));
        }
        Ok(Reply::Array(out))
    })
}

/// FUNCTION LOAD [REPLACE] function-code
fn function_load(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut replace = false;
    let mut code = args.bytes()?;
    if eq(code, "replace") && !args.is_empty() {
        replace = true;
        code = args.bytes()?;
    }
    if !args.is_empty() {
        return Err(Error::redis(format!(
            "ERR Unknown option given: {}",
            String::from_utf8_lossy(code)
        )));
    }
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        let name = vm.load_library(code, replace)?;
        functions::store(conn, &name, code)?;
        Ok(Reply::Bulk(name.into_bytes()))
    })
}

/// FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]
fn function_restore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let payload = args.bytes()?;
    let policy =
        match args.next() {
            None => "append",
            Some(p) if eq(p, "flush") => "flush",
            Some(p) if eq(p, "append") => "append",
            Some(p) if eq(p, "replace") => "replace",
            Some(_) => return Err(Error::redis(
                "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
            )),
        };
    if !args.is_empty() {
        return Err(Error::redis("ERR syntax error"));
    }
    let codes = functions::parse_dump(payload)?;
    let conn = ctx.conn()?;
    ctx.db.scripting().with_vm(Some(conn), |vm| {
        functions::restore(vm, conn, codes, policy)?;
        Ok(Reply::ok())
    })
}

/// FUNCTION STATS
fn function_stats(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let engine = ctx.db.scripting();
    let running = match engine.running_function() {
        Some((name, ms)) => Reply::Map(vec![
            (Reply::bulk("name"), Reply::bulk(name)),
            (Reply::bulk("command"), Reply::Array(vec![])),
            (Reply::bulk("duration_ms"), Reply::Int(ms)),
        ]),
        None => Reply::Nil,
    };
    let (libs, funcs) = engine.counts();
    Ok(Reply::Map(vec![
        (Reply::bulk("running_script"), running),
        (
            Reply::bulk("engines"),
            Reply::Map(vec![(
                Reply::bulk("LUA"),
                Reply::Map(vec![
                    (Reply::bulk("libraries_count"), Reply::Int(libs as i64)),
                    (Reply::bulk("functions_count"), Reply::Int(funcs as i64)),
                ]),
            )]),
        ),
    ]))
}
