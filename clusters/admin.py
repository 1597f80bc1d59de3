"""The clusters in the admin."""

from django.contrib import admin

from common.admin import KeptByRecordsAdminMixin

from .models import Cluster


@admin.register(Cluster)
class ClusterAdmin(KeptByRecordsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "slug"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
