"""Issued letters are snapshots: an edited letterhead, a deleted meeting or a changed
reference leaves an issued letter's page, API, feed and e-mail as issued; nothing wipes it."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from correspondence.distribution.message import MessageContent
from correspondence.distribution.services import letter_recipients
from correspondence.models import Letter, LetterIsRecord
from correspondence.services import letter_correct, letter_issue
from sessions.models import GADocument, Meeting, Mission
from tests.factories import (
    PLACEHOLDER_PDF,
    make_issued_letter,
    make_letter,
    make_letterhead,
    make_meeting,
    make_mission,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def truncate(table):
    """TRUNCATE inside the test's transaction (its deferred checks run first, as PostgreSQL
    truncates no table with pending trigger events)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def api_entry(client, letter):
    results = client.get("/api/letters.json").json()["results"]
    return next(entry for entry in results if entry["slug"] == letter.slug)


def feed_summary(client, letter):
    feed = feedparser.parse(client.get("/letters/feed/").content)
    return next(e for e in feed.entries if e.link.endswith(letter.get_absolute_url())).summary


@pytest.fixture
def letterhead():
    return make_letterhead(name="The Permanent Mission of Tunisia",
                           heading="PERMANENT MISSION OF TUNISIA\nTO THE UNITED NATIONS",
                           paper_size="letter")


def edit(letterhead):
    letterhead.name = "The Office Renamed"
    letterhead.heading = "AN OFFICE RENAMED\nELSEWHERE"
    letterhead.paper_size = "a4"
    letterhead.save()


def test_an_edited_letterhead_leaves_the_issued_letter_as_issued(client, admin_client,
                                                                  letterhead):
    issued = make_issued_letter(letterhead=letterhead, pdf=PLACEHOLDER_PDF)
    draft = make_letter(letterhead=letterhead)

    edit(letterhead)

    issued = Letter.objects.get(pk=issued.pk)
    page = client.get(issued.get_absolute_url()).text
    assert "<span>PERMANENT MISSION OF TUNISIA</span><span>TO THE UNITED NATIONS</span>" in page
    assert "The Permanent Mission of Tunisia" in page
    assert "RENAMED" not in page and "Renamed" not in page and "sheet--a4" not in page
    assert api_entry(client, issued)["sender"] == "The Permanent Mission of Tunisia"
    assert feed_summary(client, issued).startswith("The Permanent Mission of Tunisia")
    message = MessageContent.for_letter(issued)
    assert message.text.startswith("The Permanent Mission of Tunisia\n")
    assert "<strong>The Permanent Mission of Tunisia</strong>" in message.html
    assert "Renamed" not in message.text + message.html
    change_page = admin_client.get(reverse("admin:correspondence_letter_change",
                                           args=[issued.pk])).text
    assert "The Permanent Mission of Tunisia (letter)" in change_page
    # A draft follows its letterhead.
    draft_page = admin_client.get(draft.get_absolute_url()).text
    assert "<span>AN OFFICE RENAMED</span><span>ELSEWHERE</span>" in draft_page
    assert "sheet--a4" in draft_page and "The Office Renamed" in draft_page
    assert Letter.objects.get(pk=draft.pk).sender.name == "The Office Renamed"


def test_the_letterhead_keeps_its_history(admin_client, letterhead):
    edit(letterhead)

    names = list(letterhead.history.order_by("history_date").values_list(
        "name", "heading", "paper_size"))
    assert names == [
        ("The Permanent Mission of Tunisia",
         "PERMANENT MISSION OF TUNISIA\nTO THE UNITED NATIONS", "letter"),
        ("The Office Renamed", "AN OFFICE RENAMED\nELSEWHERE", "a4"),
    ]
    history = admin_client.get(reverse("admin:correspondence_letterhead_history",
                                       args=[letterhead.pk]))
    assert history.status_code == 200 and "The Office Renamed" in history.text


def test_a_correction_shows_the_live_letterhead_until_it_is_issued(letterhead):
    original = make_issued_letter(letterhead=letterhead, pdf=PLACEHOLDER_PDF)
    correction = letter_correct(letter=original, by=None)
    edit(letterhead)

    assert Letter.objects.get(pk=correction.pk).sender.name == "The Office Renamed"
    assert Letter.objects.get(pk=original.pk).sender.name == "The Permanent Mission of Tunisia"
    letter_issue(letter=correction, by=None)
    letterhead.name = "Yet another name"
    letterhead.save()

    corrected = Letter.objects.get(pk=correction.pk)
    assert (corrected.sender.name, corrected.sender.paper_size) == ("The Office Renamed", "a4")
    assert Letter.objects.get(pk=original.pk).sender.name == "The Permanent Mission of Tunisia"


def test_the_sender_snapshot_cannot_be_changed(letterhead):
    issued = make_issued_letter(letterhead=letterhead, pdf=PLACEHOLDER_PDF)

    for column in ("sender_name", "sender_heading", "sender_paper_size"):
        with pytest.raises(IntegrityError):
            raw(f"UPDATE correspondence_letter SET {column} = 'x' WHERE id = %s", [issued.pk])
    issued.sender_name = "Forged"
    with pytest.raises(LetterIsRecord):
        issued.save()
    assert Letter.objects.get(pk=issued.pk).sender.name == "The Permanent Mission of Tunisia"


def test_deleting_a_meeting_an_issued_letter_announces_is_refused_in_the_admin(
        client, admin_client):
    first, second = make_meeting(), make_meeting()
    issued = make_issued_letter(meetings=[first, second], pdf=PLACEHOLDER_PDF)
    url = reverse("admin:ign_sessions_meeting_delete", args=[second.pk])

    page = admin_client.get(url)
    answer = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and answer.status_code == 200
    assert "protected related objects" in page.text and issued.subject in page.text
    assert Meeting.objects.filter(pk=second.pk).exists()
    with pytest.raises(ProtectedError) as refused:
        second.delete()
    assert list(refused.value.protected_objects) == [issued]
    assert api_entry(client, issued)["meetings"] == [first.pk, second.pk]


def test_a_drafts_meeting_is_deleted_with_its_reference():
    meeting = make_meeting()
    draft = make_letter()
    draft.meetings.set([meeting])

    meeting.delete()

    assert not draft.meetings.exists()


def make_cluster():
    from clusters.models import Cluster

    return Cluster.objects.create(number=3, slug="veto", title="The question of the veto")


def make_document():
    return GADocument.objects.create(
        symbol="A/RES/62/557", kind="resolution", date="2008-09-15",
        title="Question of equitable representation")


def issue_referring(**references):
    """An issued letter (placeholder PDF) referring to `references` ({field: [rows]})."""
    draft = make_letter()
    for name, rows in references.items():
        getattr(draft, name).set(rows)
    with mock.patch("correspondence.services.render_letter_pdf", lambda letter: PLACEHOLDER_PDF):
        return letter_issue(letter=draft, by=None)


REFERENCES = {
    "clusters": (make_cluster, "clusters_cluster", "cluster_id"),
    "documents": (make_document, "ign_sessions_gadocument", "gadocument_id"),
    "meetings": (make_meeting, "ign_sessions_meeting", "meeting_id"),
}


@pytest.mark.parametrize("field", ["clusters", "documents"])
def test_clusters_and_documents_of_an_issued_letter_cannot_be_deleted(admin_client, field):
    make, admin_name, _column = REFERENCES[field]
    target = make()
    issued = issue_referring(**{field: [target]})
    url = reverse(f"admin:{admin_name}_delete", args=[target.pk])

    page = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and issued.subject in page.text
    with pytest.raises(ProtectedError):
        type(target).objects.filter(pk=target.pk).delete()
    assert type(target).objects.filter(pk=target.pk).exists()
    assert list(getattr(issued, field).all()) == [target]


@pytest.mark.parametrize("field", ["clusters", "documents", "meetings"])
def test_the_references_of_an_issued_letter_cannot_change(field):
    make, _admin, column = REFERENCES[field]
    kept, other = make(), make() if field == "meetings" else None
    issued = issue_referring(**{field: [kept]})
    manager = getattr(issued, field)
    reverse_manager = kept.letters

    changes = [lambda: manager.remove(kept), lambda: manager.clear(), lambda: manager.set([]),
               lambda: reverse_manager.remove(issued), lambda: reverse_manager.clear()]
    if other is not None:
        changes += [lambda: manager.add(other), lambda: other.letters.add(issued)]
    for change in changes:
        with pytest.raises(LetterIsRecord), transaction.atomic():
            change()
    table = f"correspondence_letter_{field}"
    with pytest.raises(IntegrityError):
        raw(f"UPDATE {table} SET letter_id = letter_id WHERE letter_id = %s", [issued.pk])
    if other is not None:
        with pytest.raises(IntegrityError):
            raw(f"INSERT INTO {table} (letter_id, {column}) VALUES (%s, %s)",
                [issued.pk, other.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError):
            raw(f"DELETE FROM {table} WHERE letter_id = %s", [issued.pk])
    assert list(getattr(Letter.objects.get(pk=issued.pk), field).all()) == [kept]


def test_status_moves_to_superseded_only_by_issuing_a_correction():
    issued = issue_referring()

    with pytest.raises(IntegrityError):
        raw("UPDATE correspondence_letter SET status = 'superseded' WHERE id = %s", [issued.pk])
    issued.status = Letter.Status.SUPERSEDED
    with pytest.raises(LetterIsRecord):
        issued.save()
    correction = letter_correct(letter=issued, by=None)
    with pytest.raises(IntegrityError):  # a correction still being drafted does not count
        raw("UPDATE correspondence_letter SET status = 'superseded' WHERE id = %s", [issued.pk])
    assert Letter.objects.get(pk=issued.pk).status == "issued"

    with mock.patch("correspondence.services.render_letter_pdf", lambda letter: PLACEHOLDER_PDF):
        letter_issue(letter=correction, by=None)

    assert Letter.objects.get(pk=issued.pk).status == "superseded"
    with pytest.raises(IntegrityError):  # the correction itself is not superseded by anything
        raw("UPDATE correspondence_letter SET status = 'superseded' WHERE id = %s",
            [correction.pk])


TRUNCATED = ["correspondence_letter", "correspondence_signatory", "correspondence_enclosure",
             "correspondence_letter_recipients", "correspondence_letter_clusters",
             "correspondence_letter_meetings", "correspondence_letter_documents",
             "correspondence_storedfile"]


@pytest.mark.parametrize("table", TRUNCATED)
def test_truncate_is_refused_on_postgresql_while_letters_are_issued(table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    issued = issue_referring(meetings=[make_meeting()])

    with pytest.raises(IntegrityError, match="TRUNCATE refused"):
        truncate(table)

    assert Letter.objects.filter(pk=issued.pk, status="issued").exists()
    assert issued.meetings.count() == 1 and issued.signatories.count() == 1


def test_truncate_of_drafts_alone_is_allowed_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    make_letter()

    truncate("correspondence_letter")

    assert not Letter.objects.exists()


def test_flush_is_refused_while_letters_are_issued():
    issue_referring()

    with pytest.raises(CommandError) as refused:
        call_command("flush", interactive=False, verbosity=0)

    assert str(refused.value) == ("flush refused: the database holds 1 issued letter(s), "
                                  "which are records and are never wiped.")
    assert Letter.objects.count() == 1


def test_deleting_a_named_recipient_mission_explains_and_offers_inactive(admin_client):
    named, other = make_mission(), make_mission()
    issued = issue_named([named, other])
    url = reverse("admin:ign_sessions_mission_delete", args=[named.pk])

    page = admin_client.get(url)
    refused = admin_client.post(url, {"post": "yes"})

    assert page.status_code == 200 and refused.status_code == 200
    assert "cannot be deleted: records refer to it" in page.text
    assert issued.subject in page.text and "Mark it inactive" in page.text
    assert Mission.objects.filter(pk=named.pk).exists()
    assert set(issued.recipients.all()) == {named, other}

    done = admin_client.post(reverse("admin:ign_sessions_mission_deactivate", args=[named.pk]))

    assert done.status_code == 302
    assert not Mission.objects.get(pk=named.pk).active
    assert list(letter_recipients(issued)) == [other]
    assert set(issued.recipients.all()) == {named, other}


def test_bulk_deleting_missions_records_refer_to_explains_and_offers_inactive(admin_client):
    named = make_mission()
    issued = issue_named([named])
    changelist = reverse("admin:ign_sessions_mission_changelist")

    page = admin_client.post(changelist, {"action": "delete_selected", "_selected_action":
                                          [named.pk], "post": "yes"})

    assert page.status_code == 200
    assert "cannot be deleted: records refer to them" in page.text and issued.subject in page.text
    assert Mission.objects.filter(pk=named.pk).exists()
    admin_client.post(changelist, {"action": "mark_inactive", "_selected_action": [named.pk]})
    assert not Mission.objects.get(pk=named.pk).active


def issue_named(missions):
    draft = make_letter(audience=Letter.Audience.NAMED)
    draft.recipients.set(missions)
    with mock.patch("correspondence.services.render_letter_pdf", lambda letter: PLACEHOLDER_PDF):
        return letter_issue(letter=draft, by=None)


@pytest.mark.django_db(transaction=True)
def test_manage_py_flush_refuses_with_one_line_while_letters_are_issued():
    """Committed, so that `manage.py flush` in its own process sees the letter; the test
    harness then disposes of it (correspondence.disposal) before Django's own flush."""
    issued = issue_referring()
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
               f"{db['NAME']}")
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "DATABASE_URL": url}

    result = subprocess.run([sys.executable, "manage.py", "flush", "--noinput"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "CommandError: flush refused: the database holds 1 issued letter(s), which are "
        "records and are never wiped."]
    assert Letter.objects.filter(pk=issued.pk, status="issued").exists()


def test_deleting_an_announced_meeting_in_the_session_inline_is_a_form_error(
        admin_client, client, seeded, pga_letter):
    from tests.sessions.test_admin import session_form_data

    meetings = list(seeded.meetings.order_by("number"))
    assert api_entry(client, pga_letter)["meetings"] == [m.pk for m in meetings]
    co_chairs = {"co_chairs-TOTAL_FORMS": 2, "co_chairs-INITIAL_FORMS": 2}
    for i, c in enumerate(seeded.co_chairs.all()):
        co_chairs.update({
            f"co_chairs-{i}-id": c.pk, f"co_chairs-{i}-session": seeded.pk,
            f"co_chairs-{i}-person": c.person_id, f"co_chairs-{i}-state": c.state_id,
            f"co_chairs-{i}-appointed_on": "2016-10-26", f"co_chairs-{i}-order": c.order,
        })
    url = reverse("admin:ign_sessions_session_change", args=[seeded.pk])

    response = admin_client.post(url, {**session_form_data(
        seeded, meetings, **{"meetings-1-DELETE": "on"}), **co_chairs})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text
    assert pga_letter.subject in response.text
    assert seeded.meetings.count() == len(meetings)
    assert api_entry(client, pga_letter)["meetings"] == [m.pk for m in meetings]


def test_deleting_a_mission_with_deliveries_explains_and_offers_inactive(admin_client):
    from django.utils import timezone

    from correspondence.models import Delivery

    mission, other = make_mission(), make_mission()
    issued = issue_referring()  # to all Permanent Representatives
    Delivery.objects.create(letter=issued, mission=mission, message_id="<x@example.org>",
                            queued_at=timezone.now())
    url = reverse("admin:ign_sessions_mission_delete", args=[mission.pk])

    page = admin_client.get(url)

    assert page.status_code == 200
    assert "cannot be deleted: records refer to it" in page.text
    assert "Mark it inactive" in page.text and "permission" not in page.text
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    assert Mission.objects.filter(pk=mission.pk).exists()
    assert set(letter_recipients(issued)) >= {mission, other}

    admin_client.post(reverse("admin:ign_sessions_mission_deactivate", args=[mission.pk]))

    assert mission not in set(letter_recipients(issued)) and other in set(
        letter_recipients(issued))
    again = admin_client.get(url)
    assert "It is already inactive" in again.text


def test_a_draft_cannot_leap_to_superseded():
    draft = make_letter()

    draft.status = Letter.Status.SUPERSEDED
    with pytest.raises(LetterIsRecord):
        draft.save()
    with pytest.raises(IntegrityError):  # the trigger, whatever else the row is given
        raw("UPDATE correspondence_letter SET status = 'superseded', issued_at = date, "
            "pdf_sha256 = %s, verification_code = 'AAAA-BBBB', sender_name = 'x' "
            "WHERE id = %s", [make_issued_letter(pdf=PLACEHOLDER_PDF).pdf_id, draft.pk])
    assert Letter.objects.get(pk=draft.pk).status == "draft"


def test_an_issued_letter_has_its_code_and_its_sender_as_issued():
    draft = make_letter()
    pdf = make_issued_letter(pdf=PLACEHOLDER_PDF).pdf_id

    with pytest.raises(IntegrityError):  # issued outside letter_issue: no snapshot
        raw("UPDATE correspondence_letter SET status = 'issued', issued_at = date, "
            "pdf_sha256 = %s, verification_code = 'AAAA-CCCC' WHERE id = %s", [pdf, draft.pk])
    assert Letter.objects.get(pk=draft.pk).status == "draft"


def test_a_cluster_that_issued_letters_name_keeps_its_address(client, admin_client):
    cluster = make_cluster()
    issued = issue_referring(clusters=[cluster])
    url = reverse("admin:clusters_cluster_change", args=[cluster.pk])

    form = admin_client.get(url).text
    admin_client.post(url, {"number": cluster.number, "slug": "renamed", "title_en": "Renamed",
                            "description_en": ""})

    assert 'name="slug"' not in form  # shown, not editable
    cluster.refresh_from_db()
    assert cluster.title == "Renamed" and cluster.slug != "renamed"
    cluster.slug = "renamed"
    with pytest.raises(LetterIsRecord):
        cluster.save()
    assert api_entry(client, issued)["clusters"] == [
        type(cluster).objects.get(pk=cluster.pk).slug]


def test_the_changelist_shows_the_sender_as_issued(admin_client, letterhead):
    issued = make_issued_letter(letterhead=letterhead, pdf=PLACEHOLDER_PDF)

    edit(letterhead)
    page = admin_client.get(reverse("admin:correspondence_letter_changelist")).text

    assert issued.subject in page
    assert "The Permanent Mission of Tunisia" in page and "The Office Renamed" not in page


def test_marking_an_unknown_mission_inactive_is_a_404(admin_client):
    for pk in ("abc", "999999"):
        response = admin_client.post(f"/admin/ign_sessions/mission/{pk}/deactivate/")
        assert response.status_code == 404
