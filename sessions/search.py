"""Finding a meeting as its label reads: "IGN meeting 2, 7 February 2017".

The admin's meeting search (and so the "meetings announced" autocomplete of a letter) shows
each meeting by that label; `meetings_labelled` finds it again by what the label shows, the
number ("2", "2nd", "meeting 2") and the New York day ("7 February 2017", "7 Feb 2017",
"February 7, 2017", "2017-02-07", a month: "February 2017", or a year), or both.
"""

import contextlib
import datetime as dt
import re

from common.timezones import NEW_YORK

LABEL_WORDS = re.compile(r"\b(?:ign|meetings?|no\.?|number)(?=\W|$)", re.IGNORECASE)
NUMBER = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)?$", re.IGNORECASE)
ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.IGNORECASE)
DAY_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d")
MONTH_FORMATS = ("%B %Y", "%b %Y", "%Y-%m")


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
