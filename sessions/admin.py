"""The Secretariat's admin for sessions, people, States, missions, rooms and meetings."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin

from .admin_directory import MissionDirectoryAdminMixin
from .models import (
    CoChairAppointment,
    GADocument,
    Meeting,
    MeetingChange,
    Mission,
    MissionAddress,
    Person,
    Room,
    Session,
    State,
)


class CoChairInline(admin.TabularInline):
    model = CoChairAppointment
    extra = 0
    autocomplete_fields = ["person", "state"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["number", "starts_at", "ends_at", "room", "status"]
    show_change_link = True
    ordering = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("room")


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "opens_on", "closes_on", "president"]
    list_select_related = ["president"]
    search_fields = ["number", "president__family_name"]
    autocomplete_fields = ["president", "mandate"]
    inlines = [CoChairInline, MeetingInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "title", "state"]
    list_select_related = ["state"]
    search_fields = ["given_name", "family_name", "title"]
    list_filter = ["state__regional_group"]
    autocomplete_fields = ["state"]


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "regional_group", "admission_date"]
    list_filter = ["kind", "regional_group"]
    search_fields = ["name", "short_name", "code"]


class MissionAddressInline(admin.TabularInline):
    model = MissionAddress
    extra = 1


@admin.register(Mission)
class MissionAdmin(MissionDirectoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "state", "regional_group", "address_count"]
    list_select_related = ["state"]
    list_filter = ["state__kind", "state__regional_group"]
    search_fields = ["name", "state__name", "addresses__email"]
    autocomplete_fields = ["state"]
    inlines = [MissionAddressInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_addresses=Count("addresses"))

    @admin.display(description=_("regional group"), ordering="state__regional_group")
    def regional_group(self, obj):
        return obj.state.get_regional_group_display()

    @admin.display(description=_("addresses"), ordering="_addresses")
    def address_count(self, obj):
        return obj._addresses


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "building"]
    search_fields = ["name"]


@admin.register(GADocument)
class GADocumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "date", "title"]
    list_filter = ["kind"]
    search_fields = ["symbol", "title"]
    date_hierarchy = "date"


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "session", "starts_at", "room", "status", "revision"]
    list_select_related = ["session", "room"]
    list_filter = ["session", "status", "room", "clusters"]
    search_fields = ["title", "agenda", "room__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["room", "overflow_room"]
    filter_horizontal = ["clusters"]
    readonly_fields = ["revision", "updated_at"]
    fieldsets = [
        (None, {"fields": ["session", "number", "title", "kind", "closed"]}),
        (_("Time and place (New York time)"), {
            "fields": ["starts_at", "ends_at", "room", "overflow_room"]}),
        (_("Status"), {"fields": ["status", "status_reason", "revision", "updated_at"]}),
        (_("Content"), {"fields": ["agenda", "clusters"]}),
    ]


@admin.register(MeetingChange)
class MeetingChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "revision", "changed_at", "reason"]
    list_select_related = ["meeting"]
    date_hierarchy = "changed_at"
