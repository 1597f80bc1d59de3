"""The content version: one token in the shared cache that every cached page is checked against.

It is replaced on every save, delete and many-to-many change of a model shown publicly,
now and again when the transaction commits. Models are shown publicly unless they say
otherwise (``shown_publicly = False`` on the model, or ``NOT_SHOWN_PUBLICLY`` for other
packages' models), so a new app's models invalidate the cache without being listed anywhere.

The cache may be down, frozen or full when a change is saved; the change must still retire
the pages cached before it once the cache is back. So the database keeps a copy: after each
commit a new token is written to ``ContentVersion`` (one row), then the cache's version is
replaced by ``<token>:<nonce>``. Each process compares the token of the cache's version with
the database's at most every ``IGN_CONTENT_VERSION_CHECK_SECONDS`` (and at its first read
after it saw the cache fail), and replaces the version if they differ: a change the cache
missed costs one check interval of staleness at most, and usually none, since an outage
longer than the interval ends with a check. Every replacement takes a fresh nonce, so a
version once retired never comes back. Neither the cache nor the database failing fails a
save: the failure is logged once per interval and the other copy, or the next check, catches
up.
"""

import functools
import logging
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .dbwait import query_deadline
from .logs import log_once

logger = logging.getLogger(__name__)

VERSION_KEY = "ign:content-version"
# The token part of a version replaced before its database token was known (in a
# transaction not yet committed, or with the database failing): never equal to a token.
NO_TOKEN = "-"
# Models of other packages that no public page shows (ours say ``shown_publicly = False``).
NOT_SHOWN_PUBLICLY = {
    "admin.logentry", "sessions.session", "django_tasks_database.dbtaskresult",
    # A sign-in saves the user's last_login; the change histories follow saves that bump anyway.
    "auth.user", "ign_sessions.historicalmeeting", "ign_sessions.historicalmeeting_clusters",
    "ign_sessions.historicalsession",
}
# After the shared cache failed, this process leaves it alone this long (seconds): a frozen
# cache then costs one timeout a second, not one per request, and pages are rendered uncached.
CACHE_BACKOFF = 1.0
# After the database failed to give its token, the next comparison waits this long (seconds).
DATABASE_BACKOFF = 10.0
# Seconds each wait of the comparison gives a frozen database before giving up. There may be
# two: the connection's health check (CONN_HEALTH_CHECKS), then a new connection.
DATABASE_DEADLINE = 0.5
# The clock of the back-offs and checks (seconds, monotonic); tests replace it.
clock = time.monotonic

# When this process next compares the cache's version with the database's.
_next_check = 0.0
# Until when this process leaves the shared cache alone.
_cache_down_until = 0.0


def database_version():
    """The database's token of the last change to published data (None: no row, as in a
    flushed test database). One small query, given up after ``DATABASE_DEADLINE``: a frozen
    database costs a cached page that long, once per ``DATABASE_BACKOFF``."""
    from .models import ContentVersion

    with query_deadline(DATABASE_DEADLINE):
        return ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def _database_bump(using):
    from .models import ContentVersion

    token = uuid.uuid4().hex
    rows = ContentVersion.objects.using(using)
    if not rows.filter(pk=1).update(token=token):
        rows.update_or_create(pk=1, defaults={"token": token})
    return token


def _new_version(token):
    return f"{token or NO_TOKEN}:{uuid.uuid4().hex}"


def cache_available():
    """False for a while after this process saw the shared cache fail (``CACHE_BACKOFF``)."""
    return clock() >= _cache_down_until


def cache_failed():
    """This process saw the shared cache fail: leave it alone for ``CACHE_BACKOFF``, then
    compare its version with the database's at the first read that succeeds (a change may
    have been saved meanwhile). The caller logs, once per interval."""
    global _cache_down_until, _next_check
    _cache_down_until = clock() + CACHE_BACKOFF
    _next_check = 0.0


def current(version):
    """The content version to check cached pages against, given the cache's (just read; None
    if the cache has none).

    Creates one if the cache has none. Compares its token with the database's when a check is
    due, and replaces it if they differ. Raises if the cache fails (the caller serves
    uncached); a database that fails is logged once per interval and checked again after
    ``DATABASE_BACKOFF``, the cache's version serving meanwhile.
    """
    global _next_check
    now = clock()
    if version is not None and now < _next_check:
        return version
    _next_check = now + settings.IGN_CONTENT_VERSION_CHECK_SECONDS
    try:
        token = database_version()
    except Exception:
        _next_check = now + DATABASE_BACKOFF
        log_once(logger, "content-version-read",
                 "The database did not give the content version; cached pages are checked "
                 "against the shared cache's alone for now.")
        if version is not None:
            return version
        token = None
    if version is not None and version.partition(":")[0] == (token or NO_TOKEN):
        return version
    fresh = _new_version(token)
    if version is None:
        # add() keeps a version another process set in the meantime.
        if not cache.add(VERSION_KEY, fresh, timeout=None):
            return cache.get(VERSION_KEY) or fresh
    else:
        cache.set(VERSION_KEY, fresh, timeout=None)
    return fresh


def content_version():
    """The current content version, creating one if the cache has none (or lost it). Raises
    if the cache fails."""
    return current(cache.get(VERSION_KEY))


def _replace_in_cache(token):
    if not cache_available():
        return  # the check after the cache's return replaces it
    try:
        cache.set(VERSION_KEY, _new_version(token), timeout=None)
    except Exception:
        cache_failed()
        log_once(logger, "content-version-cache",
                 "The shared cache refused the new content version; the change is kept in "
                 "the database and retires the cached pages once the cache is back.")


def _after_commit(using):
    try:
        token = _database_bump(using)
    except Exception:
        token = None
        log_once(logger, "content-version-write",
                 "The content version could not be written to the database; the shared "
                 "cache's alone retires the cached pages.")
    _replace_in_cache(token)


def bump_version(using=DEFAULT_DB_ALIAS):
    """Replace the content version: every cached page, calendar and feed is stale from now.

    In a transaction: in the cache now, and once it commits in the database then the cache;
    a page rendered between the two, from data not yet committed, is
    stored under a version that the second retires. Outside one: at once. Never raises.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _after_commit(using)
        return
    _replace_in_cache(None)
    # One database write per transaction (per savepoint: a rolled-back savepoint drops what
    # was registered in it).
    here = set(connection.savepoint_ids)
    if not any(getattr(func, "ign_content_version", False) and savepoints == here
               for savepoints, func, _robust in connection.run_on_commit):
        after_commit = functools.partial(_after_commit, using)
        after_commit.ign_content_version = True
        transaction.on_commit(after_commit, using=using, robust=True)


def shown_publicly(model):
    """False only for models that say so, or that ``NOT_SHOWN_PUBLICLY`` names."""
    return (getattr(model, "shown_publicly", True)
            and model._meta.label_lower not in NOT_SHOWN_PUBLICLY)


def _on_change(sender, **kwargs):
    if "action" in kwargs:  # m2m_changed: the sender is the through model
        if not kwargs["action"].startswith("post_"):
            return
        sender = type(kwargs["instance"])
    if sender._meta.apps is not apps:
        return  # a migration's model: post_migrate bumps once the migrations are done
    if shown_publicly(sender):
        bump_version(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    bump_version(using)


def connect_invalidation():
    """Bump the version on every save, delete and many-to-many change of public models, and
    once after ``migrate``.

    ``QuerySet.update()`` and ``bulk_create()`` send no signals: code that uses them on
    published data calls ``bump_version()`` itself.
    """
    post_save.connect(_on_change, dispatch_uid="ign_cache_post_save")
    post_delete.connect(_on_change, dispatch_uid="ign_cache_post_delete")
    m2m_changed.connect(_on_change, dispatch_uid="ign_cache_m2m_changed")
    post_migrate.connect(_on_migrate, dispatch_uid="ign_cache_post_migrate")
