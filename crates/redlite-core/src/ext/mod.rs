//! Extensions: features built on the core's storage that the core itself does not
//! name. Each lives in its own folder and hands its commands to the command table.

pub mod hll;
