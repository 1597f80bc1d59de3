"""Language versions issued late: what a version issued after a correction, after its
enclosure's version or after an edit of its letterhead says is true."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from correspondence.models import Letter
from correspondence.services import letter_add_version, letter_correct, letter_issue
from tests.factories import text_of

from .french import FRENCH_BODY, NOON, french_version, translate_to_french
from .pdftools import pdf_text

CO_CHAIRS_FRENCH = "Les coprésidents ont l’honneur de faire savoir que les séances reprendront."


def french_catalog(msgid, **values):
    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % values if values else text


def flat(text):
    return " ".join(text.split())


def issued_corr1(pga_letter, at):
    correction = letter_correct(letter=pga_letter, by=None)
    correction.body = pga_letter.body.replace("7 November 2016", "8 November 2016") + "\n\nX."
    correction.save()
    return letter_issue(letter=correction, by=None, at=at)


def french_co_chairs(co_chairs_letter, at):
    version = translate_to_french(letter_add_version(letter=co_chairs_letter, language="fr",
                                                     by=None))
    version.subject = "Lettre datée du 9 janvier 2017 des coprésidents"
    version.body = CO_CHAIRS_FRENCH
    version.save()
    return letter_issue(letter=version, by=None, at=at)


def test_a_version_is_not_issued_after_a_correction_in_its_language(pga_letter):
    correction = issued_corr1(pga_letter, NOON)
    french_corr = translate_to_french(letter_add_version(letter=correction, language="fr",
                                                         by=None))
    french_corr.subject = "Lettre corrigée (Corr.1)"
    french_corr.body = FRENCH_BODY.replace("7 novembre 2016", "8 novembre 2016")
    french_corr.save()
    letter_issue(letter=french_corr, by=None, at=NOON + dt.timedelta(hours=1))

    with pytest.raises(ValidationError) as refused:
        french_version(pga_letter)

    [message] = [m for m in refused.value.messages if "has been issued since" in m]
    assert message.startswith("A correction in French has been issued since: this version "
                              "would not be current;")
    version = Letter.objects.get(version_of=pga_letter, language="fr")
    assert version.is_draft and version.pdf_id is None
    assert Letter.objects.public().filter(language="fr", slug=pga_letter.slug).count() == 0


def test_a_version_is_refused_with_the_originals_subject(pga_letter):
    version = translate_to_french(letter_add_version(letter=pga_letter, language="fr", by=None))
    version.subject = pga_letter.subject
    version.save()

    with pytest.raises(ValidationError) as refused:
        letter_issue(letter=version, by=None, at=NOON)

    assert ("The French version's subject is still the original's text: write it in French "
            "before issuing it.") in refused.value.messages


def test_a_correction_names_only_its_public_versions(client, pga_letter):
    correction = issued_corr1(pga_letter, NOON)
    letter_add_version(letter=correction, language="fr", by=None)  # a draft, not public

    page = text_of(client.get(f"/letters/{correction.slug}/"))

    assert "English only" in page
    assert "French" not in page


def test_a_version_encloses_the_enclosures_version_issued_after_it_was_started(
        client, pga_letter, co_chairs_letter):
    cover = letter_add_version(letter=pga_letter, language="fr", by=None)
    enclosed = french_co_chairs(co_chairs_letter, NOON)
    translate_to_french(cover)

    cover = letter_issue(letter=cover, by=None, at=NOON + dt.timedelta(hours=1))

    assert cover.enclosures.get().enclosed_letter == enclosed
    text = flat(pdf_text(bytes(cover.pdf.content), layout=False))
    assert CO_CHAIRS_FRENCH in text
    assert flat(french_catalog(
        "This enclosure is in %(language)s: it has no version in the language of the cover "
        "letter.", language=french_catalog("English"))) not in text
    page = client.get(f"/fr/letters/{pga_letter.slug}/")
    assert page.context["letter"] == cover
    assert "coprésidents" in text_of(page)
    note = french_catalog("A %(language)s version of this enclosure has been issued since: "
                          "<a href=\"%(url)s\">read it</a>.", language="x", url="y")
    assert note.split("x")[-1].split("<a")[0].strip() not in text_of(page)


def test_the_page_says_an_enclosures_version_was_issued_since_only_when_it_was(
        client, pga_letter, co_chairs_letter):
    cover = french_version(pga_letter)  # encloses the English Co-Chairs letter
    french_co_chairs(co_chairs_letter, NOON + dt.timedelta(hours=1))

    page = client.get(f"/fr/letters/{pga_letter.slug}/")

    assert page.context["letter"] == cover
    [enclosure] = page.context["enclosures"]
    assert enclosure.version_now is not None


def test_a_version_takes_its_sender_as_the_original_was_issued(pga_letter):
    letterhead = pga_letter.letterhead
    before = (pga_letter.sender_name, pga_letter.sender_heading, pga_letter.sender_paper_size)
    with translation.override("fr"):
        french_name_then = letterhead.name
    letterhead.name_en = "The Office Renamed Since"
    letterhead.paper_size = "a4" if pga_letter.sender_paper_size != "a4" else "letter"
    letterhead.save()

    french = french_version(pga_letter)

    assert french.sender_paper_size == before[2]
    assert french.sender_artwork_id == pga_letter.sender_artwork_id
    assert french.sender_name == (french_name_then or before[0])
    assert "Renamed" not in french.sender_name


def test_the_list_shows_the_notices_of_the_version_it_shows(client, pga_letter,
                                                             co_chairs_letter):
    enclosed = french_co_chairs(co_chairs_letter, NOON)
    french_version(pga_letter)  # encloses the French Co-Chairs letter
    correction = letter_correct(letter=enclosed, by=None)
    correction.body = CO_CHAIRS_FRENCH + "\n\nLe texte corrigé."
    correction.save()
    letter_issue(letter=correction, by=None, at=NOON + dt.timedelta(days=1))

    in_french = client.get("/fr/letters/")
    english = client.get("/letters/")

    [row] = [row for row in in_french.context["letters"] if row.pk == pga_letter.pk]
    assert row.shown.language == "fr"
    assert f'href="/fr/letters/{correction.slug}/" class="correction-link"' in \
        in_french.content.decode()
    assert 'class="correction-link"' not in english.content.decode()


def test_links_from_a_page_in_french_stay_in_french(client, pga_letter, co_chairs_letter):
    listing = client.get("/fr/letters/").content.decode()
    api = client.get("/fr/api/letters.json").json()

    assert f'href="/fr/letters/{co_chairs_letter.slug}/"' in listing
    assert f'href="/letters/{co_chairs_letter.slug}/"' not in listing
    [row] = [row for row in api["results"] if row["slug"] == co_chairs_letter.slug]
    assert row["url"].endswith(f"/fr/letters/{co_chairs_letter.slug}/")
    assert co_chairs_letter.get_own_url() == f"/letters/{co_chairs_letter.slug}/"


def test_pages_listing_letters_show_the_version_in_their_language(client, pga_letter):
    from .french import FRENCH_SUBJECT

    french = french_version(pga_letter)
    pages = ["/fr/", f"/fr/sessions/{pga_letter.session.number}/",
             *(f"/fr{m.get_absolute_url()}" for m in pga_letter.meetings.all()),
             *(f"/fr{c.get_absolute_url()}" for c in pga_letter.clusters.all())]
    english = text_of(client.get("/"))

    for url in pages:
        page = client.get(url)
        assert FRENCH_SUBJECT in text_of(page), url
        assert pga_letter.subject not in text_of(page), url
        assert f'href="/fr/letters/{french.slug}/" lang="fr"' in page.content.decode(), url
    assert pga_letter.subject in english and FRENCH_SUBJECT not in english


def test_the_admin_views_a_version_on_its_own_page(admin_client, pga_letter):
    french = french_version(pga_letter)

    page = admin_client.get(f"/admin/correspondence/letter/{french.pk}/change/").content.decode()

    assert f'href="/fr/letters/{french.slug}/"' in page
    assert french.get_own_url() == f"/fr/letters/{french.slug}/"


def test_a_version_names_the_sender_in_its_language_as_the_letterhead_then_said_it(db):
    from django.utils import timezone

    from tests.factories import make_letter, make_letterhead

    letterhead = make_letterhead(name_en="The Office", name_fr="Le Bureau",
                                 heading_en="THE OFFICE", heading_fr="LE BUREAU")
    original = letter_issue(letter=make_letter(letterhead=letterhead), by=None,
                            at=timezone.now())
    letterhead.name_fr, letterhead.heading_fr = "Le Bureau renommé", "LE BUREAU RENOMMÉ"
    letterhead.name_en = "The Office Renamed"
    letterhead.save()
    version = letter_add_version(letter=original, language="fr", by=None)
    version.subject, version.body = "Lettre", "Le texte."
    version.save()

    version = letter_issue(letter=version, by=None)

    assert (original.sender_name, original.sender_heading) == ("The Office", "THE OFFICE")
    assert (version.sender_name, version.sender_heading) == ("Le Bureau", "LE BUREAU")


def test_a_version_is_refused_when_the_history_does_not_name_the_originals_sender(db):
    from django.utils import timezone

    from tests.factories import make_letter, make_letterhead

    letterhead = make_letterhead(name_en="The Office", heading_en="THE OFFICE")
    original = letter_issue(letter=make_letter(letterhead=letterhead), by=None,
                            at=timezone.now())
    letterhead.history.update(name_en="Another Office")  # a history that says otherwise
    version = letter_add_version(letter=original, language="fr", by=None)
    version.subject, version.body = "Lettre", "Le texte."
    version.save()

    with pytest.raises(ValidationError, match="cannot name the same sender"):
        letter_issue(letter=version, by=None)


def test_a_version_encloses_the_original_when_the_enclosures_version_is_still_a_draft(
        pga_letter, co_chairs_letter):
    draft = letter_add_version(letter=co_chairs_letter, language="fr", by=None)
    cover = letter_add_version(letter=pga_letter, language="fr", by=None)
    assert cover.enclosures.get().enclosed_letter == draft

    cover = letter_issue(letter=translate_to_french(cover), by=None, at=NOON)

    assert cover.enclosures.get().enclosed_letter == co_chairs_letter
