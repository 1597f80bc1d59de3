"""The portal's URLs. English URLs carry no language prefix."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("IGN Portal administration")
admin.site.site_title = _("IGN Portal")
admin.site.index_title = _("Secretariat")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("clusters/", include("clusters.urls")),
    path("letters/", include("correspondence.urls")),
    path("", include("sessions.urls")),
]
