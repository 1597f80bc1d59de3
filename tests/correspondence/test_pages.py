"""The public letters pages: list, letter, PDF download and verification."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import correspondence.pdf
from correspondence.models import Letter
from correspondence.services import letter_correct, letter_issue
from tests.factories import make_letter

pytestmark = pytest.mark.django_db


def test_list_shows_issued_letters_newest_first_with_their_pdf(client, pga_letter,
                                                                django_assert_max_num_queries):
    make_letter(subject="A draft nobody may see")
    for _ in range(5):
        letter_issue(letter=make_letter(session=pga_letter.session), by=None)

    # The page's own queries, plus the shared cache's (the database cache, in tests).
    with django_assert_max_num_queries(12):
        response = client.get("/letters/")

    text = response.text
    assert response.status_code == 200
    assert "A draft nobody may see" not in text
    assert text.index("12 January 2017") < text.index("9 January 2017")
    assert f'href="{pga_letter.get_pdf_url()}"' in text


def test_letter_page_shows_the_letter_then_its_enclosure(client, pga_letter):
    response = client.get(pga_letter.get_absolute_url())

    text = response.text
    assert response.status_code == 200
    assert text.count('<article class="sheet') == 2
    assert text.index("Peter Thomson") < text.index("PERMANENT MISSION OF TUNISIA")
    assert "H.E. Dr. Ion Jinga" in text and "Co-Chair, IGN 71st Session." in text
    assert pga_letter.get_pdf_url() in text


def test_drafts_are_404_for_everyone_but_staff(admin_client):
    draft = make_letter()
    client = Client()

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_pdf_url()).status_code == 404
    assert admin_client.get(draft.get_absolute_url()).status_code == 200
    assert "Draft: this letter has not been issued." in admin_client.get(
        draft.get_absolute_url()).text


def test_pdf_download_serves_the_stored_bytes_and_never_renders(client, pga_letter,
                                                                monkeypatch):
    # Every render goes through html_to_pdf, looked up in correspondence.pdf at call time.
    renders = []
    html_to_pdf = correspondence.pdf.html_to_pdf
    monkeypatch.setattr("correspondence.pdf.html_to_pdf",
                        lambda *args, **kwargs: renders.append(1) or html_to_pdf(*args, **kwargs))

    response = client.get(pga_letter.get_pdf_url())
    head = client.head(pga_letter.get_pdf_url())
    downloads_rendered = len(renders)
    correspondence.pdf.render_letter_pdf(pga_letter)  # the control: a render is counted

    assert (downloads_rendered, len(renders)) == (0, 1)
    assert response.status_code == head.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(pga_letter.pdf)
    assert response["ETag"] == f'"{pga_letter.pdf_sha256}"'


def test_pdf_download_answers_304_to_a_matching_etag(client, pga_letter):
    etag = f'"{pga_letter.pdf_sha256}"'

    matching = client.get(pga_letter.get_pdf_url(), headers={"If-None-Match": etag})
    other = client.get(pga_letter.get_pdf_url(), headers={"If-None-Match": '"other"'})

    assert matching.status_code == 304 and matching.content == b""
    assert other.status_code == 200


def test_verify_by_code(client, pga_letter):
    code = pga_letter.verification_code.lower().replace("-", " ")

    found = client.get("/letters/verify/", {"code": code})
    missing = client.get("/letters/verify/", {"code": "ZZZZ-ZZZZ"})

    assert pga_letter.subject in found.text
    assert "It is the current version" in found.text
    assert "No issued letter matches." in missing.text


def test_verify_by_upload_matches_only_the_exact_bytes(client, pga_letter):
    exact = SimpleUploadedFile("letter.pdf", bytes(pga_letter.pdf), "application/pdf")
    altered = SimpleUploadedFile("letter.pdf", bytes(pga_letter.pdf) + b"\n", "application/pdf")

    found = client.post("/letters/verify/", {"pdf": exact})
    missing = client.post("/letters/verify/", {"pdf": altered})

    assert pga_letter.subject in found.text
    assert "No issued letter matches." in missing.text


def test_verify_says_when_a_letter_was_superseded(client, pga_letter):
    correction = letter_issue(letter=letter_correct(letter=pga_letter, by=None), by=None)

    response = client.get("/letters/verify/", {"code": pga_letter.verification_code})

    assert "This letter has been superseded by a correction." in response.text
    assert correction.get_absolute_url() in response.text


def test_verify_upload_needs_the_csrf_token(pga_letter):
    client = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("letter.pdf", bytes(pga_letter.pdf), "application/pdf")

    response = client.post("/letters/verify/", {"pdf": upload})

    assert response.status_code == 403


def test_verify_upload_over_the_limit_is_refused(client, settings):
    settings.IGN_VERIFY_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 5000, "application/pdf")

    response = client.post("/letters/verify/", {"pdf": upload})

    assert response.status_code in (400, 413)
    assert "too large" in response.text


def test_verify_without_a_file_is_a_form_error(client):
    response = client.post("/letters/verify/", {})

    assert response.status_code == 400
    assert "This field is required." in response.text


def test_pdf_of_a_staff_draft_is_404_on_the_public_url(admin_client):
    # The public URL only ever serves stored bytes; staff preview drafts in the admin.
    assert admin_client.get(make_letter().get_pdf_url()).status_code == 404




def test_pdf_download_has_file_headers_no_cookie_and_answers_head(client, pga_letter):
    response = client.get(pga_letter.get_pdf_url())
    head = client.head(pga_letter.get_pdf_url())

    assert response.status_code == 200 and not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert response["Content-Disposition"] == f'inline; filename="{pga_letter.slug}.pdf"'
    assert response["Cache-Control"] == "public, max-age=3600"
    assert int(response["Content-Length"]) == len(bytes(pga_letter.pdf))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == response["Content-Length"]


def test_superseded_letters_stay_downloadable_with_the_same_bytes(client, pga_letter):
    before = client.get(pga_letter.get_pdf_url()).content
    letter_issue(letter=letter_correct(letter=pga_letter, by=None), by=None)

    after = Client().get(pga_letter.get_pdf_url())

    assert after.status_code == 200 and after.content == before == bytes(pga_letter.pdf)


def test_list_marks_superseded_letters(client, pga_letter):
    letter_issue(letter=letter_correct(letter=pga_letter, by=None), by=None)

    text = client.get("/letters/").text

    assert text.count("Superseded by a correction") == 1
    # The PDF link is named "PDF" and the letter's subject (in the subject's own language).
    assert (f'id="letter-{pga_letter.pk}-pdf" href="{pga_letter.get_pdf_url()}" hreflang="en" '
            f'aria-labelledby="letter-{pga_letter.pk}-pdf letter-{pga_letter.pk}"') in text
    assert f'<a id="letter-{pga_letter.pk}" href="{pga_letter.get_absolute_url()}"' in text


def test_cached_letter_page_shows_its_correction_the_moment_it_is_issued(client, seeded):
    from correspondence.seed import PGA_SLUG

    original = Letter.objects.get(slug=PGA_SLUG)
    first = client.get(original.get_absolute_url())
    again = client.get(original.get_absolute_url())

    letter_issue(letter=letter_correct(letter=original, by=None), by=None)
    after = client.get(original.get_absolute_url())

    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert "superseded by a correction" not in again.text
    assert "This letter has been superseded by a correction." in after.text
    assert "Read Corr.1" in after.text
