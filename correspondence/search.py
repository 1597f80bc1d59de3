"""Filters and search of the letters list: by session, by year, and over the letters' text.

The text searched is the subject, reference and body, and the signatures: each signature
block as printed and the signatory's name. Accents and case are ignored ("Lajcak" finds a
letter signed "Lajčák"; see `common.unaccent`). Queries read as ``websearch`` queries do
(words, "quoted phrases", -excluded, ``or``; see `common.textsearch`).

Each letter (each language version is a row) is searched in its own language: on
PostgreSQL with the full-text configuration of its `language` (English, French, Russian,
Spanish, Arabic), and also with that of the page's language, so that a French word typed
on a French page finds a French phrase quoted in an English letter. A Chinese letter, and
every letter on SQLite (used only locally), is matched term by term as text: each term must
appear in the subject, reference, body or a signature. Nothing is ranked.
"""

from django import forms
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.cache import never_store
from common.textsearch import CONFIGS, config_for, text_match, text_terms
from common.unaccent import Unaccent
from common.validators import validate_single_line

from .models import Signatory

SEARCHED_FIELDS = ("subject", "reference", "body")
SIGNATURE_FIELDS = ("block", "person__given_name", "person__family_name")
NUMERIC = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})


class LetterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the letters"), required=False, max_length=200,
                        validators=[validate_single_line])
    # Text inputs: a number input could not show back a mistyped value such as "abc".
    session = forms.IntegerField(label=_("Session"), required=False, min_value=1,
                                 max_value=32767, widget=NUMERIC)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=2200,
                              widget=NUMERIC)

    def query_string(self):
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})


def _any_of(fields, word):
    return Q.create([(f"{name}__unaccent_icontains", word) for name in fields], connector=Q.OR)


def signatures_text():
    """The letter's signatures as one text (blocks and names), for the full-text vector."""
    return Subquery(
        Signatory.objects.filter(letter=OuterRef("pk")).values("letter").annotate(
            text=StringAgg(Concat(*[part for name in SIGNATURE_FIELDS
                                    for part in (name, Value(" "))], output_field=TextField()),
                           delimiter=Value(" "))).values("text"))


def _contains(term):
    """The letters whose subject, reference, body or a signature contains the term."""
    signed = Signatory.objects.filter(letter=OuterRef("pk")).filter(
        _any_of(SIGNATURE_FIELDS, term))
    return _any_of(SEARCHED_FIELDS, term) | Exists(signed)


def _full_text(text, config):
    """The letters whose text matches the query under this configuration (a name or an
    expression giving one per row)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector(*map(Unaccent, SEARCHED_FIELDS), Unaccent(signatures_text()),
                          config=config)
    query = SearchQuery(Unaccent(Value(text)), config=config, search_type="websearch")
    return vector, query


def search_letters(queryset, text, language=None):
    """The letters of `queryset` that the query finds, each in its own language and in the
    page's (`language`, by default the active one)."""
    groups = text_terms(text)
    if not groups:
        return queryset
    as_text = text_match(groups, _contains)
    if connection.vendor != "postgresql":
        return queryset.filter(as_text)
    own = Case(*[When(language=code, then=Value(config)) for code, config in CONFIGS.items()],
               default=Value("simple"))
    vector, query = _full_text(text, own)
    queryset = queryset.alias(search_own=vector)
    full_text = Q(search_own=query)
    page_config = config_for(language or get_language())
    if page_config:
        vector, query = _full_text(text, page_config)
        queryset = queryset.alias(search_page=vector)
        full_text |= Q(search_page=query)
    configured = Q(language__in=list(CONFIGS))
    return queryset.filter((configured & full_text) | (~configured & as_text))


def filter_letters(queryset, form):
    """The letters that match the valid filters; an invalid form filters nothing."""
    if not form.is_valid():
        return queryset
    if form.cleaned_data["session"]:
        queryset = queryset.filter(session__number=form.cleaned_data["session"])
    if form.cleaned_data["year"]:
        queryset = queryset.filter(date__year=form.cleaned_data["year"])
    return search_letters(queryset, form.cleaned_data["q"])


class LetterSearchMixin:
    """For the letters ListView: reads the filters; malformed ones get a 400 page saying why.

    The list's template shows the form with ``{% include "correspondence/_letter_filters.html" %}``.
    """

    def get(self, request, *args, **kwargs):
        self.filter_form = LetterFilterForm(request.GET)
        if not self.filter_form.is_valid():
            return render(request, "correspondence/letter_filters_invalid.html",
                          {"filter_form": self.filter_form}, status=400)
        response = super().get(request, *args, **kwargs)
        if not response.context_data["object_list"]:
            never_store(response)  # a session or year with no letter: cheap, not kept
        return response

    def search(self, queryset):
        return filter_letters(queryset, self.filter_form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, query=self.filter_form.query_string(), **kwargs)
