"""The Member States and Observer States, and their Permanent Missions in New York."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import validate_multi_line, validate_single_line


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

    code = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True,
                            validators=[validate_single_line])
    name = models.CharField(_("name"), max_length=120, unique=True,
                            validators=[validate_single_line])
    short_name = models.CharField(_("short name"), max_length=120,
                                  validators=[validate_single_line])
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
    name = models.CharField(_("name"), max_length=200, unique=True,
                            validators=[validate_single_line])
    address = models.TextField(_("postal address"), blank=True, validators=[validate_multi_line])
    active = models.BooleanField(_("active"), default=True, help_text=_(
        "An inactive mission receives no letter; it stays for the records that refer to it."))
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en",
        help_text=_("The official language in which the mission receives letters: the version "
                    "in that language when one is issued, else the original."))
    # Who changed the mission, when: the Secretariat in the admin, or its own focal points
    # (shown on the mission's history page in the admin, with its addresses' changes).
    history = HistoricalRecords()

    class Meta:
        ordering = ["state__name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_language__in=[code for code, _name in settings.LANGUAGES]),
                name="mission_preferred_language_known",
            ),
        ]

    def __str__(self):
        return self.name


class MissionAddress(models.Model):
    """An e-mail address to which the mission receives official correspondence."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("mission")
    )
    email = models.EmailField(_("e-mail address"), validators=[validate_single_line])
    history = HistoricalRecords()

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
