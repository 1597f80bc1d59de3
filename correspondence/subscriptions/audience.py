"""Which confirmed subscriptions receive a letter or a schedule notice."""

from django.db.models import Min, Q
from django.db.models.functions import Lower

from ..models import Delivery, Subscription


def active_subscriptions():
    """Confirmed and not unsubscribed."""
    return Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def one_per_address(subscriptions):
    """The earliest of `subscriptions` for each address (case aside): a person following
    several pages receives each message once."""
    firsts = (subscriptions.order_by().values(address=Lower("email"))
              .annotate(first=Min("pk")).values("first"))
    return Subscription.objects.filter(pk__in=firsts)


def letter_subscriptions(letter):
    """The active subscriptions asking for new letters that follow everything, the letter's
    session or one of the clusters it refers to."""
    original = letter.original
    return one_per_address(active_subscriptions().filter(wants_letters=True).filter(
        Q(session__isnull=True, cluster__isnull=True) | Q(session_id=original.session_id)
        | Q(cluster__in=original.clusters.all())))


def notice_subscriptions(notice):
    """The active subscriptions asking for schedule changes that follow everything, the
    notice's session or a cluster one of its meetings discusses."""
    clusters = notice.lines.values("meeting__clusters")
    return one_per_address(active_subscriptions().filter(wants_notices=True).filter(
        Q(session__isnull=True, cluster__isnull=True) | Q(session_id=notice.session_id)
        | Q(cluster__in=clusters)))


def subscriber_message_id(what, subscription):
    """<what.s<subscription id>@domain> (`what`: "<letter slug>[.<language>]" or
    "notice-<number>"): the same for every attempt to this subscriber."""
    domain = Delivery.message_id_domain()
    return f"<{what}.s{subscription.pk}@{domain}>"
