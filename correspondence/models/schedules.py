"""A distribution set for a later time: who chose the time, and who called it off."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import Letter


class ScheduledDistributionQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        """Those neither cancelled nor yet begun (their time still to come)."""
        return self.filter(cancelled_at__isnull=True, send_at__gt=now or timezone.now())


class ScheduledDistribution(models.Model):
    """A letter's distribution queued for `send_at`: its deliveries fall due then, and until
    then it can be cancelled (`distribution_cancel`). Kept afterwards as the record."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, verbose_name=_("letter"),
                               related_name="scheduled_distributions")
    send_at = models.DateTimeField(_("send at"))
    scheduled_at = models.DateTimeField(_("scheduled"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("scheduled by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cancelled by"))
    # How many waiting deliveries the cancellation called off.
    cancelled_deliveries = models.PositiveIntegerField(_("deliveries cancelled"), default=0)

    objects = ScheduledDistributionQuerySet.as_manager()
    shown_publicly = False  # the admin's alone: its writes leave the page cache alone

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("scheduled distribution")
        verbose_name_plural = _("scheduled distributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(send_at__gt=models.F("scheduled_at")),
                name="scheduled_distribution_in_the_future"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=False) | Q(cancelled_by__isnull=True),
                name="scheduled_distribution_cancelled_by_only_when_cancelled"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(cancelled_at__lt=models.F("send_at")),
                name="scheduled_distribution_cancelled_before_its_time"),
        ]

    def __str__(self):
        return f"{self.letter.slug} @ {self.send_at.isoformat()}"

    @property
    def is_pending(self):
        return self.cancelled_at is None and self.send_at > timezone.now()
