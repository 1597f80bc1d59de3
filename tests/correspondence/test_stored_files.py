"""Issued PDFs and annexes are stored files in the database: the same bytes on every server."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from correspondence.models import Enclosure, StoredFile, annex_storage
from correspondence.pdf import INTERNAL_ORIGIN, RefusedURL, local_file
from correspondence.services import letter_issue
from tests.factories import make_letter

from .pdftools import blank_pdf, reader

pytestmark = pytest.mark.django_db


def test_download_is_byte_identical_to_what_was_issued(client, monkeypatch):
    import correspondence.services

    rendered = []
    render = correspondence.services.render_letter_pdf
    monkeypatch.setattr("correspondence.services.render_letter_pdf",
                        lambda letter: rendered.append(render(letter)) or rendered[-1])
    letter = letter_issue(letter=make_letter(), by=None)

    response = client.get(letter.get_pdf_url())

    assert len(rendered) == 1 and rendered[0].startswith(b"%PDF-")
    assert response.status_code == 200 and response.content == rendered[0]
    assert response["ETag"] == f'"{hashlib.sha256(rendered[0]).hexdigest()}"'


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_another_process_serves_the_same_bytes_from_the_database(tmp_path):
    letter = letter_issue(letter=make_letter(), by=None)
    code = (
        "import hashlib; from django.test import Client; "
        f"r = Client(HTTP_HOST='localhost').get('{letter.get_pdf_url()}'); "
        "print(r.status_code, hashlib.sha256(r.content).hexdigest())"
    )
    # Another process: its own connection, its own (empty) memory, no MEDIA_ROOT on disk.
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path / "none")}
    out = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "--no-imports",
         "-c", code], env=env, check=True, capture_output=True, text=True).stdout.split()

    assert out == ["200", letter.pdf_sha256]
    assert out[1] == hashlib.sha256(bytes(letter.pdf)).hexdigest()


def test_annex_bytes_live_in_the_database_not_on_the_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    annex = blank_pdf(pages=2)
    draft = make_letter()

    enclosure = Enclosure.objects.create(
        letter=draft, position=1, title="Map", annex=SimpleUploadedFile("map.pdf", annex))
    issued = letter_issue(letter=draft, by=None)

    sha256 = hashlib.sha256(annex).hexdigest()
    assert not (tmp_path / "media").exists()
    assert Enclosure.objects.get(pk=enclosure.pk).annex.name == f"{sha256}/map.pdf"
    assert Enclosure.objects.get(pk=enclosure.pk).annex.open().read() == annex
    assert bytes(StoredFile.objects.get(pk=sha256)) == annex
    assert len(reader(bytes(issued.pdf)).pages) == 3


def test_the_same_bytes_are_one_stored_file_and_long_names_fit():
    storage = annex_storage()

    first = storage.save("annexes/a/first.pdf", ContentFile(b"%PDF-1.7 same"))
    second = storage.save("x" * 200 + ".pdf", ContentFile(b"%PDF-1.7 same"))

    assert StoredFile.objects.count() == 1
    assert first.endswith("/first.pdf") and len(second) == 100 and second.endswith(".pdf")
    assert storage.open(second).read() == b"%PDF-1.7 same" and storage.size(first) == 13
    assert storage.exists(first) and not storage.exists("annexes/a/first.pdf")
    with pytest.raises(FileNotFoundError):
        storage.open("0" * 64 + "/missing.pdf")


def test_the_renderer_reads_stored_files_and_nothing_else_under_media_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "on-disk.css").write_text("p { color: red }")
    name = annex_storage().save("style.css", ContentFile(b"p { color: blue }"))

    assert local_file(f"{INTERNAL_ORIGIN}{settings.MEDIA_URL}{name}") == (
        "style.css", b"p { color: blue }")
    for missing in ("on-disk.css", "0" * 64 + "/style.css", name.replace("/", "/../")):
        with pytest.raises(RefusedURL):
            local_file(f"{INTERNAL_ORIGIN}{settings.MEDIA_URL}{missing}")
