"""The session's, meetings' and rooms' content in the six official languages.

django-modeltranslation adds a column per language to each field listed here (`title_en`,
`title_fr`...). English is required wherever the field itself is: it is what every other
language falls back to.

The models' histories are registered here, after their translated fields, and not declared
on the models (``history = HistoricalRecords()``): django-modeltranslation 0.20 fails on
saving a model that declares one, and registering it afterwards also gives the historical
records every language's column.
"""

from modeltranslation.translator import TranslationOptions, register

from common.content import register_history

from .models import GADocument, Meeting, MeetingChange, Room, Session

REQUIRED = ("en",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = REQUIRED


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "agenda", "status_reason")
    required_languages = {"en": ("title",)}


@register(MeetingChange)
class MeetingChangeTranslation(TranslationOptions):
    # The meeting as it was, in every language (sessions.services records all six).
    fields = ("title", "room", "overflow_room", "reason")
    required_languages = {"en": ("title", "room")}


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("name", "building")
    required_languages = {"en": ("name",)}
    # A name is unique in each language; a missing translation is NULL, not a second "".
    empty_values = {"name": None}


@register(GADocument)
class GADocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = REQUIRED


register_history(Session)
register_history(Meeting, m2m_fields=["clusters"])
