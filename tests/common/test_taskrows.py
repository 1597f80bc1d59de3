"""Stale RUNNING task rows swept back to READY (or FAILED), old finished rows pruned."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.taskrows import requeue_own, sweep_stale

pytestmark = pytest.mark.django_db


def row(status, *, started=None, finished=None, workers=("w1",), queue="distribution"):
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        task_path="correspondence.tasks.deliver_letter", queue_name=queue,
        started_at=started, finished_at=finished, worker_ids=list(workers))


def test_a_stale_running_row_is_made_ready_a_recent_one_is_left(settings):
    settings.IGN_TASK_STALE_SECONDS = 600
    now = timezone.now()
    stale = row(TaskResultStatus.RUNNING, started=now - dt.timedelta(seconds=601))
    alive = row(TaskResultStatus.RUNNING, started=now - dt.timedelta(seconds=60))
    assert sweep_stale() == (1, 0)
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.status, stale.started_at) == (TaskResultStatus.READY, None)
    assert alive.status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(pk=stale.pk).exists()  # a worker takes it


def test_a_row_that_killed_its_worker_too_often_is_failed(settings):
    settings.IGN_TASK_MAX_ATTEMPTS = 3
    old = timezone.now() - dt.timedelta(days=1)
    again = row(TaskResultStatus.RUNNING, started=old, workers=("a", "b"))
    given_up = row(TaskResultStatus.RUNNING, started=old, workers=("a", "b", "c"))
    assert sweep_stale(stale_after=0) == (1, 1)
    again.refresh_from_db()
    given_up.refresh_from_db()
    assert again.status == TaskResultStatus.READY
    assert given_up.status == TaskResultStatus.FAILED
    assert given_up.finished_at is not None
    assert "3 times" in given_up.traceback


def test_the_command_sweeps_and_prunes_every_queue(settings, capsys):
    settings.IGN_TASK_KEEP_DAYS = 14
    now = timezone.now()
    stale = row(TaskResultStatus.RUNNING, started=now - dt.timedelta(days=1))
    old_done = [row(TaskResultStatus.SUCCESSFUL, finished=now - dt.timedelta(days=15),
                    queue=queue) for queue in ("default", "distribution")]
    old_failed = row(TaskResultStatus.FAILED, finished=now - dt.timedelta(days=15))
    recent = row(TaskResultStatus.SUCCESSFUL, finished=now - dt.timedelta(days=13))
    waiting = row(TaskResultStatus.READY)
    call_command("sweep_tasks", "--stale-after", "3600")
    assert "1 made ready again, 0 failed" in capsys.readouterr().out
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {stale.pk, recent.pk, waiting.pk}
    assert not left & {r.pk for r in [*old_done, old_failed]}


def test_a_worker_queues_again_what_the_database_broke_off():
    mine = row(TaskResultStatus.RUNNING, started=timezone.now(), workers=("old", "me"))
    other = row(TaskResultStatus.RUNNING, started=timezone.now(), workers=("me", "other"))
    failed = row(TaskResultStatus.FAILED, finished=timezone.now(), workers=("me",))
    assert requeue_own("me", failed={failed.pk}) == 2
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "READY", other.pk: "RUNNING", failed.pk: "READY"}


def test_a_task_the_database_broke_off_too_often_is_failed_not_run_for_ever(settings):
    settings.IGN_TASK_MAX_ATTEMPTS = 3
    again = row(TaskResultStatus.RUNNING, started=timezone.now(), workers=("a", "me"))
    worn = row(TaskResultStatus.RUNNING, started=timezone.now(), workers=("a", "b", "me"))
    failed_worn = row(TaskResultStatus.FAILED, finished=timezone.now(),
                      workers=("a", "b", "me"))

    assert requeue_own("me", failed={failed_worn.pk}) == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {again.pk: "READY", worn.pk: "FAILED", failed_worn.pk: "FAILED"}
    worn.refresh_from_db()
    assert "3 times" in worn.traceback
