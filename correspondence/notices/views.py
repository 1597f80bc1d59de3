"""The public pages of the schedule notices: the list, a notice, its calendar file."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from common.cache import PAGE, public_cache

from ..models import ScheduleNotice
from .calendar import publish_calendar
from .wording import line_words


def described(notice):
    """[(line, its words)] of a notice, in the active language."""
    return [(line, line_words(line.kind, line.before, line.after)) for line in notice.lines.all()]


@method_decorator(public_cache(query={"page": PAGE}), name="dispatch")
class NoticeListView(ListView):
    """The released notices, newest first (a notice scheduled for later, or cancelled, is
    not listed)."""

    template_name = "correspondence/notices/notice_list.html"
    context_object_name = "notices"
    paginate_by = 50

    def get_queryset(self):
        return (ScheduleNotice.objects.released().select_related("session")
                .prefetch_related("lines__meeting").order_by("-number"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["described"] = [(notice, described(notice)) for notice in context["notices"]]
        return context


@method_decorator(public_cache, name="dispatch")
class NoticeDetailView(DetailView):
    """One released notice: 404 until its time has come, and for ever once cancelled."""

    template_name = "correspondence/notices/notice_detail.html"
    context_object_name = "notice"
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return ScheduleNotice.objects.released().select_related("session").prefetch_related(
            "lines__meeting")

    def get_context_data(self, **kwargs):
        return super().get_context_data(lines=described(self.object), **kwargs)


@public_cache
def notice_calendar(request, number):
    """The notice's meetings as it announced them (METHOD:PUBLISH, cancels as
    STATUS:CANCELLED), for a calendar to import."""
    notice = get_object_or_404(ScheduleNotice.objects.released(), number=number)
    lines = list(notice.lines.select_related("meeting__room", "meeting__overflow_room"))
    if not lines:
        raise Http404
    calendar = publish_calendar(lines, stamp=notice.send_at, name=str(notice))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.number}.ics"'
    return response
