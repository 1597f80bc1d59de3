"""The language of a request, chosen by its URL alone.

English URLs carry no prefix; the other official languages live under their prefix
(`/fr/`, `/zh-hans/`...; ign_portal/urls.py). Django's LocaleMiddleware would let
Accept-Language or the language cookie choose the language of a URL outside the prefixed
patterns (health checks, robots.txt) and marks every unprefixed response
`Vary: Accept-Language`: here the path alone decides, for the page cache too
(`common.cache.request_language`), so a browser's preferences never change what a URL shows
or what the cache stores.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.http import urlencode


def language_of(path_info):
    """The language a path is served in: its prefix's, else the default (English). Only an
    exact prefix counts (`/zh-hans/`): `/zh/`, `/ZH-HANS/` or `/fr-ca/` are English 404s."""
    return _prefix_of(path_info) or settings.LANGUAGE_CODE


def _prefix_of(path, default=False):
    """The language code `path` starts with, exactly as the URLs write it, or None; the
    default language's code ("/en/", never an address) only when `default` is true."""
    prefix = path.split("/", 2)[1] if path.startswith("/") and "/" in path[1:] else ""
    if prefix in dict(settings.LANGUAGES) and (default or prefix != settings.LANGUAGE_CODE):
        return prefix
    return None


class PathLocaleMiddleware(LocaleMiddleware):
    """Activate the language of the URL's prefix (English without one)."""

    def process_request(self, request):
        translation.activate(language_of(request.path_info))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# Each language's name as it writes itself, as the United Nations' own sites list them
# (un.org): for the language switcher, never translated.
NATIVE_NAMES = {
    "en": "English", "ar": "العربية", "zh-hans": "中文", "fr": "Français", "ru": "Русский",
    "es": "Español",
}


def bcp47(code):
    """The BCP 47 tag of a Django language code, for ``lang`` and ``hreflang``: "zh-hans"
    is "zh-Hans" (the script subtag capitalised), "en" stays "en"."""
    return translation.to_locale(code).replace("_", "-")


def path_in(path, language):
    """The same page in `language`: `path` (without its query) under that language's prefix.

    Through Django's ``translate_url`` when the path names a view (so that translated URL
    patterns would be followed); else, a 404's path, by changing the prefix alone.
    """
    translated = translate_url(path, language)
    if translated != path:
        return translated
    current = _prefix_of(path, default=True)
    if current:
        path = path[len(current) + 1:] or "/"
    # One slash only: "//evil.example/x" would be a link to another host.
    path = "/" + path.lstrip("/")
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def page_query(query_dict):
    """The query string the links to this page in other languages keep: the parameters
    with a value, sorted, each with the value the page reads (the last), as the page cache
    keys them (``common.cache``), so a stored page never carries another visitor's spelling."""
    return urlencode(sorted((name, query_dict[name]) for name in query_dict
                            if query_dict[name] != ""))


def language_links(request):
    """This page in each language: [{code, tag, name, direction, url, absolute, current,
    default}] (``default``: the x-default alternate, English).

    ``url`` keeps the query string (for the switcher); ``absolute`` has none (for the
    ``hreflang`` alternates; a page with parameters has the same alternates as without).
    Absolute addresses are built on ``SITE_URL``, the portal's public address, never on the
    request's Host header: the same page whatever Host a client names, and the 400 page
    answering a refused Host renders too.
    """
    current = translation.get_language()
    path = request.path if request is not None else "/"
    query = page_query(request.GET) if request is not None else ""
    links = []
    for code, _name in settings.LANGUAGES:
        localised = path_in(path, code)
        absolute = settings.SITE_URL + localised
        links.append({
            "code": code, "tag": bcp47(code), "name": NATIVE_NAMES.get(code, code),
            "direction": "rtl" if translation.get_language_info(code)["bidi"] else "ltr",
            "url": localised + (f"?{query}" if query else ""), "absolute": absolute,
            "current": code == current, "default": code == settings.LANGUAGE_CODE,
        })
    return links
