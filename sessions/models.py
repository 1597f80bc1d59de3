"""The General Assembly session, the States and their missions, people and rooms."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


class RegionalGroup(models.TextChoices):
    AFRICAN = "AFRICAN", _("African States")
    ASIA_PACIFIC = "ASIA_PACIFIC", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "EASTERN_EUROPEAN", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "LATIN_AMERICAN_CARIBBEAN", _("Latin American and Caribbean States")
    WEOG = "WEOG", _("Western European and other States")


class State(models.Model):
    """A Member State of the United Nations or a non-member Observer State."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member State")
        OBSERVER = "observer", _("Non-member Observer State")

    code = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.MEMBER)
    regional_group = models.CharField(
        _("regional group"), max_length=30, choices=RegionalGroup, blank=True
    )
    admission_date = models.DateField(_("date of admission"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{3}$"),
                name="state_code_three_capitals",
                violation_error_message=_("The code is three capital letters (ISO 3166-1)."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["member", "observer"]), name="state_kind_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="member", regional_group__in=RegionalGroup.values)
                    | Q(kind="observer", regional_group="")
                ),
                name="state_regional_group_known",
                violation_error_message=_(
                    "A Member State belongs to one of the five regional groups; "
                    "an Observer State to none."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Mission(models.Model):
    """A Permanent Mission (or Permanent Observer Mission) in New York."""

    state = models.OneToOneField(
        State, on_delete=models.PROTECT, related_name="mission", verbose_name=_("State")
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    address = models.TextField(_("postal address"), blank=True)

    class Meta:
        ordering = ["state__name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self):
        return self.name


class MissionAddress(models.Model):
    """An e-mail address to which the mission receives official correspondence."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("mission")
    )
    email = models.EmailField(_("e-mail address"))

    class Meta:
        ordering = ["mission", "email"]
        verbose_name = _("distribution address")
        verbose_name_plural = _("distribution addresses")
        constraints = [
            models.UniqueConstraint(
                "mission", Lower("email"), name="missionaddress_unique_per_mission",
                violation_error_message=_("This mission already has this address."),
            ),
        ]

    def __str__(self):
        return self.email


class Person(models.Model):
    """Someone who presides, co-chairs or signs. One record, however letters print the name."""

    honorific = models.CharField(_("honorific"), max_length=40, blank=True, help_text=_(
        "As usually printed, e.g. “H.E. Mr.”."))
    given_name = models.CharField(_("given name(s)"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_(
        "E.g. “Permanent Representative of Romania to the United Nations”."))
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("State represented"),
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def display_name(self):
        return f"{self.honorific} {self.full_name}".strip()


class SessionQuerySet(models.QuerySet):
    def current(self, today=None):
        """The session whose dates include today, else the latest one."""
        today = today or timezone.localdate()
        return (
            self.filter(opens_on__lte=today, closes_on__gte=today).order_by("-number").first()
            or self.order_by("-number").first()
        )


class Session(models.Model):
    """A numbered session of the General Assembly (September to September)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    president = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="presidencies",
        verbose_name=_("President of the General Assembly"),
    )
    mandate = models.ForeignKey(
        "GADocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("mandate"), help_text=_(
            "The decision of the previous session that continues the negotiations."),
    )
    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("General Assembly session")
        verbose_name_plural = _("General Assembly sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="session_number_positive",
                violation_error_message=_("A session number is 1 or more."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gt=F("opens_on")), name="session_closes_after_opening",
                violation_error_message=_("The session must close after it opens."),
            ),
        ]

    def __str__(self):
        return _("%(ordinal)s session") % {"ordinal": self.ordinal}

    def get_absolute_url(self):
        return reverse("sessions:session", kwargs={"number": self.number})

    @property
    def ordinal(self):
        n = self.number
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"


class CoChairAppointment(models.Model):
    """The PGA's appointment of a Co-Chair of the IGN for one session."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="co_chairs", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="co_chairships", verbose_name=_("person")
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("Member State")
    )
    appointed_on = models.DateField(_("date of appointment"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["session", "order", "person__family_name"]
        verbose_name = _("Co-Chair appointment")
        verbose_name_plural = _("Co-Chair appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="cochair_once_per_session",
                violation_error_message=_("This person is already a Co-Chair in this session."),
            ),
        ]

    def __str__(self):
        return _("%(person)s, Co-Chair (%(session)s)") % {
            "person": self.person, "session": self.session}

    def clean(self):
        session = getattr(self, "session", None)
        if session and self.appointed_on and self.appointed_on > session.closes_on:
            raise ValidationError(
                {"appointed_on": _("The appointment must be made before the session closes.")}
            )


class Room(models.Model):
    """A conference room at Headquarters."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    building = models.CharField(_("building"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self):
        return self.name


class GADocument(models.Model):
    """A General Assembly document referred to: a decision, resolution or letter."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("decision")
        RESOLUTION = "resolution", _("resolution")
        DOCUMENT = "document", _("document")

    symbol = models.CharField(_("symbol"), max_length=60, unique=True, help_text=_(
        "E.g. 70/559 or A/71/L.1; a corrected text carries its suffix (Corr.1, Rev.1, Add.1)."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.DECISION)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["-date", "symbol"]
        verbose_name = _("General Assembly document")
        verbose_name_plural = _("General Assembly documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(symbol__regex=r"^[A-Z0-9][A-Za-z0-9./\- ]*$"),
                name="gadocument_symbol_form",
                violation_error_message=_("A symbol is made of letters, digits, “/”, “.” and “-”."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.symbol}".strip()


# The meetings live in their own module; importing them here registers them with the app.
from .meetings import Meeting, MeetingChange, MeetingQuerySet  # noqa: E402, F401
