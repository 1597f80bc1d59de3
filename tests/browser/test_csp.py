"""The Content-Security-Policy in a real browser: no page of ours, public or admin, has
anything refused by it (an inline style or script without its nonce, a load from elsewhere),
and Chromium reads our Permissions-Policy without complaint."""

from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from correspondence.models import Letter
from sessions.models import Meeting
from tests.factories import give_second_factor, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page's (and is not subject to its policy): every violation
# the page raises, in the order raised.
RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
                           + ` at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy",
                "Permissions policy")
# Admin pages that are not HTML pages, or leave the admin.
NOT_PAGES = {"logout", "jsi18n", "view_on_site", "correspondence_letter_preview_pdf",
             "correspondence_letter_ledger_csv", "autocomplete"}
# Pages that are the same for every model: one model's is enough.
SAME_ON_EVERY_MODEL = ("_simple_history", "_history", "_delete")
DOWNLOADS = (".csv", ".pdf", ".ics", ".json")
MAX_ADMIN_PAGES = 80


def public_pages():
    meeting = Meeting.objects.get(session__number=71, number=1)
    return [
        "/", "/meetings/", f"/meetings/{meeting.pk}/", "/meetings/changes/", "/clusters/",
        "/clusters/question-of-the-veto/", "/letters/",
        "/letters/2017-01-12-pga-resumption-of-the-ign/", "/letters/verify/", "/sessions/71/",
        "/meetings/999999/", "/admin/login/",
    ]


class Recorder:
    """A browser context that keeps each page's violations and policy complaints."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.context.add_init_script(RECORDER)
        self.console = []
        self.context.on("console", self._console)

    def _console(self, message):
        if any(word in message.text for word in POLICY_WORDS):
            self.console.append(message.text)

    def visit(self, url):
        """(status, violations, the page's links), the page closed."""
        page = self.context.new_page()
        try:
            response = page.goto(url)
            page.wait_for_timeout(100)  # violations are reported in a task of their own
            violations = page.evaluate("window.__violations")
            links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
            return response.status, violations, links
        finally:
            page.close()


def signed_in_cookie(portal):
    """The session of a staff member who holds every permission (so every admin page opens)
    but is no superuser, with the second factor that issuing and distributing ask for."""
    staff = make_user("csp-admin", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    give_second_factor(staff)
    client = Client()
    client.force_login(staff)
    return {"name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": portal.url}


def test_public_pages_raise_no_policy_violation(browser, portal):
    recorder = Recorder(browser)
    found = {}
    for path in public_pages():
        status, violations, _links = recorder.visit(portal.url + path)
        assert status == (404 if path == "/meetings/999999/" else 200), path
        if violations:
            found[path] = violations

    assert found == {}
    assert recorder.console == []
    recorder.context.close()


def test_admin_pages_raise_no_policy_violation(browser, portal):
    """Every kind of admin page reached by links from the index (one page per URL name;
    one history and one delete page in all), and the letter pages of a draft and of an
    issued letter."""
    draft = Letter.objects.get(subject="Unissued draft on the veto")
    issued = Letter.objects.get(slug="2017-01-12-pga-cover")
    recorder = Recorder(browser)
    recorder.context.add_cookies([signed_in_cookie(portal)])
    must = [
        reverse("admin:index"),
        reverse("admin:correspondence_letter_change", args=[draft.pk]),
        reverse("admin:correspondence_letter_issue", args=[draft.pk]),
        reverse("admin:correspondence_letter_change", args=[issued.pk]),
        reverse("admin:correspondence_letter_correct", args=[issued.pk]),
        reverse("admin:correspondence_letter_distribution", args=[issued.pk]),
        reverse("admin:correspondence_letter_distribute", args=[issued.pk]),
        draft.get_absolute_url(),  # a draft's page, with its watermark, for staff only
    ]
    queue, seen, found, statuses = list(must), set(), {}, {}
    while queue and len(statuses) < MAX_ADMIN_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        name = next((kind for kind in SAME_ON_EVERY_MODEL if name.endswith(kind)), name)
        if (name in NOT_PAGES or path.endswith(DOWNLOADS) or url in statuses
                or (name in seen and url not in must)):
            continue
        seen.add(name)
        status, violations, links = recorder.visit(urljoin(portal.url, url))
        statuses[url] = status
        if violations:
            found[url] = violations
        queue += [urlsplit(link).path for link in links
                  if link.startswith(portal.url + "/admin/")]

    assert found == {}
    assert recorder.console == []
    assert {url: statuses.get(url) for url in must} == {url: 200 for url in must}
    assert len(statuses) > 40, statuses  # the crawl went past the index
    recorder.context.close()


def test_the_recorder_sees_a_refused_inline_style(browser, portal):
    """The two tests above would pass on a recorder that records nothing: this one shows it
    records the violation an inline style is."""
    recorder = Recorder(browser)
    page = recorder.context.new_page()
    page.goto(portal.url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__violations.length > 0")

    assert page.evaluate("window.__violations")[0].startswith("style-src-attr refused inline")
    recorder.context.close()


def test_the_admins_autocomplete_and_prepopulated_slug_work_under_the_policy(browser, portal):
    """The admin's scripts that build markup (select2's autocomplete, which fetches its
    choices, and the slug filled from the subject) run and raise nothing."""
    recorder = Recorder(browser)
    recorder.context.add_cookies([signed_in_cookie(portal)])
    page = recorder.context.new_page()
    page.goto(portal.url + reverse("admin:correspondence_letter_add"))

    page.click("#id_session + .select2 .select2-selection")
    page.wait_for_selector(".select2-results__option:has-text('seventy-first session')")
    page.locator("#id_subject").press_sequentially("A letter on the veto")
    page.wait_for_timeout(100)

    assert page.input_value("#id_slug") == "a-letter-on-the-veto"
    assert page.evaluate("window.__violations") == []
    assert recorder.console == []
    recorder.context.close()


def test_a_drafts_page_shows_its_watermark_from_the_static_file(browser, portal):
    draft = Letter.objects.get(subject="Unissued draft on the veto")
    recorder = Recorder(browser)
    recorder.context.add_cookies([signed_in_cookie(portal)])
    page = recorder.context.new_page()
    page.goto(portal.url + draft.get_absolute_url())

    background = page.eval_on_selector("article.sheet", "e => getComputedStyle(e).backgroundImage")
    loaded = page.evaluate("""async (url) => (await fetch(url)).headers.get('content-type')""",
                           background.split('"')[1])

    assert "/static/img/draft-watermark." in background
    assert loaded == "image/svg+xml"
    assert page.evaluate("window.__violations") == []
    recorder.context.close()
