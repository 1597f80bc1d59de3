"""Text search in the six official languages, the same queries on PostgreSQL and SQLite.

A query is read as PostgreSQL's ``websearch_to_tsquery`` reads it: words (all must match),
"quoted phrases", ``-excluded`` words and ``or`` between two terms. Accents and case never
matter (``common.unaccent``).

- On PostgreSQL a text in English, French, Russian, Spanish or Arabic is matched with the
  full-text search configuration of its language (`CONFIGS`, PostgreSQL's own: stemming and
  stop words), over the unaccented text: "negociation" finds "négociations".
- Chinese has no configuration in PostgreSQL (its words are not separated by spaces): a
  Chinese text, on every database, and every text on SQLite, is matched term by term as
  text (`text_terms`): each term must appear in it as typed, accents and case aside
  ("安全理事会" finds "安全理事会改革"). There is no stemming then: "negotiation" finds
  "negotiations" (it is inside it) but "negotiations" does not find "negotiation".
"""

import re

from django.db.models import Q

from .unaccent import fold

# PostgreSQL's text-search configuration of each official language (SELECT cfgname FROM
# pg_ts_config: they ship with PostgreSQL). Chinese ("zh-hans") has none.
CONFIGS = {"en": "english", "fr": "french", "ru": "russian", "es": "spanish", "ar": "arabic"}

# At most this many terms are read from a query: the search box takes 200 characters.
MAX_TERMS = 20

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def config_for(language):
    """The text-search configuration of a language code, or None (Chinese, or unknown)."""
    return CONFIGS.get(language)


def _trimmed(word):
    """A word without the punctuation around it, which full-text search ignores too."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def text_terms(text):
    """The query as groups of terms: [[(text, excluded), ...], ...]; every group must match,
    and a group matches if one of its terms does ("veto or size" is one group of two).

    An excluded term matches a text that does not contain it. Empty terms are dropped.
    """
    groups, join = [], False
    for match in TOKEN.finditer(text):
        if match.group(3) is not None:
            word = match.group(3)
            if fold(word) == "or":
                join = bool(groups)
                continue
            excluded = word.startswith("-")
            term = _trimmed(word)
        else:
            excluded = bool(match.group(1))
            term = " ".join(_trimmed(word) for word in match.group(2).split()).strip()
        if term:
            if join:
                groups[-1].append((term, excluded))
            else:
                groups.append([(term, excluded)])
        join = False
        if len(groups) >= MAX_TERMS:
            break
    return groups


def text_match(groups, contains):
    """The Q of these term groups, given `contains(term)`: the Q of a row containing it."""
    condition = Q()
    for group in groups:
        alternatives = Q()
        for term, excluded in group:
            alternatives |= ~contains(term) if excluded else contains(term)
        condition &= alternatives
    return condition
