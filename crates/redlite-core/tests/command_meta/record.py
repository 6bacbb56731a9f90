"""Record COMMAND INFO / DOCS fixtures from a real Redis 7.0.15.

    redis-server --port 7650 --save '' --appendonly no --daemonize yes
    python3 crates/redlite-core/tests/command_meta/record.py 7650 [--dir DIR] NAME...

writes info.resp3 and docs.resp3 into DIR (default: this folder, the fixtures of
tests/command_meta.rs; tests/zsets_meta and tests/streams_meta hold those of
tests/zsets.rs and tests/streams.rs): the raw RESP3 replies (after HELLO 3) to
`COMMAND INFO <name>` and `COMMAND DOCS <name>`, one after the other, for each name.
"""

import socket
import sys
from pathlib import Path


def reply_end(buf: bytes, i: int) -> int:
    """The offset just past the RESP3 reply starting at buf[i]."""
    t = buf[i:i + 1]
    eol = buf.index(b"\r\n", i)
    head = buf[i + 1:eol]
    i = eol + 2
    if t in (b"$", b"=", b"!"):
        n = int(head)
        return i if n < 0 else i + n + 2
    if t in (b"*", b"~", b">", b"%", b"|"):
        n = int(head)
        for _ in range(max(n, 0) * (2 if t in (b"%", b"|") else 1)):
            i = reply_end(buf, i)
        return i
    return i  # + - : _ , # (


def command(sock: socket.socket, *argv: str) -> bytes:
    req = b"*%d\r\n" % len(argv) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a.encode()) for a in argv)
    sock.sendall(req)
    buf = b""
    while True:
        buf += sock.recv(1 << 16)
        try:
            end = reply_end(buf, 0)
        except (ValueError, IndexError):
            continue
        if end <= len(buf):
            assert end == len(buf), "one reply at a time"
            return buf


def main() -> None:
    port, names = int(sys.argv[1]), sys.argv[2:]
    here = Path(__file__).resolve().parent
    if names[:1] == ["--dir"]:
        here, names = Path(names[1]), names[2:]
    sock = socket.create_connection(("127.0.0.1", port))
    command(sock, "HELLO", "3")
    for sub, file in (("INFO", "info.resp3"), ("DOCS", "docs.resp3")):
        (here / file).write_bytes(b"".join(command(sock, "COMMAND", sub, n) for n in names))


if __name__ == "__main__":
    main()
