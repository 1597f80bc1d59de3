"""A URLconf for the headers' tests: a view that fails, and a public page with a nonce."""

from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import path

from common.cache import public_cache
from ign_portal.urls import urlpatterns as portal_urlpatterns


def fails(request):
    raise RuntimeError("a bug of ours")


@public_cache
def with_nonce(request):
    """A public page that (wrongly) puts a nonce in its body: it must not be stored."""
    return HttpResponse(f'<p>hello</p><style nonce="{get_nonce(request)}">p {{}}</style>')


urlpatterns = [
    path("fails/", fails),
    path("with-nonce/", with_nonce),
    *portal_urlpatterns,
]
