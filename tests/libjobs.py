"""Job functions for the RQ test (test_libraries.py): RQ stores a job's function by
its import path, so they live in a module of their own."""

import redis
import redlite


def add(a, b):
    return a + b


def fail():
    raise ValueError("this job fails")


def flaky(url, key):
    """Fails until it has been tried three times (the count is kept in the database)."""
    client = (
        redlite.from_url(url)
        if url.startswith("redlite")
        else redis.Redis.from_url(url)
    )
    n = client.incr(key)
    if n < 3:
        raise RuntimeError(f"attempt {n} fails")
    return n
