"""The client-side deadline on PostgreSQL waits, against a cluster of the test's own."""

import contextlib
import threading
import time

import psycopg2
import pytest
from psycopg2 import extensions

from common import dbwait
from tests.processes import PostgresCluster


@pytest.fixture(scope="module")
def cluster():
    pg = PostgresCluster()
    yield pg
    pg.remove()


@pytest.fixture
def deadline_of_one_second():
    previous = extensions.get_wait_callback(), dbwait.default_deadline
    dbwait.install(1.0)
    yield
    extensions.set_wait_callback(previous[0])
    dbwait.default_deadline = previous[1]


def took(call, *deadlines, limit=10):
    """(seconds, the OperationalError raised or None) of ``call`` under ``query_deadline`` of
    each of ``deadlines``; in a thread, so that a wait nothing bounds fails the test after
    ``limit`` seconds instead of hanging it."""
    outcome = []

    def run():
        started = time.monotonic()
        try:
            with contextlib.ExitStack() as stack:
                for seconds in deadlines:
                    stack.enter_context(dbwait.query_deadline(seconds))
                call()
        except psycopg2.OperationalError as exc:
            outcome.append((time.monotonic() - started, exc))
        else:
            outcome.append((time.monotonic() - started, None))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert outcome, f"still waiting after {limit} s"
    return outcome[0]


def test_a_frozen_server_is_given_up_on_at_the_deadline(cluster, deadline_of_one_second):
    conn = psycopg2.connect(cluster.url(), connect_timeout=2)
    cursor = conn.cursor()
    cursor.execute("SELECT 1")
    cluster.freeze()
    try:
        seconds, error = took(lambda: cursor.execute("SELECT 1"))
        assert isinstance(error, dbwait.DeadlineExceeded)
        assert 0.9 < seconds < 3
        assert conn.closed  # psycopg2 drops it: Django opens a fresh one next time
        # Opening a connection: bounded by connect_timeout, which libpq ignores here.
        seconds, error = took(lambda: psycopg2.connect(cluster.url(), connect_timeout=2), None)
        assert isinstance(error, dbwait.DeadlineExceeded)
        assert 1.9 < seconds < 4
    finally:
        cluster.thaw()


def test_the_deadline_is_overridden_per_block(cluster, deadline_of_one_second):
    conn = psycopg2.connect(cluster.url())
    conn.autocommit = True
    cursor = conn.cursor()
    seconds, error = took(lambda: cursor.execute("SELECT pg_sleep(2)"), 0.2)
    assert isinstance(error, dbwait.DeadlineExceeded)
    assert seconds < 1
    conn = psycopg2.connect(cluster.url())
    cursor = conn.cursor()
    assert took(lambda: cursor.execute("SELECT pg_sleep(1.5)"), None)[1] is None
    # Nested: the innermost wins.
    assert took(lambda: cursor.execute("SELECT pg_sleep(1.2)"), None, 5)[1] is None
    assert isinstance(took(lambda: cursor.execute("SELECT pg_sleep(1.5)"), 5, 0.3)[1],
                      dbwait.DeadlineExceeded)
    # Out of every block, the default again.
    cursor = psycopg2.connect(cluster.url()).cursor()
    assert isinstance(took(lambda: cursor.execute("SELECT pg_sleep(1.5)"))[1],
                      dbwait.DeadlineExceeded)
