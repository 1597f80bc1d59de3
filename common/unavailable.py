"""A database that is down, frozen or too slow is answered 503 with Retry-After, not 500.

Django turns an exception raised in any layer (a view, the session or authentication
middleware, a template) into a response through the URLconf's ``handler500``; ours, for a
database error (``OperationalError``, ``InterfaceError``: connection refused or lost,
connect timeout, ``statement_timeout``, the client-side deadline of ``common.dbwait``),
answers 503 instead, with the plain page ``503.html`` rendered without the request (so
without the session, the user or any query) and ``Retry-After``. The failure is logged once
per interval (``log_once``), not once per request with its traceback. Every other exception
gets Django's own 500.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext
from django.views import defaults

from .logs import log_once

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_error(exc):
    """The database error that caused ``exc`` (itself, or one it was raised from), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_ERRORS):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def unavailable_response():
    """The plain 503 page, with Retry-After, rendered without touching the database."""
    try:
        page = loader.render_to_string("503.html")
    except Exception:  # the page itself must never be a new failure
        logger.exception("The 503 page could not be rendered.")
        page = gettext("Service unavailable: please try again in a minute.")
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """``handler500``: 503 for a database error, Django's 500 page otherwise."""
    exc = database_error(sys.exc_info()[1])
    if exc is None:
        return defaults.server_error(request, template_name)
    log_once(logger, "database-unavailable", "The database is unavailable (%s); answering 503.",
             type(exc).__name__)
    response = unavailable_response()
    # Logged above, once per interval: Django's request logger would write a traceback each.
    response._has_been_logged = True
    return response
