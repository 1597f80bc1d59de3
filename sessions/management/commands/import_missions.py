"""Import the mission directory from a CSV file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sessions.directory import DirectoryImportError, directory_import


class Command(BaseCommand):
    help = _("Import missions and their e-mail addresses from CSV "
             "(state_code,mission_name,address,emails); a file with a bad row imports nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The CSV file."))

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {
                "file": file, "error": exc.strerror}) from None
        try:
            summary = directory_import(data=data)
        except DirectoryImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(_(
            "Imported %(missions)d missions (%(created)d new): %(added)d addresses added, "
            "%(removed)d removed.") % summary.__dict__))
        if summary.without_address:
            self.stdout.write(_("Without an address: %(codes)s") % {
                "codes": ", ".join(summary.without_address)})
