"""Writes on letters: issuing, correcting, and finding a letter back from its code or bytes."""

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.validators import one_line, text_problems

from .glyphs import uncovered_problem
from .models import Enclosure, Letter, Signatory, StoredFile, sender_snapshot
from .models.letters import SENDER_SNAPSHOT, SENDER_TRANSLATED
from .pdf import UnreadableAnnex, document_html, render_letter_pdf
from .rendering import body_problems

# No 0/O, 1/I/L, U: a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def issue_problems(letter):
    """What prevents issuing the letter, as messages (empty when it can be issued)."""
    problems = []
    if not letter.is_draft:
        problems.append(_("This letter has already been issued."))
        return problems
    problems += version_problems(letter)
    if letter.date is None:
        problems.append(_("The letter has no date."))
    if not letter.body.strip() and letter.is_original:
        problems.append(_("The letter's body is empty."))
    problems += body_problems(letter.body)
    if not letter.signatories.exists():
        problems.append(_("The letter has no signatory."))
    for enclosure in letter.enclosures.select_related("enclosed_letter"):
        enclosed = enclosure.enclosed_letter
        if enclosed is not None and not enclosed.is_public:
            problems.append(_("Issue the enclosed letter “%(subject)s” first.") % {
                "subject": enclosed.subject})
        elif enclosed is not None and enclosed.status == Letter.Status.SUPERSEDED:
            correction = enclosed.current_correction
            problems.append(_(
                "The enclosed letter “%(subject)s” has been superseded by a correction: "
                "enclose %(correction)s instead.") % {
                "subject": enclosed.subject,
                "correction": correction.printed_reference or correction.subject
                if correction else _("its correction")})
    if letter.corrects_id and not letter.corrects.is_public:
        problems.append(_("The letter this corrects has not been issued."))
    # Text saved without a form (the shell, an import) is checked here: a subject with a
    # line break would make every delivery's e-mail fail.
    problems += text_problems(letter) + text_problems(letter.letterhead)
    for part in (*letter.signatories.all(), *letter.enclosures.all()):
        problems += [f"{capfirst(part._meta.verbose_name)} {part.position}: {problem}"
                     for problem in text_problems(part)]
    missing = glyph_problem(letter)
    if missing:
        problems.append(missing)
    return problems


def language_label(code):
    """The language's name in the current language ("French")."""
    return str(dict(settings.LANGUAGES).get(code, code))


def version_problems(letter):
    """What prevents issuing a language version: an unknown language, an original not yet
    issued, or no text of its own."""
    problems = []
    if letter.language not in dict(settings.LANGUAGES):
        problems.append(_("“%(code)s” is not one of the official languages.") % {
            "code": letter.language})
    if letter.is_original:
        return problems
    original = letter.version_of
    language = language_label(letter.language)
    if not original.is_public:
        problems.append(_("Issue the original (%(language)s) before its language versions.")
                        % {"language": language_label(original.language)})
    if not letter.body.strip():
        problems.append(_("The %(language)s version has no text: write its body before "
                          "issuing it.") % {"language": language})
    elif letter.body.strip() == original.body.strip():
        problems.append(_("The %(language)s version's body is still the original's text: "
                          "write it in %(language)s before issuing it.") % {
            "language": language})
    if letter.subject.strip() == original.subject.strip():
        problems.append(_("The %(language)s version's subject is still the original's text: "
                          "write it in %(language)s before issuing it.") % {
            "language": language})
    later = (Letter.objects.filter(
        corrects_id=letter.chain_id, status=Letter.Status.ISSUED, language=letter.language,
        correction_number__gt=letter.correction_number or 0).order_by("-correction_number")
        .first())
    if later is not None:
        # Issued now, it would be current beside the correction that corrects its text: a
        # page, a feed and a distribution would offer uncorrected text as the letter.
        problems.append(_(
            "A correction in %(language)s has been issued since: this version would not be "
            "current; the current %(language)s text is %(correction)s.") % {
            "language": language,
            "correction": later.printed_reference or later.subject})
    return problems


def glyph_problem(letter):
    """The message naming the letter's characters that no bundled font has ("" if none).

    Read from everything the PDF prints (the document's HTML: text, metadata, bookmarks),
    the place and the titles its annexes' bookmarks carry.
    """
    with translation.override(letter.language):
        return uncovered_problem(document_html(letter), letter.place, *(
            enclosure.title for enclosure in letter.enclosures.all()))


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
    letterhead: name, heading, paper, artwork and its placement, read under a lock so that
    no edit slips between it and the PDF); renders the as-distributed PDF once (the letter
    and its enclosures), stores its bytes as a `StoredFile` (keyed by their SHA-256) that
    the letter points at; sets the verification code, the status, the issue time (`at`,
    default now) and who issued it (`by`, a user or None for the data loader). If the letter
    is a correction, the original and any earlier correction become superseded.
    Raises ValidationError listing every problem (no date, body or signatory; already
    issued; an enclosed letter still a draft; an annex that cannot be read; a line break
    in a one-line field or a control character in a text; characters that no bundled font
    has).
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update(of=("self", "letterhead")).select_related(
            "letterhead", "corrects", "version_of").get(pk=letter.pk)
        if letter.version_of_id and letter.is_draft:
            letter._take_from_original()  # the original's date, sender, symbol as they are now
            refresh_enclosed_versions(letter)
        problems = issue_problems(letter)
        if problems:
            raise ValidationError(problems)
        snapshot = (version_sender_snapshot(letter) if letter.version_of_id
                    else sender_snapshot(letter.letterhead, letter.language))
        for column, value in snapshot.items():
            setattr(letter, column, value)
        letter.issued_at = (at or timezone.now()).replace(microsecond=0)
        letter.issued_by = by
        letter.verification_code = verification_code_for(letter)
        try:
            letter.pdf = StoredFile.objects.store(render_letter_pdf(letter))
        except UnreadableAnnex as exc:
            raise ValidationError([str(exc)]) from exc
        letter.status = Letter.Status.ISSUED
        letter.save()
        # Issued first, superseding after: the database lets a letter become superseded
        # only while a later issued correction of its chain, in its language, exists.
        if letter.corrects_id:
            chain_in_language(letter.corrects_id, letter.language).filter(
                Q(correction_number__isnull=True)
                | Q(correction_number__lt=letter.correction_number),
                status=Letter.Status.ISSUED,
            ).exclude(pk=letter.pk).update(
                status=Letter.Status.SUPERSEDED, updated_at=timezone.now())
    return letter


def refresh_enclosed_versions(letter):
    """Point each enclosure of a draft version at the letter it encloses as it is now: the
    enclosed letter's public version in the cover's language where one exists, else its
    original. A version's enclosures are chosen when it is started; an enclosure's version
    issued since then is enclosed, and a draft one that was never issued is not."""
    for enclosure in letter.enclosures.select_related("enclosed_letter__version_of"):
        enclosed = enclosure.enclosed_letter
        if enclosed is None:
            continue
        original = enclosed.original
        now = original.version_in(letter.language) or original
        if now.pk != enclosed.pk:
            enclosure.enclosed_letter = now
            enclosure.save(update_fields=["enclosed_letter"])


def column_in(field, language):
    """The column holding a translated field's text in `language` ("name_zh_hans")."""
    return f"{field}_{language.replace('-', '_')}"


def version_sender_snapshot(letter):
    """The sender snapshot of a language version: the original's sender as it was issued.

    Paper size, artwork and placement are the original's snapshot. The name and heading are
    the letterhead's text in the version's language in the latest record of its history
    made by the time the original was issued (within the second: `issued_at` keeps whole
    seconds) that names the sender as the original's snapshot does; the letterhead's text in
    that language now only where that record has none (or the history holds no record of
    that time), and the original's text where neither has any. Raises ValidationError
    when the history holds records of that time but none names the original's sender (the
    version would name another sender than its original)."""
    original = letter.version_of
    values = {column: getattr(original, column) for column in SENDER_SNAPSHOT}
    translated = [(column, field) for column, field in SENDER_SNAPSHOT.items()
                  if field in SENDER_TRANSLATED]

    def as_issued(record, column, field):
        return (getattr(record, column_in(field, original.language), "")
                or getattr(record, column_in(field, settings.LANGUAGE_CODE), ""))

    records = list(letter.letterhead.history.filter(
        history_date__lt=original.issued_at + dt.timedelta(seconds=1))
        .order_by("-history_date", "-history_id")[:50])
    then = next((record for record in records
                 if all(as_issued(record, column, field) == getattr(original, column)
                        for column, field in translated)), None)
    if records and then is None:
        raise ValidationError([_(
            "The letterhead's history does not give the sender as the original was issued: "
            "the %(language)s version cannot name the same sender.") % {
            "language": language_label(letter.language)}])
    for column, field in translated:
        own = column_in(field, letter.language)
        values[column] = (getattr(then, own, "") or getattr(letter.letterhead, own, "")
                          or getattr(original, column))
    return values


def chain_in_language(chain_id, language):
    """The rows of a chain of corrections in one language: the letter's version in it, and
    each correction's."""
    return Letter.objects.filter(
        Q(pk=chain_id) | Q(version_of_id=chain_id) | Q(corrects_id=chain_id), language=language)


def _copy_references(source, draft):
    """Give a new draft (a correction, a language version) the named missions, clusters,
    meetings, documents and signatories of the letter it starts from."""
    draft.recipients.set(source.recipients.all())
    draft.clusters.set(source.clusters.all())
    draft.meetings.set(source.meetings.all())
    draft.documents.set(source.documents.all())
    Signatory.objects.bulk_create([
        Signatory(letter=draft, position=s.position, person_id=s.person_id, block=s.block,
                  signature_id=s.signature_id)
        for s in source.signatories.all()
    ])


def letter_correct(*, letter, by):
    """Start the correction of an issued letter: a new draft, numbered Corr.N.

    Side effects: creates a draft letter linked to the original (the first letter of the
    chain), copying the text, signatories, enclosures, recipients and references of `letter`
    (the latest text), dated today; a one-line field copied from a letter issued before line
    breaks were refused (subject, place, reference, salutation, close, enclosure titles)
    has each line break made a space. The sender snapshot is not copied: like any draft,
    the correction shows the letterhead as it is now, frozen when it is issued. The original
    is superseded only when the correction is issued. When `by` is a user, the new draft's
    admin history records that they started it ("Started as Corr.N of …").
    Raises ValidationError if `letter` is a draft or a
    correction is already being prepared.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.is_draft:
            raise ValidationError(_("Only an issued letter can be corrected."))
        original = Letter.objects.get(pk=letter.chain_id)
        pending = original.corrections.filter(status=Letter.Status.DRAFT).first()
        if pending is not None:
            raise ValidationError(_("A correction (%(slug)s) is already being prepared.") % {
                "slug": pending.slug})
        number = (original.corrections.aggregate(n=Max("correction_number"))["n"] or 0) + 1
        suffix = f"-corr{number}"
        slug = original.slug[:Letter._meta.get_field("slug").max_length - len(suffix)] + suffix
        # The subject in the letter's language: that of the first letter's version in it.
        base = (chain_in_language(original.pk, letter.language).filter(corrects__isnull=True)
                .first() or original)
        if Letter.objects.filter(slug=slug).exists():
            raise ValidationError(_("The address %(slug)s is already taken by another letter.")
                                  % {"slug": slug})
        correction = Letter.objects.create(
            session=letter.session, letterhead=letter.letterhead,
            slug=slug, date=timezone.localdate(),
            place=one_line(letter.place), reference=one_line(original.reference),
            subject=f"{one_line(base.subject)} (Corr.{number})"[:300],
            addressee=letter.addressee, audience=letter.audience,
            salutation=one_line(letter.salutation), body=letter.body,
            complimentary_close=one_line(letter.complimentary_close), language=letter.language,
            corrects=original, correction_number=number,
        )
        _copy_references(letter, correction)
        Enclosure.objects.bulk_create([
            Enclosure(letter=correction, position=e.position, title=one_line(e.title),
                      enclosed_letter_id=e.enclosed_letter_id, annex=e.annex.name)
            for e in letter.enclosures.all()
        ])
        if by is not None:
            LogEntry.objects.log_actions(
                by.pk, [correction], ADDITION, single_object=True,
                change_message=_("Started as Corr.%(number)d of “%(slug)s”.") % {
                    "number": number, "slug": original.slug})
    return correction


def add_version_problems(letter, language):
    """What prevents adding a version of `letter` in `language`, as messages."""
    original = letter.original
    if language not in dict(settings.LANGUAGES):
        return [_("“%(code)s” is not one of the official languages.") % {"code": language}]
    if language == original.language:
        return [_("The original is in %(language)s already.") % {
            "language": language_label(language)}]
    existing = original.translations.filter(language=language).first()
    if existing is not None:
        return [_("This letter already has a %(language)s version (%(status)s).") % {
            "language": language_label(language), "status": existing.get_status_display()}]
    return []


def enclosed_version(enclosed, language):
    """What a cover letter in `language` encloses in place of `enclosed`: the enclosed
    letter's version in that language where one exists (issued or not), else `enclosed`."""
    if enclosed is None or enclosed.language == language:
        return enclosed
    original = enclosed.original
    if original.language == language:
        return original
    return original.translations.filter(language=language).first() or enclosed


def letter_add_version(*, letter, language, by):
    """Start a language version of a letter: a draft in `language`, to be translated.

    Side effects: creates a draft that is a version of the letter's original (one symbol,
    one address: it shares the original's slug, session, sender, recipients, date and
    reference, see `Letter.FROM_ORIGINAL`), copying the original's subject, addressee,
    salutation, close, references, signatories and enclosures for the translator to
    translate; its body starts empty (a version is issued only with its own text). Each
    enclosed letter is replaced by its version in `language` where one exists, else kept
    (the page and the PDF then say in which language it is enclosed). When `by` is a user,
    the draft's admin history records it. Raises ValidationError if the language is not an
    official one, is the original's, or the letter already has a version in it.
    """
    with transaction.atomic():
        original = Letter.objects.select_for_update().get(pk=letter.original.pk)
        problems = add_version_problems(original, language)
        if problems:
            raise ValidationError(problems)
        version = Letter(
            version_of=original, language=language, subject=original.subject,
            place=original.place, addressee=original.addressee,
            salutation=original.salutation, body="",
            complimentary_close=original.complimentary_close,
        )
        version.save()  # takes the shared fields from the original
        _copy_references(original, version)
        Enclosure.objects.bulk_create([
            Enclosure(letter=version, position=e.position, title=e.title,
                      enclosed_letter=enclosed_version(e.enclosed_letter, language),
                      annex=e.annex.name)
            for e in original.enclosures.select_related("enclosed_letter__version_of")
        ])
        if by is not None:
            LogEntry.objects.log_actions(
                by.pk, [version], ADDITION, single_object=True,
                change_message=_("Started as the %(language)s version of “%(slug)s”.") % {
                    "language": language_label(language), "slug": original.slug})
    return version


def packet_replacements(letter):
    """[(enclosure, correction)]: each letter that `letter` itself encloses and that has been
    superseded since, with the correction now current, which a corrected packet encloses
    instead."""
    current = {notice.letter.pk: notice.correction for notice in letter.superseded_enclosures
               if notice.within is None and notice.correction is not None}
    return [(enclosure, current[enclosure.enclosed_letter_id])
            for enclosure in letter.enclosures.all() if enclosure.enclosed_letter_id in current]


def corrected_packet_problems(letter):
    """What prevents a corrected packet of `letter`, as messages (empty when it can be made)."""
    if letter.is_draft:
        return [_("Only an issued letter can be corrected.")]
    if letter.status == Letter.Status.SUPERSEDED:
        return [_("This letter has been superseded by a correction: make the corrected "
                  "packet from the current version.")]
    if packet_replacements(letter):
        return []
    nested = [n for n in letter.superseded_enclosures if n.within is not None]
    if nested:
        return [_("“%(subject)s” is superseded inside the enclosed letter “%(within)s”: issue "
                  "a corrected packet of “%(within)s” first, then of this letter.") % {
                      "subject": n.letter.subject, "within": n.within.subject} for n in nested]
    return [_("No letter enclosed in this letter has been superseded: its packet is current.")]


def letter_correct_packet(*, letter, by):
    """Start a corrected packet of an issued cover letter: a draft Corr.N enclosing the
    corrections now current in place of the enclosed letters they superseded.

    Side effects: as `letter_correct` (a new draft Corr.N copying the letter, its
    signatories, recipients and enclosures, and its admin history when `by` is a user);
    then each enclosure of the draft whose letter has been superseded points at that letter's
    current correction (its position and title are kept, for the publisher to review), and
    when `by` is a user the draft's history records each replacement. Nothing is issued or
    sent. Raises ValidationError (nothing written) if the letter is a draft or superseded,
    encloses no superseded letter itself, or a correction is already being prepared.
    """
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        problems = corrected_packet_problems(letter)
        if problems:
            raise ValidationError(problems)
        replaced = {enclosure.position: correction
                    for enclosure, correction in packet_replacements(letter)}
        packet = letter_correct(letter=letter, by=by)
        changes = []
        for enclosure in packet.enclosures.select_related("enclosed_letter"):
            correction = replaced.get(enclosure.position)
            if correction is None:
                continue
            changes.append(_("Encloses “%(new)s” in place of the superseded “%(old)s”.") % {
                "new": correction.slug, "old": enclosure.enclosed_letter.slug})
            enclosure.enclosed_letter = correction
            enclosure.save(update_fields=["enclosed_letter"])
        if by is not None:
            LogEntry.objects.log_actions(by.pk, [packet], CHANGE, single_object=True,
                                         change_message=" ".join(changes))
    return packet


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

