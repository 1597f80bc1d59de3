"""Create the Secretariat's two groups with their permissions. Safe to run again."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

EDITED_APPS = ("ign_sessions", "clusters", "correspondence")
PUBLISHER_ONLY = ("issue_letter", "distribute_letter", "publish_notice")

EDITORS = "Secretariat editors"
PUBLISHERS = "Secretariat publishers"


@transaction.atomic
def groups_create():
    """Create or refresh both groups. Editors edit everything; publishers also issue and send."""
    editable = Permission.objects.filter(content_type__app_label__in=EDITED_APPS)
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    publishers, _created = Group.objects.get_or_create(name=PUBLISHERS)
    editors.permissions.set(editable.exclude(codename__in=PUBLISHER_ONLY))
    publishers.permissions.set(editable)
    return editors, publishers


class Command(BaseCommand):
    help = _("Create the groups “Secretariat editors” and “Secretariat publishers”.")

    def handle(self, *args, **options):
        editors, publishers = groups_create()
        self.stdout.write(self.style.SUCCESS(
            _("%(editors)s: %(e)d permissions; %(publishers)s: %(p)d permissions.") % {
                "editors": editors.name, "e": editors.permissions.count(),
                "publishers": publishers.name, "p": publishers.permissions.count()}
        ))
