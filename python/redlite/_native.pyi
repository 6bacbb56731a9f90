"""Type stubs of the engine module (crates/redlite-py)."""

from collections.abc import Iterable
from typing import Any, Callable, Literal

__version__: str

Arg = bytes | bytearray | memoryview | str | int | float

class ReplyError(Exception):
    """An error reply, when the session has no error_factory."""

class Db:
    """One database: a SQLite file, or a private in-memory database (path None or ":memory:")."""

    def __init__(
        self,
        path: str | None = None,
        durability: Literal["normal", "full"] = "normal",
    ) -> None: ...
    @property
    def path(self) -> str | None: ...
    @property
    def durability(self) -> str: ...
    def checkpoint(self) -> None: ...

class Reply:
    """The engine's answer to one command."""

    @property
    def is_error(self) -> bool: ...
    @property
    def protocol(self) -> int: ...
    @property
    def is_push(self) -> bool:
        """A RESP3 push (pub/sub message or confirmation)."""
    def value(self, encoding: str | None = None, errors: str = "strict") -> Any:
        """As redis-py's parser returns it for the session's protocol; errors are returned."""
    def tree(self, resp: int = 0) -> tuple[str, Any]:
        """(kind, value): nil, nilarray, simple, error, int, bulk, double, bool, array,
        map, set, push, verbatim. resp=2 writes RESP3-only kinds as RESP2 does."""

class Session:
    """One client of the engine: selected db, protocol, connection state."""

    error_factory: Callable[[str], Any] | None
    protocol: int
    def __init__(
        self, db: Db, error_factory: Callable[[str], Any] | None = None
    ) -> None: ...
    def execute(
        self,
        args: Iterable[Arg],
        encoding: str | None = None,
        errors: str = "strict",
    ) -> Any:
        """Run one command (name first); the GIL is released while the engine works."""
    def run(self, args: Iterable[Arg]) -> Reply: ...
    def run_batch(
        self, commands: Iterable[Iterable[Arg]]
    ) -> list[tuple[list[Reply], Reply]]: ...
    def selected_db(self) -> int: ...
    def closing(self) -> bool: ...
    def take_pushes(self) -> list[Reply]:
        """The out-of-band replies (pub/sub messages) queued so far, oldest first."""
    def wait_pushes(self, timeout: float | None = None) -> bool:
        """Wait (GIL released, Ctrl-C honoured) until one is queued; False on timeout."""
    def nudge(self) -> None:
        """Make a thread waiting in wait_pushes return True (a reply was queued for it)."""
    @property
    def subscribed(self) -> bool: ...

class ServerHandle:
    """A server running in the background."""

    @property
    def port(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def stop(self) -> None: ...
    def __enter__(self) -> ServerHandle: ...
    def __exit__(self, *exc: Any) -> bool: ...

def serve(
    path: str = "redlite.db",
    port: int = 6379,
    bind: str = "127.0.0.1",
    durability: str = "normal",
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM."""

def spawn_server(
    path: str = "redlite.db",
    port: int = 0,
    bind: str = "127.0.0.1",
    durability: str = "normal",
    db: Db | None = None,
    params: list[tuple[str, str]] = ...,
) -> ServerHandle: ...
def server_main(argv: list[str]) -> int:
    """The redlite-server command line (config file, flags); returns the exit status."""

def format_double(d: float) -> str:
    """Redis's RESP2 text for a double."""
