"""Meetings scheduled, moved, postponed, cancelled and rescheduled through the services."""

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from common.timezones import NEW_YORK
from sessions.models import Meeting, MeetingChange, Room
from sessions.services import (
    meeting_cancel,
    meeting_change,
    meeting_postpone,
    meeting_reschedule,
    meeting_schedule,
)
from tests.factories import make_meeting, make_room, make_session, text_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def history(meeting):
    return list(MeetingChange.objects.filter(meeting=meeting).order_by("revision").values_list(
        "revision", "kind", "status", "starts_at", "room", "reason"))


def test_meeting_change_of_time_raises_revision_and_is_recorded():
    meeting = make_meeting()

    meeting_reschedule(meeting=meeting, starts_at=dt.datetime(2017, 2, 8, 15, 0, tzinfo=NEW_YORK),
                       ends_at=dt.datetime(2017, 2, 8, 18, 0, tzinfo=NEW_YORK))
    meeting.agenda = "A new agenda, which calendars need not learn of."
    meeting.save()

    meeting.refresh_from_db()
    change = meeting.changes.get(revision=1)
    assert meeting.revision == 1
    assert meeting.changes.count() == 2  # scheduled, then moved
    assert change.kind == MeetingChange.Kind.MOVED
    assert change.changes["starts_at"] == ["2017-02-06T10:00:00-05:00", "2017-02-08T15:00:00-05:00"]


def test_meeting_schedule_records_revision_0_with_what_was_announced():
    room = make_room(name="Conference Room 11")

    meeting = meeting_schedule(
        session=make_session(), number=3, starts_at=dt.datetime(2017, 3, 1, 10, tzinfo=NEW_YORK),
        ends_at=dt.datetime(2017, 3, 1, 13, tzinfo=NEW_YORK), room=room, agenda="Cluster 1",
        title="Informal meeting on the veto",
    )

    change = meeting.changes.get()
    assert (meeting.revision, meeting.status, meeting.agenda) == (0, "scheduled", "Cluster 1")
    assert (change.revision, change.kind, change.changes, change.reason) == (
        0, "scheduled", {}, "")
    assert (change.number, change.title, change.room, change.overflow_room, change.status) == (
        3, "Informal meeting on the veto", "Conference Room 11", "", "scheduled")
    assert change.starts_at == meeting.starts_at and change.ends_at == meeting.ends_at


def test_meeting_schedule_refuses_what_it_does_not_know():
    with pytest.raises(TypeError, match="status"):
        meeting_schedule(session=make_session(), number=1, room=make_room(), status="held",
                         starts_at=dt.datetime(2017, 3, 1, 10, tzinfo=NEW_YORK),
                         ends_at=dt.datetime(2017, 3, 1, 13, tzinfo=NEW_YORK))
    assert not Meeting.objects.exists()


def test_postponed_then_rescheduled_reads_as_history():
    meeting = make_meeting(starts_at=dt.datetime(2017, 2, 7, 10, tzinfo=NEW_YORK))
    hall = Room.objects.create(name="General Assembly Hall")
    later = dt.datetime(2017, 3, 9, 15, tzinfo=NEW_YORK)

    meeting_postpone(meeting=meeting, reason="Consultations continue")
    assert (meeting.status, meeting.status_reason, meeting.revision) == (
        "postponed", "Consultations continue", 1)
    meeting_reschedule(meeting=meeting, starts_at=later, ends_at=later + dt.timedelta(hours=3),
                       room=hall, reason="New date agreed")

    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.status, stored.status_reason, stored.revision, stored.room) == (
        "scheduled", "", 2, hall)
    first_day = dt.datetime(2017, 2, 7, 10, tzinfo=NEW_YORK)
    room = meeting.changes.get(revision=0).room
    assert history(meeting) == [
        (0, "scheduled", "scheduled", first_day, room, ""),
        (1, "postponed", "postponed", first_day, room, "Consultations continue"),
        (2, "rescheduled", "scheduled", later, "General Assembly Hall", "New date agreed"),
    ]
    assert meeting.changes.get(revision=2).changes["status"] == ["Postponed", "Scheduled"]


def test_cancel_records_the_reason_and_keeps_the_time():
    meeting = make_meeting()

    meeting_cancel(meeting=meeting, reason="The Chamber is unavailable")

    change = meeting.changes.get(revision=1)
    assert (change.kind, change.reason, change.changes) == (
        "cancelled", "The Chamber is unavailable", {"status": ["Scheduled", "Cancelled"]})
    assert Meeting.objects.get(pk=meeting.pk).status_reason == "The Chamber is unavailable"


def test_reschedule_to_what_the_meeting_already_is_changes_nothing():
    meeting = make_meeting()
    before = Meeting.objects.values().get(pk=meeting.pk)

    meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at, room=meeting.room,
                       overflow_room=None)

    assert Meeting.objects.values().get(pk=meeting.pk) == before
    assert meeting.changes.count() == 1


def test_change_is_measured_against_the_stored_row_not_a_stale_instance():
    meeting = make_meeting()
    stale = Meeting.objects.get(pk=meeting.pk)
    meeting_postpone(meeting=meeting, reason="Consultations continue")

    meeting_reschedule(meeting=stale, room=make_room(name="Conference Room 12"))

    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.revision, stored.status, stored.room.name) == (
        2, "scheduled", "Conference Room 12")
    assert stale.revision == 2
    assert stored.changes.get(revision=2).changes == {
        "room_id": [meeting.room.name, "Conference Room 12"],
        "status": ["Postponed", "Scheduled"]}


def test_other_fields_of_the_meeting_are_left_as_stored():
    meeting = make_meeting(agenda="Stored agenda")
    meeting.agenda = "Unsaved edit"

    meeting_postpone(meeting=meeting, reason="Consultations continue")

    assert Meeting.objects.get(pk=meeting.pk).agenda == "Stored agenda"


def test_plain_save_has_no_side_effects():
    meeting = make_meeting()
    meeting.starts_at += dt.timedelta(hours=1)
    meeting.ends_at += dt.timedelta(hours=1)

    meeting.save()

    assert Meeting.objects.get(pk=meeting.pk).revision == 0
    assert meeting.changes.count() == 1


def test_overflow_room_added_and_status_changed_at_once_is_one_revision():
    meeting = make_meeting()

    meeting_change(meeting=meeting, overflow_room=make_room(name="Conference Room 13"),
                   status=Meeting.Status.POSTPONED, reason="At the request of the Co-Chairs")

    change = meeting.changes.get(revision=1)
    assert change.kind == "postponed" and change.overflow_room == "Conference Room 13"
    assert change.changes == {"overflow_room_id": ["", "Conference Room 13"],
                              "status": ["Scheduled", "Postponed"]}


def test_new_meeting_appears_on_the_changes_page_and_in_its_feed(client, seeded):
    upcoming = make_meeting(session=make_session(opens_on=dt.date(2099, 9, 1),
                                                 closes_on=dt.date(2100, 9, 1)),
                            number=7, starts_at=dt.datetime(2099, 10, 3, 10, tzinfo=NEW_YORK),
                            room=Room.objects.get(name="Conference Room 2"))

    page = text_of(client.get("/meetings/changes/"))
    feed = feedparser.parse(client.get("/meetings/changes/feed/").content)

    assert page.index("IGN meeting 7, 3 October 2099 : Scheduled") < page.index(
        "IGN meeting 2, 7 February 2017 : Scheduled")
    assert "Start: Saturday, 3 October 2099, 10:00 New York time (EDT)" in page
    assert "Room: Conference Room 2" in page
    entry = feed.entries[0]
    assert entry.title == "IGN meeting 7, 3 October 2099: scheduled"
    assert "Start: Saturday, 3 October 2099, 10:00 New York time (EDT)" in entry.summary
    assert "Room: Conference Room 2" in entry.summary
    assert entry.link.endswith(f"/meetings/{upcoming.pk}/#revision-0")


def test_change_entry_keeps_its_date_after_the_meeting_is_moved_again(client, seeded):
    meeting = seeded.meetings.get(number=2)
    meeting_postpone(meeting=meeting, reason="Consultations continue")
    later = dt.datetime(2017, 3, 9, 10, tzinfo=NEW_YORK)

    meeting_reschedule(meeting=meeting, starts_at=later, ends_at=later + dt.timedelta(hours=3))

    titles = [e.title for e in feedparser.parse(
        client.get("/meetings/changes/feed/").content).entries]
    assert titles[:2] == ["IGN meeting 2, 9 March 2017: start, end, status changed",
                          "IGN meeting 2, 7 February 2017: status changed"]
    page = text_of(client.get("/meetings/changes/"))
    assert "IGN meeting 2, 7 February 2017 : Postponed" in page
    assert "IGN meeting 2, 9 March 2017 : Rescheduled" in page
    assert "IGN meeting 2, 9 March 2017 : Postponed" not in page


def ongoing_session():
    today = timezone.localdate(timezone=NEW_YORK)
    return make_session(opens_on=today - dt.timedelta(days=200),
                        closes_on=today + dt.timedelta(days=200))


def test_meeting_whose_end_has_passed_shows_held_on_its_page_the_list_and_the_api(client, db):
    now = timezone.now()
    session = ongoing_session()
    ended = make_meeting(session=session, starts_at=now - dt.timedelta(hours=3),
                         ends_at=now - dt.timedelta(minutes=1))
    coming = make_meeting(session=session, starts_at=now + dt.timedelta(hours=1))

    page = text_of(client.get(f"/meetings/{ended.pk}/"))
    listing = client.get("/meetings/").content.decode()
    api = {m["id"]: m["status"] for m in client.get("/api/meetings.json").json()["results"]}

    assert "Status Held" in page and "Status Scheduled" not in page
    assert f'href="/meetings/{ended.pk}/"' in listing
    assert listing.count('class="status status--held">Held</span>') == 1
    assert listing.count('class="status status--scheduled">Scheduled</span>') == 1
    assert api == {ended.pk: "held", coming.pk: "scheduled"}
    assert "Status Scheduled" in text_of(client.get(f"/meetings/{coming.pk}/"))
    assert Meeting.objects.get(pk=ended.pk).status == "scheduled"  # derived, not stored


def test_status_filter_follows_the_status_delegations_read(client, db):
    now = timezone.now()
    session = ongoing_session()
    ended = make_meeting(session=session, starts_at=now - dt.timedelta(days=2))
    coming = make_meeting(session=session, starts_at=now + dt.timedelta(days=2))
    called_off = make_meeting(session=session, starts_at=now - dt.timedelta(days=3),
                              status=Meeting.Status.CANCELLED, status_reason="No quorum")

    def shown(status):
        return {m.pk for m in client.get(f"/meetings/?status={status}").context["meetings"]}

    assert shown("held") == {ended.pk}
    assert shown("scheduled") == {coming.pk}
    assert shown("cancelled") == {called_off.pk}
    assert set(Meeting.objects.with_status("held").values_list("pk", flat=True)) == {ended.pk}



# --- Content in six languages: each change records the meeting in every language ---------

SIX = ("en", "ar", "zh_hans", "fr", "ru", "es")


def six_room(**overrides):
    names = {"en": "Trusteeship Council Chamber", "ar": "قاعة مجلس الوصاية",
             "zh_hans": "托管理事会会议厅", "fr": "Salle du Conseil de tutelle",
             "ru": "Зал Совета по Опеке", "es": "Salón del Consejo de Administración Fiduciaria"}
    names.update(overrides)
    return make_room(**{f"name_{language}": name for language, name in names.items()})


def test_change_records_title_rooms_and_reason_in_every_language():
    room = six_room()
    overflow = make_room(name="Conference Room 4", name_fr="Salle de conférence 4")
    meeting = make_meeting(room=room, overflow_room=overflow)

    meeting_postpone(meeting=meeting, reason={
        "en": "At the request of the Co-Chairs", "fr": "À la demande des coprésidents",
        "zh-hans": "应共同主席的要求"})

    change = meeting.changes.get(revision=1)
    assert {language: getattr(change, f"room_{language}") for language in SIX} == {
        language: getattr(room, f"name_{language}") for language in SIX}
    assert (change.overflow_room_en, change.overflow_room_fr, change.overflow_room_ru) == (
        "Conference Room 4", "Salle de conférence 4", "")
    assert all(getattr(change, f"title_{language}") == getattr(meeting, f"title_{language}")
               for language in SIX)
    assert (change.reason_en, change.reason_fr, change.reason_zh_hans, change.reason_ar) == (
        "At the request of the Co-Chairs", "À la demande des coprésidents", "应共同主席的要求", "")
    meeting.refresh_from_db()
    assert (meeting.status_reason_fr, meeting.status_reason_ru) == (
        "À la demande des coprésidents", "")


def test_scheduled_change_records_the_journals_title_in_every_language():
    meeting = make_meeting()

    change = meeting.changes.get(revision=0)

    assert change.title_fr.startswith("Séance plénière informelle")
    assert change.title_ar.startswith("جلسة عامة غير رسمية")
    assert all(getattr(change, f"title_{language}") for language in SIX)


def test_plain_reason_is_english_and_a_new_reason_replaces_every_language():
    meeting = make_meeting()
    meeting_postpone(meeting=meeting, reason={"en": "Awaiting the Co-Chairs",
                                              "fr": "Dans l’attente des coprésidents"})

    meeting_cancel(meeting=meeting, reason="Cancelled by the Co-Chairs")

    meeting.refresh_from_db()
    assert (meeting.status_reason_en, meeting.status_reason_fr) == (
        "Cancelled by the Co-Chairs", "")
    change = meeting.changes.get(revision=2)
    assert (change.reason_en, change.reason_fr) == ("Cancelled by the Co-Chairs", "")


def test_rescheduled_meeting_loses_its_reason_in_every_language():
    meeting = make_meeting()
    meeting_postpone(meeting=meeting, reason={"en": "Awaiting the Co-Chairs",
                                              "ru": "В ожидании сопредседателей"})

    meeting_reschedule(meeting=meeting, starts_at=meeting.starts_at + dt.timedelta(days=1),
                       ends_at=meeting.ends_at + dt.timedelta(days=1))

    meeting.refresh_from_db()
    assert not any(getattr(meeting, f"status_reason_{language}") for language in SIX)


def test_reason_without_english_is_refused():
    from django.db import IntegrityError, transaction

    meeting = make_meeting()

    with pytest.raises(IntegrityError), transaction.atomic():
        meeting_postpone(meeting=meeting, reason={"fr": "À la demande des coprésidents"})
    with pytest.raises(ValueError, match="Unknown languages"):
        meeting_postpone(meeting=meeting, reason={"de": "Auf Wunsch der Ko-Vorsitzenden"})

    meeting.refresh_from_db()
    assert (meeting.status, meeting.revision) == (Meeting.Status.SCHEDULED, 0)


def test_changes_are_recorded_in_english_whatever_the_editors_language():
    from django.utils import translation

    room = six_room()
    other = make_room(name_en="Conference Room 2", name_fr="Salle de conférence 2")
    meeting = make_meeting(room=room)

    with translation.override("fr"):
        meeting_change(meeting=meeting, room=other, status=Meeting.Status.POSTPONED,
                       reason="Room works")

    change = meeting.changes.get(revision=1)
    assert change.changes["room_id"] == ["Trusteeship Council Chamber", "Conference Room 2"]
    assert change.changes["status"] == ["Scheduled", "Postponed"]
    assert (change.room_en, change.room_fr) == ("Conference Room 2", "Salle de conférence 2")
