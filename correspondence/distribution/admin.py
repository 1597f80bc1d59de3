"""The distribution pages of a letter in the admin, and the read-only delivery ledger."""


from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.admin import ReadOnlyAdminMixin
from common.signin import has_second_factor
from common.spreadsheet import csv_write
from common.timezones import ny_when
from sessions.models import MissionAddress

from ..models import Delivery, ScheduledDistribution
from .forms import DistributeForm, TestSendForm
from .message import refusals_text
from .services import (
    DistributionRefused,
    delivery_resend,
    distribution_cancel,
    distribution_check,
    distribution_overlapping,
    distribution_pending,
    distribution_preview,
    family,
    letter_distribute,
    letter_recipients,
    letter_send_test,
    letter_test_languages,
)

DISTRIBUTE_PERMISSION = "correspondence.distribute_letter"
CSV_COLUMNS = ["state_code", "mission", "language", "state", "attempts", "message_id", "sent_to",
               "queued_at", "claimed_at", "claimed_by", "sent_at", "error",
               "accepted_by", "refused_by", "held"]


def may_distribute(user):
    """Sending a letter to 193 missions takes the permission and a second factor (asked here
    too, not only by common.signin.SecondFactorMiddleware)."""
    return user.has_perm(DISTRIBUTE_PERMISSION) and has_second_factor(user)


def progress_line(summary):
    """One line: sent of all, then every other state (partly delivered and held if any)."""
    counts = summary.counts
    held = sum(summary.held.values())
    queued = (_("%(queued)d queued (%(held)d held, not sent)") if held
              else _("%(queued)d queued")) % {"queued": counts["queued"], "held": held}
    partial = (_("%(n)d partly delivered, ") % {"n": counts["partial"]}
               if counts["partial"] else "")
    return _("%(sent)d of %(total)d missions sent; %(queued)s, %(sending)d sending, "
             "%(partial)s%(failed)d failed (%(without)d without an address).") % {
        "sent": counts["sent"], "total": summary.recipients, "queued": queued,
        "sending": counts["sending"], "partial": partial, "failed": counts["failed"],
        "without": summary.without_address}


def held_lines(summary):
    """["N held: the reason the worker recorded"], one per reason."""
    return [_("%(n)d held: %(reason)s") % {"n": n, "reason": reason}
            for reason, n in summary.held.items()]


def language_note(letter):
    """What a distribution of this letter sends in which language, in one sentence."""
    if not letter.is_original:
        return _("This is the %(language)s version: it is sent only to the missions whose "
                 "preferred language is %(language)s, those already sent another version "
                 "of the letter included.") % {"language": letter.language_name}
    versions = [row for row in letter.versions if row.status == row.Status.ISSUED
                and not row.is_original]
    if not versions:
        return _("Every mission receives the original (%(language)s): the letter has no "
                 "other issued language version.") % {"language": letter.language_name}
    return _("Each mission receives the issued version in its preferred language (%(versions)s), "
             "else the original (%(language)s); a mission already sent a version of this "
             "letter is not sent another.") % {
        "versions": ", ".join(row.language_name for row in versions),
        "language": letter.language_name}


class DistributionAdminMixin:
    """Adds to a Letter admin: distribute (with confirmation), progress, ledger CSV, re-send."""

    distribution_fieldset = gettext_lazy("Distribution")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/distribution/", view(self.distribution_view),
                 name="{}_{}_distribution".format(*info)),
            path("<path:object_id>/distribution/send/", view(self.distribute_view),
                 name="{}_{}_distribute".format(*info)),
            path("<path:object_id>/distribution/ledger.csv", view(self.ledger_csv_view),
                 name="{}_{}_ledger_csv".format(*info)),
            path("<path:object_id>/distribution/<int:delivery_id>/resend/",
                 view(self.resend_view), name="{}_{}_resend".format(*info)),
            path("<path:object_id>/distribution/<int:delivery_id>/resend-refused/",
                 view(self.resend_refused_view), name="{}_{}_resend_refused".format(*info)),
            path("<path:object_id>/distribution/test/", view(require_POST(self.test_send_view)),
                 name="{}_{}_test_send".format(*info)),
            path("<path:object_id>/distribution/scheduled/<int:scheduled_id>/cancel/",
                 view(require_POST(self.cancel_scheduled_view)),
                 name="{}_{}_cancel_scheduled".format(*info)),
            *super().get_urls(),
        ]

    # --- the summary on the change page ---------------------------------------
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "distribution_summary"] if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [
                f for f in options["fields"] if f != "distribution_summary"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is not None:
            fieldsets.append((self.distribution_fieldset, {"fields": ["distribution_summary"]}))
        return fieldsets

    @admin.display(description=gettext_lazy("distribution"))
    def distribution_summary(self, obj):
        summary = distribution_preview(obj)
        return format_html(
            '{} <a href="{}">{}</a>{}', progress_line(summary),
            self._distribution_url("distribution", obj), _("Distribution and ledger"),
            format_html_join("", '<br><strong class="errornote">{}</strong>',
                             ((line,) for line in held_lines(summary))))

    # --- views ------------------------------------------------------------------
    def _distribution_url(self, name, letter, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
                       args=[letter.pk, *args], current_app=self.admin_site.name)

    def _distribution_letter(self, request, object_id, *, distribute=False):
        letter = self.get_object(request, object_id)
        if letter is None:
            raise Http404(_("No such letter."))
        if not self.has_view_permission(request, letter):
            raise PermissionDenied
        if distribute and not may_distribute(request.user):
            raise PermissionDenied
        return letter

    def _distribution_context(self, request, letter, title, **extra):
        return {
            **self.admin_site.each_context(request), "opts": self.opts, "original": letter,
            "letter": letter, "title": title, "can_distribute": may_distribute(request.user),
            **extra,
        }

    def distribution_view(self, request, object_id):
        letter = self._distribution_letter(request, object_id)
        summary = distribution_preview(letter)
        deliveries = list(Delivery.objects.filter(letter__in=family(letter)).select_related(
            "mission__state", "letter"))
        for delivery in deliveries:
            delivery.resend_url = self._distribution_url("resend", letter, delivery.pk)
            delivery.resend_refused_url = self._distribution_url(
                "resend_refused", letter, delivery.pk)
        known = {d.mission_id for d in deliveries}
        not_served = [d for d in deliveries if d.state != Delivery.State.SENT]
        not_queued = list(letter_recipients(letter).exclude(pk__in=known).select_related("state"))
        # The original's and its versions' (their deliveries overlap): the pending one first.
        scheduled = list(ScheduledDistribution.objects.filter(
            distribution_overlapping(letter)).select_related(
            "letter", "scheduled_by", "cancelled_by"))
        pending = min((row for row in scheduled if row.is_pending), default=None,
                      key=lambda row: row.send_at)
        if pending is not None:
            pending.cancel_url = self._distribution_url("cancel_scheduled", letter, pending.pk)
        return TemplateResponse(request, "admin/correspondence/letter/distribution.html",
                                self._distribution_context(
            request, letter, _("Distribution of “%(letter)s”") % {"letter": letter},
            summary=summary, progress=progress_line(summary), held=held_lines(summary),
            states=[(label, summary.counts[value]) for value, label in Delivery.State.choices],
            not_served=not_served, not_queued=not_queued,
            not_served_count=len(not_served) + len(not_queued),
            sent=[d for d in deliveries if d.state == Delivery.State.SENT],
            distribute_url=self._distribution_url("distribute", letter),
            csv_url=self._distribution_url("ledger_csv", letter),
            language_note=language_note(letter),
            pending=pending,
            scheduled=scheduled,
            test_form=TestSendForm(languages=letter_test_languages(letter)),
            test_url=self._distribution_url("test_send", letter),
            test_address=request.user.email,
        ))

    def distribute_view(self, request, object_id):
        letter = self._distribution_letter(request, object_id, distribute=True)
        progress_url = self._distribution_url("distribution", letter)
        form = DistributeForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            send_at = form.cleaned_data["send_at"]
            try:
                summary = letter_distribute(letter=letter, send_at=send_at, by=request.user)
            except DistributionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(progress_url)
            if send_at is None:
                self.message_user(request, _("Queued %(n)d deliveries. %(progress)s") % {
                    "n": summary.counts["queued"], "progress": progress_line(summary)},
                    messages.SUCCESS)
            else:
                self.message_user(request, _(
                    "Queued %(n)d deliveries, to be sent at %(when)s; until then you can "
                    "cancel.") % {"n": summary.counts["queued"], "when": ny_when(send_at)},
                    messages.SUCCESS)
            return HttpResponseRedirect(progress_url)
        refusal = None
        try:
            distribution_check(letter)
            pending = distribution_pending(letter)
            if pending is not None:
                raise DistributionRefused(_(
                    "A distribution of this letter is scheduled for %(when)s: cancel it on "
                    "the distribution page before distributing the letter again.") % {
                    "when": ny_when(pending.send_at)})
        except DistributionRefused as exc:
            refusal = str(exc)
        summary = distribution_preview(letter)
        return TemplateResponse(request, "admin/correspondence/letter/distribute_confirm.html",
                                self._distribution_context(
            request, letter, _("Distribute “%(letter)s”?") % {"letter": letter},
            summary=summary, refusal=refusal, progress_url=progress_url, form=form,
            held=held_lines(summary), language_note=language_note(letter),
            to_send=summary.recipients - summary.counts["sent"] - summary.without_address,
        ))

    def ledger_csv_view(self, request, object_id):
        letter = self._distribution_letter(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{letter.slug}-ledger.csv"'
        csv_write(response, CSV_COLUMNS, (
            [d.mission.state.code, d.mission.name, d.letter.language, d.state, d.attempts,
             d.message_id,
             d.recipients, d.queued_at.isoformat(),
             d.claimed_at.isoformat() if d.claimed_at else "", d.claimed_by,
             d.sent_at.isoformat() if d.sent_at else "", d.error, "; ".join(d.accepted),
             refusals_text(d.refused), d.held]
            for d in Delivery.objects.filter(letter__in=family(letter)).select_related(
                "mission__state", "letter")
        ))
        return response

    def resend_view(self, request, object_id, delivery_id, *, refused_only=False):
        """GET: what a re-send to this mission would do, and a button; POST: queue it."""
        letter = self._distribution_letter(request, object_id, distribute=True)
        delivery = get_object_or_404(Delivery.objects.select_related("letter", "mission"),
                                     pk=delivery_id, letter__in=family(letter),
                                     mission__isnull=False)
        if request.method != "POST":
            return self._resend_confirm(request, letter, delivery, refused_only=refused_only)
        try:
            queued = delivery_resend(delivery=delivery, refused_only=refused_only)
        except DistributionRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            if not queued:
                if not delivery.mission.active:
                    why = _("%(mission)s is inactive: it receives no letters.")
                elif refused_only:
                    why = _("%(mission)s has no refused address to send to now.")
                else:
                    why = _("%(mission)s is being sent the letter now.")
                self.message_user(request, why % {"mission": delivery.mission},
                                  messages.WARNING)
                return HttpResponseRedirect(self._distribution_url("distribution", letter))
            self.message_user(request, (
                _("%(mission)s will be sent the letter again at the refused addresses.")
                if refused_only else _("%(mission)s will be sent the letter again.")) % {
                "mission": delivery.mission}, messages.SUCCESS)
        return HttpResponseRedirect(self._distribution_url("distribution", letter))

    def resend_refused_view(self, request, object_id, delivery_id):
        return self.resend_view(request, object_id, delivery_id, refused_only=True)

    def _resend_confirm(self, request, letter, delivery, *, refused_only):
        refusal = None
        try:
            distribution_check(delivery.letter)
        except DistributionRefused as exc:
            refusal = str(exc)
        addresses = sorted(MissionAddress.objects.filter(
            mission=delivery.mission).values_list("email", flat=True))
        if refused_only:
            addresses = [a for a in addresses if a not in delivery.accepted]
        title = (_("Re-send “%(letter)s” to the refused addresses of %(mission)s?")
                 if refused_only else _("Re-send “%(letter)s” to %(mission)s?")) % {
            "letter": delivery.letter, "mission": delivery.mission.name}
        return TemplateResponse(request, "admin/correspondence/letter/resend_confirm.html",
                                self._distribution_context(
            request, letter, title, delivery=delivery, refused_only=refused_only,
            addresses=addresses, refusal=refusal,
            progress_url=self._distribution_url("distribution", letter),
        ))

    def test_send_view(self, request, object_id):
        """Send the officer alone the letter's message, marked as a test, now."""
        letter = self._distribution_letter(request, object_id, distribute=True)
        progress_url = self._distribution_url("distribution", letter)
        form = TestSendForm(request.POST, languages=letter_test_languages(letter))
        if not form.is_valid():
            self.message_user(request, _("Choose the language of the test among those "
                                         "offered."), messages.ERROR)
            return HttpResponseRedirect(progress_url)
        try:
            outcome = letter_send_test(letter=letter, language=form.cleaned_data["language"],
                                       user=request.user)
        except DistributionRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, outcome.text,
                              messages.SUCCESS if outcome.sent else messages.ERROR)
        return HttpResponseRedirect(progress_url)

    def cancel_scheduled_view(self, request, object_id, scheduled_id):
        """Call off a distribution scheduled for later (`distribution_cancel`)."""
        letter = self._distribution_letter(request, object_id, distribute=True)
        scheduled = get_object_or_404(
            ScheduledDistribution.objects.filter(distribution_overlapping(letter)),
            pk=scheduled_id)
        try:
            count = distribution_cancel(scheduled=scheduled, by=request.user)
        except DistributionRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, _(
                "The distribution scheduled for %(when)s is cancelled: %(n)d deliveries will "
                "not be sent.") % {"when": ny_when(scheduled.send_at), "n": count},
                messages.SUCCESS)
        return HttpResponseRedirect(self._distribution_url("distribution", letter))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger, read-only: it is written by the distribution alone."""

    list_display = ["recipient", "sends", "state", "attempts", "sent_at", "updated_at", "why"]
    list_select_related = ["mission", "letter", "notice"]
    list_filter = ["state", "letter", "notice"]
    search_fields = ["mission__name", "mission__state__code", "message_id", "recipients"]
    date_hierarchy = "queued_at"

    @admin.display(description=gettext_lazy("recipient"))
    def recipient(self, obj):
        """The mission, or a subscriber by number (its address is not listed)."""
        if obj.mission_id:
            return obj.mission
        if obj.subscription_id:
            return _("subscriber %(id)d") % {"id": obj.subscription_id}
        return _("an erased subscriber")

    @admin.display(description=gettext_lazy("sends"))
    def sends(self, obj):
        """The letter or the schedule notice."""
        return obj.letter if obj.letter_id else obj.notice

    @admin.display(description=gettext_lazy("held or error"))
    def why(self, obj):
        """The reason a worker held it (it stays queued), else the last error."""
        return (_("Held: %(reason)s") % {"reason": obj.held}) if obj.held else obj.error
