"""Upkeep of the task table (django-tasks-db): stale RUNNING rows swept, old finished rows pruned.

A worker killed mid-task (SIGKILL, the machine lost, the OOM killer) leaves its row RUNNING
for ever: django-tasks-db has no heartbeat. A row RUNNING for longer than
``IGN_TASK_STALE_SECONDS`` is taken for such a row and put back to READY, to be run again,
unless it has already been claimed ``IGN_TASK_MAX_ATTEMPTS`` times (a task that kills its
worker every time): then it is FAILED, with the reason. READY is safe for our tasks: the
distribution task is resumable and idempotent per (letter, mission), each delivery being
claimed by one conditional update (correspondence.distribution.sending), so a run that was
in fact still alive and a second run share the work without sending anything twice.

Finished rows (successful or failed) older than ``IGN_TASK_KEEP_DAYS`` are pruned with
django-tasks-db's own ``prune_db_task_results``, on every queue.

``manage.py sweep_tasks`` runs both; the task worker (``manage.py task_worker``) runs them at
start and then every ``IGN_TASK_UPKEEP_SECONDS``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db.models import Func, IntegerField
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class _Claims(Func):
    """How many workers claimed the row (the length of ``worker_ids``, a JSON list)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSON_ARRAY_LENGTH", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def sweep_stale(*, stale_after=None, max_attempts=None, now=None):
    """Put RUNNING rows started more than ``stale_after`` seconds ago back to READY, or FAILED
    once claimed ``max_attempts`` times. Returns (made ready, failed)."""
    stale_after = settings.IGN_TASK_STALE_SECONDS if stale_after is None else stale_after
    max_attempts = settings.IGN_TASK_MAX_ATTEMPTS if max_attempts is None else max_attempts
    now = now or timezone.now()
    stale = DBTaskResult.objects.running().filter(
        started_at__lte=now - timedelta(seconds=stale_after)).annotate(
        claims=_Claims("worker_ids"))
    failed = stale.filter(claims__gte=max_attempts).update(
        status=TaskResultStatus.FAILED, finished_at=now,
        exception_class_path="common.taskrows.StaleTask",
        traceback=f"Left RUNNING by a worker that stopped, {max_attempts} times: not run again.")
    ready = stale.filter(claims__lt=max_attempts).update(
        status=TaskResultStatus.READY, started_at=None)
    if ready or failed:
        logger.warning("Swept stale RUNNING task rows: %d made ready again, %d failed.",
                       ready, failed)
    return ready, failed


def requeue_own(worker_id, *, failed=()):
    """Put back to READY the rows this worker left RUNNING when the database failed under it,
    and the rows named in ``failed`` (their task stopped with a database error), unless
    claimed ``IGN_TASK_MAX_ATTEMPTS`` times already: those stay as they are (FAILED), or are
    FAILED, rather than run for ever."""
    max_attempts = settings.IGN_TASK_MAX_ATTEMPTS
    rows = {row.pk for row in DBTaskResult.objects.running().only("pk", "worker_ids")
            if row.worker_ids and row.worker_ids[-1] == worker_id}
    exhausted = DBTaskResult.objects.running().filter(pk__in=rows).annotate(
        claims=_Claims("worker_ids")).filter(claims__gte=max_attempts)
    exhausted.update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now(),
        exception_class_path="common.taskrows.StaleTask",
        traceback=f"Interrupted by a database failure {max_attempts} times: not run again.")
    rows |= set(DBTaskResult.objects.failed().filter(pk__in=list(failed))
                .values_list("pk", flat=True))
    rows = set(DBTaskResult.objects.filter(pk__in=rows).exclude(
        status=TaskResultStatus.FAILED, exception_class_path="common.taskrows.StaleTask")
        .annotate(claims=_Claims("worker_ids")).filter(claims__lt=max_attempts)
        .values_list("pk", flat=True))
    if not rows:
        return 0
    count = DBTaskResult.objects.filter(pk__in=rows).update(
        status=TaskResultStatus.READY, started_at=None, finished_at=None,
        exception_class_path="", traceback="")
    logger.warning("Queued again %d task(s) interrupted by a database failure.", count)
    return count


def prune_finished(*, keep_days=None):
    """Delete finished rows older than ``keep_days`` days, on every queue."""
    keep_days = settings.IGN_TASK_KEEP_DAYS if keep_days is None else keep_days
    call_command("prune_db_task_results", queue_name="*", min_age_days=keep_days, verbosity=0)


def upkeep():
    """Both: sweep, then prune."""
    sweep_stale()
    prune_finished()
