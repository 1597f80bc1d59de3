"""The sitemap: the public pages, meetings, sessions, clusters and letters, each in the six
languages, every entry listing its other languages (``xhtml:link`` alternates, with English
as ``x-default``)."""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from clusters.models import Cluster
from correspondence.models import Letter
from sessions.models import Meeting, Session


class Sitemap(DjangoSitemap):
    """One entry per page and language (settings.LANGUAGES), with the alternates."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "sessions:meetings", "sessions:changes", "clusters:list",
                "correspondence:list"]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Meeting.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class SessionSitemap(Sitemap):
    def items(self):
        return Session.objects.only("number").order_by("number")


class ClusterSitemap(Sitemap):
    def items(self):
        return Cluster.objects.only("slug").order_by("number")


class LetterSitemap(Sitemap):
    """One entry a letter (its original), at its address in each language: that language's
    version where there is one, else the original, said so on the page."""

    def items(self):
        return (Letter.objects.public().originals().only("slug", "updated_at", "language")
                .order_by("pk"))

    def location(self, letter):
        return reverse("correspondence:detail", kwargs={"slug": letter.slug})

    def lastmod(self, letter):
        return letter.updated_at


SITEMAPS = {
    "pages": PagesSitemap, "meetings": MeetingSitemap, "sessions": SessionSitemap,
    "clusters": ClusterSitemap, "letters": LetterSitemap,
}
