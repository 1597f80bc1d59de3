"""The sign-in pages in a real browser: axe-core (WCAG 2.2 AA), and the sign-in with an
authenticator app done with JavaScript off."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD, give_second_factor, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def totp(secret):
    """The code of a base32 secret now (RFC 6238), as tests/common/test_signin.py computes it."""
    digest = hmac.new(base64.b32decode(secret, casefold=True),
                      struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def violations(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]]


def sign_in(page, url, username):
    page.goto(url + "/admin/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_sign_in_pages_have_no_axe_violations(browser, portal):
    secret = give_second_factor(make_user("chief", email="chief@example.org",
                                          is_staff=True, is_superuser=True))
    context = browser.new_context()
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in {"sign-in": "/accounts/login/", "reset": "/accounts/password/reset/",
                       "reset-sent": "/accounts/password/reset/done/",
                       "sign-up-closed": "/accounts/signup/"}.items():
        assert page.goto(portal.url + path).status == 200, name
        found[name] = violations(axe, page)

    sign_in(page, portal.url, "chief")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    found["second-factor"] = violations(axe, page)
    page.fill("#id_code", totp(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(portal.url + "/accounts/2fa/")
    found["two-factor"] = violations(axe, page)
    page.goto(portal.url + "/accounts/2fa/webauthn/add/")
    page.wait_for_url("**/accounts/reauthenticate/**")
    found["reauthenticate"] = violations(axe, page)
    context.close()

    assert found == {name: [] for name in found}


def test_an_authenticator_app_signs_in_without_javascript(browser, portal):
    secret = give_second_factor(make_user("chief", is_staff=True, is_superuser=True))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    sign_in(page, portal.url, "chief")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("#id_code", totp(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/")
    heading = page.text_content("#site-name")
    context.close()

    assert "IGN Portal" in heading
