"""The content version: one token in the shared cache that every cached page is checked against.

It is replaced on every save, delete and many-to-many change of a model shown publicly,
now and again when the transaction commits. Models are shown publicly unless they say
otherwise (``shown_publicly = False`` on the model, or ``NOT_SHOWN_PUBLICLY`` for other
packages' models), so a new app's models invalidate the cache without being listed anywhere.
"""

import logging
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "ign:content-version"
# Models of other packages that no public page shows (ours say ``shown_publicly = False``).
NOT_SHOWN_PUBLICLY = {
    "admin.logentry", "sessions.session", "django_tasks_database.dbtaskresult",
    # A sign-in saves the user's last_login; the change histories follow saves that bump anyway.
    "auth.user", "ign_sessions.historicalmeeting", "ign_sessions.historicalmeeting_clusters",
    "ign_sessions.historicalsession",
}


def content_version():
    """The current content version, creating one if the cache has none (or lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() keeps a token another worker set in the meantime.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_version():
    """Replace the content version: every cached page, calendar and feed is stale from now."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


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
        # Now (a failure here fails the write, rather than leave stale pages), and again
        # after commit: a page rendered between the two, from data not yet committed, is
        # stored under a version that the second bump retires.
        bump_version()
        transaction.on_commit(bump_version, robust=True)


def _on_migrate(sender, **kwargs):
    try:
        bump_version()
    except Exception:  # no cache yet (its table is made by a migration): nothing cached either
        logger.warning("The content version could not be replaced after migrate.", exc_info=True)


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
