"""Every list page and feed makes a fixed number of queries, at 5 rows as at 500."""

import datetime as dt

import pytest

from common.cache import bump_version
from sessions.models import Meeting, MeetingChange
from tests.factories import get_cluster, make_room
from tests.portal.factories import make_issued_letter

pytestmark = pytest.mark.django_db
UTC = dt.UTC
URLS = [
    "/", "/meetings/", "/meetings/?cluster=question-of-the-veto&status=scheduled",
    "/meetings/?page=1", "/meetings/calendar.ics", "/clusters/question-of-the-veto/calendar.ics",
    "/meetings/changes/", "/meetings/changes/feed/", "/clusters/",
    "/clusters/question-of-the-veto/", "/sessions/71/", "/letters/", "/letters/?q=negotiations",
    "/letters/feed/", "/api/meetings.json", "/api/letters.json", "/sitemap.xml",
]
# A cold render on the database cache: one SELECT reads the content version and the page
# together (after one of the version alone if this process holds an outdated copy), then
# the page is written (count, savepoint, select, insert, release); then the page's own
# queries.
CACHE_QUERIES = 7
PAGE_QUERIES = 8


def grow_to(session, meetings, letters):
    room, overflow = make_room(name="Queries room A"), make_room(name="Queries room B")
    start = dt.datetime(2017, 2, 8, 15, tzinfo=UTC)
    rows = Meeting.objects.bulk_create([
        Meeting(session=session, number=10 + i, starts_at=start + dt.timedelta(hours=6 * i),
                ends_at=start + dt.timedelta(hours=6 * i + 3), room=room, overflow_room=overflow)
        for i in range(meetings)
    ])
    Meeting.clusters.through.objects.bulk_create([
        Meeting.clusters.through(meeting=m, cluster=get_cluster(1 + m.number % 5)) for m in rows
    ])
    MeetingChange.objects.bulk_create([
        MeetingChange(meeting=m, revision=1, changes={"status": ["Scheduled", "Cancelled"]},
                      reason="Test") for m in rows
    ])
    for i in range(letters):
        make_issued_letter(session=session, date=dt.date(2017, 1, 1) + dt.timedelta(days=i),
                           meetings=rows[i:i + 2], clusters=[get_cluster(2)])
    bump_version()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("size", [5, 500])
def test_query_count_does_not_grow_with_rows(client, seeded, django_assert_max_num_queries,
                                             url, size):
    grow_to(seeded, meetings=size, letters=min(size, 60))

    with django_assert_max_num_queries(CACHE_QUERIES + PAGE_QUERIES) as captured:
        response = client.get(url)

    assert response.status_code == 200
    page = [q["sql"] for q in captured.captured_queries
            if "ign_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(page) <= PAGE_QUERIES, "\n".join(page)
