"""The Secretariat's side of the focal points: invite one, see who keeps which mission."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.admin import ReadOnlyAdminMixin

from ..models import FocalPoint, FocalPointInvitation, ResendRequest
from .forms import InvitationForm
from .services import InvitationRefused, invitation_create, invitation_resend


@admin.register(FocalPointInvitation)
class FocalPointInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invitations are made on the "Invite a focal point" page (the add button leads there)
    and never edited: a wrong one is withdrawn and another made."""

    list_display = ["email", "mission", "language", "created_at", "expires_at", "sent_at",
                    "send_error", "accepted_at", "revoked_at"]
    list_filter = ["mission__preferred_language"]
    list_select_related = ["mission"]
    search_fields = ["email", "mission__name"]
    actions = ["send_again", "withdraw"]

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("correspondence.add_focalpointinvitation")

    def has_change_permission(self, request, obj=None):
        # The actions (send again, withdraw) need it; the form has no editable field.
        return request.user.has_perm("correspondence.change_focalpointinvitation")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_invite"
        return [path("invite/", self.admin_site.admin_view(self.invite_view), name=name),
                *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_invite"))

    def invite_view(self, request):
        """"Invite a focal point": GET the form, POST makes the invitation; the worker sends
        it (its row says when the mail server took it)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    invitation = invitation_create(
                        mission=form.cleaned_data["mission"], email=form.cleaned_data["email"],
                        language=form.cleaned_data["language"] or None, by=request.user)
            except InvitationRefused as exc:
                form.add_error("email", str(exc))
            else:
                self.log_addition(request, invitation, [{"added": {}}])
                self.message_user(request, _(
                    "Invitation to %(email)s queued: a worker sends it; its row here says "
                    "when the mail server took it.") % {"email": invitation.email},
                    messages.SUCCESS)
                return HttpResponseRedirect(reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return TemplateResponse(request, "admin/correspondence/focalpointinvitation/invite.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": _("Invite a focal point"),
            "hours": self.invitation_hours(),
        })

    @staticmethod
    def invitation_hours():
        from django.conf import settings

        return settings.IGN_FOCAL_INVITATION_HOURS

    @admin.action(description=gettext_lazy("Send the selected invitations again"),
                  permissions=["change"])
    def send_again(self, request, queryset):
        sent = 0
        for invitation in queryset.select_related("mission"):
            try:
                invitation_resend(invitation=invitation)
            except InvitationRefused as exc:
                self.message_user(request, f"{invitation.email}: {exc}", messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, ngettext(
                "%(count)d invitation queued again.", "%(count)d invitations queued again.",
                sent) % {"count": sent}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Withdraw the selected invitations"),
                  permissions=["change"])
    def withdraw(self, request, queryset):
        count = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        self.message_user(request, ngettext(
            "%(count)d invitation withdrawn: its link no longer works.",
            "%(count)d invitations withdrawn: their links no longer work.",
            count) % {"count": count}, messages.SUCCESS)


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    """Who keeps which mission. Deleting a focal point ends their access to the mission's
    page (the account stays, for the history that names it)."""

    list_display = ["user", "mission", "created_at", "invitation"]
    list_select_related = ["user", "mission"]
    search_fields = ["user__username", "user__email", "mission__name"]
    readonly_fields = ["user", "mission", "invitation", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # made by accepting an invitation


@admin.register(ResendRequest)
class ResendRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The focal points' "Ask for it again", as they asked: who, when, which message."""

    list_display = ["delivery", "mission", "by", "at"]
    list_select_related = ["delivery__letter", "delivery__notice", "delivery__mission",
                           "mission", "by"]
    date_hierarchy = "at"
