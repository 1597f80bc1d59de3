"""The Secretariat's admin for letters: prepare, preview, issue and correct."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from common.admin import accent_insensitive
from common.content import TranslatedFieldsAdminMixin, in_languages, language_row
from common.signin import has_second_factor

from .distribution.admin import DistributionAdminMixin, may_distribute, progress_line
from .distribution.services import (
    DistributionRefused,
    distribution_preview,
    letter_distribute,
    original_distribution_check,
    original_missions,
)
from .forms import EnclosureAdminForm, LetterAdminForm, LetterheadAdminForm, SignatoryAdminForm

# The focal points' admin (invitations, focal points, re-send requests) registers itself.
from .mission import admin as _mission_admin  # noqa: F401
from .models import Enclosure, Letter, Letterhead, Signatory
from .notices import admin as notices_admin  # noqa: F401 (registers the schedule notices)
from .pdf import UnreadableAnnex, layout_warnings, render_letter_pdf
from .services import (
    add_version_problems,
    corrected_packet_problems,
    glyph_problem,
    letter_add_version,
    letter_correct,
    letter_correct_packet,
    letter_issue,
    packet_replacements,
)
from .subscriptions import admin as _subscriptions_admin  # noqa: F401 (registers its models)


class DraftOnlyInline:
    """The parts of an issued letter are part of the record: shown, never edited."""

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


def image_preview(sha256):
    if not sha256:
        return "-"
    url = reverse("correspondence:artwork", kwargs={"sha256": sha256})
    return format_html('<img class="image-preview" src="{}" alt="">', url)


class SignatoryInline(DraftOnlyInline, admin.TabularInline):
    model = Signatory
    form = SignatoryAdminForm
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["position", "person", "block", "signature_preview", "signature_upload",
              "signature_remove"]
    readonly_fields = ["signature_preview"]

    @admin.display(description=gettext_lazy("signature image"))
    def signature_preview(self, signatory):
        return image_preview(signatory.signature_id)


class EnclosureInline(DraftOnlyInline, admin.TabularInline):
    model = Enclosure
    fk_name = "letter"
    form = EnclosureAdminForm
    extra = 0
    autocomplete_fields = ["enclosed_letter"]
    fields = ["position", "enclosed_letter", "annex", "title"]


@admin.register(Letterhead)
class LetterheadAdmin(TranslatedFieldsAdminMixin, SimpleHistoryAdmin):
    form = LetterheadAdminForm
    list_display = ["name", "place", "paper_size"]
    search_fields = accent_insensitive(*in_languages("name"))
    fields = [language_row("name"), language_row("heading"), "place", "paper_size",
              "artwork_preview", "artwork_upload", "artwork_placement", "artwork_remove"]
    readonly_fields = ["artwork_preview"]

    @admin.display(description=gettext_lazy("current artwork"))
    def artwork_preview(self, letterhead):
        return image_preview(letterhead.artwork_id)


@admin.register(Letter)
class LetterAdmin(DistributionAdminMixin, admin.ModelAdmin):
    form = LetterAdminForm
    list_display = ["subject", "date", "sender_display", "language_display", "status",
                    "issued_at"]
    list_filter = ["status", "language", "letterhead", "session"]
    list_select_related = ["letterhead", "version_of"]

    def view_on_site(self, obj):
        """The version's own page (the admin's language is not the version's)."""
        return obj.get_own_url()
    # The signatories too: "Lajcak" finds the letters signed "Lajčák".
    search_fields = ["slug", "verification_code", *accent_insensitive(
        "subject", "body", "signatories__block", "signatories__person__given_name",
        "signatories__person__family_name")]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["subject"]}
    autocomplete_fields = ["session", "letterhead", "recipients", "clusters", "meetings",
                           "documents"]
    readonly_fields = ["language_versions", "status", "corrects", "correction_number",
                       "issued_at", "issued_by", "verification_code", "sha256",
                       "sender_as_issued"]
    # What a language version shares with its original (Letter.FROM_ORIGINAL): shown, not
    # edited, on a version.
    SHARED_WITH_ORIGINAL = ["session", "letterhead", "slug", "date", "reference", "audience",
                            "recipients", "language"]
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

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_original:
            fields += [f for f in self.SHARED_WITH_ORIGINAL if f not in fields]
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and not obj.is_original else super(
            ).get_prepopulated_fields(request, obj)

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language_display(self, letter):
        """"English (original)", or "French (version)": the original language is marked."""
        if letter.is_original:
            return _("%(language)s (original)") % {"language": letter.language_name}
        return _("%(language)s (version of the %(original)s original)") % {
            "language": letter.language_name, "original": letter.version_of.language_name}

    @admin.display(description=gettext_lazy("language versions"))
    def language_versions(self, letter):
        """This row's language (the original marked) and links to the letter's other rows."""
        if letter.pk is None:
            return "-"
        original = letter.original
        rows = [original, *original.translations.order_by("language")]
        return format_html_join(", ", '<a href="{}" lang="{}">{}</a>{}', (
            (self._change_url(row), row.language, row.language_name,
             format_html(" <strong>{}</strong>", _("(original)")) if row.is_original else
             format_html(" ({})", row.get_status_display()))
            for row in rows))

    def has_change_permission(self, request, obj=None):
        # An issued letter is shown read-only; a crafted POST to its form gets a 403.
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A draft's form names the characters no bundled font has, and warns, before it is
        # issued, where its PDF departs from how the originals are laid out (addressee off
        # the first page's foot, signatures alone...).
        letter = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if (letter is not None and letter.is_draft
                and self.has_view_or_change_permission(request, letter)):
            extra_context["glyph_problem"] = glyph_problem(letter)
            if request.method == "GET":
                for warning in layout_warnings(letter):
                    self.message_user(request, warning, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("sender"), ordering="letterhead__name")
    def sender_display(self, letter):
        """The sender as the letter shows it: as issued, or the letterhead now for a draft."""
        return letter.sender.name

    def has_issue_permission(self, request, obj=None):
        # Asked here too, not only by common.signin.SecondFactorMiddleware: issuing is what
        # a stolen password must never be enough for.
        return (request.user.has_perm("correspondence.issue_letter")
                and has_second_factor(request.user))

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
            path("<int:pk>/correct-packet/", wrap(self.correct_packet_view),
                 name="correspondence_letter_correct_packet"),
            path("<int:pk>/add-version/", wrap(self.add_version_view),
                 name="correspondence_letter_add_version"),
            path("<int:pk>/distribution/to-original-missions/",
                 wrap(self.distribute_to_original_view),
                 name="correspondence_letter_distribute_original"),
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
        try:
            pdf = render_letter_pdf(letter) if letter.is_draft else bytes(letter.pdf.content)
        except UnreadableAnnex as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(self._change_url(letter))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letter.slug}-preview.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    def _confirm(self, request, letter, action, question, **extra):
        return TemplateResponse(request, "admin/correspondence/letter/confirm.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "original": letter, "title": question, "action": action, **extra,
        })

    def _start_correction(self, request, letter, start, done):
        """POST of "Issue a correction" or "Issue a corrected packet": `start(letter=, by=)`
        makes the draft; `done` says so (with the draft's Corr. number)."""
        try:
            draft = start(letter=letter, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(letter))
        self.message_user(request, done % {"number": f"Corr.{draft.correction_number}"},
                          messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(draft))

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
        return self._start_correction(request, letter, letter_correct, _(
            "Correction %(number)s created as a draft: edit it, then issue it."))

    def correct_packet_view(self, request, pk):
        """Confirm, then start a corrected packet: a draft Corr.N enclosing the corrections."""
        letter = self._letter(request, pk)
        if not (self.has_issue_permission(request, letter) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return self._confirm(
                request, letter, "correct_packet", _("Issue a corrected packet?"),
                problems=corrected_packet_problems(letter),
                replacements=packet_replacements(letter) if not letter.is_draft else [])
        return self._start_correction(request, letter, letter_correct_packet, _(
            "Corrected packet %(number)s created as a draft, enclosing the current "
            "corrections: check it, then issue it."))

    def add_version_view(self, request, pk):
        """Choose a language, then start the letter's version in it (a draft to translate)."""
        letter = self._letter(request, pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        original = letter.original
        taken = {original.language, *original.translations.values_list("language", flat=True)}
        choices = [(code, name) for code, name in settings.LANGUAGES if code not in taken]
        if request.method == "POST":
            language = request.POST.get("language", "")
            problems = add_version_problems(original, language)
            if not problems:
                try:
                    version = letter_add_version(letter=original, language=language,
                                                 by=request.user)
                except ValidationError as exc:
                    problems = exc.messages
            if not problems:
                self.message_user(request, _(
                    "The %(language)s version was created as a draft: translate its subject, "
                    "addressee, salutation, close and signature blocks, write its body, then "
                    "issue it.") % {"language": version.language_name}, messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(version))
            return TemplateResponse(request, "admin/correspondence/letter/add_version.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta,
                "original": original, "title": _("Add a language version"),
                "choices": choices, "problems": problems}, status=400)
        return TemplateResponse(request, "admin/correspondence/letter/add_version.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "original": original, "title": _("Add a language version"), "choices": choices})

    def distribute_to_original_view(self, request, pk):
        """Confirm, then send an issued correction to the missions its original went to."""
        letter = self._letter(request, pk)
        if not may_distribute(request.user):
            raise PermissionDenied
        progress_url = self._distribution_url("distribution", letter)
        missions = original_missions(letter)
        if request.method == "POST":
            try:
                original_distribution_check(letter)
                summary = letter_distribute(letter=letter, missions=missions)
            except DistributionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(progress_url)
            self.message_user(request, _(
                "Queued %(n)d deliveries to the missions the original was distributed to. "
                "%(progress)s") % {"n": summary.counts["queued"],
                                   "progress": progress_line(distribution_preview(letter))},
                messages.SUCCESS)
            return HttpResponseRedirect(progress_url)
        refusal = None
        try:
            original_distribution_check(letter)
        except DistributionRefused as exc:
            refusal = str(exc)
        summary = distribution_preview(letter, missions=missions)
        original_count = missions.count()
        return TemplateResponse(
            request, "admin/correspondence/letter/distribute_original_confirm.html",
            self._distribution_context(
                request, letter, _("Distribute “%(letter)s” to the original's missions?") % {
                    "letter": letter},
                summary=summary, refusal=refusal, progress_url=progress_url,
                original_count=original_count,
                not_addressed=original_count - summary.recipients,
                to_send=summary.recipients - summary.counts["sent"] - summary.without_address,
            ))
