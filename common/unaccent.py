"""Accent- and case-insensitive matching, the same on PostgreSQL and SQLite.

`UNACCENT(text)` is PostgreSQL's `unaccent` extension (created by the ign_sessions migration
0005); on SQLite the portal registers a function of that name on every connection
(`register_sqlite_unaccent`), which also folds case, since SQLite's UPPER and LIKE fold ASCII
letters only. Then "Lajcak", "lajčák" and "LAJČÁK" all find "Lajčák", "negociations" finds
"Négociations", "елка" finds "Ёлка":

- `Unaccent(expression)`: the expression without accents (for full-text search vectors);
- the `unaccent_icontains` lookup on every CharField and TextField: both sides unaccented,
  case ignored, the term's own "%" and "_" taken literally. The admin's `search_fields` use it
  (`"family_name__unaccent_icontains"`), and so do its autocompletes, which search through
  the same fields.
"""

import unicodedata

from django.db import models

# Letters that Unicode does not decompose into a base letter and a mark, spelt as
# PostgreSQL's unaccent.rules spells them (casefold() then makes "ß" "ss").
LETTERS = str.maketrans({
    "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l",
    "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th", "Ħ": "H", "ħ": "h",
    "ı": "i", "ĸ": "q", "Ŀ": "L", "ŀ": "l", "Ŧ": "T", "ŧ": "t",
})

# What unaccent (PostgreSQL's rules, and NFKD on SQLite) folds into "%", "_" or "\\".
LIKE_LOOKALIKES = str.maketrans({
    "\uff05": "%", "\ufe6a": "%", "\uff3f": "_", "\uff3c": "\\", "\ufe68": "\\",
    "\u2216": "\\",
})


# Letters that NFKD decomposes but PostgreSQL's unaccent keeps: the Cyrillic short i is a
# letter of its own, not an accented и, and the Russian stemmer needs it (-ой, -ий endings).
KEPT = str.maketrans({"й": "\U000f0000", "Й": "\U000f0001"})
RESTORED = str.maketrans({"\U000f0000": "й", "\U000f0001": "Й"})


def fold(text):
    """`text` without accents (NFKD, combining marks dropped), case-folded; None stays None.

    As PostgreSQL's unaccent: "é" is "e", "ё" is "е", "й" stays "й". Beyond it, the
    Arabic short vowels (harakat) are dropped and "أ", "إ", "آ" read as "ا" (NFKD decomposes
    them), as PostgreSQL's Arabic stemmer does in full-text search.
    """
    if text is None:
        return None
    # The stand-ins for й are in a private-use plane that no text of ours contains.
    text = str(text).translate(LETTERS).translate(KEPT)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.translate(RESTORED).casefold()


class Unaccent(models.Func):
    function = "UNACCENT"
    output_field = models.TextField()


class UnaccentIContains(models.Lookup):
    """`field__unaccent_icontains=term`: the field contains the term, accents and case aside."""

    lookup_name = "unaccent_icontains"

    def get_db_prep_lookup(self, value, connection):
        # Lookalikes that UNACCENT would turn into LIKE's own characters are made those
        # characters first, so that escaping takes them literally too.
        literal = str(value).translate(LIKE_LOOKALIKES)
        return "%s", [f"%{connection.ops.prep_for_like_query(literal)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (f"UPPER(UNACCENT({lhs})) LIKE UPPER(UNACCENT({rhs})) ESCAPE '\\'",
                (*lhs_params, *rhs_params))


def register_sqlite_unaccent(sender, connection, **kwargs):
    """On each new SQLite connection, define UNACCENT (connected to `connection_created`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold, deterministic=True)


def register():
    from django.db.backends.signals import connection_created

    models.CharField.register_lookup(UnaccentIContains)
    models.TextField.register_lookup(UnaccentIContains)
    connection_created.connect(register_sqlite_unaccent, dispatch_uid="common.unaccent")
