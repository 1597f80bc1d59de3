"""The subscribe form's rate limits, kept in the database (every process counts the same rows).

At most one confirmation message per address per hour (whatever its case), and at most
IGN_SUBSCRIPTIONS_PER_CLIENT_HOUR per client address (``REMOTE_ADDR``, which
`common.forwarded` sets from the proxy's ``X-Real-IP`` behind `make serve`). The counts are
the `ConfirmationMessage` rows of the last hour; neither address is stored in clear, only
keyed hashes of them.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from ..models import ConfirmationMessage, RateLimitKey

WINDOW = timedelta(hours=1)
PER_ADDRESS = 1


def address_key(email):
    return salted_hmac("ign.subscriptions.address", email.strip().lower(),
                       algorithm="sha256").hexdigest()


def client_key(address):
    """Of the client's address (REMOTE_ADDR)."""
    return salted_hmac("ign.subscriptions.client", address or "", algorithm="sha256").hexdigest()


def lock_keys(keys, now):
    """Lock the rows of `keys` until the transaction ends (created first if new).

    Side effects: one `RateLimitKey` row per key, its `touched_at` now; rows untouched for
    a day are deleted. Must run inside a transaction. The write comes first, so that on
    SQLite too the transaction holds the database's write lock before it counts.
    """
    RateLimitKey.objects.filter(touched_at__lt=now - timedelta(days=1)).delete()
    RateLimitKey.objects.bulk_create([RateLimitKey(key=key, touched_at=now) for key in keys],
                                     ignore_conflicts=True)
    RateLimitKey.objects.filter(key__in=keys).update(touched_at=now)
    list(RateLimitKey.objects.select_for_update().filter(key__in=keys).order_by("key"))


def over_limit(*, address, client, now):
    """"address", "client" or "" (within both limits), from the messages of the last hour."""
    recent = ConfirmationMessage.objects.filter(requested_at__gt=now - WINDOW)
    if recent.filter(address_key=address).count() >= PER_ADDRESS:
        return "address"
    if recent.filter(client_key=client).count() >= settings.IGN_SUBSCRIPTIONS_PER_CLIENT_HOUR:
        return "client"
    return ""
