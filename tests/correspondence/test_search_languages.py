"""The letters search in each language: a letter is searched in its own language (PostgreSQL's
configuration of it, or as text for Chinese), accents and case aside; the same queries find
the same letters on SQLite. Run on both databases (DATABASE_URL=postgres://... for PostgreSQL).
"""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection

from common.textsearch import text_terms
from common.unaccent import fold
from correspondence.models import Letter
from correspondence.search import search_letters
from tests.factories import make_issued_letter, text_of

pytestmark = pytest.mark.django_db




POSTGRESQL = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                reason="stemming is PostgreSQL's")

FRENCH = ("Lettre sur la reprise des négociations",
          "J’ai l’honneur de vous informer que les négociations intergouvernementales sur la "
          "réforme du Conseil de sécurité reprendront le 6 février 2017.")
RUSSIAN = ("Письмо о межправительственных переговорах",
           "Имею честь сообщить, что межправительственные переговоры по вопросу о реформе "
           "Совета Безопасности Генеральной Ассамблеи возобновятся 6 февраля 2017 года.")
ARABIC = ("رسالة بشأن المفاوضات الحكومية الدولية",
          "يشرفني أن أبلغكم بأن المفاوضات الحكومية الدولية بشأن إصلاح مَجلس الأمن ستستأنف في "
          "6 شباط/فبراير 2017.")
CHINESE = ("关于政府间谈判的信",
           "谨通知你们，关于安全理事会改革的政府间谈判将于2017年2月6日恢复。")
ENGLISH = ("Letter on the resumption of the negotiations",
           "I have the honour to inform you that the intergovernmental negotiations on "
           "Security Council reform will resume on 6 February 2017.")
SUBJECTS = [FRENCH[0], RUSSIAN[0], ARABIC[0], CHINESE[0], ENGLISH[0]]


@pytest.fixture
def letters(db):
    """One letter in each of five languages (their PDFs and fonts are not what this tests)."""
    with mock.patch("correspondence.services.glyph_problem", lambda letter: ""):
        for language, (subject, body) in [("fr", FRENCH), ("ru", RUSSIAN), ("ar", ARABIC),
                                          ("zh-hans", CHINESE), ("en", ENGLISH)]:
            make_issued_letter(language=language, subject=subject, body=body,
                               date=dt.date(2017, 1, 12), pdf=b"%PDF-1.7\n%%EOF\n")


def found(text, language="en"):
    letters = search_letters(Letter.objects.public(), text, language)
    return sorted(letters.values_list("subject", flat=True))


@pytest.mark.parametrize("query", ["negociations", "NÉGOCIATIONS", "négociations",
                                   "Negociations reforme", "\"negociations intergouvernementales\"",
                                   "securite"])
def test_a_french_letter_is_found_without_its_accents(letters, query):
    assert found(query, "fr") == [FRENCH[0]]
    assert found(query, "en") == [FRENCH[0]]


@pytest.mark.parametrize(("query", "expected"), [
    ("переговоры", [RUSSIAN[0]]),
    ("ПЕРЕГОВОРЫ Безопасности", [RUSSIAN[0]]),
    ("Генеральной", [RUSSIAN[0]]),
    ("\"Совета Безопасности\"", [RUSSIAN[0]]),
    ("переговоры -Ассамблеи", []),
])
def test_a_russian_letter_is_found(letters, query, expected):
    assert found(query, "ru") == expected


@pytest.mark.parametrize("query", ["المفاوضات", "مجلس", "مَجلس الأمن", "الأمن"])
def test_an_arabic_letter_is_found_with_or_without_its_vowel_marks(letters, query):
    assert found(query, "ar") == [ARABIC[0]]


@pytest.mark.parametrize("language", ["zh-hans", "en", "fr"])
def test_a_chinese_letter_is_found_by_a_run_of_its_characters(letters, language):
    assert found("安全理事会", language) == [CHINESE[0]]
    assert found("政府间谈判", language) == [CHINESE[0]]
    assert found("安全理事会 -改革", language) == []
    assert found("安全理事会 or 联合国", language) == [CHINESE[0]]


def test_an_english_word_does_not_find_the_other_languages(letters):
    assert found("negotiations", "en") == [ENGLISH[0]]
    assert found("negotiations or переговоры", "en") == sorted([ENGLISH[0], RUSSIAN[0]])
    assert found("Council -reform", "en") == []


@POSTGRESQL
def test_postgresql_stems_each_letter_in_its_own_language(letters):
    # Singular for plural: stemming, which matching as text (SQLite, Chinese) has not.
    assert found("négociation", "fr") == [FRENCH[0]]
    assert found("negotiation resumed", "en") == [ENGLISH[0]]
    assert found("переговор", "ru") == [RUSSIAN[0]]
    assert found("intergouvernementaux", "en") == [FRENCH[0]]


@POSTGRESQL
def test_postgresql_also_reads_the_query_in_the_pages_language(db):
    # A French phrase quoted in an English letter: a French word typed on the French page
    # finds it in another form of the word; typed on the English page, it does not.
    with mock.patch("correspondence.services.glyph_problem", lambda letter: ""):
        make_issued_letter(language="en", subject=ENGLISH[0], pdf=b"%PDF-1.7\n%%EOF\n",
                           body="The so-called “négociations intergouvernementales” resume.")

    assert found("intergouvernementaux", "fr") == [ENGLISH[0]]
    assert found("intergouvernementaux", "en") == []


def test_the_letters_page_searches_in_each_language(client, letters):
    shown = {prefix: [s for s in SUBJECTS if s in text_of(
        client.get(f"{prefix}/letters/", {"q": "negociations"}))] for prefix in ("", "/fr")}

    assert shown == {"": [FRENCH[0]], "/fr": [FRENCH[0]]}
    assert [s for s in SUBJECTS if s in text_of(
        client.get("/zh-hans/letters/", {"q": "安全理事会"}))] == [CHINESE[0]]


@pytest.mark.parametrize(("query", "groups"), [
    ("veto", [[("veto", False)]]),
    ("reform, veto.", [[("reform", False)], [("veto", False)]]),
    ('"Security  Council" -veto', [[("Security Council", False)], [("veto", True)]]),
    ("veto or size OR council", [[("veto", False), ("size", False), ("council", False)]]),
    ("or veto", [[("veto", False)]]),
    ('- "" ,', []),
    ("安全理事会改革", [[("安全理事会改革", False)]]),
])
def test_queries_are_read_as_websearch_reads_them(query, groups):
    assert text_terms(query) == groups


@pytest.mark.parametrize(("text", "folded"), [
    ("Négociations", "negociations"), ("ЁЛКА", "елка"), ("Генеральной", "генеральной"),
    ("Йемен", "йемен"), ("Lajčák", "lajcak"), ("安全理事会", "安全理事会"),
])
def test_fold_is_postgresqls_unaccent_with_case_folded(text, folded):
    assert fold(text) == folded
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT LOWER(UNACCENT(%s))", [text])
            assert cursor.fetchone()[0] == folded
