"""/mission/: a focal point keeps their own mission's addresses and sees what it was sent."""

import pytest
from django.utils import timezone

from correspondence.distribution.services import letter_distribute
from correspondence.mission.services import CHANGED_BY_FOCAL_POINT
from correspondence.models import Delivery, ResendRequest
from correspondence.tasks import deliver_letter
from sessions.models import Mission, MissionAddress
from tests.correspondence.distribution.conftest import run_worker
from tests.factories import make_issued_letter, make_mission, make_user
from tests.factories import text_of as page_text


def delivery_to(mission, letter, **fields):
    fields = {"state": Delivery.State.SENT, "sent_at": timezone.now(),
              "recipients": "registry@rou.example",
              "message_id": f"<{letter.slug}.{mission.pk}@example.org>", **fields}
    return Delivery.objects.create(letter=letter, mission=mission, queued_at=timezone.now(),
                                   **fields)


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_changed_address_takes_the_next_letter_alone_and_shows_in_the_admins_history(
        focal_client, focal_point, mission, letter_to, smtp_server, admin_client_for_staff):
    response = focal_client.post("/mission/change/", {
        "addresses": "Chancery@rou.example\n new-registry@rou.example \n", "language": "fr"})
    assert response.status_code == 302 and response["Location"] == "/mission/"
    letter = letter_to([mission])

    letter_distribute(letter=letter)
    run_worker(smtp_server.url)

    [message] = smtp_server.messages()
    assert sorted(a.addr_spec for a in message["To"].addresses) == [
        "Chancery@rou.example", "new-registry@rou.example"]
    assert Mission.objects.get(pk=mission.pk).preferred_language == "fr"
    history = admin_client_for_staff.get(f"/admin/ign_sessions/mission/{mission.pk}/history/")
    assert history.status_code == 200
    text = page_text(history)
    for address in ("registry@rou.example", "Chancery@rou.example", "new-registry@rou.example"):
        assert address in text
    assert text.count("rou-focal") == 4  # two added, one removed, the language
    assert CHANGED_BY_FOCAL_POINT in text
    [removed] = MissionAddress.history.filter(history_type="-")
    assert (removed.email, removed.history_user) == ("registry@rou.example", focal_point.user)


@pytest.fixture
def admin_client_for_staff(superuser):
    """The officer in a browser of their own (the focal point has the default client)."""
    from django.http import HttpResponse
    from django.test import Client

    from common.cache import set_signed_in_marker

    client = Client()
    client.force_login(superuser)
    marker = HttpResponse()
    set_signed_in_marker(marker)
    client.cookies.update(marker.cookies)
    return client


def test_malformed_or_empty_addresses_change_nothing(focal_client, mission):
    too_long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".example"  # valid, 316 long
    for addresses, error in [("registry@rou.example\nnot an address", "Not an e-mail address"),
                             (f"registry@rou.example\n{too_long}", "Not an e-mail address"),
                             ("  \n ", "This field is required.")]:
        response = focal_client.post("/mission/change/", {"addresses": addresses,
                                                          "language": "es"})

        assert response.status_code == 200
        assert error in page_text(response)
    assert list(mission.addresses.values_list("email", flat=True)) == ["registry@rou.example"]
    assert Mission.objects.get(pk=mission.pk).preferred_language == "en"


def test_home_lists_what_the_mission_received_with_the_pdf(
        focal_client, mission, letter_to, django_assert_max_num_queries):
    letter = letter_to([mission])
    delivery_to(mission, letter)

    with django_assert_max_num_queries(12):
        response = focal_client.get("/mission/")

    text = page_text(response)
    assert mission.name in text and "registry@rou.example" in text
    assert letter.subject in text and "Sent" in text
    assert f'href="{letter.get_pdf_url()}"' in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_another_missions_delivery_is_a_404(focal_client, letter_to, mission):
    other = make_mission(emails=["registry@tun.example"])
    letter = letter_to([mission, other])
    theirs = delivery_to(other, letter, recipients="registry@tun.example")

    assert focal_client.get(f"/mission/deliveries/{theirs.pk}/").status_code == 404
    assert focal_client.post(f"/mission/deliveries/{theirs.pk}/resend/").status_code == 404
    assert not ResendRequest.objects.exists()
    assert "registry@tun.example" not in page_text(focal_client.get("/mission/"))


def test_focal_point_gets_no_admin_page(focal_client):
    for path in ("/admin/", "/admin/ign_sessions/mission/", "/admin/correspondence/delivery/"):
        response = focal_client.get(path)

        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
        # Signed in but not staff: the admin's sign-in page refuses them.
        assert focal_client.get(response["Location"]).status_code == 403, path


def test_signed_out_or_not_a_focal_point_gets_no_mission_page(client, db):
    assert client.get("/mission/")["Location"].startswith("/accounts/login/")
    client.force_login(make_user("stranger"))

    response = client.get("/mission/")

    assert response.status_code == 403
    assert "Your account is not one" in page_text(response)


def test_posts_need_the_csrf_token(focal_point, mission, letter_to):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point.user)
    delivery = delivery_to(mission, letter_to([mission]))

    assert client.post("/mission/change/", {"addresses": "x@y.example",
                                            "language": "en"}).status_code == 403
    assert client.post(f"/mission/deliveries/{delivery.pk}/resend/").status_code == 403
    assert list(mission.addresses.values_list("email", flat=True)) == ["registry@rou.example"]


@pytest.mark.smtp
def test_ask_for_it_again_sends_at_once_then_is_rate_limited(
        focal_client, focal_point, mission, letter_to, smtp_server):
    letter = letter_to([mission])
    letter_distribute(letter=letter)
    deliver_letter.call(letter.pk)
    delivery = Delivery.objects.get()

    response = focal_client.post(f"/mission/deliveries/{delivery.pk}/resend/")
    assert response.status_code == 302
    deliver_letter.call(letter.pk)
    again = focal_client.post(f"/mission/deliveries/{delivery.pk}/resend/")

    first, second = smtp_server.messages()
    assert first["Message-ID"] == second["Message-ID"] == delivery.message_id
    assert again.status_code == 429
    assert "less than 60 minutes ago" in page_text(again)
    [request] = ResendRequest.objects.all()
    assert (request.by, request.delivery) == (focal_point.user, delivery)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_missions_daily_resend_limit_counts_every_delivery(
        focal_client, mission, letter_to, settings, smtp_server, tiny_pdf):
    settings.IGN_FOCAL_RESENDS_PER_DAY = 1
    first = delivery_to(mission, letter_to([mission]))
    second = delivery_to(mission, make_issued_letter(
        recipients=[mission], pdf=tiny_pdf, issued_at=timezone.now()))

    assert focal_client.post(f"/mission/deliveries/{first.pk}/resend/").status_code == 302
    refused = focal_client.post(f"/mission/deliveries/{second.pk}/resend/")

    assert refused.status_code == 429
    assert "in the last 24 hours" in page_text(refused)
    second.refresh_from_db()
    assert second.state == "sent"



def notice_delivery_to(mission, *, released):
    from correspondence.models import ScheduleNotice
    from tests.factories import make_session

    now = timezone.now()
    notice = ScheduleNotice.objects.create(number=7, session=make_session(), send_at=now,
                                           released_at=now if released else None)
    return Delivery.objects.create(
        notice=notice, mission=mission, message_id="<notice-7.mis@example.org>",
        state=Delivery.State.SENT, queued_at=now, sent_at=now, attempts=1)


def test_a_sent_schedule_notice_is_asked_for_again_like_a_letter(
        focal_client, mission, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from correspondence.tasks import deliver_notice

    settings.EMAIL_CONFIGURED = True
    delivery = notice_delivery_to(mission, released=True)

    page = focal_client.get(f"/mission/deliveries/{delivery.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        response = focal_client.post(f"/mission/deliveries/{delivery.pk}/resend/")

    assert "Send it again" in page_text(page)
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.message_id) == ("queued", "<notice-7.mis@example.org>")
    [task] = DBTaskResult.objects.filter(task_path=deliver_notice.module_path)
    assert task.args_kwargs["args"] == [delivery.notice_id]


def test_a_notice_not_yet_released_is_not_sent_again(focal_client, mission, settings):
    settings.EMAIL_CONFIGURED = True
    delivery = notice_delivery_to(mission, released=False)

    page = focal_client.get(f"/mission/deliveries/{delivery.pk}/")
    refused = focal_client.post(f"/mission/deliveries/{delivery.pk}/resend/")

    assert "Send it again" not in page_text(page)
    assert "has not been sent" in page_text(refused)
    delivery.refresh_from_db()
    assert delivery.state == "sent"


def test_a_cancelled_message_does_not_name_the_officer_who_called_it_off(
        focal_client, mission, letter_to):
    delivery = delivery_to(mission, letter_to([mission]), state=Delivery.State.CANCELLED,
                           sent_at=None, error="Cancelled by pga.officer at 1 March 2017")

    text = page_text(focal_client.get(f"/mission/deliveries/{delivery.pk}/"))

    assert "pga.officer" not in text
    assert "The Secretariat called it off before it was sent." in text
