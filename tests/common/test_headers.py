"""Every response's security headers: a strict Content-Security-Policy, Permissions-Policy and
no framing, whatever answered (a view, the page cache, WhiteNoise, an error handler); TRACE
refused, OPTIONS answered without the page; a bad Host answered 400 in one log line."""

import re
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from common.headers import permissions_policy
from correspondence.watermark import static_name, watermark_svg
from tests.processes import AppServer, project_env

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
LETTER = "/letters/2017-01-12-pga-resumption-of-the-ign/"


def assert_secured(response, what):
    policy = response.get("Content-Security-Policy", "")
    directives = dict(d.strip().partition(" ")[::2] for d in policy.split(";"))
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, what
    assert directives.get("default-src") == "'none'", (what, policy)
    assert directives.get("frame-ancestors") == "'none'", (what, policy)
    assert response.get("X-Frame-Options") == "DENY", what
    assert response.get("Permissions-Policy") == permissions_policy(), what
    assert "camera=()" in response["Permissions-Policy"], what


def test_every_kind_of_response_has_the_headers(client, admin_client, letters_71):
    anonymous = Client()
    pdf = letters_71[0].get_pdf_url()
    answers = {
        "page": anonymous.get("/"),
        "cache hit": anonymous.get("/"),
        "letter": anonymous.get(LETTER),
        "pdf": anonymous.get(pdf),
        "pdf from the cache": anonymous.get(pdf),
        "not modified": anonymous.get("/", headers={"If-None-Match": anonymous.get("/")["ETag"]}),
        "static file": anonymous.get(static("css/portal.css")),
        "feed": anonymous.get("/letters/feed/"),
        "changes feed": anonymous.get("/meetings/changes/feed/"),
        "calendar": anonymous.get("/meetings/calendar.ics"),
        "api": anonymous.get("/api/meetings.json"),
        "robots": anonymous.get("/robots.txt"),
        "404": anonymous.get("/meetings/999999/"),
        "403 csrf": Client(enforce_csrf_checks=True).post("/letters/verify/", {"code": "x"}),
        "400 bad host": anonymous.get("/", headers={"host": "evil.example"}),
        "admin": admin_client.get("/admin/"),
        "admin change list": admin_client.get("/admin/correspondence/letter/"),
        "admin sign-in redirect": anonymous.get("/admin/"),
        "405 trace": anonymous.generic("TRACE", "/"),
        "options": anonymous.options("/"),
    }

    assert {name: r.status_code for name, r in answers.items()} == {
        "page": 200, "cache hit": 200, "letter": 200, "pdf": 200, "pdf from the cache": 200,
        "not modified": 304, "static file": 200, "feed": 200, "changes feed": 200,
        "calendar": 200, "api": 200, "robots": 200, "404": 404, "403 csrf": 403,
        "400 bad host": 400,
        "admin": 200, "admin change list": 200, "admin sign-in redirect": 302,
        "405 trace": 405, "options": 204,
    }
    assert answers["cache hit"]["X-Cache"] == "hit"
    assert answers["pdf from the cache"]["X-Cache"] == "hit"
    for name, response in answers.items():
        assert_secured(response, name)


@pytest.mark.urls("tests.common.header_urls")
def test_the_500_page_has_the_headers():
    response = Client(raise_request_exception=False).get("/fails/")

    assert response.status_code == 500
    assert_secured(response, "500")


def test_public_pages_need_no_nonce(letters_71):
    """A nonce in a cached page would be served to everyone after: public pages use none,
    so their policy is the same for every request and names no nonce."""
    anonymous = Client()
    for path in ["/", "/meetings/", "/clusters/", "/letters/", LETTER, "/letters/verify/",
                 "/meetings/999999/"]:
        policies = {anonymous.get(path)["Content-Security-Policy"] for _ in range(2)}
        assert len(policies) == 1 and "nonce-" not in policies.pop(), path


@pytest.mark.urls("tests.common.header_urls")
def test_a_public_page_that_used_its_nonce_is_never_stored():
    anonymous = Client()

    first, second = anonymous.get("/with-nonce/"), anonymous.get("/with-nonce/")

    assert "X-Cache" not in first and "X-Cache" not in second
    nonces = [re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
              for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[1]}"' in second.content.decode()


def test_the_admin_gets_a_fresh_nonce_for_its_inline_style(admin_client, letters_71):
    # Without any action, Django's change list carries an inline <style> with the nonce.
    policies = [admin_client.get("/admin/auth/group/")["Content-Security-Policy"]
                for _ in range(2)]

    nonces = [re.search(r"style-src [^;]*'nonce-([^']+)'", p).group(1) for p in policies]
    assert nonces[0] != nonces[1]


def test_trace_and_other_methods_are_refused_and_options_is_not_the_page(client):
    for method in ["TRACE", "TRACK", "PUT", "DELETE", "PATCH", "PROPFIND"]:
        response = client.generic(method, "/")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    for path in ["/", static("css/portal.css"), "/admin/", "/no-such-page/"]:
        response = client.options(path)
        assert response.status_code == 204
        assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
        assert response.content == b""


def test_templates_served_to_browsers_have_no_inline_script_or_style():
    """The policy allows no inline script or style without a nonce, and public pages use
    none: a `<style>`, a style attribute, a `<script>` without src or an event handler in a
    template would be refused by the browser. The PDF's template (read by WeasyPrint, never
    a browser) and the e-mail's are the exceptions."""
    not_for_browsers = {"correspondence/letter_pdf.html",
                        "correspondence/distribution/message.html"}
    inline = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=|javascript:", re.I)
    found = {}
    for template in (ROOT / "templates").rglob("*.html"):
        name = template.relative_to(ROOT / "templates").as_posix()
        if name not in not_for_browsers and (hits := inline.findall(template.read_text())):
            found[name] = hits
    for module in ROOT.glob("[a-z]*/**/*.py"):
        if module.parts[len(ROOT.parts)] in {"tests", "bench", "staticfiles"}:
            continue
        if hits := re.findall(r"""<[a-z]+[^>]*\sstyle=""", module.read_text()):
            found[module.relative_to(ROOT).as_posix()] = hits

    assert found == {}


def test_the_drafts_watermark_file_is_the_one_the_pdf_draws():
    """The page of a draft shows its watermark from a static file (no inline style): the
    same image the PDF draws, one file per language, each named in letter-draft.css."""
    draft_css = (ROOT / "static/css/letter-draft.css").read_text()
    for code, _name in settings.LANGUAGES:
        name = static_name(code)
        stored = (ROOT / "static" / name).read_text().strip()
        with translation.override(code):
            drawn = watermark_svg(_("Draft: not issued"), code)

        assert stored == drawn, f"regenerate static/{name}: manage.py draw_watermarks"
        assert f"url(../{name})" in draft_css


@pytest.fixture
def app_server(tmp_path):
    server = AppServer(project_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                                   CACHE_URL="locmemcache://"), "--workers", "1")
    yield server
    server.stop()


def test_a_bad_host_is_answered_400_with_one_log_line(app_server):
    """Through gunicorn, as served: the 400 carries the headers, the log one line a request."""
    for _attempt in range(3):
        status, headers, _body = app_server.get("/", headers={"Host": "evil.example"})
        assert status == 400
        assert_secured(headers, "400 bad host through gunicorn")

    log = app_server.log()
    assert log.count("Invalid HTTP_HOST header: 'evil.example'") == 3, log
    assert "Traceback" not in log, log
    assert [line for line in log.splitlines() if "evil.example" in line] == [
        line for line in log.splitlines() if "Invalid HTTP_HOST" in line]


def test_trace_through_gunicorn_is_refused(app_server):
    request = urllib.request.Request(app_server.url + "/", method="TRACE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)

    assert refused.value.code == 405
    assert b"IGN Portal" not in refused.value.read()
