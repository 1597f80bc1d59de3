"""The headers every response carries, and the methods the portal answers.

Three middleware come first, before Django's SecurityMiddleware, so that nothing escapes
them: static files from WhiteNoise, pages from the page cache, the 400 of a bad Host (raised
by the first middleware that reads the host), the error pages, the 405 below. Django's own
``ContentSecurityPolicyMiddleware`` (``SECURE_CSP``) and ``XFrameOptionsMiddleware``, then
``SecurityHeadersMiddleware``, which

- refuses every method but GET, HEAD, POST and OPTIONS with a 405 (TRACE would echo the
  request back; no view of ours answers PUT, PATCH or DELETE), before any other middleware;
- answers OPTIONS itself, with the methods in ``Allow`` and no body, instead of the page;
- adds ``Permissions-Policy`` (the ``PERMISSIONS_POLICY`` setting), built once per process.

A few lines here rather than django-permissions-policy: one header from one setting, and
this middleware is needed for the methods anyway.
"""

import functools
import logging

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpResponse, HttpResponseNotAllowed

ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


@functools.cache
def permissions_policy():
    """The Permissions-Policy header: ``{"camera": [], "fullscreen": ["self"]}`` becomes
    ``camera=(), fullscreen=(self)``."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})"
        for feature, allowed in settings.PERMISSIONS_POLICY.items()
    )


def _on_setting_changed(setting, **kwargs):
    if setting == "PERMISSIONS_POLICY":
        permissions_policy.cache_clear()


setting_changed.connect(_on_setting_changed, dispatch_uid="ign_permissions_policy_changed")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204, headers={"Allow": ", ".join(ALLOWED_METHODS)})
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response


class WithoutTraceback(logging.Filter):
    """Keep a record's message, drop its traceback: for requests refused by design (a bad
    Host), which are one line of news each, not a failure of ours to debug."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
