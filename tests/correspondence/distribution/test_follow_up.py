"""The follow-up task of a letter's waiting deliveries: one waiting task, through django.tasks."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from correspondence.distribution.services import letter_distribute
from correspondence.models import Delivery, FollowUp
from correspondence.tasks import deliver_letter, schedule_follow_up
from tests.factories import make_mission


def waiting_tasks():
    """The deliver_letter tasks the backend holds as waiting (what a worker would pick up)."""
    return DBTaskResult.objects.filter(
        status="READY", task_path=deliver_letter.module_path).order_by("run_after")


@pytest.fixture
def waiting_letter(letter_to, settings):
    """A letter with one delivery queued for an hour from now, and no task yet."""
    settings.EMAIL_CONFIGURED = True
    letter = letter_to([make_mission(), make_mission()])
    letter_distribute(letter=letter)
    DBTaskResult.objects.all().delete()
    due = timezone.now() + dt.timedelta(hours=1)
    Delivery.objects.update(next_attempt_at=due)
    return letter, due


def test_follow_up_enqueues_at_most_one_waiting_task_per_letter(waiting_letter):
    letter, due = waiting_letter

    results = [schedule_follow_up(letter_id=letter.pk) for _ in range(3)]

    assert results[1:] == [None, None]
    [task] = waiting_tasks()
    assert str(task.id) == results[0].id == FollowUp.objects.get(key=f"letter:{letter.pk}").task_id
    result = deliver_letter.get_result(results[0].id)
    assert result.status == TaskResultStatus.READY
    assert result.args == [letter.pk]
    assert task.run_after == due


def test_follow_up_is_enqueued_again_once_the_waiting_task_is_gone(waiting_letter):
    letter, due = waiting_letter
    first = schedule_follow_up(letter_id=letter.pk)
    DBTaskResult.objects.filter(id=first.id).delete()  # run and pruned

    second = schedule_follow_up(letter_id=letter.pk)

    assert second is not None and second.id != first.id
    assert [str(t.id) for t in waiting_tasks()] == [second.id]


def test_follow_up_earlier_than_the_waiting_task_is_enqueued(waiting_letter):
    letter, due = waiting_letter
    later = schedule_follow_up(letter_id=letter.pk)
    sooner = due - dt.timedelta(minutes=30)
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(next_attempt_at=sooner)

    earlier = schedule_follow_up(letter_id=letter.pk)

    assert [str(t.id) for t in waiting_tasks()] == [earlier.id, later.id]
    assert FollowUp.objects.get(key=f"letter:{letter.pk}").run_after == sooner
    assert schedule_follow_up(letter_id=letter.pk) is None


def test_nothing_queued_no_follow_up(waiting_letter):
    letter, _due = waiting_letter
    Delivery.objects.update(state="failed", error="550")

    assert schedule_follow_up(letter_id=letter.pk) is None
    assert not waiting_tasks().exists()


@pytest.mark.django_db(transaction=True)
def test_workers_ending_at_once_enqueue_one_follow_up(waiting_letter):
    letter, _due = waiting_letter
    start = threading.Barrier(4)
    errors = []

    def worker_ends():
        try:
            start.wait()
            schedule_follow_up(letter_id=letter.pk)
        except Exception as exc:  # reported below, with the thread's own traceback lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker_ends) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert waiting_tasks().count() == 1
