//! Pub/sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE,
//! SUNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. The broker is pubsub.rs.
//!
//! A (un)subscribe command answers with one confirmation per channel. A command has
//! one reply, so the confirmations but the last go to the client's outbox, which the
//! front end always delivers before the command's reply: the client reads them in
//! order, as Redis writes them.

use crate::command::args::Args;
use crate::command::help;
use crate::command::keyspec::NOT_KEY;
use crate::command::{run_subcommand, Ctx, KeySpec, Spec};
use crate::error::{Error, Result};
use crate::pubsub::Kind;
use crate::reply::Reply;

const SUB_FLAGS: &[&str] = &["pubsub", "noscript", "loading", "stale"];
const SUB_ACL: &[&str] = &["pubsub", "slow"];
const SHARD_KEYS: &[KeySpec] = &[KeySpec::new(NOT_KEY).index(1).range(-1, 1, 0)];

const INFO_FLAGS: &[&str] = &["pubsub", "loading", "stale"];
const INFO_ACL: &[&str] = &["pubsub", "slow"];

const PUBSUB: &[Spec] = &[
    Spec::nodb("pubsub|help", 2, pubsub_help)
        .flags(&["loading", "stale"])
        .acl(&["slow"])
        .doc(
            "pubsub",
            "6.2.0",
            "Show helpful text about the different subcommands",
            "PUBSUB HELP",
        )
        .complexity("O(1)"),
    Spec::nodb("pubsub|numpat", 2, pubsub_numpat)
        .flags(INFO_FLAGS)
        .acl(INFO_ACL)
        .doc(
            "pubsub",
            "2.8.0",
            "Get the count of unique patterns pattern subscriptions",
            "PUBSUB NUMPAT",
        )
        .complexity("O(1)"),
    Spec::nodb("pubsub|channels", -2, pubsub_channels)
        .flags(INFO_FLAGS)
        .acl(INFO_ACL)
        .doc("pubsub", "2.8.0", "List active channels", "PUBSUB CHANNELS [pattern]")
        .complexity(
            "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        ),
    Spec::nodb("pubsub|shardchannels", -2, pubsub_shardchannels)
        .flags(INFO_FLAGS)
        .acl(INFO_ACL)
        .doc(
            "pubsub",
            "7.0.0",
            "List active shard channels",
            "PUBSUB SHARDCHANNELS [pattern]",
        )
        .complexity(
            "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        ),
    Spec::nodb("pubsub|shardnumsub", -2, pubsub_shardnumsub)
        .flags(INFO_FLAGS)
        .acl(INFO_ACL)
        .doc(
            "pubsub",
            "7.0.0",
            "Get the count of subscribers for shard channels",
            "PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]",
        )
        .complexity(
            "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        ),
    Spec::nodb("pubsub|numsub", -2, pubsub_numsub)
        .flags(INFO_FLAGS)
        .acl(INFO_ACL)
        .doc(
            "pubsub",
            "2.8.0",
            "Get the count of subscribers for channels",
            "PUBSUB NUMSUB [channel [channel ...]]",
        )
        .complexity(
            "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        ),
];

/// The commands a RESP2 client may run while subscribed (Redis's processCommand).
pub(crate) fn allowed_while_subscribed(spec: &Spec) -> bool {
    matches!(
        spec.name,
        "ping"
            | "subscribe"
            | "ssubscribe"
            | "unsubscribe"
            | "sunsubscribe"
            | "psubscribe"
            | "punsubscribe"
            | "quit"
            | "reset"
    )
}

/// The error a RESP2 client gets for any other command while subscribed.
pub(crate) fn not_allowed_while_subscribed(fullname: &str) -> Error {
    Error::redis(format!(
        "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        fullname
    ))
}

/// Hand the confirmations to the client: all but the last through its outbox, the
/// last as the command's reply (see the module documentation).
fn confirm(ctx: &mut Ctx<'_>, mut replies: Vec<Reply>, total: usize) -> Result<Reply> {
    ctx.session.pubsub.subscriptions = total;
    let (channels, patterns, shard) = ctx.db.pubsub().counts(ctx.session.id);
    ctx.session
        .pubsub
        .outbox
        .set_subscriptions(channels, patterns, shard);
    let last = replies.pop().unwrap_or(Reply::NilArray);
    for r in replies {
        ctx.session.pubsub.outbox.push(r);
    }
    Ok(last)
}

fn sub(ctx: &mut Ctx<'_>, args: &mut Args<'_>, kind: Kind) -> Result<Reply> {
    let names = args.rest();
    let outbox = ctx.session.pubsub.outbox.clone();
    let (replies, total) = ctx
        .db
        .pubsub()
        .subscribe(kind, ctx.session.id, &outbox, names);
    confirm(ctx, replies, total)
}

fn unsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>, kind: Kind) -> Result<Reply> {
    let names = args.rest();
    let (replies, total) = ctx.db.pubsub().unsubscribe(kind, ctx.session.id, names);
    confirm(ctx, replies, total)
}

/// SUBSCRIBE channel [channel ...]
fn subscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    sub(ctx, args, Kind::Channel)
}

/// UNSUBSCRIBE [channel [channel ...]]
fn unsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    unsub(ctx, args, Kind::Channel)
}

/// PSUBSCRIBE pattern [pattern ...]
fn psubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    sub(ctx, args, Kind::Pattern)
}

/// PUNSUBSCRIBE [pattern [pattern ...]]
fn punsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    unsub(ctx, args, Kind::Pattern)
}

/// SSUBSCRIBE shardchannel [shardchannel ...]
fn ssubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    sub(ctx, args, Kind::Shard)
}

/// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
fn sunsubscribe(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    unsub(ctx, args, Kind::Shard)
}

/// PUBLISH channel message
fn publish(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (channel, message) = (args.bytes()?, args.bytes()?);
    Ok(Reply::Int(ctx.db.pubsub().publish(channel, message)))
}

/// SPUBLISH shardchannel message
fn spublish(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (channel, message) = (args.bytes()?, args.bytes()?);
    Ok(Reply::Int(ctx.db.pubsub().spublish(channel, message)))
}

/// PUBSUB HELP
fn pubsub_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "PUBSUB",
        &[
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ],
    ))
}

/// PUBSUB NUMPAT
fn pubsub_numpat(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(ctx.db.pubsub().numpat()))
}

fn channels(ctx: &mut Ctx<'_>, args: &mut Args<'_>, kind: Kind, sub: &str) -> Result<Reply> {
    if args.remaining() > 1 {
        return Err(Error::redis(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try PUBSUB HELP.",
            sub
        )));
    }
    let pattern = args.next();
    let list = ctx.db.pubsub().channels(kind, pattern);
    Ok(Reply::Array(list.into_iter().map(Reply::Bulk).collect()))
}

/// PUBSUB CHANNELS [pattern]
fn pubsub_channels(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    channels(ctx, args, Kind::Channel, "CHANNELS")
}

/// PUBSUB SHARDCHANNELS [pattern]
fn pubsub_shardchannels(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    channels(ctx, args, Kind::Shard, "SHARDCHANNELS")
}

fn numsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>, kind: Kind) -> Result<Reply> {
    let broker = ctx.db.pubsub();
    let mut out = Vec::with_capacity(args.remaining() * 2);
    for &channel in args.rest() {
        out.push(Reply::bulk(channel));
        out.push(Reply::Int(broker.numsub(kind, channel)));
    }
    Ok(Reply::Array(out))
}

/// PUBSUB NUMSUB [channel [channel ...]]
fn pubsub_numsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    numsub(ctx, args, Kind::Channel)
}

/// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
fn pubsub_shardnumsub(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    numsub(ctx, args, Kind::Shard)
}

/// Refuse a command a RESP2 client may not run while subscribed; the error names it
/// as Redis does ("get", "config|get").
pub(crate) fn check_context(spec: &'static Spec, rest: &[&[u8]]) -> Result<()> {
    if allowed_while_subscribed(spec) {
        return Ok(());
    }
    let fullname = match rest.first().and_then(|sub| spec.subcommand(sub)) {
        // A wrong count or an unknown subcommand: its own error comes first, as in Redis.
        Some(sub) if !sub.arity_ok(rest.len() + 1) => return Ok(()),
        Some(sub) => sub.name,
        None if !spec.subcommands.is_empty() => return Ok(()),
        None => spec.name,
    };
    Err(not_allowed_while_subscribed(fullname))
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("subscribe", -2, subscribe)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "2.0.0",
            "Listen for messages published to the given channels",
            "SUBSCRIBE channel [channel ...]",
        )
        .complexity("O(N) where N is the number of channels to subscribe to."),
    Spec::nodb("unsubscribe", -1, unsubscribe)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "2.0.0",
            "Stop listening for messages posted to the given channels",
            "UNSUBSCRIBE [channel [channel ...]]",
        )
        .complexity("O(N) where N is the number of clients already subscribed to a channel."),
    Spec::nodb("psubscribe", -2, psubscribe)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "2.0.0",
            "Listen for messages published to channels matching the given patterns",
            "PSUBSCRIBE pattern [pattern ...]",
        )
        .complexity("O(N) where N is the number of patterns the client is already subscribed to."),
    Spec::nodb("punsubscribe", -1, punsubscribe)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "2.0.0",
            "Stop listening for messages posted to channels matching the given patterns",
            "PUNSUBSCRIBE [pattern [pattern ...]]",
        )
        .complexity(
            "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
        ),
    Spec::nodb("publish", 3, publish)
        .flags(&["pubsub", "loading", "stale", "fast"])
        .acl(&["pubsub", "fast"])
        .doc("pubsub", "2.0.0", "Post a message to a channel", "PUBLISH channel message")
        .complexity(
            "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        ),
    Spec::nodb("pubsub", -2, run_subcommand)
        .acl(&["slow"])
        .subcommands(PUBSUB)
        .doc("pubsub", "2.8.0", "A container for Pub/Sub commands", "PUBSUB")
        .complexity("Depends on subcommand."),
    Spec::nodb("ssubscribe", -2, ssubscribe)
        .keys(1, -1, 1)
        .key_specs(SHARD_KEYS)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "7.0.0",
            "Listen for messages published to the given shard channels",
            "SSUBSCRIBE shardchannel [shardchannel ...]",
        )
        .complexity("O(N) where N is the number of shard channels to subscribe to."),
    Spec::nodb("sunsubscribe", -1, sunsubscribe)
        .keys(1, -1, 1)
        .key_specs(SHARD_KEYS)
        .flags(SUB_FLAGS)
        .acl(SUB_ACL)
        .doc(
            "pubsub",
            "7.0.0",
            "Stop listening for messages posted to the given shard channels",
            "SUNSUBSCRIBE [shardchannel [shardchannel ...]]",
        )
        .complexity(
            "O(N) where N is the number of clients already subscribed to a shard channel.",
        ),
    Spec::nodb("spublish", 3, spublish)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(NOT_KEY).index(1).range(0, 1, 0)])
        .flags(&["pubsub", "loading", "stale", "fast"])
        .acl(&["pubsub", "fast"])
        .doc(
            "pubsub",
            "7.0.0",
            "Post a message to a shard channel",
            "SPUBLISH shardchannel message",
        )
        .complexity(
            "O(N) where N is the number of clients subscribed to the receiving shard channel.",
        ),
];
