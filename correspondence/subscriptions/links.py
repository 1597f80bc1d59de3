"""The signed links a subscriber's messages carry: unsubscribe (RFC 8058) and manage.

A link names its subscription and is signed with the secret key (salted per purpose): it
cannot be forged, it does not expire (an old message's link still works), and it dies with
the subscription it names when that is erased (an unsubscribed subscriber's manage link
still opens its page, where the data can be erased). The confirmation link of double opt-in
is signed with a timestamp and expires after IGN_SUBSCRIPTION_CONFIRM_HOURS.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from ..models import Subscription

UNSUBSCRIBE_SALT = "ign.subscriptions.unsubscribe"
MANAGE_SALT = "ign.subscriptions.manage"
CONFIRM_SALT = "ign.subscriptions.confirm"


def token(subscription, salt):
    return signing.dumps(subscription.pk, salt=salt, compress=False)


def subscription_id(value, salt):
    """The subscription's id a token names, or None when forged or malformed."""
    try:
        pk = signing.loads(value, salt=salt)
    except signing.BadSignature:
        return None
    return pk if isinstance(pk, int) else None


def unsubscribe_url(subscription):
    """The absolute one-click address (GET shows a page with a button, POST unsubscribes)."""
    with translation.override(subscription.language):
        path = reverse("subscriptions:unsubscribe", args=[token(subscription, UNSUBSCRIBE_SALT)])
    return settings.SITE_URL + path


def manage_url(subscription):
    with translation.override(subscription.language):
        path = reverse("subscriptions:manage", args=[token(subscription, MANAGE_SALT)])
    return settings.SITE_URL + path


def unsubscribe_headers(delivery):
    """The RFC 8058 headers of a subscriber's message ({} for a mission's)."""
    if delivery.mission_id or not delivery.subscription_id:
        return {}
    return {"List-Unsubscribe": f"<{unsubscribe_url(delivery.subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def confirm_token(subscription):
    """A signed, timestamped token naming the subscription (`confirmation_of` reads it)."""
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT, compress=False)


def confirmation_of(token):
    """(subscription or None, "valid" | "expired" | "invalid") for a confirmation token.

    Expired after IGN_SUBSCRIPTION_CONFIRM_HOURS; an expired token still names its
    subscription, so that a replay of a confirmed one says it is confirmed.
    """
    max_age = settings.IGN_SUBSCRIPTION_CONFIRM_HOURS * 3600
    try:
        pk, status = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age), "valid"
    except signing.SignatureExpired:
        pk, status = signing.loads(token, salt=CONFIRM_SALT), "expired"
    except signing.BadSignature:
        return None, "invalid"
    if not isinstance(pk, int):
        return None, "invalid"
    return Subscription.objects.filter(pk=pk).first(), status
