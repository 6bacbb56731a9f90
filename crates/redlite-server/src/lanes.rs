//! Lanes: threads of their own where the common batches run.
//!
//! The writer lane. A connection whose batch holds only write commands (SET, LPUSH,
//! HSET ... by their `write` flag, blocking ones aside) hands it here instead of to
//! the blocking pool. Its one thread takes every batch queued meanwhile, from every
//! connection, and runs them in one `Db::batch`: their writes share one COMMIT (up to
//! the engine's group size), which is over before any of their replies is handed
//! back. Under load a COMMIT thus carries the writes of all the clients waiting, not
//! only of those that found a pool thread, and the thread takes the next batches
//! without sleeping in between.
//!
//! The reader lane. Batches of read-only commands (GET, HGETALL, ...) go to a few
//! threads that each take several queued batches per wake-up, where the blocking
//! pool wakes a thread per batch; there are as many as the engine keeps idle reader
//! connections, so reads run side by side and never queue behind the writes.
//!
//! Everything else (blocking commands, scripts, administration) still runs on the
//! blocking pool. The async workers never touch SQLite.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use bytes::Bytes;
use redlite_core::{Db, Session};
use tokio::runtime::Handle;
use tokio::sync::oneshot;

use crate::connection::{self, Ran, Unconfirmed};

/// Batches the writer takes at once: a bound on how long the first one waits.
pub(crate) const WRITER_JOBS: usize = 64;

/// How many times a lane thread that ran out of work yields its core and looks again
/// before it sleeps. Under load the next batch usually comes within those few tens of
/// microseconds, and taking it without a sleep and a wake-up (a futex call on each
/// side) is worth ~15% of redis-benchmark's GET rate on 2 cores; an idle server pays
/// this once, after its last command.
const SPINS: usize = 50;

/// Reader threads, and the batches each takes at once.
pub(crate) const READERS: usize = 4;
pub(crate) const READER_JOBS: usize = 4;

/// A connection's batch, and where its session, output and outcome go back.
pub(crate) struct Job {
    pub(crate) session: Session,
    pub(crate) output: Vec<u8>,
    pub(crate) requests: Arc<Vec<Vec<Bytes>>>,
    pub(crate) start: usize,
    pub(crate) done: oneshot::Sender<(Session, Vec<u8>, Ran)>,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
}

/// The queue into a lane's threads. Dropping it stops them.
pub(crate) struct Lane {
    queue: Arc<(Mutex<Queue>, Condvar)>,
}

impl Lane {
    /// Start a lane of `threads` threads on `db`, each taking up to `jobs` batches
    /// at once, and handing their replies back through `runtime` (`hand_back`).
    pub(crate) fn start(
        db: &Db,
        runtime: &Handle,
        name: &str,
        threads: usize,
        jobs: usize,
    ) -> std::io::Result<Lane> {
        let queue: Arc<(Mutex<Queue>, Condvar)> = Arc::default();
        for _ in 0..threads {
            let theirs = queue.clone();
            let db = db.clone();
            let runtime = runtime.clone();
            std::thread::Builder::new()
                .name(name.into())
                .spawn(move || run(db, &runtime, &theirs, jobs))?;
        }
        Ok(Lane { queue })
    }

    /// Queue a batch. `Err` gives the job back if the thread is gone.
    // The `Err` is the caller's own job handed back by value, once, when the lane has
    // closed: boxing it would allocate on every submit to save a move on that path.
    #[allow(clippy::result_large_err)]
    pub(crate) fn submit(&self, job: Job) -> Result<(), Job> {
        let (queue, ready) = &*self.queue;
        let mut q = lock(queue);
        if q.closed {
            return Err(job);
        }
        q.jobs.push_back(job);
        drop(q);
        ready.notify_one();
        Ok(())
    }
}

impl Drop for Lane {
    fn drop(&mut self) {
        let (queue, ready) = &*self.queue;
        lock(queue).closed = true;
        ready.notify_all();
    }
}

/// The queue's lock (a panic while it was held left nothing half-done in it).
fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(|e| e.into_inner())
}

fn run(db: Db, runtime: &Handle, queue: &(Mutex<Queue>, Condvar), max: usize) {
    let (queue, ready) = queue;
    loop {
        let jobs: Vec<Job> = {
            let mut q = lock(queue);
            let mut spun = 0;
            while q.jobs.is_empty() && !q.closed && spun < SPINS {
                drop(q);
                std::thread::yield_now();
                spun += 1;
                q = lock(queue);
            }
            while q.jobs.is_empty() && !q.closed {
                q = ready.wait(q).unwrap_or_else(|e| e.into_inner());
            }
            if q.jobs.is_empty() {
                return;
            }
            let n = q.jobs.len().min(max);
            let jobs = q.jobs.drain(..n).collect();
            if !q.jobs.is_empty() {
                // More than this thread takes: another may take them meanwhile.
                ready.notify_one();
            }
            jobs
        };
        run_jobs(&db, runtime, jobs);
    }
}

/// Run the jobs in one batch, settle it, and hand each its session and replies.
/// Jobs whose writes a COMMIT inside the batch already covered (the engine commits a
/// group once it is full) go back at once, while the rest run.
fn run_jobs(db: &Db, runtime: &Handle, jobs: Vec<Job>) {
    let pipeline = db.batch();
    let mut unconfirmed = Unconfirmed::default();
    let mut outputs: Vec<Vec<u8>> = Vec::with_capacity(jobs.len());
    let mut done = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.into_iter().enumerate() {
        let Job {
            mut session,
            output,
            requests,
            start,
            done: tx,
        } = job;
        outputs.push(output);
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            connection::run_requests(
                &pipeline,
                &mut session,
                &requests,
                start,
                &mut outputs,
                i,
                &mut unconfirmed,
            )
        }));
        // A panic drops the sender: that connection closes, as on the blocking pool.
        if let Ok(ran) = ran {
            done.push((i, session, ran, tx));
        }
        if !pipeline.pending() {
            // Nothing run so far waits for a COMMIT.
            unconfirmed.settle(&pipeline, &mut outputs);
            hand_back(runtime, &mut done, &mut outputs);
        }
    }
    pipeline.settle();
    unconfirmed.settle(&pipeline, &mut outputs);
    drop(pipeline);
    hand_back(runtime, &mut done, &mut outputs);
}

type Done = (
    usize,
    Session,
    Ran,
    oneshot::Sender<(Session, Vec<u8>, Ran)>,
);

/// Send the finished jobs their sessions and replies. Each send wakes a connection
/// task; woken from this thread, each wake-up that finds the async workers idle
/// writes to their event fd (a system call, 14% of the writer's time under
/// redis-benchmark SET -P 16). Several go through one task on the runtime instead,
/// whose wake-ups of the others stay on its worker's run queue.
fn hand_back(runtime: &Handle, done: &mut Vec<Done>, outputs: &mut [Vec<u8>]) {
    let replies: Vec<_> = done
        .drain(..)
        .map(|(i, session, ran, tx)| (tx, (session, std::mem::take(&mut outputs[i]), ran)))
        .collect();
    let send = |replies: Vec<(oneshot::Sender<_>, _)>| {
        for (tx, reply) in replies {
            let _ = tx.send(reply);
        }
    };
    if replies.len() > 1 {
        // A runtime shutting down drops the task: its connections see their batch fail.
        runtime.spawn(async move { send(replies) });
    } else {
        send(replies);
    }
}
