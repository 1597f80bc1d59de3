"""The Secretariat's admin for letters."""

from django.contrib import admin

from .admin_distribution import DistributionAdminMixin
from .models import Letter


@admin.register(Letter)
class LetterAdmin(DistributionAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "date", "status"]
    list_filter = ["status"]
    search_fields = ["subject", "slug"]
