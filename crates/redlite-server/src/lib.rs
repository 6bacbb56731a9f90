//! redlite-server: the Redis protocol (RESP2 and RESP3) over the redlite engine.
//!
//! ```no_run
//! let handle = redlite_server::spawn(redlite_server::Config {
//!     db_path: "app.db".into(),
//!     port: 0,
//!     ..Default::default()
//! })?;
//! println!("listening on port {}", handle.port());
//! handle.stop()?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Read it top down: `server` (configuration, accept loop, graceful stop),
//! `connection` (one client: read, run, write), `parse` (requests off the wire),
//! `encode` (replies onto it), `shutdown` (the signal every task listens to),
//! `transport` (TCP, Unix socket and TLS streams and listeners), `fds` (the open
//! files limit, and clients past it refused, not left hanging).

pub mod cli;
mod connection;
pub mod encode;
mod fds;
mod lanes;
mod ops;
pub mod parse;
mod server;
mod shutdown;
mod transport;

pub use redlite_core::Durability;
pub use server::{run, spawn, spawn_with_db, Config, ServerHandle, MAX_BLOCKING_THREADS};
pub use transport::{TlsAuthClients, TlsConfig};
