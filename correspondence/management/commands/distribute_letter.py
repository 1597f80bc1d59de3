"""Send an issued letter to every mission it is addressed to that has not received it yet."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from correspondence.distribution.services import (
    DistributionRefused,
    distribution_preview,
    letter_distribute,
    mailer_warning,
)
from correspondence.models import Delivery, Letter


class Command(BaseCommand):
    help = _("Queue an issued letter for every mission not yet served; a task worker sends it.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help=_("The letter's slug, as in /letters/<slug>/."))
        parser.add_argument("--language", default=None, help=_(
            "Distribute only the version in this language (e.g. fr), to the missions that "
            "prefer it. Default: the original, each mission receiving its version."))
        parser.add_argument("--parallel", type=int, default=1, help=_(
            "How many workers may send this letter at once (default 1)."))
        parser.add_argument("--stuck-after", type=int, default=None, metavar="SECONDS", help=_(
            "Queue again deliveries left in “sending” longer than this (default: "
            "IGN_DELIVERY_STUCK_SECONDS). Use 0 only when no worker is running."))
        parser.add_argument("--wait", type=int, default=None, metavar="SECONDS", help=_(
            "Then wait (at most this long) until a worker has taken every delivery, and say "
            "what it did: sent, failed, held (not sent) or waiting for a retry."))

    def handle(self, *args, slug, language, parallel, stuck_after, wait, **options):
        letters = Letter.objects.filter(slug=slug)
        letter = (letters.filter(language=language) if language else letters.originals()).first()
        if letter is None:
            raise CommandError(_("No letter has the slug “%(slug)s”.") % {"slug": slug}
                               if not language or not letters.exists() else
                               _("“%(slug)s” has no version in “%(language)s”.") % {
                                   "slug": slug, "language": language})
        if parallel < 1 or (stuck_after is not None and stuck_after < 0) or (
                wait is not None and wait < 0):
            raise CommandError(_("--parallel is 1 or more, --stuck-after and --wait 0 or more."))
        try:
            summary = letter_distribute(letter=letter, parallel=parallel, stuck_after=stuck_after)
        except DistributionRefused as exc:
            raise CommandError(str(exc)) from None
        # Every delivery queued now is due by then; a worker that takes one moves it on.
        queued_by = timezone.now()
        if warning := mailer_warning():
            # The worker has its own settings and decides for itself: a warning, not a refusal.
            self.stderr.write(self.style.WARNING(warning))
        if summary.recovered:
            self.stdout.write(_("Recovered %(n)d interrupted deliveries.") % {
                "n": summary.recovered})
        if not summary.to_send:
            self.stdout.write(self.style.SUCCESS(_("Nothing to send: %(facts)s") % {
                "facts": facts(summary)}))
            return
        self.stdout.write(self.style.SUCCESS(
            _("Queued %(queued)d deliveries of “%(slug)s” (%(facts)s) A worker sends them: "
              "manage.py task_worker --queue-name distribution") % {
                "queued": summary.counts[Delivery.State.QUEUED], "slug": letter.slug,
                "facts": facts(summary)}))
        self.write_held(summary, _("held by a worker before"))
        if wait is not None:
            self.wait_for_workers(letter, queued_by, wait)

    def wait_for_workers(self, letter, queued_by, seconds):
        """Until no delivery is being sent or still due from this run: then the outcome."""
        deadline = time.monotonic() + seconds
        untaken = Delivery.objects.filter(letter=letter).filter(
            state=Delivery.State.SENDING) | Delivery.objects.filter(
            letter=letter, state=Delivery.State.QUEUED, next_attempt_at__lte=queued_by)
        while untaken.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        summary = distribution_preview(letter)
        done = not untaken.exists()
        line = (_("After the workers: %(facts)s") if done else
                _("Still waiting for a worker after %(n)d s: %(facts)s")) % {
            "n": seconds, "facts": facts(summary)}
        self.stdout.write(self.style.SUCCESS(line) if done and not summary.held
                          else self.style.WARNING(line))
        self.write_held(summary, _("held"))

    def write_held(self, summary, label):
        for reason, n in summary.held.items():
            self.stdout.write(self.style.WARNING(
                _("%(n)d %(label)s: %(reason)s") % {"n": n, "label": label, "reason": reason}))


def facts(summary):
    counts = summary.counts
    partial = (_("%(n)d partly delivered, ") % {"n": counts[Delivery.State.PARTIAL]}
               if counts[Delivery.State.PARTIAL] else "")
    held = sum(summary.held.values())
    return _("%(sent)d of %(total)d missions sent, %(partial)s%(failed)d failed, "
             "%(without)d without an address%(held)s.") % {
        "sent": counts[Delivery.State.SENT], "total": summary.recipients, "partial": partial,
        "failed": counts[Delivery.State.FAILED], "without": summary.without_address,
        "held": (_(", %(n)d held (not sent)") % {"n": held}) if held else ""}
