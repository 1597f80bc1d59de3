"""The language a piece of translated content is shown in, so that calendars, feeds and the API
can say it (iCalendar's LANGUAGE, Atom's xml:lang, Content-Language) without ever lying.

Content is translated with django-modeltranslation: ``meeting.title`` is the title in the
active language, or the English one when that translation is empty. `field_language` says
which of the two a value is; a field that is not translated at all is English.
"""

from django.conf import settings
from django.utils.translation import get_language


def field_language(obj, field, language=None):
    """The language `obj.<field>` is shown in under `language` (by default the active one)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return language
    translated = getattr(obj, f"{field}_{language.replace('-', '_')}", None)
    return language if translated else settings.LANGUAGE_CODE


def common_language(*languages):
    """The one language of several parts of a text, or None if they are in several."""
    found = set(languages)
    return found.pop() if len(found) == 1 else None
