"""The General Assembly session, the people who preside, co-chair and sign, rooms, documents."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line

from .states import State


class Person(models.Model):
    """Someone who presides, co-chairs or signs. One record, however letters print the name."""

    honorific = models.CharField(_("honorific"), max_length=40, blank=True, help_text=_(
        "As usually printed, e.g. “H.E. Mr.”."), validators=[validate_single_line])
    given_name = models.CharField(_("given name(s)"), max_length=100,
                                  validators=[validate_single_line])
    family_name = models.CharField(_("family name"), max_length=100,
                                   validators=[validate_single_line])
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_(
        "E.g. “Permanent Representative of Romania to the United Nations”."),
        validators=[validate_single_line])
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
    # Content, in each language as UN documents write it ("seventy-first session",
    # "soixante et onzième session"...): no ordinal is made in code. The number is for URLs.
    title = models.CharField(_("title"), max_length=100, help_text=_(
        "As UN documents write it, e.g. “seventy-first session”."),
        validators=[validate_single_line])
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
    # history: registered with the translated fields (sessions/translation.py).
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
        return self.title

    def get_absolute_url(self):
        return reverse("sessions:session", kwargs={"number": self.number})


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

    name = models.CharField(_("name"), max_length=120, unique=True,
                            validators=[validate_single_line])
    building = models.CharField(_("building"), max_length=120, blank=True,
                                validators=[validate_single_line])

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
        "E.g. 70/559 or A/71/L.1; a corrected text carries its suffix (Corr.1, Rev.1, Add.1)."),
        validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.DECISION)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])

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
