"""The focal point's form of their mission's details, and the Secretariat's invitation form."""

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.models import Mission

from .services import normalised_addresses

MAX_ADDRESSES = 20
# MissionAddress.email (an EmailField): longer is refused on the form, not by the database.
EMAIL_MAX_LENGTH = 254


class MissionDetailsForm(forms.Form):
    """The distribution addresses, one a line, and the preferred language."""

    addresses = forms.CharField(
        label=gettext_lazy("Distribution addresses"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One e-mail address a line. Every letter and schedule notice "
                               "goes to all of them, from the next message on."))
    language = forms.ChoiceField(
        label=gettext_lazy("Preferred language"), choices=settings.LANGUAGES,
        help_text=gettext_lazy("Your mission receives each letter in this language where "
                               "a version in it is issued, else in the original's."))

    def clean_addresses(self):
        lines = self.cleaned_data["addresses"].splitlines()
        emails = normalised_addresses(lines)
        wrong = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                wrong.append(email)
            else:
                if len(email) > EMAIL_MAX_LENGTH:  # the column's length (RFC 5321's path)
                    wrong.append(email)
        if wrong:
            raise forms.ValidationError(
                _("Not an e-mail address: %(addresses)s. Nothing was changed.") % {
                    "addresses": ", ".join(wrong)})
        if not emails:
            raise forms.ValidationError(_("Give at least one address: a mission without one "
                                          "receives nothing."))
        if len(emails) > MAX_ADDRESSES:
            raise forms.ValidationError(_("At most %(count)d addresses.") % {
                "count": MAX_ADDRESSES})
        return emails


class InvitationForm(forms.Form):
    """The Secretariat's "Invite a focal point"."""

    mission = forms.ModelChoiceField(label=gettext_lazy("Mission"),
                                     queryset=Mission.objects.filter(active=True))
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=EMAIL_MAX_LENGTH)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the invitation"), required=False,
        choices=[("", gettext_lazy("The mission's preferred language")),
                 *settings.LANGUAGES])
