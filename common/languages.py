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
from django.utils import translation


def language_of(path_info):
    """The language a path is served in: its prefix's, else the default (English)."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


class PathLocaleMiddleware(LocaleMiddleware):
    """Activate the language of the URL's prefix (English without one)."""

    def process_request(self, request):
        translation.activate(language_of(request.path_info))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
