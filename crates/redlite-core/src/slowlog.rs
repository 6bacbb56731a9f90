//! The slow log: commands that took longer than `slowlog-log-slower-than`
//! microseconds, newest first, at most `slowlog-max-len` of them (Redis's slowlog.c).

use std::collections::VecDeque;

use parking_lot::Mutex;

use crate::reply::Reply;

/// Arguments kept per entry, and bytes kept per argument, as Redis's
/// SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
const MAX_ARGC: usize = 32;
const MAX_STRING: usize = 128;

#[derive(Debug, Clone)]
struct Entry {
    id: i64,
    time: i64,
    micros: i64,
    argv: Vec<Vec<u8>>,
    addr: String,
    name: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct SlowLog {
    entries: Mutex<(VecDeque<Entry>, i64)>,
}

impl SlowLog {
    /// Log a command that took `micros` if the threshold says so.
    pub fn push(
        &self,
        threshold: i64,
        max_len: i64,
        micros: i64,
        argv: &[&[u8]],
        addr: String,
        name: &[u8],
    ) {
        if threshold < 0 || micros < threshold {
            return;
        }
        let argc = argv.len().min(MAX_ARGC);
        let mut kept: Vec<Vec<u8>> = Vec::with_capacity(argc);
        for (i, a) in argv.iter().take(argc).enumerate() {
            if argc != argv.len() && i == argc - 1 {
                kept.push(format!("... ({} more arguments)", argv.len() - argc + 1).into_bytes());
            } else if a.len() > MAX_STRING {
                let mut s = a[..MAX_STRING].to_vec();
                s.extend_from_slice(
                    format!("... ({} more bytes)", a.len() - MAX_STRING).as_bytes(),
                );
                kept.push(s);
            } else {
                kept.push(a.to_vec());
            }
        }
        let mut g = self.entries.lock();
        let id = g.1;
        g.1 += 1;
        g.0.push_front(Entry {
            id,
            time: crate::db::now_ms() / 1000,
            micros,
            argv: kept,
            addr,
            name: name.to_vec(),
        });
        g.0.truncate(max_len.max(0) as usize);
    }

    pub fn len(&self) -> usize {
        self.entries.lock().0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn reset(&self) {
        self.entries.lock().0.clear();
    }

    /// SLOWLOG SET's new maximum: drop the oldest beyond it.
    pub fn trim(&self, max_len: i64) {
        self.entries.lock().0.truncate(max_len.max(0) as usize);
    }

    /// The newest `count` entries (all for None), as SLOWLOG GET answers them.
    pub fn get(&self, count: Option<usize>) -> Reply {
        let g = self.entries.lock();
        let n = count.unwrap_or(usize::MAX);
        Reply::Array(
            g.0.iter()
                .take(n)
                .map(|e| {
                    Reply::Array(vec![
                        Reply::Int(e.id),
                        Reply::Int(e.time),
                        Reply::Int(e.micros),
                        Reply::Array(e.argv.iter().map(|a| Reply::Bulk(a.clone())).collect()),
                        Reply::bulk(e.addr.clone()),
                        Reply::Bulk(e.name.clone()),
                    ])
                })
                .collect(),
        )
    }
}
