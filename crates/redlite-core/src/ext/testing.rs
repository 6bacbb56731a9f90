//! A tiny extension, compiled only for the unit tests, that proves the registration
//! surface of ext/mod.rs: a key type ("testext-1") with its own table, two commands,
//! two migrations, a keyspace event and a module entry. Its hooks write to a log
//! table in the command's transaction, so the tests see each hook fire (and that it
//! committed with the command).

use rusqlite::{params, Connection};

use crate::command::keyspec::{INSERT, RO, RW};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::Result;
use crate::ext::{Extension, KeyTypeDef, Migration};
use crate::keyspace;
use crate::reply::Reply;

/// TESTEXT.ADD key value: append `value` to the key's rows (a new key of the test
/// type if there is none); the row count.
fn add(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let s = ctx.scope()?;
    let meta = match keyspace::lookup_typed(s, key, TYPE.key_type())? {
        Some(m) => m,
        None => keyspace::create(s, key, TYPE.key_type(), None)?,
    };
    s.conn
        .prepare_cached("INSERT INTO ext_test_rows (key_id, n, value) VALUES (?1, ?2, ?3)")?
        .execute(params![meta.id, meta.len, value])?;
    keyspace::set_len(s, &meta, meta.len + 1, 0)?;
    Ok(Reply::Int(meta.len + 1))
}

/// TESTEXT.ROWS key: the values, oldest first; WRONGTYPE for a key of another type.
fn rows(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let s = ctx.scope()?;
    let Some(meta) = keyspace::lookup_typed(s, key, TYPE.key_type())? else {
        return Ok(Reply::Array(vec![]));
    };
    let values = s
        .conn
        .prepare_cached("SELECT value FROM ext_test_rows WHERE key_id = ?1 ORDER BY n")?
        .query_map(params![meta.id], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Reply::Array(values.into_iter().map(Reply::Bulk).collect()))
}

fn log(conn: &Connection, event: &str, id: i64, detail: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO ext_test_log (event, key_id, detail) VALUES (?1, ?2, ?3)")?
        .execute(params![event, id, detail])?;
    Ok(())
}

fn deleted(conn: &Connection, id: i64) -> Result<()> {
    log(conn, "deleted", id, b"")
}

fn flushed(conn: &Connection, db: Option<u32>) -> Result<()> {
    let detail = db.map_or("all".to_string(), |d| d.to_string());
    log(conn, "flushed", 0, detail.as_bytes())
}

fn renamed(conn: &Connection, id: i64, db: u32, key: &[u8]) -> Result<()> {
    log(
        conn,
        "renamed",
        id,
        format!("{db}:{}", String::from_utf8_lossy(key)).as_bytes(),
    )
}

const TYPE: KeyTypeDef = KeyTypeDef::new(250, "testext-1", "testrows")
    .tables(&["ext_test_rows"])
    .on_delete(deleted)
    .on_flush(flushed)
    .on_rename(renamed);

const COMMANDS: &[Spec] = &[
    Spec::write("testext.add", 3, add)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write"])
        .doc(
            "testext",
            "1.0.0",
            "Append a row to a test key",
            "TESTEXT.ADD key value",
        )
        .complexity("O(1)"),
    Spec::read("testext.rows", 2, rows)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read"])
        .doc(
            "testext",
            "1.0.0",
            "The rows of a test key",
            "TESTEXT.ROWS key",
        )
        .complexity("O(N)"),
];

pub const EXTENSION: Extension = Extension::new("testext")
    .commands(COMMANDS)
    .migrations(&[
        Migration::new(
            "0001_rows",
            "CREATE TABLE ext_test_rows (
                 key_id INTEGER NOT NULL,
                 n      INTEGER NOT NULL,
                 value  BLOB    NOT NULL,
                 PRIMARY KEY (key_id, n)
             ) WITHOUT ROWID;",
        ),
        Migration::new(
            "0002_log",
            "CREATE TABLE ext_test_log (event TEXT NOT NULL, key_id INTEGER, detail BLOB);",
        ),
    ])
    .types(&[TYPE])
    .events(&[("testext.add", crate::pubsub::MODULE, "testext.add")])
    .module("testext", 10203);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Db, Reply, Session};

    fn bulk(s: &str) -> Reply {
        Reply::Bulk(s.as_bytes().to_vec())
    }

    fn rows_of(values: &[&str]) -> Reply {
        Reply::Array(values.iter().map(|v| bulk(v)).collect())
    }

    /// Rows of the extension's table, over all keys.
    fn table_rows(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM ext_test_rows", [], |r| r.get(0))?))
            .unwrap()
    }

    /// The hook log: (event, detail), oldest first.
    fn hook_log(db: &Db) -> Vec<(String, String)> {
        db.read(|c| {
            let mut stmt = c.prepare("SELECT event, detail FROM ext_test_log ORDER BY rowid")?;
            let rows = stmt
                .query_map([], |r| {
                    let d: Vec<u8> = r.get(1)?;
                    Ok((r.get(0)?, String::from_utf8_lossy(&d).into_owned()))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
    }

    fn last_event(db: &Db) -> String {
        hook_log(db)
            .last()
            .map(|(e, _)| e.clone())
            .unwrap_or_default()
    }

    fn two_rows(s: &mut Session, key: &str) {
        assert_eq!(s.execute(&["TESTEXT.ADD", key, "a"]), Reply::Int(1));
        assert_eq!(s.execute(&["TESTEXT.ADD", key, "b"]), Reply::Int(2));
    }

    #[test]
    fn commands_type_and_migrations_are_registered() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "k");
        assert_eq!(s.execute(&["TESTEXT.ROWS", "k"]), rows_of(&["a", "b"]));
        assert_eq!(s.execute(&["TYPE", "k"]), Reply::Simple("testext-1".into()));
        assert_eq!(s.execute(&["OBJECT", "ENCODING", "k"]), bulk("testrows"));
        let scan = s.execute(&["SCAN", "0", "TYPE", "testext-1"]);
        assert_eq!(scan, Reply::Array(vec![bulk("0"), rows_of(&["k"])]));
        s.execute(&["SET", "str", "x"]);
        let wrong = s.execute(&["TESTEXT.ADD", "str", "a"]);
        assert!(matches!(wrong, Reply::Error(e) if e.starts_with(b"WRONGTYPE")));
        assert!(matches!(s.execute(&["GET", "k"]), Reply::Error(e) if e.starts_with(b"WRONGTYPE")));
        let steps: i64 = db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT version FROM redlite_migrations WHERE namespace = 'testext'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(steps, 2);
        let (Reply::Bulk(info) | Reply::Verbatim(_, info)) = s.execute(&["INFO", "modules"]) else {
            panic!("INFO is a bulk string")
        };
        let info = String::from_utf8(info).unwrap();
        assert!(info.contains("module:name=testext,ver=10203,"), "{info}");
        let listed = s.execute(&["COMMAND", "LIST", "FILTERBY", "MODULE", "testext"]);
        assert_eq!(listed, rows_of(&["testext.add", "testext.rows"]));
    }

    #[test]
    fn del_and_unlink_delete_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "a");
        two_rows(&mut s, "b");
        assert_eq!(s.execute(&["DEL", "a"]), Reply::Int(1));
        assert_eq!(table_rows(&db), 2);
        assert_eq!(last_event(&db), "deleted");
        assert_eq!(s.execute(&["UNLINK", "b"]), Reply::Int(1));
        assert_eq!(table_rows(&db), 0);
        assert_eq!(hook_log(&db).len(), 2);
        // An overwrite deletes them too.
        two_rows(&mut s, "c");
        assert_eq!(s.execute(&["SET", "c", "x"]), Reply::ok());
        assert_eq!(table_rows(&db), 0);
    }

    #[test]
    fn rename_and_move_carry_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "a");
        assert_eq!(s.execute(&["RENAME", "a", "b"]), Reply::ok());
        assert_eq!(s.execute(&["TESTEXT.ROWS", "b"]), rows_of(&["a", "b"]));
        assert_eq!(
            hook_log(&db).last().unwrap(),
            &("renamed".into(), "0:b".into())
        );
        assert_eq!(s.execute(&["MOVE", "b", "3"]), Reply::Int(1));
        assert_eq!(
            hook_log(&db).last().unwrap(),
            &("renamed".into(), "3:b".into())
        );
        assert_eq!(s.execute(&["SELECT", "3"]), Reply::ok());
        assert_eq!(s.execute(&["TESTEXT.ROWS", "b"]), rows_of(&["a", "b"]));
        assert_eq!(table_rows(&db), 2);
    }

    #[test]
    fn copy_copies_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "a");
        assert_eq!(s.execute(&["COPY", "a", "b"]), Reply::Int(1));
        assert_eq!(s.execute(&["TESTEXT.ADD", "b", "c"]), Reply::Int(3));
        assert_eq!(s.execute(&["TESTEXT.ROWS", "a"]), rows_of(&["a", "b"]));
        assert_eq!(s.execute(&["TESTEXT.ROWS", "b"]), rows_of(&["a", "b", "c"]));
        assert_eq!(s.execute(&["COPY", "a", "b", "DB", "2"]), Reply::Int(1));
        assert_eq!(table_rows(&db), 7);
        // COPY ... REPLACE over a key of the type deletes the old rows first.
        assert_eq!(s.execute(&["COPY", "a", "b", "REPLACE"]), Reply::Int(1));
        assert_eq!(s.execute(&["TESTEXT.ROWS", "b"]), rows_of(&["a", "b"]));
        assert_eq!(table_rows(&db), 6);
    }

    #[test]
    fn flushdb_and_flushall_delete_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "a");
        s.execute(&["SELECT", "1"]);
        two_rows(&mut s, "b");
        assert_eq!(s.execute(&["FLUSHDB"]), Reply::ok());
        assert_eq!(table_rows(&db), 2);
        assert_eq!(
            hook_log(&db).last().unwrap(),
            &("flushed".into(), "1".into())
        );
        assert_eq!(s.execute(&["FLUSHALL"]), Reply::ok());
        assert_eq!(table_rows(&db), 0);
        assert_eq!(
            hook_log(&db).last().unwrap(),
            &("flushed".into(), "all".into())
        );
    }

    #[test]
    fn expiry_deletes_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "lazy");
        two_rows(&mut s, "active");
        assert_eq!(s.execute(&["PEXPIRE", "lazy", "1"]), Reply::Int(1));
        assert_eq!(s.execute(&["PEXPIRE", "active", "1"]), Reply::Int(1));
        std::thread::sleep(std::time::Duration::from_millis(5));
        // Lazy: a write that meets the expired key deletes it.
        assert_eq!(s.execute(&["TESTEXT.ADD", "lazy", "new"]), Reply::Int(1));
        assert_eq!(s.execute(&["TESTEXT.ROWS", "lazy"]), rows_of(&["new"]));
        // Active: the sweeper's pass.
        let swept = db
            .write(|c| keyspace::delete_expired(c, crate::db::now_ms(), 100))
            .unwrap();
        assert_eq!(swept, 1);
        assert_eq!(table_rows(&db), 1);
        let deletions = hook_log(&db).iter().filter(|(e, _)| e == "deleted").count();
        assert_eq!(deletions, 2);
    }

    #[test]
    fn dump_and_restore_carry_the_rows() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        two_rows(&mut s, "a");
        let Reply::Bulk(payload) = s.execute(&["DUMP", "a"]) else {
            panic!("DUMP answers a payload")
        };
        let payload: &[u8] = &payload;
        let restore = |s: &mut Session, key: &str, extra: &[&str]| {
            let mut argv: Vec<&[u8]> = vec![b"RESTORE", key.as_bytes(), b"0", payload];
            argv.extend(extra.iter().map(|e| e.as_bytes()));
            s.execute(&argv)
        };
        assert_eq!(restore(&mut s, "b", &[]), Reply::ok());
        assert_eq!(s.execute(&["TESTEXT.ROWS", "b"]), rows_of(&["a", "b"]));
        assert_eq!(s.execute(&["TYPE", "b"]), Reply::Simple("testext-1".into()));
        assert_eq!(restore(&mut s, "a", &["REPLACE"]), Reply::ok());
        assert_eq!(s.execute(&["TESTEXT.ROWS", "a"]), rows_of(&["a", "b"]));
        assert_eq!(table_rows(&db), 4);
        // A payload cut short is refused, and leaves nothing behind.
        let mut cut = payload.to_vec();
        cut.truncate(payload.len() - 12);
        let crc = crate::types::crc64(0, &cut);
        cut.extend_from_slice(&crc.to_le_bytes());
        let refused = s.execute(&[&b"RESTORE"[..], b"c", b"0", &cut]);
        assert_eq!(refused, Reply::Error("ERR Bad data format".into()));
        assert_eq!(table_rows(&db), 4);
    }

    #[test]
    fn its_write_raises_its_keyspace_event() {
        let db = Db::open_memory().unwrap();
        let mut s = Session::new(db.clone());
        let mut sub = Session::new(db.clone());
        s.execute(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
        sub.execute(&["SUBSCRIBE", "__keyevent@0__:testext.add"]);
        sub.outbox().take();
        s.execute(&["TESTEXT.ADD", "k", "v"]);
        let got = sub.outbox().take();
        let message = Reply::Push(vec![
            bulk("message"),
            bulk("__keyevent@0__:testext.add"),
            bulk("k"),
        ]);
        assert!(got.contains(&message), "{got:?}");
    }
}
