"""The mission directory as CSV: export, and an all-or-nothing import that reports every bad row.

Columns: state_code,mission_name,address,emails (e-mail addresses separated by “;”),
preferred_language (a code of settings.LANGUAGES: en, ar, zh-hans, fr, ru, es; the language in
which the mission receives letters). A file without the last column, as exported before it
existed, is read too: its missions keep their preferred language (English for a new one).
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from common.spreadsheet import csv_uncell, csv_write
from common.validators import validate_multi_line, validate_single_line

from .models import Mission, MissionAddress, State

COLUMNS = ["state_code", "mission_name", "address", "emails", "preferred_language"]
# The header of the files exported before the preferred language existed.
COLUMNS_WITHOUT_LANGUAGE = COLUMNS[:4]
MAX_BYTES = 1024 * 1024


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class DirectoryImportError(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, errors):
        super().__init__(_("%(n)d bad rows: nothing was imported.") % {"n": len(errors)})
        self.errors = errors


@dataclass
class ImportSummary:
    missions: int = 0
    created: int = 0
    added: int = 0
    removed: int = 0
    without_address: list = field(default_factory=list)


def directory_export(*, missions=None):
    """The directory (or the given missions) as CSV text, one mission a row."""
    missions = (missions if missions is not None else Mission.objects.all())
    out = io.StringIO()
    csv_write(out, COLUMNS, (
        [mission.state.code, mission.name, mission.address,
         "; ".join(a.email for a in mission.addresses.all()), mission.preferred_language]
        for mission in missions.select_related("state").prefetch_related("addresses")
        .order_by("state__name")
    ))
    return out.getvalue()


@dataclass
class Row:
    line: int
    state: State
    name: str
    address: str
    emails: list
    preferred_language: str | None = None  # None: the file has no such column


def directory_parse(data):
    """(rows, errors) for CSV bytes or text; every bad row is reported with its line."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            return [], [RowError(0, _("The file is larger than 1 MB."))]
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [RowError(0, _("The file is not UTF-8 text."))]
    reader = csv.DictReader(io.StringIO(data, newline=""))
    header = [c.strip() for c in reader.fieldnames or []]
    if header not in (COLUMNS, COLUMNS_WITHOUT_LANGUAGE):
        return [], [RowError(1, _("The header must be: %(columns)s.") % {
            "columns": ",".join(COLUMNS)})]
    reader.fieldnames = header
    with_language = header == COLUMNS
    languages = [code for code, _name in settings.LANGUAGES]
    states = {s.code: s for s in State.objects.all()}
    rows, errors, seen_codes, seen_names = [], [], {}, {}
    line = 1
    try:
        records = [(record, reader.line_num) for record in reader]
    except csv.Error as exc:
        return [], [RowError(reader.line_num + 1, _("The file is not readable CSV: %(error)s.") % {
            "error": exc})]
    name_limit = Mission._meta.get_field("name").max_length
    email_limit = MissionAddress._meta.get_field("email").max_length
    for record, last_line in records:
        start, line = line + 1, last_line
        problems = []
        if None in record or None in record.values():
            errors.append(RowError(start, _("expected %(n)d columns.") % {"n": len(header)}))
            continue
        language = None
        if with_language:
            language = record["preferred_language"].strip().lower() or settings.LANGUAGE_CODE
            if language not in languages:
                problems.append(_("unknown preferred language “%(code)s” (one of: "
                                  "%(languages)s)") % {
                    "code": record["preferred_language"].strip(),
                    "languages": ", ".join(languages)})
        code = record["state_code"].strip()
        name = csv_uncell(record["mission_name"].strip())
        emails = [e.strip() for e in csv_uncell(record["emails"].strip()).split(";") if e.strip()]
        state = states.get(code)
        if state is None:
            problems.append(_("unknown State code “%(code)s”") % {"code": code})
        elif code in seen_codes:
            problems.append(_("duplicate of line %(line)d (same State)") % {
                "line": seen_codes[code]})
        address = csv_uncell(record["address"].strip())
        problems += _text_problems(name=name, address=address)
        if not name:
            problems.append(_("the mission name is empty"))
        elif len(name) > name_limit:
            problems.append(_("the mission name is longer than %(n)d characters") % {
                "n": name_limit})
        elif name.lower() in seen_names:
            problems.append(_("duplicate of line %(line)d (same mission name)") % {
                "line": seen_names[name.lower()]})
        lowered = set()
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("malformed address “%(email)s”") % {"email": email})
            if len(email) > email_limit:
                problems.append(_("address longer than %(n)d characters") % {"n": email_limit})
            if email.lower() in lowered:
                problems.append(_("address “%(email)s” given twice") % {"email": email})
            lowered.add(email.lower())
        seen_codes.setdefault(code, start)
        seen_names.setdefault(name.lower(), start)
        if problems:
            errors.append(RowError(start, "; ".join(problems)))
        else:
            rows.append(Row(start, state, name, address, emails, language))
    if not rows and not errors:
        errors.append(RowError(0, _("The file has no rows.")))
    in_file = {row.state.pk for row in rows}
    taken = {name.lower(): code for name, code in Mission.objects.exclude(
        state_id__in=in_file).values_list("name", "state__code")}
    errors += [RowError(row.line, _("the name “%(name)s” belongs to the mission of %(code)s") % {
        "name": row.name, "code": taken[row.name.lower()]})
        for row in rows if row.name.lower() in taken]
    return rows, sorted(errors, key=lambda e: e.line)


def _text_problems(*, name, address):
    """The row's problems with line breaks and control characters, as the admin words them."""
    problems = []
    for label, value, validate in ((_("the mission name"), name, validate_single_line),
                                   (_("the postal address"), address, validate_multi_line)):
        try:
            validate(value)
        except ValidationError as exc:
            problems += [_("%(field)s: %(message)s") % {"field": label, "message": message}
                         for message in exc.messages]
    return problems


def directory_import(*, data):
    """Import the directory from CSV, all or nothing.

    Side effects, in one transaction: each row's mission (created if its State has none)
    gets the row's name, postal address and exactly the row's e-mail addresses; missions
    not in the file are left as they are. Raises DirectoryImportError listing every bad
    row, and then writes nothing.
    """
    rows, errors = directory_parse(data)
    if errors:
        raise DirectoryImportError(errors)
    summary = ImportSummary()
    try:
        with transaction.atomic():
            for row in rows:
                _import_row(row, summary)
    except DatabaseError as exc:
        raise DirectoryImportError([RowError(0, str(exc))]) from exc
    return summary


def _import_row(row, summary):
    mission = Mission.objects.filter(state=row.state).first()
    language = row.preferred_language
    if mission is None:
        mission = Mission.objects.create(
            state=row.state, name=row.name, address=row.address,
            preferred_language=language or settings.LANGUAGE_CODE)
        summary.created += 1
    elif (mission.name, mission.address, mission.preferred_language) != (
            row.name, row.address, language or mission.preferred_language):
        mission.name, mission.address = row.name, row.address
        mission.preferred_language = language or mission.preferred_language
        mission.save(update_fields=["name", "address", "preferred_language"])
    summary.missions += 1
    wanted = {email.lower(): email for email in row.emails}
    for existing in list(mission.addresses.all()):
        email = wanted.pop(existing.email.lower(), None)
        if email is None:
            existing.delete()
            summary.removed += 1
        elif email != existing.email:
            existing.email = email
            existing.save(update_fields=["email"])
    MissionAddress.objects.bulk_create(
        [MissionAddress(mission=mission, email=email) for email in wanted.values()])
    summary.added += len(wanted)
    if not row.emails:
        summary.without_address.append(row.state.code)
