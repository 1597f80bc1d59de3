"""Fixtures of the subscriptions' tests: distribution's real SMTP server and PDF, a
subscription in each state, the links a subscriber's messages carry."""

import pytest
from django.utils import timezone

from tests.correspondence.distribution.conftest import (  # noqa: F401 (fixtures)
    letter_to,
    smtp_server,
    tiny_pdf,
)


@pytest.fixture
def subscribe_to():
    """Make a subscription: confirmed (default), pending or unsubscribed."""
    from correspondence.models import Subscription

    def make(email="reader@example.org", *, state="active", **fields):
        now = timezone.now()
        return Subscription.objects.create(
            email=email, consented_at=now, source="/meetings/",
            confirmed_at=None if state == "pending" else now,
            unsubscribed_at=now if state == "unsubscribed" else None, **fields)

    return make
