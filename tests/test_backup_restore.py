"""Backup and restore as docs/operations.md gives them: `pg_dump --format=custom` of a database
holding the 71st session's issued letters (and an annex), `pg_restore` into a fresh database,
then every issued letter's PDF and every annex checked against its SHA-256 on the restored
database, through the project's own code (`verify_stored_files`, and the PDF download view).

PostgreSQL only: it needs a server to dump from and restore into (the tests' own, with
databases of its own beside the test database, dropped at the end)."""

import json

import pytest

from tests.processes import ScratchDatabase, manage, project_env

# A correction of the Co-Chairs' letter with a PDF annex, issued: the backup then holds
# the seed's two letters (one superseded now), the correction and the annex.
ADD_ANNEX = """
from io import BytesIO
from pypdf import PdfWriter
from django.core.files.uploadedfile import SimpleUploadedFile
from correspondence.models import Enclosure, Letter
from correspondence.seed import CO_CHAIRS_SLUG
from correspondence.services import letter_correct, letter_issue

writer = PdfWriter()
writer.add_blank_page(width=612, height=792)
annex = BytesIO()
writer.write(annex)
draft = letter_correct(letter=Letter.objects.get(slug=CO_CHAIRS_SLUG), by=None)
Enclosure.objects.create(letter=draft, position=draft.enclosures.count() + 1, title="Map",
                         annex=SimpleUploadedFile("map.pdf", annex.getvalue()))
letter_issue(letter=draft, by=None)
"""

# Every issued letter as the public downloads it: slug, SHA-256 of the bytes served, the
# SHA-256 the letter records; every annex: its name and the SHA-256 of the bytes read.
DOWNLOADS = """
import hashlib, json
from django.test import Client
from correspondence.models import Enclosure, Letter

client = Client(HTTP_HOST="127.0.0.1")
letters = {}
for letter in Letter.objects.exclude(status=Letter.Status.DRAFT):
    response = client.get(letter.get_pdf_url())
    assert response.status_code == 200, (letter.slug, response.status_code)
    letters[letter.slug] = [hashlib.sha256(response.content).hexdigest(), letter.pdf_sha256]
annexes = {e.annex.name: hashlib.sha256(e.annex.open().read()).hexdigest()
           for e in Enclosure.objects.exclude(annex="")}
print(json.dumps({"letters": letters, "annexes": annexes}))
"""


def _env(database):
    return project_env(DATABASE_URL=database.url, CACHE_URL="locmemcache://")


def _downloads(database):
    return json.loads(manage("shell", "--no-imports", "-c", DOWNLOADS,
                             env=_env(database)).stdout)


@pytest.fixture
def databases(settings):
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("pg_dump and pg_restore need the tests to run on PostgreSQL")
    made = []

    def make(suffix):
        made.append(ScratchDatabase(suffix))
        return made[-1]

    yield make
    for database in made:
        database.drop()


def test_a_dump_restored_into_a_fresh_database_keeps_every_pdf_and_annex_whole(
    databases, tmp_path
):
    source = databases("backup_source")
    source.build(_env(source))
    manage("shell", "--no-imports", "-c", ADD_ANNEX, env=_env(source))
    before = _downloads(source)
    assert len(before["letters"]) == 3 and len(before["annexes"]) == 1

    dump = tmp_path / "ign.dump"
    source.client("pg_dump", "--format=custom", f"--file={dump}", source.name)
    restored = databases("backup_restored")
    restored.client("pg_restore", "--no-owner", "--single-transaction",
                    f"--dbname={restored.name}", str(dump))

    check = manage("verify_stored_files", env=_env(restored))
    assert "PDFs of 3 issued letters and 1 annexes are all there" in check.stdout
    after = _downloads(restored)
    assert after == before
    for served, recorded in after["letters"].values():
        assert served == recorded
    for name, sha256 in after["annexes"].items():
        assert name.startswith(f"{sha256}/")

    # A stored file damaged on purpose, past the database's guards (its trigger, and the
    # check that the column holds the SHA-256 of the bytes), is found and named.
    [annex] = after["annexes"].values()
    damage = restored.client(
        "psql", "-d", restored.name, "-v", "ON_ERROR_STOP=1", "-c",
        "ALTER TABLE correspondence_storedfile DISABLE TRIGGER USER, "
        "DROP CONSTRAINT storedfile_sha256_of_content; "
        "UPDATE correspondence_storedfile SET content = overlay(content placing "
        f"'\\x00'::bytea from 20 for 1) WHERE sha256 = '{annex}';", check=False)
    assert damage.returncode == 0, damage.stderr
    damaged = manage("verify_stored_files", env=_env(restored), check=False)
    assert damaged.returncode == 1
    assert f"Stored file {annex}: its bytes hash to another SHA-256." in damaged.stderr
