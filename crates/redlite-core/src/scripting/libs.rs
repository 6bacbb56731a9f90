//! The native half of the script environment: redis.sha1hex, redis.log, the
//! deterministic math.random, and the libraries Redis ships with its Lua — cjson,
//! cmsgpack, bit (LuaBitOp) and struct — written here in Rust with the behaviour of
//! Redis's bundled C libraries for their common API.

use std::sync::atomic::{AtomicU64, Ordering};

use mlua::{LightUserData, Lua, MultiValue, Table, Value, Variadic};

use super::Raise;

/// Redis's version as scripts see it (redis.REDIS_VERSION, REDIS_VERSION_NUM).
const VERSION: &str = "7.0.15";
const VERSION_NUM: i64 = 0x07_00_0f;

/// A library error, raised into the script; its text is the message.
#[derive(Debug)]
struct LibError(String);

impl std::fmt::Display for LibError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LibError {}

fn fail<T>(msg: impl Into<String>) -> mlua::Result<T> {
    Err(mlua::Error::external(LibError(msg.into())))
}

/// lrand48's state for math.random: Redis replaces it with its own lrand48 (rand.c)
/// so every platform draws the same sequence, from the same initial state.
static RAND: AtomicU64 = AtomicU64::new(0x1234_ABCD_330E);

fn lrand48() -> i64 {
    let x = RAND
        .load(Ordering::Relaxed)
        .wrapping_mul(0x5DEECE66D)
        .wrapping_add(0xB)
        & ((1u64 << 48) - 1);
    RAND.store(x, Ordering::Relaxed);
    (x >> 17) as i64
}

/// Raise Redis's error table {err="ERR <msg>"} (luaPushError + luaError).
fn raise<T>(msg: &str) -> mlua::Result<T> {
    Err(mlua::Error::external(Raise(format!("ERR {}", msg))))
}

/// What an error raised from Rust is, for the sandbox's handler and pcall: "table"
/// (a Redis error table's text) or "lib" (a library's message), and the text.
fn error_info(v: Value) -> (&'static str, String) {
    let Value::Error(e) = v else {
        return ("lib", "unknown error".into());
    };
    let mut err: &mlua::Error = &e;
    while let mlua::Error::CallbackError { cause, .. } = err {
        err = cause;
    }
    if let Some(r) = err.downcast_ref::<Raise>() {
        return ("table", r.0.clone());
    }
    if let Some(l) = err.downcast_ref::<LibError>() {
        return ("lib", l.0.clone());
    }
    match err {
        mlua::Error::RuntimeError(m) => ("lib", m.clone()),
        mlua::Error::BadArgument {
            pos, name, cause, ..
        } => {
            let to = name.as_deref().unwrap_or("?");
            (
                "lib",
                format!("bad argument #{} to '{}' ({})", pos, to, cause),
            )
        }
        other => ("lib", other.to_string()),
    }
}

/// The table sandbox.lua receives.
pub fn native(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("version", VERSION)?;
    t.set("version_num", VERSION_NUM)?;
    t.set(
        "error_info",
        lua.create_function(|_, v: Value| Ok(error_info(v)))?,
    )?;
    t.set(
        "acl_check_cmd",
        lua.create_function(|_, args: MultiValue| {
            if args.is_empty() {
                return raise("Please specify at least one argument for this redis lib call");
            }
            let mut argv: Vec<Vec<u8>> = Vec::new();
            for v in args.iter() {
                match v {
                    Value::String(s) => argv.push(s.as_bytes().to_vec()),
                    Value::Integer(i) => argv.push(i.to_string().into_bytes()),
                    Value::Number(n) => argv.push(crate::reply::format_g(*n, 17).into_bytes()),
                    _ => {
                        return raise("Lua redis lib command arguments must be strings or integers")
                    }
                }
            }
            let Some((db, user)) = super::SCRIPT_USER.with(|u| u.borrow().clone()) else {
                return raise("redis.acl_check_cmd can only be called inside a script invocation");
            };
            let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
            match crate::acl::may_run(db.acl(), &user, &argv) {
                Some(allowed) => Ok(allowed),
                None => raise("Invalid command passed to redis.acl_check_cmd()"),
            }
        })?,
    )?;
    t.set(
        "sha1hex",
        lua.create_function(|lua, args: MultiValue| {
            if args.len() != 1 {
                return raise("wrong number of arguments");
            }
            let s = lua.coerce_string(args[0].clone())?;
            Ok(super::sha1hex(
                &s.map(|s| s.as_bytes().to_vec()).unwrap_or_default(),
            ))
        })?,
    )?;
    t.set(
        "log",
        lua.create_function(|lua, args: MultiValue| {
            if args.len() < 2 {
                return raise("redis.log() requires two arguments or more.");
            }
            let Some(level) = lua.coerce_number(args[0].clone())? else {
                return raise("First argument must be a number (log level).");
            };
            if !(0.0..4.0).contains(&level) {
                return raise("Invalid debug level.");
            }
            // redis.log writes to the server's log; redlite keeps none, so the
            // message goes nowhere (as below Redis's verbosity).
            Ok(())
        })?,
    )?;
    t.set(
        "setresp",
        lua.create_function(|lua, args: MultiValue| {
            if args.len() != 1 {
                return raise("redis.setresp() requires one argument.");
            }
            let v = lua.coerce_number(args[0].clone())?.unwrap_or(0.0) as i64;
            if v != 2 && v != 3 {
                return raise("RESP version must be 2 or 3.");
            }
            super::SCRIPT_RESP.with(|r| r.set(v as u8));
            Ok(())
        })?,
    )?;
    t.set(
        "set_repl",
        lua.create_function(|lua, args: MultiValue| {
            if args.len() != 1 {
                return raise("redis.set_repl() requires two arguments.");
            }
            let v = lua.coerce_number(args[0].clone())?.unwrap_or(0.0) as i64;
            if !(0..=3).contains(&v) {
                return raise(
                    "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
                );
            }
            // Accepted: redlite has no replication or AOF to steer.
            Ok(())
        })?,
    )?;
    t.set(
        "random",
        lua.create_function(|_, args: Variadic<Value>| {
            const MAX: i64 = i32::MAX as i64;
            let r = (lrand48() % MAX) as f64 / MAX as f64;
            let int = |v: &Value| -> mlua::Result<i64> {
                match v {
                    Value::Integer(i) => Ok(*i),
                    Value::Number(n) => Ok(*n as i64),
                    Value::String(s) => s
                        .to_str()
                        .ok()
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .map(|n| n as i64)
                        .map_or_else(|| fail("bad argument to 'random' (number expected)"), Ok),
                    _ => fail("bad argument to 'random' (number expected)"),
                }
            };
            match args.len() {
                0 => Ok(r),
                1 => {
                    let u = int(&args[0])?;
                    if u < 1 {
                        return fail("bad argument #1 to 'random' (interval is empty)");
                    }
                    Ok((r * u as f64).floor() + 1.0)
                }
                2 => {
                    let (l, u) = (int(&args[0])?, int(&args[1])?);
                    if l > u {
                        return fail("bad argument #2 to 'random' (interval is empty)");
                    }
                    Ok((r * (u - l + 1) as f64).floor() + l as f64)
                }
                _ => fail("wrong number of arguments"),
            }
        })?,
    )?;
    t.set(
        "randomseed",
        lua.create_function(|_, seed: f64| {
            let seed = seed as i32 as u32 as u64;
            RAND.store((seed << 16) | 0x330E, Ordering::Relaxed);
            Ok(())
        })?,
    )?;
    t.set(
        "check_function",
        lua.create_function(
            |_, (registered, name, flags): (Table, mlua::LuaString, Vec<mlua::LuaString>)| {
                Ok(super::functions::check_function(
                    &registered,
                    &name.as_bytes(),
                    &flags,
                ))
            },
        )?,
    )?;
    t.set("bit", bit(lua)?)?;
    t.set("cjson", cjson(lua)?)?;
    t.set("cmsgpack", cmsgpack(lua)?)?;
    t.set("struct", structlib(lua)?)?;
    Ok(t)
}

// ---- bit (LuaBitOp) ----

/// LuaBitOp's number -> int32: round to nearest, then modulo 2^32.
fn tobit(v: &Value) -> mlua::Result<i32> {
    let n = match v {
        Value::Integer(i) => return Ok(*i as i32),
        Value::Number(n) => *n,
        Value::String(s) => match s.to_str().ok().and_then(|s| s.trim().parse::<f64>().ok()) {
            Some(n) => n,
            None => return fail("bad argument #1 to 'tobit' (number expected, got string)"),
        },
        other => {
            return fail(format!(
                "bad argument #1 (number expected, got {})",
                other.type_name()
            ));
        }
    };
    // The 2^52+2^51 trick of LuaBitOp: the low 32 bits of the rounded value.
    let r = (n + 6755399441055744.0).to_bits() as u32;
    Ok(r as i32)
}

fn bit(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "tobit",
        lua.create_function(|_, v: Value| Ok(tobit(&v)? as f64))?,
    )?;
    t.set(
        "bnot",
        lua.create_function(|_, v: Value| Ok(!tobit(&v)? as f64))?,
    )?;
    fn fold(args: Variadic<Value>, f: fn(i32, i32) -> i32) -> mlua::Result<f64> {
        let mut it = args.iter();
        let Some(first) = it.next() else {
            return fail("bad argument #1 (number expected, got no value)");
        };
        let mut acc = tobit(first)?;
        for v in it {
            acc = f(acc, tobit(v)?);
        }
        Ok(acc as f64)
    }
    t.set(
        "band",
        lua.create_function(|_, a: Variadic<Value>| fold(a, |x, y| x & y))?,
    )?;
    t.set(
        "bor",
        lua.create_function(|_, a: Variadic<Value>| fold(a, |x, y| x | y))?,
    )?;
    t.set(
        "bxor",
        lua.create_function(|_, a: Variadic<Value>| fold(a, |x, y| x ^ y))?,
    )?;
    fn shift(f: fn(i32, u32) -> i32) -> impl Fn(&Lua, (Value, Value)) -> mlua::Result<f64> {
        move |_, (x, n)| Ok(f(tobit(&x)?, (tobit(&n)? & 31) as u32) as f64)
    }
    t.set(
        "lshift",
        lua.create_function(shift(|x, n| ((x as u32) << n) as i32))?,
    )?;
    t.set(
        "rshift",
        lua.create_function(shift(|x, n| ((x as u32) >> n) as i32))?,
    )?;
    t.set("arshift", lua.create_function(shift(|x, n| x >> n))?)?;
    t.set(
        "rol",
        lua.create_function(shift(|x, n| (x as u32).rotate_left(n) as i32))?,
    )?;
    t.set(
        "ror",
        lua.create_function(shift(|x, n| (x as u32).rotate_right(n) as i32))?,
    )?;
    t.set(
        "bswap",
        lua.create_function(|_, x: Value| Ok((tobit(&x)? as u32).swap_bytes() as i32 as f64))?,
    )?;
    t.set(
        "tohex",
        lua.create_function(|_, (x, n): (Value, Option<Value>)| {
            let mut b = tobit(&x)? as u32;
            let mut n = match n {
                Some(v) if !v.is_nil() => tobit(&v)?,
                _ => 8,
            };
            let upper = n < 0;
            if upper {
                n = -n;
            }
            let n = n.clamp(0, 8) as usize;
            let digits: &[u8] = if upper {
                b"0123456789ABCDEF"
            } else {
                b"0123456789abcdef"
            };
            let mut out = vec![b'0'; n];
            for i in (0..n).rev() {
                out[i] = digits[(b & 15) as usize];
                b >>= 4;
            }
            Ok(String::from_utf8_lossy(&out).into_owned())
        })?,
    )?;
    Ok(t)
}

// ---- cjson ----

/// cjson.null: a NULL light userdata, as lua-cjson's.
fn json_null() -> Value {
    Value::LightUserData(LightUserData(std::ptr::null_mut()))
}

fn cjson(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set("null", json_null())?;
    t.set(
        "encode",
        lua.create_function(|lua, v: Value| {
            let mut out = Vec::new();
            json_encode(&v, &mut out, 0)?;
            lua.create_string(out)
        })?,
    )?;
    t.set(
        "decode",
        lua.create_function(|lua, s: mlua::LuaString| {
            let bytes = s.as_bytes();
            let mut p = JsonParser {
                s: &bytes,
                i: 0,
                lua,
                depth: 0,
            };
            p.ws();
            let v = p.value()?;
            p.ws();
            if p.i < p.s.len() {
                return p.err("the end");
            }
            Ok(v)
        })?,
    )?;
    // Configuration calls accepted for compatibility; the defaults stay.
    for name in [
        "encode_keep_buffer",
        "encode_max_depth",
        "decode_max_depth",
        "encode_number_precision",
        "encode_invalid_numbers",
        "decode_invalid_numbers",
        "encode_sparse_array",
    ] {
        t.set(name, lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    }
    Ok(t)
}

fn json_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            c if c < 0x20 || c == 0x7f => out.extend_from_slice(format!("\\u{:04x}", c).as_bytes()),
            c => out.push(c),
        }
    }
    out.push(b'"');
}

fn json_number(n: f64, out: &mut Vec<u8>) -> mlua::Result<()> {
    if n.is_nan() || n.is_infinite() {
        return fail("Cannot serialise number: must not be NaN or Inf");
    }
    out.extend_from_slice(crate::reply::format_g(n, 14).as_bytes());
    Ok(())
}

fn json_encode(v: &Value, out: &mut Vec<u8>, depth: usize) -> mlua::Result<()> {
    match v {
        Value::Nil => out.extend_from_slice(b"null"),
        Value::LightUserData(u) if u.0.is_null() => out.extend_from_slice(b"null"),
        Value::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Number(n) => json_number(*n, out)?,
        Value::String(s) => json_string(&s.as_bytes(), out),
        Value::Table(t) => {
            if depth >= 1000 {
                return fail("Cannot serialise, excessive nesting (1001)");
            }
            match array_length(t)? {
                Some(len) => {
                    out.push(b'[');
                    for i in 1..=len {
                        if i > 1 {
                            out.push(b',');
                        }
                        json_encode(&t.raw_get::<Value>(i)?, out, depth + 1)?;
                    }
                    out.push(b']');
                }
                None => {
                    out.push(b'{');
                    let mut first = true;
                    for pair in t.pairs::<Value, Value>() {
                        let (k, v) = pair?;
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        match &k {
                            Value::String(s) => json_string(&s.as_bytes(), out),
                            Value::Integer(i) => json_string(i.to_string().as_bytes(), out),
                            Value::Number(n) => {
                                let mut s = Vec::new();
                                json_number(*n, &mut s)?;
                                json_string(&s, out);
                            }
                            _ => {
                                return fail(
                                    "Cannot serialise table: table key must be a number or string",
                                )
                            }
                        }
                        out.push(b':');
                        json_encode(&v, out, depth + 1)?;
                    }
                    out.push(b'}');
                }
            }
        }
        other => {
            return fail(format!(
                "Cannot serialise {}: type not supported",
                other.type_name()
            ))
        }
    }
    Ok(())
}

/// lua-cjson's `lua_array_length`: Some(n) for an array (positive integer keys only;
/// an empty table is an object), an error for an excessively sparse one.
fn array_length(t: &Table) -> mlua::Result<Option<usize>> {
    let mut max = 0usize;
    let mut items = 0usize;
    for pair in t.pairs::<Value, Value>() {
        let (k, _) = pair?;
        let n = match k {
            Value::Integer(i) if i >= 1 => i as usize,
            Value::Number(n) if n >= 1.0 && n.fract() == 0.0 => n as usize,
            _ => return Ok(None),
        };
        max = max.max(n);
        items += 1;
    }
    if items == 0 {
        return Ok(None);
    }
    if max > 10 && max > items * 2 {
        return fail("Cannot serialise table: excessively sparse array");
    }
    Ok(Some(max))
}

struct JsonParser<'s> {
    s: &'s [u8],
    i: usize,
    lua: &'s Lua,
    depth: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn err<T>(&self, expected: &str) -> mlua::Result<T> {
        let found = match self.s.get(self.i) {
            None => "T_END",
            Some(b'{') => "T_OBJ_BEGIN",
            Some(b'}') => "T_OBJ_END",
            Some(b'[') => "T_ARR_BEGIN",
            Some(b']') => "T_ARR_END",
            Some(b',') => "T_COMMA",
            Some(b':') => "T_COLON",
            Some(b'"') => "T_STRING",
            _ => "invalid token",
        };
        fail(format!(
            "Expected {} but found {} at character {}",
            expected,
            found,
            self.i + 1
        ))
    }

    fn value(&mut self) -> mlua::Result<Value> {
        self.depth += 1;
        if self.depth > 1000 {
            return fail(format!(
                "Found too many nested data structures (1001) at character {}",
                self.i + 1
            ));
        }
        let v = match self.s.get(self.i) {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.lua.create_string(self.string()?)?),
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Value::Boolean(true)
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Value::Boolean(false)
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                json_null()
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => self.number()?,
            _ => return self.err("value"),
        };
        self.depth -= 1;
        Ok(v)
    }

    fn number(&mut self) -> mlua::Result<Value> {
        let start = self.i;
        while self.i < self.s.len()
            && matches!(
                self.s[self.i],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        match text.parse::<f64>() {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.i = start;
                self.err("value")
            }
        }
    }

    fn string(&mut self) -> mlua::Result<Vec<u8>> {
        let start = self.i;
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                self.i = start;
                return fail(format!(
                    "Expected value but found unexpected end of string at character {}",
                    start + 1
                ));
            };
            self.i += 1;
            match c {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return fail(format!(
                            "Expected value but found invalid escape code at character {}",
                            start + 1
                        ));
                    };
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4(start)?;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4(start)?;
                                cp = 0x10000
                                    + ((cp - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3ff);
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            return fail(format!(
                                "Expected value but found invalid escape code at character {}",
                                start + 1
                            ));
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self, start: usize) -> mlua::Result<u32> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok());
        match h.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => fail(format!(
                "Expected value but found invalid unicode escape code at character {}",
                start + 1
            )),
        }
    }

    fn array(&mut self) -> mlua::Result<Value> {
        self.i += 1;
        let t = self.lua.create_table()?;
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Table(t));
        }
        let mut n = 1;
        loop {
            self.ws();
            let v = self.value()?;
            t.raw_seti(n, v)?;
            n += 1;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Value::Table(t));
                }
                _ => return self.err("comma or array end"),
            }
        }
    }

    fn object(&mut self) -> mlua::Result<Value> {
        self.i += 1;
        let t = self.lua.create_table()?;
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Table(t));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return self.err("object key string");
            }
            let k = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return self.err("colon");
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            t.raw_set(self.lua.create_string(k)?, v)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Value::Table(t));
                }
                _ => return self.err("comma or object end"),
            }
        }
    }
}

// ---- cmsgpack ----

fn cmsgpack(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "pack",
        lua.create_function(|lua, args: Variadic<Value>| {
            if args.is_empty() {
                return fail("MessagePack pack needs input.");
            }
            let mut out = Vec::new();
            for v in args.iter() {
                mp_encode(v, &mut out, 0)?;
            }
            lua.create_string(out)
        })?,
    )?;
    t.set(
        "unpack",
        lua.create_function(|lua, s: mlua::LuaString| {
            let bytes = s.as_bytes();
            let mut d = MpDecoder {
                s: &bytes,
                i: 0,
                lua,
            };
            let mut out = Vec::new();
            while d.i < d.s.len() {
                out.push(d.value(0)?);
            }
            Ok(MultiValue::from_iter(out))
        })?,
    )?;
    Ok(t)
}

fn mp_encode(v: &Value, out: &mut Vec<u8>, depth: usize) -> mlua::Result<()> {
    match v {
        Value::Boolean(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Integer(i) => mp_int(*i, out),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.2e18 {
                mp_int(*n as i64, out)
            } else if (*n as f32) as f64 == *n {
                out.push(0xca);
                out.extend_from_slice(&(*n as f32).to_be_bytes());
            } else {
                out.push(0xcb);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        Value::String(s) => {
            let b = s.as_bytes();
            let len = b.len();
            if len < 32 {
                out.push(0xa0 | len as u8);
            } else if len <= 0xff {
                out.extend_from_slice(&[0xd9, len as u8]);
            } else if len <= 0xffff {
                out.push(0xda);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            } else {
                out.push(0xdb);
                out.extend_from_slice(&(len as u32).to_be_bytes());
            }
            out.extend_from_slice(&b);
        }
        Value::Table(t) if depth < 16 => {
            // lua_cmsgpack: an array when the keys are exactly 1..n.
            let n = t.raw_len();
            let count = t.pairs::<Value, Value>().count();
            if n > 0 && count == n {
                mp_len(n, 0x90, 0xdc, out);
                for i in 1..=n {
                    mp_encode(&t.raw_get::<Value>(i)?, out, depth + 1)?;
                }
            } else {
                mp_len(count, 0x80, 0xde, out);
                for pair in t.pairs::<Value, Value>() {
                    let (k, v) = pair?;
                    mp_encode(&k, out, depth + 1)?;
                    mp_encode(&v, out, depth + 1)?;
                }
            }
        }
        _ => out.push(0xc0),
    }
    Ok(())
}

fn mp_len(n: usize, fix: u8, wide: u8, out: &mut Vec<u8>) {
    if n < 16 {
        out.push(fix | n as u8);
    } else if n <= 0xffff {
        out.push(wide);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(wide + 1);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

fn mp_int(i: i64, out: &mut Vec<u8>) {
    if i >= 0 {
        if i < 128 {
            out.push(i as u8);
        } else if i <= 0xff {
            out.extend_from_slice(&[0xcc, i as u8]);
        } else if i <= 0xffff {
            out.push(0xcd);
            out.extend_from_slice(&(i as u16).to_be_bytes());
        } else if i <= 0xffff_ffff {
            out.push(0xce);
            out.extend_from_slice(&(i as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(i as u64).to_be_bytes());
        }
    } else if i >= -32 {
        out.push(i as i8 as u8);
    } else if i >= -128 {
        out.extend_from_slice(&[0xd0, i as i8 as u8]);
    } else if i >= -32768 {
        out.push(0xd1);
        out.extend_from_slice(&(i as i16).to_be_bytes());
    } else if i >= i32::MIN as i64 {
        out.push(0xd2);
        out.extend_from_slice(&(i as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

struct MpDecoder<'s> {
    s: &'s [u8],
    i: usize,
    lua: &'s Lua,
}

impl MpDecoder<'_> {
    fn take(&mut self, n: usize) -> mlua::Result<&[u8]> {
        if self.i + n > self.s.len() {
            return fail("Missing bytes in input.");
        }
        let b = &self.s[self.i..self.i + n];
        self.i += n;
        Ok(b)
    }

    fn uint(&mut self, n: usize) -> mlua::Result<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | b as u64))
    }

    fn value(&mut self, depth: usize) -> mlua::Result<Value> {
        if depth > 1000 {
            return fail("Bad data format in input.");
        }
        let c = self.take(1)?[0];
        let num = |n: f64| Ok(Value::Number(n));
        match c {
            0x00..=0x7f => num(c as f64),
            0xe0..=0xff => num(c as i8 as f64),
            0xc0 => Ok(Value::Nil),
            0xc2 => Ok(Value::Boolean(false)),
            0xc3 => Ok(Value::Boolean(true)),
            0xcc => num(self.uint(1)? as f64),
            0xcd => num(self.uint(2)? as f64),
            0xce => num(self.uint(4)? as f64),
            0xcf => num(self.uint(8)? as f64),
            0xd0 => num(self.uint(1)? as u8 as i8 as f64),
            0xd1 => num(self.uint(2)? as u16 as i16 as f64),
            0xd2 => num(self.uint(4)? as u32 as i32 as f64),
            0xd3 => num(self.uint(8)? as i64 as f64),
            0xca => num(f32::from_bits(self.uint(4)? as u32) as f64),
            0xcb => num(f64::from_bits(self.uint(8)?)),
            0xa0..=0xbf => self.str((c & 0x1f) as usize),
            0xd9 | 0xc4 => {
                let n = self.uint(1)? as usize;
                self.str(n)
            }
            0xda | 0xc5 => {
                let n = self.uint(2)? as usize;
                self.str(n)
            }
            0xdb | 0xc6 => {
                let n = self.uint(4)? as usize;
                self.str(n)
            }
            0x90..=0x9f => self.array((c & 0x0f) as usize, depth),
            0xdc => {
                let n = self.uint(2)? as usize;
                self.array(n, depth)
            }
            0xdd => {
                let n = self.uint(4)? as usize;
                self.array(n, depth)
            }
            0x80..=0x8f => self.map((c & 0x0f) as usize, depth),
            0xde => {
                let n = self.uint(2)? as usize;
                self.map(n, depth)
            }
            0xdf => {
                let n = self.uint(4)? as usize;
                self.map(n, depth)
            }
            _ => fail("Bad data format in input."),
        }
    }

    fn str(&mut self, n: usize) -> mlua::Result<Value> {
        let b = self.take(n)?.to_vec();
        Ok(Value::String(self.lua.create_string(b)?))
    }

    fn array(&mut self, n: usize, depth: usize) -> mlua::Result<Value> {
        let t = self.lua.create_table()?;
        for i in 1..=n {
            let v = self.value(depth + 1)?;
            t.raw_seti(i, v)?;
        }
        Ok(Value::Table(t))
    }

    fn map(&mut self, n: usize, depth: usize) -> mlua::Result<Value> {
        let t = self.lua.create_table()?;
        for _ in 0..n {
            let k = self.value(depth + 1)?;
            let v = self.value(depth + 1)?;
            if !k.is_nil() {
                t.raw_set(k, v)?;
            }
        }
        Ok(Value::Table(t))
    }
}

// ---- struct ----

/// One item of a struct format: its code and size.
struct Item {
    code: u8,
    size: usize,
}

/// Parse a struct format into (little endian?, items); `!` alignment is accepted
/// but not applied.
fn struct_format(fmt: &[u8]) -> mlua::Result<(bool, Vec<Item>)> {
    let mut little = cfg!(target_endian = "little");
    let mut items = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        let mut num = || {
            let start = i;
            while i < fmt.len() && fmt[i].is_ascii_digit() {
                i += 1;
            }
            std::str::from_utf8(&fmt[start..i])
                .ok()
                .and_then(|s| s.parse::<usize>().ok())
        };
        match c {
            b' ' => {}
            b'<' => little = true,
            b'>' => little = false,
            b'=' => little = cfg!(target_endian = "little"),
            b'!' => {
                num();
            }
            b'b' | b'B' | b'x' => items.push(Item { code: c, size: 1 }),
            b'h' | b'H' => items.push(Item { code: c, size: 2 }),
            b'l' | b'L' | b'T' | b'd' => items.push(Item { code: c, size: 8 }),
            b'f' => items.push(Item { code: c, size: 4 }),
            b'i' | b'I' => {
                let size = num().unwrap_or(4);
                if size == 0 || size > 8 {
                    return fail(format!("integral size {} is larger than limit of 8", size));
                }
                items.push(Item { code: c, size });
            }
            b'c' => {
                let size = num().unwrap_or(1);
                items.push(Item { code: c, size });
            }
            b's' => items.push(Item { code: c, size: 0 }),
            other => return fail(format!("invalid format option '{}'", other as char)),
        }
    }
    Ok((little, items))
}

fn structlib(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "pack",
        lua.create_function(|lua, (fmt, args): (mlua::LuaString, Variadic<Value>)| {
            let (little, items) = struct_format(&fmt.as_bytes())?;
            let mut out = Vec::new();
            let mut args = args.iter();
            for (n, item) in items.iter().enumerate() {
                let arg = n + 2;
                match item.code {
                    b'x' => out.push(0),
                    b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                        let v = match args.next() {
                            Some(Value::Integer(i)) => *i,
                            Some(Value::Number(n)) => *n as i64,
                            _ => {
                                return fail(format!(
                                    "bad argument #{} to 'pack' (number expected)",
                                    arg
                                ))
                            }
                        };
                        let bytes = v.to_le_bytes();
                        let mut b = bytes[..item.size.min(8)].to_vec();
                        if !little {
                            b.reverse();
                        }
                        out.extend_from_slice(&b);
                    }
                    b'f' | b'd' => {
                        let v = match args.next() {
                            Some(Value::Integer(i)) => *i as f64,
                            Some(Value::Number(n)) => *n,
                            _ => {
                                return fail(format!(
                                    "bad argument #{} to 'pack' (number expected)",
                                    arg
                                ))
                            }
                        };
                        let mut b = if item.code == b'f' {
                            (v as f32).to_le_bytes().to_vec()
                        } else {
                            v.to_le_bytes().to_vec()
                        };
                        if !little {
                            b.reverse();
                        }
                        out.extend_from_slice(&b);
                    }
                    b'c' | b's' => {
                        let s = match args.next() {
                            Some(Value::String(s)) => s.as_bytes().to_vec(),
                            Some(Value::Integer(i)) => i.to_string().into_bytes(),
                            Some(Value::Number(n)) => crate::reply::format_g(*n, 14).into_bytes(),
                            _ => {
                                return fail(format!(
                                    "bad argument #{} to 'pack' (string expected)",
                                    arg
                                ))
                            }
                        };
                        if item.code == b's' {
                            out.extend_from_slice(&s);
                            out.push(0);
                        } else {
                            if s.len() < item.size {
                                return fail(format!(
                                    "bad argument #{} to 'pack' (string too short)",
                                    arg
                                ));
                            }
                            out.extend_from_slice(&s[..item.size]);
                        }
                    }
                    _ => {}
                }
            }
            lua.create_string(out)
        })?,
    )?;
    t.set(
        "unpack",
        lua.create_function(
            |lua, (fmt, data, pos): (mlua::LuaString, mlua::LuaString, Option<i64>)| {
                let (little, items) = struct_format(&fmt.as_bytes())?;
                let data = data.as_bytes();
                let mut i = (pos.unwrap_or(1).max(1) - 1) as usize;
                let mut out = Vec::new();
                for item in &items {
                    let need = |i: usize, n: usize| -> mlua::Result<()> {
                        if i + n > data.len() {
                            fail("bad argument #2 to 'unpack' (data string too short)")
                        } else {
                            Ok(())
                        }
                    };
                    match item.code {
                        b'x' => {
                            need(i, 1)?;
                            i += 1;
                        }
                        b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                            need(i, item.size)?;
                            let mut b = data[i..i + item.size].to_vec();
                            if !little {
                                b.reverse();
                            }
                            let mut v: u64 = 0;
                            for (k, byte) in b.iter().enumerate() {
                                v |= (*byte as u64) << (8 * k);
                            }
                            let signed = matches!(item.code, b'b' | b'h' | b'l' | b'i');
                            let n =
                                if signed && item.size < 8 && v & (1 << (8 * item.size - 1)) != 0 {
                                    (v | (!0u64 << (8 * item.size))) as i64 as f64
                                } else if signed {
                                    v as i64 as f64
                                } else {
                                    v as f64
                                };
                            out.push(Value::Number(n));
                            i += item.size;
                        }
                        b'f' | b'd' => {
                            need(i, item.size)?;
                            let mut b = data[i..i + item.size].to_vec();
                            if !little {
                                b.reverse();
                            }
                            let n = if item.code == b'f' {
                                f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64
                            } else {
                                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                            };
                            out.push(Value::Number(n));
                            i += item.size;
                        }
                        b'c' => {
                            need(i, item.size)?;
                            out.push(Value::String(lua.create_string(&data[i..i + item.size])?));
                            i += item.size;
                        }
                        b's' => {
                            let Some(end) = data[i.min(data.len())..].iter().position(|&c| c == 0)
                            else {
                                return fail("unfinished string in data");
                            };
                            out.push(Value::String(lua.create_string(&data[i..i + end])?));
                            i += end + 1;
                        }
                        _ => {}
                    }
                }
                out.push(Value::Number((i + 1) as f64));
                Ok(MultiValue::from_iter(out))
            },
        )?,
    )?;
    t.set(
        "size",
        lua.create_function(|_, fmt: mlua::LuaString| {
            let (_, items) = struct_format(&fmt.as_bytes())?;
            if items.iter().any(|i| i.code == b's') {
                return fail("options 'c0' - 's' have undefined sizes");
            }
            Ok(items.iter().map(|i| i.size).sum::<usize>() as f64)
        })?,
    )?;
    Ok(t)
}
