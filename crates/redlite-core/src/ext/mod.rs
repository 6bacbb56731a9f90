//! Extensions: command families beyond Redis's core types, each in its own folder
//! with its commands (a `COMMANDS` table the command table lists), its logic and its
//! tests. (The registration surface is being designed; until it lands, a family's
//! table is one line of `command::FAMILIES`.)

pub mod geo;
