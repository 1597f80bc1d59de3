"""The French version of the seed PGA letter, as a translator writes it, for the tests of
language versions and of their distribution."""

import datetime as dt
from pathlib import Path

from correspondence.services import letter_add_version, letter_issue

FRENCH_BODY = (Path(__file__).parent / "data" / "letter-2017-01-12-pga.fr.md").read_text(
    encoding="utf-8")
FRENCH_SUBJECT = ("Lettre datée du 12 janvier 2017 concernant la reprise des négociations "
                  "intergouvernementales")
NOON = dt.datetime(2017, 1, 13, 17, 0, tzinfo=dt.UTC)


def translate_to_french(version):
    """The French text of the seed PGA letter, as the translator writes it."""
    version.subject = FRENCH_SUBJECT
    version.addressee = ("À tous les représentants permanents auprès de l’Organisation des "
                         "Nations Unies\nNew York")
    version.salutation = "Excellence,"
    version.body = FRENCH_BODY
    version.complimentary_close = ("Je vous prie d’agréer, Excellence, les assurances de ma "
                                   "très haute considération.")
    version.save()
    return version


def french_version(pga_letter):
    version = translate_to_french(letter_add_version(letter=pga_letter, language="fr", by=None))
    return letter_issue(letter=version, by=None, at=NOON)
