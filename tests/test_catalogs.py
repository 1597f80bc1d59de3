"""The interface's message catalogs: one per official language other than English, complete
(every string the code marks is there, translated, with the same placeholders) and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# What makemessages reads: the code, not the tests, benches or installed packages.
COPIED = ["manage.py", "ign_portal", "common", "portal", "sessions", "clusters",
          "correspondence", "templates"]


def catalog(language):
    path = ROOT / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{language} has no catalog at {path.relative_to(ROOT)}"
    with path.open("rb") as handle:
        return read_po(handle, locale=to_locale(language))


def marked_strings(tmp_path):
    """The msgids that makemessages finds in the code now, read from a copy of it."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing: the catalog check must run in CI.")
        pytest.skip("GNU gettext (xgettext) is missing: apt-get install gettext")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location",
         "--verbosity", "0"],
        cwd=tmp_path, check=True, capture_output=True,
        env={**os.environ, "IGN_ENV_FILE": "", "DJANGO_SECRET_KEY": "catalog-check"},
    )
    with (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    messages = [message for message in catalog(language) if message.id]

    untranslated = [message.id for message in messages
                    if not (all(message.string) if message.pluralizable else message.string)]
    fuzzy = [message.id for message in messages if message.fuzzy]
    wrong = [(message.id, [str(error) for error in errors])
             for message, errors in catalog(language).check()]

    assert len(messages) > 100
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}"
    assert wrong == []


def test_every_string_the_code_marks_is_in_every_catalog(tmp_path):
    marked = marked_strings(tmp_path)

    for language in LANGUAGES:
        present = {message.id for message in catalog(language) if message.id}
        missing = sorted(str(msgid) for msgid in marked - present)
        assert missing == [], f"{language} lacks {len(missing)}: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_one_django_reads(language):
    with translation.override(language):
        translated = translation.gettext("IGN Portal administration")

    assert translated != "IGN Portal administration", (
        f"{language}: run `make catalogs` (the .mo file is missing or stale)")
