"""Caching of the public pages, calendars and feeds in the shared cache, never stale.

Every cached response is stored under a key that contains the *content version*: a random
token kept in the shared cache and replaced (at once, and again when the transaction
commits) whenever a row of the portal's own apps is saved or deleted (see
``connect_signals``). A new token makes every
earlier key unreachable at once, in every worker on every machine; nothing lives in process
memory. Pages that depend on the clock (upcoming or past) also carry the minute in their
key, so a meeting passes from "upcoming" to "past" within a minute of its end.

Visitors who carry a session cookie (staff who signed in) are never served from, nor
written to, the cache: they may see drafts.
"""

import functools
import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

VERSION_KEY = "ign:content-version"
# Generous: a new content version makes old entries unreachable anyway.
PAGE_TIMEOUT = 60 * 60
CLOCK_GRANULARITY = 60
MAX_QUERY_STRING = 300
# The apps whose rows appear on public pages, calendars and feeds.
WATCHED_APPS = {"ign_sessions", "clusters", "correspondence"}
# Rows of those apps that no public page shows: the delivery ledger changes on every message.
UNWATCHED_MODELS = {"correspondence.delivery"}
# Headers the security middleware sets again on every response, or that are per request.
UNSTORED_HEADERS = {"x-cache", "set-cookie", "strict-transport-security",
                    "cross-origin-opener-policy", "referrer-policy", "x-content-type-options"}


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


def _on_change(sender, **kwargs):
    if sender._meta.app_label in WATCHED_APPS and sender._meta.label_lower not in UNWATCHED_MODELS:
        # Now, and again after commit: a page rendered between the two, from data not yet
        # committed, is stored under a key that the second bump leaves unreachable.
        bump_version()
        transaction.on_commit(bump_version)


def connect_signals():
    """Bump the version on every save, delete and many-to-many change in the watched apps.

    ``QuerySet.update()`` and ``bulk_create()`` send no signals: code that uses them on
    published data calls ``bump_version()`` itself.
    """
    post_save.connect(_on_change, dispatch_uid="ign_cache_post_save")
    post_delete.connect(_on_change, dispatch_uid="ign_cache_post_delete")
    m2m_changed.connect(_on_change, dispatch_uid="ign_cache_m2m_changed")


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request, version):
    # Feeds and the sitemap write absolute URLs from the request's scheme and host.
    try:
        host = request.get_host()
    except DisallowedHost:
        host = ""
    address = f"{request.scheme}://{host}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape"))
    minute = int(time.time()) // CLOCK_GRANULARITY
    return f"ign:page:{version}:{minute}:{digest.hexdigest()}"


# This process's last sight of the content version: a guess that saves a round trip, never
# trusted; MGET reads the true version together with the page stored under the guess.
_hint = {"version": None}


def _lookup(request):
    """(key, stored page or None) under the current content version, in one read if possible."""
    guess = _hint["version"]
    if guess is not None:
        guessed_key = _key(request, guess)
        found = cache.get_many([VERSION_KEY, guessed_key])
        version = found.get(VERSION_KEY)
        if version == guess:
            return guessed_key, found.get(guessed_key)
    version = content_version()
    _hint["version"] = version
    key = _key(request, version)
    return key, cache.get(key)


def _tag(response):
    """An ETag, and a Cache-Control that has clients ask again (the ETag makes that a 304)."""
    if response.status_code != 200 or response.streaming:
        return
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, no_cache=True)
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'


def _conditional(request, response):
    """304 when the client already holds this version."""
    if response.status_code != 200 or not response.has_header("ETag"):
        return response
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def public_cache(view):
    """Mark a view's successful responses as public: the same for every anonymous visitor.

    ``PublicPageCacheMiddleware`` stores only marked responses. Signed-in staff get them
    with ``Cache-Control: private, no-cache``.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response = response.render()
        response.ign_public = True
        if not _cacheable(request):
            patch_cache_control(response, private=True, no_cache=True)
        _tag(response)
        return response

    return wrapper


class PublicPageCacheMiddleware:
    """Answer anonymous GETs of public pages from the shared cache, before the rest of the stack.

    Placed right after WhiteNoise, so that a hit costs two cache reads and skips the
    session, locale, CSRF, authentication and message middleware. What those add to a
    public response (Content-Language, Vary, X-Frame-Options) is stored with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            response = self.get_response(request)
            return _conditional(request, response) if getattr(
                response, "ign_public", False) else response
        key, stored = _lookup(request)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "hit"
            return _conditional(request, response)
        response = self.get_response(request)
        if (
            getattr(response, "ign_public", False) and response.status_code == 200
            and not response.streaming and not response.cookies
            # Endless made-up query strings must not fill the cache.
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        ):
            headers = {h: v for h, v in response.items() if h.lower() not in UNSTORED_HEADERS}
            cache.set(key, (response.content, headers), timeout=PAGE_TIMEOUT)
            response["X-Cache"] = "miss"
            return _conditional(request, response)
        return response
