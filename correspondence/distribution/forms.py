"""The forms of the distribution pages: when to send, and the language of a test."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.timezones import NEW_YORK


class NewYorkDateTimeField(forms.DateTimeField):
    """A date and time typed in New York time, whatever zone the request is in (an
    ambiguous or non-existent local time, at a change of daylight saving, is refused)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(NEW_YORK):
            return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, NEW_YORK)
        return value


class DistributeForm(forms.Form):
    """Send now, or queue for a time to come."""

    NOW, LATER = "now", "later"
    when = forms.ChoiceField(
        # Not given: now (the form as it was before it had a choice).
        label=_("When"), widget=forms.RadioSelect, initial=NOW, required=False,
        choices=[(NOW, _("Send now")), (LATER, _("Send at the time below"))])
    send_at = NewYorkDateTimeField(
        label=_("Send at (New York time)"), required=False,
        help_text=_("The deliveries wait until then; until then the distribution can be "
                    "cancelled on the letter's distribution page."))

    def clean(self):
        data = super().clean()
        if data.get("when") != self.LATER:
            data["send_at"] = None
            return data
        send_at = data.get("send_at")
        if send_at is None:
            if "send_at" not in self.errors:
                self.add_error("send_at", _("Give the date and time to send at."))
        elif send_at <= timezone.now():
            self.add_error("send_at", _("This time has passed: choose a time to come, or "
                                        "send now."))
        return data


class TestSendForm(forms.Form):
    """The language of a test: one of those the letter's missions read it in."""

    language = forms.ChoiceField(label=_("Language of the test"))

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, translation.get_language_info(code)["name_local"]) for code in languages
            if code in dict(settings.LANGUAGES)]
