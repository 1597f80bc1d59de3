"""The Secretariat's admin for letters: prepare, preview, issue and correct."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .distribution.admin import DistributionAdminMixin
from .forms import EnclosureAdminForm, LetterAdminForm
from .models import Enclosure, Letter, Letterhead, Signatory
from .pdf import render_letter_pdf
from .services import letter_correct, letter_issue


class DraftOnlyInline:
    """The parts of an issued letter are part of the record: shown, never edited."""

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


class SignatoryInline(DraftOnlyInline, admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["position", "person", "block"]


class EnclosureInline(DraftOnlyInline, admin.TabularInline):
    model = Enclosure
    fk_name = "letter"
    form = EnclosureAdminForm
    extra = 0
    autocomplete_fields = ["enclosed_letter"]
    fields = ["position", "enclosed_letter", "annex", "title"]


@admin.register(Letterhead)
class LetterheadAdmin(SimpleHistoryAdmin):
    list_display = ["name", "place", "paper_size"]
    search_fields = ["name"]


@admin.register(Letter)
class LetterAdmin(DistributionAdminMixin, admin.ModelAdmin):
    form = LetterAdminForm
    list_display = ["subject", "date", "letterhead", "status", "issued_at"]
    list_filter = ["status", "letterhead", "session"]
    list_select_related = ["letterhead"]
    search_fields = ["subject", "slug", "body", "verification_code"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["subject"]}
    autocomplete_fields = ["session", "letterhead", "recipients", "clusters", "meetings",
                           "documents"]
    readonly_fields = ["status", "corrects", "correction_number", "issued_at", "issued_by",
                       "verification_code", "sha256", "sender_as_issued"]
    inlines = [SignatoryInline, EnclosureInline]
    actions = ["issue_selected"]
    change_form_template = "admin/correspondence/letter/change_form.html"

    @admin.display(description=gettext_lazy("SHA-256"))
    def sha256(self, letter):
        return letter.pdf_sha256

    @admin.display(description=gettext_lazy("sender as issued"))
    def sender_as_issued(self, letter):
        """The letterhead as the letter shows it for ever (an edit of the letterhead since
        changes drafts only); empty for a draft, which shows the letterhead as it is."""
        return "" if letter.is_draft else f"{letter.sender_name} ({letter.sender_paper_size})"

    def has_change_permission(self, request, obj=None):
        # An issued letter is shown read-only; a crafted POST to its form gets a 403.
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    def has_issue_permission(self, request, obj=None):
        return request.user.has_perm("correspondence.issue_letter")

    def delete_queryset(self, request, queryset):
        if queryset.exclude(status=Letter.Status.DRAFT).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    @admin.action(description=gettext_lazy("Issue the selected letters"),
                  permissions=["issue"])
    def issue_selected(self, request, queryset):
        for letter in queryset.order_by("date", "pk"):
            self._issue(request, letter)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview.pdf", wrap(self.preview_pdf_view),
                 name="correspondence_letter_preview_pdf"),
            path("<int:pk>/issue/", wrap(self.issue_view), name="correspondence_letter_issue"),
            path("<int:pk>/correct/", wrap(self.correct_view),
                 name="correspondence_letter_correct"),
        ] + super().get_urls()

    def _letter(self, request, pk):
        letter = get_object_or_404(Letter.objects.select_related("letterhead"), pk=pk)
        if not self.has_view_permission(request, letter):
            raise PermissionDenied
        return letter

    def _change_url(self, letter):
        return reverse("admin:correspondence_letter_change", args=[letter.pk])

    def _issue(self, request, letter):
        try:
            letter_issue(letter=letter, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, f"{letter}: {message}", messages.ERROR)
            return False
        self.message_user(request, _("Issued: %(letter)s.") % {"letter": letter},
                          messages.SUCCESS)
        return True

    def preview_pdf_view(self, request, pk):
        letter = self._letter(request, pk)
        pdf = render_letter_pdf(letter) if letter.is_draft else bytes(letter.pdf.content)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letter.slug}-preview.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    def _confirm(self, request, letter, action, question):
        return TemplateResponse(request, "admin/correspondence/letter/confirm.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "original": letter, "title": question, "action": action,
        })

    def issue_view(self, request, pk):
        letter = self._letter(request, pk)
        if not self.has_issue_permission(request, letter):
            raise PermissionDenied
        if request.method != "POST":
            return self._confirm(request, letter, "issue", _("Issue this letter?"))
        self._issue(request, letter)
        return HttpResponseRedirect(self._change_url(letter))

    def correct_view(self, request, pk):
        letter = self._letter(request, pk)
        if not (self.has_issue_permission(request, letter) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return self._confirm(request, letter, "correct", _("Issue a correction?"))
        try:
            correction = letter_correct(letter=letter, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(letter))
        self.message_user(request, _(
            "Correction %(number)s created as a draft: edit it, then issue it.") % {
            "number": f"Corr.{correction.correction_number}"}, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(correction))
