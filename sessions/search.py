"""Finding a meeting as its label reads: "IGN meeting 2, 7 February 2017".

The admin's meeting search (and so the "meetings announced" autocomplete of a letter) shows
each meeting by that label; `meetings_labelled` finds it again by what the label shows, the
number ("2", "2nd", "meeting 2") and the New York day ("7 February 2017", "7 Feb 2017",
"February 7, 2017", "2017-02-07", a month: "February 2017", or a year), or both.

The label is written in the admin's language ("Réunion IGN 2, 7 février 2017",
"7 февраля 2017 года", "2017年2月7日", "7 de febrero de 2017", "7 فبراير 2017"): it is read
back in that language too, with the month names of Django's own catalogs (accents and case
aside: "7 fevrier 2017"), and in English, whatever the language.
"""

import contextlib
import datetime as dt
import functools
import re
import unicodedata

from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.timezones import NEW_YORK
from common.unaccent import fold

LABEL_WORDS = re.compile(r"\b(?:ign|meetings?|no\.?|number)(?=\W|$)", re.IGNORECASE)
NUMBER = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)?$", re.IGNORECASE)
ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er)$", re.IGNORECASE)
DAY_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d")
MONTH_FORMATS = ("%B %Y", "%b %Y", "%Y-%m")


ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
# "2017年2月7日", "2017年2月": a Chinese date, as the Chinese label writes it.
CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
# Words a date carries in some languages and English's has not: "7 de febrero de 2017",
# "7 февраля 2017 года" (folded, as the words are compared).
DATE_FILLERS = frozenset({"de", "del", "года", "г", "le"})
WORD = re.compile(r"\w+\.?")


@functools.lru_cache(maxsize=16)
def _local_words(language):
    """({folded month name: English name}, {folded word of the label}) in `language`; the
    English names are left out (they are read as they are)."""
    english = {fold(name) for name in ENGLISH_MONTHS} | {fold(name[:3]) for name in ENGLISH_MONTHS}
    months = {}
    for table in (MONTHS, MONTHS_ALT, MONTHS_3, MONTHS_AP):
        for number, name in table.items():
            folded = fold(str(name)).rstrip(".")
            if folded not in english:
                months[folded] = ENGLISH_MONTHS[number - 1]
    # The words around the number and the date in the label (sessions.models.meeting_label).
    label = _("IGN meeting %(number)s, %(date)s")
    words = {fold(w) for w in re.findall(r"\w+", re.sub(r"%\(\w+\)s", " ", label))}
    return months, words - {"ign"}


def _in_english(text):
    """The label or part of it in the admin's language, written as the English one reads."""
    text = CHINESE_DATE.sub(lambda m: f" {m[3] or ''} {ENGLISH_MONTHS[int(m[2]) - 1]} {m[1]} "
                            if 1 <= int(m[2]) <= 12 else m[0], text)
    months, label_words = _local_words(get_language())
    # Digits of every script as ASCII digits: "٦ فبراير ٢٠١٧" is 6 February 2017.
    text = re.sub(r"\d", lambda m: str(unicodedata.digit(m[0])), text)

    def english(match):
        folded = fold(match[0]).rstrip(".")
        if folded in DATE_FILLERS:
            return ""
        if folded in label_words:
            return "meeting"
        return months.get(folded, match[0])

    return WORD.sub(english, text.replace("\u060c", ","))  # and the Arabic comma


def _days(text):
    """(first day, last day) that `text` names, or None; only years 1945 to 2999 (the
    United Nations' years, and no overflow in the date arithmetic)."""
    for fmt in DAY_FORMATS:
        with contextlib.suppress(ValueError):
            day = dt.datetime.strptime(text, fmt).date()
            return (day, day) if 1945 <= day.year <= 2999 else None
    for fmt in MONTH_FORMATS:
        with contextlib.suppress(ValueError):
            first = dt.datetime.strptime(text, fmt).date()
            if not 1945 <= first.year <= 2999:
                return None
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return first, following - dt.timedelta(days=1)
    if re.fullmatch(r"\d{4}", text) and 1945 <= int(text) <= 2999:  # a year, as labels show
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    return None


# A day that no calendar has ("31 February 2017"): a date, matching no meeting.
NO_DAY = (dt.date.max, dt.date.min)


def parse_label(text):
    """(number or None, (first day, last day) or None) read from a meeting's label or part
    of it; None when the text reads as neither a number nor a date. A day written with an
    ordinal ("7th February 2017") is a day; a number before a month is a meeting's number
    only after a label word ("meeting 7, February 2017"), else a day no calendar has."""
    text = _in_english(text)
    labelled = LABEL_WORDS.search(text) is not None
    words = [w.rstrip(".") for w in LABEL_WORDS.sub(" ", text).replace(",", " ").split()]
    words = [w for w in words if w]
    if not words or len(words) > 5:
        return None
    number = NUMBER.match(words[0])
    if not (labelled and number and words[1:]):  # "meeting 7, February 2017": a number
        days = _days(" ".join(ORDINAL.sub(r"\1", w) for w in words))
        if days is not None:
            return None, days
    if number is None:
        return None
    days = _days(" ".join(words[1:])) if words[1:] else None
    if words[1:] and days is None:
        return None
    if days is not None and days[0] != days[1] and not labelled and int(number.group(1)) <= 31:
        return None, NO_DAY
    return int(number.group(1)), days


def meetings_labelled(queryset, text):
    """The meetings of `queryset` whose label shows this number and day; None when the text
    is not a number or a date."""
    parsed = parse_label(text)
    if parsed is None:
        return None
    number, days = parsed
    if days is NO_DAY:
        return queryset.none()
    if number is not None:
        queryset = queryset.filter(number=number)
    if days is not None:
        first, last = days
        queryset = queryset.filter(
            starts_at__gte=dt.datetime.combine(first, dt.time(), tzinfo=NEW_YORK),
            starts_at__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(),
                                              tzinfo=NEW_YORK))
    return queryset
