"""The letterheads' office names and headings in the six official languages.

The letterhead's history is registered here, after its translated fields (see
common.content.register_history for why it is not declared on the model).
"""

from modeltranslation.translator import TranslationOptions, register

from common.content import register_history

from .models import Letterhead


@register(Letterhead)
class LetterheadTranslation(TranslationOptions):
    fields = ("name", "heading")
    required_languages = ("en",)
    empty_values = {"name": None}


register_history(Letterhead)
