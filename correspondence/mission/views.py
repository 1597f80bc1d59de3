"""The focal point's pages at /mission/: their mission's details and what it was sent.

Every page is the signed-in focal point's own: never cached (`never_cache` answers
`Cache-Control: private, no-store`), and a delivery of another mission is a 404.
"""

import functools

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Delivery, FocalPoint
from .forms import MissionDetailsForm
from .invitations import invitation_for_token
from .services import ResendRefused, mission_deliveries, mission_details_change, mission_resend
from .signup import keep_invitation

PER_PAGE = 50


def focal_point_required(view):
    """Signed in (else to the sign-in page, back here after) and a focal point (else a 403
    page that says so); the view gets the FocalPoint."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        focal_point = FocalPoint.objects.select_related("mission__state").filter(
            user=request.user).first()
        if focal_point is None:
            return render(request, "correspondence/mission/not_focal_point.html", status=403)
        return view(request, focal_point, *args, **kwargs)

    return never_cache(wrapper)


@require_GET
@focal_point_required
def home(request, focal_point):
    mission = focal_point.mission
    page = Paginator(mission_deliveries(mission), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "correspondence/mission/home.html", {
        "mission": mission, "addresses": mission.addresses.order_by("email"),
        "language": mission.get_preferred_language_display(),
        "page_obj": page, "deliveries": page.object_list,
    })


@require_http_methods(["GET", "POST"])
@focal_point_required
def change(request, focal_point):
    mission = focal_point.mission
    if request.method == "POST":
        form = MissionDetailsForm(request.POST)
        if form.is_valid():
            mission_details_change(mission=mission, emails=form.cleaned_data["addresses"],
                                   language=form.cleaned_data["language"], by=request.user)
            messages.success(request, _("Saved. The next letter or notice goes to these "
                                        "addresses."))
            return redirect("mission:home")
    else:
        form = MissionDetailsForm(initial={
            "addresses": "\n".join(mission.addresses.order_by("email")
                                   .values_list("email", flat=True)),
            "language": mission.preferred_language})
    return render(request, "correspondence/mission/change.html",
                  {"mission": mission, "form": form})


def _own_delivery(focal_point, pk):
    return get_object_or_404(Delivery.objects.select_related("letter", "notice"),
                             pk=pk, mission=focal_point.mission)


@require_GET
@focal_point_required
def delivery_detail(request, focal_point, pk):
    delivery = _own_delivery(focal_point, pk)
    return render(request, "correspondence/mission/delivery.html",
                  {"mission": focal_point.mission, "delivery": delivery})


@require_POST
@focal_point_required
def delivery_resend(request, focal_point, pk):
    """POST (the delivery's page asks first): the message queued again at once, or a page
    saying why not (429 over a limit)."""
    delivery = _own_delivery(focal_point, pk)
    try:
        mission_resend(delivery=delivery, by=request.user)
    except ResendRefused as exc:
        return render(request, "correspondence/mission/delivery.html", {
            "mission": focal_point.mission, "delivery": delivery, "refusal": str(exc)},
            status=429 if exc.limited else 409)
    messages.success(request, _("Asked for again: it goes to your mission's addresses as "
                                "they are now, within minutes."))
    return redirect("mission:delivery", pk=delivery.pk)


@require_GET
@never_cache
def invitation_accept(request, token):
    """The invitation's link: a page saying what it is for, then sign-up (allauth), kept
    open for this invitation in the session. A used, expired or withdrawn invitation gets a
    page saying so (410); a forged or unknown link a 404."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "correspondence/mission/invitation_refused.html", {
            "reason": _("This link is not a valid invitation. Check that it was copied "
                        "whole.")}, status=404)
    refusal = invitation.refusal()
    if refusal:
        return render(request, "correspondence/mission/invitation_refused.html",
                      {"reason": refusal}, status=410)
    keep_invitation(request, invitation, get_adapter(request).stash_verified_email)
    return render(request, "correspondence/mission/invitation.html",
                  {"invitation": invitation, "mission": invitation.mission})
