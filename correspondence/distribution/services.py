"""Distribution of issued letters to the Permanent Missions, recorded in the delivery ledger.

These services queue deliveries and start the task that sends them (`sending.py`); the
ledger's rules of exactly-once sending are described there.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import Mission, MissionAddress, State

from ..models import Delivery, Letter
from ..tasks import deliver_letter
from .mailers import backend_path, mailer_refusal
from .sending import deliveries_recover

logger = logging.getLogger(__name__)

class DistributionRefused(Exception):
    """The letter cannot be distributed now; the message is one line for the user."""


def letter_recipients(letter):
    """The active missions the letter is addressed to, following its addressee line (an
    inactive mission, kept for the records that refer to it, receives nothing)."""
    if letter.audience == Letter.Audience.NAMED:
        return letter.recipients.filter(active=True)
    kinds = [State.Kind.MEMBER]
    if letter.audience == Letter.Audience.MEMBERS_AND_OBSERVERS:
        kinds.append(State.Kind.OBSERVER)
    return Mission.objects.filter(state__kind__in=kinds, active=True)


def original_missions(letter):
    """The missions the letter's earlier versions were distributed to: those with a
    delivery, in any state, of the original it corrects or of an earlier correction."""
    if letter.corrects_id is None:
        return Mission.objects.none()
    versions = Letter.objects.filter(
        Q(pk=letter.corrects_id) | Q(corrects_id=letter.corrects_id)).exclude(pk=letter.pk)
    return Mission.objects.filter(
        pk__in=Delivery.objects.filter(letter__in=versions).values("mission_id"))


def message_id_for(letter, mission):
    """<letter-slug.mission-code@domain>: the same for every attempt to this mission."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ign-portal.invalid"
    return f"<{letter.slug}.{mission.state.code.lower()}@{domain}>"


def distribution_check(letter):
    """Raise DistributionRefused unless the letter can be sent now."""
    if letter.status == Letter.Status.DRAFT:
        raise DistributionRefused(_("“%(slug)s” is a draft: only issued letters can be "
                                    "distributed.") % {"slug": letter.slug})
    if letter.status == Letter.Status.SUPERSEDED:
        raise DistributionRefused(_("“%(slug)s” has been superseded by a correction: "
                                    "distribute the correction instead.") % {"slug": letter.slug})
    if letter.pdf_id is None:
        raise DistributionRefused(_("“%(slug)s” has no PDF.") % {"slug": letter.slug})
    if not settings.EMAIL_CONFIGURED:
        raise DistributionRefused(_("E-mail is not configured: set EMAIL_URL "
                                    "(e.g. smtp://127.0.0.1:1025) before distributing."))


def original_distribution_check(letter):
    """Raise DistributionRefused unless the letter can be sent now to `original_missions`."""
    distribution_check(letter)
    if not original_missions(letter).exists():
        raise DistributionRefused(_("No earlier version of “%(slug)s” has been distributed: "
                                    "use Distribute instead.") % {"slug": letter.slug})


@dataclass
class DistributionSummary:
    recipients: int
    counts: dict
    without_address: int
    created: int = 0
    requeued: int = 0
    recovered: int = 0
    tasks: int = 0
    # {reason: number} of the queued deliveries a worker refused to send, as it recorded.
    held: dict = field(default_factory=dict)

    @property
    def to_send(self):
        return self.counts[Delivery.State.QUEUED] + self.counts[Delivery.State.SENDING]


def mailer_warning():
    """A warning when this process's own e-mail backend delivers nothing, else "".

    Only a warning: the worker decides for itself, with its own settings, and holds what it
    cannot send.
    """
    mailer = mailers.default
    if not mailer_refusal(mailer):
        return ""
    return _("Warning: this process's e-mail backend (%(backend)s) delivers nothing; a "
             "worker with the same settings would hold the deliveries, unsent.") % {
        "backend": backend_path(mailer)}


def distribution_preview(letter, *, missions=None):
    """What a distribution would do now, without writing anything (the confirmation page).
    `missions`: as in `letter_distribute`."""
    recipients = letter_recipients(letter)
    if missions is not None:
        recipients = recipients.filter(pk__in=missions.values("pk"))
    return DistributionSummary(
        recipients=recipients.count(),
        counts=Delivery.objects.filter(letter=letter, mission__in=recipients).counts(),
        without_address=recipients.filter(addresses__isnull=True).count(),
        held=Delivery.objects.filter(letter=letter).held(),
    )


def letter_distribute(*, letter, parallel=1, stuck_after=None, missions=None):
    """Queue the letter for every recipient mission not yet served and start the sending.

    `missions` (a queryset of missions, e.g. `original_missions(letter)`) limits the
    recipients to those of them that the letter is addressed to; None means all of them.

    Side effects, in one transaction: deliveries stuck in "sending" are recovered; every
    recipient mission without a delivery gets one (queued, or failed "no address" when the
    mission has no address); failed and partly delivered deliveries of missions that have
    an address are queued again (a partly delivered one for the addresses that did not take
    it); every queued delivery is made due now, held ones too (their reason stays until a
    worker takes them). After commit, `parallel`
    `deliver_letter` tasks are enqueued on the "distribution" queue if anything is queued.
    Raises DistributionRefused (nothing written) when the letter cannot be sent.
    """
    distribution_check(letter)
    now = timezone.now()
    with transaction.atomic():
        recovered = deliveries_recover(letter=letter, stuck_after=stuck_after)
        recipients = letter_recipients(letter)
        if missions is not None:
            recipients = recipients.filter(pk__in=missions.values("pk"))
        have = set(Delivery.objects.filter(letter=letter).values_list("mission_id", flat=True))
        with_address = set(MissionAddress.objects.values_list("mission_id", flat=True))
        queued, failed = Delivery.State.QUEUED, Delivery.State.FAILED
        new = [
            Delivery(
                letter=letter, mission=mission, message_id=message_id_for(letter, mission),
                queued_at=now, next_attempt_at=now,
                state=queued if mission.pk in with_address else failed,
                error="" if mission.pk in with_address else _("no address"),
            )
            for mission in recipients.select_related("state") if mission.pk not in have
        ]
        # A concurrent run may have created some meanwhile: the unique constraint decides.
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        failed_again = Delivery.objects.filter(
            letter=letter, state__in=[Delivery.State.FAILED, Delivery.State.PARTIAL],
            mission_id__in=with_address)
        if missions is not None:
            failed_again = failed_again.filter(mission__in=recipients)
        requeued = failed_again.update(
            state=Delivery.State.QUEUED, next_attempt_at=now, queued_at=now, updated_at=now)
        Delivery.objects.filter(letter=letter, state=Delivery.State.QUEUED).update(
            next_attempt_at=now)
        summary = DistributionSummary(
            recipients=recipients.count(),
            counts=Delivery.objects.filter(letter=letter, mission__in=recipients).counts(),
            without_address=recipients.exclude(pk__in=with_address).count(),
            created=len(new), requeued=requeued, recovered=recovered,
            held=Delivery.objects.filter(letter=letter).held(),
        )
        if summary.counts[Delivery.State.QUEUED]:
            summary.tasks = max(1, parallel)
            letter_id = letter.pk
            transaction.on_commit(
                lambda: [deliver_letter.enqueue(letter_id) for _i in range(summary.tasks)])
    return summary


def delivery_resend(*, delivery, refused_only=False):
    """Queue one mission's delivery again on request, and start it.

    Side effects: the delivery goes back to "queued", due now (same Message-ID); a
    `deliver_letter` task is enqueued after commit. A full re-send (whatever the state) goes
    to all the mission's addresses again; with `refused_only`, a delivery not yet sent to
    every address goes to the addresses that did not take it. Returns False, changing
    nothing, while the delivery is being sent, when the mission is inactive, or (with
    `refused_only`) unless some but not all addresses took it.
    """
    distribution_check(delivery.letter)
    now = timezone.now()
    with transaction.atomic():
        deliveries = Delivery.objects.filter(pk=delivery.pk, mission__active=True).exclude(
            state=Delivery.State.SENDING)
        if refused_only:  # partly delivered, or waiting with some addresses served
            deliveries = deliveries.exclude(state=Delivery.State.SENT).exclude(accepted=[])
            fields = {"error": _("Re-send to the refused addresses requested.")}
        else:
            fields = {"error": _("Re-send requested."), "accepted": [], "refused": {}}
        queued = deliveries.update(
            state=Delivery.State.QUEUED, next_attempt_at=now, updated_at=now, **fields)
        if queued:
            letter_id = delivery.letter_id
            transaction.on_commit(lambda: deliver_letter.enqueue(letter_id))
    return bool(queued)
