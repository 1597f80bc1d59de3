"""The subscription pages and services through the test client: bad input, rate limits,
links forged, replayed or expired, manage and erase; the messages through a real SMTP server."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from correspondence.distribution.confirmations import confirmation_send
from correspondence.models import ConfirmationMessage, Delivery, Subscription
from correspondence.subscriptions import links

from .subscribing import form, link_in, path_of

pytestmark = pytest.mark.django_db


def post_form(client, address="203.0.113.7", **overrides):
    return client.post("/subscriptions/new/", form(**overrides), REMOTE_ADDR=address)


def test_subscribe_creates_a_pending_subscription_and_queues_one_message(client, settings):
    response = post_form(client, email="Reader@Example.org", what="letters", language="fr",
                         source="/fr/letters/")

    subscription = Subscription.objects.get()
    [confirmation] = ConfirmationMessage.objects.all()
    assert response.status_code == 302 and response["Location"] == "/subscriptions/sent/"
    assert (subscription.email, subscription.language, subscription.wants_notices,
            subscription.wants_letters, subscription.source, subscription.state) == (
        "Reader@Example.org", "fr", False, True, "/fr/letters/", "pending")
    assert confirmation.kind == "confirm" and confirmation.state == "queued"
    assert "example.org" not in confirmation.address_key + confirmation.client_key


def test_confirmation_message_goes_through_smtp_in_the_chosen_language(client, smtp_server):
    post_form(client, language="fr")

    confirmation_send(confirmation_id=ConfirmationMessage.objects.get().pk)

    [message] = smtp_server.messages()
    confirm = link_in(message.get_content(), "confirm")
    assert message["To"] == "reader@example.org"
    assert path_of(confirm).startswith("/fr/subscriptions/confirm/")
    assert ConfirmationMessage.objects.get().state == "sent"


def test_confirmation_is_not_marked_sent_by_a_backend_that_delivers_nothing(client, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    post_form(client)

    confirmation_send(confirmation_id=ConfirmationMessage.objects.get().pk)

    confirmation = ConfirmationMessage.objects.get()
    assert (confirmation.state, confirmation.sent_at, mail.outbox) == ("queued", None, [])
    assert "locmem" in confirmation.error


@pytest.mark.parametrize("email", ["not-an-address", "a@b@example.org", "reader@example.org\n"
                                   "Bcc: victim@example.org", ""])
def test_malformed_address_is_refused_with_a_form_error(client, email):
    response = post_form(client, email=email)

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text or "This field is required." in (
        response.text)
    assert not Subscription.objects.exists() and not ConfirmationMessage.objects.exists()


def test_unknown_scope_is_a_404_and_a_posted_one_a_form_error(client, seeded):
    assert client.get("/subscriptions/new/?cluster=no-such-cluster").status_code == 404
    assert client.get("/subscriptions/new/?session=999").status_code == 404
    assert client.get("/subscriptions/new/?session=%C2%B2").status_code == 404  # "²", a digit
    assert client.get("/subscriptions/new/?session=71&cluster=question-of-the-veto"
                      ).status_code == 404

    response = post_form(client, cluster="no-such-cluster")

    assert response.status_code == 400 and "There is no such cluster." in response.text
    assert not Subscription.objects.exists()


def test_subscribe_page_takes_the_scope_and_the_page_it_came_from(client, seeded):
    response = client.get("/fr/subscriptions/new/?cluster=question-of-the-veto&what=notices"
                          "&from=/fr/clusters/question-of-the-veto/")

    assert response.status_code == 200
    assert 'name="cluster" value="question-of-the-veto"' in response.text
    assert 'name="source" value="/fr/clusters/question-of-the-veto/"' in response.text
    assert 'value="notices" id="id_what_1" required checked' in response.text
    assert '<option value="fr" selected>' in response.text
    assert "private" in response["Cache-Control"]


def test_subscribe_page_drops_a_source_of_another_site(client):
    response = client.get("/subscriptions/new/?from=//evil.example/")

    assert '<input type="hidden" name="source" id="id_source">' in response.text
    assert 'href="//evil.example/"' not in response.text
    assert "Back to the page you came from" not in response.text


@pytest.mark.parametrize("path", ["/meetings/", "/clusters/question-of-the-veto/",
                                  "/sessions/71/", "/letters/"])
def test_public_pages_link_to_the_subscribe_page_with_their_scope(client, seeded, path):
    expected = {"/meetings/": "?what=notices&amp;from=/meetings/",
                "/clusters/question-of-the-veto/":
                    "?cluster=question-of-the-veto&amp;from=/clusters/question-of-the-veto/",
                "/sessions/71/": "?session=71&amp;from=/sessions/71/",
                "/letters/": "?what=letters&amp;from=/letters/"}[path]

    response = client.get(path)

    assert f'href="/subscriptions/new/{expected}"' in response.text


def test_already_subscribed_address_gets_the_same_page_and_a_note_not_a_subscription(
        client, subscribe_to, smtp_server):
    existing = subscribe_to("reader@example.org", wants_notices=False)

    response = post_form(client, email="READER@example.org", what="both")
    confirmation_send(confirmation_id=ConfirmationMessage.objects.get().pk)

    assert response.status_code == 302 and response["Location"] == "/subscriptions/sent/"
    assert list(Subscription.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.wants_notices is False  # unchanged by someone who only knows the address
    [message] = smtp_server.messages()
    assert "already subscribed" in message.get_content()
    assert link_in(message.get_content(), "manage")
    assert "/subscriptions/confirm/" not in message.get_content()


def test_confirm_asks_then_confirms_and_a_replay_changes_nothing(client, subscribe_to):
    subscription = subscribe_to(state="pending")
    path = f"/subscriptions/confirm/{links.confirm_token(subscription)}/"

    asked = client.get(path)
    subscription.refresh_from_db()
    assert asked.status_code == 200 and subscription.confirmed_at is None

    confirmed = client.post(path)
    subscription.refresh_from_db()
    first = subscription.confirmed_at
    replayed = client.post(path)
    subscription.refresh_from_db()

    assert "Subscription confirmed" in confirmed.text and first is not None
    assert replayed.status_code == 200 and "Already confirmed" in replayed.text
    assert subscription.confirmed_at == first


def test_expired_confirmation_link_is_refused_and_confirms_nothing(client, subscribe_to,
                                                                    settings):
    subscription = subscribe_to(state="pending")
    with mock.patch("time.time", return_value=time.time() - 49 * 3600):
        token = links.confirm_token(subscription)

    response = client.post(f"/subscriptions/confirm/{token}/")

    subscription.refresh_from_db()
    assert response.status_code == 410 and "This link has expired" in response.text
    assert subscription.confirmed_at is None


def test_confirmation_link_of_an_unsubscribed_subscription_does_not_restart_it(
        client, subscribe_to):
    subscription = subscribe_to(state="unsubscribed")
    subscription.confirmed_at = None
    subscription.save()

    response = client.post(f"/subscriptions/confirm/{links.confirm_token(subscription)}/")

    subscription.refresh_from_db()
    assert "This subscription has ended" in response.text
    assert subscription.confirmed_at is None


@pytest.mark.parametrize("name", ["confirm", "unsubscribe", "manage", "manage-erase"])
def test_forged_or_malformed_links_are_404_and_change_nothing(client, subscribe_to, name):
    subscription = subscribe_to()
    other_purpose = links.token(subscription, "ign.subscriptions.other")
    forged = links.token(subscription, links.MANAGE_SALT)[:-2] + "xx"
    path = name.replace("-", "/") if "-" not in name else "manage/{}/erase"
    for token in [forged, other_purpose, "not-a-token", "1"]:
        url = (f"/subscriptions/{path.format(token)}/" if "{}" in path
               else f"/subscriptions/{path}/{token}/")
        response = client.post(url)
        assert response.status_code == 404, url
        assert "This link does not work" in response.text

    subscription.refresh_from_db()
    assert subscription.is_active


def test_one_click_unsubscribe_posts_without_csrf_and_answers_200(subscribe_to):
    subscription = subscribe_to()
    client = Client(enforce_csrf_checks=True)
    path = path_of(links.unsubscribe_url(subscription))

    shown = client.get(path)
    subscription.refresh_from_db()
    assert shown.status_code == 200 and subscription.unsubscribed_at is None

    response = client.post(path, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    again = client.post(path, "List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded")

    subscription.refresh_from_db()
    assert response.status_code == 200 and again.status_code == 200
    assert "You are unsubscribed" in response.text
    assert subscription.unsubscribed_at is not None


def test_manage_changes_what_and_language_with_csrf(subscribe_to):
    subscription = subscribe_to()
    client = Client(enforce_csrf_checks=True)
    path = path_of(links.manage_url(subscription))
    page = client.get(path)
    token = page.context["csrf_token"]

    refused = client.post(path, {"what": "notices", "language": "es"})
    saved = client.post(path, {"what": "notices", "language": "es",
                               "csrfmiddlewaretoken": str(token)})
    bad = client.post(path, {"what": "nothing", "language": "xx",
                             "csrfmiddlewaretoken": str(token)})

    subscription.refresh_from_db()
    assert refused.status_code == 403
    assert saved.status_code == 200 and "Your choices are saved" in saved.text
    assert bad.status_code == 400
    assert (subscription.wants_notices, subscription.wants_letters, subscription.language) == (
        True, False, "es")


def test_erase_deletes_the_subscription_and_keeps_its_deliveries_without_the_address(
        client, subscribe_to, letter_to):
    from django.utils import timezone

    subscription = subscribe_to("erase.me@example.org")
    ConfirmationMessage.objects.create(subscription=subscription, kind="confirm",
                                       address_key="k", client_key="c",
                                       requested_at=timezone.now())
    letter = letter_to(None)
    delivery = Delivery.objects.create(
        letter=letter, subscription=subscription, message_id="<x.s1@example.org>",
        queued_at=timezone.now(), state="failed", recipients="erase.me@example.org",
        accepted=["erase.me@example.org"], refused={"erase.me@example.org": "550 no"},
        error="Erase.Me@example.org: 550 5.1.1 Mailbox unavailable")
    erase = path_of(links.manage_url(subscription)) + "erase/"

    asked = client.get(erase)
    assert asked.status_code == 200 and Subscription.objects.exists()
    response = client.post(erase)

    delivery.refresh_from_db()
    assert response.status_code == 200 and "Your data is erased" in response.text
    assert not Subscription.objects.exists() and not ConfirmationMessage.objects.exists()
    assert (delivery.subscription, delivery.recipients, delivery.accepted, delivery.refused,
            delivery.error) == (None, "", [], {}, "…: 550 5.1.1 Mailbox unavailable")
    assert client.get(path_of(links.manage_url(subscription))).status_code == 404


def test_at_most_one_message_per_address_per_hour_whatever_the_case_and_client(client):
    first = post_form(client, email="reader@example.org", address="203.0.113.7")
    second = post_form(client, email="READER@example.org", address="198.51.100.9")

    assert first.status_code == 302
    assert second.status_code == 429
    assert "less than an hour ago" in second.text
    assert ConfirmationMessage.objects.count() == 1


def test_a_client_may_ask_for_n_messages_per_hour(client, settings):
    settings.IGN_SUBSCRIPTIONS_PER_CLIENT_HOUR = 2

    answers = [post_form(client, email=f"reader{n}@example.org").status_code for n in range(3)]
    elsewhere = post_form(client, email="other@example.org", address="198.51.100.9")

    assert answers == [302, 302, 429]
    assert elsewhere.status_code == 302
    assert ConfirmationMessage.objects.count() == 3


def test_the_limits_count_the_last_hour_only(client):
    from datetime import timedelta

    post_form(client)
    ConfirmationMessage.objects.update(
        requested_at=ConfirmationMessage.objects.get().requested_at - timedelta(minutes=61))

    assert post_form(client).status_code == 302


def test_an_unconfirmed_request_is_forgotten_once_its_link_has_expired(client, subscribe_to):
    from datetime import timedelta

    old = subscribe_to("old@example.org", state="pending")
    Subscription.objects.filter(pk=old.pk).update(
        consented_at=old.consented_at - timedelta(hours=49))

    post_form(client, email="new@example.org")

    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]


def test_staff_see_the_subscriptions_read_only_with_counts(admin_client, subscribe_to):
    subscribe_to("a@example.org")
    subscribe_to("b@example.org", state="pending")
    subscribe_to("c@example.org", state="unsubscribed")

    response = admin_client.get("/admin/correspondence/subscription/")
    change = admin_client.post(
        f"/admin/correspondence/subscription/{Subscription.objects.first().pk}/change/", {})

    assert response.status_code == 200
    assert "Active: 1 · not confirmed: 1 · unsubscribed: 1" in " ".join(response.text.split())
    assert change.status_code == 403


def test_no_public_page_shows_an_address(client, seeded, subscribe_to):
    subscribe_to("hidden.reader@example.org")

    for path in ["/meetings/", "/letters/", "/subscriptions/new/", "/subscriptions/sent/"]:
        assert "hidden.reader" not in client.get(path).text, path


def test_distributing_a_letter_queues_each_subscriber_asking_for_it_once(
        subscribe_to, letter_to, settings):
    from clusters.models import Cluster
    from correspondence.distribution.services import letter_distribute
    from tests.factories import make_mission

    settings.EMAIL_CONFIGURED = True
    make_mission()
    letter = letter_to(None)
    everything = subscribe_to("all@example.org", language="es")
    session = subscribe_to("session@example.org", session=letter.session)
    subscribe_to("notices.only@example.org", wants_letters=False)
    subscribe_to("pending@example.org", state="pending")
    subscribe_to("gone@example.org", state="unsubscribed")
    # The letter names no cluster: a cluster's subscriber does not receive it.
    subscribe_to("veto@example.org", cluster=Cluster.objects.create(
        number=2, slug="question-of-the-veto", title="The question of the veto"))

    letter_distribute(letter=letter)
    letter_distribute(letter=letter)

    queued = Delivery.objects.filter(subscription__isnull=False).order_by("subscription_id")
    assert [(d.subscription_id, d.letter_id, d.state) for d in queued] == [
        (everything.pk, letter.pk, "queued"), (session.pk, letter.pk, "queued")]
    assert queued[0].message_id.startswith(f"<pga-2017-01-12.s{everything.pk}@")
