"""One-line fields refuse line breaks and control characters; texts refuse control characters.

The walks below cover every model of the portal's apps and every admin form: a CharField or
TextField added without its validator makes them fail.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from simple_history.models import HistoricalChanges

from common.validators import one_line, validate_multi_line, validate_single_line

APPS = ("ign_sessions", "correspondence", "clusters")
# Between words, where a pasted value carries them; strip() would remove them at the ends.
SINGLE_LINE_BAD = ["Sub\r\nBcc: x", "a\nb", "a\rb", "a\tb", "a\x00b", "a\x1bb", "a\x7fb",
                   "a\x85b", "a\u2028b", "a\u2029b"]
MULTI_LINE_BAD = ["a\x0bb", "a\x0cb", "a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\u2028b",
                  "a\u2029b"]


def our_models():
    """Every model of the portal's apps, but the history tables simple_history writes."""
    return [model for name in APPS for model in apps.get_app_config(name).get_models()
            if not issubclass(model, HistoricalChanges)]


def text_fields(model):
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)]


@pytest.mark.parametrize("value", SINGLE_LINE_BAD)
def test_single_line_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)

    assert caught.value.code == "control_character"
    assert "This must be one line of text" in caught.value.messages[0]


def test_single_line_names_what_it_found():
    with pytest.raises(ValidationError) as caught:
        validate_single_line("Subject\r\nBcc: all@example.org")

    assert caught.value.messages == [
        "This must be one line of text, without line breaks or control characters "
        "(found: line feed (U+000A), carriage return (U+000D))."]


@pytest.mark.parametrize("value", ["Lajčák", "联合国大会", "H.E. Mr. Ion Jinga", "",
                                   "10\u00a0am", "a\u200bb"])
def test_single_line_accepts_text(value):
    validate_single_line(value)


@pytest.mark.parametrize("value", MULTI_LINE_BAD)
def test_multi_line_refuses_control_characters(value):
    with pytest.raises(ValidationError) as caught:
        validate_multi_line(value)

    assert caught.value.code == "control_character"


def test_multi_line_keeps_line_breaks_and_tabs():
    validate_multi_line("To All Permanent Representatives\r\nNew York\n\tNY 10017\r")


def test_one_line_makes_each_run_of_breaks_a_space():
    assert one_line(" Letter\r\n on the \x0bnegotiations\u2028 ") == "Letter on the negotiations"


def test_every_text_field_of_every_model_carries_its_validator():
    missing = []
    for model in our_models():
        for field in text_fields(model):
            if isinstance(field, models.TextField):
                wanted = validate_multi_line
            elif field.choices:
                continue  # refused by its choices, see the next test
            else:
                wanted = validate_single_line
            if wanted not in field.validators:
                missing.append(f"{model._meta.label}.{field.name}")

    assert len(our_models()) >= 15
    assert missing == []


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_full_clean_refuses_a_line_break_in_every_one_line_field(model):
    instance = model()
    for field in text_fields(model):
        bad = "a\x0bb" if isinstance(field, models.TextField) else "a\r\nb"
        setattr(instance, field.attname, bad)
    names = {field.name for field in text_fields(model)}

    with pytest.raises(ValidationError) as caught:
        instance.clean_fields()

    assert names <= set(caught.value.message_dict)


def admin_forms(request):
    """(model, form class) of every admin page and inline of the portal's apps."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        yield model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_formset(request).form


@pytest.mark.django_db
def test_every_admin_form_refuses_a_line_break_with_a_message(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked, accepted = [], []

    for model, form_class in admin_forms(request):
        for name in form_class.base_fields:
            field = model._meta.get_field(name) if name in {
                f.name for f in model._meta.concrete_fields} else None
            if not isinstance(field, models.CharField | models.TextField):
                continue
            bad = "a\x0bb" if isinstance(field, models.TextField) else "a\r\nb"
            form = form_class(data={name: bad})
            form.is_valid()
            checked.append(f"{model._meta.label}.{name}")
            if not form.errors.get(name):
                accepted.append(f"{model._meta.label}.{name}")

    assert "correspondence.Letter.subject" in checked
    assert "correspondence.Signatory.block" in checked
    assert "ign_sessions.Person.family_name" in checked
    assert accepted == []
