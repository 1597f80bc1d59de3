"""Letters in every script: Arabic and Chinese PDFs read back in order, in their own fonts,
with their own dates and language, the same bytes each time."""

import datetime as dt
import io
import re

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from correspondence.dates import letter_date
from correspondence.glyphs import PLACEHOLDER
from correspondence.pdf import render_letter_pdf
from correspondence.services import letter_issue

from .letters_in_languages import body, make_co_chairs_letter
from .pdftools import pdf_text, pdf_word_boxes

pytestmark = pytest.mark.django_db

# What the reader gets back has the direction marks pdftotext adds around runs.
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_WORD = re.compile(r"[\u0620-\u064a]+")  # letters: no punctuation, no digits
_HAN = re.compile(r"[\u4e00-\u9fff]")


def text_of(pdf):
    return _MARKS.sub("", pdf_text(pdf, layout=False))


def in_order(expected, found):
    """Whether `expected` appears in `found` in the same order (a subsequence)."""
    rest = iter(found)
    return all(item in rest for item in expected)


@pytest.fixture
def arabic():
    return make_co_chairs_letter("ar")


@pytest.fixture
def chinese():
    return make_co_chairs_letter("zh-hans")


def test_the_arabic_letter_reads_back_in_logical_order(arabic):
    text = text_of(render_letter_pdf(arabic))

    expected = _ARABIC_WORD.findall(body("ar"))
    found = _ARABIC_WORD.findall(text)
    assert len(expected) > 250
    assert in_order(expected, found)


def test_the_chinese_letter_reads_back_in_logical_order(chinese):
    text = text_of(render_letter_pdf(chinese))

    expected = _HAN.findall(body("zh-hans"))
    # Lines break between any two hanzi: the reader gets each line apart, the order kept.
    found = _HAN.findall(text)
    assert len(expected) > 500
    assert in_order(expected, found)
    assert "".join(expected) in "".join(found)


def test_symbols_and_times_inside_arabic_text_keep_their_order(arabic):
    arabic.body = ("ستعقد الجلسة من الساعة 10:00 - 13:00 للنظر في مشروع القرار A/71/L.69 "
                   "والتصويب A/71/L.69* عملا بالمقرر 70/559، برئاسة السيد Peter Thomson.")
    pdf = render_letter_pdf(arabic)

    text = text_of(pdf)
    assert "10:00 - 13:00" in text and "A/71/L.69" in text and "70/559" in text
    assert "Peter Thomson" in text and "13:00 - 10:00" not in text
    # pdftotext puts a trailing "*" before the run it ends; on the page it is after it.
    words = [w["text"] for page in pdf_word_boxes(pdf) for w in page["words"]]
    assert "A/71/L.69*" in words and "*A/71/L.69" not in words
    boxes = {w["text"]: w for page in pdf_word_boxes(pdf) for w in page["words"]}
    assert boxes["10:00"]["xmax"] < boxes["13:00"]["xmin"]  # read left to right


def test_the_seed_time_and_decision_read_correctly_inside_the_arabic_letter(arabic):
    text = re.sub(r"\s+", " ", text_of(render_letter_pdf(arabic)))

    # "الساعة 10:00." : pdftotext moves the full stop after the time before it, a neutral
    # next to a left-to-right run being read as right-to-left; the page has it after.
    assert re.search(r"الساعة \.?10:00", text) and "00:10" not in text
    assert "مقرر الجمعية العامة 70/559" in text


def test_each_language_prints_its_date(arabic, chinese):
    arabic_text = re.sub(r"\s+", " ", text_of(render_letter_pdf(arabic)))
    chinese_text = re.sub(r"\s+", "", text_of(render_letter_pdf(chinese)))

    assert "كانون الثاني/يناير" in arabic_text and "2017" in arabic_text
    assert "2017年1月9日" in chinese_text


@pytest.mark.parametrize(("language", "date", "expected"), [
    ("en", dt.date(2017, 1, 12), "12 January 2017"),
    ("fr", dt.date(2017, 1, 12), "12 janvier 2017"),
    ("fr", dt.date(2017, 2, 1), "1er février 2017"),
    ("es", dt.date(2017, 1, 12), "12 de enero de 2017"),
    ("ru", dt.date(2017, 1, 12), "12 января 2017 года"),
    ("zh-hans", dt.date(2017, 1, 12), "2017年1月12日"),
    ("ar", dt.date(2017, 1, 12), "12 كانون الثاني/يناير 2017"),
    ("ar", dt.date(2016, 7, 27), "27 تموز/يوليه 2016"),
])
def test_letter_dates_in_each_language(language, date, expected):
    rendered = Template("{% load letters %}{{ d|letter_date:lang }}").render(
        Context({"d": date, "lang": language}))

    assert letter_date(date, language) == expected == rendered


@pytest.mark.parametrize(("language", "family"), [("ar", "Letter-Naskh"),
                                                  ("zh-hans", "Letter-CJK")])
def test_the_fonts_are_bundled_subsets_embedded(language, family):
    pdf = render_letter_pdf(make_co_chairs_letter(language))

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = {}
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in obj]
                fonts[str(obj.FontName)] = files
    names = {name.split("+", 1)[1] for name in fonts}
    assert family in names
    # Only bundled fonts (ours are all named "Letter ..."), never one of the machine's.
    assert all(name.startswith("Letter-") for name in names), names
    for name, files in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), name  # the subset prefix
        assert files, f"{name} is not embedded"


@pytest.mark.parametrize("language", ["ar", "zh-hans", "en"])
def test_each_pdf_carries_its_language_and_direction(language):
    letter = make_co_chairs_letter(language)

    with pikepdf.open(io.BytesIO(render_letter_pdf(letter))) as doc:
        assert str(doc.Root.Lang) == language
        assert "/StructTreeRoot" in doc.Root
        [document] = list(doc.Root.StructTreeRoot.K)
        [article] = [k for k in document.K if k.S == "/Art"]
        assert len(article.K) > 5


def test_an_arabic_issued_letter_renders_to_the_same_bytes(arabic, chinese):
    for letter in (arabic, chinese):
        issued = letter_issue(letter=letter, by=None)

        assert bytes(issued.pdf) == render_letter_pdf(issued)
        assert render_letter_pdf(issued) == render_letter_pdf(issued)


def test_a_character_outside_every_bundled_font_is_refused_by_name(arabic):
    arabic.body = body("ar") + "\n\nनमस्ते 😀"
    arabic.save()

    with pytest.raises(ValidationError) as refused:
        letter_issue(letter=arabic, by=None)

    [message] = [m for m in refused.value.messages if "U+" in m]
    assert "न (U+0928 DEVANAGARI LETTER NA)" in message
    assert "😀 (U+1F600 GRINNING FACE)" in message
    preview = text_of(render_letter_pdf(arabic))
    assert PLACEHOLDER in preview and "न" not in preview
    assert "كانون" in preview  # the rest stays readable


def test_arabic_and_chinese_letters_are_not_refused(arabic, chinese):
    for letter in (arabic, chinese):
        issued = letter_issue(letter=letter, by=None)
        assert issued.verification_code


def test_the_letter_filters_set_runs_apart_in_arabic_only():
    template = Template('{% load letters %}<p dir="{{ l|text_direction }}">{{ s|ltr_runs:l }}</p>')
    text = "القرار A/71/L.69* <b>"

    arabic = template.render(Context({"l": "ar", "s": text}))
    english = template.render(Context({"l": "en", "s": text}))

    assert arabic == ('<p dir="rtl">القرار <span dir="ltr">A/71/L.69*</span> '
                      '&lt;<span dir="ltr">b</span>&gt;</p>')
    assert english == '<p dir="ltr">القرار A/71/L.69* &lt;b&gt;</p>'
