"""Send an issued letter to every mission it is addressed to that has not received it yet."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from correspondence.distribution.services import DistributionRefused, letter_distribute
from correspondence.models import Delivery, Letter


class Command(BaseCommand):
    help = _("Queue an issued letter for every mission not yet served; a db_worker sends it.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The letter's slug, as in /letters/<slug>/."))
        parser.add_argument("--parallel", type=int, default=1, help=_(
            "How many workers may send this letter at once (default 1)."))
        parser.add_argument("--stuck-after", type=int, default=None, metavar="SECONDS", help=_(
            "Queue again deliveries left in “sending” longer than this (default: "
            "IGN_DELIVERY_STUCK_SECONDS). Use 0 only when no worker is running."))

    def handle(self, *args, slug, parallel, stuck_after, **options):
        letter = Letter.objects.filter(slug=slug).first()
        if letter is None:
            raise CommandError(_("No letter has the slug “%(slug)s”.") % {"slug": slug})
        if parallel < 1 or (stuck_after is not None and stuck_after < 0):
            raise CommandError(_("--parallel is 1 or more and --stuck-after 0 or more."))
        try:
            summary = letter_distribute(letter=letter, parallel=parallel, stuck_after=stuck_after)
        except DistributionRefused as exc:
            raise CommandError(str(exc)) from None
        counts = summary.counts
        facts = _("%(sent)d of %(total)d missions sent, %(failed)d failed, "
                  "%(without)d without an address.") % {
            "sent": counts[Delivery.State.SENT], "total": summary.recipients,
            "failed": counts[Delivery.State.FAILED], "without": summary.without_address}
        if summary.recovered:
            self.stdout.write(_("Recovered %(n)d interrupted deliveries.") % {
                "n": summary.recovered})
        if not summary.to_send:
            self.stdout.write(self.style.SUCCESS(_("Nothing to send: %(facts)s") % {
                "facts": facts}))
            return
        self.stdout.write(self.style.SUCCESS(
            _("Queued %(queued)d deliveries of “%(slug)s” (%(facts)s) A worker sends them: "
              "manage.py db_worker --queue-name distribution") % {
                "queued": counts[Delivery.State.QUEUED], "slug": letter.slug, "facts": facts}))
