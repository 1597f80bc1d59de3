"""The task worker: django-tasks-db's ``db_worker``, made to outlive a database failure.

``db_worker`` exits with a traceback when the database fails under it, and a task that meets
a database error is marked FAILED, so that a distribution interrupted by a database restart
would stop for good. This worker instead, on a database error (``OperationalError``,
``InterfaceError``): logs it once per interval, closes its connections, waits (1 s, doubling
up to 30 s), puts back to READY the task it was running, and goes on; a task that failed
with a database error is queued again rather than left FAILED. It also sweeps stale RUNNING
rows and prunes old finished ones (``common.taskrows``) at start and every
``IGN_TASK_UPKEEP_SECONDS``, in a thread of its own. Options are ``db_worker``'s, without
``--reload``.
"""

import logging
import threading
import time
from contextlib import suppress

from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker

from common.logs import log_once
from common.taskrows import requeue_own, upkeep
from common.unavailable import DATABASE_ERRORS

logger = logging.getLogger("common.task_worker")

DATABASE_ERROR_PATHS = {f"{cls.__module__}.{cls.__qualname__}" for cls in DATABASE_ERRORS}
MAX_BACKOFF = 30


def _close_connections():
    with suppress(*DATABASE_ERRORS):
        connections.close_all()


def _database_answers():
    """Whether the database answers a fresh connection now."""
    _close_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        return False
    return True


class Worker(db_worker.Worker):
    def __init__(self, *, upkeep_every, **kwargs):
        super().__init__(**kwargs)
        self.upkeep_every = upkeep_every
        self.interrupted = False
        # Rows whose task failed with a database error: queued again once the database answers.
        self.failed_on_database = set()

    def run(self):
        if self.upkeep_every:
            threading.Thread(target=self.upkeep_loop, name="task-upkeep", daemon=True).start()
        backoff = 1
        while self.running:
            try:
                if self.interrupted:
                    requeue_own(self.worker_id, failed=self.failed_on_database)
                    self.interrupted, backoff = False, 1
                    self.failed_on_database.clear()
                    logger.warning("The database answers again; the task worker goes on.")
                return super().run()
            except DATABASE_ERRORS as exc:
                self.interrupted = True
                log_once(logger, "task-worker-database",
                         "The database failed under the task worker (%s); trying again.",
                         type(exc).__name__)
                _close_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        if (db_task_result.status == TaskResultStatus.FAILED
                and db_task_result.exception_class_path in DATABASE_ERROR_PATHS
                and not _database_answers()):
            # Not the task's fault: run it again once the database is back. (A database that
            # answers, e.g. a statement_timeout of the task's own query, leaves it FAILED.)
            self.failed_on_database.add(db_task_result.pk)
            raise OperationalError("a task met a database error")

    def upkeep_loop(self):
        while True:
            try:
                upkeep()
            except Exception:
                log_once(logger, "task-worker-upkeep", "Sweeping or pruning task rows failed.")
            finally:
                _close_connections()
            time.sleep(self.upkeep_every)


class Command(db_worker.Command):
    help = ("Run a task worker that outlives database failures and sweeps and prunes the task "
            "table (db_worker's options, without --reload)")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        if reload:
            raise CommandError("task_worker does not reload; use db_worker --reload.")
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=excluded, upkeep_every=settings.IGN_TASK_UPKEEP_SECONDS,
        )
        worker.configure_signals()
        worker.run()
