"""A letter's text beyond the seed: long words, no-break rules, hyphens, tables and lists,
bounded bodies, and the draft's watermark, on the page and in the PDF as read back."""

import io
import re
import sys

import pdfplumber
import pytest
from django.urls import reverse

from correspondence import rendering
from correspondence.rendering import BODY_MAX_CHARS, MAX_NESTING, render_body
from correspondence.services import issue_problems, letter_issue
from tests.factories import make_issued_letter, make_letter

from .pdftools import pdf_text
from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

# The text block of a US Letter page (letter.css: 0.9in left and right margins), in points.
LEFT, RIGHT = 0.9 * 72, 612 - 0.9 * 72
URL = "https://www.un.org/en/ga/president/71/letters/" + "x" * 33  # 80 characters
LONG_WORD = "Intergovernmentalnegotiations" * 4  # 116 characters, no break opportunity


def pdf_pages(pdf):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [{"width": page.width, "chars": page.chars, "curves": page.curves,
                 "tables": page.extract_tables(), "text": page.extract_text()}
                for page in doc.pages]


# --- Long words and URLs -------------------------------------------------------------------

def test_long_url_and_word_stay_inside_the_text_block_of_the_pdf():
    body = f"Please read {URL} before the meeting.\n\nThe {LONG_WORD} continue."
    letter = make_letter(body=body)

    pages = pdf_pages(bytes(letter_issue(letter=letter, by=None).pdf))

    chars = [c for page in pages for c in page["chars"]]
    outside = [c["text"] for c in chars if c["x0"] < LEFT - 1 or c["x1"] > RIGHT + 1]
    assert not outside, "".join(outside)
    printed = "".join(c["text"] for c in chars)
    assert URL in printed and LONG_WORD in printed  # broken across lines, nothing lost


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_url_and_word_never_widen_the_letter_page(browser, portal):
    letter = make_issued_letter(subject=f"On {LONG_WORD}", body=f"Read {URL}.\n\n{LONG_WORD}",
                                pdf=b"%PDF-1.7 not read")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{portal.url}{letter.get_absolute_url()}")

        width = page.evaluate("() => document.documentElement.scrollWidth")
        sheet = page.locator("article.sheet .sheet-body").bounding_box()
    finally:
        context.close()
    assert width <= 1280
    assert sheet["x"] + sheet["width"] <= 1280


# --- No-break rules ------------------------------------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize("markdown, expected", [
    ("H.E. Mr. Ion Jinga", f"H.E.{NBSP}Mr.{NBSP}Ion Jinga"),
    ("Dr. Ion Jinga and Ms. Rao", f"Dr.{NBSP}Ion Jinga and Ms.{NBSP}Rao"),
    ("at 10:00 am, at 3 p.m.", f"at 10:00{NBSP}am, at 3{NBSP}p.m."),
    ("5 per cent of 193 Member States", f"5{NBSP}per cent of 193 Member States"),
    ("decision 70/559 and resolution 70/1", f"decision{NBSP}70/559 and resolution{NBSP}70/1"),
    ("Article 23 and paragraph 4", f"Article{NBSP}23 and paragraph{NBSP}4"),
    ("document A/71/L.69", f'document{NBSP}<span class="nobreak">A/71/L.69</span>'),
    ("the Co-Chairs", 'the <span class="nobreak">Co-Chairs</span>'),
    ("a forward-looking, Member States-driven process",
     'a <span class="nobreak">forward-looking</span>, Member '
     '<span class="nobreak">States-driven</span> process'),
    ("in 2016-2017", 'in <span class="nobreak">2016-2017</span>'),
    # What the rules must leave alone.
    ("Mr.Smith, 10 amendments, Amr. X, decisions taken", None),
    ("a - b -- c", None),
])
def test_no_break_rules(markdown, expected):
    html = render_body(markdown)

    assert html == f"<p>{expected or markdown}</p>"


def test_no_break_rules_never_touch_tags_attributes_or_urls():
    markdown = ("[decision 70/559 of the Co-Chairs](https://undocs.org/A/RES/70-559) and "
                "https://www.un.org/co-chairs/10 am or ign-co-chairs@un.org")

    html = render_body(markdown)

    assert html == (
        '<p><a href="https://undocs.org/A/RES/70-559" rel="noopener noreferrer">'
        f'decision{NBSP}70/559 of the <span class="nobreak">Co-Chairs</span></a> and '
        "https://www.un.org/co-chairs/10 am or ign-co-chairs@un.org</p>")


def test_stored_text_keeps_plain_spaces():
    letter = make_letter(body="H.E. Mr. Ion Jinga, Co-Chairs")

    letter_issue(letter=letter, by=None)

    letter.refresh_from_db()
    assert letter.body == "H.E. Mr. Ion Jinga, Co-Chairs"


def test_no_break_spaces_hold_in_the_pdf_and_extract_as_spaces():
    # Each "H.E. Mr. Name" would otherwise end some lines after "H.E." or "Mr.".
    names = [f"H.E. Mr. {name}" for name in ("Jinga", "Khiari", "Thomson", "Lajčák",
                                             "Rao", "Braun", "Sauer", "Ali")]
    body = " ".join(f"{'word ' * n}{name} met at 10:00 am." for n, name in
                    enumerate(names * 4, start=3))
    letter = make_letter(body=body)

    text = pdf_text(bytes(letter_issue(letter=letter, by=None).pdf), layout=False)

    lines = text.splitlines()
    assert not [line for line in lines if re.search(r"\b(H\.E\.|Mr\.|10:00)$", line)]
    assert all(name in " ".join(text.split()) for name in names)
    assert NBSP not in text


HYPHENATED = ["Co-Chairs", "forward-looking", "States-driven", "Co-Chair", "2016-2017",
              "follow-up", "long-standing", "inter-regional"]


def test_hyphenated_words_come_back_whole_from_pdftotext_and_pdfplumber():
    body = " ".join(f"{'text ' * (n % 7)}the {word}" for n, word in
                    enumerate(HYPHENATED * 12)) + "."
    issued = letter_issue(letter=make_letter(body=body), by=None)
    pdf = bytes(issued.pdf)

    extracted = [pdf_text(pdf, layout=False),
                 " ".join(page["text"] for page in pdf_pages(pdf))]

    for text in extracted:
        text = text.replace(issued.verification_code, "")
        found = [w for w in re.findall(r"[\w-]+", text) if "-" in w or w in
                 {"CoChairs", "forwardlooking", "Statesdriven"}]
        assert sorted(found) == sorted(HYPHENATED * 12)


def test_justified_text_stays_justified():
    letter = make_letter(body="The Co-Chairs and the forward-looking process. " * 30)

    pages = pdf_pages(bytes(letter_issue(letter=letter, by=None).pdf))

    lines = {}
    for char in pages[0]["chars"]:
        if char["size"] == 12 and char["x0"] >= LEFT - 1:
            lines.setdefault(round(char["top"]), []).append(char)
    body_lines = [chars for _, chars in sorted(lines.items())
                  if re.search(r"Chairs|looking|process", "".join(c["text"] for c in chars))]
    assert len(body_lines) >= 5
    for chars in body_lines[:-1]:  # all but the paragraph's last line reach both edges
        assert min(c["x0"] for c in chars) == pytest.approx(LEFT, abs=1)
        assert max(c["x1"] for c in chars) == pytest.approx(RIGHT, abs=1)


# --- Tables and lists ----------------------------------------------------------------------

TABLE = """The meetings:

| Meeting | Date | Room |
| :--- | :---: | ---: |
| First | 6 February 2017 | Trusteeship Council Chamber |
| Second | 7 February 2017 | Conference Room 4 |
"""


def test_markdown_table_renders_as_a_table():
    html = render_body(TABLE)

    assert "<table>" in html and "| ---" not in html
    assert '<th align="center">Date</th>' in html
    assert '<td align="right">Trusteeship Council Chamber</td>' in html


def test_markdown_table_is_a_table_in_the_pdf():
    letter = make_letter(body=TABLE)

    pages = pdf_pages(bytes(letter_issue(letter=letter, by=None).pdf))

    assert pages[0]["tables"] == [[
        ["Meeting", "Date", "Room"],
        ["First", "6 February 2017", "Trusteeship Council Chamber"],
        ["Second", "7 February 2017", "Conference Room 4"],
    ]]
    assert "---" not in pages[0]["text"] and "|" not in pages[0]["text"]


@pytest.mark.parametrize("markdown, expected", [
    ("The meetings:\n- the first\n- the second",
     "<p>The meetings:</p>\n<ul>\n<li>the first</li>\n<li>the second</li>\n</ul>"),
    ("In order:\n1. categories\n2. the veto",
     "<p>In order:</p>\n<ol>\n<li>categories</li>\n<li>the veto</li>\n</ol>"),
    ("The clusters:\n| Cluster |\n| --- |\n| The veto |",
     "<p>The clusters:</p>\n<table>\n<thead>\n<tr>\n<th>Cluster</th>\n</tr>\n</thead>\n"
     "<tbody>\n<tr>\n<td>The veto</td>\n</tr>\n</tbody>\n</table>"),
    # A line that only starts with a hyphen or a number stays in its paragraph.
    ("the Assembly\n-in plenary", "<p>the Assembly\n-in plenary</p>"),
    ("held on\n7 November 2016", "<p>held on\n7 November 2016</p>"),
])
def test_lists_and_tables_right_after_a_line_of_text(markdown, expected):
    assert render_body(markdown) == expected


# --- Bounded bodies ------------------------------------------------------------------------

def line_events(text):
    """Python lines executed to render `text`: a measure of work that no machine's speed
    or load changes."""
    rendering._closing.cache_clear()
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        render_body(text)
    finally:
        sys.settrace(None)
    return count


PATHOLOGICAL = {
    "[": lambda n: "[" * n,
    "![": lambda n: "![" * (n // 2),
    "[x][": lambda n: "[x][" * (n // 4),
    "[a](": lambda n: "[a](" * (n // 4),
    "[a]((((": lambda n: "[a]((((" * (n // 7),
    "*": lambda n: "*" * n,
    "*a": lambda n: "*a" * (n // 2),
    "<": lambda n: "<" * n,
    "<a ": lambda n: "<a " * (n // 3),
    "<![CDATA[": lambda n: "<![CDATA[" * (n // 9),
    "`": lambda n: "`" * n,
    ">": lambda n: ">" * n,
    "- ": lambda n: "- " * (n // 2),
    "| table": lambda n: "| a |\n| --- |\n" + "| x |\n" * (n // 6),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_bodies_take_work_in_proportion_to_their_length(name):
    # Twice the text, about twice the work: no run of brackets, tags or markers makes the
    # rendering quadratic (8,000 "[" took 12.8 s). Times are for bench/body_render.py.
    make = PATHOLOGICAL[name]
    base = line_events("")

    small, large = (line_events(make(n)) - base for n in (300, 600))

    assert large <= 2.6 * small, (small, large)


def html_depth(html):
    depth = deepest = 0
    for closing, name in re.findall(r"<(/?)([a-z]+)", html):
        if name != "br":
            depth += -1 if closing else 1
            deepest = max(deepest, depth)
    return deepest


@pytest.mark.timeout(120)
@pytest.mark.parametrize("text", ["[" * 8000, "*" * 8000, "<" * 8000, "- " * 8000 + "x",
                                  "> " * 8000, "1. " * 8000,
                                  "".join("\t" * i + "- x\n" for i in range(400)),
                                  "<blockquote>" * 5000 + "deep"],
                         ids=["[", "*", "<", "- ", "> ", "1. ", "indented lists", "html"])
def test_pathological_bodies_render_shallow_and_keep_their_text(text):
    html = render_body(text)  # Python-Markdown alone: 13 s, or a RecursionError

    assert html_depth(html) <= rendering.MAX_DEPTH
    assert html.count("<ul>") <= MAX_NESTING and html.count("<blockquote>") <= (
        rendering.MAX_DEPTH)
    if text[0] in "[<":
        assert html.replace("&lt;", "<").count(text[0]) >= 8000 or "deep" in html


def test_brackets_come_back_as_written():
    assert render_body("[" * 8000) == "<p>" + "[" * 8000 + "</p>"


def test_body_over_the_bound_is_refused_by_the_admin_form(admin_client):
    letter = make_letter()

    response = admin_client.post(change_url(letter), form_data(
        letter, body="word " * (BODY_MAX_CHARS // 5 + 1)))

    assert response.status_code == 200
    assert "a letter&#x27;s body may have at most 50,000 characters" in response.text
    letter.refresh_from_db()
    assert letter.body.startswith("The body of letter")


def test_body_at_the_bound_is_saved(admin_client):
    letter = make_letter()
    body = ("word " * (BODY_MAX_CHARS // 5))[:BODY_MAX_CHARS]

    response = admin_client.post(change_url(letter), form_data(letter, body=body))

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.body == body.strip()


def test_body_nested_too_deep_is_refused_by_the_admin_form(admin_client):
    letter = make_letter()

    response = admin_client.post(change_url(letter), form_data(letter, body="- " * 20 + "x"))

    assert "nested 6 levels deep at most" in response.text


def test_issuing_refuses_a_body_over_the_bound():
    letter = make_letter(body="x" * (BODY_MAX_CHARS + 1))

    problems = issue_problems(letter)

    assert any("50,001 characters long" in p for p in problems)


# --- The draft's watermark -----------------------------------------------------------------

RED = (0.643, 0.0, 0.165)  # #a4002a


def watermark_curves(page):
    return [c for c in page["curves"] if tuple(
        round(v, 3) for v in c.get("non_stroking_color") or ()) == RED]


def test_draft_pdf_carries_the_watermark_on_every_page_and_its_text_unchanged(admin_client):
    body = "\n\n".join(["We are grateful to all delegations. " * 12] * 16)
    letter = make_letter(body=body)

    draft = admin_client.get(reverse("admin:correspondence_letter_preview_pdf",
                                     args=[letter.pk])).content
    issued = letter_issue(letter=letter, by=None)

    draft_pages, issued_pages = pdf_pages(draft), pdf_pages(bytes(issued.pdf))
    assert len(draft_pages) >= 3
    for page in draft_pages:
        assert len(watermark_curves(page)) >= 15  # one outline a letter of "DRAFT: NOT ..."
        assert page["text"].count("Draft: not issued") == 1  # the footer, no more text
    assert not any(watermark_curves(page) for page in issued_pages)
    # The watermark adds no text: the words are those of the issued letter but its footer.
    def words(pages, footer):
        return [w for page in pages for w in page["text"].replace(footer, "").split()]
    assert words(draft_pages, "Draft: not issued") == words(
        issued_pages, f"Verification code {issued.verification_code}")


def test_draft_watermark_is_an_artifact_on_every_page(admin_client):
    import pikepdf

    letter = make_letter(body="\n\n".join(["We are grateful to all delegations. " * 12] * 16))
    draft = admin_client.get(reverse("admin:correspondence_letter_preview_pdf",
                                     args=[letter.pk])).content

    with pikepdf.open(io.BytesIO(draft)) as pdf:
        for page in pdf.pages:
            marked, drawn = [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("BMC", "BDC"):
                    marked.append(str(operands[0]))
                elif str(operator) == "EMC":
                    marked.pop()
                elif str(operator) == "Do":  # the background: the watermark's outlines
                    drawn.append(marked[-1] if marked else None)
            assert drawn and all(tag == "/Artifact" for tag in drawn), drawn


def test_draft_page_carries_the_watermark_and_an_issued_page_none(admin_client):
    draft = make_letter()
    issued = make_issued_letter(pdf=b"%PDF-1.7 not read")

    draft_page = admin_client.get(draft.get_absolute_url()).text
    issued_page = admin_client.get(issued.get_absolute_url()).text

    # A class and a stylesheet (static/css/letter-draft.css), not a <style>: the CSP.
    assert 'sheet--draft"' in draft_page and "css/letter-draft." in draft_page
    assert "sheet--draft" not in issued_page and "letter-draft" not in issued_page
