"""Issued letters for the portal's tests, stored as issuing leaves them."""

import datetime as dt
import itertools

from django.utils import timezone

from common.timezones import NEW_YORK
from correspondence.models import Letter, Letterhead, StoredFile
from tests.factories import make_session

_seq = itertools.count(1)
PDF = b"%PDF-1.7 test letter\n%%EOF\n"


def make_letterhead(**overrides):
    fields = {"name": f"The President of the General Assembly {next(_seq)}",
              "heading": "THE PRESIDENT\nOF THE\nGENERAL ASSEMBLY"}
    fields.update(overrides)
    return Letterhead.objects.create(**fields)


def make_issued_letter(*, clusters=(), meetings=(), **overrides):
    n = next(_seq)
    date = overrides.pop("date", dt.date(2017, 1, 12))
    fields = {
        "session": overrides.pop("session", None) or make_session(),
        "letterhead": overrides.pop("letterhead", None) or make_letterhead(),
        "slug": f"letter-{n}",
        "subject": f"Letter number {n} on the intergovernmental negotiations",
        "addressee": "To All Permanent Representatives to the United Nations\nNew York",
        "body": "Excellency, I have the honour to inform you of the meetings.",
        "status": Letter.Status.ISSUED,
        "date": date,
        "issued_at": dt.datetime.combine(date, dt.time(12), tzinfo=NEW_YORK),
        "pdf": StoredFile.objects.store(PDF),
    }
    fields.update(overrides)
    letter = Letter.objects.create(**fields)
    letter.clusters.set(clusters)
    letter.meetings.set(meetings)
    return letter


def make_draft_letter(**overrides):
    return Letter.objects.create(**{
        "session": overrides.pop("session", None) or make_session(),
        "letterhead": make_letterhead(), "slug": f"draft-{next(_seq)}",
        "subject": "A draft nobody outside the Secretariat may see",
        "addressee": "To All Permanent Representatives", "updated_at": timezone.now(),
        **overrides,
    })
