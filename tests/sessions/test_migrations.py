"""The migration that gives every meeting change a record of the meeting at the time."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from common.timezones import NEW_YORK

BEFORE = [("ign_sessions", "0002_cache_table")]
AFTER = [("ign_sessions", "0004_meetingchange_history_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_changes_are_filled_in_walking_back_from_the_meeting_as_it_is():
    old = migrate(BEFORE)
    try:
        Room = old.get_model("ign_sessions", "Room")
        Room.objects.create(name="Trusteeship Council Chamber")
        hall = Room.objects.create(name="General Assembly Hall")
        president = old.get_model("ign_sessions", "Person").objects.create(
            given_name="Peter", family_name="Thomson")
        session = old.get_model("ign_sessions", "Session").objects.create(
            number=71, opens_on=dt.date(2016, 9, 13), closes_on=dt.date(2017, 9, 11),
            president=president)
        meeting = old.get_model("ign_sessions", "Meeting").objects.create(
            session=session, number=2, title="Informal meeting", room=hall,
            starts_at=dt.datetime(2017, 3, 9, 10, tzinfo=NEW_YORK),
            ends_at=dt.datetime(2017, 3, 9, 13, tzinfo=NEW_YORK), revision=2,
            status="scheduled")
        Change = old.get_model("ign_sessions", "MeetingChange")
        Change.objects.create(meeting=meeting, revision=1, reason="Consultations continue",
                              changes={"status": ["Scheduled", "Postponed"]})
        Change.objects.create(meeting=meeting, revision=2, changes={
            "starts_at": ["2017-02-07T10:00:00-05:00", "2017-03-09T10:00:00-05:00"],
            "ends_at": ["2017-02-07T13:00:00-05:00", "2017-03-09T13:00:00-05:00"],
            "room_id": ["Trusteeship Council Chamber", "General Assembly Hall"],
            "status": ["Postponed", "Scheduled"]})

        new = migrate(AFTER)

        rows = list(new.get_model("ign_sessions", "MeetingChange").objects.filter(
            meeting_id=meeting.pk).order_by("revision").values_list(
            "revision", "kind", "number", "title", "starts_at", "room", "status", "changed_at"))
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    feb, march = (dt.datetime(2017, 2, 7, 15, tzinfo=dt.UTC),
                  dt.datetime(2017, 3, 9, 15, tzinfo=dt.UTC))
    assert [row[:7] for row in rows] == [
        (0, "scheduled", 2, "Informal meeting", feb, "Trusteeship Council Chamber", "scheduled"),
        (1, "postponed", 2, "Informal meeting", feb, "Trusteeship Council Chamber", "postponed"),
        (2, "rescheduled", 2, "Informal meeting", march, "General Assembly Hall", "scheduled"),
    ]
    assert rows[0][7] == meeting.created_at


@pytest.mark.django_db(transaction=True)
def test_content_stored_before_translations_becomes_the_english_text():
    old = migrate([("ign_sessions", "0006_mission_active"), ("clusters", "0002_text_validators")])
    try:
        hall = old.get_model("ign_sessions", "Room").objects.create(
            name="General Assembly Hall", building="General Assembly Building")
        president = old.get_model("ign_sessions", "Person").objects.create(
            given_name="Peter", family_name="Thomson")
        session = old.get_model("ign_sessions", "Session").objects.create(
            number=71, opens_on=dt.date(2016, 9, 13), closes_on=dt.date(2017, 9, 11),
            president=president)
        old.get_model("ign_sessions", "Session").objects.create(
            number=80, opens_on=dt.date(2025, 9, 9), closes_on=dt.date(2026, 9, 7),
            president=president)
        meeting = old.get_model("ign_sessions", "Meeting").objects.create(
            session=session, number=1, title="Informal meeting", room=hall,
            agenda="General comments", status="postponed", status_reason="Consultations",
            starts_at=dt.datetime(2017, 2, 6, 10, tzinfo=NEW_YORK),
            ends_at=dt.datetime(2017, 2, 6, 13, tzinfo=NEW_YORK))
        old.get_model("ign_sessions", "MeetingChange").objects.create(
            meeting=meeting, revision=0, kind="scheduled", number=1, title="Informal meeting",
            starts_at=meeting.starts_at, ends_at=meeting.ends_at, room="General Assembly Hall",
            status="scheduled")
        old.get_model("clusters", "Cluster").objects.create(
            number=2, slug="veto", title="The question of the veto", description="The veto.")

        new = migrate([("ign_sessions", "0007_content_translations"),
                       ("clusters", "0003_cluster_translations")])

        sessions = dict(new.get_model("ign_sessions", "Session").objects.values_list(
            "number", "title_en"))
        meeting_row = new.get_model("ign_sessions", "Meeting").objects.values(
            "title_en", "agenda_en", "status_reason_en", "title_fr").get(pk=meeting.pk)
        room = new.get_model("ign_sessions", "Room").objects.values(
            "name_en", "building_en", "name_fr").get(pk=hall.pk)
        change = new.get_model("ign_sessions", "MeetingChange").objects.values(
            "title_en", "room_en").get(meeting_id=meeting.pk)
        cluster = new.get_model("clusters", "Cluster").objects.values(
            "title_en", "description_en").get(number=2)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert sessions == {71: "seventy-first session", 80: "eightieth session"}
    assert meeting_row == {"title_en": "Informal meeting", "agenda_en": "General comments",
                           "status_reason_en": "Consultations", "title_fr": None}
    assert room == {"name_en": "General Assembly Hall",
                    "building_en": "General Assembly Building", "name_fr": None}
    assert change == {"title_en": "Informal meeting", "room_en": "General Assembly Hall"}
    assert cluster == {"title_en": "The question of the veto", "description_en": "The veto."}
