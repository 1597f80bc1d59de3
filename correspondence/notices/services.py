"""Sending a schedule notice: freeze the pending lines, queue one delivery per recipient,
release it when its time comes; call it off before then; send a test to the officer.

The deliveries go through the same ledger, claims and tasks as letters
(`correspondence.distribution.sending`): exactly one per (notice, mission or subscriber),
resumable after a worker dies.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.timezones import ny_when
from sessions.models import Mission, MissionAddress, Session

from ..distribution.sending import deliveries_recover
from ..distribution.trial import TrialOutcome, send_test
from ..models import Delivery, NoticeLine, ScheduleNotice
from ..subscriptions.audience import active_subscriptions
from ..subscriptions.services import notice_subscribers_queue
from ..tasks import deliver_notice, schedule_follow_up
from .gathering import pending_notice
from .message import NoticeContent


class NoticeRefused(Exception):
    """The notice cannot be sent (or called off) now; the message is one line for the user."""


def notice_missions():
    """Every active mission, Member States' and Observers' alike: a change of an IGN meeting
    concerns every delegation that may attend it."""
    return Mission.objects.filter(active=True)


def recipient_languages(session=None):
    """The languages the notice's recipients read: the missions' preferred languages and the
    active subscribers' (of notices), sorted as settings.LANGUAGES lists them."""
    used = set(notice_missions().values_list("preferred_language", flat=True))
    used |= set(active_subscriptions().filter(wants_notices=True).values_list(
        "language", flat=True))
    return [code for code, _name in settings.LANGUAGES if code in used] or [
        settings.LANGUAGE_CODE]


def message_id_for(notice, mission):
    """<notice-<n>.<mission code>@domain>: the same for every attempt to this mission."""
    domain = Delivery.message_id_domain()
    return f"<notice-{notice.number}.{mission.state.code.lower()}@{domain}>"


def next_number():
    return (ScheduleNotice.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def send_check(send_at=None, *, now=None):
    """Raise NoticeRefused unless a notice can be sent (at `send_at`) now."""
    if not settings.EMAIL_CONFIGURED:
        raise NoticeRefused(_("E-mail is not configured: set EMAIL_URL "
                              "(e.g. smtp://127.0.0.1:1025) before sending a notice."))
    if send_at is not None and send_at <= (now or timezone.now()):
        raise NoticeRefused(_("The time to send at has passed: choose a later time, or send "
                              "now."))


@dataclass
class NoticeSent:
    notice: ScheduleNotice
    missions: int
    without_address: int
    subscribers: int


def notice_send(*, session, by, send_at=None, fingerprint=None):
    """Freeze the session's pending notice and queue it for every recipient.

    `send_at`: a later time (aware), or None for now. `fingerprint`: the pending notice's
    as the publisher reviewed it; when given and the pending notice differs now (a meeting
    edited meanwhile), nothing is sent.

    Side effects, in one transaction (the session's row locked, so two publishers at once
    send two notices, never the same changes twice): a ScheduleNotice numbered after the
    last, its lines; one Delivery per active mission (queued, due at `send_at`, or failed
    "no address") and per active subscriber of notices (`notice_subscriptions`); released
    at once when sent now. After commit, the delivery task is enqueued to run at `send_at`
    (`schedule_follow_up`). Returns a NoticeSent; raises NoticeRefused, writing nothing.
    """
    now = timezone.now()
    send_check(send_at, now=now)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        pending = pending_notice(session, now=now)
        if not pending.lines:
            raise NoticeRefused(_("No change is waiting to be announced."))
        if fingerprint is not None and fingerprint != pending.fingerprint:
            raise NoticeRefused(_("The changes differ from those you reviewed (a meeting was "
                                  "edited meanwhile): review them again."))
        waiting = ScheduleNotice.objects.filter(
            session=session, released_at__isnull=True, cancelled_at__isnull=True).first()
        if waiting is not None:
            # Sent now, the newer notice would be overtaken by the older one's later lines.
            raise NoticeRefused(_(
                "%(notice)s is scheduled for %(when)s: cancel it before sending another "
                "notice for this session.") % {"notice": waiting,
                                               "when": ny_when(waiting.send_at)})
        due = send_at or now
        notice = _numbered(session=session, created_by=by, send_at=due,
                           released_at=None if send_at else now)
        NoticeLine.objects.bulk_create([
            NoticeLine(notice=notice, meeting=line.meeting, revision=line.revision,
                       kind=line.kind, method=line.method, before=line.before, after=line.after)
            for line in pending.lines])
        with_address = set(MissionAddress.objects.values_list("mission_id", flat=True))
        deliveries = [
            Delivery(notice=notice, mission=mission, message_id=message_id_for(notice, mission),
                     queued_at=now, next_attempt_at=due,
                     state=Delivery.State.QUEUED if mission.pk in with_address
                     else Delivery.State.FAILED,
                     error="" if mission.pk in with_address else _("no address"))
            for mission in notice_missions().select_related("state")]
        Delivery.objects.bulk_create(deliveries)
        subscribers = notice_subscribers_queue(notice=notice, now=now, due=due)
        transaction.on_commit(lambda: _start(notice))
    return NoticeSent(notice=notice, missions=len(deliveries), subscribers=subscribers,
                      without_address=sum(1 for d in deliveries if d.state == "failed"))


def _numbered(**fields):
    """A new ScheduleNotice numbered after the last. The number is the portal's, the lock
    only the session's: a notice of another session taking the number first makes the
    insert fail (the unique number), and it is numbered again."""
    attempts = 0
    while True:
        try:
            with transaction.atomic():
                return ScheduleNotice.objects.create(number=next_number(), **fields)
        except IntegrityError:
            attempts += 1
            if attempts == 5:
                raise


def _start(notice):
    """The delivery task at the notice's time; one even when nothing is queued, so that the
    notice is released then."""
    if schedule_follow_up(notice_id=notice.pk) is None:
        deliver_notice.using(run_after=notice.send_at).enqueue(notice.pk)


def notice_cancel(*, notice, by):
    """Call off a notice scheduled for later, before its time.

    Side effects, in one transaction: the notice marked cancelled (who, when); its
    never-attempted deliveries CANCELLED, their error saying by whom and when. Its changes
    are then pending again (a cancelled notice announces nothing). Raises NoticeRefused when
    the notice was released, already cancelled, or its time has come.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = ScheduleNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.cancelled_at is not None:
            raise NoticeRefused(_("Schedule notice %(number)d was already cancelled.") % {
                "number": locked.number})
        if locked.released_at is not None or locked.send_at <= now:
            raise NoticeRefused(_("Schedule notice %(number)d has been sent: it can no longer "
                                  "be cancelled.") % {"number": locked.number})
        locked.cancelled_at, locked.cancelled_by = now, by
        locked.save(update_fields=["cancelled_at", "cancelled_by"])
        Delivery.objects.filter(notice=locked, state=Delivery.State.QUEUED).update(
            state=Delivery.State.CANCELLED, held="", updated_at=now,
            error=_("Cancelled by %(user)s at %(time)s") % {
                "user": by.get_username() if by else "-", "time": ny_when(now)})
    notice.cancelled_at, notice.cancelled_by = locked.cancelled_at, locked.cancelled_by
    return notice


def notice_test_send(*, session, user, language):
    """Send the session's pending notice, marked as a test, to `user`'s own address only
    (`correspondence.distribution.trial.send_test`: in the request, nothing written, no
    notice, no Delivery). Returns its TrialOutcome (`sent`, `text`)."""
    pending = pending_notice(session)
    if not pending.lines:
        return TrialOutcome(False, _("No change is waiting to be announced."))
    content = NoticeContent.build(number=next_number(), lines=pending.lines,
                                  stamp=timezone.now(), language=language)
    return send_test(content, user, language=language)


def notice_resume(*, notice, stuck_after=None):
    """Take up a notice's sending again (after a worker died, or a server was down).

    Side effects: its deliveries left in "sending" longer than `stuck_after` seconds (default
    IGN_DELIVERY_STUCK_SECONDS) queued again, due now, with the same Message-ID (the one
    re-send the ledger allows); its waiting deliveries made due now (not before the notice's
    time); a `deliver_notice` task enqueued after commit. Returns the number recovered.
    """
    now = timezone.now()
    with transaction.atomic():
        recovered = deliveries_recover(notice=notice, stuck_after=stuck_after)
        if notice.send_at <= now:
            Delivery.objects.filter(notice=notice, state=Delivery.State.QUEUED).update(
                next_attempt_at=now)
        transaction.on_commit(lambda: deliver_notice.enqueue(notice.pk))
    return recovered
