"""The seed letters as distributed: their text, layout, metadata and reproducibility."""

import difflib
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings

from correspondence.pdf import render_letter_pdf

from .pdftools import pdf_text, pdf_word_boxes, reader, words

pytestmark = pytest.mark.django_db

SEED_TEXT = Path(__file__).parent / "data" / "seed-letters-71.txt"


def seed_ratio(pdf):
    expected = words(SEED_TEXT.read_text(encoding="utf-8"))
    return difflib.SequenceMatcher(None, expected, words(pdf_text(pdf)), autojunk=False).ratio()


def test_pga_pdf_text_matches_the_seed_words_in_order(client, pga_letter):
    response = client.get(pga_letter.get_pdf_url())

    ratio = seed_ratio(response.content)

    assert response.status_code == 200
    assert ratio >= 0.97, ratio


def test_seed_comparison_fails_for_a_pdf_missing_the_enclosure(co_chairs_letter, pga_letter):
    # The Co-Chairs' letter alone lacks the PGA's cover letter: the same check must fail.
    assert seed_ratio(bytes(co_chairs_letter.pdf)) < 0.97


# Printed on the originals as artwork (the PGA's letterhead), so absent from the seed text.
ARTWORK = ["THE", "PRESIDENT", "OF", "THE", "GENERAL", "ASSEMBLY"]


def pdftotext_words(pdf):
    return pdf_text(pdf, layout=False).split()


def pdfplumber_words(pdf):
    # In the order the text is drawn, not by position on the page: the Co-Chairs' signature
    # blocks stand side by side, and each reads as a block, as in the seed text.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [word["text"] for page in doc.pages
                for word in page.extract_words(use_text_flow=True)]


def additions_apart(words, code, pages):
    """The words without the additions the originals lack: the letterhead printed as
    artwork on the first page, the verification code at the foot of each page."""
    additions = {tuple(ARTWORK): 0, ("Verification", "code", code): 0}
    kept, i = [], 0
    while i < len(words):
        run = next((r for r in additions if tuple(words[i:i + len(r)]) == r), None)
        if run is None:
            kept.append(words[i])
            i += 1
        else:
            additions[run] += 1
            i += len(run)
    assert list(additions.values()) == [1, pages], additions
    return kept


@pytest.mark.parametrize("extract", [pdftotext_words, pdfplumber_words],
                         ids=["pdftotext", "pdfplumber"])
def test_pga_pdf_gives_back_every_word_of_the_seed_in_order(pga_letter, extract):
    expected = SEED_TEXT.read_text(encoding="utf-8").replace("**", "").split()
    pdf = bytes(pga_letter.pdf)

    got = additions_apart(extract(pdf), pga_letter.verification_code, len(reader(pdf).pages))

    # Word for word, case and punctuation included: a hyphen lost at a line's end
    # ("CoChairs"), a word split ("Co- Chairs") or any word missing or added fails.
    pairs = zip(expected, got, strict=False)
    first = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(expected), len(got)))
    assert got == expected, (f"word {first}: expected {expected[first - 3:first + 3]}, "
                             f"got {got[first - 3:first + 3]}")


def test_word_comparison_fails_for_a_word_lost_at_a_line_end(pga_letter):
    expected = SEED_TEXT.read_text(encoding="utf-8").replace("**", "").split()
    words = pdftotext_words(bytes(pga_letter.pdf))
    words[words.index("Co-Chairs")] = "CoChairs"

    got = additions_apart(words, pga_letter.verification_code, 2)

    assert got != expected


def test_pga_pdf_keeps_each_printed_name_as_on_its_letter(pga_letter):
    text = " ".join(pdf_text(bytes(pga_letter.pdf)).split())

    assert "H.E. Mr. Ion Jinga, Permanent Representative of Romania" in text
    assert "H.E. Mr. Mohamed Khaled Khiari" in text
    assert "H.E. Dr. Ion Jinga" in text
    assert "H.E. Mr. Mohammed Khaled Khiari" in text
    assert text.count("Co-Chair, IGN 71st Session.") == 1


def test_pga_pdf_looks_like_the_original_letters(pga_letter):
    pages = pdf_word_boxes(bytes(pga_letter.pdf))
    first, second = pages

    def line(page, text):
        found = [w for w in page["words"] if w["text"] == text]
        assert found, text
        return found[0]

    # US Letter.
    assert (round(first["width"]), round(first["height"])) == (612, 792)
    # The letterhead centred at the top, the date right-aligned below it.
    assembly = line(first, "ASSEMBLY")
    general = line(first, "GENERAL")
    centre = (general["xmin"] + assembly["xmax"]) / 2
    assert abs(centre - first["width"] / 2) < 6
    assert general["ymin"] < 90
    date_year = line(first, "2017")
    assert date_year["xmax"] > first["width"] - 80
    # The addressee block at the foot of the first page.
    assert line(first, "Representatives")["ymin"] > 0.8 * first["height"]
    # The enclosure starts on its own page, on its own letterhead, addressee at the foot.
    assert line(second, "TUNISIA")["ymin"] < 90
    assert line(second, "Missions")["ymin"] > 0.8 * second["height"]
    # The Co-Chairs sign side by side.
    jinga, khiari = line(second, "Jinga"), line(second, "Khiari")
    assert abs(jinga["ymin"] - khiari["ymin"]) < 1
    assert jinga["xmax"] < second["width"] / 2 < khiari["xmin"]


def test_pga_pdf_is_tagged_titled_and_bookmarked(pga_letter):
    pdf = reader(bytes(pga_letter.pdf))
    root = pdf.trailer["/Root"]

    assert pdf.metadata.title == pga_letter.subject
    assert pdf.metadata.author == "The President of the General Assembly"
    assert pga_letter.subject in pdf.metadata.subject
    assert pdf.metadata["/CreationDate"] == "D:20170112120000-05'00"
    assert pdf.metadata["/ModDate"] == "D:20170112120000-05'00"
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert [item.title for item in pdf.outline] == [
        "The President of the General Assembly, 12 January 2017",
        "Permanent Mission of Tunisia to the United Nations, 9 January 2017",
    ]
    assert len(pdf.pages) == 2
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_pga_pdf_carries_its_verification_code_on_every_page(pga_letter):
    pages = [pdf_text(bytes(pga_letter.pdf), first=n) for n in (1, 2)]

    assert all(f"Verification code {pga_letter.verification_code}" in p for p in pages)


def test_render_again_gives_the_same_bytes(pga_letter):
    assert render_letter_pdf(pga_letter) == bytes(pga_letter.pdf)


def test_seed_loaded_in_another_fresh_database_gives_the_same_bytes(tmp_path, pga_letter):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_ign71", "-v0"], env=env, check=True, capture_output=True)
    code = ("from correspondence.models import Letter; "
            f"print(Letter.objects.get(slug='{pga_letter.slug}').pdf_sha256)")
    other = subprocess.run([*manage, "shell", "--no-imports", "-c", code], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()

    assert other == pga_letter.pdf_sha256 == hashlib.sha256(bytes(pga_letter.pdf)).hexdigest()


def test_loading_the_seed_again_changes_no_letter(pga_letter, co_chairs_letter):
    from django.core.management import call_command

    from correspondence.models import Letter, Signatory

    before = list(Letter.objects.order_by("pk").values())
    call_command("load_ign71", verbosity=0)

    assert list(Letter.objects.order_by("pk").values()) == before
    assert Signatory.objects.count() == 3
    assert pga_letter.enclosures.get().enclosed_letter == co_chairs_letter
    assert (pga_letter.status, co_chairs_letter.status) == ("issued", "issued")
    assert pga_letter.issued_by is None


def test_a4_letterhead_gives_a4_pages():
    from correspondence.services import letter_issue
    from tests.factories import make_letter, make_letterhead

    letter = make_letter(letterhead=make_letterhead(paper_size="a4", place="Geneva"))

    page = reader(bytes(letter_issue(letter=letter, by=None).pdf)).pages[0]

    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
