"""Distribution by language: each mission receives the version in its preferred language,
else the original, once; a version issued later goes to the missions that prefer it."""

import collections

import pytest
from django.utils import translation

from correspondence.dates import letter_date
from correspondence.distribution.services import letter_distribute, letter_recipients
from correspondence.models import Delivery
from correspondence.services import letter_add_version, letter_correct, letter_issue
from correspondence.tasks import deliver_letter
from sessions.models import Mission
from tests.correspondence.french import french_version, translate_to_french

from .conftest import manage, mission_code, pdf_attachment, run_worker

FRENCH_SPEAKING = ["FRA", "BEL", "SEN", "CIV", "LUX", "HTI"]


def prefer_french(codes=FRENCH_SPEAKING):
    return Mission.objects.filter(state__code__in=codes).update(preferred_language="fr")


def sent_by_code(smtp_server):
    messages = smtp_server.messages()
    codes = collections.Counter(mission_code(m) for m in messages)
    assert max(codes.values()) == 1, "a mission received two messages"
    return {mission_code(m): m for m in messages}


@pytest.mark.smtp
def test_french_missions_get_the_french_version_and_the_others_english_each_once(
        pga_letter, smtp_server):
    prefer_french()
    french = french_version(pga_letter)

    summary = letter_distribute(letter=pga_letter)
    deliver_letter.call(pga_letter.pk)
    deliver_letter.call(french.pk)
    again = letter_distribute(letter=pga_letter)

    assert (summary.recipients, summary.created, again.created) == (193, 193, 0)
    received = sent_by_code(smtp_server)
    assert len(received) == 193
    assert Delivery.objects.filter(letter=french, state="sent").count() == len(FRENCH_SPEAKING)
    assert Delivery.objects.filter(letter=pga_letter, state="sent").count() == 193 - len(
        FRENCH_SPEAKING)
    france, ghana = received["FRA"], received["GHA"]
    assert pdf_attachment(france) == (f"{pga_letter.slug}.fr.pdf", bytes(french.pdf.content))
    assert pdf_attachment(ghana) == (f"{pga_letter.slug}.pdf", bytes(pga_letter.pdf.content))
    assert france["Subject"].startswith("Lettre datée du 12 janvier 2017")
    assert france["Message-ID"].startswith(f"<{pga_letter.slug}.fr.fra@")
    # Each message lists the other versions with their links.
    french_text = france.get_body(("plain",)).get_content()
    english_text = ghana.get_body(("plain",)).get_content()
    assert f"English: http://127.0.0.1:8000/letters/{pga_letter.slug}/" in french_text
    assert f"français: http://127.0.0.1:8000/fr/letters/{pga_letter.slug}/" in english_text
    assert 'hreflang="fr" lang="fr">français</a>' in ghana.get_body(("html",)).get_content()
    assert '<html lang="fr">' in france.get_body(("html",)).get_content()


@pytest.mark.smtp
def test_a_mission_preferring_a_language_without_a_version_gets_the_original(
        pga_letter, smtp_server):
    prefer_french()
    Mission.objects.filter(state__code="RUS").update(preferred_language="ru")
    french_version(pga_letter)

    letter_distribute(letter=pga_letter)
    deliver_letter.call(pga_letter.pk)

    russia = Delivery.objects.get(mission__state__code="RUS")
    assert russia.letter == pga_letter and russia.state == "sent"
    text = sent_by_code(smtp_server)["RUS"].get_body(("plain",)).get_content()
    with translation.override("ru"):
        note = translation.gettext(
            "This letter has no version in your mission's language: the original, in "
            "%(language)s, is attached.") % {"language": translation.gettext("English")}
        date = letter_date(pga_letter.date, "ru")
    assert note in " ".join(text.split())
    assert date == "12 января 2017 года" and date in text


@pytest.mark.smtp
def test_a_version_issued_later_goes_to_the_missions_preferring_it_and_only_them(
        pga_letter, smtp_server):
    prefer_french()
    letter_distribute(letter=pga_letter)
    deliver_letter.call(pga_letter.pk)
    french = french_version(pga_letter)

    recipients = letter_recipients(french)
    summary = letter_distribute(letter=french)
    deliver_letter.call(french.pk)
    again = letter_distribute(letter=french)

    assert sorted(m.state.code for m in recipients) == sorted(FRENCH_SPEAKING)
    assert (summary.recipients, summary.created, again.created) == (6, 6, 0)
    french_deliveries = Delivery.objects.filter(letter=french)
    assert sorted(d.mission.state.code for d in french_deliveries) == sorted(FRENCH_SPEAKING)
    assert {d.state for d in french_deliveries} == {"sent"}
    # The English went to all 193 before; the French now to the six: one of each per mission.
    messages = smtp_server.messages()
    assert len(messages) == 193 + 6
    ids = collections.Counter(m["Message-ID"] for m in messages)
    assert max(ids.values()) == 1
    assert Delivery.objects.filter(mission__state__code="FRA").count() == 2


def test_the_distribution_page_says_who_receives_which_language(
        admin_client, pga_letter, settings):
    settings.EMAIL_CONFIGURED = True
    prefer_french()
    french = french_version(pga_letter)

    original_page = admin_client.get(
        f"/admin/correspondence/letter/{pga_letter.pk}/distribution/send/")
    version_page = admin_client.get(f"/admin/correspondence/letter/{french.pk}/distribution/")

    assert "Each mission receives the issued version in its preferred language (French), " \
        "else the original (English)" in original_page.content.decode()
    assert ("This is the French version: it is sent only to the missions whose preferred "
            "language is French") in version_page.content.decode()
    assert original_page.context["summary"].recipients == 193
    assert admin_client.get(
        f"/admin/correspondence/letter/{french.pk}/distribution/send/"
    ).context["summary"].recipients == 6


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_mission_its_version_once(letter_to, missions, smtp_server):
    letter = letter_to(None)
    prefer_french()
    version = translate_to_french(letter_add_version(letter=letter, language="fr", by=None))
    version = letter_issue(letter=version, by=None)

    queued = manage("distribute_letter", letter.slug, smtp_url=smtp_server.url)
    run_worker(smtp_server.url)

    assert queued.returncode == 0, queued.stderr
    received = sent_by_code(smtp_server)
    assert len(received) == 193
    for code, message in received.items():
        expected = version if code in FRENCH_SPEAKING else letter
        assert pdf_attachment(message)[1] == bytes(expected.pdf.content), code
    assert Delivery.objects.filter(state="sent", attempts=1).count() == 193

    # The French version alone, by the command, to the French-speaking missions: none again.
    again = manage("distribute_letter", letter.slug, "--language", "fr",
                   smtp_url=smtp_server.url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Nothing to send: 6 of 6 missions sent")
    unknown = manage("distribute_letter", letter.slug, "--language", "es")
    assert unknown.returncode != 0 and "has no version in “es”" in unknown.stderr


def test_a_french_only_correction_goes_to_the_missions_that_read_the_french_version(
        pga_letter):
    prefer_french()
    french = french_version(pga_letter)
    correction = letter_correct(letter=french, by=None)
    correction.body = french.body.replace("avec un vif intérêt", "avec le plus grand intérêt")
    correction.save()
    letter_issue(letter=correction, by=None)
    english_only = letter_correct(letter=pga_letter, by=None)
    english_only.body = pga_letter.body + "\n\nCorrected."
    english_only.save()
    letter_issue(letter=english_only, by=None)

    french_readers = sorted(m.state.code for m in letter_recipients(correction))
    english_readers = {m.state.code for m in letter_recipients(english_only)}

    assert french_readers == sorted(FRENCH_SPEAKING)
    assert len(english_readers) == 193 - len(FRENCH_SPEAKING)
    assert "RUS" in english_readers and "FRA" not in english_readers


def test_a_subscriber_without_a_version_in_their_language_is_told_so_as_a_reader(
        pga_letter):
    from django.utils import timezone

    from correspondence.distribution.message import MessageContent
    from correspondence.models import Subscription

    now = timezone.now()
    reader = Subscription.objects.create(email="lecteur@example.org", language="ru",
                                         source="/letters/", consented_at=now,
                                         confirmed_at=now)

    to_reader = MessageContent.for_letter(pga_letter, "ru", subscription=reader).text
    to_mission = MessageContent.for_letter(pga_letter, "ru").text

    with translation.override("ru"):
        english = translation.gettext("English")
        yours = translation.gettext(
            "This letter has no version in your language: the original, in %(language)s, "
            "is attached.") % {"language": english}
        missions = translation.gettext(
            "This letter has no version in your mission's language: the original, in "
            "%(language)s, is attached.") % {"language": english}
    assert yours in " ".join(to_reader.split()) and missions not in " ".join(to_reader.split())
    assert missions in " ".join(to_mission.split())
