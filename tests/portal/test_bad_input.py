"""Bad input never gives a 500: a 400 or 404 with a helpful page, or a JSON error."""

import pytest
from django.test import Client

from tests.factories import text_of

pytestmark = pytest.mark.django_db

LONG = "x" * 6000
BAD_URLS = [
    "/api/meetings.json?end=9999-12-31",
    "/api/letters.json?start=0001-01-01",
    "/meetings/999999999/",
    "/meetings/99999999999999999999999/",
    "/meetings/abc/",
    "/meetings/-1/",
    "/meetings/1%00/",
    "/meetings/?page=abc",
    "/meetings/?page=-1",
    "/meetings/?page=0",
    "/meetings/?page=100000000000000000000",
    "/meetings/?page=10**20",
    "/meetings/?page=9999",
    "/meetings/?cluster=no-such-cluster",
    "/meetings/?status=maybe",
    "/meetings/?cluster=%00",
    "/meetings/?status=%E2%80%AEdelbmacs",
    "/meetings/?cluster=%27%20OR%201%3D1%20--",
    f"/meetings/?cluster={LONG}",
    "/meetings/999999999/calendar.ics",
    "/meetings/changes/?page=abc",
    "/clusters/no-such-cluster/",
    "/clusters/%E2%80%AEveto/",
    "/clusters/no-such-cluster/calendar.ics",
    "/sessions/99999999999999999999/",
    "/sessions/0/",
    "/sessions/70/",
    "/sessions/71%00/",
    "/letters/no-such-letter/",
    "/letters/no-such-letter.pdf",
    "/letters/?page=-1",
    "/letters/?session=abc",
    "/letters/?year=99999999999999999999",
    "/letters/?q=%00",
    f"/letters/?q={LONG}",
    "/letters/%27%20OR%201%3D1--/",
    "/api/meetings.json?limit=100000000000000000000",
    "/api/meetings.json?limit=1e3",
    "/api/meetings.json?start=2017-02-30",
    "/api/meetings.json?start=%00",
    "/api/meetings.json?session=%E2%80%AE71",
    f"/api/letters.json?start={LONG}",
    "/api/letters.json?end=1%27%20OR%20%271%27%3D%271",
    "/api/letters.json?offset=99999999999",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_input_gets_a_helpful_4xx(seeded, url):
    client = Client(raise_request_exception=False)

    response = client.get(url)

    assert response.status_code in (400, 404), (url, response.status_code)
    if url.startswith("/api/"):
        assert response.json()["error"] == "invalid query"
    else:
        text = text_of(response)
        assert "IGN Portal" in text and "Skip to main content" in text
        assert any(hint in text for hint in (
            "There is no page at this address", "not understood", "There is no such",
            "could not be read", "Ensure this value", "Enter a whole number",
            "no more than"))


@pytest.mark.parametrize(("extra", "status"), [
    ({"CONTENT_LENGTH": "abc"}, 400),
    ({"CONTENT_LENGTH": "-5"}, 400),
])
def test_verify_with_a_malformed_content_length_is_a_400(seeded, extra, status):
    client = Client(raise_request_exception=False)

    response = client.post("/letters/verify/", {}, **extra)

    assert response.status_code == status


def test_verify_refuses_a_file_that_is_not_a_pdf(client, seeded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/letters/verify/", {
        "pdf": SimpleUploadedFile("letter.pdf", b"hello, not a PDF", "application/pdf")})

    assert response.status_code == 400
    assert "This file is not a PDF: only the letters" in response.text


def test_sql_looking_search_is_only_text(client, letters_71):
    response = client.get("/letters/?q=%27%3B%20DROP%20TABLE%20correspondence_letter%3B%20--")

    assert response.status_code == 200
    assert "No letter" in text_of(response)
    assert client.get("/letters/").content.decode().count('href="/letters/20') >= 2


def test_server_error_and_bad_request_pages_render_on_their_own(client, db):
    from django.template.loader import render_to_string

    server_error = render_to_string("500.html")
    bad_request = client.get("/", headers={"host": "evil.example"})

    assert "Something went wrong on our side" in server_error
    assert "Skip to main content" in server_error
    assert bad_request.status_code == 400
    assert "Request not understood" in text_of(bad_request)
