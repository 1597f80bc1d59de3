"""The page cache: public pages, calendars, feeds, the API and downloads, shared by every worker.

A view says it is public with ``@public_cache``: for anonymous visitors its response
depends only on the URL, the language and the data, never on who asks. Its options say
which query parameters it reads (each in its one canonical spelling), whether it depends
on the clock (upcoming/past) and which request headers beyond the language it varies on.

``PublicPageCacheMiddleware`` sits right after WhiteNoise. For an anonymous GET or HEAD it
resolves the path to its view (in process, memoised: the URLconf is code), and builds the
key from the scheme, host, path, the page's own query parameters, the language that
``LocaleMiddleware`` will activate, the values of the declared ``vary`` headers and, for
clock pages only, the minute (see ``clock``). One MGET reads the content version and the
entry; the entry records the version it was rendered under and is served only if that is
still the current version. A process that served the entry lately keeps a copy and reads
only the version (``LocalCopies``); a view marked ``immutable`` (an issued PDF) is served
from that copy without any read. A hit thus costs one round trip at most and skips the
session, locale, CSRF, authentication and message middleware; what they add to a public response
(Content-Language, Vary) is stored with it. The security headers (CSP, X-Frame-Options,
Permissions-Policy) are added by middleware outside this one, to hits too; a response whose CSP
nonce was used is never stored.

The content version, and which writes replace it, live in ``common/content_version.py``.

Visitors who signed in carry a signed marker cookie, set at login and cleared at logout: they
are never served from, nor written to, the cache. A made-up session cookie forces nothing.
If the shared cache fails (down, frozen, full), pages are rendered and served uncached: each
call to it is bounded by short timeouts (``CACHE_TIMEOUT``), and after a failure this process
leaves it alone for a second (``content_version.CACHE_BACKOFF``); failures are logged once per
interval (``common.logs.log_once``), not per request.
"""

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe, split_header_value, urlencode

from .content_version import (
    VERSION_KEY,
    cache_available,
    cache_failed,
    connect_invalidation,
    current,
)
from .logs import log_once

logger = logging.getLogger(__name__)

KEY_PREFIX = "ign:page:"
# Generous: an entry of an older content version is never served anyway.
PAGE_TIMEOUT = 60 * 60
CLOCK_GRANULARITY = 60
# The clock of clock-dependent keys (seconds since the epoch); tests replace it.
clock = time.time

# Canonical spellings of query values: a valid value has exactly one, so that "01", "+1" and
# " 1" cannot each make an entry of page 1. Anything else is passed to the view uncached.
SLUG = r"[-a-zA-Z0-9_]{1,100}"
NUMBER = r"[1-9][0-9]{0,9}"
NUMBER_OR_ZERO = r"0|[1-9][0-9]{0,9}"
PAGE = r"[1-9][0-9]{0,5}|last"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

# Headers the security middleware sets again on every response, or that are per request.
UNSTORED_HEADERS = {"x-cache", "set-cookie", "strict-transport-security",
                    "cross-origin-opener-policy", "referrer-policy", "x-content-type-options"}
# A response varies on these only through the language (in the key) or the sign-in (signed-in
# visitors bypass the cache): Accept-Language and the language cookie choose the language,
# and a public page reads no other cookie.
LANGUAGE_VARY = {"accept-language", "cookie"}

# Bytes of entries each process keeps a copy of (see LocalCopies).
LOCAL_COPIES_BYTES = 16 * 1024 * 1024

# The request headers of RFC 9110's conditional requests.
CONDITIONAL_HEADERS = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                                 "HTTP_IF_UNMODIFIED_SINCE"})

SIGNED_IN_COOKIE = "ign_signed_in"
SIGNED_IN_SALT = "common.cache.signed-in"
OPTIONS_ATTRIBUTE = "public_cache_options"


def _on_login(sender, request, **kwargs):
    request.ign_signed_in = True


def _on_logout(sender, request, **kwargs):
    request.ign_signed_in = False


def _on_setting_changed(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _options_for.cache_clear()


def connect_signals():
    """The content version's invalidation (see ``content_version``), the sign-in marker, and
    forgetting memoised view options when tests change the URLconf or languages."""
    connect_invalidation()
    user_logged_in.connect(_on_login, dispatch_uid="ign_cache_logged_in")
    user_logged_out.connect(_on_logout, dispatch_uid="ign_cache_logged_out")
    setting_changed.connect(_on_setting_changed, dispatch_uid="ign_cache_setting_changed")


# --- Marking views public -----------------------------------------------------------------

class Options:
    """What the middleware needs to know of a public view before calling it."""

    def __init__(self, *, query=None, uncached_query=(), clock=False, vary=(),
                 unknown_query="redirect", immutable=False, language_query=None):
        if unknown_query not in ("redirect", "uncached"):
            raise ValueError("unknown_query is 'redirect' or 'uncached'")
        self.query = {name: re.compile(f"(?:{pattern})?") for name, pattern in
                      (query or {}).items()}
        self.uncached_query = frozenset(uncached_query)
        self.known = frozenset(self.query) | self.uncached_query
        self.clock = clock
        self.vary = tuple(vary)
        self.allowed_vary = LANGUAGE_VARY | {header.lower() for header in vary}
        self.redirect_unknown = unknown_query == "redirect"
        self.immutable = immutable
        self.language_query = language_query


def public_cache(view=None, **options):
    """Mark a view's successful responses as public: the same for every anonymous visitor.

    ``@public_cache`` alone, or with options:

    - ``query``: {parameter: regular expression of its canonical values} that form the key;
    - ``uncached_query``: parameters understood but not keyed (free text): served uncached;
    - ``unknown_query``: ``"redirect"`` (the default) answers other parameters with a 302 to
      the URL without them; ``"uncached"`` passes them to the view, never stored;
    - ``clock``: the page depends on the time of day (upcoming/past): the minute is keyed;
    - ``vary``: request headers other than the language's that the response depends on.
    - ``language_query``: a parameter that, naming one of the LANGUAGES, chooses the language
      the page is rendered in instead of the URL's (the API's ``lang``; also in ``query``);
    - ``immutable``: a successful response never changes once given (an issued letter's PDF:
      the database refuses any change to it), so a stored one is served whatever the content
      version, without reading it.

    Responses get an ``ETag`` (if the view set none) and answer conditional requests with a
    304. Signed-in visitors get them with ``Cache-Control: private, no-cache``.
    """
    settings_ = Options(**options)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response = response.render()
            response.ign_public = True
            response.ign_shared = not _authenticated(request)
            if not response.ign_shared:
                patch_cache_control(response, private=True, no_cache=True)
            _tag(response)
            return response

        setattr(wrapper, OPTIONS_ATTRIBUTE, settings_)
        return wrapper

    return decorate(view) if view is not None else decorate


def _authenticated(request):
    """Signed in? Only a session cookie can say yes; without one the session is not read."""
    signed_in = (settings.SESSION_COOKIE_NAME in request.COOKIES
                 and request.user.is_authenticated)
    if signed_in != _has_marker(request):
        request.ign_signed_in = signed_in  # the middleware sets or clears the marker
    return signed_in


def _tag(response):
    """An ETag, and a Cache-Control that has clients ask again (the ETag makes that a 304)."""
    if response.status_code != 200 or response.streaming:
        return
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, no_cache=True)
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'


# --- Finding and storing pages ------------------------------------------------------------

class LocalCopies:
    """This process's copies of the entries it served last: they save moving the bytes.

    Never trusted: a copy is served only if the content version, read from the shared
    cache for this very request, is the one it was rendered under (or, for a view marked
    ``immutable``, whose successful answer the database keeps from ever changing, at once).
    """

    def __init__(self, budget):
        self.budget, self.size = budget, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry[1])
        with self.lock:
            if (old := self.entries.pop(key, None)) is not None:
                self.size -= len(old[1])
            if size > self.budget // 8:
                return
            self.entries[key] = entry
            self.size += size
            while self.size > self.budget:
                self.size -= len(self.entries.popitem(last=False)[1][1])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


local_copies = LocalCopies(LOCAL_COPIES_BYTES)


def _has_marker(request):
    if SIGNED_IN_COOKIE not in request.COOKIES:
        return False
    return request.get_signed_cookie(
        SIGNED_IN_COOKIE, default=None, salt=SIGNED_IN_SALT,
        max_age=settings.SESSION_COOKIE_AGE) is not None


def set_signed_in_marker(response):
    """The signed cookie that keeps this browser away from the cache, as long as its session."""
    response.set_signed_cookie(
        SIGNED_IN_COOKIE, "1", salt=SIGNED_IN_SALT,
        max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
        path=settings.SESSION_COOKIE_PATH, domain=settings.SESSION_COOKIE_DOMAIN,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def _update_marker(request, response):
    wanted = getattr(request, "ign_signed_in", None)
    if wanted is True:
        set_signed_in_marker(response)
    elif wanted is False:
        response.delete_cookie(SIGNED_IN_COOKIE, path=settings.SESSION_COOKIE_PATH,
                               domain=settings.SESSION_COOKIE_DOMAIN,
                               samesite=settings.SESSION_COOKIE_SAMESITE)


def request_language(request):
    """The language ``common.languages.PathLocaleMiddleware`` will activate (the URL's)."""
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    from .languages import language_of

    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, _prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    return language_of(request.path_info), urlconf, i18n_patterns_used


@functools.lru_cache(maxsize=2048)
def _options_for(path_info, urlconf, language):
    """The public-cache options of the view at this path, or None. Memoised: code, not data."""
    try:
        if language is None:
            match = resolve(path_info, urlconf)
        else:  # language prefixes in the URLconf: resolve as LocaleMiddleware will
            with translation.override(language):
                match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    # A function view, a class-based view's as_view(), or an instance (a Feed) whose
    # __call__ was decorated.
    func = match.func
    return (getattr(func, OPTIONS_ATTRIBUTE, None)
            or getattr(type(func).__call__, OPTIONS_ATTRIBUTE, None))


def _canonical_query(request, options):
    """The page's own parameters, sorted, with the value the page reads (the last one).

    None if a value is not in its canonical spelling or a free-text parameter is present:
    such requests are rendered, never stored.
    """
    items = []
    for name in sorted(request.GET):
        value = request.GET[name]
        if name in options.uncached_query:
            if value == "":
                continue  # an empty search box (forms submit it) searches nothing
            return None
        if not options.query[name].fullmatch(value):
            return None
        items.append((name, value))
    return urlencode(items)


def _without_unknown(request, options):
    kept = [(name, values) for name, values in request.GET.lists() if name in options.known]
    query = urlencode(kept, doseq=True)
    return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))


def _served_port(request, host):
    """Whether the Host header's port, if it names one, is a port the portal is reached on
    (this server's, or SITE_URL's). ALLOWED_HOSTS ignores ports: without this, each made-up
    port (``Host: portal:1``, ``:2``, ...) would store another copy of every page."""
    _name, _colon, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not _colon or not port:
        return True
    return port in (request.META.get("SERVER_PORT"), _site_port())


@functools.lru_cache(maxsize=4)
def _site_port_of(site_url):
    parts = urlsplit(site_url)
    return str(parts.port or {"http": 80, "https": 443}.get(parts.scheme, ""))


def _site_port():
    return _site_port_of(settings.SITE_URL)


def _key(request, options, host, query, language):
    parts = [request.scheme, host, request.path, query, language]
    parts += [request.headers.get(header, "") for header in options.vary]
    if options.clock:
        parts.append(str(int(clock()) // CLOCK_GRANULARITY))
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape"))
    return KEY_PREFIX + digest.hexdigest()


def never_store(response):
    """Have the page cache serve this response without keeping it (e.g. an empty result,
    which is cheap to render and would let made-up parameter values fill the cache)."""
    response.ign_never_store = True
    return response


def _sets_cookies(response):
    """Cookies set by the response, other than the deletion of a session cookie the visitor
    made up (the session middleware's answer to it: for this request only, and never stored,
    see ``UNSTORED_HEADERS``). Otherwise a visitor sending one after every change would have
    every page rendered, none stored."""
    return any(not (name == settings.SESSION_COOKIE_NAME and str(morsel["max-age"]) == "0")
               for name, morsel in response.cookies.items())


def _storable(request, response, options, language):
    if getattr(response, "ign_never_store", False):
        return False
    if get_nonce(request):  # a CSP nonce was put in the page: it is for this response only
        return False
    if not (request.method == "GET" and getattr(response, "ign_shared", False)
            and response.status_code == 200 and not response.streaming
            and not _sets_cookies(response)):
        return False
    # Stored under this language's key only if rendered in it; and only if every header it
    # varies on is in the key.
    if response.get("Content-Language", language) != language:
        return False
    vary = {header.lower() for header in split_header_value(response.get("Vary", ""))}
    return vary <= options.allowed_vary


def _conditional(request, response):
    """304 when the client already holds this version."""
    if response.status_code != 200 or not response.has_header("ETag"):
        return response
    if not CONDITIONAL_HEADERS.intersection(request.META):
        return response  # nothing to compare: spare every request the date parsing
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


class PublicPageCacheMiddleware:
    """Answer anonymous GETs and HEADs of public pages from the shared cache, early.

    Placed right after WhiteNoise, so that a hit costs one cache read (an MGET) and skips
    the rest of the stack. See the module's docstring for what the key holds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not _has_marker(request):
            response = self.cached(request)
        else:
            response = self.uncached(request)
        _update_marker(request, response)
        return response

    def uncached(self, request):
        response = self.get_response(request)
        return _conditional(request, response) if getattr(
            response, "ign_public", False) else response

    def cached(self, request):
        language, urlconf, i18n_patterns_used = request_language(request)
        options = _options_for(request.path_info, urlconf,
                               language if i18n_patterns_used else None)
        if options is None:
            return self.uncached(request)
        if not options.known.issuperset(request.GET):
            if options.redirect_unknown:
                return _without_unknown(request, options)
            return self.uncached(request)
        query = _canonical_query(request, options)
        if query is None:
            return self.uncached(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.uncached(request)  # the stack answers 400
        if not _served_port(request, host):
            return self.uncached(request)
        if options.language_query and request.GET.get(options.language_query) in dict(
                settings.LANGUAGES):
            language = request.GET[options.language_query]
        key = _key(request, options, host, query, language)
        copy = local_copies.get(key)
        if copy is not None and options.immutable:
            return self.hit(request, copy)
        if not cache_available():
            return self.uncached(request)
        try:
            if copy is not None:
                version = current(cache.get(VERSION_KEY))
                if copy[0] == version:
                    return self.hit(request, copy)
            found = cache.get_many([VERSION_KEY, key])
            version = current(found.get(VERSION_KEY))
        except Exception:
            cache_failed()
            log_once(logger, "shared-cache-read", "The shared cache failed; pages are served "
                     "uncached for now (first: %s).", request.path)
            return self.uncached(request)
        entry = found.get(key)
        if entry is not None and (entry[0] == version or options.immutable):
            local_copies.put(key, entry)
            return self.hit(request, entry)
        response = self.get_response(request)
        if _storable(request, response, options, language):
            headers = {h: v for h, v in response.items() if h.lower() not in UNSTORED_HEADERS}
            entry = (version, response.content, headers)
            try:
                cache.set(key, entry, timeout=PAGE_TIMEOUT)
            except Exception:  # full, say: the page is served, not stored
                log_once(logger, "shared-cache-write", "The shared cache failed; pages are not "
                         "stored for now (first: %s).", request.path)
            else:
                local_copies.put(key, entry)
                response = _conditional(request, response)
                response["X-Cache"] = "miss"
                return response
        return _conditional(request, response) if getattr(
            response, "ign_public", False) else response

    def hit(self, request, entry):
        _version, content, headers = entry
        # HEAD: the headers of the GET, Content-Length included, and no body.
        response = HttpResponse(b"" if request.method == "HEAD" else content, headers=headers)
        response = _conditional(request, response)
        response["X-Cache"] = "hit"
        return response
