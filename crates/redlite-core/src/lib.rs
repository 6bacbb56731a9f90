//! redlite-core: Redis data structures and semantics on one SQLite file.
//!
//! ```no_run
//! use redlite_core::{Db, Session, Reply};
//! let db = Db::open("app.db").unwrap();
//! let mut s = Session::new(db);
//! assert_eq!(s.execute(&["SET", "k", "v"]), Reply::ok());
//! ```
//!
//! No tokio, no PyO3, no sockets here: front ends call `Session::execute`.

pub mod acl;
pub(crate) mod cache;
pub mod clients;
pub mod command;
pub mod config;
pub mod db;
pub mod docs;
pub mod error;
pub mod ext;
pub mod glob;
pub mod info;
pub mod keyspace;
pub mod notify;
pub mod ops;
pub mod outbox;
pub mod pubsub;
pub mod reply;
pub mod rng;
pub mod schema;
pub mod scripting;
pub mod slowlog;
pub mod types;

pub use command::{Execution, Session, SessionState};
pub use db::{Db, Durability, Options};
pub use error::{Error, Result};
pub use notify::Blocked;
pub use reply::Reply;
