"""Schedule notices: the meetings' changes since the last notice, as sent to the missions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line


class ScheduleNoticeQuerySet(models.QuerySet):
    def released(self):
        """The notices the public sees: released (their time came) and never cancelled."""
        return self.filter(released_at__isnull=False, cancelled_at__isnull=True)

    def release_due(self, pk, now=None):
        """Release the notice `pk` if its time has come and it was not cancelled.

        Side effects: `released_at` saved through save(), so that the page cache is
        invalidated (common.content_version) and the notice's pages and the feed show it.
        Returns True when this call released it.
        """
        now = now or timezone.now()
        notice = self.filter(pk=pk, released_at__isnull=True, cancelled_at__isnull=True,
                             send_at__lte=now).first()
        if notice is None:
            return False
        notice.released_at = now
        notice.save(update_fields=["released_at"])
        return True


class ScheduleNotice(models.Model):
    """One notice of schedule changes: its lines are frozen when a publisher sends it.

    The changes not yet announced are gathered from the meetings themselves
    (`correspondence.notices.gathering`); a row exists once a publisher has sent (or
    scheduled) them. Public at /meetings/notices/<number>/ once its time has come.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    session = models.ForeignKey(
        "ign_sessions.Session", on_delete=models.PROTECT, related_name="notices",
        verbose_name=_("session"),
    )
    created_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("prepared by"),
    )
    # The time the deliveries fall due and the notice becomes public (the time of sending
    # when sent at once).
    send_at = models.DateTimeField(_("send at"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cancelled by"),
    )
    # Written once the notice's time has come (at once when sent now, else by the first
    # delivery task that runs then): the write is what makes its public pages show it.
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    objects = ScheduleNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("schedule notice")
        verbose_name_plural = _("schedule notices")
        permissions = [("publish_notice", _("Can send schedule notices to the missions"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="notice_released_or_cancelled",
            ),
        ]

    def __str__(self):
        return _("Schedule notice %(number)d") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("notices:detail", args=[self.number])

    @property
    def is_public(self):
        return self.released_at is not None and self.cancelled_at is None

    @property
    def is_cancellable(self):
        """Until its time comes, a notice scheduled for later may be called off."""
        return (self.cancelled_at is None and self.released_at is None
                and self.send_at > timezone.now())


class NoticeLine(models.Model):
    """One meeting's net change in a notice: as last announced (`before`, empty for a
    meeting announced for the first time) and as sent (`after`)."""

    class Method(models.TextChoices):
        # iTIP (RFC 5546): the calendar entry is added or updated, or removed.
        REQUEST = "REQUEST", _("Update")
        CANCEL = "CANCEL", _("Cancel")

    notice = models.ForeignKey(ScheduleNotice, on_delete=models.PROTECT, related_name="lines",
                               verbose_name=_("schedule notice"))
    meeting = models.ForeignKey("ign_sessions.Meeting", on_delete=models.PROTECT,
                                related_name="notice_lines", verbose_name=_("meeting"))
    # The meeting's revision as sent: the SEQUENCE of the notice's iCalendar entry.
    revision = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind of change"), max_length=20,
                            validators=[validate_single_line])
    method = models.CharField(_("iTIP method"), max_length=7, choices=Method)
    before = models.JSONField(_("as last announced"), default=dict, blank=True)
    after = models.JSONField(_("as sent"), default=dict)

    class Meta:
        ordering = ["notice", "pk"]
        verbose_name = _("notice line")
        verbose_name_plural = _("notice lines")
        constraints = [
            models.UniqueConstraint(fields=["notice", "meeting"],
                                    name="notice_line_once_per_meeting"),
            models.CheckConstraint(condition=Q(method__in=["REQUEST", "CANCEL"]),
                                   name="notice_line_method_known"),
        ]

    def __str__(self):
        return f"{self.notice} · {self.meeting}"
