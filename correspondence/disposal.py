"""Disposing of a test database's records: the one path that deletes issued letters.

Issued letters are records: the model layer refuses to delete them, PostgreSQL's triggers
refuse DELETE and TRUNCATE, and `manage.py flush` refuses while any exists. A test that
commits rows (live server, worker processes) still has to leave an empty database behind,
so the test harness calls `dispose_of_records` before Django's own end-of-test flush. It
works on test databases only.
"""

import os

from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction


class NotATestDatabase(RuntimeError):
    """Raised when asked to dispose of the records of a database that is not a test one."""


def is_test_database(connection):
    """Whether the connection's database is one Django's test runner made ("test_…")."""
    return os.path.basename(str(connection.settings_dict["NAME"])).startswith("test")


def dispose_of_records(*, using=DEFAULT_DB_ALIAS):
    """Empty every table of the test database `using`, issued letters included.

    Side effects: deletes every row, in one transaction. On PostgreSQL the record triggers
    are set aside for that transaction only (`SET LOCAL session_replication_role = replica`,
    which only a superuser may set). SQLite's triggers refuse no deletion (the model layer
    does), so nothing is set aside there. Raises NotATestDatabase for any other database.
    """
    connection = connections[using]
    if not is_test_database(connection):
        raise NotATestDatabase(
            f"{connection.settings_dict['NAME']} is not a test database: records are kept.")
    statements = sql_flush(no_style(), connection, allow_cascade=False)
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        connection.ops.execute_sql_flush(statements)
