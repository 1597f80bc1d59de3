"""Official letters: the sender's letterhead, the letter, its signatories and its enclosures."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CASCADE, ProtectedError, Q
from django.db.models.query import ModelIterable
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line

from ..dates import letter_date
from ..rendering import render_body, render_lines
from .stored import StoredFile, annex_storage


class LetterIsRecord(ValidationError):
    """Raised on any attempt to change an issued letter, its signatories or its enclosures."""

    def __init__(self, message=None):
        super().__init__(message or _(
            "This letter has been issued: it is a record and cannot be changed. "
            "Issue a correction instead."), code="letter_is_record")


class PaperSize(models.TextChoices):
    LETTER = "letter", _("US Letter (New York)")
    A4 = "a4", _("A4 (Geneva, Vienna)")


class ArtworkPlacement(models.TextChoices):
    EMBLEM = "emblem", _("Emblem, centred above the letterhead text")
    FULL = "full", _("Full-width letterhead image, in place of the text")


class Letterhead(models.Model):
    """A sending office and the letterhead printed at the top of its letters."""

    name = models.CharField(_("office"), max_length=200, unique=True, help_text=_(
        "E.g. “The President of the General Assembly”."), validators=[validate_single_line])
    heading = models.TextField(_("letterhead"), help_text=_(
        "The heading exactly as printed, one line per line."), validators=[validate_multi_line])
    place = models.CharField(_("place"), max_length=100, default="New York",
                             validators=[validate_single_line])
    paper_size = models.CharField(
        _("paper size"), max_length=10, choices=PaperSize, default=PaperSize.LETTER
    )
    # An emblem (the national arms, the United Nations emblem) or a whole letterhead image,
    # SVG or PNG, checked on upload (correspondence/artwork.py).
    artwork = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_column="artwork_sha256", verbose_name=_("artwork"),
    )
    artwork_placement = models.CharField(
        _("artwork placement"), max_length=10, choices=ArtworkPlacement,
        default=ArtworkPlacement.EMBLEM,
    )
    # Edits change drafts only (issued letters keep their snapshot, see Letter.sender); the
    # history says what the letterhead said when (registered with the translated name and
    # heading in correspondence/translation.py).

    class Meta:
        ordering = ["name"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.CheckConstraint(
                condition=Q(paper_size__in=PaperSize.values), name="letterhead_paper_known"
            ),
            models.CheckConstraint(
                condition=Q(artwork_placement__in=ArtworkPlacement.values),
                name="letterhead_artwork_placement_known",
            ),
        ]

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Sender:
    """What a letter shows of its sender: the letterhead as it was when the letter was
    issued (from the letter's snapshot columns), or as it is now for a draft."""

    name: str
    heading: str
    paper_size: str
    artwork: str = ""
    artwork_placement: str = ""

    @property
    def heading_text(self):
        """The heading on one line (the text of a letterhead image)."""
        return " ".join(line.strip() for line in self.heading.splitlines() if line.strip())

    @property
    def artwork_url(self):
        return reverse("correspondence:artwork", kwargs={"sha256": self.artwork}) \
            if self.artwork else ""


# The letter's snapshot columns and the Letterhead field each copies, filled at issue.
SENDER_SNAPSHOT = {
    "sender_name": "name",
    "sender_heading": "heading",
    "sender_paper_size": "paper_size",
    "sender_artwork_id": "artwork_id",
    "sender_artwork_placement": "artwork_placement",
}


# The letterhead's fields that are written in each language (translated content).
SENDER_TRANSLATED = ("name", "heading")


def letterhead_text(letterhead, field, language):
    """The letterhead's `field` as written in `language`: read under that language (a
    translated field then gives its text in it), else the English text."""
    with translation.override(language):
        value = getattr(letterhead, field)
    if not value:
        fallback = f"{field}_{settings.LANGUAGE_CODE.replace('-', '_')}"
        value = getattr(letterhead, fallback, "") or letterhead.__dict__.get(field) or ""
    return value


def sender_snapshot(letterhead, language=None):
    """{letter column: value} freezing what a letter in `language` shows of `letterhead`
    (SENDER_SNAPSHOT): its name and heading in that language, English where they have no
    text in it; no placement is kept without artwork."""
    language = language or settings.LANGUAGE_CODE
    values = {column: letterhead_text(letterhead, field, language)
              if field in SENDER_TRANSLATED else getattr(letterhead, field)
              for column, field in SENDER_SNAPSHOT.items()}
    if not values["sender_artwork_id"]:
        values["sender_artwork_placement"] = ""
    return values


class LetterQuerySet(models.QuerySet):
    def public(self):
        """What anyone may read: issued letters and the superseded originals of corrections."""
        return self.filter(status__in=[Letter.Status.ISSUED, Letter.Status.SUPERSEDED])

    def originals(self):
        """One row per letter: the original-language versions."""
        return self.filter(version_of__isnull=True)

    def issued(self):
        return self.filter(status=Letter.Status.ISSUED)

    def shown_in(self, language):
        """For each letter of these (originals), the row a page in `language` shows: its
        public version in that language where there is one, else the original (the choice
        of the letters list), in one query."""
        originals = self.values("pk")
        translated = Letter.objects.public().filter(
            version_of=models.OuterRef("pk"), language=language)
        return Letter.objects.public().filter(
            Q(version_of__in=originals, language=language)
            | Q(pk__in=originals) & ~models.Exists(translated))

    def drafts(self):
        return self.filter(status=Letter.Status.DRAFT)

    def with_enclosure_notices(self):
        """Letters that know, fetched in a few queries for all of them (not one per letter),
        which letters of their packets have been superseded (`superseded_enclosures`).

        Two flags on each row tell which packets may hold one (an enclosed letter superseded,
        or enclosing letters itself); when none does, that costs no query at all.
        """
        clone = self.annotate(
            packet_superseded=models.Exists(Enclosure.objects.filter(
                letter=models.OuterRef("pk"), enclosed_letter__status=Letter.Status.SUPERSEDED)),
            packet_nested=models.Exists(Enclosure.objects.filter(
                letter=models.OuterRef("pk"),
                enclosed_letter__enclosures__enclosed_letter__isnull=False)),
        )
        clone._enclosure_notices = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._enclosure_notices = getattr(self, "_enclosure_notices", False)
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        if (fetched and getattr(self, "_enclosure_notices", False) and self._result_cache
                and self._iterable_class is ModelIterable):
            from .packets import attach_enclosure_notices  # packets imports this module

            attach_enclosure_notices(self._result_cache)


class Letter(models.Model):
    """An official letter. Once issued it is a record: it never changes silently."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("All Permanent Representatives (Member States)")
        MEMBERS_AND_OBSERVERS = "members_observers", _(
            "All Permanent Representatives and Permanent Observers")
        NAMED = "named", _("The missions named on the letter")

    session = models.ForeignKey(
        "ign_sessions.Session", on_delete=models.PROTECT, related_name="letters",
        verbose_name=_("session"),
    )
    letterhead = models.ForeignKey(
        Letterhead, on_delete=models.PROTECT, related_name="letters", verbose_name=_("sender")
    )
    # The letterhead as issued (SENDER_SNAPSHOT), filled by `letter_issue`; empty on drafts.
    sender_name = models.CharField(_("sender as issued"), max_length=200, blank=True,
                                   editable=False, validators=[validate_single_line])
    sender_heading = models.TextField(_("letterhead as issued"), blank=True, editable=False,
                                      validators=[validate_multi_line])
    sender_paper_size = models.CharField(_("paper size as issued"), max_length=10, blank=True,
                                         editable=False, validators=[validate_single_line])
    # One address for every language version: unique per language, shared by a letter's
    # versions (copied from the original, see FROM_ORIGINAL).
    slug = models.SlugField(_("slug"), max_length=120, help_text=_(
        "The letter's address on the portal: /letters/<slug>/ (its language versions share "
        "it, under /fr/letters/<slug>/ and so on)."), validators=[validate_single_line])
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True,
                             validators=[validate_single_line])
    reference = models.CharField(_("reference or symbol"), max_length=80, blank=True,
                                 validators=[validate_single_line])
    subject = models.CharField(_("subject"), max_length=300, help_text=_(
        "A short line for listings, e.g. “Letter dated 12 January 2017 on the resumption of "
        "the intergovernmental negotiations”."), validators=[validate_single_line])
    addressee = models.TextField(_("addressee block"), help_text=_(
        "Exactly as printed, e.g. “To All Permanent Representatives to the United Nations” "
        "and “New York” on the next line."), validators=[validate_multi_line])
    audience = models.CharField(
        _("recipients"), max_length=20, choices=Audience, default=Audience.MEMBERS
    )
    recipients = models.ManyToManyField(
        "ign_sessions.Mission", blank=True, related_name="+", verbose_name=_("named missions"),
        through="LetterRecipient",
    )
    salutation = models.CharField(_("salutation"), max_length=100, default="Excellency,",
                                  validators=[validate_single_line])
    body = models.TextField(_("body"), blank=True, help_text=_(
        "Markdown: blank lines between paragraphs; *emphasis*, **bold**, lists."),
        validators=[validate_multi_line])
    complimentary_close = models.CharField(
        _("complimentary close"), max_length=300,
        default="Please accept, Excellency, the assurances of my highest consideration.",
        validators=[validate_single_line],
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # Every row is one language version; the original-language version has none here.
    version_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="translations",
        editable=False, verbose_name=_("language version of"),
    )
    clusters = models.ManyToManyField(
        "clusters.Cluster", blank=True, related_name="letters", verbose_name=_("clusters"),
        through="LetterCluster",
    )
    meetings = models.ManyToManyField(
        "ign_sessions.Meeting", blank=True, related_name="letters",
        verbose_name=_("meetings announced"), through="LetterMeeting",
    )
    documents = models.ManyToManyField(
        "ign_sessions.GADocument", blank=True, related_name="letters",
        verbose_name=_("documents referred to"), through="LetterDocument",
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_number = models.PositiveSmallIntegerField(
        _("correction number"), null=True, blank=True, editable=False
    )

    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("issued by"),
    )
    # The as-distributed PDF, rendered once when the letter is issued; the column holds its
    # SHA-256 (the stored file's key), so reading a letter never reads the bytes.
    pdf = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", db_column="pdf_sha256", verbose_name=_("PDF"),
    )
    verification_code = models.CharField(
        _("verification code"), max_length=20, null=True, blank=True, unique=True,
        editable=False, validators=[validate_single_line],
    )
    # The letterhead's artwork as issued (a stored file never changes), copied by
    # letter_issue: a later change of the letterhead leaves an issued letter as it was.
    sender_artwork = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", db_column="sender_artwork_sha256",
        verbose_name=_("artwork as issued"),
    )
    sender_artwork_placement = models.CharField(
        _("artwork placement as issued"), max_length=10, blank=True, editable=False,
        choices=ArtworkPlacement, validators=[validate_single_line],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        permissions = [
            ("issue_letter", _("Can issue letters and corrections")),
            ("distribute_letter", _("Can distribute letters to the missions")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "issued", "superseded"]),
                name="letter_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(
                    issued_at__isnull=False, date__isnull=False, pdf__isnull=False),
                name="letter_issued_has_record",
                violation_error_message=_(
                    "An issued letter has its date, its issue time and its PDF."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (
                    Q(verification_code__isnull=False) & ~Q(sender_name="")),
                name="letter_issued_has_snapshot",
                violation_error_message=_(
                    "An issued letter has its verification code and its sender as issued."),
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True, correction_number__isnull=True)
                | Q(corrects__isnull=False, correction_number__gte=1),
                name="letter_correction_numbered",
            ),
            # Corr.N is numbered per symbol: one Corr.N, in the language versions it has.
            models.UniqueConstraint(
                fields=["corrects", "correction_number", "language"],
                name="letter_correction_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="letter_language_known",
                violation_error_message=_("The letter's language is not an official language."),
            ),
            models.UniqueConstraint(
                fields=["slug", "language"], name="letter_slug_unique_per_language",
                violation_error_message=_("This address is already taken in this language."),
            ),
            models.UniqueConstraint(
                fields=["version_of", "language"], condition=Q(version_of__isnull=False),
                name="letter_one_version_per_language",
                violation_error_message=_("This letter already has a version in this language."),
            ),

            models.CheckConstraint(
                condition=Q(sender_artwork_placement="")
                | Q(sender_artwork_placement__in=ArtworkPlacement.values),
                name="letter_sender_artwork_placement_known",
            ),
        ]

    # What may differ between the stored row of an issued letter and a save of it: nothing
    # but the status (issued -> superseded, by issuing a correction) and `updated_at`.
    MUTABLE_WHEN_ISSUED = ("status", "updated_at")
    # What a language version shares with its original: copied on every save of a draft
    # version (one symbol, one address, one date, one sender, the same recipients).
    FROM_ORIGINAL = ("slug", "session_id", "letterhead_id", "audience", "date", "reference",
                     "corrects_id", "correction_number")

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        """Save a draft; refuse any change of an issued or superseded letter's content."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).first()
            if stored is not None and not stored.is_draft:
                self._refuse_changes_of(stored)
            elif stored is not None and self.status == self.Status.SUPERSEDED:
                raise LetterIsRecord(_(
                    "A draft is issued before anything can supersede it."))
        if self.version_of_id and self.is_draft:
            self._take_from_original()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The letter's page in the current language (`/fr/letters/<slug>/` on a page in
        French): its version in that language, or its original with a note where it has
        none. A link from a page stays in the page's language."""
        return reverse("correspondence:detail", kwargs={"slug": self.slug})

    def get_own_url(self):
        """The page of this version, under its own language's prefix (the list of language
        versions, a distribution's message, a feed's entry, the admin's "View on site")."""
        with translation.override(self.language):
            return reverse("correspondence:detail", kwargs={"slug": self.slug})

    def _take_from_original(self):
        original = type(self).objects.get(pk=self.version_of_id)
        if original.version_of_id:
            raise ValidationError(_("A language version is a version of the original, "
                                    "not of another version."), code="version_of_version")
        if original.language == self.language:
            raise ValidationError(_("A language version is in another language than its "
                                    "original."), code="version_same_language")
        for name in self.FROM_ORIGINAL:
            setattr(self, name, getattr(original, name))

    # --- language versions ----------------------------------------------------------
    @property
    def original(self):
        """The original-language version of this letter (itself when it is the original)."""
        return self.version_of if self.version_of_id else self

    @property
    def is_original(self):
        return self.version_of_id is None

    @cached_property
    def versions(self):
        """The public versions of this letter, the original included, in the order of
        settings.LANGUAGES."""
        original_id = self.version_of_id or self.pk
        rows = list(Letter.objects.public().filter(
            Q(pk=original_id) | Q(version_of_id=original_id)).select_related("letterhead"))
        order = [code for code, _name in settings.LANGUAGES]
        return sorted(rows, key=lambda row: order.index(row.language)
                      if row.language in order else len(order))

    def version_in(self, language):
        """This letter's public version in `language`, or None."""
        return next((row for row in self.versions if row.language == language), None)

    @property
    def other_versions(self):
        return [row for row in self.versions if row.pk != self.pk]

    @property
    def language_name(self):
        """The name of the letter's language in the current language ("French")."""
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def direction(self):
        """"rtl" for a letter in a language written right to left, else "ltr"."""
        return "rtl" if self.language in settings.LANGUAGES_BIDI else "ltr"

    @property
    def chain_id(self):
        """The first letter of this letter's chain of corrections: the original-language
        version of the letter every correction (and each of its versions) corrects."""
        return self.corrects_id or self.version_of_id or self.pk

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise LetterIsRecord()
        return super().delete(*args, **kwargs)

    def _refuse_changes_of(self, stored):
        for field in self._meta.concrete_fields:
            if field.name in self.MUTABLE_WHEN_ISSUED:
                continue
            if field.value_from_object(stored) != field.value_from_object(self):
                raise LetterIsRecord()
        if stored.status == self.status:
            return
        if (stored.status, self.status) != (self.Status.ISSUED, self.Status.SUPERSEDED) or (
                not stored.has_later_issued_correction):
            raise LetterIsRecord()

    @property
    def has_later_issued_correction(self):
        """Whether an issued correction of this letter's chain, in its language, comes after
        it: the only thing that may supersede it (the database triggers check the same)."""
        return Letter.objects.filter(
            corrects_id=self.chain_id, status=self.Status.ISSUED, language=self.language,
            correction_number__gt=self.correction_number or 0).exclude(pk=self.pk).exists()

    @property
    def sender(self):
        """The sender as the letter shows it (page, PDF, API, feed, e-mail): the snapshot
        taken at issue for an issued or superseded letter, the live letterhead for a draft."""
        if self.is_draft:
            source = sender_snapshot(self.letterhead, self.language)
        else:
            source = {column: getattr(self, column) for column in SENDER_SNAPSHOT}
        return Sender(
            name=source["sender_name"], heading=source["sender_heading"],
            paper_size=source["sender_paper_size"], artwork=source["sender_artwork_id"] or "",
            artwork_placement=source["sender_artwork_placement"],
        )

    def get_pdf_url(self):
        """The PDF of this version, under its own language's prefix."""
        with translation.override(self.language):
            return reverse("correspondence:pdf", kwargs={"slug": self.slug})

    @property
    def pdf_sha256(self):
        """The SHA-256 of the PDF as issued ("" for a draft), without reading its bytes."""
        return self.pdf_id or ""

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_public(self):
        return self.status in (self.Status.ISSUED, self.Status.SUPERSEDED)

    @property
    def body_html(self):
        return render_body(self.body, self.language)

    @property
    def addressee_html(self):
        return render_lines(self.addressee, self.language)

    @property
    def printed_reference(self):
        if self.correction_number:
            corr = f"Corr.{self.correction_number}"
            return f"{self.reference}/{corr}" if self.reference else corr
        return self.reference

    @property
    def bookmark_label(self):
        date = letter_date(self.date, self.language) if self.date else _("undated")
        return f"{self.sender.name}, {date}"

    @cached_property
    def superseded_enclosures(self):
        """The letters this letter's PDF prints after it (its enclosures, theirs, and so on)
        that a correction has superseded since, as `SupersededEnclosure`s, in the PDF's
        order; [] for most letters. Listing pages fetch it for every row at once
        (`Letter.objects.with_enclosure_notices()`)."""
        from .packets import attach_enclosure_notices  # packets imports this module

        attach_enclosure_notices([self])
        return self.__dict__["superseded_enclosures"]

    @property
    def current_correction(self):
        """The issued correction, in this letter's language, that supersedes it, if any."""
        return Letter.objects.filter(
            corrects_id=self.chain_id, status=self.Status.ISSUED, language=self.language,
        ).order_by("-correction_number").first()

    @property
    def correction_languages(self):
        """The languages of a correction's public versions, in LANGUAGES order: the versions
        of the letter it applies to ("French only"); a draft version is not named."""
        original_id = self.version_of_id or self.pk
        found = set(Letter.objects.public().filter(
            Q(pk=original_id) | Q(version_of_id=original_id)).values_list("language", flat=True))
        return [code for code, _name in settings.LANGUAGES if code in found]


def letter_is_locked(letter_id):
    """Whether the letter (by id) is issued or superseded, read from the database."""
    return Letter.objects.filter(pk=letter_id).exclude(status=Letter.Status.DRAFT).exists()


class LockedWithLetterMixin:
    """Signatories and enclosures of an issued letter are part of the record."""

    def save(self, *args, **kwargs):
        old_letter = None
        if self.pk:
            old_letter = type(self).objects.filter(pk=self.pk).values_list(
                "letter_id", flat=True).first()
        if letter_is_locked(self.letter_id) or (old_letter and letter_is_locked(old_letter)):
            raise LetterIsRecord()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if letter_is_locked(self.letter_id):
            raise LetterIsRecord()
        return super().delete(*args, **kwargs)


class Signatory(LockedWithLetterMixin, models.Model):
    """A signature on a letter: the person, and the block exactly as printed on this letter."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("letter")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    person = models.ForeignKey(
        "ign_sessions.Person", on_delete=models.PROTECT, related_name="signatures",
        verbose_name=_("person"),
    )
    block = models.TextField(_("signature block"), help_text=_(
        "Name, title and role as printed on this letter, one line per line."),
        validators=[validate_multi_line])
    # A scanned signature, printed above the block (SVG or PNG, checked on upload).
    signature = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_column="signature_sha256", verbose_name=_("signature image"),
    )

    class Meta:
        ordering = ["letter", "position"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "position"], name="signatory_position_unique",
                violation_error_message=_("Two signatories cannot share a place."),
            ),
        ]

    def __str__(self):
        return self.block.splitlines()[0] if self.block else str(self.person)


def annex_upload_to(instance, filename):
    return f"annexes/{instance.letter.slug}/{filename}"


class Enclosure(LockedWithLetterMixin, models.Model):
    """Something a letter encloses: another letter, or an uploaded PDF annex."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="enclosures", verbose_name=_("cover letter")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    enclosed_letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="enclosed_in",
        verbose_name=_("enclosed letter"),
    )
    annex = models.FileField(
        _("PDF annex"), upload_to=annex_upload_to, storage=annex_storage, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True,
                             validators=[validate_single_line])

    class Meta:
        ordering = ["letter", "position"]
        verbose_name = _("enclosure")
        verbose_name_plural = _("enclosures")
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "position"], name="enclosure_position_unique"
            ),
            models.CheckConstraint(
                condition=(Q(enclosed_letter__isnull=False) & Q(annex=""))
                | (Q(enclosed_letter__isnull=True) & ~Q(annex="")),
                name="enclosure_letter_or_annex",
                violation_error_message=_("An enclosure is either a letter or a PDF annex."),
            ),
            models.CheckConstraint(
                condition=~Q(enclosed_letter=models.F("letter")),
                name="enclosure_not_itself",
                violation_error_message=_("A letter cannot enclose itself."),
            ),
        ]

    def __str__(self):
        return self.title or str(self.enclosed_letter or self.annex.name)


def PROTECT_RECORDS(collector, field, sub_objs, using):
    """on_delete of what letters refer to (a meeting, cluster, document or named mission):
    refused with ProtectedError, which lists the letters, while an issued or superseded
    letter refers to it (the admin's delete page then names them); a draft's reference is
    deleted with it."""
    if hasattr(sub_objs, "values_list"):
        letter_ids = sub_objs.values_list("letter_id", flat=True)
    else:
        letter_ids = [row.letter_id for row in sub_objs]
    records = list(Letter.objects.filter(pk__in=letter_ids).exclude(status=Letter.Status.DRAFT))
    if records:
        raise ProtectedError(
            _("Cannot delete this %(model)s: issued letters refer to it, and they are "
              "records.") % {"model": field.remote_field.model._meta.verbose_name}, records)
    CASCADE(collector, field, sub_objs, using)


class LetterReference(LockedWithLetterMixin, models.Model):
    """A row of one of the letter's references (meetings, clusters, documents, named
    missions): part of the record once the letter is issued. The tables are the ones
    Django made for the plain many-to-many fields."""

    # The tables' own key (Django made them with an integer id).
    id = models.AutoField(primary_key=True, verbose_name="ID")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, verbose_name=_("letter"))
    target = None  # the name of the foreign key to what the letter refers to

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.letter} → {getattr(self, self.target)}"


class LetterRecipient(LetterReference):
    mission = models.ForeignKey(
        "ign_sessions.Mission", on_delete=PROTECT_RECORDS, verbose_name=_("mission"))
    target = "mission"

    class Meta:
        db_table = "correspondence_letter_recipients"
        unique_together = [("letter", "mission")]
        verbose_name = _("named mission of a letter")
        verbose_name_plural = _("named missions of letters")


class LetterCluster(LetterReference):
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=PROTECT_RECORDS, verbose_name=_("cluster"))
    target = "cluster"

    class Meta:
        db_table = "correspondence_letter_clusters"
        unique_together = [("letter", "cluster")]
        verbose_name = _("cluster of a letter")
        verbose_name_plural = _("clusters of letters")


class LetterMeeting(LetterReference):
    meeting = models.ForeignKey(
        "ign_sessions.Meeting", on_delete=PROTECT_RECORDS, verbose_name=_("meeting"))
    target = "meeting"

    class Meta:
        db_table = "correspondence_letter_meetings"
        unique_together = [("letter", "meeting")]
        verbose_name = _("meeting announced by a letter")
        verbose_name_plural = _("meetings announced by letters")


class LetterDocument(LetterReference):
    document = models.ForeignKey(
        "ign_sessions.GADocument", on_delete=PROTECT_RECORDS, db_column="gadocument_id",
        verbose_name=_("document"))
    target = "document"

    class Meta:
        db_table = "correspondence_letter_documents"
        unique_together = [("letter", "document")]
        verbose_name = _("document referred to by a letter")
        verbose_name_plural = _("documents referred to by letters")


LETTER_REFERENCES = (LetterRecipient, LetterCluster, LetterMeeting, LetterDocument)


@receiver(pre_delete, sender=Letter)
@receiver(pre_delete, sender=Signatory)
@receiver(pre_delete, sender=Enclosure)
@receiver(pre_delete, sender=LetterRecipient)
@receiver(pre_delete, sender=LetterCluster)
@receiver(pre_delete, sender=LetterMeeting)
@receiver(pre_delete, sender=LetterDocument)
def refuse_deleting_records(sender, instance, **kwargs):
    """Also stops QuerySet.delete() (the admin's bulk action), which skips Model.delete()."""
    letter_id = instance.pk if sender is Letter else instance.letter_id
    if letter_is_locked(letter_id):
        raise LetterIsRecord()


@receiver(pre_save, sender="clusters.Cluster")
def refuse_renaming_a_cluster_of_records(sender, instance, **kwargs):
    """Issued letters name their clusters by slug (the API): a cluster they refer to keeps it.
    (The admin shows a cluster's slug read-only once it exists.)"""
    if instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if stored is not None and stored != instance.slug and LetterCluster.objects.filter(
            cluster_id=instance.pk).exclude(letter__status=Letter.Status.DRAFT).exists():
        raise LetterIsRecord(_(
            "Issued letters refer to this cluster by its address (%(slug)s): it cannot "
            "change.") % {"slug": stored})


@receiver(m2m_changed, sender=LetterRecipient)
@receiver(m2m_changed, sender=LetterCluster)
@receiver(m2m_changed, sender=LetterMeeting)
@receiver(m2m_changed, sender=LetterDocument)
def refuse_changing_references(sender, instance, action, reverse, pk_set, **kwargs):
    """Whom an issued letter goes to, and the meetings, clusters and documents it refers to,
    are part of the record: no addition, removal or clearing, from either side (e.g.
    `meeting.letters.remove(letter)`). The database triggers refuse the same."""
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse:
        letter_ids = [instance.pk]
    elif action == "pre_clear":
        letter_ids = sender.objects.filter(**{sender.target: instance}).values_list(
            "letter_id", flat=True)
    else:
        letter_ids = pk_set or []
    if Letter.objects.filter(pk__in=letter_ids).exclude(status=Letter.Status.DRAFT).exists():
        raise LetterIsRecord()
