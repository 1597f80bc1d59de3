"""Letters in language versions: one symbol and one address, each version issued on its own,
corrections in some languages only, pages, PDFs and verification per version."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from correspondence.models import Letter, Letterhead, Signatory
from correspondence.models.letters import letterhead_text
from correspondence.services import letter_add_version, letter_correct, letter_issue
from tests.factories import make_letter, text_of

from .french import FRENCH_BODY, FRENCH_SUBJECT, NOON, french_version, translate_to_french
from .pdftools import pdf_text


def french_catalog(msgid, **values):
    """`msgid` as the French catalog gives it, with its placeholders filled."""
    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % values if values else text


@pytest.fixture
def french(pga_letter):
    return french_version(pga_letter)


def flat(text):
    return " ".join(text.split())


def test_a_french_version_of_the_pga_letter_is_issued_on_its_own(pga_letter, french):
    assert french.status == Letter.Status.ISSUED
    assert (french.slug, french.reference, french.date, french.letterhead_id, french.audience) \
        == (pga_letter.slug, pga_letter.reference, pga_letter.date, pga_letter.letterhead_id,
            pga_letter.audience)
    assert french.version_of_id == pga_letter.pk and french.original == pga_letter
    assert french.pdf_id != pga_letter.pdf_id
    assert french.verification_code not in ("", None, pga_letter.verification_code)
    assert [v.language for v in pga_letter.versions] == ["en", "fr"]
    assert pga_letter.version_in("fr") == french and pga_letter.version_in("es") is None
    text = flat(pdf_text(bytes(french.pdf.content), layout=False))
    assert "Faisant suite à ma lettre datée du 26 octobre 2016" in text
    assert "Je vous prie d’agréer, Excellence" in text
    # The Co-Chairs' letter has no French version: enclosed in English, and the PDF says so,
    # in the cover letter's language.
    assert flat(french_catalog(
        "This enclosure is in %(language)s: it has no version in the language of the cover "
        "letter.", language=french_catalog("English"))) in text
    assert "This enclosure is in" not in text
    assert "Further to my letter" not in text


def test_the_sender_as_issued_is_read_in_the_versions_language():
    class Translated:  # a field read under the active language, as modeltranslation does
        heading_en = "THE PRESIDENT OF THE GENERAL ASSEMBLY"

        @property
        def heading(self):
            return {"fr": "LE PRÉSIDENT DE L’ASSEMBLÉE GÉNÉRALE", "es": ""}.get(
                translation.get_language(), self.heading_en)

    assert letterhead_text(Translated(), "heading", "fr") == "LE PRÉSIDENT DE L’ASSEMBLÉE GÉNÉRALE"
    assert letterhead_text(Translated(), "heading", "es") == "THE PRESIDENT OF THE GENERAL ASSEMBLY"


def test_a_version_without_its_own_text_cannot_be_issued(pga_letter):
    version = letter_add_version(letter=pga_letter, language="es", by=None)

    with pytest.raises(ValidationError) as empty:
        letter_issue(letter=version, by=None)
    version.body = pga_letter.body
    version.save()
    with pytest.raises(ValidationError) as copied:
        letter_issue(letter=version, by=None)

    assert "The Spanish version has no text: write its body before issuing it." in \
        empty.value.messages
    assert ("The Spanish version's body is still the original's text: write it in Spanish "
            "before issuing it.") in copied.value.messages
    version.refresh_from_db()
    assert version.is_draft and version.pdf_id is None


def test_an_unknown_or_taken_language_is_refused(pga_letter, french):
    with pytest.raises(ValidationError, match="“de” is not one of the official languages."):
        letter_add_version(letter=pga_letter, language="de", by=None)
    with pytest.raises(ValidationError, match="already has a French version"):
        letter_add_version(letter=french, language="fr", by=None)
    with pytest.raises(ValidationError, match="The original is in English already."):
        letter_add_version(letter=pga_letter, language="en", by=None)
    draft = make_letter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=draft.pk).update(language="de")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(session=draft.session, letterhead=draft.letterhead,
                              slug=draft.slug, subject="Same address, same language",
                              addressee="x")


def test_a_version_keeps_its_originals_symbol_date_and_sender(pga_letter):
    version = letter_add_version(letter=pga_letter, language="ru", by=None)
    version.slug, version.date = "elsewhere", dt.date(2020, 1, 1)
    version.reference = "A/00/000"
    version.save()

    version.refresh_from_db()
    assert (version.slug, version.date, version.reference) == (
        pga_letter.slug, pga_letter.date, pga_letter.reference)
    assert [s.block for s in version.signatories.all()] == ["Peter Thomson"]
    assert version.body == ""
    [enclosure] = version.enclosures.all()
    assert enclosure.enclosed_letter == pga_letter.enclosures.get().enclosed_letter


def test_a_french_cover_encloses_the_french_version_where_there_is_one(
        pga_letter, co_chairs_letter):
    enclosed = translate_to_french(letter_add_version(letter=co_chairs_letter, language="fr",
                                                      by=None))
    enclosed.subject = "Lettre datée du 9 janvier 2017 des coprésidents"
    enclosed.body = "Les coprésidents ont l’honneur de faire savoir que les séances reprendront."
    enclosed.save()
    letter_issue(letter=enclosed, by=None, at=NOON)

    cover = letter_add_version(letter=pga_letter, language="fr", by=None)

    assert cover.enclosures.get().enclosed_letter == enclosed


def test_pages_in_each_language(client, pga_letter, french):
    english, in_french, spanish = (client.get(f"{prefix}/letters/{pga_letter.slug}/")
                                   for prefix in ("", "/fr", "/es"))

    assert english.context["letter"] == pga_letter
    assert in_french.context["letter"] == french
    assert FRENCH_SUBJECT in text_of(in_french)
    assert re.search(r'<h1 lang="fr" dir="ltr">Lettre datée', in_french.content.decode())
    assert f'href="/letters/{pga_letter.slug}/" hreflang="en" lang="en"' in \
        in_french.content.decode()
    assert f'href="/fr/letters/{pga_letter.slug}/" hreflang="fr" lang="fr"' in \
        english.content.decode()
    assert "English (original)" in text_of(english)
    assert flat(french_catalog("%(language)s (original: %(original)s)",
                               language=french_catalog("French"),
                               original=french_catalog("English"))) in flat(text_of(in_french))
    # No Spanish version: the original, marked as English, with a note.
    assert spanish.context["letter"] == pga_letter
    assert '<h1 lang="en" dir="ltr">' in spanish.content.decode()
    with translation.override("es"):
        note = translation.gettext(
            "This letter has no version in the language of this page: it is shown in its "
            "original language (%(language)s).") % {"language": translation.gettext("English")}
    assert note in text_of(spanish)


def test_a_pdf_url_per_language(client, pga_letter, french):
    english = client.get(f"/letters/{pga_letter.slug}.pdf")
    in_french = client.get(f"/fr/letters/{pga_letter.slug}.pdf")
    spanish = client.get(f"/es/letters/{pga_letter.slug}.pdf")

    assert english.content == bytes(pga_letter.pdf.content)
    assert in_french.content == bytes(french.pdf.content)
    assert in_french["ETag"] == f'"{french.pdf_id}"'
    assert f'filename="{pga_letter.slug}.fr.pdf"' in in_french["Content-Disposition"]
    assert spanish.status_code == 404


def test_drafts_404_in_every_language(client, pga_letter):
    draft = make_letter()
    letter_add_version(letter=pga_letter, language="ar", by=None)  # a draft version

    for prefix in ("", "/fr", "/ar", "/zh-hans"):
        assert client.get(f"{prefix}/letters/{draft.slug}/").status_code == 404
        assert client.get(f"{prefix}/letters/{draft.slug}.pdf").status_code == 404
    arabic = client.get(f"/ar/letters/{pga_letter.slug}/")
    assert arabic.context["letter"] == pga_letter  # the original, never the draft
    assert client.get(f"/ar/letters/{pga_letter.slug}.pdf").status_code == 404


def test_verification_knows_every_version(client, pga_letter, french):
    by_code = client.get("/fr/letters/verify/", {"code": french.verification_code})
    by_file = client.post("/letters/verify/", {"pdf": SimpleUploadedFile(
        "lettre.pdf", bytes(french.pdf.content), content_type="application/pdf")})
    english = client.get("/letters/verify/", {"code": pga_letter.verification_code})

    assert by_code.context["letter"] == french
    assert by_file.context["letter"] == french
    assert english.context["letter"] == pga_letter
    assert "It is the French version of a letter whose original is in English." in \
        text_of(by_file)
    assert "It is the original, in English." in text_of(english)


def test_the_list_shows_one_line_per_letter_with_its_languages(client, pga_letter, french):
    english = client.get("/letters/")
    in_french = client.get("/fr/letters/")

    assert [row.pk for row in english.context["letters"]].count(pga_letter.pk) == 1
    assert french.pk not in [row.pk for row in english.context["letters"]]
    assert "Languages: English (original), français" in text_of(english)
    assert '<span class="letter-language" lang="fr">français</span>' in english.content.decode()
    assert FRENCH_SUBJECT in text_of(in_french)
    assert f'href="/fr/letters/{pga_letter.slug}/" lang="fr"' in in_french.content.decode()


def test_a_french_only_corr1_supersedes_the_french_version_only(client, pga_letter, french):
    correction = letter_correct(letter=french, by=None)
    correction.body = FRENCH_BODY.replace("7 novembre 2016", "8 novembre 2016")
    correction.save()

    letter_issue(letter=correction, by=None, at=NOON + dt.timedelta(days=1))

    french.refresh_from_db()
    pga_letter.refresh_from_db()
    correction.refresh_from_db()
    assert (correction.language, correction.correction_number, correction.corrects_id) == (
        "fr", 1, pga_letter.pk)
    assert correction.subject == f"{FRENCH_SUBJECT} (Corr.1)"
    assert french.status == Letter.Status.SUPERSEDED
    assert pga_letter.status == Letter.Status.ISSUED
    assert french.current_correction == correction and pga_letter.current_correction is None
    page = client.get(f"/fr/letters/{correction.slug}/")
    assert french_catalog("%(languages)s only", languages=french_catalog("French")) in text_of(page)
    superseded = client.get(f"/fr/letters/{pga_letter.slug}/")
    assert (french_catalog("This letter has been superseded by a correction.") + " "
            + french_catalog("Read Corr.%(number)s", number=1)) in text_of(superseded)
    english = text_of(client.get(f"/letters/{pga_letter.slug}/"))
    assert "This letter has been superseded" not in english
    assert "français (superseded by a correction)" in english
    # The next correction, in English, is Corr.2: Corr.N is numbered per symbol.
    assert letter_correct(letter=pga_letter, by=None).correction_number == 2


def test_the_database_refuses_superseding_a_version_without_a_correction_in_its_language(
        pga_letter, french):
    correction = letter_correct(letter=french, by=None)
    correction.body = "Le texte corrigé."
    correction.save()
    letter_issue(letter=correction, by=None, at=NOON + dt.timedelta(days=1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=pga_letter.pk).update(status=Letter.Status.SUPERSEDED)
    with pytest.raises(ValidationError):
        pga_letter.status = Letter.Status.SUPERSEDED
        pga_letter.save()
    assert not Letter.objects.get(pk=pga_letter.pk).has_later_issued_correction
    assert Letter.objects.get(pk=french.pk).has_later_issued_correction


def test_two_corrections_cannot_share_a_number_in_one_language(pga_letter, french):
    correction = letter_correct(letter=french, by=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            session=pga_letter.session, letterhead=pga_letter.letterhead,
            slug="another-address", subject="x", addressee="x", language="fr",
            corrects=pga_letter, correction_number=correction.correction_number)


def test_the_original_language_is_marked_in_the_admin(admin_client, pga_letter, french):
    changelist = text_of(admin_client.get("/admin/correspondence/letter/"))
    page = text_of(admin_client.get(f"/admin/correspondence/letter/{french.pk}/change/"))

    assert "English (original)" in changelist
    assert "French (version of the English original)" in changelist
    assert "Language versions: English (original) , French (Issued)" in page


def test_the_admin_adds_a_language_version(admin_client, pga_letter):
    form = admin_client.get(f"/admin/correspondence/letter/{pga_letter.pk}/add-version/")
    response = admin_client.post(f"/admin/correspondence/letter/{pga_letter.pk}/add-version/",
                                 {"language": "zh-hans"})
    bad = admin_client.post(f"/admin/correspondence/letter/{pga_letter.pk}/add-version/",
                            {"language": "xx"})

    version = Letter.objects.get(version_of=pga_letter, language="zh-hans")
    assert '<option value="en">' not in form.content.decode()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/admin/correspondence/letter/{version.pk}/change/")
    assert bad.status_code == 400
    assert "“xx” is not one of the official languages." in text_of(bad)
    assert Signatory.objects.filter(letter=version).count() == 1
    assert Letterhead.objects.count() >= 1


def test_the_admin_form_keeps_one_address_per_letter(pga_letter, co_chairs_letter):
    from correspondence.forms import LetterAdminForm

    letter_add_version(letter=pga_letter, language="fr", by=None)
    draft = make_letter()
    fields = {"session": draft.session_id, "letterhead": draft.letterhead_id,
              "subject": "x", "addressee": "x", "audience": "members", "salutation": "x",
              "complimentary_close": "x", "date": "2017-03-01"}

    taken = LetterAdminForm({**fields, "slug": co_chairs_letter.slug, "language": "fr"},
                            instance=draft)
    free = LetterAdminForm({**fields, "slug": "a-new-address", "language": "fr"},
                           instance=draft)

    assert taken.errors["slug"] == [
        "This address is taken by another letter (in one of its language versions)."]
    assert free.is_valid(), free.errors
