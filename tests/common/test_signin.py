"""Staff sign-in through allauth: the admin's login page, two factors, the lockout of an
account from one address, password reset by e-mail, session expiry, the page cache's marker.

The flows are driven through the real pages with the test client; TOTP codes are computed
here from the authenticator's secret (RFC 6238), as a phone would.
"""

import base64
import hashlib
import hmac
import re
import struct
import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from common.cache import SIGNED_IN_COOKIE
from correspondence.models import Delivery, Letter
from portal.management.commands.create_groups import EDITORS, PUBLISHERS, groups_create
from tests.factories import PASSWORD, give_second_factor, make_letter, make_user
from tests.processes import RedisServer, free_port

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def totp(secret, at=None):
    """The six-digit code of a base32 secret now (RFC 6238: HMAC-SHA1, 30 s steps)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(browser, username, password=PASSWORD):
    return browser.post(LOGIN, {"login": username, "password": password})


def member_of(group, username="staff"):
    groups_create()
    user = make_user(username, email=f"{username}@example.org", is_staff=True)
    user.groups.add(user.groups.model.objects.get(name=group))
    return user


# --- The admin's login page ----------------------------------------------------------------

def test_admin_login_page_sends_to_allauths(db):
    response = Client().get("/admin/login/?next=/admin/correspondence/letter/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "next=%2Fadmin%2Fcorrespondence%2Fletter%2F" in response["Location"]


def test_anonymous_admin_page_sends_to_sign_in_through_the_admin_login(db):
    first = Client().get("/admin/", follow=True)

    assert first.redirect_chain[-1][0].startswith(LOGIN)
    assert first.status_code == 200 and 'name="password"' in first.text


def test_no_one_signs_up(db):
    browser = Client()

    page = browser.get("/accounts/signup/")
    browser.post("/accounts/signup/", {"username": "intruder", "password1": "Long-pass-1234!",
                                       "password2": "Long-pass-1234!"})

    assert "sign up" not in browser.get(LOGIN).text.lower()
    assert "closed" in page.text.lower()
    assert not page.wsgi_request.user.is_authenticated
    assert not get_user_model().objects.filter(username="intruder").exists()


# --- Two factors ---------------------------------------------------------------------------

def test_superuser_adds_a_totp_then_signs_in_with_it(db):
    make_user("chief", email="chief@example.org", is_staff=True, is_superuser=True)
    browser = Client()

    first = sign_in(browser, "chief")
    held = [browser.get(path) for path in
            ("/admin/", "/admin/correspondence/letter/", "/admin/auth/user/")]
    told = browser.get(reverse("mfa_index"))
    # Adding a factor asks for the password again (allauth's reauthentication).
    asked_again = browser.get("/accounts/2fa/totp/activate/")
    reauthenticated = browser.post(asked_again["Location"], {"password": PASSWORD})
    setup = browser.get("/accounts/2fa/totp/activate/")
    secret = setup.context["form"].secret
    wrong = browser.post("/accounts/2fa/totp/activate/", {"code": str(int(totp(secret)) ^ 1)})
    after_wrong = Authenticator.objects.filter(type=Authenticator.Type.TOTP).count()
    activated = browser.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    recovery = Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES)
    admin_after = browser.get("/admin/")
    browser.post("/accounts/logout/")

    again = sign_in(browser, "chief")
    before_code = browser.get("/admin/")
    stage = browser.get(again["Location"])
    bad_code = browser.post("/accounts/2fa/authenticate/", {"code": "123456"})
    good_code = browser.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    signed_in = browser.get("/admin/")

    assert first.status_code == 302
    assert all(r.status_code == 302 and r["Location"] == reverse("mfa_index") for r in held)
    assert "needs a second factor" in told.text
    assert asked_again["Location"].startswith("/accounts/reauthenticate/")
    assert reauthenticated.status_code == 302
    assert setup.status_code == 200 and secret in setup.text
    assert wrong.status_code == 200 and after_wrong == 0
    assert activated.status_code == 302
    assert len(recovery.wrap().get_unused_codes()) == 10  # made with the authenticator
    assert admin_after.status_code == 200
    assert again.status_code == 302 and again["Location"] == "/accounts/2fa/authenticate/"
    assert before_code.status_code == 302 and "/login/" in before_code["Location"]
    assert stage.status_code == 200 and 'name="code"' in stage.text
    assert bad_code.status_code == 200 and not bad_code.wsgi_request.user.is_authenticated
    assert good_code.status_code == 302
    assert good_code.cookies[SIGNED_IN_COOKIE].value  # the page cache's marker, at sign-in
    assert signed_in.status_code == 200


def test_a_totp_code_is_refused_the_second_time(db):
    secret = give_second_factor(make_user("other", is_staff=True, is_superuser=True))
    code = totp(secret)
    first, second = Client(), Client()
    sign_in(first, "other")
    sign_in(second, "other")

    used = first.post("/accounts/2fa/authenticate/", {"code": code})
    replayed = second.post("/accounts/2fa/authenticate/", {"code": code})

    assert used.status_code == 302
    assert replayed.status_code == 200 and not replayed.wsgi_request.user.is_authenticated


def test_recovery_codes_sign_in_once_each(db):
    user = make_user("chief", is_staff=True, is_superuser=True)
    give_second_factor(user)
    browser = Client()
    sign_in(browser, "chief")
    codes = Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()

    with_code = browser.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    browser.post("/accounts/logout/")
    sign_in(browser, "chief")
    reused = browser.post("/accounts/2fa/authenticate/", {"code": codes[0]})

    assert with_code.status_code == 302
    assert reused.status_code == 200 and not reused.wsgi_request.user.is_authenticated


def test_editors_may_do_without_a_second_factor(db):
    member_of(EDITORS, "editor")
    browser = Client()

    signed_in = sign_in(browser, "editor")

    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    assert browser.get("/admin/correspondence/letter/").status_code == 200


def test_publisher_without_a_second_factor_reaches_no_admin_page(db):
    member_of(PUBLISHERS, "publisher")
    letter = make_letter()
    browser = Client()
    sign_in(browser, "publisher")

    pages = [browser.get(p) for p in ("/admin/", "/admin/correspondence/letter/")]
    issue = browser.post(reverse("admin:correspondence_letter_issue", args=[letter.pk]))

    assert all(r.status_code == 302 and r["Location"] == reverse("mfa_index") for r in pages)
    assert issue.status_code == 302 and issue["Location"] == reverse("mfa_index")
    assert Letter.objects.get(pk=letter.pk).is_draft


def test_whoever_may_issue_is_sent_to_add_a_second_factor_group_or_not(db):
    from django.contrib.auth.models import Permission

    editor = member_of(EDITORS, "editor-who-issues")
    editor.user_permissions.add(Permission.objects.get(codename="issue_letter"))
    browser = Client()
    sign_in(browser, "editor-who-issues")

    page = browser.get("/admin/")

    assert page.status_code == 302 and page["Location"] == reverse("mfa_index")


@pytest.fixture
def without_the_middleware(settings):
    """The admin's actions alone: they must refuse too, whatever a URL the middleware
    might miss."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m != "common.signin.SecondFactorMiddleware"]


def test_issue_and_distribute_refuse_a_publisher_without_a_second_factor(
        letters_71, without_the_middleware, settings):
    settings.EMAIL_CONFIGURED = True
    cover, _earlier, draft = letters_71
    publisher = member_of(PUBLISHERS, "publisher")
    browser = Client()
    browser.force_login(publisher)

    issue = browser.post(reverse("admin:correspondence_letter_issue", args=[draft.pk]))
    action = browser.post(reverse("admin:correspondence_letter_changelist"), {
        "action": "issue_selected", "_selected_action": [draft.pk]})
    distribute = browser.post(reverse("admin:correspondence_letter_distribute",
                                      args=[cover.pk]), {"confirm": "1"})

    assert issue.status_code == 403
    assert action.status_code in (200, 302)
    assert Letter.objects.get(pk=draft.pk).is_draft
    assert distribute.status_code == 403
    assert not Delivery.objects.filter(letter=cover).exists()

    give_second_factor(publisher)
    assert browser.get(reverse("admin:correspondence_letter_issue",
                               args=[draft.pk])).status_code == 200


# --- Lockout -------------------------------------------------------------------------------

def test_failures_lock_the_account_from_that_address_only(db, settings):
    member_of(EDITORS, "pga-office")
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    office = Client(REMOTE_ADDR="203.0.113.20")

    failures = [sign_in(attacker, "pga-office", "wrong-guess") for _ in
                range(settings.IGN_SIGNIN_FAILURES)]
    locked = sign_in(attacker, "pga-office")
    from_office = sign_in(office, "pga-office")

    assert all(r.status_code == 200 and "password you specified are not correct" in r.text
               for r in failures)
    assert locked.status_code == 200 and "Too many failed login attempts" in locked.text
    assert not locked.wsgi_request.user.is_authenticated
    assert from_office.status_code == 302 and from_office.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("attacker_addresses", [
    # The same address, a new port in the Host header each time (the port is no host).
    [("198.51.100.7", f"testserver:{port}") for port in range(1, 8)],
    # New IPv6 addresses of one /64 network: one network, as allauth counts addresses.
    [(f"2001:db8:1:2::{n:x}", "testserver") for n in range(1, 8)],
], ids=["host-ports", "ipv6-network"])
def test_the_lockout_is_not_lifted_by_a_new_host_port_or_address_of_the_same_network(
        db, settings, attacker_addresses):
    member_of(EDITORS, "pga-office")
    failures = settings.IGN_SIGNIN_FAILURES
    for address, host in attacker_addresses[:failures]:
        sign_in(Client(REMOTE_ADDR=address, HTTP_HOST=host), "pga-office", "wrong-guess")

    for address, host in attacker_addresses[failures:]:
        attempt = sign_in(Client(REMOTE_ADDR=address, HTTP_HOST=host), "pga-office")
        assert attempt.status_code == 200 and "Too many failed login attempts" in attempt.text
        assert not attempt.wsgi_request.user.is_authenticated
    office = sign_in(Client(REMOTE_ADDR="203.0.113.20"), "pga-office")
    assert office.status_code == 302 and office.wsgi_request.user.is_authenticated


def test_cache_down_refuses_sign_in_with_503(db, settings):
    member_of(EDITORS, "editor")
    redis = RedisServer()
    redis.stop()  # a real server, gone: connections are refused
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis.url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}}}

    started = time.monotonic()
    response = sign_in(Client(), "editor")

    assert response.status_code == 503 and response["Retry-After"]
    assert "try again" in response.text
    assert time.monotonic() - started < 5


# --- Passwords and sessions ----------------------------------------------------------------

def test_password_validators_refuse_1(db):
    user = make_user("editor")

    with pytest.raises(ValidationError) as refused:
        validate_password("1", user)

    assert len(refused.value.messages) >= 2
    validate_password("eleven-reform-clusters", user)


def test_password_reset_by_e_mail(db, settings):
    member_of(EDITORS, "editor")
    browser = Client()

    asked = browser.post("/accounts/password/reset/", {"email": "editor@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    form = browser.get(link[1], follow=True)
    form_url = form.redirect_chain[-1][0] if form.redirect_chain else link[1]
    weak = browser.post(form_url, {"password1": "1", "password2": "1"})
    strong = browser.post(form_url, {"password1": "Eleven-reform-clusters",
                                     "password2": "Eleven-reform-clusters"})
    old = sign_in(Client(), "editor")
    new = sign_in(Client(), "editor", "Eleven-reform-clusters")

    assert asked.status_code == 302 and len(mail.outbox) == 1
    assert form.status_code == 200 and 'name="password1"' in form.text
    assert weak.status_code == 200 and "too short" in weak.text
    assert strong.status_code == 302
    assert old.status_code == 200 and new.status_code == 302


def test_password_reset_with_the_mail_server_down_is_a_503_not_a_500(db, settings):
    member_of(EDITORS, "editor")
    settings.MAILERS = {"default": {  # nothing listens there: the connection is refused
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2}}}

    started = time.monotonic()
    asked = Client().post("/accounts/password/reset/", {"email": "editor@example.org"})

    assert asked.status_code == 503 and int(asked["Retry-After"]) > 0
    assert "could not be sent" in asked.text
    assert time.monotonic() - started < 5


def test_staff_sessions_end_after_a_working_day_idle_and_at_browser_close(db, settings):
    member_of(EDITORS, "editor")
    browser = Client()

    response = browser.post(LOGIN, {"login": "editor", "password": PASSWORD, "remember": "on"})
    session = browser.session

    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry on
    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
    assert response.cookies[SIGNED_IN_COOKIE]["max-age"] == ""


def test_sign_out_clears_the_page_cache_marker(db):
    member_of(EDITORS, "editor")
    browser = Client()
    sign_in(browser, "editor")

    out = browser.post("/accounts/logout/")

    assert out.status_code == 302
    assert out.cookies[SIGNED_IN_COOKIE]["max-age"] == 0


def test_make_admin_says_how_to_add_the_second_factor(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Eleven-reform-clusters")
    out = StringIO()

    call_command("createsuperuser", interactive=False, username="chief",
                 email="chief@example.org", stdout=out)

    assert get_user_model().objects.get(username="chief").is_superuser
    assert "second factor" in out.getvalue() and "/admin/" in out.getvalue()


# --- The pages -----------------------------------------------------------------------------

INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\s(src=|type=\"application/json\"))", re.I)


def test_sign_in_pages_are_the_sites_and_carry_no_inline_script_or_style(db):
    user = make_user("chief", email="chief@example.org", is_staff=True, is_superuser=True)
    secret = give_second_factor(user)
    anonymous = Client()
    pages = {path: anonymous.get(path) for path in (
        LOGIN, "/accounts/password/reset/", "/accounts/password/reset/done/",
        "/accounts/signup/")}
    browser = Client()
    sign_in(browser, "chief")
    pages["/accounts/2fa/authenticate/"] = browser.get("/accounts/2fa/authenticate/")
    browser.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    pages["/accounts/reauthenticate/"] = browser.get("/accounts/reauthenticate/")
    browser.post("/accounts/reauthenticate/", {"password": PASSWORD})
    for path in ("/accounts/2fa/", "/accounts/2fa/webauthn/add/",
                 "/accounts/2fa/webauthn/", "/accounts/2fa/recovery-codes/",
                 "/accounts/password/change/", "/accounts/logout/"):
        pages[path] = browser.get(path)

    assert {path: r.status_code for path, r in pages.items()} == dict.fromkeys(pages, 200)
    for path, response in pages.items():
        assert 'class="site-header"' in response.text, path
        assert 'href="#main"' in response.text, path
        assert not INLINE.search(response.text), (path, INLINE.search(response.text)[0])
