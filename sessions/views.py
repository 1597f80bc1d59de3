"""The public pages of the schedule: home, meetings, a meeting, a session."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import Meeting, Session


def home(request):
    session = Session.objects.select_related("president").current()
    meetings = Meeting.objects.none()
    co_chairs = []
    if session:
        co_chairs = session.co_chairs.select_related("person", "state")
        meetings = list(session.meetings.with_related().upcoming()[:3]) or list(
            session.meetings.with_related().past()[:3]
        )
    return render(request, "sessions/home.html", {
        "session": session, "co_chairs": co_chairs, "meetings": meetings,
    })


class MeetingListView(ListView):
    template_name = "sessions/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 50

    def get_queryset(self):
        return Meeting.objects.with_related().order_by("-starts_at")


class MeetingDetailView(DetailView):
    template_name = "sessions/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.with_related()


class SessionDetailView(DetailView):
    template_name = "sessions/session_detail.html"
    context_object_name = "session"
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return Session.objects.select_related("president", "mandate")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            co_chairs=self.object.co_chairs.select_related("person", "state"),
            meetings=self.object.meetings.with_related(),
            **kwargs,
        )
