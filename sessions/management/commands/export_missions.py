"""Export the mission directory as CSV."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sessions.directory import directory_export


class Command(BaseCommand):
    help = _("Write the mission directory as CSV (state_code,mission_name,address,emails).")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help=_("A file to write (default: standard output)."))

    def handle(self, *args, output=None, **options):
        text = directory_export()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
