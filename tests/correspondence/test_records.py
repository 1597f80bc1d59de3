"""Issued letters are records: the model layer and the database itself refuse changes."""

import pytest
from django.db import IntegrityError, connection, transaction

from correspondence.models import Enclosure, Letter, LetterIsRecord, Signatory, StoredFile
from correspondence.services import letter_correct, letter_issue
from tests.factories import make_letter, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    return letter_issue(letter=make_letter(), by=None)


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_orm_save_of_an_issued_letter_is_refused(issued):
    issued.subject = "Changed"

    with pytest.raises(LetterIsRecord):
        issued.save()

    assert Letter.objects.get(pk=issued.pk).subject != "Changed"


def test_queryset_update_of_an_issued_letter_is_refused_by_the_database(issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).update(body="Rewritten")

    assert Letter.objects.get(pk=issued.pk).body == issued.body


@pytest.mark.parametrize("column, value", [
    ("body", "Rewritten"), ("subject", "Changed"), ("date", "2020-01-01"),
    ("pdf_sha256", "0" * 64), ("verification_code", "AAAA-AAAA"), ("status", "draft"),
])
def test_raw_update_of_an_issued_letter_is_refused_by_the_database(issued, column, value):
    with pytest.raises(IntegrityError):
        raw(f"UPDATE correspondence_letter SET {column} = %s WHERE id = %s", [value, issued.pk])

    assert Letter.objects.filter(pk=issued.pk).values_list("status", "body").get() == (
        "issued", issued.body)


def test_the_pdf_of_an_issued_letter_cannot_be_changed_by_orm_or_sql(issued):
    sha256, original = issued.pdf_sha256, bytes(Letter.objects.get(pk=issued.pk).pdf.content)
    forged = StoredFile.objects.store(b"%PDF-1.7 forged")

    issued.pdf = forged
    with pytest.raises(LetterIsRecord):
        issued.save()
    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_letter SET pdf_sha256 = %s WHERE id = %s",
            [forged.sha256, issued.pk])
    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_storedfile SET content = %s, size = 11 WHERE sha256 = %s",
            [b"%PDF-forged", sha256])
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredFile.objects.filter(pk=sha256).update(content=b"%PDF-x", size=6)

    stored = Letter.objects.get(pk=issued.pk)
    assert stored.pdf_sha256 == sha256
    assert bytes(stored.pdf.content) == original and original.startswith(b"%PDF-1.7")


def test_a_stored_file_is_never_updated_even_unreferenced():
    stored = StoredFile.objects.store(b"%PDF-1.7 an annex")

    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_storedfile SET created_at = created_at WHERE sha256 = %s",
            [stored.sha256])


def test_a_stored_file_must_hold_its_size_and_on_postgresql_its_hash():
    with pytest.raises(IntegrityError):
        raw("INSERT INTO correspondence_storedfile (sha256, content, size, created_at) "
            "VALUES (%s, %s, 99, CURRENT_TIMESTAMP)", ["a" * 64, b"%PDF-"])
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot compute a SHA-256 in a constraint")
    with pytest.raises(IntegrityError):
        raw("INSERT INTO correspondence_storedfile (sha256, content, size, created_at) "
            "VALUES (%s, %s, 5, CURRENT_TIMESTAMP)", ["a" * 64, b"%PDF-"])


def test_status_may_move_from_issued_to_superseded_and_no_further(issued):
    # Only issuing a correction supersedes (see test_snapshots for the refusals).
    letter_issue(letter=letter_correct(letter=issued, by=None), by=None)

    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_letter SET status = 'issued' WHERE id = %s", [issued.pk])
    assert Letter.objects.get(pk=issued.pk).status == "superseded"


def test_a_draft_stays_editable_by_orm_and_sql():
    draft = make_letter()
    draft.subject = "Edited"
    draft.save()

    raw("UPDATE correspondence_letter SET body = %s WHERE id = %s", ["New body", draft.pk])

    assert Letter.objects.filter(pk=draft.pk).values_list("subject", "body").get() == (
        "Edited", "New body")


def test_signatories_of_an_issued_letter_cannot_be_added_changed_or_deleted(issued):
    signatory = issued.signatories.get()
    with pytest.raises(LetterIsRecord), transaction.atomic():
        Signatory.objects.create(letter=issued, position=2, person=make_person(), block="X")
    signatory.block = "Forged"
    with pytest.raises(LetterIsRecord):
        signatory.save()
    with pytest.raises(LetterIsRecord):
        signatory.delete()
    with pytest.raises(LetterIsRecord), transaction.atomic():
        Signatory.objects.filter(pk=signatory.pk).delete()
    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_signatory SET block = 'Forged' WHERE id = %s", [signatory.pk])
    with pytest.raises(IntegrityError):
        raw("INSERT INTO correspondence_signatory (letter_id, position, person_id, block) "
            "VALUES (%s, 9, %s, 'Forged')", [issued.pk, make_person().pk])

    assert list(issued.signatories.values_list("block", flat=True)) == [
        Signatory.objects.get(pk=signatory.pk).block]
    assert "Forged" not in Signatory.objects.get(pk=signatory.pk).block


def test_enclosures_of_an_issued_letter_cannot_be_added(issued):
    other = letter_issue(letter=make_letter(), by=None)

    with pytest.raises(LetterIsRecord):
        Enclosure.objects.create(letter=issued, position=1, enclosed_letter=other)
    with pytest.raises(IntegrityError):
        raw("INSERT INTO correspondence_enclosure (letter_id, position, enclosed_letter_id, "
            "annex, title) VALUES (%s, 1, %s, '', '')", [issued.pk, other.pk])

    assert not issued.enclosures.exists()


def test_an_issued_letter_cannot_be_deleted(issued):
    with pytest.raises(LetterIsRecord):
        issued.delete()
    with pytest.raises(LetterIsRecord), transaction.atomic():
        Letter.objects.filter(pk=issued.pk).delete()

    assert Letter.objects.filter(pk=issued.pk).exists()


def test_an_issued_letter_cannot_be_deleted_by_sql_on_postgresql(issued):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite relies on the model layer for deletion, so that flush works")
    with pytest.raises(IntegrityError):
        raw("DELETE FROM correspondence_letter WHERE id = %s", [issued.pk])
    assert Letter.objects.filter(pk=issued.pk).exists()


def test_issued_letter_recipients_cannot_be_removed_or_cleared(seeded):
    from django.db import transaction

    from correspondence.models import Letter, LetterIsRecord
    from correspondence.seed import PGA_SLUG
    from sessions.models import Mission

    letter = Letter.objects.get(slug=PGA_SLUG)
    mission = Mission.objects.first()

    for change in (lambda: letter.recipients.add(mission), lambda: letter.recipients.clear(),
                   lambda: letter.recipients.remove(mission)):
        with pytest.raises(LetterIsRecord), transaction.atomic():
            change()
