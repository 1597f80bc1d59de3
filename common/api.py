"""What every JSON list of the read-only API shares: its query parameters, errors and shape."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from .cache import NUMBER, NUMBER_OR_ZERO, never_store
from .timezones import NEW_YORK

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


# The United Nations began in 1945; a bound well inside the calendar keeps date arithmetic safe.
DATE_RANGE = [MinValueValidator(dt.date(1945, 1, 1)), MaxValueValidator(dt.date(2999, 12, 31))]


# The same parameters, for the page cache: each with the one spelling it keys. Date windows
# (any of some 385,000 days each) are answered but never stored: they cannot fill the cache.
API_QUERY = {"session": NUMBER, "limit": NUMBER, "offset": NUMBER_OR_ZERO}
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

    def window(self):
        limit = self.cleaned_data["limit"] or DEFAULT_LIMIT
        offset = self.cleaned_data["offset"] or 0
        return offset, limit


def ny_midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=NEW_YORK)


def api_error(form):
    return JsonResponse({"error": "invalid query", "details": form.errors.get_json_data()},
                        status=400)


def api_list(results, form):
    offset, limit = form.window()
    response = JsonResponse({"offset": offset, "limit": limit, "count": len(results),
                             "results": results}, json_dumps_params={"ensure_ascii": False})
    if not results:
        never_store(response)  # any session number or offset past the end: cheap, not kept
    return response
