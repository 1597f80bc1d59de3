"""Subscribing (double opt-in), confirming, changing, unsubscribing and erasing; queueing the
subscribers' deliveries of a letter or a notice in the ledger."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ConfirmationMessage, Delivery, Subscription
from ..tasks import send_confirmation
from . import ratelimit
from .audience import letter_subscriptions, notice_subscriptions, subscriber_message_id


@dataclass
class Request:
    """What the subscribe form asked for."""

    email: str
    language: str
    wants_notices: bool
    wants_letters: bool
    session: object = None
    cluster: object = None
    source: str = ""


def subscription_request(*, asked, client):
    """Record a request from the subscribe form and queue the message it calls for.

    An address with no pending or active subscription of that scope gets a new, pending
    one and a confirmation link; a pending one is updated (what, language, source, consent
    time) and gets a new link; an active one is left as it is, and the address gets a note
    that it is already subscribed, with its manage link (so the form's answer, the same in
    every case, does not tell who is subscribed).

    Side effects, in one transaction: the subscription written, a `ConfirmationMessage`
    recorded, and after commit a `send_confirmation` task enqueued. Returns "" when queued,
    or "address" / "client" when over a rate limit (`ratelimit`): then nothing is written.
    """
    now = timezone.now()
    address, client = ratelimit.address_key(asked.email), ratelimit.client_key(client)
    with transaction.atomic():
        ratelimit.lock_keys([f"a:{address}", f"c:{client}"], now)
        refused = ratelimit.over_limit(address=address, client=client, now=now)
        if refused:
            return refused
        _forget_unconfirmed(now)
        existing = (Subscription.objects.filter(
            email__iexact=asked.email.strip(), session=asked.session, cluster=asked.cluster,
            unsubscribed_at__isnull=True).order_by("-confirmed_at", "-pk").first())
        if existing is not None and existing.is_active:
            subscription, kind = existing, ConfirmationMessage.Kind.ALREADY
        else:
            subscription = existing or Subscription(email=asked.email.strip())
            subscription.language = asked.language
            subscription.wants_notices, subscription.wants_letters = (
                asked.wants_notices, asked.wants_letters)
            subscription.session, subscription.cluster = asked.session, asked.cluster
            subscription.source, subscription.consented_at = asked.source, now
            subscription.save()
            kind = ConfirmationMessage.Kind.CONFIRM
        confirmation = ConfirmationMessage.objects.create(
            subscription=subscription, kind=kind, address_key=address, client_key=client,
            requested_at=now)
        transaction.on_commit(lambda: send_confirmation.enqueue(confirmation.pk))
    return ""


def _forget_unconfirmed(now):
    """Delete the requests never confirmed whose link has expired (with their messages)."""
    expired = now - timezone.timedelta(hours=settings.IGN_SUBSCRIPTION_CONFIRM_HOURS)
    Subscription.objects.filter(confirmed_at__isnull=True, consented_at__lt=expired).delete()


def subscription_confirm(*, subscription):
    """Confirm a pending subscription. Returns True if this call confirmed it; False,
    changing nothing, when it was already confirmed or has been unsubscribed."""
    return bool(Subscription.objects.filter(
        pk=subscription.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True,
    ).update(confirmed_at=timezone.now()))


def subscription_unsubscribe(*, subscription):
    """End the subscription now, and every other of its address (case aside): one message
    serves all the pages an address follows (`audience.one_per_address`), so its unsubscribe
    link stops them all. Nothing more is sent (deliveries waiting for them are cancelled
    when a worker claims them). Returns False if none was still active."""
    return bool(Subscription.objects.filter(
        email__iexact=subscription.email, unsubscribed_at__isnull=True,
    ).update(unsubscribed_at=timezone.now()))


def subscription_change(*, subscription, language, wants_notices, wants_letters):
    """Change what a subscription receives and in which language (from its manage page)."""
    subscription.language = language
    subscription.wants_notices, subscription.wants_letters = wants_notices, wants_letters
    subscription.save(update_fields=["language", "wants_notices", "wants_letters"])


def subscription_erase(*, subscription):
    """Erase a subscriber's data: every subscription of the address (case aside: one person
    may follow several pages) and their confirmation messages are deleted; the ledger keeps
    their deliveries, without the address (their `recipients`, `accepted` and `refused`
    emptied, the address taken out of their `error`).
    """
    with transaction.atomic():
        email = subscription.email
        theirs = Subscription.objects.filter(email__iexact=email)
        for delivery in Delivery.objects.filter(subscription__in=theirs).only("pk", "error"):
            error = delivery.error
            if email.lower() in error.lower():
                start = error.lower().index(email.lower())
                error = error[:start] + "…" + error[start + len(email):]
            Delivery.objects.filter(pk=delivery.pk).update(
                recipients="", accepted=[], refused={}, error=error)
        theirs.delete()


def letter_subscribers_queue(*, letter, versions, now):
    """Queue the letter for every subscriber asking for it (`letter_subscriptions`) who has
    no delivery of it yet: each gets the issued version in their language where it exists
    (`versions`, {language: row}, empty for a language version distributed alone), else
    `letter`. Failed deliveries of active subscribers are queued again.

    Side effects: `Delivery(letter=version, subscription=s)` rows, queued and due `now`,
    with a Message-ID of their own (`subscriber_message_id`). Returns their number. A
    language version distributed alone goes to the subscribers reading its language.
    """
    subscriptions = letter_subscriptions(letter)
    if not letter.is_original:
        subscriptions = subscriptions.filter(language=letter.language)
    rows = [letter.pk, *(version.pk for version in versions.values())]
    have = set(Delivery.objects.filter(letter__in=rows, subscription__isnull=False)
               .values_list("subscription_id", flat=True))
    new = []
    for subscription in subscriptions:
        if subscription.pk in have:
            continue
        version = versions.get(subscription.language, letter)
        language = "" if version.is_original else f".{version.language}"
        new.append(Delivery(
            letter=version, subscription=subscription, queued_at=now, next_attempt_at=now,
            message_id=subscriber_message_id(f"{version.slug}{language}", subscription)))
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    Delivery.objects.filter(
        letter__in=rows, subscription__in=subscriptions, state=Delivery.State.FAILED,
    ).update(state=Delivery.State.QUEUED, next_attempt_at=now, queued_at=now, updated_at=now)
    return len(new)


def notice_subscribers_queue(*, notice, now, due=None):
    """Queue a schedule notice for every subscriber asking for it (`notice_subscriptions`)
    who has no delivery of it yet. Side effects: `Delivery(notice=..., subscription=s)` rows,
    queued at `now` and due at `due` (default `now`). Returns their number."""
    have = Delivery.objects.filter(notice=notice, subscription__isnull=False)
    new = [Delivery(notice=notice, subscription=subscription, queued_at=now,
                    next_attempt_at=due or now,
                    message_id=subscriber_message_id(f"notice-{notice.number}", subscription))
           for subscription in notice_subscriptions(notice).exclude(
               Q(pk__in=have.values("subscription_id")))]
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
