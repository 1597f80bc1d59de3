"""Printing a letter's page from a browser (Playwright driving Debian's Chromium) gives the
letter as distributed: the same pages as its PDF."""

import difflib
import io

import pytest
from pypdf import PdfReader

from correspondence.models import Letter
from correspondence.seed import PGA_SLUG

from .pdftools import pdf_text, words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pga(portal):
    """The seed's PGA letter and its PDF, read before Playwright's event loop starts."""
    letter = Letter.objects.get(slug=PGA_SLUG)
    return letter, bytes(letter.pdf)


def printed(context, url):
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    return page.pdf(prefer_css_page_size=True)


def test_printing_the_seed_letter_page_gives_the_pages_of_its_pdf(context, portal, pga):
    letter, distributed = pga

    pdf = printed(context, f"{portal.url}/letters/{PGA_SLUG}/")
    pages = [pdf_text(pdf, layout=False, first=n) for n in (1, 2)]

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    first, second = (" ".join(page.split()) for page in pages)
    # No portal header or page title: the letterhead first, the addressee at the foot.
    assert first.startswith("THE PRESIDENT OF THE GENERAL ASSEMBLY 12 January 2017")
    assert first.index("GENERAL ASSEMBLY") < first.index(
        "To All Permanent Representatives to the United Nations New York")
    assert "IGN Portal" not in first + second
    assert second.startswith("PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS")
    # The close and the Co-Chairs' signatures on the enclosure's page, above its addressee.
    assert second.index("Please accept") < second.index("Co-Chair, IGN 71st Session.") < (
        second.index("The Permanent Missions of the Member States"))
    footer = f"Verification code {letter.verification_code}"
    assert first.count(footer) == second.count(footer) == 1
    # Page by page, the same words in the same order as the PDF as distributed.
    for n, page in enumerate(pages, start=1):
        expected = words(pdf_text(distributed, layout=False, first=n))
        ratio = difflib.SequenceMatcher(None, expected, words(page), autojunk=False).ratio()
        assert ratio > 0.98, (n, ratio)


@pytest.fixture
def seven_lines(portal):
    from tests.factories import make_issued_letter

    from .test_pdf_fit import SEVEN_LINES

    letter = make_issued_letter(slug="2017-03-01-seven-lines", addressee="\n".join(SEVEN_LINES))
    return letter, SEVEN_LINES


def test_printing_a_seven_line_addressee_prints_it_whole_inside_the_page(
        context, portal, seven_lines):
    from .test_pdf_fit import lines_and_misplaced

    letter, addressee = seven_lines

    pdf = printed(context, f"{portal.url}/letters/{letter.slug}/")
    pages, misplaced = lines_and_misplaced(pdf)

    assert len(pages) == 1
    assert misplaced == []
    assert pages[0][-8:] == [*addressee, f"Verification code {letter.verification_code}"]
