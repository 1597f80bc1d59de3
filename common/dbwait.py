"""A client-side deadline on every PostgreSQL wait: a frozen server costs seconds, not a worker.

``statement_timeout`` is enforced by the server, and TCP keepalives only notice a peer whose
kernel is gone: a server that is alive on the network but does not answer (stopped with
SIGSTOP, swapping, a hung disk) holds a blocking psycopg2 call for ever, and libpq's own
``connect_timeout`` only bounds blocking connections. psycopg2 lets a wait callback do every
wait instead (``psycopg2.extensions.set_wait_callback``); ours waits with ``select()`` until
the deadline and then raises ``OperationalError``, which Django treats as any lost
connection: the connection is closed at the end of the request, and the next request opens a
fresh one.

The deadline is per wait: one query, ``DATABASE_QUERY_DEADLINE`` seconds by default, or one
connection set-up, at most the connection's ``connect_timeout`` (which libpq itself ignores
once waits go through a callback); ``query_deadline(seconds)`` overrides the default for a
block in this thread (``None``: no deadline but ``connect_timeout``).

It gives up on the connection without cancelling the query: a cancel request is a new
connection to the same server, which would wait as long. The server ends the
query itself (``statement_timeout``), or notices the closed socket once it runs again.
"""

import contextlib
import functools
import select
import threading
import time

import psycopg2
from psycopg2 import extensions

_local = threading.local()
_UNSET = object()
# Seconds; set from settings by install().
default_deadline = None


def _deadline():
    seconds = getattr(_local, "seconds", _UNSET)
    return default_deadline if seconds is _UNSET else seconds


@contextlib.contextmanager
def query_deadline(seconds):
    """Every database wait in the block, in this thread, gives up after ``seconds``
    (a number, or None for no deadline) with ``OperationalError``."""
    previous = getattr(_local, "seconds", _UNSET)
    _local.seconds = seconds
    try:
        yield
    finally:
        if previous is _UNSET:
            del _local.seconds
        else:
            _local.seconds = previous


@functools.lru_cache(maxsize=8)
def _connect_timeout(dsn):
    return float(extensions.parse_dsn(dsn).get("connect_timeout") or 0) or None


class DeadlineExceeded(psycopg2.OperationalError):
    """The server did not answer within the deadline (raised from the wait callback)."""


def wait_with_deadline(conn):
    """psycopg2's wait callback: poll the connection, waiting in ``select()`` at most until
    the deadline."""
    seconds = _deadline()
    if conn.status == extensions.STATUS_SETUP:
        connect = _connect_timeout(conn.dsn)
        if connect and (seconds is None or connect < seconds):
            seconds = connect
    end = None if seconds is None else time.monotonic() + seconds
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            readable, writable = [conn.fileno()], []
        elif state == extensions.POLL_WRITE:
            readable, writable = [], [conn.fileno()]
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")
        timeout = None if end is None else end - time.monotonic()
        if timeout is not None and timeout <= 0:
            raise DeadlineExceeded(
                f"the database did not answer within {seconds:g} s (client-side deadline)")
        select.select(readable, writable, [], timeout)


def install(seconds):
    """Make every psycopg2 connection of this process wait through ``wait_with_deadline``,
    with ``seconds`` as the default deadline (None: no deadline, but still waits that
    ``query_deadline`` can bound)."""
    global default_deadline
    default_deadline = seconds
    extensions.set_wait_callback(wait_with_deadline)
