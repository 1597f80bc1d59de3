"""The schedule notices in the admin: review the pending changes, test, send now or at a time,
follow the distribution, cancel before the time."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.admin import ReadOnlyAdminMixin
from common.signin import has_second_factor
from common.timezones import NEW_YORK, ny_when
from sessions.models import Session

from ..distribution.admin import held_lines, progress_line
from ..distribution.services import DistributionSummary, mailer_warning
from ..models import Delivery, ScheduleNotice
from .gathering import pending_notice
from .services import (
    NoticeRefused,
    notice_cancel,
    notice_missions,
    notice_send,
    notice_test_send,
    recipient_languages,
    send_check,
)
from .wording import line_words

PUBLISH_PERMISSION = "correspondence.publish_notice"


def may_publish(user):
    """Sending a notice to every mission takes the permission and a second factor (asked here
    too, not only by common.signin.SecondFactorMiddleware), as distributing a letter does."""
    return user.has_perm(PUBLISH_PERMISSION) and has_second_factor(user)


class SendForm(forms.Form):
    """Send now, or at a time in New York (a `datetime-local` field, read as New York time)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    send_at = forms.DateTimeField(
        label=gettext_lazy("Send at (New York time)"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Leave empty to send now."))

    def clean_send_at(self):
        value = self.cleaned_data["send_at"]
        if value is None:
            return None
        value = value.replace(tzinfo=None)
        return timezone.make_aware(value, NEW_YORK)


class TestForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)


def summary_of(notice):
    deliveries = Delivery.objects.for_notice(notice)
    return DistributionSummary(
        recipients=deliveries.to_missions().count(), counts=deliveries.to_missions().counts(),
        without_address=deliveries.to_missions().filter(error=_("no address")).count(),
        held=deliveries.held())


@admin.register(ScheduleNotice)
class ScheduleNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sent notices are records, read-only; the pending one is reviewed and sent from here."""

    list_display = ["__str__", "session", "send_at", "state", "progress"]
    list_select_related = ["session"]
    change_list_template = "admin/correspondence/schedulenotice/change_list.html"

    @admin.display(description=gettext_lazy("state"))
    def state(self, notice):
        if notice.cancelled_at:
            return _("Cancelled by %(user)s on %(when)s") % {
                "user": notice.cancelled_by or "-", "when": ny_when(notice.cancelled_at)}
        if notice.released_at:
            return _("Sent on %(when)s") % {"when": ny_when(notice.released_at)}
        return _("Scheduled for %(when)s") % {"when": ny_when(notice.send_at)}

    @admin.display(description=gettext_lazy("distribution"))
    def progress(self, notice):
        return format_html('{} <a href="{}">{}</a>', progress_line(summary_of(notice)),
                           self._url("distribution", notice.pk), _("Distribution and ledger"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("pending/<int:session_id>/", view(self.pending_view),
                 name="correspondence_schedulenotice_pending"),
            path("pending/<int:session_id>/send/", view(require_POST(self.send_view)),
                 name="correspondence_schedulenotice_send"),
            path("pending/<int:session_id>/test/", view(require_POST(self.test_view)),
                 name="correspondence_schedulenotice_test"),
            path("<int:notice_id>/distribution/", view(self.distribution_view),
                 name="correspondence_schedulenotice_distribution"),
            path("<int:notice_id>/cancel/", view(require_POST(self.cancel_view)),
                 name="correspondence_schedulenotice_cancel"),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        return reverse(f"admin:correspondence_schedulenotice_{name}", args=args,
                       current_app=self.admin_site.name)

    def _check(self, request, *, publish=False):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if publish and not may_publish(request.user):
            raise PermissionDenied

    def changelist_view(self, request, extra_context=None):
        sessions = [(session, len(pending_notice(session).lines), self._url("pending", session.pk))
                    for session in Session.objects.order_by("-number")]
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "pending_sessions": sessions})

    def pending_view(self, request, session_id, *, send_form=None, test_form=None):
        self._check(request)
        session = get_object_or_404(Session, pk=session_id)
        pending = pending_notice(session)
        languages = recipient_languages()
        by_language = []
        for language in languages:
            with translation.override(language):
                by_language.append((language, translation.get_language_info(language)["name_local"],
                                    [(line, line_words(line.kind, line.before, line.after))
                                     for line in pending.lines]))
        refusal = ""
        try:
            send_check()
        except NoticeRefused as exc:
            refusal = str(exc)
        return TemplateResponse(request, "admin/correspondence/schedulenotice/pending.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "session": session,
            "title": _("Pending schedule notice: %(session)s") % {"session": session},
            "pending": pending, "by_language": by_language, "refusal": refusal,
            "can_publish": may_publish(request.user), "warning": mailer_warning(),
            "missions": notice_missions().count(),
            "send_form": send_form or SendForm(initial={"fingerprint": pending.fingerprint}),
            "test_form": test_form or TestForm(initial={"language": languages[0]}),
            "send_url": self._url("send", session.pk), "test_url": self._url("test", session.pk),
        })

    def send_view(self, request, session_id):
        self._check(request, publish=True)
        session = get_object_or_404(Session, pk=session_id)
        form = SendForm(request.POST)
        if not form.is_valid():
            return self.pending_view(request, session_id, send_form=form)
        try:
            sent = notice_send(session=session, by=request.user,
                               send_at=form.cleaned_data["send_at"],
                               fingerprint=form.cleaned_data["fingerprint"])
        except NoticeRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(self._url("pending", session.pk))
        when = (_("scheduled for %(when)s") % {"when": ny_when(sent.notice.send_at)}
                if form.cleaned_data["send_at"] else _("sent now"))
        self.message_user(request, _(
            "%(notice)s %(when)s: %(missions)d missions (%(without)d without an address) and "
            "%(subscribers)d subscribers.") % {
            "notice": sent.notice, "when": when, "missions": sent.missions,
            "without": sent.without_address, "subscribers": sent.subscribers}, messages.SUCCESS)
        return HttpResponseRedirect(self._url("distribution", sent.notice.pk))

    def test_view(self, request, session_id):
        self._check(request, publish=True)
        session = get_object_or_404(Session, pk=session_id)
        form = TestForm(request.POST)
        if not form.is_valid():
            return self.pending_view(request, session_id, test_form=form)
        outcome = notice_test_send(session=session, user=request.user,
                                   language=form.cleaned_data["language"])
        self.message_user(request, outcome.text,
                          messages.SUCCESS if outcome.sent else messages.ERROR)
        return HttpResponseRedirect(self._url("pending", session.pk))

    def distribution_view(self, request, notice_id):
        self._check(request)
        notice = get_object_or_404(ScheduleNotice.objects.select_related(
            "session", "created_by", "cancelled_by"), pk=notice_id)
        summary = summary_of(notice)
        deliveries = list(Delivery.objects.for_notice(notice).select_related(
            "mission__state", "subscription"))
        return TemplateResponse(request, "admin/correspondence/schedulenotice/distribution.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "notice": notice,
            "title": _("Distribution of “%(notice)s”") % {"notice": notice},
            "state": self.state(notice), "progress": progress_line(summary),
            "held": held_lines(summary),
            "states": [(label, summary.counts[value]) for value, label in Delivery.State.choices],
            "subscribers": Delivery.objects.for_notice(notice).to_subscribers().counts(),
            "not_served": [d for d in deliveries if d.state != Delivery.State.SENT],
            "lines": [(line, line_words(line.kind, line.before, line.after))
                      for line in notice.lines.select_related("meeting")],
            "can_cancel": notice.is_cancellable and may_publish(request.user),
            "cancel_url": self._url("cancel", notice.pk),
        })

    def cancel_view(self, request, notice_id):
        self._check(request, publish=True)
        notice = get_object_or_404(ScheduleNotice, pk=notice_id)
        try:
            notice_cancel(notice=notice, by=request.user)
        except NoticeRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, _("%(notice)s is cancelled: nothing was sent, and its "
                                         "changes are pending again.") % {"notice": notice},
                              messages.SUCCESS)
        return HttpResponseRedirect(self._url("distribution", notice.pk))
