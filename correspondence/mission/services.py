"""What focal points and their invitations change: invitations made and accepted, a
mission's addresses and language, and a message asked for again."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.models import Mission, MissionAddress

from ..distribution.services import DistributionRefused, delivery_resend
from ..models import Delivery, FocalPoint, FocalPointInvitation, ResendRequest
from ..tasks import send_focal_invitation

# The change reason each history record of a focal point's change carries.
CHANGED_BY_FOCAL_POINT = "Changed by a focal point of the mission"


class InvitationRefused(Exception):
    """The invitation cannot be made or accepted; the message is one line for the user."""


class ResendRefused(Exception):
    """The message cannot be asked for again now; the message is one line for the user.
    `limited` is True when a rate limit refused it (answered 429)."""

    def __init__(self, message, *, limited=False):
        super().__init__(message)
        self.limited = limited


def invitation_create(*, mission, email, by, language=None):
    """Invite `email` to become a focal point of `mission`.

    Side effects: a FocalPointInvitation, expiring after IGN_FOCAL_INVITATION_HOURS, in
    `language` (default the mission's preferred language); after commit, the task that
    sends it (`send_focal_invitation`, queue "distribution"). Raises InvitationRefused,
    writing nothing, for an inactive mission or an address that already has an account
    (a person keeps one account: they are invited with another address, or the
    Secretariat links their account in the admin).
    """
    if not mission.active:
        raise InvitationRefused(_("This mission is inactive: it has no focal points."))
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise InvitationRefused(_("An account with this address already exists."))
    now = timezone.now()
    invitation = FocalPointInvitation.objects.create(
        mission=mission, email=email, invited_by=by, created_at=now,
        language=language or mission.preferred_language,
        expires_at=now + timedelta(hours=settings.IGN_FOCAL_INVITATION_HOURS))
    transaction.on_commit(lambda: send_focal_invitation.enqueue(invitation.pk))
    return invitation


def invitation_resend(*, invitation):
    """Send a pending invitation again (same link rules: once, until it expires).

    Side effects: after commit, a `send_focal_invitation` task. Raises InvitationRefused
    when it can no longer be accepted."""
    refusal = invitation.refusal()
    if refusal:
        raise InvitationRefused(refusal)
    pk = invitation.pk
    transaction.on_commit(lambda: send_focal_invitation.enqueue(pk))


def invitation_accept(*, invitation, user):
    """Make `user` (just signed up) a focal point of the invitation's mission.

    Side effects, in the caller's transaction: the invitation marked accepted by `user`
    (one conditional UPDATE: a second acceptance, even a concurrent one, changes nothing
    and raises InvitationRefused); a FocalPoint; the user is never staff. Returns the
    FocalPoint.
    """
    now = timezone.now()
    accepted = FocalPointInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True,
        expires_at__gt=now, mission__active=True,
    ).update(accepted_at=now, accepted_by=user)
    if not accepted:
        invitation.refresh_from_db()
        raise InvitationRefused(invitation.refusal(now) or _("This invitation cannot be used."))
    if user.is_staff or user.is_superuser:
        get_user_model().objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
    return FocalPoint.objects.create(user=user, mission=invitation.mission,
                                     invitation=invitation, created_at=now)


def normalised_addresses(emails):
    """The addresses, stripped, without case-insensitive repeats, in their given order."""
    seen, kept = set(), []
    for email in emails:
        email = email.strip()
        if email and email.lower() not in seen:
            seen.add(email.lower())
            kept.append(email)
    return kept


def mission_details_change(*, mission, emails, language, by):
    """Set the mission's distribution addresses to `emails` and its preferred language.

    Side effects, in one transaction: addresses no longer listed are deleted, new ones
    created (an address whose only change is its case is updated); the preferred language
    saved if changed. Each change is a history record (django-simple-history) naming `by`
    with the reason CHANGED_BY_FOCAL_POINT, shown on the mission's history page in the admin.
    The next message takes the new addresses: the sender reads them when it claims a
    delivery. Returns {"added": [...], "removed": [...], "language": bool}.
    """
    emails = normalised_addresses(emails)
    wanted = {email.lower(): email for email in emails}
    added, removed = [], []
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        for address in MissionAddress.objects.filter(mission=mission).order_by("pk"):
            new = wanted.pop(address.email.lower(), None)
            _attribute(address, by)
            if new is None:
                removed.append(address.email)
                address.delete()
            elif new != address.email:
                address.email = new
                address.save(update_fields=["email"])
        for email in wanted.values():
            address = MissionAddress(mission=mission, email=email)
            _attribute(address, by)
            address.save()
            added.append(email)
        changed_language = mission.preferred_language != language
        if changed_language:
            mission.preferred_language = language
            _attribute(mission, by)
            mission.save(update_fields=["preferred_language"])
    return {"added": added, "removed": removed, "language": changed_language}


def _attribute(instance, by):
    instance._history_user = by
    instance._change_reason = CHANGED_BY_FOCAL_POINT


def mission_deliveries(mission):
    """Every letter and notice the mission was sent, newest first."""
    return (Delivery.objects.filter(mission=mission)
            .select_related("letter", "notice").order_by("-queued_at", "-pk"))


def mission_resend(*, delivery, by):
    """A focal point's "Ask for it again" (a letter or a schedule notice): the delivery is
    queued again at once, to the mission's addresses as they are now (`delivery_resend`,
    same Message-ID).

    Rate-limited in the database, so that every process counts the same requests: once per
    delivery per IGN_FOCAL_RESEND_INTERVAL_MINUTES, and IGN_FOCAL_RESENDS_PER_DAY per
    mission in 24 hours. Side effects: a ResendRequest row naming `by`; the delivery queued
    and its task enqueued after commit. Raises ResendRefused (nothing written) when a limit
    is reached (`limited`), while it is being sent, or when it cannot be sent (a notice not
    released or cancelled, an inactive mission, e-mail not configured).
    """
    now = timezone.now()
    with transaction.atomic():
        # The mission's row locked first (PostgreSQL), the request written before counting
        # (SQLite's lock is taken by the first write): two processes never both pass.
        Mission.objects.select_for_update().filter(pk=delivery.mission_id).first()
        request = ResendRequest.objects.create(delivery=delivery, mission_id=delivery.mission_id,
                                               by=by, at=now)
        interval = timedelta(minutes=settings.IGN_FOCAL_RESEND_INTERVAL_MINUTES)
        earlier = ResendRequest.objects.exclude(pk=request.pk)
        if earlier.filter(delivery=delivery, at__gt=now - interval).exists():
            raise ResendRefused(_(
                "This message was asked for again less than %(minutes)d minutes ago: wait "
                "for it to arrive.") % {"minutes": settings.IGN_FOCAL_RESEND_INTERVAL_MINUTES},
                limited=True)
        if earlier.filter(mission_id=delivery.mission_id,
                          at__gt=now - timedelta(days=1)).count() >= (
                settings.IGN_FOCAL_RESENDS_PER_DAY):
            raise ResendRefused(_(
                "Your mission has asked for %(count)d messages again in the last 24 hours, "
                "the most allowed: ask the Secretariat.") % {
                "count": settings.IGN_FOCAL_RESENDS_PER_DAY}, limited=True)
        try:
            queued = delivery_resend(delivery=delivery)
        except DistributionRefused as exc:
            raise ResendRefused(str(exc)) from exc
        if not queued:
            raise ResendRefused(_("This message is being sent now, or your mission no longer "
                                  "receives correspondence: nothing was queued."))
    return request

