"""Bad input never becomes a broken record: line breaks in one-line fields, unreadable annexes."""

import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.urls import reverse
from pypdf import PdfWriter

from correspondence.models import Enclosure, Letter
from correspondence.services import letter_correct, letter_issue
from tests.factories import make_letter

from .pdftools import blank_pdf, reader

pytestmark = pytest.mark.django_db
FORGED = "Letter on the negotiations\r\nBcc: everyone@example.org"
ONE_LINE = "This must be one line of text, without line breaks or control characters"


def change_url(letter):
    return reverse("admin:correspondence_letter_change", args=[letter.pk])


def form_data(letter, **overrides):
    data = {
        "session": letter.session_id, "letterhead": letter.letterhead_id, "slug": letter.slug,
        "subject": letter.subject, "date": "2017-03-01", "place": "", "reference": "",
        "addressee": letter.addressee, "audience": letter.audience,
        "salutation": letter.salutation, "body": letter.body,
        "complimentary_close": letter.complimentary_close, "language": "en",
        "signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0",
        "enclosures-TOTAL_FORMS": "0", "enclosures-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def raw_pdf(*objects):
    """A PDF of these numbered objects (1 is the catalogue), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
# The page tree's root lists itself among its kids.
LOOPING = raw_pdf(CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", PAGE)
# Two nodes of the page tree list each other.
LOOPING_PAIR = raw_pdf(CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>")
# 150 nested page-tree nodes above one page: deeper than pypdf walks.
NESTED = raw_pdf(CATALOG, *[b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1)
                            for n in range(2, 152)], b"<< /Type /Page /MediaBox [0 0 9 9] >>")
NO_PAGE = raw_pdf(CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>")
NO_PAGE_TREE = raw_pdf(b"<< /Type /Catalog >>")


def encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password="", owner_password="secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


UNREADABLE = "This PDF cannot be read; it may be damaged."
UNUSABLE = "This PDF is encrypted or has no page."
BAD_ANNEXES = [
    pytest.param(LOOPING, UNREADABLE, id="page-tree-loops"),
    pytest.param(LOOPING_PAIR, UNREADABLE, id="page-tree-loops-through-two-nodes"),
    pytest.param(NESTED, UNREADABLE, id="page-tree-too-deep"),
    pytest.param(NO_PAGE, UNUSABLE, id="no-page"),
    pytest.param(NO_PAGE_TREE, UNREADABLE, id="no-page-tree"),
    pytest.param(encrypted_pdf(), UNUSABLE, id="encrypted"),
    pytest.param(blank_pdf()[:-200], UNREADABLE, id="truncated-xref"),
]


def test_admin_refuses_a_subject_with_a_line_break(admin_client):
    letter = make_letter(subject="Letter on the negotiations")

    response = admin_client.post(change_url(letter), form_data(letter, subject=FORGED))

    assert response.status_code == 200
    assert ONE_LINE in response.text
    assert "line feed (U+000A), carriage return (U+000D)" in response.text
    assert Letter.objects.get(pk=letter.pk).subject == "Letter on the negotiations"


def test_admin_refuses_a_signature_block_with_a_control_character(admin_client):
    letter = make_letter(signatories=0)
    person = make_letter().signatories.get().person

    response = admin_client.post(change_url(letter), form_data(letter, **{
        "signatories-TOTAL_FORMS": "1", "signatories-0-position": "1",
        "signatories-0-person": person.pk, "signatories-0-block": "Peter Thomson\x0bPresident",
    }))

    assert response.status_code == 200
    assert "This text contains control characters that cannot be printed" in response.text
    assert not letter.signatories.exists()


def test_issuing_refuses_a_subject_with_a_line_break_saved_without_a_form(admin_client):
    letter = make_letter(subject=FORGED)

    with pytest.raises(ValidationError) as caught:
        letter_issue(letter=letter, by=None)
    response = admin_client.post(reverse("admin:correspondence_letter_issue", args=[letter.pk]),
                                 follow=True)

    assert [m for m in caught.value.messages if m.startswith("Subject: " + ONE_LINE)]
    assert "Subject: " + ONE_LINE in response.text
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_a_correction_does_not_copy_a_line_break_and_can_be_distributed():
    # A letter issued before one-line fields were enforced.
    letter = make_letter(subject=FORGED, reference="IGN/1\n")
    with mock.patch("correspondence.services.issue_problems", return_value=[]), \
            mock.patch("correspondence.services.render_letter_pdf", return_value=blank_pdf()):
        letter_issue(letter=letter, by=None)

    correction = letter_correct(letter=letter, by=None)

    assert correction.subject == (
        "Letter on the negotiations Bcc: everyone@example.org (Corr.1)")
    assert correction.reference == "IGN/1"
    correction.clean_fields()
    issued = letter_issue(letter=correction, by=None)
    assert issued.status == Letter.Status.ISSUED
    EmailMessage(subject=issued.subject, body="", to=["registry@mission.example"]).message()


def annex_post(admin_client, letter, upload):
    return admin_client.post(change_url(letter), form_data(letter, **{
        "enclosures-TOTAL_FORMS": "1", "enclosures-0-position": "1",
        "enclosures-0-title": "Annex", "enclosures-0-annex": upload,
    }))


@pytest.mark.parametrize(("content", "message"), BAD_ANNEXES)
def test_admin_refuses_an_annex_pypdf_cannot_walk(admin_client, content, message):
    letter = make_letter()

    response = annex_post(admin_client, letter,
                          SimpleUploadedFile("annex.pdf", content, "application/pdf"))

    assert response.status_code == 200
    assert message in response.text
    assert not Enclosure.objects.filter(letter=letter).exists()


def test_admin_refuses_an_annex_title_with_a_line_break(admin_client):
    letter = make_letter()

    response = admin_client.post(change_url(letter), form_data(letter, **{
        "enclosures-TOTAL_FORMS": "1", "enclosures-0-position": "1",
        "enclosures-0-title": "Annex\r\nI",
        "enclosures-0-annex": SimpleUploadedFile("annex.pdf", blank_pdf()),
    }))

    assert response.status_code == 200 and ONE_LINE in response.text
    assert not Enclosure.objects.filter(letter=letter).exists()


def test_a_stored_annex_that_cannot_be_read_is_explained_not_a_500(admin_client):
    # Stored before uploads were walked: the preview and the issue say which annex fails.
    letter = make_letter()
    enclosure = Enclosure(letter=letter, position=1, title="Looping annex")
    enclosure.annex.save("looping.pdf", ContentFile(LOOPING), save=True)
    preview = reverse("admin:correspondence_letter_preview_pdf", args=[letter.pk])

    response = admin_client.get(preview, follow=True)
    with pytest.raises(ValidationError) as caught:
        letter_issue(letter=letter, by=None)

    expected = f"The annex “Looping annex” cannot be added: {UNREADABLE}"
    assert response.redirect_chain == [(change_url(letter), 302)]
    assert expected in response.text
    assert caught.value.messages == [expected]
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_a_good_annex_still_goes_into_the_pdf(admin_client):
    letter = make_letter()

    response = annex_post(admin_client, letter,
                          SimpleUploadedFile("annex.pdf", blank_pdf(2), "application/pdf"))
    issued = letter_issue(letter=letter, by=None)

    assert response.status_code == 302
    assert len(reader(bytes(issued.pdf.content)).pages) == 3
