"""The front door's pages: the home page and robots.txt."""

from django.shortcuts import render
from django.utils.translation import get_language

from clusters.models import Cluster
from common.cache import public_cache
from correspondence.models import Letter
from sessions.models import Meeting, Session


@public_cache(clock=True)
def home(request):
    session = Session.objects.select_related("president").current()
    co_chairs, next_meeting, last_meeting, letters = [], None, None, []
    if session:
        co_chairs = session.co_chairs.select_related("person", "state")
        next_meeting = (
            Meeting.objects.with_related().upcoming()
            .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED]).first()
        )
        if next_meeting is None:
            last_meeting = Meeting.objects.with_related().past().first()
        letters = (Letter.objects.public().originals().shown_in(get_language())
                   .with_enclosure_notices().order_by("-date", "-pk")[:5])
    return render(request, "portal/home.html", {
        "session": session, "co_chairs": co_chairs, "next_meeting": next_meeting,
        "last_meeting": last_meeting,
        "letters": letters, "clusters": Cluster.objects.all(),
    })


def robots_txt(request):
    return render(request, "portal/robots.txt", content_type="text/plain; charset=utf-8")
