"""Health endpoints for the proxy, the supervisor and the monitoring.

``/healthz`` says the process is up and answering: it touches neither the database nor the
cache, so a dependency that fails never gets an app server restarted for nothing.
``/readyz`` says whether this process reaches its dependencies, the database and the shared
cache, with how long each took; 503 with ``Retry-After`` if either does not answer.

Both are never cached (not ``@public_cache``, and ``Cache-Control: no-store``) and cheap:
one ``SELECT 1`` and one write and read of a small cache key. A failure is logged once per
interval (``common.logs.log_once``), since a probe asks every few seconds.
"""

import logging
import secrets
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.dbwait import query_deadline
from common.logs import log_once

logger = logging.getLogger(__name__)

# The client waits this long before asking again when not ready.
RETRY_AFTER_SECONDS = 10
READY_KEY = "ign:readyz"
DATABASE_DEADLINE = 2


def database_reachable():
    """One round trip to the database (a new connection if the last one broke), given up after
    ``DATABASE_DEADLINE`` seconds: a frozen database is reported, not waited for."""
    with query_deadline(DATABASE_DEADLINE), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_reachable():
    """A write and a read of the shared cache: a cache that swallows its errors (answers
    None to every read) or refuses writes (full) is not reachable either."""
    token = secrets.token_hex(8)
    cache.set(READY_KEY, token, timeout=60)
    if cache.get(READY_KEY) != token:
        raise ConnectionError("the cache did not return what was written")


def _timed(name, check):
    started = time.perf_counter()
    try:
        check()
    except Exception as error:
        log_once(logger, f"readyz:{name}", "Readiness: the %s is not reachable (%s).", name,
                 type(error).__name__)
        result = {"ok": False, "error": type(error).__name__}
    else:
        result = {"ok": True}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "up"})


@require_safe
@never_cache
def readyz(request):
    checks = {"database": _timed("database", database_reachable),
              "cache": _timed("cache", cache_reachable)}
    ready = all(check["ok"] for check in checks.values())
    response = JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                            status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
