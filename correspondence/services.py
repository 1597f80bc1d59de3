"""Writes on letters: issuing, correcting, and finding a letter back from its code or bytes."""

import hashlib
import re

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enclosure, Letter, Signatory, StoredFile, sender_snapshot
from .pdf import render_letter_pdf

# No 0/O, 1/I/L, U: a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def issue_problems(letter):
    """What prevents issuing the letter, as messages (empty when it can be issued)."""
    problems = []
    if not letter.is_draft:
        problems.append(_("This letter has already been issued."))
        return problems
    if letter.date is None:
        problems.append(_("The letter has no date."))
    if not letter.body.strip():
        problems.append(_("The letter's body is empty."))
    if not letter.signatories.exists():
        problems.append(_("The letter has no signatory."))
    for enclosure in letter.enclosures.select_related("enclosed_letter"):
        enclosed = enclosure.enclosed_letter
        if enclosed is not None and not enclosed.is_public:
            problems.append(_("Issue the enclosed letter “%(subject)s” first.") % {
                "subject": enclosed.subject})
    if letter.corrects_id and not letter.corrects.is_public:
        problems.append(_("The letter this corrects has not been issued."))
    return problems


def verification_code_for(letter):
    """A short code for the issued letter, derived from its slug and issue time.

    The code identifies the record (and is the same whenever the same letter is issued at
    the same time, so the PDF is reproducible); the SHA-256 of the bytes authenticates.
    """
    for salt in range(100):
        seed = f"{letter.slug}|{letter.issued_at.isoformat()}|{salt}".encode()
        digest = hashlib.sha256(seed).digest()
        chars = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:8])
        code = f"{chars[:4]}-{chars[4:]}"
        if not Letter.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("no free verification code")  # 30^8 codes: never in practice


def letter_issue(*, letter, by, at=None):
    """Issue a draft letter: it becomes a record that never changes.

    Side effects: freezes what the letter shows of its sender (`sender_snapshot` of its
    letterhead, read under a lock so that no edit slips between it and the PDF); renders the
    as-distributed PDF once (the letter and its enclosures), stores its bytes as a
    `StoredFile` (keyed by their SHA-256) that the letter points at; sets the verification
    code, the status, the issue time (`at`, default now) and who issued it (`by`, a user or
    None for the data loader). If the letter is a correction, the original and any earlier
    correction become superseded.
    Raises ValidationError listing every problem (no date, body or signatory; already
    issued; an enclosed letter still a draft).
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update(of=("self", "letterhead")).select_related(
            "letterhead", "corrects").get(pk=letter.pk)
        problems = issue_problems(letter)
        if problems:
            raise ValidationError(problems)
        for column, value in sender_snapshot(letter.letterhead).items():
            setattr(letter, column, value)
        letter.issued_at = (at or timezone.now()).replace(microsecond=0)
        letter.issued_by = by
        letter.verification_code = verification_code_for(letter)
        letter.pdf = StoredFile.objects.store(render_letter_pdf(letter))
        letter.status = Letter.Status.ISSUED
        letter.save()
        # Issued first, superseding after: the database lets a letter become superseded
        # only while a later issued correction of its chain exists.
        if letter.corrects_id:
            Letter.objects.filter(
                Q(pk=letter.corrects_id) | Q(corrects_id=letter.corrects_id),
                status=Letter.Status.ISSUED,
            ).exclude(pk=letter.pk).update(
                status=Letter.Status.SUPERSEDED, updated_at=timezone.now())
    return letter


def letter_correct(*, letter, by):
    """Start the correction of an issued letter: a new draft, numbered Corr.N.

    Side effects: creates a draft letter linked to the original (the first letter of the
    chain), copying the text, signatories, enclosures, recipients and references of `letter`
    (the latest text), dated today. The sender snapshot is not copied: like any draft, the
    correction shows the letterhead as it is now, frozen when it is issued. The original is
    superseded only when the correction is issued. When `by` is a user, the new draft's
    admin history records that they started it ("Started as Corr.N of …").
    Raises ValidationError if `letter` is a draft or a
    correction is already being prepared.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.is_draft:
            raise ValidationError(_("Only an issued letter can be corrected."))
        original = letter.corrects or letter
        pending = original.corrections.filter(status=Letter.Status.DRAFT).first()
        if pending is not None:
            raise ValidationError(_("A correction (%(slug)s) is already being prepared.") % {
                "slug": pending.slug})
        number = (original.corrections.aggregate(n=Max("correction_number"))["n"] or 0) + 1
        suffix = f"-corr{number}"
        slug = original.slug[:Letter._meta.get_field("slug").max_length - len(suffix)] + suffix
        if Letter.objects.filter(slug=slug).exists():
            raise ValidationError(_("The address %(slug)s is already taken by another letter.")
                                  % {"slug": slug})
        correction = Letter.objects.create(
            session=letter.session, letterhead=letter.letterhead,
            slug=slug, date=timezone.localdate(),
            place=letter.place, reference=original.reference,
            subject=f"{original.subject} (Corr.{number})"[:300],
            addressee=letter.addressee, audience=letter.audience,
            salutation=letter.salutation, body=letter.body,
            complimentary_close=letter.complimentary_close, language=letter.language,
            corrects=original, correction_number=number,
        )
        correction.recipients.set(letter.recipients.all())
        correction.clusters.set(letter.clusters.all())
        correction.meetings.set(letter.meetings.all())
        correction.documents.set(letter.documents.all())
        Signatory.objects.bulk_create([
            Signatory(letter=correction, position=s.position, person_id=s.person_id,
                      block=s.block)
            for s in letter.signatories.all()
        ])
        Enclosure.objects.bulk_create([
            Enclosure(letter=correction, position=e.position, title=e.title,
                      enclosed_letter_id=e.enclosed_letter_id, annex=e.annex.name)
            for e in letter.enclosures.all()
        ])
        if by is not None:
            LogEntry.objects.log_actions(
                by.pk, [correction], ADDITION, single_object=True,
                change_message=_("Started as Corr.%(number)d of “%(slug)s”.") % {
                    "number": number, "slug": original.slug})
    return correction


def normalise_code(text):
    """A code as typed (any case, spaces, with or without its dash) in its printed form."""
    chars = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else None


def letter_for_code(text):
    code = normalise_code(text)
    if code is None:
        return None
    return Letter.objects.public().select_related("letterhead").filter(
        verification_code=code).first()


def letter_for_pdf(uploaded):
    """The public letter whose stored PDF has exactly these bytes, or None."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return Letter.objects.public().select_related("letterhead").filter(
        pdf=digest.hexdigest()).first()

