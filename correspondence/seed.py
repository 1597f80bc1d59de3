"""The 71st session's two letters, as printed: the PGA's of 12 January 2017 enclosing the
Co-Chairs' of 9 January 2017. Loaded as issued, with their original dates.

Each text is kept exactly as printed on that letter, including the spellings that differ
from the people's records ("H.E. Dr. Ion Jinga", "Mohammed Khaled Khiari").
"""

import datetime as dt
from pathlib import Path

from django.db import transaction

from clusters.models import Cluster
from common.timezones import NEW_YORK

from .models import Enclosure, Letter, Letterhead, Signatory
from .services import letter_issue

DATA_DIR = Path(__file__).resolve().parent / "data"

PGA_SLUG = "2017-01-12-pga-resumption-of-the-ign"
CO_CHAIRS_SLUG = "2017-01-09-co-chairs-resumption-of-the-ign"

LETTERHEADS = {
    "pga": ("The President of the General Assembly", "THE PRESIDENT\nOF THE\nGENERAL ASSEMBLY"),
    "tunisia": ("Permanent Mission of Tunisia to the United Nations",
                "PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS"),
}

CO_CHAIRS_BODY = (DATA_DIR / "letter-2017-01-09-co-chairs.md").read_text(encoding="utf-8")

PGA_BODY = (DATA_DIR / "letter-2017-01-12-pga.md").read_text(encoding="utf-8")

CO_CHAIRS = {
    "slug": CO_CHAIRS_SLUG, "letterhead": "tunisia", "date": dt.date(2017, 1, 9),
    "subject": "Letter dated 9 January 2017 from the Co-Chairs on the resumption of the "
               "intergovernmental negotiations",
    "addressee": "The Permanent Missions of the Member States to the United Nations\n"
                 "**New York**",
    "body": CO_CHAIRS_BODY,
    "complimentary_close": "Please accept, Excellency, the assurances of our highest "
                           "consideration.",
    # (family name of the person, the block as printed on this letter)
    "signatories": [
        ("Jinga", "H.E. Dr. Ion Jinga\nPermanent Representative of Romania\n"
                  "Co-Chair, IGN 71st Session"),
        ("Khiari", "H.E. Mr. Mohammed Khaled Khiari\nPermanent Representative of Tunisia\n"
                   "Co-Chair, IGN 71st Session."),
    ],
}

PGA = {
    "slug": PGA_SLUG, "letterhead": "pga", "date": dt.date(2017, 1, 12),
    "subject": "Letter dated 12 January 2017 on the resumption of the intergovernmental "
               "negotiations",
    "addressee": "To All Permanent Representatives to the United Nations\nNew York",
    "body": PGA_BODY,
    "complimentary_close": "Please accept, Excellency, the assurances of my highest "
                           "consideration.",
    "signatories": [("Thomson", "Peter Thomson")],
}


def _letter(session, data, people, encloses=None, *, announces=False):
    letter = Letter.objects.originals().filter(slug=data["slug"]).first()
    if letter is not None:
        return letter
    name, heading = LETTERHEADS[data["letterhead"]]
    letterhead, _ = Letterhead.objects.get_or_create(name=name, defaults={"heading": heading})
    letter = Letter.objects.create(
        session=session, letterhead=letterhead, slug=data["slug"], date=data["date"],
        place="New York", subject=data["subject"], addressee=data["addressee"],
        body=data["body"], complimentary_close=data["complimentary_close"],
    )
    for position, (family_name, block) in enumerate(data["signatories"], start=1):
        Signatory.objects.create(
            letter=letter, position=position, person=people[family_name], block=block)
    if encloses is not None:
        Enclosure.objects.create(letter=letter, position=1, enclosed_letter=encloses)
    if announces:
        # Both letters announce the first two meetings, name the five clusters and refer to
        # the mandate, decision 70/559.
        letter.meetings.set(session.meetings.filter(number__in=[1, 2]))
        letter.clusters.set(Cluster.objects.all())
        if session.mandate_id:
            letter.documents.set([session.mandate_id])
    # Issued at noon, New York time, on the letter's date: the PDF's dates are fixed.
    noon = dt.datetime.combine(data["date"], dt.time(12, 0), tzinfo=NEW_YORK)
    return letter_issue(letter=letter, by=None, at=noon)


@transaction.atomic
def load_letters_71(session):
    """Create the two seed letters as issued, once. Returns (PGA's letter, Co-Chairs' letter)."""
    people = {a.person.family_name: a.person for a in session.co_chairs.select_related("person")}
    people[session.president.family_name] = session.president
    co_chairs = _letter(session, CO_CHAIRS, people, announces=True)
    pga = _letter(session, PGA, people, encloses=co_chairs, announces=True)
    return pga, co_chairs
