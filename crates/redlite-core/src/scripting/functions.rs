//! FUNCTION libraries: loaded into the VM, kept in the `functions` table (migration
//! 0004) so they survive a restart as Redis's survive in its RDB, and dumped by
//! FUNCTION DUMP in redlite's own payload format (Redis's is RDB-specific):
//!
//! ```text
//! "RLFUNC1\n"  then, per library:  u32 big-endian length, the library's code
//! ```
//!
//! followed by the payload's SHA1 (20 bytes) over everything before it.

use std::collections::{BTreeMap, HashMap};

use mlua::{Function, Table, Value};
use rusqlite::{params, Connection};

use super::{lua_err, syntax_message, ScriptFlags, Vm};
use crate::error::{Error, Result};

const DUMP_MAGIC: &[u8] = b"RLFUNC1\n";

/// One function of a library.
pub struct FunctionDef {
    pub name: String,
    pub description: Option<Vec<u8>>,
    pub flags: ScriptFlags,
    pub(crate) func: Function,
}

/// One loaded library.
pub struct Library {
    pub name: String,
    pub code: Vec<u8>,
    pub functions: Vec<FunctionDef>,
}

/// The loaded libraries, and which library has each function.
#[derive(Default)]
pub struct Libraries {
    pub libs: BTreeMap<String, Library>,
    index: HashMap<String, String>,
}

impl Libraries {
    /// The function `name` and its library.
    pub fn function(&self, name: &str) -> Option<&FunctionDef> {
        let lib = self.index.get(name)?;
        self.libs
            .get(lib)?
            .functions
            .iter()
            .find(|f| f.name == name)
    }

    fn insert(&mut self, lib: Library) {
        for f in &lib.functions {
            self.index.insert(f.name.clone(), lib.name.clone());
        }
        self.libs.insert(lib.name.clone(), lib);
    }

    pub fn remove(&mut self, name: &str) -> Option<Library> {
        let lib = self.libs.remove(name)?;
        for f in &lib.functions {
            self.index.remove(&f.name);
        }
        Some(lib)
    }

    pub fn clear(&mut self) {
        self.libs.clear();
        self.index.clear();
    }
}

/// Redis's `functionsVerifyName`: letters, digits and underscores, at least one.
fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

const NAME_ERROR: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// register_function's checks (Redis's `functionLibCreateFunction`): an error text
/// for the script, or None.
pub fn check_function(
    registered: &Table,
    name: &[u8],
    flags: &[mlua::LuaString],
) -> Option<String> {
    if !valid_name(name) {
        return Some(NAME_ERROR.into());
    }
    for entry in registered.sequence_values::<Table>().flatten() {
        if let Ok(Value::String(s)) = entry.raw_get::<Value>("name") {
            if *s.as_bytes() == *name {
                return Some("Function already exists in the library".into());
            }
        }
    }
    let mut f = ScriptFlags::default();
    for flag in flags {
        if !f.set(&flag.to_string_lossy()) {
            return Some("unknown flag given".into());
        }
    }
    None
}

/// Redis's `functionExtractLibMetaData`: the engine and the library's name.
fn metadata(code: &[u8]) -> Result<(String, String, usize)> {
    if !code.starts_with(b"#!") {
        return Err(Error::redis("ERR Missing library metadata"));
    }
    let Some(end) = code.iter().position(|&c| c == b'\n') else {
        return Err(Error::redis("ERR Invalid library metadata"));
    };
    let line = String::from_utf8_lossy(&code[..end]);
    let parts: Vec<&str> = line.split_ascii_whitespace().collect();
    let Some(first) = parts.first() else {
        return Err(Error::redis("ERR Invalid library metadata"));
    };
    let engine = first[2..].to_string();
    let mut name: Option<String> = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case("name=") {
            if name.is_some() {
                return Err(Error::redis(
                    "ERR Invalid metadata value, name argument was given multiple times",
                ));
            }
            name = Some(part[5..].to_string());
            continue;
        }
        return Err(Error::redis(format!(
            "ERR Invalid metadata value given: {}",
            part
        )));
    }
    let Some(name) = name else {
        return Err(Error::redis("ERR Library name was not given"));
    };
    Ok((engine, name, end))
}

impl Vm {
    /// Compile and run a library's code, collecting its functions (not yet installed).
    fn compile_library(&self, code: &[u8]) -> Result<Library> {
        let (engine, name, shebang) = metadata(code)?;
        if !engine.eq_ignore_ascii_case("lua") {
            return Err(Error::redis(format!("ERR Engine '{}' not found", engine)));
        }
        if !valid_name(name.as_bytes()) {
            return Err(Error::redis(format!("ERR {}", NAME_ERROR)));
        }
        let env: Table = self.hooks.get("func_env").map_err(lua_err)?;
        let chunk = self
            .lua
            .load(&code[shebang..])
            .set_name("@user_function")
            .set_environment(env)
            .into_function()
            .map_err(|e| {
                Error::redis(format!(
                    "ERR Error compiling function: {}",
                    syntax_message(&e)
                ))
            })?;
        let loader: Function = self.hooks.get("load_library").map_err(lua_err)?;
        let (ok, got): (bool, Value) = loader.call(chunk).map_err(lua_err)?;
        if !ok {
            let msg = match &got {
                Value::Table(t) => match t.raw_get::<Value>("err") {
                    Ok(Value::String(s)) => s.to_string_lossy(),
                    _ => "ERR unknown error".into(),
                },
                _ => "ERR unknown error".into(),
            };
            return Err(Error::redis(format!(
                "ERR Error registering functions: {}",
                msg
            )));
        }
        let Value::Table(list) = got else {
            return Err(Error::redis("ERR No functions registered"));
        };
        let mut functions = Vec::new();
        for entry in list.sequence_values::<Table>() {
            let entry = entry.map_err(lua_err)?;
            let fname: mlua::LuaString = entry.get("name").map_err(lua_err)?;
            let func: Function = entry.get("callback").map_err(lua_err)?;
            let description: Option<mlua::LuaString> = entry.get("description").map_err(lua_err)?;
            let flag_names: Vec<mlua::LuaString> = entry.get("flags").map_err(lua_err)?;
            let mut flags = ScriptFlags::default();
            for f in flag_names {
                flags.set(&f.to_string_lossy());
            }
            functions.push(FunctionDef {
                name: fname.to_string_lossy(),
                description: description.map(|d| d.as_bytes().to_vec()),
                flags,
                func,
            });
        }
        if functions.is_empty() {
            return Err(Error::redis("ERR No functions registered"));
        }
        Ok(Library {
            name,
            code: code.to_vec(),
            functions,
        })
    }

    /// FUNCTION LOAD: install a library (replacing one of the same name if `replace`);
    /// its name.
    pub(crate) fn load_library(&mut self, code: &[u8], replace: bool) -> Result<String> {
        let lib = self.compile_library(code)?;
        self.install(lib, replace)
    }

    fn install(&mut self, lib: Library, replace: bool) -> Result<String> {
        if self.libraries.libs.contains_key(&lib.name) && !replace {
            return Err(Error::redis(format!(
                "ERR Library '{}' already exists",
                lib.name
            )));
        }
        for f in &lib.functions {
            if let Some(owner) = self.libraries.index.get(&f.name) {
                if *owner != lib.name {
                    return Err(Error::redis(format!(
                        "ERR Function {} already exists",
                        f.name
                    )));
                }
            }
        }
        let name = lib.name.clone();
        self.libraries.remove(&name);
        self.libraries.insert(lib);
        Ok(name)
    }
}

/// Compile the libraries stored in the database into a new VM.
pub(crate) fn load_stored(vm: &mut Vm, conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT code FROM functions ORDER BY name")?;
    let codes: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for code in codes {
        // A library that no longer compiles (it cannot, but the file could be edited)
        // is skipped rather than making every script fail.
        if let Ok(lib) = vm.compile_library(&code) {
            let _ = vm.install(lib, true);
        }
    }
    Ok(())
}

pub(crate) fn store(conn: &Connection, name: &str, code: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO functions (name, code) VALUES (?1, ?2)")?
        .execute(params![name, code])?;
    Ok(())
}

pub(crate) fn unstore(conn: &Connection, name: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM functions WHERE name = ?1")?
        .execute([name])?;
    Ok(())
}

pub(crate) fn unstore_all(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM functions")?.execute([])?;
    Ok(())
}

/// FUNCTION DUMP's payload of the loaded libraries.
pub(crate) fn dump(libs: &Libraries) -> Vec<u8> {
    let mut out = DUMP_MAGIC.to_vec();
    for lib in libs.libs.values() {
        out.extend_from_slice(&(lib.code.len() as u32).to_be_bytes());
        out.extend_from_slice(&lib.code);
    }
    let digest = sha1_smol::Sha1::from(&out).digest().bytes();
    out.extend_from_slice(&digest);
    out
}

/// The libraries' code in a FUNCTION DUMP payload, or Redis's error for a bad one.
pub(crate) fn parse_dump(payload: &[u8]) -> Result<Vec<Vec<u8>>> {
    let bad = || Error::redis("ERR DUMP payload version or checksum are wrong");
    if payload.len() < DUMP_MAGIC.len() + 20 || !payload.starts_with(DUMP_MAGIC) {
        return Err(bad());
    }
    let (body, digest) = payload.split_at(payload.len() - 20);
    if sha1_smol::Sha1::from(body).digest().bytes() != digest {
        return Err(bad());
    }
    let mut rest = &body[DUMP_MAGIC.len()..];
    let mut codes = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(bad());
        }
        let n = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if rest.len() < 4 + n {
            return Err(bad());
        }
        codes.push(rest[4..4 + n].to_vec());
        rest = &rest[4 + n..];
    }
    Ok(codes)
}

/// FUNCTION RESTORE: install the payload's libraries with `policy` (FLUSH, APPEND or
/// REPLACE), all or none, and store them.
pub(crate) fn restore(
    vm: &mut Vm,
    conn: &Connection,
    codes: Vec<Vec<u8>>,
    policy: &str,
) -> Result<()> {
    let mut compiled = Vec::new();
    for code in &codes {
        compiled.push(vm.compile_library(code)?);
    }
    let mut staged: BTreeMap<String, &Library> = BTreeMap::new();
    if policy != "flush" {
        for lib in &compiled {
            if vm.libraries.libs.contains_key(&lib.name) && policy == "append" {
                return Err(Error::redis(format!(
                    "ERR Library {} already exists",
                    lib.name
                )));
            }
        }
    }
    // Function names must stay unique across the libraries that will be there.
    let mut owners: HashMap<&str, &str> = HashMap::new();
    if policy != "flush" {
        for lib in vm.libraries.libs.values() {
            if compiled.iter().any(|c| c.name == lib.name) {
                continue;
            }
            for f in &lib.functions {
                owners.insert(&f.name, &lib.name);
            }
        }
    }
    for lib in &compiled {
        for f in &lib.functions {
            if let Some(owner) = owners.insert(&f.name, &lib.name) {
                if owner != lib.name {
                    return Err(Error::redis(format!(
                        "ERR Function {} already exists",
                        f.name
                    )));
                }
            }
        }
        staged.insert(lib.name.clone(), lib);
    }
    if policy == "flush" {
        vm.libraries.clear();
        unstore_all(conn)?;
    }
    for lib in compiled {
        store(conn, &lib.name, &lib.code)?;
        let name = lib.name.clone();
        vm.libraries.remove(&name);
        vm.libraries.insert(lib);
    }
    Ok(())
}
