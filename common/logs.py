"""Logging a failing dependency once per interval, not once per request.

A cache or database that is down fails every request: one line per request would bury the
log (and cost each request a traceback). ``log_once`` writes the first failure of a kind with
its traceback, then at most one line per interval saying how many were left out.
"""

import logging
import threading
import time

_lock = threading.Lock()
# key -> (when the last line was written, failures left out since)
_last = {}
# Tests replace it.
clock = time.monotonic


def log_once(logger, key, message, *args, interval=60.0, level=logging.WARNING, exc_info=True):
    """Log ``message % args`` under ``key`` at most once per ``interval`` seconds in this
    process; the next line says how many were left out. Returns True if it logged."""
    now = clock()
    with _lock:
        written, left_out = _last.get(key, (None, 0))
        if written is not None and now - written < interval:
            _last[key] = (written, left_out + 1)
            return False
        _last[key] = (now, 0)
    if left_out:
        message = f"{message} (and {left_out} more like it in the last {interval:.0f} s)"
    logger.log(level, message, *args, exc_info=exc_info)
    return True


def forget():
    """Start every interval afresh (tests)."""
    with _lock:
        _last.clear()
