//! The RESP server, started from Python: `redlite-server` (foreground, `serve`) and
//! `redlite.serve()` (background, `spawn_server`).

use std::sync::Mutex;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use redlite_server::{Config, ServerHandle as CoreHandle};

use crate::{parse_durability, Db};

fn config(path: &str, port: u16, bind: &str, durability: &str) -> PyResult<Config> {
    if path.is_empty() || path == ":memory:" {
        return Err(PyValueError::new_err(
            "the server needs a database file (pass a Db to share an in-memory one)",
        ));
    }
    Ok(Config {
        port,
        bind: bind.to_string(),
        durability: parse_durability(durability)?,
        ..Config::new(path)
    })
}

/// Serve `path` in the foreground until SIGINT or SIGTERM (the GIL is released).
#[pyfunction]
#[pyo3(signature = (path="redlite.db", port=6379, bind="127.0.0.1", durability="normal"))]
fn serve(py: Python<'_>, path: &str, port: u16, bind: &str, durability: &str) -> PyResult<()> {
    let config = config(path, port, bind, durability)?;
    crate::unlocked(py, || redlite_server::run(config))
        .map_err(|e| PyOSError::new_err(e.to_string()))
}

/// The `redlite-server` command line (config file, flags), in the foreground until
/// SIGINT, SIGTERM or SHUTDOWN; returns the exit status (the GIL is released).
#[pyfunction]
fn server_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    crate::unlocked(py, || redlite_server::cli::main(argv))
}

/// Serve in the background; returns once the port is listening. With `db`, serve
/// that open database (shared with the embedded clients on it) instead of opening
/// `path`.
#[pyfunction]
#[pyo3(signature = (path="redlite.db", port=0, bind="127.0.0.1", durability="normal", db=None, params=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn spawn_server(
    py: Python<'_>,
    path: &str,
    port: u16,
    bind: &str,
    durability: &str,
    db: Option<&Db>,
    params: Vec<(String, String)>,
) -> PyResult<ServerHandle> {
    let handle = match db {
        Some(db) => {
            let mut config = Config {
                port,
                bind: bind.to_string(),
                durability: parse_durability(durability)?,
                ..Config::new(db.path.clone().unwrap_or_else(|| ":memory:".into()))
            };
            config.log = false;
            config.params = params;
            let core = db.db.clone();
            crate::unlocked(py, || redlite_server::spawn_with_db(config, core))
        }
        None => {
            let mut config = config(path, port, bind, durability)?;
            config.log = false;
            config.params = params;
            crate::unlocked(py, || redlite_server::spawn(config))
        }
    }
    .map_err(|e| PyOSError::new_err(e.to_string()))?;
    Ok(ServerHandle {
        port: handle.port(),
        inner: Mutex::new(Some(handle)),
    })
}

/// A server running in the background. `stop()` (or leaving a `with` block) stops
/// it gracefully: in-flight commands finish and the database is checkpointed.
#[pyclass(module = "redlite._native")]
struct ServerHandle {
    port: u16,
    inner: Mutex<Option<CoreHandle>>,
}

#[pymethods]
impl ServerHandle {
    /// The port the server listens on.
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    /// True until `stop()`.
    #[getter]
    fn running(&self) -> bool {
        self.inner.lock().map(|h| h.is_some()).unwrap_or(false)
    }

    /// Stop the server and wait for it; a second call does nothing.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let handle = self.inner.lock().map(|mut h| h.take()).unwrap_or(None);
        match handle {
            Some(h) => {
                crate::unlocked(py, || h.stop()).map_err(|e| PyOSError::new_err(e.to_string()))
            }
            None => Ok(()),
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.stop(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!(
            "ServerHandle(port={}, running={})",
            self.port,
            self.running()
        )
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        // Dropping the engine's handle stops the server and waits; without the GIL
        // held by anyone who needs it, since the server never takes it.
        if let Ok(mut h) = self.inner.lock() {
            h.take();
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(serve, m)?)?;
    m.add_function(wrap_pyfunction!(server_main, m)?)?;
    m.add_function(wrap_pyfunction!(spawn_server, m)?)?;
    m.add_class::<ServerHandle>()?;
    Ok(())
}
