"""The RESP server: ``redlite-server --db app.db --port 6379``, or ``redlite.serve()``."""

from __future__ import annotations

import sys
from typing import Any

from . import _native

__all__ = ["main", "serve", "ServerHandle"]

ServerHandle = getattr(_native, "ServerHandle", None)


def serve(
    path: str = "redlite.db",
    port: int = 0,
    bind: str = "127.0.0.1",
    durability: str = "normal",
    **params: Any,
):
    """Start the server in the background; returns a handle with ``.port`` and ``.stop()``.

    ``port=0`` picks a free port (read it from ``handle.port``). The server shares
    the database with the ``redlite.Redis`` clients of this process on the same
    file; ``":memory:"`` serves a new private in-memory database. Any other
    configuration parameter (CONFIG GET *) is a keyword, with ``_`` for ``-``:
    ``serve("app.db", maxclients=100, timeout=30, metrics_port=9121)``.
    """
    from .connection import open_db

    pairs = [(name.replace("_", "-"), _param_value(v)) for name, v in params.items()]
    db = open_db(path, durability)
    return _native.spawn_server(path, port, bind, durability, db=db, params=pairs)


def _param_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def main(argv: list[str] | None = None) -> int:
    """``redlite-server [/path/to/redlite.conf] [--flag value ...]``: the same command
    line as the Rust binary (``--help``), in the foreground until SIGINT, SIGTERM or
    SHUTDOWN."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(_native.server_main(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
