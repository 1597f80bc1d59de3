"""The subscription pages: subscribe, confirm, manage, unsubscribe (RFC 8058), erase.

None of them is cached: each depends on its token or carries a CSRF token. Every page that
a token opens answers 404 for a forged, malformed or erased one, changing nothing.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clusters.models import Cluster
from sessions.models import Session

from ..models import Subscription
from . import links, services
from .forms import SubscribeForm, WhatForm, page_path

TEMPLATES = "correspondence/subscriptions/"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET: the form, for the scope in the query (?session=<n> or ?cluster=<slug>) and the
    page it came from (?from=); POST: ask for a confirmation message (429 over a limit)."""
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            wants_notices, wants_letters = form.wants
            refused = services.subscription_request(asked=services.Request(
                email=data["email"], language=data["language"], wants_notices=wants_notices,
                wants_letters=wants_letters, session=data["session"], cluster=data["cluster"],
                source=data["source"] or request.path), client=request.META.get("REMOTE_ADDR"))
            if refused:
                return render(request, TEMPLATES + "limited.html", {"refused": refused},
                              status=429)
            return redirect("subscriptions:sent")
        status = 400
        scope = form.cleaned_data.get("session") or form.cleaned_data.get("cluster")
    else:
        scope = _scope(request.GET)
        form = SubscribeForm(initial={
            "session": scope.number if isinstance(scope, Session) else None,
            "cluster": scope.slug if isinstance(scope, Cluster) else "",
            "what": request.GET.get("what") if request.GET.get("what") in (
                "notices", "letters") else "both",
            "language": request.LANGUAGE_CODE, "source": page_path(request.GET.get("from"))})
    return render(request, TEMPLATES + "subscribe.html", {
        "form": form, "scope": scope, "hours": settings.IGN_SUBSCRIPTION_CONFIRM_HOURS,
        "back": page_path(form["source"].value())}, status=status)


@never_cache
def sent(request):
    """"Check your inbox": the same page whatever the address (subscribed or not)."""
    return render(request, TEMPLATES + "sent.html",
                  {"hours": settings.IGN_SUBSCRIPTION_CONFIRM_HOURS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a page with a button (mail scanners that open links confirm nothing); POST:
    confirm. A replayed link says it is confirmed; an expired one says so (410)."""
    subscription, status = links.confirmation_of(token)
    if subscription is None:
        return link_problem(request)
    if subscription.unsubscribed_at is not None:
        state = "ended"
    elif subscription.confirmed_at is not None:
        state = "already"
    elif status == "expired":
        return render(request, TEMPLATES + "confirm.html", {"state": "expired"}, status=410)
    elif request.method == "POST":
        state = "confirmed" if services.subscription_confirm(subscription=subscription) \
            else "already"
    else:
        state = "ask"
    return render(request, TEMPLATES + "confirm.html", {
        "state": state, "subscription": subscription,
        "manage_url": links.manage_url(subscription)})


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", without a token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a page with a button; POST (the one-click POST included): unsubscribe at once."""
    subscription = _named(token, links.UNSUBSCRIBE_SALT)
    if subscription is None:
        return link_problem(request)
    if request.method == "POST":
        services.subscription_unsubscribe(subscription=subscription)
        subscription.refresh_from_db()
    return render(request, TEMPLATES + "unsubscribe.html", {
        "subscription": subscription, "manage_url": links.manage_url(subscription)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """What the subscription receives and in which language; links to unsubscribe, erase."""
    subscription = _named(token, links.MANAGE_SALT)
    if subscription is None:
        return link_problem(request)
    saved, status = False, 200
    if request.method == "POST" and subscription.unsubscribed_at is None:
        form = WhatForm(request.POST)
        if form.is_valid():
            wants_notices, wants_letters = form.wants
            services.subscription_change(
                subscription=subscription, language=form.cleaned_data["language"],
                wants_notices=wants_notices, wants_letters=wants_letters)
            saved = True
        else:
            status = 400
    else:
        form = WhatForm(initial={"what": WhatForm.what_of(subscription),
                                 "language": subscription.language})
    return render(request, TEMPLATES + "manage.html", {
        "subscription": subscription, "form": form, "saved": saved, "token": token,
        "unsubscribe_url": links.unsubscribe_url(subscription)}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request, token):
    """GET: what erasing does, and a button; POST: erase the subscriber's data."""
    subscription = _named(token, links.MANAGE_SALT)
    if subscription is None:
        return link_problem(request)
    if request.method == "POST":
        services.subscription_erase(subscription=subscription)
        return render(request, TEMPLATES + "erased.html")
    return render(request, TEMPLATES + "erase.html", {"subscription": subscription,
                                                       "token": token})


def _scope(query):
    """The session or cluster a query names, None for everything; 404 for an unknown one."""
    session, cluster = query.get("session"), query.get("cluster")
    if session and cluster or (session and not (session.isascii() and session.isdigit())):
        raise Http404
    if session:
        return get_object_or_404(Session, number=int(session))
    return get_object_or_404(Cluster, slug=cluster) if cluster else None


def _named(token, salt):
    pk = links.subscription_id(token, salt)
    return Subscription.objects.filter(pk=pk).first() if pk is not None else None


def link_problem(request):
    """404: the link is forged, malformed, or names a subscription erased since."""
    return render(request, TEMPLATES + "link_problem.html", status=404)
