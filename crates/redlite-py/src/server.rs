//! The RESP server, started from Python (`redlite-server`, `redlite.serve`).

use pyo3::exceptions::PyNotImplementedError;
use pyo3::prelude::*;

#[pyfunction]
#[pyo3(signature = (path, port=6379, bind="127.0.0.1", durability="normal"))]
fn serve(path: &str, port: u16, bind: &str, durability: &str) -> PyResult<()> {
    let _ = (path, port, bind, durability);
    Err(PyNotImplementedError::new_err("the server is not built into this module yet"))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(serve, m)?)?;
    Ok(())
}
