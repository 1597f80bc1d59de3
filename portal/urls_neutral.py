"""The front door's URLs that no language prefix precedes (namespace "front"): the probes,
robots.txt and the sitemap (its entries carry every language's address)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from common.cache import PAGE, public_cache

from . import health, views
from .sitemaps import SITEMAPS

app_name = "front"
urlpatterns = [
    path("sitemap.xml", public_cache(query={"p": PAGE})(sitemap), {"sitemaps": SITEMAPS},
         name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
