"""The Celery app of test_libraries.py: broker and result backend on redlite-server
(the URL comes from REDLITE_CELERY_URL)."""

import os

from celery import Celery

URL = os.environ.get("REDLITE_CELERY_URL", "redis://127.0.0.1:6379/3")

app = Celery("redlite_test", broker=URL, backend=URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)


@app.task
def add(a, b):
    return a + b


@app.task
def boom():
    raise ValueError("boom")
