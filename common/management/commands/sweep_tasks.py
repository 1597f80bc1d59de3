"""Sweep stale RUNNING task rows and prune old finished ones (see common.taskrows)."""

from django.core.management.base import BaseCommand

from common.taskrows import prune_finished, sweep_stale


class Command(BaseCommand):
    help = ("Put task rows left RUNNING by a dead worker back to READY (or FAILED after "
            "IGN_TASK_MAX_ATTEMPTS claims) and delete finished rows older than "
            "IGN_TASK_KEEP_DAYS days.")

    def add_arguments(self, parser):
        parser.add_argument("--stale-after", type=int, default=None, metavar="SECONDS", help=(
            "A row RUNNING longer than this is stale (default: IGN_TASK_STALE_SECONDS). "
            "Use 0 only when no worker is running."))
        parser.add_argument("--keep-days", type=int, default=None, metavar="DAYS",
                            help="Keep finished rows this long (default: IGN_TASK_KEEP_DAYS).")

    def handle(self, *args, stale_after, keep_days, **options):
        ready, failed = sweep_stale(stale_after=stale_after)
        prune_finished(keep_days=keep_days)
        self.stdout.write(f"Stale rows: {ready} made ready again, {failed} failed.")
