//! Replies to Lua values and back, with Redis 7.0's rules (script_lua.c).
//!
//! Command reply -> Lua (what redis.call returns), as the script's RESP version sees
//! it: integer -> number, bulk -> string, nil -> false (RESP2) or nil (RESP3), status
//! -> {ok=...}, error -> {err=...}, array -> table; RESP3 adds {double=}, {map=},
//! {set=}, booleans and {verbatim_string=}.
//!
//! Lua -> reply (what a script returns): string -> bulk, number -> integer (truncated),
//! true -> 1, false -> nil, a table with `err` -> error, with `ok` -> status, else an
//! array up to the first nil; anything else -> nil.

use mlua::{Lua, Table, Value};

use crate::reply::{format_double, format_human, human_value, Reply};

/// luaPushErrorBuff: an error reply's text as the table {err="CODE msg"}.
pub fn error_table(lua: &Lua, text: &[u8]) -> mlua::Result<Table> {
    let (code, msg): (&[u8], &[u8]) = match text.iter().position(|&c| c == b' ') {
        Some(space) => (&text[..space], &text[space + 1..]),
        None => (b"ERR", text),
    };
    let is_crlf = |c: &u8| *c == b'\r' || *c == b'\n';
    let start = msg.iter().position(|c| !is_crlf(c)).unwrap_or(msg.len());
    let end = msg
        .iter()
        .rposition(|c| !is_crlf(c))
        .map_or(start, |i| i + 1);
    let mut err = code.to_vec();
    err.push(b' ');
    err.extend_from_slice(&msg[start..end]);
    let t = lua.create_table()?;
    t.raw_set("err", lua.create_string(&err)?)?;
    Ok(t)
}

/// A command's reply as redis.call returns it to a script speaking `resp`.
pub fn reply_to_lua(lua: &Lua, reply: Reply, resp: u8) -> mlua::Result<Value> {
    let resp3 = resp == 3;
    Ok(match reply {
        Reply::Nil | Reply::NilArray => {
            if resp3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::Simple(s) => {
            let t = lua.create_table()?;
            t.raw_set("ok", lua.create_string(s)?)?;
            Value::Table(t)
        }
        Reply::Error(e) => Value::Table(error_table(lua, &e)?),
        Reply::Int(i) => Value::Number(i as f64),
        Reply::Bulk(b) => Value::String(lua.create_string(b)?),
        Reply::Verbatim(format, b) => {
            if resp3 {
                let inner = lua.create_table()?;
                inner.raw_set("string", lua.create_string(b)?)?;
                inner.raw_set("format", format)?;
                let t = lua.create_table()?;
                t.raw_set("verbatim_string", inner)?;
                Value::Table(t)
            } else {
                Value::String(lua.create_string(b)?)
            }
        }
        Reply::Double(d) => {
            if resp3 {
                let t = lua.create_table()?;
                t.raw_set("double", d)?;
                Value::Table(t)
            } else {
                Value::String(lua.create_string(format_double(d))?)
            }
        }
        Reply::HumanDouble(d) => {
            if resp3 {
                let t = lua.create_table()?;
                t.raw_set("double", human_value(d))?;
                Value::Table(t)
            } else {
                Value::String(lua.create_string(format_human(d))?)
            }
        }
        Reply::Bool(b) => {
            if resp3 {
                Value::Boolean(b)
            } else {
                Value::Number(if b { 1.0 } else { 0.0 })
            }
        }
        Reply::Array(items) | Reply::Push(items) => array(lua, items, resp)?,
        Reply::Set(items) => {
            if resp3 {
                let set = lua.create_table()?;
                for item in items {
                    set.raw_set(reply_to_lua(lua, item, resp)?, true)?;
                }
                let t = lua.create_table()?;
                t.raw_set("set", set)?;
                Value::Table(t)
            } else {
                array(lua, items, resp)?
            }
        }
        Reply::Map(pairs) => {
            if resp3 {
                let map = lua.create_table()?;
                for (k, v) in pairs {
                    map.raw_set(reply_to_lua(lua, k, resp)?, reply_to_lua(lua, v, resp)?)?;
                }
                let t = lua.create_table()?;
                t.raw_set("map", map)?;
                Value::Table(t)
            } else {
                let flat = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
                array(lua, flat, resp)?
            }
        }
    })
}

fn array(lua: &Lua, items: Vec<Reply>, resp: u8) -> mlua::Result<Value> {
    let t = lua.create_table_with_capacity(items.len(), 0)?;
    for (i, item) in items.into_iter().enumerate() {
        t.raw_seti(i + 1, reply_to_lua(lua, item, resp)?)?;
    }
    Ok(Value::Table(t))
}

fn bytes(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        _ => None,
    }
}

/// A script's return value as the reply to its caller (`resp`: redis.setresp's).
pub fn lua_to_reply(value: &Value, resp: u8) -> Reply {
    lua_to_reply_depth(value, resp, 0)
}

fn lua_to_reply_depth(value: &Value, resp: u8, depth: usize) -> Reply {
    if depth > 1000 {
        return Reply::Error("ERR reached lua stack limit".into());
    }
    match value {
        Value::String(s) => Reply::Bulk(s.as_bytes().to_vec()),
        Value::Boolean(b) => {
            if resp == 3 {
                Reply::Bool(*b)
            } else if *b {
                Reply::Int(1)
            } else {
                Reply::Nil
            }
        }
        Value::Integer(i) => Reply::Int(*i),
        Value::Number(n) => Reply::Int(double_to_i64(*n)),
        Value::Table(t) => table_to_reply(t, resp, depth),
        _ => Reply::Nil,
    }
}

/// C's `(long long)` cast of a double, as Redis converts Lua numbers (truncation;
/// out of range and NaN give what x86-64 gives: i64::MIN).
fn double_to_i64(n: f64) -> i64 {
    // 2^63, exactly: i64's range is [-2^63, 2^63).
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if n.is_nan() || !(-TWO_63..TWO_63).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

fn table_to_reply(t: &Table, resp: u8, depth: usize) -> Reply {
    let get = |k: &str| t.raw_get::<Value>(k).unwrap_or(Value::Nil);
    if let Some(err) = bytes(&get("err")) {
        return Reply::Error(crate::error::msg::one_line(err));
    }
    if let Some(ok) = bytes(&get("ok")) {
        return Reply::Simple(String::from_utf8_lossy(&ok).replace(['\r', '\n'], " "));
    }
    match get("double") {
        Value::Number(d) => return Reply::Double(d),
        Value::Integer(i) => return Reply::Double(i as f64),
        _ => {}
    }
    if let Some(big) = bytes(&get("big_number")) {
        return Reply::Bulk(big);
    }
    if let Value::Table(v) = get("verbatim_string") {
        if let (Some(format), Some(s)) = (
            bytes(&v.raw_get::<Value>("format").unwrap_or(Value::Nil)),
            bytes(&v.raw_get::<Value>("string").unwrap_or(Value::Nil)),
        ) {
            let format = if format == b"mkd" { "mkd" } else { "txt" };
            return Reply::Verbatim(format, s);
        }
    }
    if let Value::Table(m) = get("map") {
        let mut pairs = Vec::new();
        for (k, v) in m.pairs::<Value, Value>().flatten() {
            pairs.push((
                lua_to_reply_depth(&k, resp, depth + 1),
                lua_to_reply_depth(&v, resp, depth + 1),
            ));
        }
        return Reply::Map(pairs);
    }
    if let Value::Table(s) = get("set") {
        let mut items = Vec::new();
        for (k, _) in s.pairs::<Value, Value>().flatten() {
            items.push(lua_to_reply_depth(&k, resp, depth + 1));
        }
        return Reply::Set(items);
    }
    let mut items = Vec::new();
    let mut i = 1;
    loop {
        let v: Value = t.raw_get(i).unwrap_or(Value::Nil);
        if v.is_nil() {
            break;
        }
        items.push(lua_to_reply_depth(&v, resp, depth + 1));
        i += 1;
    }
    Reply::Array(items)
}
