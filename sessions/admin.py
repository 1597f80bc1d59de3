"""The Secretariat's admin for sessions, people, States, missions, rooms and meetings."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from common.admin import KeptByRecordsAdminMixin, ReadOnlyAdminMixin, accent_insensitive
from common.content import TranslatedFieldsAdminMixin, in_languages, language_row

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
from .models.meetings import DEFAULT_TITLES
from .search import meetings_labelled
from .services import DETAILS, LANGUAGES, TRACKED, meeting_change, meeting_schedule


class CoChairInline(admin.TabularInline):
    model = CoChairAppointment
    extra = 0
    autocomplete_fields = ["person", "state"]


# Fields an admin form may save as they are (the many-to-many clusters are saved by the form).
PLAIN_FIELDS = {f.name for f in Meeting._meta.concrete_fields} - {"id", *TRACKED}
REASON_FIELDS = in_languages("status_reason")


def _reasons(meeting):
    """The form's status reason in each language, as meeting_change takes it."""
    return {language: getattr(meeting, f"status_reason_{language}") or ""
            for language in LANGUAGES}


def save_meeting(request, meeting, changed_data, *, adding):
    """Save an admin form's meeting: time, rooms and status through the services, the rest plain.

    ``meeting`` is the form's instance, already holding the edited values. A new meeting is
    scheduled (and, if the form gave another status, changed to it at once); an edit of the
    tracked fields is one ``meeting_change`` (one revision, one change record, the form's
    status reason as its reason if the editor gave one); other edits (title, agenda...)
    are a plain save.
    """
    meeting._history_user = request.user
    if adding:
        status, reason = meeting.status, _reasons(meeting)
        scheduled = meeting_schedule(
            session=meeting.session, number=meeting.number, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at, room=meeting.room, overflow_room=meeting.overflow_room,
            **{name: getattr(meeting, name) for name in DETAILS},
        )
        # The admin goes on with its own instance (clusters, the log, the redirect).
        meeting.pk, meeting._state.adding = scheduled.pk, False
        meeting.refresh_from_db()
        if status != Meeting.Status.SCHEDULED:
            meeting_change(meeting=meeting, status=status, reason=reason)
        return
    tracked = [name for name in TRACKED if name in changed_data]
    plain = [name for name in changed_data
             if name not in TRACKED and name in PLAIN_FIELDS
             and not (tracked and name in REASON_FIELDS)]
    # The plain fields first: the change record then shows the meeting as it now is.
    if plain:
        meeting.save(update_fields=[*plain, "updated_at"])
    if tracked:
        # A reason left as it was explains the old status, not this change (unless the
        # meeting is called off, which always says why).
        keeps_reason = (any(name in changed_data for name in REASON_FIELDS)
                        or meeting.is_called_off)
        meeting_change(meeting=meeting, reason=_reasons(meeting) if keeps_reason else "",
                       **{name: getattr(meeting, name) for name in tracked})


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["number", "starts_at", "ends_at", "room", "status"]
    # A meeting is postponed or cancelled on its own page, where the reason is asked for.
    readonly_fields = ["status"]
    show_change_link = True
    ordering = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("room")


@admin.register(Session)
class SessionAdmin(TranslatedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "opens_on", "closes_on", "president"]
    list_select_related = ["president"]
    search_fields = ["number", *accent_insensitive(
        *in_languages("title"), "president__given_name", "president__family_name")]
    fieldsets = [
        (None, {"fields": ["number", language_row("title"), "opens_on", "closes_on",
                           "president", "mandate"]}),
    ]
    autocomplete_fields = ["president", "mandate"]
    inlines = [CoChairInline, MeetingInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Meeting:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for meeting in formset.deleted_objects:
            meeting.delete()
        for meeting, changed_data in formset.changed_objects:
            save_meeting(request, meeting, changed_data, adding=False)
        for meeting in formset.new_objects:
            save_meeting(request, meeting, (), adding=True)
        formset.save_m2m()


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["display_name", "title", "state"]
    list_select_related = ["state"]
    search_fields = accent_insensitive("given_name", "family_name", "title")
    list_filter = ["state__regional_group"]
    autocomplete_fields = ["state"]


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "regional_group", "admission_date"]
    list_filter = ["kind", "regional_group"]
    search_fields = accent_insensitive("name", "short_name", "code")


class MissionAddressInline(admin.TabularInline):
    model = MissionAddress
    extra = 1


@admin.register(Mission)
class MissionAdmin(KeptByRecordsAdminMixin, MissionDirectoryAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "state", "regional_group", "address_count", "preferred_language",
                    "active"]
    list_select_related = ["state"]
    list_filter = ["active", "preferred_language", "state__kind", "state__regional_group"]
    search_fields = [*accent_insensitive("name", "state__name", "state__short_name"),
                     "addresses__email"]
    autocomplete_fields = ["state"]
    inlines = [MissionAddressInline]
    actions = [*MissionDirectoryAdminMixin.actions, "mark_inactive"]
    # Records (letters sent to a mission, their deliveries) keep a mission from deletion:
    # the confirmation pages say so and offer to mark it inactive instead.
    delete_confirmation_template = "admin/ign_sessions/mission/delete_confirmation.html"
    delete_selected_confirmation_template = (
        "admin/ign_sessions/mission/delete_selected_confirmation.html")
    # The mission's history also lists its addresses' changes: who added or removed which
    # address, when (the Secretariat here, or the mission's focal points on their page).
    object_history_template = "admin/ign_sessions/mission/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        pk = unquote(object_id)
        addresses = MissionAddress.history.filter(
            mission_id=int(pk) if pk.isdigit() else None).select_related(
            "history_user").order_by("-history_date", "-history_id")[:200]
        return super().history_view(request, object_id, extra_context={
            **(extra_context or {}), "address_history": addresses})

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_deactivate"
        return [
            path("<path:object_id>/deactivate/", self.admin_site.admin_view(self.deactivate_view),
                 name=name),
            *super().get_urls(),
        ]

    def deactivate_view(self, request, object_id):
        """POST: mark the mission inactive (what its delete page offers when records refer
        to it); it then drops out of every distribution list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mission = self.get_object(request, unquote(object_id))
        if mission is None:
            raise Http404
        if not self.has_change_permission(request, mission):
            raise PermissionDenied
        self.mark_inactive(request, Mission.objects.filter(pk=mission.pk))
        return HttpResponseRedirect(reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[mission.pk]))

    @admin.action(description=_("Mark the selected missions inactive"), permissions=["change"])
    def mark_inactive(self, request, queryset):
        missions = list(queryset.filter(active=True))
        for mission in missions:
            mission.active = False
            mission.save(update_fields=["active"])
            self.log_change(request, mission, [{"changed": {"fields": ["active"]}}])
        self.message_user(request, ngettext(
            "%(count)d mission marked inactive: it receives no further letters.",
            "%(count)d missions marked inactive: they receive no further letters.",
            len(missions)) % {"count": len(missions)}, messages.SUCCESS)

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
class RoomAdmin(TranslatedFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "building"]
    search_fields = accent_insensitive(*in_languages("name", "building"))
    fieldsets = [(None, {"fields": [language_row("name"), language_row("building")]})]


@admin.register(GADocument)
class GADocumentAdmin(KeptByRecordsAdminMixin, TranslatedFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["symbol", "kind", "date", "title"]
    list_filter = ["kind"]
    search_fields = ["symbol", *accent_insensitive(*in_languages("title"))]
    fieldsets = [(None, {"fields": ["symbol", "kind", "date", language_row("title")]})]
    date_hierarchy = "date"


@admin.register(Meeting)
class MeetingAdmin(KeptByRecordsAdminMixin, TranslatedFieldsAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "session", "starts_at", "room", "status", "revision"]
    list_select_related = ["session", "room"]
    list_filter = ["session", "status", "room", "clusters"]
    search_fields = accent_insensitive(*in_languages("title", "agenda", "room__name"))
    date_hierarchy = "starts_at"
    autocomplete_fields = ["room", "overflow_room"]
    filter_horizontal = ["clusters"]
    readonly_fields = ["revision", "updated_at"]
    fieldsets = [
        (None, {"fields": ["session", "number", language_row("title"), "kind", "closed"]}),
        (_("Time and place (New York time)"), {
            "fields": ["starts_at", "ends_at", "room", "overflow_room"]}),
        (_("Status"), {"fields": ["status", language_row("status_reason"), "revision",
                                  "updated_at"]}),
        (_("Content"), {"fields": [language_row("agenda"), "clusters"]}),
    ]

    def get_changeform_initial_data(self, request):
        # A new meeting starts with the Journal's title in each language.
        return {f"title_{language}": DEFAULT_TITLES[language] for language in LANGUAGES} | (
            super().get_changeform_initial_data(request))

    def save_model(self, request, obj, form, change):
        save_meeting(request, obj, form.changed_data, adding=not change)

    def get_search_results(self, request, queryset, search_term):
        """A number or a day, as the label shows them ("IGN meeting 2, 7 February 2017"),
        finds the meetings so labelled, so the autocomplete finds a meeting as it lists it;
        any other text searches the title, agenda and room."""
        labelled = meetings_labelled(queryset, search_term)
        if labelled is not None:
            return labelled, False
        return super().get_search_results(request, queryset, search_term)


@admin.register(MeetingChange)
class MeetingChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "changed_at", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "changed_at"
