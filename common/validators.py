"""What text a field may hold: one line, or lines without control characters.

Every CharField of the portal's models carries `validate_single_line` and every TextField
`validate_multi_line` (a test walks the models and fails on a field without one). A
single-line value ends up in an e-mail header, a feed, a PDF's metadata or a CSV cell, where
a line break or a control character breaks the message or the file; multi-line text (an
addressee, a body, a signature block) keeps its line breaks (CR, LF) and tabs, nothing else.

The validators run wherever Django validates: model forms (the admin and its inlines),
`full_clean()`, and `text_problems` for the services that write rows without a form.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# Line and paragraph separators are not control characters (Unicode category Zl, Zp), yet
# Python's splitlines() and many mail and feed readers break lines at them.
SEPARATORS = frozenset("\u2028\u2029")
MULTI_LINE_ALLOWED = frozenset("\t\n\r")
NAMES = {
    "\t": _("tab"), "\n": _("line feed"), "\r": _("carriage return"),
    "\u2028": _("line separator"), "\u2029": _("paragraph separator"),
}


def forbidden_characters(value, *, allowed=frozenset()):
    """The distinct control characters and line separators of `value` not in `allowed`."""
    return sorted({
        ch for ch in str(value)
        if (unicodedata.category(ch) == "Cc" or ch in SEPARATORS) and ch not in allowed
    })


def describe(characters):
    """ "line feed (U+000A), U+001B": the characters, named where a reader knows the name."""
    return pgettext("list separator", ", ").join(
        # Translators: a character's name and its code point (“line feed (U+000A)”).
        _("%(name)s (%(code)s)") % {"name": NAMES[ch], "code": f"U+{ord(ch):04X}"}
        if ch in NAMES else f"U+{ord(ch):04X}"
        for ch in characters
    )


def validate_single_line(value):
    """Refuse a line break, a tab or any other control character in a one-line value."""
    found = forbidden_characters(value)
    if found:
        raise ValidationError(
            _("This must be one line of text, without line breaks or control characters "
              "(found: %(characters)s)."),
            code="control_character", params={"characters": describe(found)})


def validate_multi_line(value):
    """Refuse control characters other than line breaks (CR, LF) and tabs in a text."""
    found = forbidden_characters(value, allowed=MULTI_LINE_ALLOWED)
    if found:
        raise ValidationError(
            _("This text contains control characters that cannot be printed "
              "(found: %(characters)s)."),
            code="control_character", params={"characters": describe(found)})


_BREAKS = re.compile(r"[\s\u2028\u2029]*[\x00-\x1f\x7f-\x9f\u2028\u2029][\s\u2028\u2029]*")


def one_line(text):
    """`text` with each run of line breaks and control characters (and the spaces around
    them) made one space: for copying a value written before single lines were enforced."""
    return _BREAKS.sub(" ", text).strip()


def text_problems(instance):
    """The messages of the text validators of `instance`'s CharFields and TextFields, each
    prefixed by the field's name: for services that save rows without a form."""
    problems = []
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = field.value_from_object(instance)
        if value in field.empty_values:
            continue
        try:
            field.run_validators(value)
        except ValidationError as exc:
            # Translators: a field's name (“Subject”), then what is wrong with its value.
            problems += [_("%(field)s: %(message)s") % {
                "field": capfirst(field.verbose_name), "message": message}
                for message in exc.messages]
    return problems
