"""What every JSON list of the read-only API shares: its query parameters, errors, shape and
language.

A list is served in the language of its URL (`/fr/api/meetings.json`), or in the one `?lang=`
names (`/api/meetings.json?lang=fr`), which wins when both are given: the parameter is the
more explicit of the two. The response's Content-Language says which it is; an unknown
language is a 400 like any malformed parameter.
"""

import datetime as dt
import functools
import re

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .cache import NUMBER, NUMBER_OR_ZERO, never_store
from .timezones import NEW_YORK

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


# The United Nations began in 1945; a bound well inside the calendar keeps date arithmetic safe.
DATE_RANGE = [MinValueValidator(dt.date(1945, 1, 1)), MaxValueValidator(dt.date(2999, 12, 31))]


# The same parameters, for the page cache: each with the one spelling it keys. Date windows
# (any of some 385,000 days each) are answered but never stored: they cannot fill the cache.
API_QUERY = {"session": NUMBER, "limit": NUMBER, "offset": NUMBER_OR_ZERO,
             "lang": "|".join(re.escape(code) for code, _name in settings.LANGUAGES)}
API_UNCACHED_QUERY = ["start", "end"]


class ApiQueryForm(forms.Form):
    """The query parameters every list accepts; anything malformed is a 400 with reasons."""

    session = forms.IntegerField(required=False, min_value=1, max_value=32767)
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=DATE_RANGE,
                            help_text=_("From this day (New York), YYYY-MM-DD."))
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=DATE_RANGE,
                          help_text=_("Up to and including this day (New York), YYYY-MM-DD."))
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    offset = forms.IntegerField(required=False, min_value=0, max_value=10**6)
    lang = forms.ChoiceField(
        required=False, choices=settings.LANGUAGES,
        help_text=_("The language of the response (en, ar, zh-hans, fr, ru, es)."),
        error_messages={"invalid_choice": _(
            "Unknown language “%(value)s”: use one of en, ar, zh-hans, fr, ru, es.")})

    def __init__(self, data, *args, **kwargs):
        unknown = sorted(set(data) - set(self.base_fields))
        super().__init__(data, *args, **kwargs)
        self.unknown = unknown

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("Unknown parameter(s): %(names)s.") % {"names": ", ".join(self.unknown)[:200]}
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("“end” must not be before “start”."))
        return cleaned

    @property
    def language(self):
        """The language of the response: the active one (`in_requested_language`)."""
        return translation.get_language()

    def window(self):
        limit = self.cleaned_data["limit"] or DEFAULT_LIMIT
        offset = self.cleaned_data["offset"] or 0
        return offset, limit


def ny_midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=NEW_YORK)


def in_requested_language(view):
    """Serve the view in the language `?lang=` names, if it names one of the portal's; else
    in the URL's (an unknown one is left to the view's form, which answers 400)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper


def api_error(form):
    """The 400 of a malformed query: `error` is a fixed code, `message` and the reasons of
    `details` are in the response's language."""
    return JsonResponse({
        "error": "invalid query",
        "message": _("The query was not understood; the details say why."),
        "details": form.errors.get_json_data(),
    }, status=400, json_dumps_params={"ensure_ascii": False})


def api_list(results, form):
    offset, limit = form.window()
    response = JsonResponse({"language": translation.get_language(), "offset": offset,
                             "limit": limit, "count": len(results), "results": results},
                            json_dumps_params={"ensure_ascii": False})
    if not results:
        never_store(response)  # any session number or offset past the end: cheap, not kept
    return response
