"""E-mail subscriptions: anyone may ask for the schedule notices, the new letters, or both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line


class Subscription(models.Model):
    """One address's consent to receive notices and/or letters, from the page it was given.

    Active once confirmed (double opt-in) and until unsubscribed; the address is never shown
    publicly, and its owner can erase it (`correspondence.subscriptions`).
    """

    email = models.EmailField(_("e-mail address"), validators=[validate_single_line])
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    wants_notices = models.BooleanField(_("schedule changes"), default=True)
    wants_letters = models.BooleanField(_("new letters"), default=True)
    # What the subscriber follows: a session, a cluster, or (neither) everything.
    session = models.ForeignKey("ign_sessions.Session", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("session"))
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("cluster"))
    # Consent: when it was asked for and from which page; when it was confirmed.
    source = models.CharField(_("subscribed on"), max_length=300,
                              validators=[validate_single_line])
    consented_at = models.DateTimeField(_("asked for"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    # No public page shows a subscription: its writes leave the page cache alone.
    shown_publicly = False

    class Meta:
        ordering = ["-consented_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(condition=Q(wants_notices=True) | Q(wants_letters=True),
                                   name="subscription_wants_something"),
            models.CheckConstraint(condition=Q(session__isnull=True) | Q(cluster__isnull=True),
                                   name="subscription_one_scope"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def state(self):
        """"unsubscribed", "active" or "pending" (not confirmed yet)."""
        if self.unsubscribed_at is not None:
            return "unsubscribed"
        return "active" if self.confirmed_at is not None else "pending"

    @property
    def scope(self):
        """What the subscription follows: its session, its cluster, or None (everything)."""
        return self.session or self.cluster


class ConfirmationMessage(models.Model):
    """One message asked for on the subscribe form: the confirmation link of a new
    subscription, or, to an address already subscribed, a note with its manage link.

    Kept for the rate limits (`correspondence.subscriptions.ratelimit`): the address and the
    client are kept as keyed hashes only, never in clear. Deleted with its subscription.
    """

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirmation link")
        ALREADY = "already", _("Already subscribed")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="confirmations",
                                     verbose_name=_("subscription"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # Keyed hashes (HMAC with the secret key) of the lower-cased address and of the client's
    # address: enough to count requests, nothing to read an address back from.
    address_key = models.CharField(_("address key"), max_length=64, db_index=True,
                                   validators=[validate_single_line])
    client_key = models.CharField(_("client key"), max_length=64, db_index=True,
                                  validators=[validate_single_line])
    requested_at = models.DateTimeField(_("asked for"), db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, validators=[validate_multi_line])

    shown_publicly = False

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("confirmation message")
        verbose_name_plural = _("confirmation messages")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["confirm", "already"]),
                                   name="confirmation_kind_known"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "sending", "sent", "failed"]),
                name="confirmation_state_known"),
            models.CheckConstraint(condition=~Q(state="sent") | Q(sent_at__isnull=False),
                                   name="confirmation_sent_has_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class RateLimitKey(models.Model):
    """A row per rate-limited key (a keyed hash), locked while a request counts and records
    its confirmation message, so that two processes counting at once cannot both pass."""

    key = models.CharField(max_length=80, primary_key=True, validators=[validate_single_line])
    touched_at = models.DateTimeField()

    shown_publicly = False

    class Meta:
        verbose_name = _("rate limit key")
        verbose_name_plural = _("rate limit keys")

    def __str__(self):
        return self.key
