"""The subscriptions in the admin: a read-only list for staff (states, consent, counts)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin

from ..models import ConfirmationMessage, Subscription


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("pending", _("Not confirmed")),
                ("unsubscribed", _("Unsubscribed"))]

    def queryset(self, request, queryset):
        return {
            "active": queryset.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
            "pending": queryset.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True),
            "unsubscribed": queryset.filter(unsubscribed_at__isnull=False),
        }.get(self.value(), queryset)


class ConfirmationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConfirmationMessage
    fields = ["kind", "requested_at", "state", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written by the subscribers alone (subscribe, confirm, manage, erase): staff read."""

    list_display = ["email", "state_shown", "scope_shown", "wants_notices", "wants_letters",
                    "language", "source", "consented_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [StateFilter, "wants_notices", "wants_letters", "language"]
    list_select_related = ["session", "cluster"]
    search_fields = ["email"]
    date_hierarchy = "consented_at"
    inlines = [ConfirmationInline]

    @admin.display(description=_("state"))
    def state_shown(self, obj):
        return {"active": _("Active"), "pending": _("Not confirmed"),
                "unsubscribed": _("Unsubscribed")}[obj.state]

    @admin.display(description=_("follows"))
    def scope_shown(self, obj):
        return obj.scope or _("everything")

    def changelist_view(self, request, extra_context=None):
        counts = Subscription.objects.aggregate(
            active=Count("pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
            pending=Count("pk", filter=Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True)),
            unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)))
        extra_context = {**(extra_context or {}), "subscription_counts": counts}
        return super().changelist_view(request, extra_context=extra_context)
