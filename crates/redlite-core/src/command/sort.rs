//! SORT and SORT_RO, over lists, sets and sorted sets.

use crate::command::Spec;

pub const COMMANDS: &[Spec] = &[];
