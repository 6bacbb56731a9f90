//! Numbered migrations, applied in order and recorded in `PRAGMA user_version`.
//! A migration is never edited once released: add the next number instead.

use rusqlite::Connection;

use crate::error::Result;

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("0001_init.sql")),
    ("0002_collections", include_str!("0002_collections.sql")),
    ("0003_streams", include_str!("0003_streams.sql")),
    ("0004_functions", include_str!("0004_functions.sql")),
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
    Ok(())
}
