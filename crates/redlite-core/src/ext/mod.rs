//! Extensions: what redlite adds beyond the core Redis types, as Redis modules are to
//! Redis. The core (command/, types/, keyspace.rs, schema/) names no extension; it
//! asks this module, which knows them all through one list, `EXTENSIONS`.
//!
//! # The shape of an extension
//!
//! One folder, `ext/<name>/`, holding everything of the extension: its commands (a
//! `&'static [Spec]` table, handlers first, as a family file of command/), its storage
//! and SQL, its migrations, its key type and its tests. It exposes one
//! `pub const EXTENSION: Extension`, listed in `EXTENSIONS` below behind a cargo
//! feature of its own (default on), so a small build (the mobile SDKs) can leave it
//! out: `cargo build --no-default-features --features ...`.
//!
//! A folder, not a crate: an extension's handlers use the same `Ctx`, `Args`,
//! `keyspace` and `types` helpers as the core families, and a crate boundary would
//! make all of them public API and add a crate to every build for no isolation the
//! module system and the rule below don't already give. A cargo feature gives the
//! small build what a crate would.
//!
//! What an `Extension` gives the engine:
//! - `commands`: merged into the command table (`command::all`), so COMMAND, ACL
//!   categories, docs/commands.md, MULTI, scripts and every front end see them;
//! - `migrations`: its own chain of SQL steps, recorded under its name in the
//!   `redlite_migrations` table, so an extension adds tables without taking numbers
//!   from the core's chain (`schema/`, `PRAGMA user_version`) or from another
//!   extension;
//! - `types`: its key types (`KeyTypeDef`), each a code stored in `keys.type` and a
//!   name for TYPE, SCAN ... TYPE and OBJECT ENCODING, with the tables that hold its
//!   contents and the hooks that make them follow their key (below);
//! - `events`: the keyspace event each of its write commands raises on the keys it
//!   changed (notify-keyspace-events, see command/events.rs);
//! - `module`: its entry in INFO `# Modules` and HELLO's `modules` (a Redis module's
//!   name and version that clients such as redis-py look for), if it stands in for
//!   one.
//!
//! An extension whose keys are core types (GEO's sorted sets, HyperLogLog's strings)
//! gives only `commands` (and `events`): `Extension::commands_only`.
//!
//! # How an extension's rows follow their key
//!
//! The key row (`keys`: id, db, name, type, expiry, version) is the one source of a
//! key's identity; contents are rows keyed by `keys.id` in the type's tables. So:
//! - RENAME, MOVE and SWAPDB change the key row only, and the contents follow with no
//!   work; `KeyTypeDef::renamed` is called for a type that keeps the key's name or
//!   database in its own rows (a search index of documents by name);
//! - DEL, UNLINK, lazy and active expiry, and overwrites (SET over the key, RESTORE
//!   REPLACE, a STORE destination) go through `keyspace::delete`, which deletes the
//!   type's rows from each of its `tables`, then calls `deleted`;
//! - FLUSHDB and FLUSHALL delete from every extension table by key id, then call
//!   `flushed`;
//! - COPY copies the rows of each table to the new key id (`copy`, by default a copy
//!   of every column but key_id);
//! - DUMP and RESTORE write and read the rows of each table in redlite's payload
//!   (`dump`/`restore`, by default every column of every row, typed).
//!
//! All of it runs in the command's own transaction: a crash leaves the key and its
//! rows together or neither.
//!
//! # A worked example
//!
//! A type "counterset" with its own table:
//!
//! ```ignore
//! // ext/counterset/mod.rs
//! use crate::command::{Args, Ctx, Spec};
//! use crate::ext::{Extension, KeyTypeDef, Migration};
//!
//! pub const TYPE: KeyTypeDef = KeyTypeDef::new(64, "counterset", "hashtable")
//!     .tables(&["ext_counterset"]);
//!
//! fn add(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
//!     let key = args.bytes()?;
//!     let s = ctx.scope()?;
//!     let meta = match keyspace::lookup_typed(s, key, TYPE.key_type())? {
//!         Some(m) => m,
//!         None => keyspace::create(s, key, TYPE.key_type(), None)?,
//!     };
//!     // ... INSERT INTO ext_counterset (key_id, ...) VALUES (meta.id, ...)
//!     keyspace::touch(s, meta.id)?;
//!     Ok(Reply::ok())
//! }
//!
//! const COMMANDS: &[Spec] = &[Spec::write("cs.add", 3, add).keys(1, 1, 1)
//!     .flags(&["write"]).acl(&["write"]).doc("counterset", "1.0.0", "...", "CS.ADD key")];
//!
//! pub const EXTENSION: Extension = Extension::new("counterset")
//!     .commands(COMMANDS)
//!     .migrations(&[Migration::new("0001_init",
//!         "CREATE TABLE ext_counterset (key_id INTEGER NOT NULL, ...);")])
//!     .types(&[TYPE])
//!     .events(&[("cs.add", crate::pubsub::MODULE, "cs.add")]);
//! ```
//!
//! and one line in `EXTENSIONS`: `#[cfg(feature = "counterset")] &counterset::EXTENSION,`
//! with `counterset = []` added to the crate's `[features]` and its `default`.
//! `ext/testing.rs` is such an extension, compiled only for the unit tests: its tests
//! prove that every hook fires.

#[cfg(feature = "geo")]
pub mod geo;
#[cfg(feature = "hll")]
pub mod hll;
#[cfg(test)]
mod testing;

use rusqlite::types::Value;
use rusqlite::{params, Connection};

use crate::command::Spec;
use crate::error::{Error, Result};
use crate::keyspace::KeyType;
use crate::types::{put_blob, Reader};

/// Every extension of this build. The only place the engine learns of them.
pub const EXTENSIONS: &[&Extension] = &[
    #[cfg(feature = "geo")]
    &GEO,
    #[cfg(feature = "hll")]
    &HLL,
    #[cfg(test)]
    &testing::EXTENSION,
];

/// GEO: commands over sorted sets, no storage of its own.
#[cfg(feature = "geo")]
const GEO: Extension = Extension::commands_only("geo", geo::COMMANDS);

/// HyperLogLog: commands over strings, no storage of its own.
#[cfg(feature = "hll")]
const HLL: Extension = Extension::commands_only("hll", hll::COMMANDS);

/// The first `keys.type` code an extension may take; below it are the core types.
pub const FIRST_TYPE_CODE: u8 = 16;

/// One extension: what it registers with the engine (see the module doc).
#[derive(Debug)]
pub struct Extension {
    /// Lower case, unique; its migrations are recorded under it.
    pub name: &'static str,
    pub commands: &'static [Spec],
    pub migrations: &'static [Migration],
    pub types: &'static [KeyTypeDef],
    /// (command name, event class, event): the event every key the command changed
    /// gets (and "del" for a key it removed), as `pubsub::notify` takes them.
    pub events: &'static [(&'static str, u32, &'static str)],
    pub module: Option<Module>,
}

impl Extension {
    pub const fn new(name: &'static str) -> Extension {
        Extension {
            name,
            commands: &[],
            migrations: &[],
            types: &[],
            events: &[],
            module: None,
        }
    }

    /// An extension of commands over the core types only (GEO, HyperLogLog).
    pub const fn commands_only(name: &'static str, commands: &'static [Spec]) -> Extension {
        Extension::new(name).commands(commands)
    }

    pub const fn commands(mut self, commands: &'static [Spec]) -> Extension {
        self.commands = commands;
        self
    }

    pub const fn migrations(mut self, migrations: &'static [Migration]) -> Extension {
        self.migrations = migrations;
        self
    }

    pub const fn types(mut self, types: &'static [KeyTypeDef]) -> Extension {
        self.types = types;
        self
    }

    pub const fn events(
        mut self,
        events: &'static [(&'static str, u32, &'static str)],
    ) -> Extension {
        self.events = events;
        self
    }

    /// The Redis module it stands in for: its name and version as INFO `# Modules`
    /// shows them (e.g. "ReJSON", 20803), which clients test for.
    pub const fn module(mut self, name: &'static str, version: i64) -> Extension {
        self.module = Some(Module { name, version });
        self
    }
}

/// A Redis module's name and version (`MODULE LIST`, INFO `# Modules`).
#[derive(Debug, Clone, Copy)]
pub struct Module {
    pub name: &'static str,
    pub version: i64,
}

/// One step of an extension's schema: applied once, in order, never edited once
/// released (add the next one instead).
#[derive(Debug)]
pub struct Migration {
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub const fn new(name: &'static str, sql: &'static str) -> Migration {
        Migration { name, sql }
    }
}

/// A hook on one key of the type, in the command's transaction: (connection, key id).
pub type KeyHook = fn(&Connection, i64) -> Result<()>;
/// COPY's hook: (connection, from key id, to key id); `to` has no rows yet.
pub type CopyHook = fn(&Connection, i64, i64) -> Result<()>;
/// FLUSHDB (`Some(db)`) and FLUSHALL (`None`), after the type's rows were deleted.
pub type FlushHook = fn(&Connection, Option<u32>) -> Result<()>;
/// RENAME and MOVE: (connection, key id, new database, new name).
pub type RenameHook = fn(&Connection, i64, u32, &[u8]) -> Result<()>;
/// DUMP: append the value of key `id` to the payload.
pub type DumpHook = fn(&Connection, i64, &mut Vec<u8>) -> Result<()>;
/// RESTORE: store the value read from the payload as the contents of key `id`;
/// returns the element count for `keys.len`.
pub type RestoreHook = fn(&Connection, i64, &mut Reader<'_>) -> Result<i64>;

/// A key type of an extension, as Redis's `RedisModule_CreateDataType` with its
/// callbacks. Every hook runs inside the command's transaction.
#[derive(Debug)]
pub struct KeyTypeDef {
    /// Stored in `keys.type`; `FIRST_TYPE_CODE` or more, unique, never changed once
    /// released (files hold it).
    pub code: u8,
    /// What TYPE answers and SCAN ... TYPE takes (Redis modules' type names are 9
    /// characters: "MBbloom--", "ReJSON-RL").
    pub name: &'static str,
    /// What OBJECT ENCODING answers.
    pub encoding: &'static str,
    /// The tables holding the contents, each with a `key_id` column (`keys.id`).
    pub tables: &'static [&'static str],
    /// After DEL, UNLINK, expiry or an overwrite deleted the rows of `tables`.
    pub deleted: Option<KeyHook>,
    /// After FLUSHDB / FLUSHALL deleted the rows of `tables`.
    pub flushed: Option<FlushHook>,
    /// After RENAME or MOVE gave the key row a new name or database.
    pub renamed: Option<RenameHook>,
    /// COPY; `None` copies every row of `tables` with the new key id.
    pub copy: Option<CopyHook>,
    /// DUMP; `None` writes every row of `tables`, typed (`dump_tables`).
    pub dump: Option<DumpHook>,
    /// RESTORE; `None` reads what `dump_tables` wrote.
    pub restore: Option<RestoreHook>,
}

impl KeyTypeDef {
    pub const fn new(code: u8, name: &'static str, encoding: &'static str) -> KeyTypeDef {
        KeyTypeDef {
            code,
            name,
            encoding,
            tables: &[],
            deleted: None,
            flushed: None,
            renamed: None,
            copy: None,
            dump: None,
            restore: None,
        }
    }

    /// The `KeyType` its keys have (for `keyspace::create`, `lookup_typed`).
    pub const fn key_type(&self) -> KeyType {
        KeyType::Ext(self.code)
    }

    pub const fn tables(mut self, tables: &'static [&'static str]) -> KeyTypeDef {
        self.tables = tables;
        self
    }

    pub const fn on_delete(mut self, hook: KeyHook) -> KeyTypeDef {
        self.deleted = Some(hook);
        self
    }

    pub const fn on_flush(mut self, hook: FlushHook) -> KeyTypeDef {
        self.flushed = Some(hook);
        self
    }

    pub const fn on_rename(mut self, hook: RenameHook) -> KeyTypeDef {
        self.renamed = Some(hook);
        self
    }

    pub const fn on_copy(mut self, hook: CopyHook) -> KeyTypeDef {
        self.copy = Some(hook);
        self
    }

    pub const fn on_dump(mut self, dump: DumpHook, restore: RestoreHook) -> KeyTypeDef {
        self.dump = Some(dump);
        self.restore = Some(restore);
        self
    }
}

// ---------------------------------------------------------------------------------
// What the core asks (nothing else of this module is called from outside ext/).
// ---------------------------------------------------------------------------------

/// Every extension's commands, in registration order (`command::all` adds them).
pub fn commands() -> impl Iterator<Item = &'static Spec> {
    EXTENSIONS.iter().flat_map(|e| e.commands.iter())
}

/// Every key type of every extension.
pub fn key_types() -> impl Iterator<Item = &'static KeyTypeDef> {
    EXTENSIONS.iter().flat_map(|e| e.types.iter())
}

/// The extension key type stored as `code`, if this build has it.
pub fn key_type(code: u8) -> Option<&'static KeyTypeDef> {
    key_types().find(|t| t.code == code)
}

/// The modules INFO `# Modules` and HELLO list.
pub fn modules() -> impl Iterator<Item = Module> {
    EXTENSIONS.iter().filter_map(|e| e.module)
}

/// The module whose extension registered the command `name`, if any.
pub fn module_of(name: &str) -> Option<Module> {
    EXTENSIONS
        .iter()
        .find(|e| e.commands.iter().any(|s| s.name == name))
        .and_then(|e| e.module)
}

/// The event an extension's write command raises on each key it changed.
pub fn event_of(command: &str) -> Option<(u32, &'static str)> {
    EXTENSIONS
        .iter()
        .flat_map(|e| e.events.iter())
        .find(|(name, _, _)| *name == command)
        .map(|&(_, class, event)| (class, event))
}

/// Whether any type wants to hear of RENAME / MOVE (else they cost nothing more).
pub fn any_rename_hook() -> bool {
    key_types().any(|t| t.renamed.is_some())
}

/// Apply every extension's pending migrations, each step in its own transaction,
/// after the core's (`schema::migrate`). Nothing is written for a build whose
/// extensions have no migrations.
pub fn migrate(conn: &Connection) -> Result<()> {
    if EXTENSIONS.iter().all(|e| e.migrations.is_empty()) {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS redlite_migrations (
             namespace TEXT PRIMARY KEY,
             version   INTEGER NOT NULL
         )",
    )?;
    let applied = |name: &str| -> Result<usize> {
        let n: Option<i64> = conn
            .query_row(
                "SELECT version FROM redlite_migrations WHERE namespace = ?1",
                params![name],
                |r| r.get(0),
            )
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        Ok(n.unwrap_or(0) as usize)
    };
    for ext in EXTENSIONS {
        if applied(ext.name)? > ext.migrations.len() {
            return Err(Error::redis(format!(
                "ERR the schema of extension {} is newer than this redlite",
                ext.name
            )));
        }
        for (n, step) in ext.migrations.iter().enumerate() {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            // Another process may have migrated between our look and our lock.
            let done = applied(ext.name).and_then(|now| {
                if now > n {
                    return Ok(());
                }
                conn.execute_batch(step.sql)?;
                conn.execute(
                    "INSERT INTO redlite_migrations (namespace, version) VALUES (?1, ?2)
                     ON CONFLICT (namespace) DO UPDATE SET version = excluded.version",
                    params![ext.name, n as i64 + 1],
                )?;
                Ok(())
            });
            match done {
                Ok(()) => conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

/// A key of type `code` is deleted (DEL, expiry, overwrite): its rows go.
pub fn delete_contents(conn: &Connection, id: i64, code: u8) -> Result<()> {
    let Some(t) = key_type(code) else {
        return Ok(());
    };
    for table in t.tables {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE key_id = ?1"))?
            .execute(params![id])?;
    }
    if let Some(hook) = t.deleted {
        hook(conn, id)?;
    }
    Ok(())
}

/// FLUSHDB (`Some(db)`) or FLUSHALL: every extension type's rows of those keys go.
/// Runs before the key rows are deleted.
pub fn flush_contents(conn: &Connection, db: Option<u32>) -> Result<()> {
    for t in key_types() {
        for table in t.tables {
            match db {
                Some(db) => conn
                    .prepare_cached(&format!(
                        "DELETE FROM {table} WHERE key_id IN (SELECT id FROM keys WHERE db = ?1)"
                    ))?
                    .execute(params![db])?,
                None => conn.execute(&format!("DELETE FROM {table}"), [])?,
            };
        }
        if let Some(hook) = t.flushed {
            hook(conn, db)?;
        }
    }
    Ok(())
}

/// The key row `id` was renamed or moved (RENAME, MOVE).
pub fn renamed(conn: &Connection, id: i64, code: u8, to_db: u32, to_key: &[u8]) -> Result<()> {
    match key_type(code).and_then(|t| t.renamed) {
        Some(hook) => hook(conn, id, to_db, to_key),
        None => Ok(()),
    }
}

/// COPY: the rows of key `from` for key `to`.
pub fn copy_contents(conn: &Connection, from: i64, to: i64, code: u8) -> Result<()> {
    let Some(t) = key_type(code) else {
        return Err(unknown_type(code));
    };
    if let Some(hook) = t.copy {
        return hook(conn, from, to);
    }
    for table in t.tables {
        let others = other_columns(conn, table)?;
        let list = others.join(", ");
        conn.prepare_cached(&format!(
            "INSERT INTO {table} (key_id, {list}) SELECT ?2, {list} FROM {table} WHERE key_id = ?1"
        ))?
        .execute(params![from, to])?;
    }
    Ok(())
}

/// OBJECT ENCODING of a key of type `code`.
pub fn encoding(code: u8) -> Result<&'static str> {
    key_type(code)
        .map(|t| t.encoding)
        .ok_or_else(|| unknown_type(code))
}

/// DUMP: append the value of key `id` to `out`.
pub fn dump(conn: &Connection, id: i64, code: u8, out: &mut Vec<u8>) -> Result<()> {
    let t = key_type(code).ok_or_else(|| unknown_type(code))?;
    match t.dump {
        Some(hook) => hook(conn, id, out),
        None => dump_tables(conn, t.tables, id, out),
    }
}

/// RESTORE: the value in `body` as the contents of key `id`; its element count.
pub fn restore(conn: &Connection, id: i64, code: u8, body: &mut Reader<'_>) -> Result<i64> {
    let t = key_type(code).ok_or_else(|| Error::redis("ERR Bad data format"))?;
    match t.restore {
        Some(hook) => hook(conn, id, body),
        None => restore_tables(conn, t.tables, id, body),
    }
}

fn unknown_type(code: u8) -> Error {
    Error::redis(format!(
        "ERR key type {code} belongs to an extension this build does not have"
    ))
}

/// The columns of `table` other than key_id, in declaration order.
fn other_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let names = conn
        .prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names.into_iter().filter(|n| n != "key_id").collect())
}

/// The default DUMP of a type: for each table, its row count, then each row's
/// columns (but key_id), each a tag blob (n null, i integer, r real, t text, b blob)
/// and a value blob, in the payload's blobs (`types::put_blob`).
pub fn dump_tables(conn: &Connection, tables: &[&str], id: i64, out: &mut Vec<u8>) -> Result<()> {
    for table in tables {
        let cols = other_columns(conn, table)?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM {table} WHERE key_id = ?1",
            cols.join(", ")
        ))?;
        let rows = stmt
            .query_map(params![id], |r| {
                (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
            })?
            .collect::<rusqlite::Result<Vec<Vec<Value>>>>()?;
        put_blob(out, rows.len().to_string().as_bytes());
        for row in rows {
            for v in row {
                match v {
                    Value::Null => (put_blob(out, b"n"), put_blob(out, b"")),
                    Value::Integer(n) => (put_blob(out, b"i"), put_blob(out, &n.to_le_bytes())),
                    Value::Real(x) => (put_blob(out, b"r"), put_blob(out, &x.to_le_bytes())),
                    Value::Text(s) => (put_blob(out, b"t"), put_blob(out, s.as_bytes())),
                    Value::Blob(b) => (put_blob(out, b"b"), put_blob(out, &b)),
                };
            }
        }
    }
    Ok(())
}

/// Read what `dump_tables` wrote into the tables, for key `id`; the row count of the
/// first table (the element count).
pub fn restore_tables(
    conn: &Connection,
    tables: &[&str],
    id: i64,
    body: &mut Reader<'_>,
) -> Result<i64> {
    let bad = || Error::redis("ERR Bad data format");
    let mut first = None;
    for table in tables {
        let cols = other_columns(conn, table)?;
        let count: usize = std::str::from_utf8(body.blob()?)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(bad)?;
        first.get_or_insert(count as i64);
        let marks = vec!["?"; cols.len()].join(", ");
        let mut stmt = conn.prepare_cached(&format!(
            "INSERT INTO {table} (key_id, {}) VALUES (?, {marks})",
            cols.join(", ")
        ))?;
        for _ in 0..count {
            let mut row = vec![Value::Integer(id)];
            for _ in 0..cols.len() {
                let tag = body.blob()?;
                let v = body.blob()?;
                row.push(match tag {
                    b"n" => Value::Null,
                    b"i" => Value::Integer(i64::from_le_bytes(v.try_into().map_err(|_| bad())?)),
                    b"r" => Value::Real(f64::from_le_bytes(v.try_into().map_err(|_| bad())?)),
                    b"t" => Value::Text(String::from_utf8(v.to_vec()).map_err(|_| bad())?),
                    b"b" => Value::Blob(v.to_vec()),
                    _ => return Err(bad()),
                });
            }
            stmt.execute(rusqlite::params_from_iter(row))?;
        }
    }
    Ok(first.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type codes, type names, extension names and command names are each unique,
    /// and no extension command shadows a core one.
    #[test]
    fn registrations_are_unique() {
        let mut codes: Vec<u8> = key_types().map(|t| t.code).collect();
        assert!(codes.iter().all(|&c| c >= FIRST_TYPE_CODE));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), key_types().count());
        let mut names: Vec<&str> = key_types().map(|t| t.name).collect();
        names.extend(EXTENSIONS.iter().map(|e| e.name));
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
        let mut commands: Vec<&str> = crate::command::all().map(|s| s.name).collect();
        let n = commands.len();
        commands.sort();
        commands.dedup();
        assert_eq!(commands.len(), n, "a command name is registered twice");
    }
}
