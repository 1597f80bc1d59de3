"""A URLconf whose views fail as a lost database does, or with a bug, for the 503 handler."""

from django.db import InterfaceError, OperationalError, ProgrammingError
from django.urls import path

from ign_portal.urls import urlpatterns as portal_urlpatterns


def lost(request):
    raise OperationalError("server closed the connection unexpectedly")


def closed(request):
    raise InterfaceError("connection already closed")


def while_rendering(request):
    try:
        raise OperationalError("canceling statement due to statement timeout")
    except OperationalError as exc:
        raise RuntimeError("the template failed") from exc


def bug(request):
    raise ProgrammingError('relation "nowhere" does not exist')


urlpatterns = [
    path("lost/", lost),
    path("closed/", closed),
    path("while-rendering/", while_rendering),
    path("bug/", bug),
    *portal_urlpatterns,  # the page's links
]

handler500 = "common.unavailable.server_error"
