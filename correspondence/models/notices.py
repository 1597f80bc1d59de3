"""Schedule notices: the meetings' changes since the last notice, as sent to the missions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line


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

    class Meta:
        ordering = ["-number"]
        verbose_name = _("schedule notice")
        verbose_name_plural = _("schedule notices")

    def __str__(self):
        return _("Schedule notice %(number)d") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("notices:detail", args=[self.number])


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
