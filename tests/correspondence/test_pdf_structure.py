"""The PDF/UA structure of a letter as distributed, walked as a screen reader walks it."""

import pytest

from correspondence.pdf import render_letter_pdf
from tests.factories import make_letter

from .tagged import artifact_text, parent_tree_mismatches, read_tagged, unreached_text

pytestmark = pytest.mark.django_db


def long_body(paragraphs=56):
    """A body of about twelve pages, with an ordered and a bullet list every seven paragraphs
    (some items long enough to wrap, so that a page break can fall inside a list)."""
    parts = []
    for n in range(1, paragraphs + 1):
        parts.append(f"Paragraph {n}. " + (
            "The Co-Chairs will convene the meetings of the negotiations as decided by the "
            "General Assembly in its decision 70/559 of 27 July 2016. ") * 4)
        if n % 7 == 0:
            parts.append("\n".join(
                f"{i}. Item {i} of the list after paragraph {n}, on the negotiations, long "
                "enough to wrap onto a second line of the letter's text block."
                for i in range(1, 7)))
            parts.append("And then:")
            parts.append("\n".join(f"* Bullet {i} after paragraph {n}" for i in range(1, 4)))
    return "\n\n".join(parts)


def lbody_missing(tagged):
    return [item for item in tagged.of_type("/LI")
            if "/LBody" not in [str(k.get("/S")) for k in tagged.kids(item)]]


def test_every_text_of_the_seed_packet_is_reached_from_the_root(pga_letter):
    pdf = bytes(pga_letter.pdf)
    tagged = read_tagged(pdf)

    assert tagged.pages == 2
    assert unreached_text(tagged) == []
    assert parent_tree_mismatches(tagged) == []
    # One article per letter: the PGA's letter and the Co-Chairs' letter it encloses.
    assert [(s, p) for s, p, _e in tagged.elements if s == "/Art"] == [
        ("/Art", "/Document")] * 2


def test_seed_addressees_are_content_and_the_footer_an_artifact(pga_letter):
    pages = artifact_text(bytes(pga_letter.pdf))
    footer = f"Verification code {pga_letter.verification_code}"

    assert [artifacts for artifacts, _content in pages] == [[footer], [footer]]
    first, second = (content for _artifacts, content in pages)
    assert first[-2:] == ["To All Permanent Representatives to the United Nations", "New York"]
    assert second[-2:] == ["The Permanent Missions of the Member States to the United Nations",
                           "New York"]
    assert not any("Verification code" in line for line in first + second)


@pytest.fixture
def long_letter(db):
    return make_letter(body=long_body(), signatories=2, addressee="\n".join([
        "H.E. Mr. Someone Else", "Permanent Representative of a Member State",
        "to the United Nations", "Permanent Mission", "Second Avenue", "Fifth Floor",
        "New York"]))


def test_a_twelve_page_letter_is_one_article_with_one_list_per_list(long_letter):
    pdf = render_letter_pdf(long_letter)
    tagged = read_tagged(pdf)
    html = str(long_letter.body_html)
    lists = html.count("<ol>") + html.count("<ul>")

    assert tagged.pages >= 12
    assert unreached_text(tagged) == []
    assert parent_tree_mismatches(tagged) == []
    assert len(tagged.of_type("/Art")) == 1
    assert len(tagged.of_type("/L")) == lists == 16
    assert len(tagged.of_type("/LI")) == 8 * (6 + 3)
    assert lbody_missing(tagged) == []
    assert render_letter_pdf(long_letter) == pdf  # the restructuring is deterministic


def test_page_numbers_of_a_long_letter_are_artifacts(long_letter):
    pdf = render_letter_pdf(long_letter)
    pages = artifact_text(pdf)

    assert pages[0][0] == ["Draft: not issued"]
    for number, (artifacts, content) in enumerate(pages[1:], start=2):
        assert artifacts == [f"- {number} -", "Draft: not issued"], number
        assert f"- {number} -" not in content
    # Every addressee line comes back as content, on the first page.
    assert pages[0][1][-7:] == [
        "H.E. Mr. Someone Else", "Permanent Representative of a Member State",
        "to the United Nations", "Permanent Mission", "Second Avenue", "Fifth Floor",
        "New York"]


def test_list_items_holding_paragraphs_get_their_body(db):
    # A loose list (blank lines between the items) puts a paragraph in each item.
    letter = make_letter(body="Before.\n\n1. First item.\n\n2. Second item.\n\nAfter.")
    tagged = read_tagged(render_letter_pdf(letter))

    assert len(tagged.of_type("/LI")) == 2
    assert lbody_missing(tagged) == []
    assert unreached_text(tagged) == []
    assert parent_tree_mismatches(tagged) == []


@pytest.mark.parametrize("name", ["seed", "long"])
def test_an_element_repeated_on_every_page_leaves_one_article_per_letter(
        name, pga_letter, long_letter):
    # A fixed element (drawn on every page, before the letters, as a watermark may be)
    # neither joins two letters nor splits one.
    from correspondence.pdf import document_html, html_to_pdf

    letter = {"seed": pga_letter, "long": long_letter}[name]
    html = document_html(letter).replace(
        "<body>", '<body><p style="position: fixed; top: 0">Repeated on every page</p>')
    tagged = read_tagged(html_to_pdf(html))

    assert tagged.pages == 2 if name == "seed" else tagged.pages >= 12
    assert len(tagged.of_type("/Art")) == (2 if name == "seed" else 1)
    assert len(tagged.of_type("/L")) == (0 if name == "seed" else 16)
    assert unreached_text(tagged) == []
    assert parent_tree_mismatches(tagged) == []
