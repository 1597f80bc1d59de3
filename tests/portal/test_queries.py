"""Every list page and feed makes a fixed number of queries, at 5 rows as at 500 (the
`grown` state)."""

import pytest

from correspondence.models import Letter
from sessions.models import Meeting

pytestmark = pytest.mark.django_db
URLS = [
    "/", "/fr/", "/meetings/", "/meetings/?cluster=question-of-the-veto&status=scheduled",
    "/meetings/?page=1", "/meetings/calendar.ics", "/clusters/question-of-the-veto/calendar.ics",
    "/meetings/changes/", "/meetings/changes/feed/", "/clusters/",
    "/clusters/question-of-the-veto/", "/fr/clusters/question-of-the-veto/", "/sessions/71/",
    "/fr/sessions/71/", "/letters/", "/fr/letters/", "/letters/?q=negotiations",
    "/letters/feed/", "/api/meetings.json", "/api/letters.json", "/sitemap.xml",
]
# A cold render on the database cache: one SELECT reads the content version and the page
# together (after one of the version alone if this process holds an outdated copy), then
# the page is written (count, savepoint, select, insert, release); then the page's own
# queries.
CACHE_QUERIES = 7
PAGE_QUERIES = 8


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("grown", [5, 500], indirect=True)
def test_query_count_does_not_grow_with_rows(client, grown, django_assert_max_num_queries, url):
    assert Meeting.objects.count() >= grown and Letter.objects.count() >= min(grown, 60)

    with django_assert_max_num_queries(CACHE_QUERIES + PAGE_QUERIES) as captured:
        response = client.get(url)

    assert response.status_code == 200
    page = [q["sql"] for q in captured.captured_queries
            if "ign_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(page) <= PAGE_QUERIES, "\n".join(page)
