"""The portal's URLs. English URLs carry no language prefix; the five other official
languages are served under /ar/, /zh-hans/, /fr/, /ru/ and /es/ (an unknown prefix is a 404)."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from correspondence.api import letters_json
from correspondence.feeds import LettersFeed
from correspondence.notices.feeds import ChangesAndNoticesFeed
from sessions.api import meetings_json

admin.site.site_header = _("IGN Portal administration")
admin.site.site_title = _("IGN Portal")
admin.site.index_title = _("Secretariat")
# The admin's own login page would skip the rate limits and the second factor: it sends
# to allauth's.
admin.site.login = secure_admin_login(admin.site.login)

# Served once, in no language: probes, robots.txt and the sitemap (which lists every
# language's address of each page).
urlpatterns = [
    path("", include("portal.urls_neutral")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("clusters/", include("clusters.urls")),
    # Before the letters' own URLs, where "feed" would read as a letter's slug.
    path("letters/feed/", LettersFeed(), name="letters-feed"),
    path("letters/", include("correspondence.urls")),
    path("mission/", include("correspondence.mission.urls")),
    path("subscriptions/", include("correspondence.subscriptions.urls")),
    path("", include("portal.urls")),
    # Before the sessions' URLs: the notices live a floor above the meetings, and the changes
    # feed, there, carries them too.
    path("meetings/notices/", include("correspondence.notices.urls")),
    path("meetings/changes/feed/", ChangesAndNoticesFeed(), name="changes-and-notices-feed"),
    path("", include("sessions.urls")),
    path("api/meetings.json", meetings_json, name="api-meetings"),
    path("api/letters.json", letters_json, name="api-letters"),
    prefix_default_language=False,
)

# A database that is down or frozen is answered 503 with Retry-After (common.unavailable).
handler500 = "common.unavailable.server_error"
