"""The clusters in the admin."""

from django.contrib import admin

from common.admin import KeptByRecordsAdminMixin, accent_insensitive

from .models import Cluster


@admin.register(Cluster)
class ClusterAdmin(KeptByRecordsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "slug"]
    search_fields = accent_insensitive("title", "description")
    prepopulated_fields = {"slug": ["title"]}
