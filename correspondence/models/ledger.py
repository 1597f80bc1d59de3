"""The delivery ledger: what each mission and each subscriber was sent, and when.

One ledger for every message the portal sends on the Secretariat's behalf: a letter or a
schedule notice (exactly one of the two) to a mission or to a subscriber (at most one of the
two: an erased subscriber leaves the record without its address).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line

from .letters import Letter


class DeliveryQuerySet(models.QuerySet):
    def for_letter(self, letter):
        return self.filter(letter=letter)

    def for_notice(self, notice):
        return self.filter(notice=notice)

    def to_missions(self):
        return self.filter(mission__isnull=False)

    def to_subscribers(self):
        return self.filter(mission__isnull=True)

    def counts(self):
        """{state: number} for every state, zeros included."""
        found = dict(self.values_list("state").annotate(n=models.Count("pk")).order_by())
        return {state: found.get(state, 0) for state in Delivery.State.values}

    def not_served(self):
        return self.exclude(state=Delivery.State.SENT)

    def held(self):
        """{reason: number} of the queued deliveries a worker refused to send, and why."""
        return dict(self.filter(state=Delivery.State.QUEUED).exclude(held="")
                    .values_list("held").annotate(n=models.Count("pk")).order_by("held"))


class Delivery(models.Model):
    """The ledger: one record per (letter or notice, mission or subscriber), proving what
    each was sent."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # Some of the mission's addresses took the message, the others refused it for good.
        PARTIAL = "partial", _("Partly delivered")
        FAILED = "failed", _("Failed")
        # Never attempted, and no longer to be: a sending called off before its time, a
        # subscriber who unsubscribed meanwhile (`error` says which).
        CANCELLED = "cancelled", _("Cancelled")

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("letter"),
        null=True, blank=True,
    )
    notice = models.ForeignKey(
        "correspondence.ScheduleNotice", on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("schedule notice"), null=True, blank=True,
    )
    mission = models.ForeignKey(
        "ign_sessions.Mission", on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("mission"), null=True, blank=True,
    )
    # Erasing a subscription keeps the record of what was sent, without the address.
    subscription = models.ForeignKey(
        "correspondence.Subscription", on_delete=models.SET_NULL, related_name="deliveries",
        verbose_name=_("subscription"), null=True, blank=True,
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    # Fixed per (letter or notice, recipient): a re-send carries the same Message-ID.
    message_id = models.CharField(_("Message-ID"), max_length=250,
                                  validators=[validate_single_line])
    recipients = models.TextField(_("sent to"), blank=True, help_text=_(
        "The addresses of the last attempt, separated by “; ”."), validators=[validate_multi_line])
    accepted = models.JSONField(_("accepted by"), default=list, blank=True, help_text=_(
        "The addresses whose server took the message (since the last full re-send)."))
    refused = models.JSONField(_("refused by"), default=dict, blank=True, help_text=_(
        "The addresses the server refused at the last attempt, with its answer."))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True, validators=[validate_multi_line])
    held = models.TextField(_("held"), blank=True, validators=[validate_multi_line], help_text=_(
        "Why the last worker that took this delivery did not send it (it stays queued)."))
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
        ordering = ["letter", "notice", "mission__state__name", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["letter", "state"]),
                   models.Index(fields=["notice", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "mission"], name="delivery_once_per_letter_and_mission",
                violation_error_message=_("This mission already has a delivery of this letter."),
            ),
            models.UniqueConstraint(
                fields=["notice", "mission"], name="delivery_once_per_notice_and_mission",
                violation_error_message=_("This mission already has a delivery of this notice."),
            ),
            models.UniqueConstraint(
                fields=["letter", "subscription"],
                name="delivery_once_per_letter_and_subscription",
                violation_error_message=_(
                    "This subscriber already has a delivery of this letter."),
            ),
            models.UniqueConstraint(
                fields=["notice", "subscription"],
                name="delivery_once_per_notice_and_subscription",
                violation_error_message=_(
                    "This subscriber already has a delivery of this notice."),
            ),
            models.CheckConstraint(
                condition=(Q(letter__isnull=False, notice__isnull=True)
                           | Q(letter__isnull=True, notice__isnull=False)),
                name="delivery_of_a_letter_or_a_notice",
            ),
            models.CheckConstraint(
                condition=Q(mission__isnull=True) | Q(subscription__isnull=True),
                name="delivery_to_a_mission_or_a_subscriber",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "sending", "sent", "partial", "failed",
                                       "cancelled"]),
                name="delivery_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="cancelled") | ~Q(error=""),
                name="delivery_cancelled_says_why",
            ),
            models.CheckConstraint(
                condition=~Q(state="partial") | (Q(sent_at__isnull=False) & ~Q(error="")),
                name="delivery_partial_has_time_and_says_why",
            ),
            models.CheckConstraint(
                condition=Q(held="") | Q(state="queued"),
                name="delivery_held_only_while_queued",
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
        what = self.letter.slug if self.letter_id else str(self.notice)
        if self.mission_id:
            whom = str(self.mission)
        elif self.subscription_id:
            whom = str(self.subscription)
        else:
            whom = _("an erased subscriber")
        return f"{what} → {whom}"

    @staticmethod
    def message_id_domain():
        """The domain of every Message-ID the portal writes: DEFAULT_FROM_EMAIL's."""
        return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ign-portal.invalid"

    @property
    def subject_key(self):
        """"letter:<id>" or "notice:<id>": what the delivery sends (see `FollowUp.key`)."""
        return f"letter:{self.letter_id}" if self.letter_id else f"notice:{self.notice_id}"

    @property
    def outcomes(self):
        """[(address, the server's answer or "" when it took the message)], accepted first."""
        return [*((address, "") for address in self.accepted), *self.refused.items()]


class FollowUp(models.Model):
    """The delivery task last scheduled for a letter's or a notice's waiting deliveries.

    Kept so that a worker ending its run asks the task backend (through `django.tasks`)
    whether that task is still waiting, instead of enqueuing another.
    """

    shown_publicly = False  # no public page shows it: its writes leave the page cache alone

    # "letter:<id>" or "notice:<id>" (`Delivery.subject_key`).
    key = models.CharField(_("sends"), max_length=40, primary_key=True,
                           validators=[validate_single_line])
    task_id = models.CharField(_("task"), max_length=64, blank=True,
                               validators=[validate_single_line])
    run_after = models.DateTimeField(_("runs after"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self):
        return f"{self.key}: {self.task_id or '-'}"
