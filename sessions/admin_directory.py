"""Import and export of the mission directory (CSV) in the missions admin."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .directory import MAX_BYTES, DirectoryImportError, directory_export, directory_import


class DirectoryImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), help_text=gettext_lazy(
        "Columns state_code,mission_name,address,emails; e-mail addresses separated by “;”. "
        "UTF-8, at most 1 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


def csv_response(text, filename):
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MissionDirectoryAdminMixin:
    """Adds to the missions admin: import a directory CSV, export it (all or selected)."""

    change_list_template = "admin/ign_sessions/mission/change_list.html"
    actions = ["export_selected"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.directory_import_view),
                 name="{}_{}_import".format(*info)),
            path("export.csv", view(self.directory_export_view),
                 name="{}_{}_export".format(*info)),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Export the selected missions (CSV)"),
                  permissions=["view"])
    def export_selected(self, request, queryset):
        return csv_response(directory_export(missions=queryset), "missions.csv")

    def directory_export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return csv_response(directory_export(), "missions.csv")

    def directory_import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = DirectoryImportForm(request.POST or None, request.FILES or None)
        bad_rows = []
        if request.method == "POST" and form.is_valid():
            try:
                summary = directory_import(data=form.cleaned_data["file"].read())
            except DirectoryImportError as exc:
                bad_rows = exc.errors
                form.add_error("file", str(exc))
            else:
                self.message_user(request, _(
                    "Imported %(missions)d missions (%(created)d new): %(added)d addresses "
                    "added, %(removed)d removed; without an address: %(without)s.") % {
                    **summary.__dict__, "without": ", ".join(summary.without_address) or "0"},
                    messages.SUCCESS)
                return HttpResponseRedirect(reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return TemplateResponse(request, "admin/ign_sessions/mission/import.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "bad_rows": bad_rows, "title": _("Import the mission directory"),
        })
