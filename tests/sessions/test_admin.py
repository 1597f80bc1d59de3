"""The Secretariat's admin: every changelist and form renders, with a bounded number of queries."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from sessions.models import Meeting
from tests.factories import make_meeting, meeting_form_data, post_meeting

ADMIN_APPS = ("ign_sessions", "clusters")


def registered_models():
    return [m for m in admin.site._registry if m._meta.app_label in ADMIN_APPS]


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_changelist_renders_with_bounded_queries(
    model, admin_client, seeded, django_assert_max_num_queries
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with django_assert_max_num_queries(20):
        response = admin_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_change_and_add_forms_render(model, admin_client, seeded,
                                           django_assert_max_num_queries):
    info = (model._meta.app_label, model._meta.model_name)
    obj = model.objects.first()
    if obj is not None:
        with django_assert_max_num_queries(40):
            response = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200
    response = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
    # The change log is written by the meetings themselves, never by hand.
    assert response.status_code == (403 if model._meta.model_name == "meetingchange" else 200)


def test_meeting_changelist_query_count_does_not_grow_with_rows(
    admin_client, seeded, django_assert_max_num_queries
):
    for n in range(3, 40):
        make_meeting(session=seeded, number=n, room=seeded.meetings.first().room)
    with django_assert_max_num_queries(20):
        response = admin_client.get(reverse("admin:ign_sessions_meeting_changelist"))
    assert response.status_code == 200
    assert "IGN meeting 39" in response.text


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_at_1": "09:00:00"}, "The meeting must end after it starts."),
    ({"starts_at_0": "2018-02-06", "ends_at_0": "2018-02-06"},
     "The meeting must fall within the session"),
    ({"number": 2}, "This session already has a meeting with this number."),
    ({"status": "cancelled"}, "Say why the meeting is postponed or cancelled."),
    ({"starts_at_0": "not a date"}, "Enter a valid date."),
])
def test_meeting_form_refuses_bad_input_with_a_message(admin_client, seeded, overrides, message):
    meeting = seeded.meetings.get(number=1)
    before = Meeting.objects.values().get(pk=meeting.pk)

    response = post_meeting(admin_client, meeting, **overrides)

    assert response.status_code == 200
    assert message in response.text
    assert Meeting.objects.values().get(pk=meeting.pk) == before


def test_meeting_moved_in_admin_raises_revision_and_keeps_history(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)
    versions = meeting.history.count()

    response = post_meeting(admin_client, meeting, starts_at_1="15:00:00", ends_at_1="18:00:00",
                            status="postponed", status_reason="At the request of the Co-Chairs")

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.revision == 1
    assert meeting.local_start.time() == dt.time(15, 0)
    assert meeting.history.count() == versions + 1
    assert meeting.history.first().status_reason == "At the request of the Co-Chairs"
    history = reverse("admin:ign_sessions_meeting_history", args=[meeting.pk])
    assert "At the request of the Co-Chairs" in admin_client.get(history).text


def test_title_and_room_edited_together_are_recorded_as_the_meeting_now_is(admin_client,
                                                                          seeded):
    from sessions.models import Room

    meeting = seeded.meetings.get(number=1)
    room = Room.objects.get(name="Conference Room 4")

    response = post_meeting(admin_client, meeting, title="Informal meeting on the veto",
                            room=room.pk)

    assert response.status_code == 302
    change = meeting.changes.order_by("-revision").first()
    assert (change.revision, change.title, change.room) == (
        1, "Informal meeting on the veto", "Conference Room 4")


def test_meeting_agenda_edited_in_admin_is_a_plain_save(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)

    response = post_meeting(admin_client, meeting, agenda="A new agenda")

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.revision, meeting.changes.count()) == ("A new agenda", 0, 1)


def test_meeting_added_in_admin_is_scheduled_and_logged(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)
    data = meeting_form_data(meeting, number=3, starts_at_0="2017-03-01", ends_at_0="2017-03-01",
                             status="postponed", status_reason="Awaiting the Co-Chairs")

    response = admin_client.post(reverse("admin:ign_sessions_meeting_add"), data)

    assert response.status_code == 302
    added = seeded.meetings.get(number=3)
    assert (added.status, added.revision, added.clusters.count()) == ("postponed", 1, 5)
    assert list(added.changes.order_by("revision").values_list("kind", "reason")) == [
        ("scheduled", ""), ("postponed", "Awaiting the Co-Chairs")]


def session_form_data(session, meetings, **meeting_overrides):
    data = {
        "number": session.number, "opens_on": "2016-09-13", "closes_on": "2017-09-11",
        "president": session.president_id, "mandate": session.mandate_id,
        **{f"title_{language}": getattr(session, f"title_{language}") or ""
           for language in ("en", "ar", "zh_hans", "fr", "ru", "es")},
        "co_chairs-TOTAL_FORMS": 0, "co_chairs-INITIAL_FORMS": 0,
        "meetings-TOTAL_FORMS": len(meetings), "meetings-INITIAL_FORMS": len(meetings),
    }
    for i, meeting in enumerate(meetings):
        data.update({
            f"meetings-{i}-id": meeting.pk, f"meetings-{i}-session": session.pk,
            f"meetings-{i}-number": meeting.number,
            f"meetings-{i}-starts_at_0": meeting.local_start.strftime("%Y-%m-%d"),
            f"meetings-{i}-starts_at_1": meeting.local_start.strftime("%H:%M:%S"),
            f"meetings-{i}-ends_at_0": meeting.local_end.strftime("%Y-%m-%d"),
            f"meetings-{i}-ends_at_1": meeting.local_end.strftime("%H:%M:%S"),
            f"meetings-{i}-room": meeting.room_id,
        })
    data.update(meeting_overrides)
    return data


def test_meeting_moved_in_the_session_inline_goes_through_the_services(admin_client, seeded):
    meetings = list(seeded.meetings.order_by("number"))
    url = reverse("admin:ign_sessions_session_change", args=[seeded.pk])
    co_chairs = {"co_chairs-TOTAL_FORMS": 2, "co_chairs-INITIAL_FORMS": 2}
    for i, c in enumerate(seeded.co_chairs.all()):
        co_chairs.update({
            f"co_chairs-{i}-id": c.pk, f"co_chairs-{i}-session": seeded.pk,
            f"co_chairs-{i}-person": c.person_id, f"co_chairs-{i}-state": c.state_id,
            f"co_chairs-{i}-appointed_on": "2016-10-26", f"co_chairs-{i}-order": c.order,
        })

    response = admin_client.post(url, {**session_form_data(
        seeded, meetings, **{"meetings-1-starts_at_1": "15:00:00",
                             "meetings-1-ends_at_1": "18:00:00"}), **co_chairs})

    assert response.status_code == 302
    first, second = seeded.meetings.order_by("number")
    assert (first.revision, second.revision) == (0, 1)
    assert second.local_start.time() == dt.time(15, 0)
    assert second.changes.get(revision=1).kind == "moved"


def test_same_person_twice_in_session_inline_refused(admin_client, seeded):
    co_chairs = list(seeded.co_chairs.all())
    url = reverse("admin:ign_sessions_session_change", args=[seeded.pk])
    data = {
        "number": 71, "opens_on": "2016-09-13", "closes_on": "2017-09-11",
        "president": seeded.president_id, "mandate": seeded.mandate_id,
        "co_chairs-TOTAL_FORMS": 3, "co_chairs-INITIAL_FORMS": 2,
        "meetings-TOTAL_FORMS": 0, "meetings-INITIAL_FORMS": 0,
    }
    for i, c in enumerate(co_chairs + [co_chairs[0]]):
        data.update({
            f"co_chairs-{i}-id": c.pk if i < 2 else "", f"co_chairs-{i}-session": seeded.pk,
            f"co_chairs-{i}-person": c.person_id, f"co_chairs-{i}-state": c.state_id,
            f"co_chairs-{i}-appointed_on": "2016-10-26", f"co_chairs-{i}-order": i + 1,
        })

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert seeded.co_chairs.count() == 2
    assert "This person is already a Co-Chair in this session." in response.text


def test_every_model_of_ours_is_in_the_admin():
    ours = [m for m in apps.get_app_config("ign_sessions").get_models()
            if not m._meta.model_name.startswith("historical")] + list(
        apps.get_app_config("clusters").get_models())
    inlined = {inline.model for model_admin in admin.site._registry.values()
               for inline in model_admin.inlines}
    missing = [m._meta.label for m in ours
               if m not in admin.site._registry and m not in inlined]
    assert missing == []
