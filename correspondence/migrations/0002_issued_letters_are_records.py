"""Issued letters are records: the database itself refuses to change them.

The only change an issued letter accepts is its status going from `issued` to `superseded`
(when its correction is issued), with `updated_at`. Its signatories, enclosures and named
recipients cannot be added or changed. On PostgreSQL an issued letter and its parts cannot
be deleted either; on SQLite (local use) deletion is refused by the model layer only, so
that `flush` (which deletes row by row there) keeps working.
"""

from django.db import migrations

MESSAGE = "correspondence: an issued letter is a record and cannot be changed; issue a correction"

# Every column of correspondence_letter but status and updated_at (as of this migration;
# 0004 calls these functions again with the columns of its day).
LOCKED_COLUMNS = [
    "id", "session_id", "letterhead_id", "slug", "date", "place", "reference", "subject",
    "addressee", "audience", "salutation", "body", "complimentary_close", "language",
    "corrects_id", "correction_number", "issued_at", "issued_by_id", "pdf", "pdf_sha256",
    "verification_code", "created_at",
]
PARTS = ["correspondence_signatory", "correspondence_enclosure", "correspondence_letter_recipients"]
STATUS_MOVE = "NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'superseded'))"


def sqlite_forward(columns=LOCKED_COLUMNS):
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    statements = [
        f"CREATE TRIGGER correspondence_letter_record BEFORE UPDATE ON correspondence_letter "
        f"FOR EACH ROW WHEN OLD.status <> 'draft' AND ({STATUS_MOVE} OR {changed}) {raise_};",
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
    names = ["correspondence_letter_record"] + [
        f"{table}_record_{op}" for table in PARTS for op in ("insert", "update")]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


def postgresql_forward(columns=LOCKED_COLUMNS):
    old = ", ".join(f"OLD.{c}" for c in columns)
    new = ", ".join(f"NEW.{c}" for c in columns)
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    statements = [
        f"""CREATE OR REPLACE FUNCTION correspondence_letter_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status <> 'draft' THEN
            IF TG_OP = 'DELETE' THEN {raise_} END IF;
            IF {STATUS_MOVE} OR ROW({new}) IS DISTINCT FROM ROW({old}) THEN {raise_} END IF;
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
    ]
    for table in PARTS:
        statements.append(
            f"CREATE TRIGGER {table}_record BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION correspondence_letter_part_record();"
        )
    return statements


def postgresql_backward():
    return [f"DROP TRIGGER IF EXISTS {table}_record ON {table};" for table in PARTS] + [
        "DROP TRIGGER IF EXISTS correspondence_letter_record ON correspondence_letter;",
        "DROP FUNCTION IF EXISTS correspondence_letter_part_record();",
        "DROP FUNCTION IF EXISTS correspondence_letter_record();",
    ]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_forward, "postgresql": postgresql_forward}.get(vendor)
    for statement in statements() if statements else []:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_backward, "postgresql": postgresql_backward}.get(vendor)
    for statement in statements() if statements else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("correspondence", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
