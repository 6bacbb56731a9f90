//! Bit commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.

use crate::command::Spec;

pub const COMMANDS: &[Spec] = &[];
