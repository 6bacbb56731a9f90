//! Numbered migrations, applied in order and recorded in `PRAGMA user_version`.
//! A migration is never edited once released: add the next number instead.

use rusqlite::Connection;

use crate::error::Result;

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("0001_init.sql")),
    ("0002_collections", include_str!("0002_collections.sql")),
    ("0003_streams", include_str!("0003_streams.sql")),
    ("0004_functions", include_str!("0004_functions.sql")),
    (
        "0005_inline_strings",
        include_str!("0005_inline_strings.sql"),
    ),
    ("0006_plain_key_ids", include_str!("0006_plain_key_ids.sql")),
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the database up to `VERSION`, each migration in its own transaction.
pub fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > VERSION {
        return Err(crate::Error::redis(format!(
            "ERR database schema version {} is newer than this redlite ({})",
            current, VERSION
        )));
    }
    for (n, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        // Another process may have migrated between our read and our lock.
        let now: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > n as i64 {
            conn.execute_batch("COMMIT")?;
            continue;
        }
        let applied = conn
            .execute_batch(sql)
            .and_then(|_| conn.execute_batch(&format!("PRAGMA user_version = {}", n + 1)));
        match applied {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.into());
            }
        }
    }
    // Then each extension's own chain (ext/mod.rs), which never takes a number here.
    crate::ext::migrate(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new file in its own temporary directory, brought up to schema version
    /// `version` as a build of that time left it.
    fn old_file(tag: &str, version: usize) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("redlite-schema-{}-{}", tag, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.db");
        let old = Connection::open(&path).unwrap();
        old.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
            .unwrap();
        for (_, sql) in &MIGRATIONS[..version] {
            old.execute_batch(sql).unwrap();
        }
        old.execute_batch(&format!("PRAGMA user_version = {}", version))
            .unwrap();
        (dir, path)
    }

    /// A file written before 0006 keeps its keys, and its declaration loses
    /// AUTOINCREMENT: a new key no longer writes sqlite_sequence, and a key deleted
    /// and made again may reuse its id, which WATCH still tells apart.
    #[test]
    fn key_ids_lose_autoincrement() {
        let (dir, path) = old_file("ids", 5);
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(
                "INSERT INTO keys (id, db, key, type, version, created_at, updated_at, value)
                     VALUES (3, 0, x'61', 0, 1, 0, 0, x'31');",
            )
            .unwrap();
        }
        let db = crate::Db::open(&path).unwrap();
        let mut s = crate::Session::new(db.clone());
        let mut other = crate::Session::new(db);
        assert_eq!(s.execute(&["GET", "a"]), crate::Reply::Bulk(b"1".to_vec()));
        assert_eq!(s.execute(&["SET", "b", "2"]), crate::Reply::ok());
        let conn = Connection::open(&path).unwrap();
        let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert!(!one("SELECT sql FROM sqlite_schema WHERE name = 'keys'").contains("AUTOINCREMENT"));
        assert_eq!(one("PRAGMA integrity_check"), "ok");
        let sequence: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_sequence", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sequence, 0);
        let id_of_b = || -> i64 {
            conn.query_row("SELECT id FROM keys WHERE key = x'62'", [], |r| r.get(0))
                .unwrap()
        };
        let first = id_of_b();
        assert_eq!(s.execute(&["WATCH", "b"]), crate::Reply::ok());
        assert_eq!(other.execute(&["DEL", "b"]), crate::Reply::Int(1));
        assert_eq!(other.execute(&["SET", "b", "2"]), crate::Reply::ok());
        assert_eq!(id_of_b(), first, "the largest id is given out again");
        assert_eq!(s.execute(&["MULTI"]), crate::Reply::ok());
        s.execute(&["GET", "b"]);
        assert_eq!(s.execute(&["EXEC"]), crate::Reply::NilArray);
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A file written by a build before 0005 (string values in `strings`) opens with
    /// every value, its form (`raw`) and the other types as they were.
    #[test]
    fn strings_move_into_their_key_rows() {
        let (dir, path) = old_file("strings", 4);
        {
            let old = Connection::open(&path).unwrap();
            old.execute_batch(
                "INSERT INTO keys (id, db, key, type, version, created_at, updated_at)
                     VALUES (7, 0, x'61', 0, 3, 0, 0), (8, 0, x'62', 0, 1, 0, 0),
                            (9, 1, x'68', 4, 1, 0, 0), (10, 0, x'65', 0, 1, 0, 0);
                 INSERT INTO strings (key_id, value, raw)
                     VALUES (7, x'00ff61', 0), (8, CAST('raw one' AS BLOB), 1), (10, x'', 2);
                 INSERT INTO hashes (key_id, field, value) VALUES (9, x'66', x'76');
                 UPDATE keys SET len = 1 WHERE id = 9;",
            )
            .unwrap();
        }
        let conn = Connection::open(&path).unwrap();
        migrate(&conn).unwrap();
        let rows: Vec<(i64, Option<Vec<u8>>, i64)> = conn
            .prepare("SELECT id, value, raw FROM keys ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (7, Some(vec![0, 0xff, b'a']), 0),
                (8, Some(b"raw one".to_vec()), 1),
                (9, None, 0),
                (10, Some(vec![]), 2),
            ]
        );
        let gone: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'strings'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(gone, 0);
        drop(conn);

        let db = crate::Db::open(&path).unwrap();
        let mut s = crate::Session::new(db);
        assert_eq!(
            s.execute(&["GET", "a"]),
            crate::Reply::Bulk(vec![0, 0xff, b'a'])
        );
        assert_eq!(
            s.execute(&["OBJECT", "ENCODING", "b"]),
            crate::Reply::Bulk(b"raw".to_vec())
        );
        assert_eq!(s.execute(&["STRLEN", "e"]), crate::Reply::Int(0));
        assert_eq!(s.execute(&["APPEND", "a", "b"]), crate::Reply::Int(4));
        assert_eq!(s.execute(&["SELECT", "1"]), crate::Reply::ok());
        assert_eq!(
            s.execute(&["HGET", "h", "f"]),
            crate::Reply::Bulk(b"v".to_vec())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
