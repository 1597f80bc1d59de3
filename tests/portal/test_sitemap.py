"""The sitemap and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from sessions.models import Meeting

pytestmark = pytest.mark.django_db


def test_sitemap_lists_pages_meetings_sessions_clusters_and_public_letters(client, letters_71):
    response = client.get("/sitemap.xml")

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {e.text for e in ET.fromstring(response.content).findall("s:url/s:loc", ns)}
    meeting = Meeting.objects.get(session__number=71, number=1)
    assert {
        "http://testserver/", "http://testserver/meetings/",
        f"http://testserver/meetings/{meeting.pk}/", "http://testserver/sessions/71/",
        "http://testserver/clusters/question-of-the-veto/",
        "http://testserver/letters/2017-01-12-pga-cover/",
    } <= urls
    assert not any("draft" in url for url in urls)


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()
