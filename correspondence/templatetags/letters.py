"""Template filters of the letters: dates, direction and left-to-right runs in a language.

    {% load letters %}
    {{ letter.date|letter_date:letter.language }}    12 كانون الثاني/يناير 2017
    <article dir="{{ letter.language|text_direction }}">
    {{ line|ltr_runs:letter.language }}             symbols and Latin names set apart
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from correspondence.dates import letter_date as format_letter_date
from correspondence.rendering import is_rtl, isolate_ltr

register = template.Library()


@register.filter
def letter_date(value, language="en"):
    """The date as a letter in `language` prints it ("" for no date)."""
    if not value:
        return ""
    return format_letter_date(value, language)


@register.filter
def text_direction(language):
    """"rtl" for a language written right to left, else "ltr"."""
    return "rtl" if is_rtl(language) else "ltr"


@register.filter(needs_autoescape=True)
def ltr_runs(value, language="en", autoescape=True):
    """The text, escaped; in a right-to-left language, each left-to-right run (a symbol, a
    time, a Latin name) in a `dir="ltr"` span, which the PDF renderer and browsers keep in
    its order (correspondence.rendering.isolate_ltr)."""
    text = conditional_escape(value) if autoescape else str(value)
    if not is_rtl(language):
        return text
    return mark_safe(isolate_ltr(str(text)))  # noqa: S308 - escaped, then only spans added
