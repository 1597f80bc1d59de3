"""The delivery ledger: what each mission was sent, and when."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line

from .letters import Letter


class DeliveryQuerySet(models.QuerySet):
    def for_letter(self, letter):
        return self.filter(letter=letter)

    def counts(self):
        """{state: number} for every state, zeros included."""
        found = dict(self.values_list("state").annotate(n=models.Count("pk")).order_by())
        return {state: found.get(state, 0) for state in Delivery.State.values}

    def not_served(self):
        return self.exclude(state=Delivery.State.SENT)


class Delivery(models.Model):
    """The ledger: one record per (letter, mission), proving what each mission was sent."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("letter")
    )
    mission = models.ForeignKey(
        "ign_sessions.Mission", on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("mission"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    # Fixed per (letter, mission): a re-send carries the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=250,
                                  validators=[validate_single_line])
    recipients = models.TextField(_("sent to"), blank=True, help_text=_(
        "The addresses of the last attempt, separated by “; ”."), validators=[validate_multi_line])
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True, validators=[validate_multi_line])
    queued_at = models.DateTimeField(_("queued"))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True,
                                  validators=[validate_single_line])
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = DeliveryQuerySet.as_manager()
    # No public page shows the ledger, which changes on every message sent: saving a
    # delivery leaves the page cache alone (common.cache).
    shown_publicly = False

    class Meta:
        ordering = ["letter", "mission__state__name"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["letter", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "mission"], name="delivery_once_per_letter_and_mission",
                violation_error_message=_("This mission already has a delivery of this letter."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "sending", "sent", "failed"]),
                name="delivery_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="sending") | Q(claimed_at__isnull=False),
                name="delivery_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""),
                name="delivery_failed_says_why",
            ),
        ]

    def __str__(self):
        return f"{self.letter.slug} → {self.mission}"


class FollowUp(models.Model):
    """The `deliver_letter` task last scheduled for a letter's waiting deliveries.

    Kept so that a worker ending its run asks the task backend (through `django.tasks`)
    whether that task is still waiting, instead of enqueuing another.
    """

    shown_publicly = False  # no public page shows it: its writes leave the page cache alone

    letter = models.OneToOneField(
        Letter, on_delete=models.CASCADE, primary_key=True, related_name="follow_up",
        verbose_name=_("letter"),
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True,
                               validators=[validate_single_line])
    run_after = models.DateTimeField(_("runs after"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self):
        return f"{self.letter_id}: {self.task_id or '-'}"
