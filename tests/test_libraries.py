"""Real users of Lua scripts, run against redlite: RQ (job queue), Celery (task
queue, redis broker and result backend) and redis-py's Lock. The libraries are
installed (requirements-dev.txt), not imitated; each runs embedded (a
``redlite.Redis`` in this process) where the library takes a client object, and
through redlite-server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import redis
import redlite
from redis.exceptions import LockError

HERE = Path(__file__).resolve().parent


@pytest.fixture(params=["embedded", "server"])
def client(request, tmp_path, redlite_server):
    if request.param == "embedded":
        url = f"redlite:///{tmp_path / 'lib.db'}"
        c = redlite.from_url(url)
    else:
        url = f"redis://127.0.0.1:{redlite_server.port}/0"
        c = redis.Redis.from_url(url)
        c.flushall()
    c.url = url
    yield c
    c.close()


# ---- redis-py Lock ----------------------------------------------------------------


def test_lock_mutual_exclusion(client):
    """Eight threads take the same lock 25 times each: never two inside at once."""
    inside = []
    overlaps = []
    done = []

    def worker(n):
        for _ in range(25):
            lock = client.lock("the-lock", timeout=30, blocking_timeout=60, sleep=0.001)
            assert lock.acquire()
            inside.append(n)
            if len(inside) > 1:
                overlaps.append(list(inside))
            done.append(n)
            inside.remove(n)
            lock.release()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert len(done) == 8 * 25
    assert client.get("the-lock") is None


def test_lock_expiry_releases_a_dead_holder(client):
    """A holder that never releases: its lock expires and another takes it; the dead
    holder can then neither release nor extend it (the Lua scripts check the token)."""
    dead = client.lock("job-lock", timeout=0.2)
    assert dead.acquire(blocking=False)
    other = client.lock("job-lock", timeout=10, blocking_timeout=30, sleep=0.01)
    assert other.acquire()
    assert other.owned() and not dead.owned()
    with pytest.raises(LockError):
        dead.release()
    with pytest.raises(LockError):
        dead.extend(5)
    assert other.extend(5)
    assert other.reacquire()
    other.release()
    assert not client.exists("job-lock")


# ---- RQ -------------------------------------------------------------------------------


def _worker_class(rq):
    """RQ's SimpleWorker, its pub/sub thread polling every 0.1 s instead of 60 s.

    RQ's `unsubscribe` sends UNSUBSCRIBE from the main thread and joins the pub/sub
    thread for 1 s; over a socket the confirmation wakes that thread at once. The
    embedded connection does not hand it to the waiting thread (see the report of
    this test's author), so the thread would sleep out its 60 s and still be inside
    the engine when the interpreter exits, which aborts the process. A short poll
    lets it see `stop()` in time; nothing else of RQ changes."""

    class Worker(rq.SimpleWorker):
        def subscribe(self):
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(
                sleep_time=0.1,
                daemon=True,
                exception_handler=self._pubsub_exception_handler,
            )

    return Worker


def test_rq_thousand_jobs_failures_and_retries(client):
    import rq  # pinned in requirements-dev.txt: missing, the test fails

    sys.path.insert(0, str(HERE))
    import libjobs

    queue = rq.Queue("default", connection=client)
    jobs = [queue.enqueue(libjobs.add, i, 1) for i in range(1000)]
    failing = queue.enqueue(libjobs.fail)
    flaky = queue.enqueue(
        libjobs.flaky, client.url, "flaky-count", retry=rq.Retry(max=3)
    )
    worker = _worker_class(rq)([queue], connection=client)
    worker.work(burst=True)
    # Retried jobs are scheduled again: work until the queue is drained.
    for _ in range(10):
        if flaky.get_status(refresh=True) == rq.job.JobStatus.FINISHED:
            break
        worker.work(burst=True)
    statuses = {job.get_status(refresh=True) for job in jobs}
    assert statuses == {rq.job.JobStatus.FINISHED}
    assert [job.return_value() for job in jobs] == [i + 1 for i in range(1000)]
    assert failing.get_status(refresh=True) == rq.job.JobStatus.FAILED
    assert failing.id in queue.failed_job_registry.get_job_ids()
    assert "this job fails" in (failing.latest_result().exc_string or "")
    assert flaky.get_status(refresh=True) == rq.job.JobStatus.FINISHED
    assert flaky.return_value() == 3
    assert int(client.get("flaky-count")) == 3


# ---- Celery ---------------------------------------------------------------------------


def test_celery_round_trip(redlite_server, tmp_path):
    import celery  # noqa: F401  pinned in requirements-dev.txt: missing, the test fails

    url = f"redis://127.0.0.1:{redlite_server.port}/3"
    redis.Redis.from_url(url).flushdb()
    env = dict(
        os.environ,
        REDLITE_CELERY_URL=url,
        PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    )
    log = open(tmp_path / "celery-worker.log", "wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "celery_app",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=str(HERE),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        os.environ["REDLITE_CELERY_URL"] = url
        sys.path.insert(0, str(HERE))
        import celery_app

        result = celery_app.add.delay(2, 3)
        assert result.get(timeout=60) == 5
        results = [celery_app.add.delay(i, i) for i in range(10)]
        assert [r.get(timeout=60) for r in results] == [2 * i for i in range(10)]
        failed = celery_app.boom.delay()
        with pytest.raises(ValueError, match="boom"):
            failed.get(timeout=60)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
