"""Load the 71st session from the seed letters. Running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.seed import load_ign71


class Command(BaseCommand):
    help = _("Load the 71st session (President, Co-Chairs, clusters, meetings, letters).")

    def handle(self, *args, **options):
        session = load_ign71()
        self.stdout.write(self.style.SUCCESS(
            _("Loaded the %(session)s: %(meetings)d meetings.") % {
                "session": session, "meetings": session.meetings.count()}
        ))
