//! Storage of each Redis type: its SQL in one place, typed Rust functions over it.
//! No function here commits: the caller owns the transaction.

pub mod string;

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::keyspace::KeyType;

/// Remove the contents of key `id` (of type `ktype`) from its type's table.
pub fn delete_contents(conn: &Connection, id: i64, ktype: KeyType) -> Result<()> {
    match ktype {
        KeyType::String => string::delete(conn, id),
        // Other types arrive with their own tables.
        _ => Ok(()),
    }
}

/// Remove the contents of every key of database `db`.
pub fn delete_contents_of_db(conn: &Connection, db: u32) -> Result<()> {
    conn.prepare_cached("DELETE FROM strings WHERE key_id IN (SELECT id FROM keys WHERE db = ?1)")?
        .execute(params![db])?;
    Ok(())
}

/// Remove the contents of every key.
pub fn delete_all_contents(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM strings", [])?;
    Ok(())
}
