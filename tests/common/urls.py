"""A URLconf of public views made for the page cache's tests: a download, Vary headers."""

from django.http import HttpResponse
from django.urls import path
from django.utils import translation
from django.views.decorators.vary import vary_on_headers

from common.cache import public_cache
from ign_portal.urls import urlpatterns as portal_urlpatterns

renders = []


@public_cache
def download(request):
    """Like an issued PDF: stored bytes, their own ETag and Cache-Control."""
    renders.append(request.path)
    response = HttpResponse(b"%PDF-1.7 stored bytes", content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="letter.pdf"'
    response["ETag"] = '"sha256-of-the-bytes"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_cache
@vary_on_headers("User-Agent")
def undeclared_vary(request):
    renders.append(request.path)
    return HttpResponse(f"for {request.headers.get('User-Agent', '')}")


@public_cache(vary=["User-Agent"])
@vary_on_headers("User-Agent")
def declared_vary(request):
    renders.append(request.path)
    return HttpResponse(f"for {request.headers.get('User-Agent', '')}")


@public_cache
def french_anyway(request):
    """A view that picks its own language, unlike what the request asked for."""
    renders.append(request.path)
    translation.activate("fr")
    return HttpResponse(f"<html lang={translation.get_language()}>")


urlpatterns = [
    path("french/", french_anyway),
    path("letter.pdf", download),
    path("undeclared/", undeclared_vary),
    path("declared/", declared_vary),
    *portal_urlpatterns,
]
