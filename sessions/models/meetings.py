"""IGN meetings, and the record of every change of their time, room or status.

The changes themselves are made by the services in ``sessions/services.py``: ``save()`` is
plain, so a meeting saved here changes no revision and records nothing.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.timezones import NEW_YORK
from common.validators import validate_multi_line, validate_single_line

from .sessions import Room, Session


def meeting_label(number, starts_at):
    """"IGN meeting 2, 7 February 2017": a meeting by its number and its day in New York."""
    local = timezone.localtime(starts_at, NEW_YORK)
    return _("IGN meeting %(number)s, %(date)s") % {
        "number": number, "date": formats.date_format(local, "DATE_FORMAT")}


# The title of an IGN meeting as the Journal of the United Nations announces it, in each
# language (docs/languages.md, "Official terms", says where each comes from). Content, not
# an interface string: a new meeting gets all six (sessions.services.meeting_schedule, the
# admin's add form), and editors may change any of them.
DEFAULT_TITLES = {
    "en": "Informal meeting of the plenary on the intergovernmental negotiations on the "
          "question of equitable representation on and increase in the membership of the "
          "Security Council and other matters related to the Security Council",
    "fr": "Séance plénière informelle consacrée aux négociations intergouvernementales sur la "
          "question de la représentation équitable au Conseil de sécurité et de l’augmentation "
          "du nombre de ses membres et autres questions ayant trait au Conseil de sécurité",
    "es": "Sesión plenaria oficiosa sobre las negociaciones intergubernamentales relativas a la "
          "cuestión de la representación equitativa en el Consejo de Seguridad y del aumento "
          "del número de sus miembros y otros asuntos relacionados con el Consejo de Seguridad",
    "ru": "Неофициальное пленарное заседание, посвященное межправительственным переговорам по "
          "вопросу о справедливом представительстве в Совете Безопасности и расширении его "
          "членского состава и другим вопросам, связанным с Советом Безопасности",
    "zh_hans": "关于安全理事会席位公平分配和成员增加问题及与安全理事会有关的其他事项的政府间"
               "谈判的非正式全体会议",
    "ar": "جلسة عامة غير رسمية بشأن المفاوضات الحكومية الدولية المتعلقة بمسألة التمثيل العادل "
          "في مجلس الأمن وزيادة عدد أعضائه والمسائل الأخرى المتصلة بمجلس الأمن",
}


class MeetingQuerySet(models.QuerySet):
    def with_status(self, status, now=None):
        """The meetings whose status, as delegations read it, is `status` (see effective_status)."""
        ended = Q(status=Meeting.Status.SCHEDULED, ends_at__lt=now or timezone.now())
        if status == Meeting.Status.HELD:
            return self.filter(Q(status=status) | ended)
        if status == Meeting.Status.SCHEDULED:
            return self.filter(status=status).exclude(ended)
        return self.filter(status=status)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_related(self):
        return self.select_related("session", "room", "overflow_room").prefetch_related(
            "clusters")


class Meeting(models.Model):
    """A meeting of the IGN, in informal plenary of the General Assembly."""

    class Kind(models.TextChoices):
        INFORMAL_PLENARY = "informal_plenary", _("Informal meeting of the plenary")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("session")
    )
    number = models.PositiveSmallIntegerField(_("number in the session"))
    # Translated (sessions/translation.py); a new meeting's default is DEFAULT_TITLES.
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.INFORMAL_PLENARY)
    closed = models.BooleanField(_("closed meeting"), default=False, help_text=_(
        "Closed meetings are open to Member States and Observers only."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("room")
    )
    overflow_room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="overflow_meetings",
        verbose_name=_("overflow room"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SCHEDULED
    )
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True,
                                     validators=[validate_single_line])
    agenda = models.TextField(_("agenda"), blank=True, validators=[validate_multi_line])
    clusters = models.ManyToManyField(
        "clusters.Cluster", blank=True, related_name="meetings", verbose_name=_("clusters")
    )
    # Raised by the services on every change of time, room or status (iCalendar SEQUENCE).
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    # history: registered with the translated fields (sessions/translation.py).
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["ends_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="meeting_number_unique_in_session",
                violation_error_message=_("This session already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="meeting_number_positive",
                violation_error_message=_("Meetings are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "postponed", "cancelled", "held"]),
                name="meeting_status_known",
            ),
            models.CheckConstraint(
                # English is the language every other falls back to: it always says why.
                condition=Q(status__in=["scheduled", "held"]) | (
                    Q(status_reason_en__isnull=False) & ~Q(status_reason_en="")),
                name="meeting_reason_when_postponed_or_cancelled",
                violation_error_message=_("Say why the meeting is postponed or cancelled."),
            ),
            models.CheckConstraint(
                condition=Q(overflow_room__isnull=True) | ~Q(overflow_room=F("room")),
                name="meeting_overflow_room_differs",
                violation_error_message=_("The overflow room must differ from the room."),
            ),
        ]

    def __str__(self):
        return meeting_label(self.number, self.starts_at)

    def get_absolute_url(self):
        return reverse("sessions:meeting", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        for field in ("starts_at", "ends_at"):
            value = getattr(self, field)
            if value is not None and timezone.is_naive(value):
                errors[field] = _("Give the time with its zone (New York time).")
        if errors:
            raise ValidationError(errors)
        session = getattr(self, "session", None) if self.session_id else None
        if session and self.starts_at:
            local_day = timezone.localtime(self.starts_at, NEW_YORK).date()
            if not session.opens_on <= local_day <= session.closes_on:
                errors["starts_at"] = _(
                    "The meeting must fall within the session (%(opens)s to %(closes)s)."
                ) % {"opens": session.opens_on, "closes": session.closes_on}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, NEW_YORK)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, NEW_YORK)

    @property
    def is_called_off(self):
        return self.status in (self.Status.POSTPONED, self.Status.CANCELLED)

    @property
    def effective_status(self):
        """The status as delegations read it: a scheduled meeting whose end has passed was held.

        Derived from the clock rather than stored by a job, so it is right the moment the
        meeting ends; pages, calendars, feeds and the API show this, never ``status``.
        """
        if self.status == self.Status.SCHEDULED and self.ends_at < timezone.now():
            return self.Status.HELD
        return self.Status(self.status)

    def get_effective_status_display(self):
        return self.effective_status.label


class MeetingChange(models.Model):
    """One entry of a meeting's history: scheduled, moved, postponed, cancelled, restored.

    Besides what changed, the entry keeps what the meeting was once the change was made
    (its title, number, times, rooms and status), so the log reads as history: an entry is
    titled with the date the meeting had then, not the date it has now.
    """

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        MOVED = "moved", _("Moved")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        HELD = "held", _("Marked as held")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="changes", verbose_name=_("meeting")
    )
    revision = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind of change"), max_length=12, choices=Kind)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, db_index=True)
    # {"starts_at": [old, new], ...}: times as ISO 8601 in New York time, rooms by name;
    # empty when the meeting is scheduled.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True,
                              validators=[validate_single_line])
    # The meeting as it was once this change was made.
    number = models.PositiveSmallIntegerField(_("number in the session"))
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=120, validators=[validate_single_line])
    overflow_room = models.CharField(_("overflow room"), max_length=120, blank=True,
                                     validators=[validate_single_line])
    status = models.CharField(_("status"), max_length=10, choices=Meeting.Status)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "revision"], name="meetingchange_one_per_revision"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[
                    "scheduled", "moved", "postponed", "cancelled", "rescheduled", "held"]),
                name="meetingchange_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(kind="scheduled", revision=0) | (~Q(kind="scheduled") & Q(
                    revision__gte=1)),
                name="meetingchange_scheduled_is_revision_0",
            ),
        ]

    def __str__(self):
        return _("%(meeting)s, revision %(revision)s") % {
            "meeting": self.meeting_label, "revision": self.revision}

    def get_absolute_url(self):
        return reverse("sessions:meeting", kwargs={"pk": self.meeting_id}) + (
            f"#revision-{self.revision}")

    @property
    def meeting_label(self):
        """The meeting as it was then: "IGN meeting 2, 7 February 2017"."""
        return meeting_label(self.number, self.starts_at)
