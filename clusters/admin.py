"""The clusters in the admin."""

from django.contrib import admin

from common.admin import KeptByRecordsAdminMixin, accent_insensitive
from common.content import TranslatedFieldsAdminMixin, in_languages, language_row

from .models import Cluster


@admin.register(Cluster)
class ClusterAdmin(KeptByRecordsAdminMixin, TranslatedFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "slug"]
    search_fields = accent_insensitive(*in_languages("title", "description"))
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [(None, {"fields": ["number", "slug", language_row("title"),
                                    language_row("description")]})]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the cluster's address (its page, its calendar, the API's and the
        # letters' references to it): fixed once the cluster exists.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}
