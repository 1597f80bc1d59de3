"""E-mail subscriptions: anyone may ask for the schedule notices, the new letters, or both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line


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
