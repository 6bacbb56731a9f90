"""The RESP server: ``redlite-server --db app.db --port 6379``, or ``redlite.serve()``."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from . import _native

__all__ = ["main", "serve", "ServerHandle"]

ServerHandle = getattr(_native, "ServerHandle", None)


def serve(
    path: str = "redlite.db",
    port: int = 0,
    bind: str = "127.0.0.1",
    durability: str = "normal",
):
    """Start the server in the background; returns a handle with ``.port`` and ``.stop()``.

    ``port=0`` picks a free port (read it from ``handle.port``). The server shares
    the database with the ``redlite.Redis`` clients of this process on the same
    file; ``":memory:"`` serves a new private in-memory database.
    """
    from .connection import open_db

    db = open_db(path, durability)
    return _native.spawn_server(path, port, bind, durability, db=db)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the server in the foreground until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="redlite-server",
        description="Serve a redlite database (one SQLite file) over the Redis protocol.",
    )
    parser.add_argument("--db", default="redlite.db", help="database file (default: redlite.db)")
    parser.add_argument("--port", type=int, default=6379, help="TCP port (default: 6379)")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--durability", choices=("normal", "full"), default="normal",
        help="normal: survives a process crash; full: also a power loss",
    )
    args = parser.parse_args(argv)
    try:
        _native.serve(args.db, args.port, args.bind, args.durability)
    except KeyboardInterrupt:
        pass
    except OSError as e:
        print(f"redlite-server: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
