"""redlite: Redis data structures and the Redis protocol on one SQLite file.

``redlite.Redis("app.db")`` is a redis-py ``Redis`` that runs every command in this
process, on that file; ``redlite.serve()`` or ``redlite-server`` serves the same
file to any Redis client.
"""

from . import _native
from .client import Redis, StrictRedis, from_url
from .connection import EmbeddedConnection, EmbeddedConnectionPool
from .server import serve

__version__ = _native.__version__

__all__ = [
    "Redis",
    "StrictRedis",
    "from_url",
    "serve",
    "EmbeddedConnection",
    "EmbeddedConnectionPool",
    "__version__",
]
