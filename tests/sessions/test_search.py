"""A meeting found as its label reads: numbers and days as people type them."""

import datetime as dt

import pytest

from sessions.search import NO_DAY, parse_label

FEB_7 = (dt.date(2017, 2, 7), dt.date(2017, 2, 7))
FEBRUARY = (dt.date(2017, 2, 1), dt.date(2017, 2, 28))


@pytest.mark.parametrize(("text", "expected"), [
    ("7 February 2017", (None, FEB_7)),
    ("7th February 2017", (None, FEB_7)),  # a day with its ordinal, not meeting No. 7
    ("7 Feb. 2017", (None, FEB_7)),
    ("February 7, 2017", (None, FEB_7)),
    ("2017-02-07", (None, FEB_7)),
    ("February 2017", (None, FEBRUARY)),
    ("meeting 7, February 2017", (7, FEBRUARY)),  # after a label word: a number
    ("IGN meeting 2, 7 February 2017", (2, FEB_7)),
    ("2nd meeting", (2, None)),
    ("2", (2, None)),
    ("31 February 2017", (None, NO_DAY)),  # no such day: a date matching nothing
    ("29 February 2017", (None, NO_DAY)),
    ("agenda", None),
])
def test_labels_read_as_people_type_them(text, expected):
    assert parse_label(text) == expected


@pytest.mark.django_db
def test_a_day_no_calendar_has_finds_no_meeting():
    from sessions.models import Meeting
    from sessions.search import meetings_labelled

    assert meetings_labelled(Meeting.objects.all(), "31 February 2017").query.is_empty()


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("fr", "7 février 2017", (None, FEB_7)),
    ("fr", "7 FEVRIER 2017", (None, FEB_7)),
    ("fr", "1er février 2017", (None, (dt.date(2017, 2, 1),) * 2)),
    ("fr", "février 2017", (None, FEBRUARY)),
    ("fr", "7 February 2017", (None, FEB_7)),  # English, whatever the language
    ("es", "7 de febrero de 2017", (None, FEB_7)),
    ("ru", "7 февраля 2017 года", (None, FEB_7)),
    ("ru", "7 Февраля 2017 г.", (None, FEB_7)),
    ("ru", "февраль 2017", (None, FEBRUARY)),
    ("ar", "7 فبراير 2017", (None, FEB_7)),
    ("ar", "٧ فبراير ٢٠١٧", (None, FEB_7)),
    ("zh-hans", "2017年2月7日", (None, FEB_7)),
    ("zh-hans", "2017年2月", (None, FEBRUARY)),
    ("zh-hans", "2017年13月7日", None),
    ("fr", "négociations", None),
])
def test_labels_read_in_the_admins_language(language, text, expected):
    from django.utils import translation

    with translation.override(language):
        assert parse_label(text) == expected
