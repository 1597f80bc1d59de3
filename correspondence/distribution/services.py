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

from common.timezones import ny_when
from sessions.models import Mission, MissionAddress, State

from ..models import Delivery, Letter, ScheduledDistribution
from ..subscriptions.services import letter_subscribers_queue
from ..tasks import deliver_letter, deliver_notice, schedule_follow_up
from .mailers import backend_path, mailer_refusal
from .message import MessageContent
from .sending import deliveries_recover
from .trial import send_test

logger = logging.getLogger(__name__)

class DistributionRefused(Exception):
    """The letter cannot be distributed now; the message is one line for the user."""


def letter_recipients(letter):
    """The active missions the letter is addressed to, following its addressee line (an
    inactive mission, kept for the records that refer to it, receives nothing).

    A language version distributed on its own goes to the missions that prefer its
    language, and to them only; the original goes to every mission (each receiving its
    version, see `version_for`); a correction goes to the missions that read the corrected
    letter in a language it applies to (`_reading_in`).
    """
    if letter.audience == Letter.Audience.NAMED:
        missions = letter.original.recipients.filter(active=True)
    else:
        kinds = [State.Kind.MEMBER]
        if letter.audience == Letter.Audience.MEMBERS_AND_OBSERVERS:
            kinds.append(State.Kind.OBSERVER)
        missions = Mission.objects.filter(state__kind__in=kinds, active=True)
    if not letter.is_original:
        missions = missions.filter(preferred_language=letter.language)
    elif letter.corrects_id is not None:
        missions = _reading_in(missions, letter)
    return missions


def correction_languages(correction):
    """The languages a correction applies to: those of its issued rows (a Corr.1 issued in
    French only corrects the French version only)."""
    return set(issued_versions(correction))


def _reading_in(missions, correction):
    """Of `missions`, those that read the corrected letter in a language the correction
    applies to: each mission reads a letter in its preferred language where that version
    exists, else in the original's (`version_for`). A French-only Corr.1 goes to the missions
    that received the French version, not to those that read the English original."""
    root = correction.corrects
    existing = set(Letter.objects.public().filter(
        Q(pk=root.pk) | Q(version_of_id=root.pk)).values_list("language", flat=True))
    languages = correction_languages(correction) | {correction.language}
    wanted = Q(preferred_language__in=existing & languages)
    if root.language in languages:
        wanted |= ~Q(preferred_language__in=existing)
    return missions.filter(wanted)


def family(letter):
    """The rows whose deliveries a distribution of `letter` counts: the original and its
    versions for an original, the version alone for a version."""
    if not letter.is_original:
        return Letter.objects.filter(pk=letter.pk)
    return Letter.objects.filter(Q(pk=letter.pk) | Q(version_of_id=letter.pk))


def issued_versions(letter):
    """{language: row} of the issued rows a distribution of `letter` may send."""
    return {row.language: row for row in family(letter).filter(status=Letter.Status.ISSUED)}


def version_for(mission, versions, letter):
    """The version a mission receives: the issued one in its preferred language where it
    exists, else `letter` (the original)."""
    return versions.get(mission.preferred_language, letter)


def original_missions(letter):
    """The missions the letter's earlier versions were distributed to: those with a
    delivery, in any state, of the original it corrects or of an earlier correction."""
    if letter.corrects_id is None:
        return Mission.objects.none()
    chain = letter.corrects_id
    earlier = Letter.objects.filter(
        Q(pk=chain) | Q(version_of_id=chain) | Q(corrects_id=chain)).exclude(
        Q(pk=letter.pk) | Q(version_of_id=letter.pk))
    if not letter.is_original:
        earlier = earlier.exclude(pk=letter.version_of_id)
    return Mission.objects.filter(
        pk__in=Delivery.objects.filter(letter__in=earlier).values("mission_id"))


def message_id_for(letter, mission):
    """<letter-slug.mission-code@domain> (with the language for a version,
    <slug.fr.code@domain>): the same for every attempt to this mission."""
    domain = Delivery.message_id_domain()
    language = "" if letter.is_original else f".{letter.language}"
    return f"<{letter.slug}{language}.{mission.state.code.lower()}@{domain}>"


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
    rows = family(letter)
    return DistributionSummary(
        recipients=recipients.count(),
        counts=Delivery.objects.filter(letter__in=rows, mission__in=recipients).counts(),
        without_address=recipients.filter(addresses__isnull=True).count(),
        held=Delivery.objects.filter(letter__in=rows).held(),
    )


def letter_distribute(*, letter, parallel=1, stuck_after=None, missions=None, send_at=None,
                      by=None):
    """Queue the letter for every recipient mission not yet served and start the sending
    (now, or at `send_at`).

    Distributing an original sends each mission one version: the issued version in the
    mission's preferred language where it exists, else the original; a mission that has a
    delivery of any version of the letter gets no other (exactly one message per letter
    and mission in one distribution). Distributing a language version issued later sends
    it to the missions preferring its language alone, those already sent another version
    included (`letter_recipients`).

    `missions` (a queryset of missions, e.g. `original_missions(letter)`) limits the
    recipients to those of them that the letter is addressed to; None means all of them.

    Side effects, in one transaction: deliveries stuck in "sending" are recovered; every
    recipient mission without a delivery gets one, of the version it receives (queued, or
    failed "no address" when the mission has no address); failed and partly delivered
    deliveries of missions that have an address are queued again (a partly delivered one
    for the addresses that did not take it); the subscribers asking for the letter are
    queued too (`letter_subscribers_queue`); every queued delivery is made due now, held
    ones too (their reason stays until a worker takes them). After commit, `parallel`
    `deliver_letter` tasks per version with queued deliveries are enqueued on the
    "distribution" queue. Raises DistributionRefused (nothing written) when the letter
    cannot be sent, or while a distribution of it is scheduled (`distribution_pending`:
    cancel that one first).

    With `send_at` (a time to come), the deliveries queued, failed, partly delivered and
    cancelled fall due at that time instead of now, a `ScheduledDistribution` records it
    (and `by`, who chose it), and the delivery tasks are enqueued to run after it (the
    follow-up task of each version's `FollowUp` row, `schedule_follow_up`): nothing is sent
    before. Until then `distribution_cancel` calls it off.
    """
    distribution_check(letter)
    now = timezone.now()
    if send_at is not None and send_at <= now:
        raise DistributionRefused(_("The time to send at has passed: choose a time to come, "
                                    "or send now."))
    due = send_at or now
    # Read before the transaction: on SQLite (WAL) a transaction that reads first, then
    # writes after another process wrote, is refused ("database is locked").
    pending = distribution_pending(letter)
    if pending is not None:
        raise DistributionRefused(_(
            "A distribution of “%(slug)s” is scheduled for %(when)s: cancel it before "
            "distributing the letter again.") % {
            "slug": pending.letter.slug, "when": ny_when(pending.send_at)})
    with transaction.atomic():
        if send_at is not None:
            ScheduledDistribution.objects.create(
                letter=letter, send_at=send_at, scheduled_at=now, scheduled_by=by)
        rows = family(letter)
        recovered = sum(deliveries_recover(letter=row, stuck_after=stuck_after) for row in rows)
        versions = issued_versions(letter) if letter.is_original else {}
        recipients = letter_recipients(letter)
        if missions is not None:
            recipients = recipients.filter(pk__in=missions.values("pk"))
        have = set(Delivery.objects.filter(letter__in=rows).values_list("mission_id", flat=True))
        with_address = set(MissionAddress.objects.values_list("mission_id", flat=True))
        queued, failed = Delivery.State.QUEUED, Delivery.State.FAILED
        new = []
        for mission in recipients.select_related("state"):
            if mission.pk in have:
                continue
            version = version_for(mission, versions, letter)
            new.append(Delivery(
                letter=version, mission=mission, message_id=message_id_for(version, mission),
                queued_at=now, next_attempt_at=due,
                state=queued if mission.pk in with_address else failed,
                error="" if mission.pk in with_address else _("no address"),
            ))
        # A concurrent run may have created some meanwhile: the unique constraint decides.
        Delivery.objects.bulk_create(new, ignore_conflicts=True)
        letter_subscribers_queue(letter=letter, versions=versions, now=now)
        # A delivery cancelled with a scheduled distribution is queued again like a failed
        # one (a subscriber's too: claiming cancels it again if they have unsubscribed since).
        failed_again = Delivery.objects.filter(letter__in=rows).filter(
            Q(state__in=[Delivery.State.FAILED, Delivery.State.PARTIAL,
                         Delivery.State.CANCELLED], mission_id__in=with_address)
            | Q(state=Delivery.State.CANCELLED, mission__isnull=True))
        if missions is not None:
            failed_again = failed_again.filter(mission__in=recipients)
        requeued = failed_again.update(
            state=Delivery.State.QUEUED, next_attempt_at=due, queued_at=now, updated_at=now)
        Delivery.objects.filter(letter__in=rows, state=Delivery.State.QUEUED).update(
            next_attempt_at=due)
        summary = DistributionSummary(
            recipients=recipients.count(),
            counts=Delivery.objects.filter(letter__in=rows, mission__in=recipients).counts(),
            without_address=recipients.exclude(pk__in=with_address).count(),
            created=len(new), requeued=requeued, recovered=recovered,
            held=Delivery.objects.filter(letter__in=rows).held(),
        )
        to_send = sorted(set(Delivery.objects.filter(
            letter__in=rows, state=Delivery.State.QUEUED).values_list("letter_id", flat=True)))
        if to_send:
            summary.tasks = max(1, parallel) * len(to_send)
            each = max(1, parallel)
            if send_at is None:
                transaction.on_commit(lambda: [deliver_letter.enqueue(letter_id)
                                               for letter_id in to_send for _i in range(each)])
            else:
                transaction.on_commit(lambda: _enqueue_at(to_send, each, send_at))
    return summary


def _enqueue_at(letter_ids, each, send_at):
    """`each` delivery tasks per letter, to run after `send_at`: the first is the follow-up
    recorded in its FollowUp row, the others run beside it."""
    for letter_id in letter_ids:
        schedule_follow_up(letter_id=letter_id)
        for _i in range(each - 1):
            deliver_letter.using(run_after=send_at).enqueue(letter_id)


def distribution_overlapping(letter):
    """Q of the scheduled distributions whose deliveries overlap the letter's: of its
    original, or of any version of it."""
    root = letter.original
    return Q(letter=root) | Q(letter__version_of=root)


def distribution_pending(letter):
    """The scheduled distribution overlapping the letter's (`distribution_overlapping`)
    whose time is still to come, or None."""
    return (ScheduledDistribution.objects.pending().filter(distribution_overlapping(letter))
            .select_related("letter", "scheduled_by").order_by("send_at").first())


def distribution_cancel(*, scheduled, by):
    """Call off a scheduled distribution before its time.

    Side effects, in one transaction: the deliveries it made wait for its time (queued, due
    then or later) are never sent: those never attempted become "cancelled", the others
    (queued again after a failure) go back to failed or partly delivered; each says
    "Cancelled by <user> at <time>". The ScheduledDistribution records who and when, and how
    many. The tasks already enqueued find nothing to send. Raises DistributionRefused,
    changing nothing, once its time has come or when it was cancelled already. Returns the
    number of deliveries called off.
    """
    now = timezone.now()
    with transaction.atomic():
        # One conditional UPDATE decides (and, written first, holds SQLite's lock at once).
        if not ScheduledDistribution.objects.filter(
                pk=scheduled.pk, cancelled_at__isnull=True, send_at__gt=now).update(
                cancelled_at=now, cancelled_by=by):
            row = ScheduledDistribution.objects.get(pk=scheduled.pk)
            if row.cancelled_at is not None:
                raise DistributionRefused(
                    _("This scheduled distribution was cancelled already."))
            raise DistributionRefused(_("Its time has come: the distribution has begun and "
                                        "can no longer be cancelled."))
        row = ScheduledDistribution.objects.select_related("letter").get(pk=scheduled.pk)
        why = _("Cancelled by %(user)s at %(when)s.") % {
            "user": by.get_username() if by else _("someone"), "when": ny_when(now)}
        waiting = Delivery.objects.filter(
            letter__in=family(row.letter), state=Delivery.State.QUEUED,
            next_attempt_at__gte=row.send_at)
        fields = {"error": why, "held": "", "next_attempt_at": None, "updated_at": now}
        count = waiting.filter(attempts=0).update(state=Delivery.State.CANCELLED, **fields)
        count += waiting.exclude(accepted=[]).update(state=Delivery.State.PARTIAL, **fields)
        count += waiting.update(state=Delivery.State.FAILED, **fields)
        row.cancelled_deliveries = count
        row.save(update_fields=["cancelled_deliveries"])
    scheduled.cancelled_at, scheduled.cancelled_by = row.cancelled_at, row.cancelled_by
    return count


def letter_test_languages(letter):
    """The languages a test of the letter may be sent in: those the missions it goes to
    read it in (their preferred languages), the letter's own first."""
    preferred = set(letter_recipients(letter).values_list("preferred_language", flat=True))
    if not letter.is_original:
        preferred &= {letter.language}
    return [letter.language, *sorted(preferred - {letter.language})]


def letter_send_test(*, letter, language, user):
    """Send the officer `user` the message a mission reading `language` would receive of
    the letter (the issued version in that language where there is one, else `letter`),
    marked as a test (`trial.send_test`: to the officer alone, in the request, not in the
    ledger). Raises DistributionRefused when the letter cannot be distributed. Returns the
    TrialOutcome."""
    distribution_check(letter)
    # The version a mission preferring `language` receives (as `version_for` chooses).
    version = issued_versions(letter).get(language, letter) if letter.is_original else letter
    return send_test(MessageContent.for_letter(version, language), user, language=language)


def notice_resend_check(notice):
    """Raise DistributionRefused unless the schedule notice can be sent again now: released
    (its time has come) and not cancelled."""
    if not notice.is_public:
        raise DistributionRefused(_("Schedule notice %(number)d has not been sent (it is "
                                    "scheduled or was cancelled): it cannot be sent again.")
                                  % {"number": notice.number})
    if not settings.EMAIL_CONFIGURED:
        raise DistributionRefused(_("E-mail is not configured: set EMAIL_URL "
                                    "(e.g. smtp://127.0.0.1:1025) before distributing."))


def delivery_resend(*, delivery, refused_only=False):
    """Queue one mission's delivery of a letter or a schedule notice again on request, and
    start it.

    Side effects: the delivery goes back to "queued", due now (same Message-ID); a
    `deliver_letter` (or `deliver_notice`) task is enqueued after commit. A full re-send
    (whatever the state) goes to all the mission's addresses again; with `refused_only`, a
    delivery not yet sent to every address goes to the addresses that did not take it.
    Returns False, changing nothing, while the delivery is being sent, when the mission is
    inactive, or (with `refused_only`) unless some but not all addresses took it. Raises
    DistributionRefused (nothing written) when the letter or notice cannot be sent, when
    the delivery was cancelled (distributing again sends it), or while it waits for a
    scheduled distribution's time (a re-send would send it before).
    """
    if delivery.letter_id:
        distribution_check(delivery.letter)
        pending = distribution_pending(delivery.letter)
        if pending is not None and delivery.state == Delivery.State.QUEUED:
            raise DistributionRefused(_(
                "This message is scheduled to go at %(when)s: it cannot be sent again "
                "before then (cancel the scheduled distribution to send it now).") % {
                "when": ny_when(pending.send_at)})
    else:
        notice_resend_check(delivery.notice)
    if delivery.state == Delivery.State.CANCELLED:
        raise DistributionRefused(_("This message was cancelled before it was sent: "
                                    "distributing it again sends it."))
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
            letter_id, notice_id = delivery.letter_id, delivery.notice_id
            transaction.on_commit(lambda: deliver_letter.enqueue(letter_id) if letter_id
                                  else deliver_notice.enqueue(notice_id))
    return bool(queued)
