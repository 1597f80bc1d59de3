"""The Secretariat's admin for letters: preview, issue, correct, read-only records, annexes."""


import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from correspondence.models import Enclosure, Letter
from correspondence.services import letter_issue
from tests.factories import give_second_factor, make_letter, make_user

from .pdftools import blank_pdf, pdf_text

pytestmark = pytest.mark.django_db


def change_url(letter):
    return reverse("admin:correspondence_letter_change", args=[letter.pk])


def staff_client(client, *codenames):
    user = make_user("editor", email="e@example.org", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="correspondence", codename__in=codenames))
    client.force_login(user)
    return client


EDITOR = ("view_letter", "change_letter", "add_letter", "view_signatory", "change_signatory",
          "add_signatory", "view_enclosure", "add_enclosure", "change_enclosure")


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


def test_letter_admin_pages_render(admin_client, pga_letter, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        changelist = admin_client.get(reverse("admin:correspondence_letter_changelist"))
    pages = [admin_client.get(url) for url in (
        reverse("admin:correspondence_letter_add"),
        reverse("admin:correspondence_letterhead_changelist"), change_url(pga_letter))]

    assert changelist.status_code == 200 and pga_letter.subject in changelist.text
    assert [page.status_code for page in pages] == [200, 200, 200]


def test_issued_letter_form_is_read_only_and_a_crafted_post_is_refused(admin_client, pga_letter):
    page = admin_client.get(change_url(pga_letter)).text

    response = admin_client.post(change_url(pga_letter), form_data(
        pga_letter, subject="Forged", body="Forged body"))

    assert 'name="body"' not in page and 'name="_save"' not in page
    assert "Issue a correction" in page
    assert response.status_code == 403
    assert Letter.objects.get(pk=pga_letter.pk).subject == pga_letter.subject


def test_draft_is_edited_in_the_admin(admin_client):
    letter = make_letter()

    response = admin_client.post(change_url(letter), form_data(letter, body="New *body*"))

    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).body == "New *body*"


def test_preview_pdf_of_a_draft(admin_client):
    letter = make_letter(body="Preview me.")

    response = admin_client.get(reverse("admin:correspondence_letter_preview_pdf",
                                        args=[letter.pk]))

    text = pdf_text(response.content)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Preview me." in text and "Draft: not issued" in text
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_issue_needs_the_publisher_permission(client):
    letter = make_letter()
    editor = staff_client(client, *EDITOR)
    url = reverse("admin:correspondence_letter_issue", args=[letter.pk])

    response = editor.post(url)

    assert response.status_code == 403
    assert Letter.objects.get(pk=letter.pk).is_draft
    assert "Issue" not in editor.get(change_url(letter)).text.split("object-tools")[1][:600]


def test_publisher_issues_from_the_admin(client):
    letter = make_letter()
    publisher = staff_client(client, *EDITOR, "issue_letter")
    give_second_factor(User.objects.get(username="editor"))
    url = reverse("admin:correspondence_letter_issue", args=[letter.pk])

    confirm = publisher.get(url)
    response = publisher.post(url, follow=True)

    assert "Issue the letter" in confirm.text
    assert Letter.objects.get(pk=letter.pk).status == "issued"
    assert "Issued:" in response.text


def test_issue_refusal_is_shown_as_a_message(admin_client):
    letter = make_letter(date=None, signatories=0)

    response = admin_client.post(reverse("admin:correspondence_letter_issue", args=[letter.pk]),
                                 follow=True)

    assert "The letter has no date." in response.text
    assert "The letter has no signatory." in response.text
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_issue_a_correction_from_the_admin(admin_client, pga_letter):
    url = reverse("admin:correspondence_letter_correct", args=[pga_letter.pk])

    response = admin_client.post(url)

    correction = Letter.objects.get(corrects=pga_letter)
    assert response.status_code == 302 and response["Location"] == change_url(correction)
    assert correction.is_draft and correction.correction_number == 1
    history = admin_client.get(reverse("admin:correspondence_letter_history",
                                       args=[correction.pk]))
    assert f"Started as Corr.1 of “{pga_letter.slug}”." in history.content.decode()
    assert "admin" in history.content.decode()


def test_bulk_delete_of_an_issued_letter_is_refused(admin_client, pga_letter):
    response = admin_client.post(reverse("admin:correspondence_letter_changelist"), {
        "action": "delete_selected", "_selected_action": [pga_letter.pk], "post": "yes"})

    assert response.status_code in (200, 302, 403)
    assert Letter.objects.filter(pk=pga_letter.pk).exists()


def annex_post(admin_client, letter, upload):
    return admin_client.post(change_url(letter), form_data(letter, **{
        "enclosures-TOTAL_FORMS": "1", "enclosures-0-position": "1",
        "enclosures-0-title": "Annex", "enclosures-0-annex": upload,
    }))


def test_annex_upload_accepts_a_pdf_and_it_is_distributed(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # stays empty: annexes are stored in the database
    letter = make_letter()

    response = annex_post(admin_client, letter, SimpleUploadedFile(
        "annex.pdf", blank_pdf(), "application/pdf"))
    issued = letter_issue(letter=letter, by=None)

    from .pdftools import reader
    pdf = reader(bytes(issued.pdf))
    assert response.status_code == 302
    assert Enclosure.objects.get(letter=letter).annex.name.endswith(".pdf")
    assert len(pdf.pages) == 2
    assert [item.title for item in pdf.outline][-1] == "Annex"
    page = admin_client.get(letter.get_absolute_url()).text
    assert "Enclosure: Annex (in the PDF as distributed)." in page and "/media/" not in page
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, content, message", [
    ("annex.pdf", b"MZ\x90\x00 not a pdf", "This file is not a PDF."),
    ("annex.pdf", b"%PDF-1.7\n garbage", "This PDF cannot be read; it may be damaged."),
])
def test_annex_upload_refuses_what_is_not_a_pdf(admin_client, name, content, message):
    letter = make_letter()

    response = annex_post(admin_client, letter, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert message in response.text
    assert not Enclosure.objects.filter(letter=letter).exists()


def test_annex_upload_over_the_limit_is_refused(admin_client, settings):
    settings.IGN_ANNEX_MAX_BYTES = 100
    letter = make_letter()

    response = annex_post(admin_client, letter, SimpleUploadedFile("annex.pdf", blank_pdf()))

    assert "The file is too large" in response.text
    assert not Enclosure.objects.filter(letter=letter).exists()
