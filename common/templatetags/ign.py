"""Template filters that always show New York time with its zone, isolate left-to-right runs
inside right-to-left pages, and link a page to its other languages."""

from django import template
from django.utils.html import escape, format_html
from django.utils.translation import get_language, get_language_bidi
from modeltranslation.utils import build_localized_fieldname

from common import languages, timezones

register = template.Library()
register.filter("ny_iso", timezones.ny_iso)
register.filter("bcp47", languages.bcp47)

FALLBACK = "en"


@register.filter(is_safe=True)
def ltr(value, language=None):
    """`value` (escaped) in ``<bdi dir="ltr">``: a time ("10:00–13:00"), a document symbol
    ("A/71/L.69"), a number, an e-mail address or a Latin name reads left to right inside an
    Arabic sentence, and does not reorder the text around it. ``|ltr:"en"`` adds
    ``lang="en"``: a name as printed in English ("H.E. Mr. Peter Thomson"). Empty stays empty."""
    if value is None or value == "":
        return ""
    if language:
        return format_html('<bdi dir="ltr" lang="{}">{}</bdi>', languages.bcp47(language), value)
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def translated(obj, field):
    """`{{ meeting|translated:"title" }}`: the field in the page's language, escaped; where that
    translation is missing, the English text marked as English (`<span lang="en">`, with
    `dir="ltr"` on a right-to-left page) so that screen readers and fonts read it as such.

    Nothing at all when neither has a value. Line breaks are left to the template
    (`|linebreaksbr` after this filter works: the result is safe HTML).
    """
    if obj is None:
        return ""
    language = get_language() or FALLBACK
    value = getattr(obj, build_localized_fieldname(field, language), None)
    if value:
        return escape(value)
    english = getattr(obj, build_localized_fieldname(field, FALLBACK), None) or getattr(
        obj, field, None)
    if not english:
        return ""
    if language == FALLBACK:
        return escape(english)
    if get_language_bidi():
        return format_html('<span lang="en" dir="ltr">{}</span>', english)
    return format_html('<span lang="en">{}</span>', english)


@register.filter
def ny_date(value):
    """“Monday, 6 February 2017” in the page's language (common/formats)."""
    return timezones.ny_date(value)


# Stands for the hours while the sentence around them is escaped.
_HOURS = "\x00"


def _isolating_hours(text, value, end):
    before, _hours, after = text.partition(_HOURS)
    return format_html("{}{}{}", before, ltr(timezones.ny_clock(value, end)), after)


@register.filter
def ny_time(value, end=None):
    """“10:00 New York time (EST)”, or with an end (``start|ny_time:end``) “10:00–13:00 New
    York time (EST)”, the hours isolated left to right."""
    if not value:
        return ""
    return _isolating_hours(timezones.ny_time(value, end, clock=_HOURS), value, end)


@register.filter
def ny_when(value, end=None):
    """“Monday, 6 February 2017, 10:00 New York time (EST)”, the hours isolated."""
    if not value:
        return ""
    return _isolating_hours(timezones.ny_when(value, end, clock=_HOURS), value, end)


@register.simple_tag(takes_context=True)
def language_links(context):
    """This page in each of the six languages (``common.languages.language_links``)."""
    return languages.language_links(context.get("request"))
