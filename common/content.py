"""Content in six languages: the history of a model with translated fields."""

import simple_history


def register_history(model, **options):
    """Give `model` its history (``model.history``) once its translated fields exist.

    Called from a ``translation.py`` after the model's translation is registered, instead of
    ``history = HistoricalRecords()`` on the model (django-modeltranslation 0.20 fails on
    saving a model that declares one). The historical model then has every language's
    column. A historical record repeats values, so it keeps no field unique: simple_history
    drops ``unique`` from each field, but a translated field describes itself to migrations
    by its original field (``unique=True`` for a room's name); this says what the field is.
    """
    simple_history.register(model, **options)
    for field in model.history.model._meta.fields:
        if hasattr(field, "translated_field") and field.translated_field.unique:
            field._field_options_kwargs = {"unique": False, "db_index": True}


def in_languages(*names):
    """Every language's column of each translated field: ("title",) -> title_en, title_ar,
    title_zh_hans, title_fr, title_ru, title_es (for search_fields and filters)."""
    from django.conf import settings
    from modeltranslation.utils import build_localized_fieldname

    return [build_localized_fieldname(name, code)
            for name in names for code, _name in settings.LANGUAGES]


def language_row(name):
    """An admin fieldset row with the six languages of `name` side by side."""
    return tuple(in_languages(name))


class TranslatedFieldsAdminMixin:
    """An admin whose form shows each translated field in its six languages.

    The fieldsets list the language columns (``language_row("title")``) and never the
    original field. Each input says its language and direction (``lang="ar" dir="rtl"``),
    so the browser spell-checks, shapes and aligns it as that language; its label names the
    language in that language. Each column keeps the field's validators (single line...);
    English is required where the field is, being what the other languages fall back to.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.utils.text import capfirst
        from django.utils.translation import get_language_info

        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if formfield is None or original is None:
            return formfield
        info = get_language_info(db_field.language)
        formfield.widget.attrs.update(lang=db_field.language,
                                      dir="rtl" if info["bidi"] else "ltr")
        formfield.label = f"{capfirst(original.verbose_name)} ({info['name_local']})"
        return formfield
