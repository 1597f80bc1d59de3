"""The subscribe form and the manage form."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from sessions.models import Session

WHAT = [("both", _("Schedule changes and new letters")), ("notices", _("Schedule changes")),
        ("letters", _("New letters"))]


def language_choices():
    """The six languages, each named in itself."""
    return [(code, translation.get_language_info(code)["name_local"])
            for code, _name in settings.LANGUAGES]


class WhatForm(forms.Form):
    what = forms.ChoiceField(label=_("What would you like to receive?"), choices=WHAT,
                             widget=forms.RadioSelect, initial="both")
    language = forms.ChoiceField(label=_("In which language?"), choices=language_choices)

    @property
    def wants(self):
        """(wants_notices, wants_letters) as chosen."""
        what = self.cleaned_data["what"]
        return what in ("both", "notices"), what in ("both", "letters")

    @staticmethod
    def what_of(subscription):
        if subscription.wants_notices and subscription.wants_letters:
            return "both"
        return "notices" if subscription.wants_notices else "letters"


class SubscribeForm(WhatForm):
    """An address and what it asks for; the scope and the page it came from, hidden."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    session = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    cluster = forms.SlugField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    field_order = ["email", "what", "language"]

    def clean_session(self):
        number = self.cleaned_data["session"]
        if number is None:
            return None
        try:
            return Session.objects.get(number=number)
        except Session.DoesNotExist:
            raise forms.ValidationError(_("There is no such session.")) from None

    def clean_cluster(self):
        slug = self.cleaned_data["cluster"]
        if not slug:
            return None
        try:
            return Cluster.objects.get(slug=slug)
        except Cluster.DoesNotExist:
            raise forms.ValidationError(_("There is no such cluster.")) from None

    def clean_source(self):
        return page_path(self.cleaned_data["source"])

    def clean(self):
        data = super().clean()
        if data.get("session") and data.get("cluster"):
            raise forms.ValidationError(_("Follow a session or a cluster, not both."))
        return data


def page_path(value):
    """`value` if it is a path of this site on one line, else ""."""
    value = (value or "").strip()
    if (not value.startswith("/") or len(value) > 300 or any(c in value for c in "\r\n")
            or not url_has_allowed_host_and_scheme(value, allowed_hosts=None)):
        return ""
    return value
