"""Nothing of a letter is cut: the addressee block, the close and the signatures stay inside
the page, where the originals put them, or the preview says where they went."""

import io

import pdfplumber
import pytest
from django.urls import reverse

from correspondence import pdf as letter_pdf
from correspondence.pdf import layout_warnings, render_letter_pdf
from tests.factories import make_letter

from .test_pdf_structure import long_body

pytestmark = pytest.mark.django_db

INCH = 72
SEVEN_LINES = [
    "H.E. Mr. Someone Else", "Permanent Representative of a Member State",
    "to the United Nations", "Permanent Mission", "Second Avenue", "Fifth Floor", "New York",
]


def lines_and_misplaced(pdf):
    """Each page's text lines, and every character outside the page or its text block.

    The text block is the page less its margins (0.9 inch at the sides; 0.5 inch at the
    top and 0.6 at the foot of a letter's first page, 0.8 and 1 inch on the next ones);
    the margins hold the page number and the footer, which stay 0.25 inch off the edges.
    """
    pages, misplaced, tolerance = [], [], 1.5
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for n, page in enumerate(doc.pages):
            # A letter's next pages carry a page number at their head.
            numbered = any(c.get("tag") == "Artifact" and c["top"] < 0.8 * INCH
                           for c in page.chars)
            top, bottom = (0.8, 1) if numbered else (0.5, 0.6)
            for char in page.chars:
                if char["text"].isspace():
                    continue
                if char.get("tag") == "Artifact":
                    box = (0.25 * INCH, 0.25 * INCH, page.width - 0.25 * INCH,
                           page.height - 0.25 * INCH)
                else:
                    box = (0.9 * INCH, top * INCH, page.width - 0.9 * INCH,
                           page.height - bottom * INCH)
                if not (box[0] - tolerance <= char["x0"] and char["x1"] <= box[2] + tolerance
                        and box[1] - tolerance <= char["top"]
                        and char["bottom"] <= box[3] + tolerance):
                    misplaced.append((n + 1, char["text"], round(char["x0"]),
                                      round(char["top"])))
            pages.append([line["text"] for line in page.extract_text_lines()])
    return pages, misplaced


def test_a_seven_line_addressee_prints_whole_at_the_foot_of_the_first_page(db):
    letter = make_letter(addressee="\n".join(SEVEN_LINES))

    pages, misplaced = lines_and_misplaced(render_letter_pdf(letter))

    assert misplaced == []
    assert len(pages) == 1
    assert pages[0][-8:-1] == SEVEN_LINES  # then the footer
    assert layout_warnings(letter) == []


def test_a_ten_page_letter_keeps_all_its_text_inside_the_pages(db):
    letter = make_letter(body=long_body(46), signatories=2, addressee="\n".join(SEVEN_LINES))

    pages, misplaced = lines_and_misplaced(render_letter_pdf(letter))

    assert len(pages) >= 10
    assert misplaced == []
    assert pages[0][-8:-1] == SEVEN_LINES
    # The close and both signatures on the last page, below the end of the body.
    last = pages[-1]
    close = last.index(letter.complimentary_close)
    assert any(line.startswith("Paragraph 46.") or "Bullet" in line for line in last[:close])
    assert not any(letter.complimentary_close in line for page in pages[:-1] for line in page)
    assert layout_warnings(letter) == []


def test_an_addressee_that_fills_the_first_page_is_printed_whole_with_a_warning(db):
    addressee = [f"Addressee line {n}" for n in range(1, 46)]
    letter = make_letter(addressee="\n".join(addressee), body="Short body.")

    pages, misplaced = lines_and_misplaced(render_letter_pdf(letter))
    warnings = layout_warnings(letter)

    assert misplaced == []
    assert [line for line in pages[0] if line.startswith("Addressee")] == addressee
    assert "Short body." in pages[1]
    assert warnings == [f"{letter.bookmark_label}: the addressee block leaves no room for the "
                        "letter's text on its first page (page 1)."]


def test_signatures_split_across_pages_are_named(db):
    letter = make_letter(signatories=1)
    signatory = letter.signatories.get()
    signatory.block = "\n".join(f"Signature line {n}" for n in range(1, 61))
    signatory.save()

    pages, misplaced = lines_and_misplaced(render_letter_pdf(letter))

    assert misplaced == []
    assert sum(line.startswith("Signature line") for page in pages for line in page) == 60
    assert (f"{letter.bookmark_label}: the close and signatures are split across pages "
            f"{', '.join(str(n) for n in range(len(pages) - 2, len(pages) + 1))}."
            in layout_warnings(letter))


def test_the_close_takes_the_end_of_the_body_along_to_its_page(db):
    # Without the rule keeping them together, this body ends at the foot of page 3 and the
    # close and signatures stand alone on page 4.
    letter = make_letter(signatories=2, body="\n\n".join(
        ["The Co-Chairs will convene the meetings of the negotiations as decided. " * 3] * 36))

    pages, misplaced = lines_and_misplaced(render_letter_pdf(letter))

    assert misplaced == []
    close = next(page for page in pages if letter.complimentary_close in page)
    assert close.index(letter.complimentary_close) > 2  # page number, body lines, close
    assert layout_warnings(letter) == []


def test_signatures_alone_on_a_page_are_named(db, monkeypatch):
    letter = make_letter(body=long_body(3))
    sheets = letter_pdf.sheets_of(letter)
    html = letter_pdf.document_html(letter, sheets).replace(
        "</style>", ".sheet-closing { break-before: page; }</style>")

    with letter_pdf._RENDER_LOCK:
        warnings = letter_pdf.fit_warnings(letter_pdf._layout(html), sheets)

    assert warnings == [f"{letter.bookmark_label}: the close and signatures stand alone on "
                        "page 2, without any of the letter's text."]


def test_the_admin_form_of_a_draft_shows_the_warnings(admin_client):
    letter = make_letter(addressee="\n".join(f"Line {n}" for n in range(1, 46)), body="Body.")

    page = admin_client.get(reverse("admin:correspondence_letter_change", args=[letter.pk]))

    assert page.status_code == 200
    assert "the addressee block leaves no room for the letter&#x27;s text" in page.text
