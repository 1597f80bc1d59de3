"""The schedule as delegations read it: filters, upcoming-then-past order, months."""

import itertools

from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from common.timezones import NEW_YORK

from .models import Meeting


class ClusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cluster):
        # Translators: a cluster's number and its title, in the list of clusters to filter by.
        return _("%(number)s. %(title)s") % {"number": cluster.number, "title": cluster.title}


class MeetingFilterForm(forms.Form):
    """The filters of /meetings/, read from the query string; unknown values are errors."""

    cluster = ClusterChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.all(), to_field_name="slug",
        required=False, empty_label=_("All clusters"),
        error_messages={"invalid_choice": _("There is no such cluster; choose one of the list.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *Meeting.Status.choices],
        error_messages={"invalid_choice": _("There is no such status; choose one of the list.")},
    )

    def filter(self, queryset):
        """The meetings that match; an invalid form filters nothing (the page says why)."""
        if not self.is_valid():
            return queryset
        if self.cleaned_data["cluster"]:
            queryset = queryset.filter(clusters=self.cleaned_data["cluster"])
        if self.cleaned_data["status"]:
            queryset = queryset.with_status(self.cleaned_data["status"])
        return queryset

    def query_string(self):
        """The valid filters again, for the pagination links."""
        if not self.is_valid():
            return ""
        values = {
            "cluster": self.cleaned_data["cluster"].slug if self.cleaned_data["cluster"] else "",
            "status": self.cleaned_data["status"],
        }
        return urlencode({k: v for k, v in values.items() if v})


def schedule_order(queryset, now=None):
    """Upcoming meetings first (soonest first), then past ones (latest first)."""
    now = now or timezone.now()
    return queryset.annotate(
        is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0),
                     output_field=IntegerField()),
        upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at"))),
    ).order_by("is_past", "upcoming_start", "-starts_at", "pk")


def group_by_month(meetings):
    """[(is_past, [(month label, [meetings])])] for the page's headings."""
    def month(meeting):
        local = timezone.localtime(meeting.starts_at, NEW_YORK)
        return formats.date_format(local, "YEAR_MONTH_FORMAT")

    return [
        (is_past, [(label, list(items)) for label, items in itertools.groupby(rows, month)])
        for is_past, rows in itertools.groupby(meetings, lambda m: bool(getattr(m, "is_past", 0)))
    ]
