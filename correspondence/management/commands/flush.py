"""`flush`, refused while the database holds issued letters: they are records."""

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

LETTER_TABLE = "correspondence_letter"


def records_held(using=DEFAULT_DB_ALIAS):
    """How many issued or superseded letters the database holds (0 before it is migrated)."""
    from correspondence.models import Letter

    connection = connections[using]
    with connection.cursor() as cursor:
        if LETTER_TABLE not in connection.introspection.table_names(cursor):
            return 0
    return Letter.objects.using(using).exclude(status=Letter.Status.DRAFT).count()


class Command(flush.Command):
    help = flush.Command.help + " " + (
        "Refused while the database holds issued letters, which are records.")

    def handle(self, **options):
        held = records_held(options["database"])
        if held:
            raise CommandError(_(
                "flush refused: the database holds %(count)d issued letter(s), which are "
                "records and are never wiped.") % {"count": held})
        return super().handle(**options)
