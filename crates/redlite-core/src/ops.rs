//! What operating a `Db` needs beside the data: its configuration parameters
//! (`config`), and the figures INFO reports beyond `Stats`. One `Ops` per `Db`
//! (`db.ops()`), shared by every front end.

use crate::config;

#[derive(Debug, Default)]
pub struct Ops {
    pub config: config::Store,
}

impl Ops {
    /// CONFIG RESETSTAT: the statistics kept here back to zero.
    pub fn reset_stats(&self) {}
}
