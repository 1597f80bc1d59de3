"""Template filters: New York time with its zone, and content in the page's language."""

from django import template
from django.utils.html import escape, format_html
from django.utils.translation import get_language, get_language_bidi
from modeltranslation.utils import build_localized_fieldname

from common import timezones

register = template.Library()
register.filter("ny_date", timezones.ny_date)
register.filter("ny_time", timezones.ny_time)
register.filter("ny_iso", timezones.ny_iso)

FALLBACK = "en"


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
