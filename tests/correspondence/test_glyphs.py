"""No glyph is lost silently: characters the bundled fonts lack are named, refused at issue,
and never stop the rest of a preview from being read."""

import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from correspondence.glyphs import PLACEHOLDER, covered_codepoints
from correspondence.models import Enclosure, Signatory
from correspondence.services import issue_problems, letter_issue
from tests.factories import make_letter, make_letterhead

from .pdftools import blank_pdf, pdf_text

pytestmark = pytest.mark.django_db

# Devanagari: in none of the bundled fonts (Latin, Arabic, Chinese).
UNCOVERED = "भारत"
NAMED = ("त (U+0924 DEVANAGARI LETTER TA), भ (U+092D DEVANAGARI LETTER BHA), "
         "र (U+0930 DEVANAGARI LETTER RA), ा (U+093E DEVANAGARI VOWEL SIGN AA)")


def preview(client, letter):
    response = client.get(reverse("admin:correspondence_letter_preview_pdf", args=[letter.pk]))
    assert response.status_code == 200
    return response.content


def plumber_text(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_the_bundled_fonts_cover_the_seed_arabic_and_chinese_but_not_devanagari():
    covered = covered_codepoints()

    assert all(ord(c) in covered for c in "Excellency, Lajčák — “72nd” Ørsted")
    assert all(ord(c) in covered for c in "联合国大会，㈠《》 الجمعية العامة، ﻻ")
    assert not any(ord(c) in covered for c in UNCOVERED)


def test_issuing_a_letter_with_chinese_in_its_body_is_refused_naming_the_characters():
    letter = make_letter(body=f"The General Assembly ({UNCOVERED}) decided.")

    with pytest.raises(ValidationError) as refused:
        letter_issue(letter=letter, by=None)

    [message] = [m for m in refused.value.messages if "U+" in m]
    assert NAMED in message and "not in the letter's fonts" in message
    letter.refresh_from_db()
    assert letter.is_draft and letter.pdf_id is None


def test_the_preview_of_such_a_letter_still_extracts_its_other_text(admin_client):
    letter = make_letter(body=f"The General Assembly ({UNCOVERED}) decided to continue.")

    pdf = preview(admin_client, letter)

    plumber = plumber_text(pdf)
    poppler = pdf_text(pdf, layout=False)
    for text in (plumber, poppler):
        assert "The General Assembly" in text and "decided to continue." in text
        assert "Excellency," in text and letter.letterhead.heading in text
        assert PLACEHOLDER * 4 in text
        assert not any(c in text for c in UNCOVERED)


@pytest.mark.parametrize("where", [
    "subject", "heading", "addressee", "salutation", "close", "signature", "reference",
    "place", "enclosure title",
])
def test_every_printed_field_is_checked(where):
    text = f"Text {UNCOVERED}"
    fields = {"subject": {"subject": text}, "addressee": {"addressee": text},
              "salutation": {"salutation": text}, "close": {"complimentary_close": text},
              "reference": {"reference": text}, "place": {"place": text},
              "heading": {"letterhead": make_letterhead(heading=text)}}.get(where, {})
    letter = make_letter(**fields)
    if where == "signature":
        Signatory.objects.filter(letter=letter).update(block=text)
    if where == "enclosure title":
        Enclosure.objects.create(letter=letter, position=1, title=text,
                                 annex=_stored_annex())

    problems = issue_problems(letter)

    assert any(NAMED in p for p in problems), problems


def _stored_annex():
    from django.core.files.base import ContentFile

    from correspondence.models import annex_storage

    return annex_storage().save("annex.pdf", ContentFile(blank_pdf()))


def test_a_letter_the_fonts_cover_has_no_glyph_problem():
    letter = make_letter(body="Ion Jinga and Mohammed Khaled Khiari, H.E. Mr. Lajčák – “72nd”.")

    assert issue_problems(letter) == []


def test_the_admin_page_of_a_draft_names_the_characters(admin_client):
    draft = make_letter(body=f"The {UNCOVERED}.")
    fine = make_letter()

    page = admin_client.get(reverse("admin:correspondence_letter_change", args=[draft.pk]))
    clean = admin_client.get(reverse("admin:correspondence_letter_change", args=[fine.pk]))

    assert page.status_code == 200 and NAMED in page.text
    assert clean.status_code == 200 and "not in the letter's fonts" not in clean.text


def test_the_html_preview_of_a_draft_names_the_characters(admin_client):
    draft = make_letter(body=f"The {UNCOVERED}.")

    page = admin_client.get(draft.get_absolute_url())

    assert page.status_code == 200 and NAMED in page.text and f"The {UNCOVERED}." in page.text


def test_many_characters_are_counted_not_all_listed():
    letter = make_letter(body="".join(chr(0x0905 + i) for i in range(30)))

    [message] = [m for m in issue_problems(letter) if "U+" in m]

    assert "U+0905" in message and "U+0918" in message and "U+0919" not in message
    assert "and 10 more" in message


def test_spaces_and_format_characters_need_no_glyph_but_private_use_does():
    letter = make_letter(body="A\u2009thin space, a soft\u00adhyphen, a\u200bbreak, "
                              "a word\u2060joiner and a private \ue000 sign.")

    [message] = [m for m in issue_problems(letter) if "U+" in m]

    assert "(U+E000)" in message  # a private use character has no name
