"""Issuing a letter, refusing bad ones, and putting a mistake right with a correction."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from correspondence.models import Letter, Signatory
from correspondence.services import letter_correct, letter_issue
from tests.factories import make_letter

from .pdftools import pdf_text

pytestmark = pytest.mark.django_db


def test_issue_stores_the_pdf_its_hash_and_code(superuser):
    letter = make_letter(body="We have the honour to inform you.")

    issued = letter_issue(letter=letter, by=superuser)

    stored = Letter.objects.get(pk=letter.pk)
    assert stored.status == "issued" and stored.issued_by == superuser
    assert stored.pdf_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert issued.verification_code == stored.verification_code
    assert stored.verification_code in pdf_text(bytes(stored.pdf))
    assert "We have the honour to inform you." in pdf_text(bytes(stored.pdf))


@pytest.mark.parametrize("change, message", [
    ({"date": None}, "The letter has no date."),
    ({"body": "  \n "}, "The letter's body is empty."),
])
def test_issue_refuses_an_incomplete_letter(change, message):
    letter = make_letter(**change)

    with pytest.raises(ValidationError) as excinfo:
        letter_issue(letter=letter, by=None)

    assert excinfo.value.messages == [message]
    assert Letter.objects.get(pk=letter.pk).status == "draft"


def test_issue_refuses_a_letter_without_signatory():
    letter = make_letter(signatories=0)

    with pytest.raises(ValidationError) as excinfo:
        letter_issue(letter=letter, by=None)

    assert excinfo.value.messages == ["The letter has no signatory."]


def test_issue_twice_is_refused():
    letter = letter_issue(letter=make_letter(), by=None)
    sha256 = letter.pdf_sha256

    with pytest.raises(ValidationError) as excinfo:
        letter_issue(letter=letter, by=None)

    assert excinfo.value.messages == ["This letter has already been issued."]
    assert Letter.objects.get(pk=letter.pk).pdf_sha256 == sha256


def test_a_cover_letter_waits_for_its_enclosed_letter():
    enclosed = make_letter(subject="The enclosed letter")
    cover = make_letter()
    cover.enclosures.create(position=1, enclosed_letter=enclosed)

    with pytest.raises(ValidationError) as excinfo:
        letter_issue(letter=cover, by=None)

    assert excinfo.value.messages == ["Issue the enclosed letter “The enclosed letter” first."]


def test_correction_is_a_numbered_draft_copying_the_letter(pga_letter):
    correction = letter_correct(letter=pga_letter, by=None)

    assert correction.is_draft and correction.corrects == pga_letter
    assert correction.correction_number == 1
    assert correction.slug == f"{pga_letter.slug}-corr1"
    assert correction.body == pga_letter.body
    assert list(correction.signatories.values_list("block", flat=True)) == ["Peter Thomson"]
    assert correction.enclosures.get().enclosed_letter.slug == (
        "2017-01-09-co-chairs-resumption-of-the-ign")
    assert Letter.objects.get(pk=pga_letter.pk).status == "issued"


def test_issuing_the_correction_supersedes_the_original(client, pga_letter):
    correction = letter_correct(letter=pga_letter, by=None)
    correction.body = correction.body.replace("7 November 2016", "8 November 2016")
    correction.save()

    letter_issue(letter=correction, by=None)

    original = Letter.objects.get(pk=pga_letter.pk)
    assert original.status == "superseded"
    assert "Corr.1" in pdf_text(bytes(Letter.objects.get(pk=correction.pk).pdf))
    page = client.get(original.get_absolute_url())
    assert "This letter has been superseded by a correction." in page.text
    assert correction.get_absolute_url() in page.text
    pdf = client.get(original.get_pdf_url())
    assert pdf.status_code == 200 and pdf.content == bytes(original.pdf)


def test_a_second_correction_supersedes_the_first(pga_letter):
    first = letter_issue(letter=letter_correct(letter=pga_letter, by=None), by=None)

    second = letter_issue(letter=letter_correct(letter=first, by=None), by=None)

    statuses = dict(Letter.objects.filter(
        pk__in=[pga_letter.pk, first.pk, second.pk]).values_list("pk", "status"))
    assert second.correction_number == 2 and second.corrects_id == pga_letter.pk
    assert statuses == {pga_letter.pk: "superseded", first.pk: "superseded",
                        second.pk: "issued"}


def test_only_one_correction_at_a_time_and_never_of_a_draft(pga_letter):
    letter_correct(letter=pga_letter, by=None)

    with pytest.raises(ValidationError):
        letter_correct(letter=pga_letter, by=None)
    with pytest.raises(ValidationError):
        letter_correct(letter=make_letter(), by=None)


def test_a_long_letter_numbers_its_continuation_pages():
    letter = make_letter(body="\n\n".join(["A paragraph of the letter. " * 30] * 12))
    Signatory.objects.filter(letter=letter).update(block="The Signatory")

    pdf = bytes(letter_issue(letter=letter, by=None).pdf)

    first, second = pdf_text(pdf, first=1), pdf_text(pdf, first=2)
    assert first.split()[0] == "OFFICE"
    assert second.split()[0] == "-2-"


@pytest.mark.django_db
def test_corrections_of_a_letter_with_the_longest_slug_get_their_own_slugs():
    original = make_letter(slug="a" * 120)
    letter_issue(letter=original, by=None)

    first = letter_correct(letter=original, by=None)
    letter_issue(letter=first, by=None)
    second = letter_correct(letter=original, by=None)

    assert (first.slug, second.slug) == ("a" * 114 + "-corr1", "a" * 114 + "-corr2")
