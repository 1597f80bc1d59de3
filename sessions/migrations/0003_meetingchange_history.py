"""A meeting change keeps what the meeting was at the time, and a new meeting is a change too.

This migration adds the fields and fills them in; the next makes them required (on
PostgreSQL a table cannot be altered in the transaction that just wrote its rows).

Existing changes are filled in by walking each meeting's log back from the meeting as it is
now, undoing one change at a time with the old values the log holds; every existing meeting
gets the "scheduled" entry (revision 0, dated when the meeting was created) it would have had.
"""

import datetime as dt

from django.db import migrations, models

STATUS_BY_LABEL = {"Scheduled": "scheduled", "Postponed": "postponed",
                   "Cancelled": "cancelled", "Held": "held"}
KIND_BY_NEW_STATUS = {"postponed": "postponed", "cancelled": "cancelled", "held": "held",
                      "scheduled": "rescheduled"}
SNAPSHOT = ("number", "title", "starts_at", "ends_at", "room", "overflow_room", "status")


def _undo(state, changes):
    """The meeting before this change, from the meeting after it."""
    state = dict(state)
    for key, (old, _new) in changes.items():
        if key in ("starts_at", "ends_at"):
            try:
                state[key] = dt.datetime.fromisoformat(old)
            except (TypeError, ValueError):
                pass
        elif key == "room_id" and old:
            state["room"] = old
        elif key == "overflow_room_id":
            state["overflow_room"] = old or ""
        elif key == "status" and old in STATUS_BY_LABEL:
            state["status"] = STATUS_BY_LABEL[old]
    return state


def _kind(changes):
    if "status" not in changes:
        return "moved"
    old, new = (STATUS_BY_LABEL.get(label) for label in changes["status"])
    if new is None or new == old:
        return "moved"
    return KIND_BY_NEW_STATUS[new]


def fill_history(apps, schema_editor):
    Meeting = apps.get_model("ign_sessions", "Meeting")
    MeetingChange = apps.get_model("ign_sessions", "MeetingChange")
    for meeting in Meeting.objects.select_related("room", "overflow_room").iterator():
        state = {
            "number": meeting.number, "title": meeting.title, "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at, "room": meeting.room.name,
            "overflow_room": meeting.overflow_room.name if meeting.overflow_room_id else "",
            "status": meeting.status,
        }
        for change in MeetingChange.objects.filter(meeting=meeting).order_by("-revision"):
            for name in SNAPSHOT:
                setattr(change, name, state[name])
            change.kind = _kind(change.changes)
            change.save(update_fields=[*SNAPSHOT, "kind"])
            state = _undo(state, change.changes)
        if not MeetingChange.objects.filter(meeting=meeting, revision=0).exists():
            state["status"] = "scheduled"  # every meeting is announced before anything else
            MeetingChange.objects.create(
                meeting=meeting, revision=0, kind="scheduled", changes={}, reason="",
                changed_at=meeting.created_at, **state,
            )


def forget_scheduled(apps, schema_editor):
    apps.get_model("ign_sessions", "MeetingChange").objects.filter(kind="scheduled").delete()


class Migration(migrations.Migration):
    dependencies = [("ign_sessions", "0002_cache_table")]

    operations = [
        migrations.AlterField(
            model_name="meetingchange", name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="changes"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="kind",
            field=models.CharField(null=True, max_length=12, verbose_name="kind of change",
                                   choices=[
                                       ("scheduled", "Scheduled"), ("moved", "Moved"),
                                       ("postponed", "Postponed"), ("cancelled", "Cancelled"),
                                       ("rescheduled", "Rescheduled"),
                                       ("held", "Marked as held")]),
        ),
        migrations.AddField(
            model_name="meetingchange", name="number",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="number in the session"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="title",
            field=models.CharField(null=True, max_length=300, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="starts_at",
            field=models.DateTimeField(null=True, verbose_name="starts"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="ends_at",
            field=models.DateTimeField(null=True, verbose_name="ends"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="room",
            field=models.CharField(null=True, max_length=120, verbose_name="room"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="overflow_room",
            field=models.CharField(blank=True, default="", max_length=120,
                                   verbose_name="overflow room"),
        ),
        migrations.AddField(
            model_name="meetingchange", name="status",
            field=models.CharField(null=True, max_length=10, verbose_name="status", choices=[
                ("scheduled", "Scheduled"), ("postponed", "Postponed"),
                ("cancelled", "Cancelled"), ("held", "Held")]),
        ),
        migrations.RunPython(fill_history, forget_scheduled),
    ]
