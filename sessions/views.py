"""The public pages of the schedule: meetings, a meeting, a session, the changes."""

from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from common.cache import PAGE, SLUG, public_cache

from .changes import announced, describe
from .models import Meeting, MeetingChange, Session
from .schedule import MeetingFilterForm, group_by_month, schedule_order


@method_decorator(public_cache(clock=True, query={"cluster": SLUG, "status": SLUG, "page": PAGE}),
                  name="dispatch")
class MeetingListView(ListView):
    """Upcoming meetings first, then past ones, by month; filters by cluster and status."""

    template_name = "sessions/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.form = MeetingFilterForm(request.GET)
        response = super().get(request, *args, **kwargs)
        if not self.form.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        return schedule_order(self.form.filter(Meeting.objects.with_related()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, query=self.form.query_string(),
                       groups=group_by_month(context["meetings"]))
        return context


# A meeting shows as held once its end has passed: these pages depend on the clock.
@method_decorator(public_cache(clock=True), name="dispatch")
class MeetingDetailView(DetailView):
    template_name = "sessions/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.with_related()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letters=self.object.letters.public().originals().shown_in(get_language())
            .with_enclosure_notices(),
            changes=[(c, describe(c), announced(c)) for c in self.object.changes.all()],
            **kwargs,
        )


@method_decorator(public_cache(clock=True), name="dispatch")
class SessionDetailView(DetailView):
    template_name = "sessions/session_detail.html"
    context_object_name = "session"
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return Session.objects.select_related("president", "mandate")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            co_chairs=self.object.co_chairs.select_related("person", "state"),
            meetings=self.object.meetings.with_related().order_by("starts_at"),
            letters=self.object.letters.public().originals().shown_in(get_language())
            .with_enclosure_notices()
            .order_by("-date", "-pk"),
            sessions=Session.objects.only("number").order_by("-number"),
            **kwargs,
        )


@method_decorator(public_cache(query={"page": PAGE}), name="dispatch")
class ChangeListView(ListView):
    """Every meeting scheduled and every change of its time, room or status, newest first.

    Each entry is shown as the meeting was then (its snapshot), so it needs no meeting row.
    """

    template_name = "sessions/change_list.html"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return MeetingChange.objects.order_by("-changed_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["described"] = [(c, describe(c), announced(c)) for c in context["changes"]]
        return context
