//! `redlite-server`: serve one SQLite file over the Redis protocol (see cli.rs).

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(redlite_server::cli::main(std::env::args().skip(1)))
}
