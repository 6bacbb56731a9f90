//! Generic key commands.

use crate::command::{Args, Ctx, Spec};
use crate::error::Result;
use crate::keyspace;
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[
    Spec::write("del", -2, del)
        .keys(1, -1, 1)
        .flags(&["write"])
        .acl(&["keyspace", "write", "slow"])
        .doc("generic", "1.0.0", "Deletes one or more keys.", "DEL key [key ...]"),
    Spec::read("exists", -2, exists)
        .keys(1, -1, 1)
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .doc("generic", "1.0.0", "Determines whether one or more keys exist.", "EXISTS key [key ...]"),
];

/// DEL key [key ...]
fn del(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut n = 0;
    for key in args.rest() {
        if keyspace::delete_key(s, key)? {
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}

/// EXISTS key [key ...]
fn exists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut n = 0;
    for key in args.rest() {
        if keyspace::lookup(s, key)?.is_some() {
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}
