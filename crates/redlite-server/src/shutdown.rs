//! The shutdown signal every task listens to.
//!
//! One `watch` channel: the server flips it once; the accept loop and each connection
//! hold a `Shutdown` and see it whether they are waiting at that moment or check later.

use tokio::sync::watch;

#[derive(Debug, Clone)]
pub(crate) struct Shutdown {
    rx: watch::Receiver<bool>,
}

/// The sending side, kept by the server.
#[derive(Debug)]
pub(crate) struct Trigger {
    tx: watch::Sender<bool>,
}

pub(crate) fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger { tx }, Shutdown { rx })
}

impl Trigger {
    pub(crate) fn fire(&self) {
        self.tx.send_replace(true);
    }
}

impl Shutdown {
    pub(crate) fn is_shutdown(&self) -> bool {
        *self.rx.borrow()
    }

    /// Wait until shutdown has been asked for (at once if it already has).
    pub(crate) async fn recv(&mut self) {
        // An error means the trigger is gone, which only happens as the server ends.
        let _ = self.rx.wait_for(|&down| down).await;
    }
}
