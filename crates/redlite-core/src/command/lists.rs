//! List commands, blocking pops included.

use crate::command::Spec;

pub const COMMANDS: &[Spec] = &[];
