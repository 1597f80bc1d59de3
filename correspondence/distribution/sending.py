"""Sending the queued deliveries of a letter or a schedule notice: claim a batch, send,
record each outcome.

Only a real send marks a delivery sent: a worker whose e-mail backend does not deliver
(console, file, locmem, dummy: `mailers.mailer_refusal`) claims nothing and leaves the due
deliveries queued, "held" with its reason, for a worker that can send them. A server that
takes the message for some of a mission's addresses and refuses the others leaves the
delivery "partly delivered", with each address's outcome; a re-send goes to the others.

Exactly once: each delivery is claimed by one conditional UPDATE (queued -> sending) that is
committed before the SMTP transaction starts, and marked sent right after it ends. A worker
that dies between the two leaves its delivery in "sending"; after IGN_DELIVERY_STUCK_SECONDS
it is queued again and sent with the same Message-ID, the one re-send the ledger allows.
"""

import logging
import os
import smtplib
import socket
import time
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.logs import log_once
from sessions.models import MissionAddress

from ..models import Delivery, Letter, ScheduleNotice
from ..notices.message import NoticeContent
from .mailers import mailer_refusal, mailer_send
from .message import (
    FAIL,
    RETRY_LATER,
    RETRY_RECIPIENT,
    MessageContent,
    answers,
    classify_failure,
    refusals_text,
)

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600
# Deliveries claimed per commit. A worker killed outright leaves at most this many in
# "sending" until IGN_DELIVERY_STUCK_SECONDS have passed; fewer claims are fewer round trips.
CLAIM_BATCH = 50


def subject_filter(*, letter_id=None, notice_id=None):
    """{"letter_id": ...} or {"notice_id": ...}: the deliveries of one letter or notice."""
    if (letter_id is None) == (notice_id is None):
        raise ValueError("Give a letter or a notice.")
    return {"letter_id": letter_id} if letter_id is not None else {"notice_id": notice_id}


def deliveries_recover(*, letter=None, notice=None, stuck_after=None, worker=None):
    """Queue again the deliveries left in "sending" longer than `stuck_after` seconds (of
    `letter` or `notice` only, by `worker` only, if given).

    Side effects: those deliveries go back to "queued", due now, with a note in `error`.
    Returns their number.
    """
    seconds = settings.IGN_DELIVERY_STUCK_SECONDS if stuck_after is None else stuck_after
    now = timezone.now()
    stuck = Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lte=now - timedelta(seconds=seconds))
    if letter is not None:
        stuck = stuck.filter(letter=letter)
    if notice is not None:
        stuck = stuck.filter(notice=notice)
    if worker is not None:
        stuck = stuck.filter(claimed_by=worker)
    recovered = stuck.update(
        state=Delivery.State.QUEUED, next_attempt_at=now, updated_at=now,
        error=_("An interrupted attempt was recovered; the message may arrive twice, "
                "with the same Message-ID."),
    )
    if recovered:
        logger.warning("Recovered %d deliveries stuck in sending", recovered)
    return recovered


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def deliveries_claim(*, letter_id=None, notice_id=None, worker, size=CLAIM_BATCH):
    """Take up to `size` due deliveries of a letter or a notice (queued -> sending),
    committed before any sending.

    Returns [(delivery, [addresses])]: the mission's addresses that have not taken the
    message yet (all of them, but after a partial delivery), or the subscriber's. On
    PostgreSQL rows another worker is claiming are skipped (SKIP LOCKED); everywhere the
    conditional UPDATE is what guarantees that only one worker wins a delivery. A batch
    costs one commit, not one per message; a worker killed mid-batch leaves the rest
    "sending" until recovered, and they are then sent once.
    """
    of = subject_filter(letter_id=letter_id, notice_id=notice_id)
    skip_locked = connection.features.has_select_for_update_skip_locked
    now = timezone.now()
    waiting = Delivery.objects.filter(**of, state=Delivery.State.QUEUED)
    # A mission marked inactive since it was queued receives nothing more: its waiting
    # deliveries are failed, with the reason, and never claimed.
    waiting.filter(mission__active=False).update(
        state=Delivery.State.FAILED, error=_("The mission was marked inactive."), held="",
        updated_at=now)
    # A subscriber who unsubscribed (or erased the subscription) since: nothing more either.
    waiting.filter(mission__isnull=True).filter(
        Q(subscription__isnull=True) | Q(subscription__unsubscribed_at__isnull=False)
        | Q(subscription__confirmed_at__isnull=True),
    ).update(state=Delivery.State.CANCELLED, held="", updated_at=now,
             error=_("The subscriber unsubscribed."))
    # Or no longer asks for this kind of message.
    waiting.filter(subscription__isnull=False).filter(
        Q(letter__isnull=False, subscription__wants_letters=False)
        | Q(notice__isnull=False, subscription__wants_notices=False),
    ).update(state=Delivery.State.CANCELLED, held="", updated_at=now,
             error=_("The subscriber no longer asks for these messages."))
    due = Delivery.objects.filter(**of, state=Delivery.State.QUEUED, next_attempt_at__lte=now,
                                  ).filter(Q(mission__active=True) | Q(mission__isnull=True)
                                           ).order_by("pk")
    # SQLite: no transaction around the read, so the write never needs a lock upgrade.
    # PostgreSQL locks the deliveries alone: the mission's side of the join may be null
    # (a subscriber's delivery), and FOR UPDATE refuses the nullable side of an outer join.
    locked = due.select_for_update(skip_locked=True, of=("self",)) if skip_locked else due
    with transaction.atomic() if skip_locked else nullcontext():
        candidates = list(locked.values_list("pk", flat=True)[:size])
        if not candidates:
            return []
        Delivery.objects.filter(pk__in=candidates, state=Delivery.State.QUEUED).update(
            state=Delivery.State.SENDING, claimed_at=now, claimed_by=worker, updated_at=now,
            attempts=F("attempts") + 1, held="",
        )
    # A worker name is unique to its process, which claims one batch at a time.
    won = list(Delivery.objects.filter(
        pk__in=candidates, state=Delivery.State.SENDING, claimed_by=worker, claimed_at=now,
    ).select_related("mission__state", "subscription").order_by("pk"))
    addresses = {}
    for mission_id, address in MissionAddress.objects.filter(
            mission_id__in=[d.mission_id for d in won if d.mission_id]).order_by().values_list(
            "mission_id", "email"):
        addresses.setdefault(mission_id, []).append(address)
    # A subscriber who erased their data between the claim and this read: nothing to send.
    erased = [d for d in won if d.mission_id is None and d.subscription_id is None]
    if erased:
        Delivery.objects.filter(pk__in=[d.pk for d in erased]).update(
            state=Delivery.State.CANCELLED, updated_at=now,
            error=_("The subscriber erased their data."))
        won = [d for d in won if d not in erased]
    for delivery in won:  # the mission's addresses now, whatever took the message before
        if delivery.mission_id:
            delivery.addresses_now = sorted(set(addresses.get(delivery.mission_id, [])))
        else:
            delivery.addresses_now = [delivery.subscription.email]
    return [(d, sorted(set(d.addresses_now) - set(d.accepted))) for d in won]


def deliveries_hold(*, letter_id=None, notice_id=None, reason):
    """Leave the letter's (or notice's) due deliveries queued, unsent, with the reason they
    were not sent.

    Side effects: each due queued delivery records `reason` in `held` and falls due again
    after IGN_DELIVERY_RETRY_SECONDS (so that the follow-up task lets a worker that can send
    take them); attempts are unchanged (none was made). Returns their number.
    """
    of = subject_filter(letter_id=letter_id, notice_id=notice_id)
    now = timezone.now()
    held = Delivery.objects.filter(
        **of, state=Delivery.State.QUEUED, next_attempt_at__lte=now,
    ).update(held=reason, updated_at=now,
             next_attempt_at=now + timedelta(seconds=settings.IGN_DELIVERY_RETRY_SECONDS))
    if held:
        logger.warning("Held %d deliveries of %s: %s", held, of, reason)
    return held


def deliveries_release(*, deliveries, worker, at=None):
    """Put claimed deliveries that were not tried back in the queue (due at `at`)."""
    now = timezone.now()
    return Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], state=Delivery.State.SENDING, claimed_by=worker,
    ).update(state=Delivery.State.QUEUED, next_attempt_at=at or now, updated_at=now,
             attempts=F("attempts") - 1)


def _backoff(attempts):
    return min(settings.IGN_DELIVERY_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
               MAX_BACKOFF_SECONDS)


def _record(delivery, outcome, text, recipients, *, took=(), refused=None):
    """Record an attempt: `took` the addresses that took the message, `refused` the others.

    A delivery that some addresses took, at this attempt or an earlier one, is never
    recorded failed: it is partly delivered, with each address's outcome.
    """
    now = timezone.now()
    accepted = [*delivery.accepted, *(a for a in took if a not in delivery.accepted)]
    fields = {"recipients": "; ".join(recipients), "updated_at": now, "accepted": accepted,
              "refused": refused or {}}
    if outcome == "sent":
        fields.update(state=Delivery.State.SENT, sent_at=now, error="", refused={})
    elif outcome == FAIL or delivery.attempts >= settings.IGN_DELIVERY_MAX_ATTEMPTS:
        if outcome != FAIL:
            text = _("Gave up after %(n)d attempts: %(error)s") % {
                "n": delivery.attempts, "error": text}
        if accepted:
            fields.update(state=Delivery.State.PARTIAL, error=text,
                          sent_at=now if took else delivery.sent_at or now)
        else:
            fields.update(state=Delivery.State.FAILED, error=text)
    else:
        fields.update(state=Delivery.State.QUEUED, error=text,
                      next_attempt_at=now + timedelta(seconds=_backoff(delivery.attempts)))
    _record_update(delivery, fields)
    return fields


def _record_update(delivery, fields):
    """Write the attempt's outcome, outlasting a database restart.

    The message has left: were the write lost, the delivery would stay "sending", be
    recovered and go out again. So a database error is tried again, on a fresh connection
    each second, while the claim holds (half IGN_DELIVERY_STUCK_SECONDS, as a batch); only
    then, or inside a transaction, is it raised.
    """
    give_up = time.monotonic() + settings.IGN_DELIVERY_STUCK_SECONDS / 2
    while True:
        try:
            if delivery.mission_id is None:
                # A subscriber erased meanwhile leaves no address in the ledger.
                written = Delivery.objects.filter(
                    pk=delivery.pk, subscription_id=delivery.subscription_id).update(**fields)
                if written:
                    return written
                address = delivery.subscription.email
                fields = {**fields, "recipients": "", "accepted": [], "refused": {},
                          "error": fields.get("error", "").replace(address, "…")}
            return Delivery.objects.filter(pk=delivery.pk).update(**fields)
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() >= give_up:
                raise
            log_once(logger, "record-delivery", "Recording delivery %s failed (the database); "
                     "trying again.", delivery.message_id)
            with suppress(OperationalError, InterfaceError):
                connection.close()
            time.sleep(1)


@dataclass
class RunReport:
    sent: int = 0
    partial: int = 0
    failed: int = 0
    retry: int = 0
    held: int = 0
    stopped: str = ""
    retry_at: object = None
    errors: list = field(default_factory=list)


def letter_send_queued(*, letter_id, worker=None, limit=None):
    """Send every due delivery of the letter, one SMTP connection for the run
    (`send_queued`)."""
    letter = Letter.objects.select_related("letterhead").get(pk=letter_id)
    return send_queued(
        of={"letter_id": letter_id}, worker=worker, limit=limit, recover={"letter": letter},
        content=lambda language, delivery: MessageContent.for_letter(
            letter, language, subscription=delivery.subscription))


def notice_send_queued(*, notice_id, worker=None, limit=None):
    """Send every due delivery of the schedule notice, one SMTP connection for the run
    (`send_queued`)."""
    notice = ScheduleNotice.objects.get(pk=notice_id)
    return send_queued(
        of={"notice_id": notice_id}, worker=worker, limit=limit, recover={"notice": notice},
        content=lambda language, delivery: NoticeContent.for_notice(
            notice, language, subscription=delivery.subscription))


def send_queued(*, of, content, recover, worker=None, limit=None):
    """Send every due delivery of a letter or a notice (`of`, a `subject_filter`), one SMTP
    connection for the run. `content(language, delivery)` builds the message of a language
    (called once per language of the recipients served); `recover`: the keyword that limits
    `deliveries_recover` to them.

    Side effects: deliveries claimed, sent through the default mailer and recorded sent,
    partly delivered (some addresses refused for good), failed (permanent 5xx answer, bad
    address, no address) or queued again with backoff (temporary failure); a temporary
    server failure ends the run. When the default mailer does not deliver (a development
    backend), nothing is claimed or sent: the due deliveries are held (`deliveries_hold`).
    Deliveries that remain queued for later are scheduled by the caller
    (`correspondence.tasks.deliver_letter` or `deliver_notice`, then `schedule_follow_up`).
    """
    worker = worker or worker_name()
    deliveries_recover(**recover)
    # This worker's own claims, from a run of it that a database failure broke off: a worker
    # runs one task at a time, so none of them is being sent now.
    deliveries_recover(**recover, worker=worker, stuck_after=0)
    report = RunReport()
    mailer = mailers.default
    refusal = mailer_refusal(mailer, worker=worker)
    if refusal:
        report.held = deliveries_hold(**of, reason=refusal)
        report.stopped = refusal
        return report
    # One message per language of the recipients served (the text in the recipient's
    # language, a letter's PDF the version's), each rendered and encoded once per run.
    contents = {}
    # A batch is never held longer than half the time after which it counts as stuck.
    hold = timedelta(seconds=settings.IGN_DELIVERY_STUCK_SECONDS / 2)
    try:
        while not report.stopped:
            batch = deliveries_claim(**of, worker=worker)
            if not batch:
                break
            for index, (delivery, addresses) in enumerate(batch):
                done = report.sent + report.partial + report.failed + report.retry
                if (limit is not None and done >= limit) or report.stopped or (
                        timezone.now() - delivery.claimed_at > hold):
                    deliveries_release(deliveries=[d for d, _a in batch[index:]],
                                       worker=worker, at=report.retry_at)
                    break
                language = (delivery.mission.preferred_language if delivery.mission_id
                            else delivery.subscription.language)
                # A subscriber's message is their own (its unsubscribe and manage links).
                key = (language, None if delivery.mission_id else delivery.subscription_id)
                if key not in contents:
                    contents[key] = content(language, delivery)
                _send_one(mailer, contents[key], delivery, addresses, report)
            done = report.sent + report.partial + report.failed + report.retry
            if limit is not None and done >= limit:
                break
    finally:
        with suppress(OSError, smtplib.SMTPException):
            mailer.close()
    if report.retry_at:
        # The server is down or busy: every due delivery waits as long.
        Delivery.objects.filter(
            **of, state=Delivery.State.QUEUED, next_attempt_at__lt=report.retry_at,
        ).update(next_attempt_at=report.retry_at)
    return report


def _send_one(mailer, content, delivery, addresses, report):
    if not addresses:
        now = getattr(delivery, "addresses_now", [])
        if delivery.accepted and now:  # every address the mission has took it before
            _record(delivery, "sent", "", [])
            report.sent += 1
        else:  # no address left: failed, or still partly delivered, refusals kept
            fields = _record(delivery, FAIL, _("no address"), [], refused=delivery.refused)
            if fields["state"] == Delivery.State.PARTIAL:
                report.partial += 1
            else:
                report.failed += 1
        return
    try:
        mailer.open()  # kept open: the send then leaves it open
        refused = mailer_send(mailer, content.message(delivery, addresses))
    except Exception as exc:
        outcome, text = classify_failure(exc)
        if outcome == FAIL and not isinstance(exc, smtplib.SMTPException | ValueError):
            logger.exception("Unexpected error sending %s", delivery.message_id)
        refused = (answers(exc.recipients) if isinstance(exc, smtplib.SMTPRecipientsRefused)
                   else None)
        fields = _record(delivery, outcome, text, addresses, refused=refused)
        report.errors.append(f"{_recipient(delivery)}: {text}")
        if fields["state"] == Delivery.State.FAILED:
            report.failed += 1
        elif fields["state"] == Delivery.State.PARTIAL:
            report.partial += 1
        else:
            report.retry += 1
        if outcome == RETRY_LATER:
            report.stopped = text
            report.retry_at = timezone.now() + timedelta(seconds=_backoff(delivery.attempts))
    else:
        if not refused:
            _record(delivery, "sent", "", addresses, took=addresses)
            report.sent += 1
            return
        # The server took it for some addresses and refused the others: those alone are
        # tried again, later, when every refusal was temporary.
        permanent = all(code >= 500 for code, _msg in refused.values())
        text = refusals_text(answers(refused))
        fields = _record(delivery, FAIL if permanent else RETRY_RECIPIENT, text, addresses,
                         took=[a for a in addresses if a not in refused],
                         refused=answers(refused))
        report.errors.append(f"{_recipient(delivery)}: {text}")
        if fields["state"] == Delivery.State.PARTIAL:
            report.partial += 1
        else:
            report.retry += 1


def _recipient(delivery):
    """The mission's code, or "subscriber <id>" (never a subscriber's address in a log)."""
    if delivery.mission_id:
        return delivery.mission.state.code
    return f"subscriber {delivery.subscription_id}"
