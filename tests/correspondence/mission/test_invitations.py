"""Invitations: sent by a real worker to a real SMTP server, accepted once, then refused."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from correspondence.mission.invitations import invitation_token, invitation_url
from correspondence.models import FocalPoint, FocalPointInvitation
from tests.correspondence.distribution.conftest import run_worker
from tests.factories import make_user
from tests.factories import text_of as page_text

NEW_PASSWORD = "a quiet chamber at ten"
SIGNUP = {"username": "ana.popescu", "email": "ana@rou.example",
          "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


def invitation_for(mission, *, email="ana@rou.example", **fields):
    now = timezone.now()
    fields = {"created_at": now, "expires_at": now + dt.timedelta(hours=72), **fields}
    return FocalPointInvitation.objects.create(mission=mission, email=email, **fields)


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_invitation_sent_by_the_worker_makes_an_account_once(admin_client, mission, smtp_server):
    response = admin_client.post("/admin/correspondence/focalpointinvitation/invite/", {
        "mission": mission.pk, "email": "ana@rou.example", "language": ""})
    assert response.status_code == 302
    invitation = FocalPointInvitation.objects.get()
    assert invitation.sent_at is None  # nothing sent in the request

    run_worker(smtp_server.url)

    [message] = smtp_server.messages()
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@rou.example"]
    assert mission.name in message["Subject"]
    [link] = re.findall(r"http://127\.0\.0\.1:8000/mission/invitation/\S+/",
                        message.get_body(("plain",)).get_content())
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_error == ""

    client = Client()  # the invited person's browser, not the officer's
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "ana@rou.example" in page_text(page)
    assert client.get("/accounts/signup/").status_code == 200
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/mission/"

    focal_point = FocalPoint.objects.get()
    assert (focal_point.mission, focal_point.user.username) == (mission, "ana.popescu")
    assert (focal_point.user.is_staff, focal_point.user.is_superuser) == (False, False)
    assert focal_point.user.email == "ana@rou.example"
    assert client.get("/mission/").status_code == 200

    client.logout()
    again = client.get(path_of(link))
    assert again.status_code == 410
    assert "already been used" in page_text(again)
    assert "Sign Up Closed" in page_text(
        client.post("/accounts/signup/", {**SIGNUP, "username": "second"}))
    assert FocalPoint.objects.count() == 1


def test_expired_invitation_is_refused_and_sign_up_stays_closed(client, mission):
    past = timezone.now() - dt.timedelta(days=4)
    invitation = invitation_for(mission, created_at=past,
                                expires_at=past + dt.timedelta(hours=72))

    page = client.get(path_of(invitation_url(invitation)))

    assert page.status_code == 410
    assert "expired" in page_text(page)
    closed = client.post("/accounts/signup/", SIGNUP)
    assert closed.status_code == 200
    assert "Sign Up Closed" in page_text(closed)
    assert not get_user_model().objects.filter(username="ana.popescu").exists()


def test_withdrawn_invitation_is_refused(client, mission):
    invitation = invitation_for(mission, revoked_at=timezone.now())

    page = client.get(path_of(invitation_url(invitation)))

    assert page.status_code == 410
    assert "withdrawn" in page_text(page)


def test_forged_or_malformed_invitation_link_is_a_404(client, mission):
    invitation = invitation_for(mission)
    token = invitation_token(invitation)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    assert client.get(f"/mission/invitation/{forged}/").status_code == 404
    assert client.get("/mission/invitation/not-a-token/").status_code == 404
    assert "Sign Up Closed" in page_text(client.post("/accounts/signup/", SIGNUP))
    assert not FocalPoint.objects.exists()


def test_sign_up_takes_the_invitations_address_only(client, mission):
    invitation = invitation_for(mission)
    client.get(path_of(invitation_url(invitation)))

    response = client.post("/accounts/signup/", {**SIGNUP, "email": "someone@else.example"})

    assert response.status_code == 200
    assert "Use the address the invitation was sent to: ana@rou.example." in page_text(response)
    assert not FocalPoint.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_in_another_language_links_under_its_prefix(mission):
    invitation = invitation_for(mission, language="fr")

    assert invitation_url(invitation).startswith("http://127.0.0.1:8000/fr/mission/invitation/")


def test_address_with_an_account_cannot_be_invited(admin_client, mission):
    make_user("existing", email="Ana@rou.example")

    response = admin_client.post("/admin/correspondence/focalpointinvitation/invite/", {
        "mission": mission.pk, "email": "ana@rou.example", "language": ""})

    assert response.status_code == 200
    assert "An account with this address already exists." in page_text(response)
    assert not FocalPointInvitation.objects.exists()


def test_development_mail_backend_sends_no_invitation_and_says_so(mission, settings):
    from correspondence.mission.invitations import invitation_send

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    invitation = invitation_for(mission)

    reason = invitation_send(invitation_id=invitation.pk)

    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert "delivers nothing" in reason and invitation.send_error == reason
