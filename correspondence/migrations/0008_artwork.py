"""Letterheads and signatures take artwork: images kept as stored files.

A letterhead may carry an emblem or a full letterhead image, a signatory a scanned signature
(each a foreign key to a `StoredFile`, which never changes). An issued letter keeps the
letterhead's artwork and its placement as issued, in two columns of its own: the triggers of
0002 (as made again by 0004) are made again with these columns among the locked ones.
"""

import importlib

import common.validators
import django.db.models.deletion
from django.db import migrations, models

records = importlib.import_module("correspondence.migrations.0002_issued_letters_are_records")
stored_files = importlib.import_module("correspondence.migrations.0004_stored_files")

# The locked columns of 0004, and the artwork an issued letter was issued with.
LOCKED_COLUMNS = stored_files.LOCKED_COLUMNS + ["sender_artwork_sha256", "sender_artwork_placement"]
PLACEMENTS = [
    ("emblem", "Emblem, centred above the letterhead text"),
    ("full", "Full-width letterhead image, in place of the text"),
]


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, list)():
            schema_editor.execute(statement)
    return operation


def locked_now():
    return {
        "sqlite": lambda: records.sqlite_forward(LOCKED_COLUMNS),
        "postgresql": lambda: records.postgresql_forward(LOCKED_COLUMNS),
    }


def locked_before():
    return {
        "sqlite": lambda: records.sqlite_forward(stored_files.LOCKED_COLUMNS),
        "postgresql": lambda: records.postgresql_forward(stored_files.LOCKED_COLUMNS),
    }


def unlocked():
    return {"sqlite": records.sqlite_backward, "postgresql": records.postgresql_backward}


class Migration(migrations.Migration):

    dependencies = [
        ("correspondence", "0007_delivery_held_and_per_address"),
    ]

    operations = [
        # The letter trigger names its columns: dropped first, made again last.
        migrations.RunPython(run(unlocked()), run(locked_before())),
        migrations.AddField(
            model_name="letterhead",
            name="artwork",
            field=models.ForeignKey(
                blank=True, db_column="artwork_sha256", null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="correspondence.storedfile", verbose_name="artwork"),
        ),
        migrations.AddField(
            model_name="letterhead",
            name="artwork_placement",
            field=models.CharField(choices=PLACEMENTS, default="emblem", max_length=10,
                                   verbose_name="artwork placement"),
        ),
        migrations.AddConstraint(
            model_name="letterhead",
            constraint=models.CheckConstraint(
                condition=models.Q(("artwork_placement__in", ["emblem", "full"])),
                name="letterhead_artwork_placement_known"),
        ),
        migrations.AddField(
            model_name="signatory",
            name="signature",
            field=models.ForeignKey(
                blank=True, db_column="signature_sha256", null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="correspondence.storedfile", verbose_name="signature image"),
        ),
        migrations.AddField(
            model_name="letter",
            name="sender_artwork",
            field=models.ForeignKey(
                blank=True, db_column="sender_artwork_sha256", editable=False, null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="correspondence.storedfile", verbose_name="artwork as issued"),
        ),
        migrations.AddField(
            model_name="letter",
            name="sender_artwork_placement",
            field=models.CharField(blank=True, choices=PLACEMENTS, editable=False, max_length=10,
                                   validators=[common.validators.validate_single_line],
                                   verbose_name="artwork placement as issued"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(
                condition=models.Q(("sender_artwork_placement", ""),
                                   ("sender_artwork_placement__in", ["emblem", "full"]),
                                   _connector="OR"),
                name="letter_sender_artwork_placement_known"),
        ),
        migrations.RunPython(run(locked_now()), run(unlocked())),
    ]
