"""Issued letters are snapshots: the sender as issued, frozen references, no wipe.

- Each letter gets the columns that freeze its sender (`sender_name`, `sender_heading`,
  `sender_paper_size`), filled when it is issued. Letters issued before this migration get
  them from their letterhead as it is now, which is the only value left to take.
- Letterheads keep a history (django-simple-history); each letterhead's history starts with
  its row as of this migration.
- The meetings, clusters, documents and named missions of a letter become explicit models on
  the same tables (no change to the database), whose foreign key to what the letter refers to
  protects it while an issued or superseded letter refers to it.
- The triggers of 0008 are made again: the new columns are locked too; the four reference
  tables are parts of the record like signatories and enclosures; the status may move from
  issued to superseded only when an issued correction of the same chain comes after the
  letter; and on PostgreSQL a TRUNCATE of the letters, their parts or the stored files is
  refused while any letter is issued or superseded.
"""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

import common.validators
import correspondence.models.letters

records = importlib.import_module("correspondence.migrations.0002_issued_letters_are_records")
artwork = importlib.import_module("correspondence.migrations.0008_artwork")

MESSAGE = records.MESSAGE
SNAPSHOT_COLUMNS = ["sender_name", "sender_heading", "sender_paper_size"]
# Every column of correspondence_letter but status and updated_at, as of this migration.
LOCKED_COLUMNS = artwork.LOCKED_COLUMNS + SNAPSHOT_COLUMNS
REFERENCES = [
    "correspondence_letter_recipients", "correspondence_letter_clusters",
    "correspondence_letter_meetings", "correspondence_letter_documents",
]
PARTS = ["correspondence_signatory", "correspondence_enclosure", *REFERENCES]
TRUNCATE_GUARDED = ["correspondence_letter", *PARTS, "correspondence_storedfile"]
TRUNCATE_MESSAGE = ("correspondence: the database holds issued letters, which are records; "
                    "TRUNCATE refused")
# issued -> superseded only when an issued correction of the chain comes after the letter.
STATUS_MOVE = (
    "NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'superseded' "
    "AND EXISTS (SELECT 1 FROM correspondence_letter AS later "
    "WHERE later.corrects_id = COALESCE(OLD.corrects_id, OLD.id) AND later.status = 'issued' "
    "AND later.correction_number > COALESCE(OLD.correction_number, 0))))"
)

# A draft becomes a record only by being issued, never straight to superseded.
DRAFT_MOVE = "OLD.status = 'draft' AND NEW.status = 'superseded'"


def sqlite_forward(columns=LOCKED_COLUMNS, status_move=STATUS_MOVE):
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    statements = [
        f"CREATE TRIGGER correspondence_letter_record BEFORE UPDATE ON correspondence_letter "
        f"FOR EACH ROW WHEN OLD.status <> 'draft' AND ({status_move} OR {changed}) {raise_};",
        f"CREATE TRIGGER correspondence_letter_draft_move BEFORE UPDATE ON correspondence_letter "
        f"FOR EACH ROW WHEN {DRAFT_MOVE} {raise_};",
    ]
    locked = "(SELECT status FROM correspondence_letter WHERE id = {}.letter_id) <> 'draft'"
    for table in PARTS:
        statements += [
            f"CREATE TRIGGER {table}_record_insert BEFORE INSERT ON {table} "
            f"FOR EACH ROW WHEN {locked.format('NEW')} {raise_};",
            f"CREATE TRIGGER {table}_record_update BEFORE UPDATE ON {table} "
            f"FOR EACH ROW WHEN {locked.format('OLD')} OR {locked.format('NEW')} {raise_};",
        ]
    return statements


def sqlite_backward():
    names = ["correspondence_letter_record", "correspondence_letter_draft_move"] + [
        f"{table}_record_{op}" for table in PARTS for op in ("insert", "update")]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def postgresql_forward(columns=LOCKED_COLUMNS, status_move=STATUS_MOVE):
    old = ", ".join(f"OLD.{c}" for c in columns)
    new = ", ".join(f"NEW.{c}" for c in columns)
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    truncate_raise = (f"RAISE EXCEPTION '{TRUNCATE_MESSAGE}' "
                      "USING ERRCODE = 'integrity_constraint_violation';")
    statements = [
        f"""CREATE OR REPLACE FUNCTION correspondence_letter_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND {DRAFT_MOVE} THEN {raise_} END IF;
          IF OLD.status <> 'draft' THEN
            IF TG_OP = 'DELETE' THEN {raise_} END IF;
            IF {status_move} OR ROW({new}) IS DISTINCT FROM ROW({old}) THEN {raise_} END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$;""",
        "CREATE TRIGGER correspondence_letter_record BEFORE UPDATE OR DELETE "
        "ON correspondence_letter FOR EACH ROW EXECUTE FUNCTION correspondence_letter_record();",
        f"""CREATE OR REPLACE FUNCTION correspondence_letter_part_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
              SELECT 1 FROM correspondence_letter WHERE id = OLD.letter_id AND status <> 'draft')
          THEN {raise_} END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
              SELECT 1 FROM correspondence_letter WHERE id = NEW.letter_id AND status <> 'draft')
          THEN {raise_} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$;""",
        f"""CREATE OR REPLACE FUNCTION correspondence_records_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM correspondence_letter WHERE status <> 'draft')
          THEN {truncate_raise} END IF;
          RETURN NULL;
        END $$;""",
    ]
    for table in PARTS:
        statements.append(
            f"CREATE TRIGGER {table}_record BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION correspondence_letter_part_record();"
        )
    for table in TRUNCATE_GUARDED:
        statements.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION correspondence_records_truncate();"
        )
    return statements


def postgresql_backward():
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};" for table in TRUNCATE_GUARDED),
        *(f"DROP TRIGGER IF EXISTS {table}_record ON {table};" for table in PARTS),
        "DROP TRIGGER IF EXISTS correspondence_letter_record ON correspondence_letter;",
        "DROP FUNCTION IF EXISTS correspondence_records_truncate();",
        "DROP FUNCTION IF EXISTS correspondence_letter_part_record();",
        "DROP FUNCTION IF EXISTS correspondence_letter_record();",
    ]


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, list)():
            schema_editor.execute(statement)
    return operation


def triggers_of_0008():
    return {"sqlite": lambda: records.sqlite_forward(artwork.LOCKED_COLUMNS),
            "postgresql": lambda: records.postgresql_forward(artwork.LOCKED_COLUMNS)}


def triggers_of_0002_dropped():
    return {"sqlite": records.sqlite_backward, "postgresql": records.postgresql_backward}


def snapshot_issued_letters(apps, schema_editor):
    """Letters issued before this migration: their sender as the letterhead is now."""
    Letter = apps.get_model("correspondence", "Letter")
    Letterhead = apps.get_model("correspondence", "Letterhead")
    fields = {"sender_name": "name", "sender_heading": "heading", "sender_paper_size": "paper_size"}
    Letter.objects.exclude(status="draft").update(**{
        column: Subquery(Letterhead.objects.filter(pk=OuterRef("letterhead_id")).values(field)[:1])
        for column, field in fields.items()
    })


def clear_snapshots(apps, schema_editor):
    pass  # the columns go away with the reverse of AddField


def start_letterhead_history(apps, schema_editor):
    Letterhead = apps.get_model("correspondence", "Letterhead")
    Historical = apps.get_model("correspondence", "HistoricalLetterhead")
    now = timezone.now()
    Historical.objects.bulk_create([
        Historical(id=row.pk, name=row.name, heading=row.heading, place=row.place,
                   paper_size=row.paper_size, artwork_id=row.artwork_id,
                   artwork_placement=row.artwork_placement, history_date=now, history_type="+",
                   history_change_reason="As of the start of the letterhead history")
        for row in Letterhead.objects.all()
    ])


def reference_model(name, target, to, table, verbose, **field_options):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.AutoField(primary_key=True, serialize=False, verbose_name="ID")),
            ("letter", models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to="correspondence.letter",
                verbose_name="letter")),
            (target, models.ForeignKey(
                on_delete=correspondence.models.letters.PROTECT_RECORDS, to=to,
                verbose_name=target, **field_options)),
        ],
        options={
            "verbose_name": verbose[0], "verbose_name_plural": verbose[1], "db_table": table,
            "unique_together": {("letter", target)},
        },
        bases=(correspondence.models.letters.LockedWithLetterMixin, models.Model),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("clusters", "0001_initial"),
        ("correspondence", "0008_artwork"),
        ("ign_sessions", "0006_mission_active"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The triggers name the columns that change here: dropped first, made again last.
        migrations.RunPython(run(triggers_of_0002_dropped()), run(triggers_of_0008())),
        migrations.AddField(
            model_name="letter", name="sender_name",
            field=models.CharField(blank=True, editable=False, max_length=200,
                                   validators=[common.validators.validate_single_line],
                                   verbose_name="sender as issued"),
        ),
        migrations.AddField(
            model_name="letter", name="sender_heading",
            field=models.TextField(blank=True, editable=False,
                                   validators=[common.validators.validate_multi_line],
                                   verbose_name="letterhead as issued"),
        ),
        migrations.AddField(
            model_name="letter", name="sender_paper_size",
            field=models.CharField(blank=True, editable=False, max_length=10,
                                   validators=[common.validators.validate_single_line],
                                   verbose_name="paper size as issued"),
        ),
        migrations.CreateModel(
            name="HistoricalLetterhead",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True,
                                              verbose_name="ID")),
                ("name", models.CharField(
                    db_index=True, help_text="E.g. “The President of the General Assembly”.",
                    max_length=200, validators=[common.validators.validate_single_line],
                    verbose_name="office")),
                ("heading", models.TextField(
                    help_text="The heading exactly as printed, one line per line.",
                    validators=[common.validators.validate_multi_line],
                    verbose_name="letterhead")),
                ("place", models.CharField(
                    default="New York", max_length=100,
                    validators=[common.validators.validate_single_line], verbose_name="place")),
                ("paper_size", models.CharField(
                    choices=[("letter", "US Letter (New York)"), ("a4", "A4 (Geneva, Vienna)")],
                    default="letter", max_length=10, verbose_name="paper size")),
                ("artwork", models.ForeignKey(
                    blank=True, db_column="artwork_sha256", db_constraint=False, null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                    to="correspondence.storedfile", verbose_name="artwork")),
                ("artwork_placement", models.CharField(
                    choices=artwork.PLACEMENTS, default="emblem", max_length=10,
                    verbose_name="artwork placement")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                ("history_type", models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                    max_length=1)),
                ("history_user", models.ForeignKey(
                    null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                    to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "historical letterhead",
                "verbose_name_plural": "historical letterheads",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The tables Django made for the many-to-many fields, now explicit models (state only).
        migrations.SeparateDatabaseAndState(state_operations=[
            reference_model("LetterRecipient", "mission", "ign_sessions.mission",
                            "correspondence_letter_recipients",
                            ("named mission of a letter", "named missions of letters")),
            migrations.AlterField(
                model_name="letter", name="recipients",
                field=models.ManyToManyField(
                    blank=True, related_name="+", through="correspondence.LetterRecipient",
                    to="ign_sessions.mission", verbose_name="named missions"),
            ),
            reference_model("LetterCluster", "cluster", "clusters.cluster",
                            "correspondence_letter_clusters",
                            ("cluster of a letter", "clusters of letters")),
            migrations.AlterField(
                model_name="letter", name="clusters",
                field=models.ManyToManyField(
                    blank=True, related_name="letters", through="correspondence.LetterCluster",
                    to="clusters.cluster", verbose_name="clusters"),
            ),
            reference_model("LetterMeeting", "meeting", "ign_sessions.meeting",
                            "correspondence_letter_meetings",
                            ("meeting announced by a letter", "meetings announced by letters")),
            migrations.AlterField(
                model_name="letter", name="meetings",
                field=models.ManyToManyField(
                    blank=True, related_name="letters", through="correspondence.LetterMeeting",
                    to="ign_sessions.meeting", verbose_name="meetings announced"),
            ),
            reference_model("LetterDocument", "document", "ign_sessions.gadocument",
                            "correspondence_letter_documents",
                            ("document referred to by a letter",
                             "documents referred to by letters"),
                            db_column="gadocument_id"),
            migrations.AlterField(
                model_name="letter", name="documents",
                field=models.ManyToManyField(
                    blank=True, related_name="letters", through="correspondence.LetterDocument",
                    to="ign_sessions.gadocument", verbose_name="documents referred to"),
            ),
        ]),
        migrations.RunPython(snapshot_issued_letters, clear_snapshots),
        migrations.RunPython(start_letterhead_history, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"))
                | (models.Q(("verification_code__isnull", False))
                   & ~models.Q(("sender_name", ""))),
                name="letter_issued_has_snapshot",
                violation_error_message=(
                    "An issued letter has its verification code and its sender as issued."),
            ),
        ),
        migrations.RunPython(
            run({"sqlite": sqlite_forward, "postgresql": postgresql_forward}),
            run({"sqlite": sqlite_backward, "postgresql": postgresql_backward}),
        ),
    ]
