"""The letters as a browser shows them (Playwright driving Debian's Chromium)."""

import pytest

from correspondence.models import Letter
from correspondence.seed import CO_CHAIRS_SLUG, PGA_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def letters(portal):
    """The seed letters, read before Playwright's event loop starts (the ORM is sync-only)."""
    return {letter.slug: letter for letter in Letter.objects.filter(
        slug__in=[PGA_SLUG, CO_CHAIRS_SLUG])}


@pytest.fixture
def page(browser, portal, letters):
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    yield context.new_page()
    context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_letter_page_looks_like_the_letters(page, portal, letters):
    page.goto(f"{portal.url}/letters/")
    page.get_by_role("link", name=letters[PGA_SLUG].subject, exact=True).click()
    page.wait_for_load_state("networkidle")

    sheets = page.locator("article.sheet")
    assert sheets.count() == 2
    assert page.evaluate("""() => [...document.fonts].some(
        font => font.family.includes("Letter Serif") && font.status === "loaded")""")
    first = box(page, "article.sheet")
    date = box(page, "article.sheet .sheet-date")
    assert date["x"] + date["width"] > first["x"] + first["width"] * 0.8
    # Both boxes measured at once: the page must not scroll between the two.
    jinga, khiari = page.evaluate("""() => [...document.querySelectorAll('article.sheet')[1]
        .querySelectorAll('.sheet-signature')].map(e => e.getBoundingClientRect().toJSON())""")
    assert abs(jinga["y"] - khiari["y"]) < 1 and jinga["right"] <= khiari["left"]
    assert sheets.nth(1).locator(".sheet-letterhead").inner_text().upper() == (
        "PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS")


def test_verify_a_downloaded_pdf_in_the_browser(page, portal, letters, tmp_path):
    letter = letters[CO_CHAIRS_SLUG]
    pdf = tmp_path / "received.pdf"
    pdf.write_bytes(bytes(letter.pdf))

    page.goto(f"{portal.url}/letters/verify/")
    page.get_by_label("PDF file").set_input_files(str(pdf))
    page.get_by_role("button", name="Check the file").click()

    result = page.get_by_role("status").inner_text()
    assert letter.subject in result and "not been superseded" in result


def test_verify_a_code_typed_in_lower_case(page, portal, letters):
    letter = letters[PGA_SLUG]

    page.goto(f"{portal.url}/letters/verify/")
    page.get_by_label("Verification code").fill(letter.verification_code.lower())
    page.get_by_role("button", name="Check the code").click()

    assert letter.subject in page.get_by_role("status").inner_text()
