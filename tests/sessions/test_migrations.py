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
