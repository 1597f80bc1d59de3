"""Issued PDFs and uploaded annexes move into stored files, content-addressed, in the database.

The bytes of each issued letter's PDF leave the `pdf` column of its row for a `StoredFile`
row keyed by their SHA-256; the letter's `pdf_sha256` column becomes the foreign key to it.
Annexes found under MEDIA_ROOT are read into stored files too and renamed `<sha256>/<file
name>` (an annex missing from the disk is reported and left as it was). The triggers of 0002
are made again for the new columns, so an issued letter's PDF still cannot change, and a
stored file cannot be updated at all (on PostgreSQL its key must also be its bytes' hash).
Reversible: the bytes go back to the letters' rows and the annexes to MEDIA_ROOT.
"""

import hashlib
import importlib
import posixpath
import sys

import django.db.models.deletion
import django.db.models.functions.text
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import migrations, models

import correspondence.models.letters
import correspondence.models.stored

records = importlib.import_module("correspondence.migrations.0002_issued_letters_are_records")

# pdf_sha256 stays locked: it is now the reference to the stored bytes.
LOCKED_COLUMNS = [c for c in records.LOCKED_COLUMNS if c != "pdf"]
STORED_MESSAGE = "correspondence: a stored file never changes; store other bytes as a new file"
NAME_MAX = 100


def stored_name(sha256, name):
    basename = posixpath.basename(name)
    room = NAME_MAX - len(sha256) - 1
    if len(basename) > room:
        stem, ext = posixpath.splitext(basename)
        ext = ext if len(ext) < 10 else ""
        basename = stem[:room - len(ext)] + ext
    return f"{sha256}/{basename}"


def is_stored_name(name):
    head = name.partition("/")[0]
    return len(head) == 64 and all(c in "0123456789abcdef" for c in head)


def store(StoredFile, content):
    sha256 = hashlib.sha256(content).hexdigest()
    StoredFile.objects.bulk_create(
        [StoredFile(sha256=sha256, content=content, size=len(content))], ignore_conflicts=True)
    return sha256


def move_bytes_to_stored_files(apps, schema_editor):
    Letter = apps.get_model("correspondence", "Letter")
    Enclosure = apps.get_model("correspondence", "Enclosure")
    StoredFile = apps.get_model("correspondence", "StoredFile")
    for pk, pdf, recorded in Letter.objects.filter(pdf__isnull=False).values_list(
            "pk", "pdf", "pdf_sha256").iterator():
        sha256 = store(StoredFile, bytes(pdf))
        if recorded != sha256:
            raise RuntimeError(f"letter {pk}: its PDF's SHA-256 is not the one recorded")
    Letter.objects.filter(pdf_sha256="").update(pdf_sha256=None)
    disk = FileSystemStorage()
    for pk, name in Enclosure.objects.exclude(annex="").values_list("pk", "annex"):
        if is_stored_name(name):
            continue
        try:
            with disk.open(name, "rb") as fh:
                sha256 = store(StoredFile, fh.read())
        except FileNotFoundError:
            sys.stderr.write(f"  annex {name} (enclosure {pk}) is not on the disk: left as it is\n")
            continue
        Enclosure.objects.filter(pk=pk).update(annex=stored_name(sha256, name))


def move_bytes_back(apps, schema_editor):
    Letter = apps.get_model("correspondence", "Letter")
    Enclosure = apps.get_model("correspondence", "Enclosure")
    StoredFile = apps.get_model("correspondence", "StoredFile")
    for pk, sha256 in Letter.objects.filter(pdf_sha256__isnull=False).values_list(
            "pk", "pdf_sha256"):
        Letter.objects.filter(pk=pk).update(pdf=StoredFile.objects.get(sha256=sha256).content)
    Letter.objects.filter(pdf_sha256__isnull=True).update(pdf_sha256="")
    disk = FileSystemStorage()
    for name in Enclosure.objects.exclude(annex="").values_list("annex", flat=True):
        stored = StoredFile.objects.filter(sha256=name.partition("/")[0]).first()
        if stored is not None and not disk.exists(name):
            disk.save(name, ContentFile(bytes(stored.content)))


def sqlite_forward():
    return records.sqlite_forward(LOCKED_COLUMNS) + [
        "CREATE TRIGGER correspondence_storedfile_record BEFORE UPDATE ON "
        f"correspondence_storedfile BEGIN SELECT RAISE(ABORT, '{STORED_MESSAGE}'); END;",
    ]


def postgresql_forward():
    raise_ = f"RAISE EXCEPTION '{STORED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    return records.postgresql_forward(LOCKED_COLUMNS) + [
        f"""CREATE OR REPLACE FUNCTION correspondence_storedfile_record() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN {raise_} END $$;""",
        "CREATE TRIGGER correspondence_storedfile_record BEFORE UPDATE ON "
        "correspondence_storedfile FOR EACH ROW EXECUTE FUNCTION correspondence_storedfile_record();",
        "ALTER TABLE correspondence_storedfile ADD CONSTRAINT storedfile_sha256_of_content "
        "CHECK (sha256 = encode(sha256(content), 'hex'));",
    ]


def postgresql_backward():
    return [
        "ALTER TABLE correspondence_storedfile DROP CONSTRAINT IF EXISTS "
        "storedfile_sha256_of_content;",
        "DROP TRIGGER IF EXISTS correspondence_storedfile_record ON correspondence_storedfile;",
        "DROP FUNCTION IF EXISTS correspondence_storedfile_record();",
    ] + records.postgresql_backward()


def sqlite_backward():
    return ["DROP TRIGGER IF EXISTS correspondence_storedfile_record;"] + records.sqlite_backward()


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, list)():
            schema_editor.execute(statement)
    return operation


class Migration(migrations.Migration):

    dependencies = [
        ("correspondence", "0003_delivery_ledger"),
    ]

    operations = [
        # The triggers name the columns that change here: dropped first, made again last.
        migrations.RunPython(records.backward, records.forward),
        migrations.RemoveConstraint(model_name="letter", name="letter_issued_has_record"),
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                ("sha256", models.CharField(max_length=64, primary_key=True, serialize=False,
                                            verbose_name="SHA-256")),
                ("content", models.BinaryField(verbose_name="content")),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="stored")),
            ],
            options={
                "verbose_name": "stored file",
                "verbose_name_plural": "stored files",
                "constraints": [models.CheckConstraint(
                    condition=models.Q(("size", django.db.models.functions.text.Length("content"))),
                    name="storedfile_size_is_length")],
            },
        ),
        migrations.AlterField(
            model_name="letter", name="pdf_sha256",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True,
                                   verbose_name="SHA-256"),
        ),
        migrations.RunPython(move_bytes_to_stored_files, move_bytes_back),
        migrations.RemoveField(model_name="letter", name="pdf"),
        migrations.AlterField(
            model_name="letter", name="pdf_sha256",
            field=models.ForeignKey(
                blank=True, db_column="pdf_sha256", editable=False, null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="correspondence.storedfile", verbose_name="PDF"),
        ),
        migrations.RenameField(model_name="letter", old_name="pdf_sha256", new_name="pdf"),
        migrations.AlterField(
            model_name="enclosure", name="annex",
            field=models.FileField(
                blank=True, storage=correspondence.models.stored.annex_storage,
                upload_to=correspondence.models.letters.annex_upload_to,
                verbose_name="PDF annex"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), models.Q(
                    ("date__isnull", False), ("issued_at__isnull", False),
                    ("pdf__isnull", False)), _connector="OR"),
                name="letter_issued_has_record",
                violation_error_message="An issued letter has its date, its issue time and its PDF."),
        ),
        migrations.RunPython(
            run({"sqlite": sqlite_forward, "postgresql": postgresql_forward}),
            run({"sqlite": sqlite_backward, "postgresql": postgresql_backward}),
        ),
    ]
