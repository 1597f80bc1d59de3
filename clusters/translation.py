"""The clusters' titles and descriptions in the six official languages."""

from modeltranslation.translator import TranslationOptions, register

from .models import Cluster


@register(Cluster)
class ClusterTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",)}
    # A title is unique in each language; a missing translation is NULL, not a second "".
    empty_values = {"title": None}
