"""Staff sign-in: who needs a second factor, and the lockout of an account from one address.

Every sign-in goes through django-allauth (the admin's login page redirects to it). Two
things are ours:

- A superuser, or a member of a group in ``IGN_SECOND_FACTOR_GROUPS`` (the publishers), opens
  no admin page until they have a second factor (an authenticator app or a security key):
  ``SecondFactorMiddleware`` sends them to add one. The admin's issue and distribute actions
  ask ``has_second_factor`` themselves too, so that no URL the middleware misses lets them
  through.
- allauth counts failed sign-ins per account; an attacker who knows the name of the
  President's office's account could lock it out from anywhere. ``StaffAccountAdapter``
  counts them per account *and* address instead: a guessing address locks only itself out.
"""

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from .logs import log_once

logger = logging.getLogger(__name__)

# What the shared cache raises when Redis is down, frozen past its timeout, or full.
CACHE_ERRORS = (ConnectionInterrupted, RedisError)
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# How long a browser is told to wait when sign-in cannot count failures (the cache is down).
RETRY_AFTER_SECONDS = 30


def second_factor_required(user):
    """Superusers, the groups that may publish and whoever may issue or distribute cannot do
    without a second factor."""
    return user.is_authenticated and (
        user.is_superuser
        or user.groups.filter(name__in=settings.IGN_SECOND_FACTOR_GROUPS).exists()
        or any(user.has_perm(name) for name in settings.IGN_SECOND_FACTOR_PERMISSIONS)
    )


def has_second_factor(user):
    """An authenticator app or a security key; recovery codes alone are not one."""
    return user.is_authenticated and Authenticator.objects.filter(
        user_id=user.pk, type__in=SECOND_FACTORS).exists()


class SecondFactorMiddleware:
    """Sends a user who needs a second factor and has none from any admin page to the page
    where they add one. The public pages never reach the session here: the path is looked at
    first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        if (request.path_info.startswith(admin_root)
                and request.path_info != reverse("admin:logout")
                and second_factor_required(request.user)
                and not has_second_factor(request.user)):
            messages.warning(request, _(
                "Your account needs a second factor before the administration opens: add "
                "an authenticator app or a security key, then save your recovery codes."))
            return redirect("mfa_index")
        return self.get_response(request)

    def process_exception(self, request, exception):
        """allauth counts sign-ins and failures in the shared cache, with no fallback. A cache
        that fails refuses the sign-in with a 503: a guess that cannot be counted is not
        tried. (A cache that fails silently cannot be locked: allauth then refuses the
        sign-in as too many attempts, which is the same answer.)"""
        match = request.resolver_match
        if isinstance(exception, MailUnavailable):
            log_once(logger, "signin-mail", "A sign-in e-mail was not sent: the mail server "
                     "failed (%s).", exception.__cause__)
            response = HttpResponse(
                render_to_string("account/mail_unavailable.html", request=request),
                status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if (isinstance(exception, CACHE_ERRORS) and match
                and (match.url_name or "").startswith(("account_", "mfa_"))):
            log_once(logger, "signin-cache", "Sign-in refused: the cache that counts "
                     "sign-ins is unreachable (%s).", exception)
            response = HttpResponse(
                render_to_string("account/signin_unavailable.html", request=request),
                status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return None


class MailUnavailable(Exception):
    """The mail server did not take a sign-in e-mail (a password reset): answered 503."""


class StaffAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's, with a mail server that is down or refuses answered 503, not 500
        (``SecondFactorMiddleware.process_exception``)."""
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailUnavailable(str(exc)) from exc

    def is_open_for_signup(self, request):
        """Staff accounts are made by a superuser in the admin; no one signs up."""
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth keys its "login_failed" count on the account alone (after the Host
        header, port included: a new port would be a fresh count); ours is the account and
        the client's address, so failures from one address lock that address out of that
        account only, whatever Host it names. The address is allauth's own for rate limits
        (an IPv6 address counts as its /64 network, which one client holds whole). (The
        "ip" part of ACCOUNT_RATE_LIMITS["login_failed"] still bounds one address over all
        accounts.)"""
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{login}:{ratelimit.get_ip(request)}"
