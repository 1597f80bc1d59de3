"""Background tasks (django.tasks), run by `manage.py task_worker --queue-name distribution`.

The dotted paths of these functions are stored in queued task rows: they do not move.
"""

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist

from .distribution.sending import letter_send_queued
from .models import Delivery, FollowUp


@task(queue_name="distribution")
def deliver_letter(letter_id):
    """Send the letter's due deliveries (see `letter_send_queued`), then schedule what waits.

    A worker that cannot deliver (a development e-mail backend) holds them instead; the
    follow-up task then lets a worker that can send take them.
    """
    report = letter_send_queued(letter_id=letter_id)
    schedule_follow_up(letter_id=letter_id)
    return {"sent": report.sent, "partial": report.partial, "failed": report.failed,
            "retry": report.retry, "held": report.held, "stopped": report.stopped}


def schedule_follow_up(*, letter_id):
    """Enqueue one `deliver_letter` task for when the next queued delivery falls due.

    Side effects: at most one task, recorded in the letter's FollowUp row; none when the
    task recorded there is still waiting (READY, as `django.tasks` reports it) and runs no
    later. Workers ending at once decide one after the other (the row is locked first).
    Returns the new task's result, or None.
    """
    due = (Delivery.objects.filter(letter_id=letter_id, state=Delivery.State.QUEUED)
           .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    if due is None:
        return None
    with transaction.atomic():
        # A write first, so that on SQLite too the transaction holds the lock before it reads.
        FollowUp.objects.bulk_create([FollowUp(letter_id=letter_id)], ignore_conflicts=True)
        follow_up = FollowUp.objects.select_for_update().get(letter_id=letter_id)
        if follow_up.task_id and follow_up.run_after <= due and _waiting(follow_up.task_id):
            return None
        result = deliver_letter.using(run_after=due).enqueue(letter_id)
        follow_up.task_id, follow_up.run_after = result.id, due
        follow_up.save(update_fields=["task_id", "run_after"])
    return result


def _waiting(task_id):
    try:
        return deliver_letter.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:  # pruned (prune_db_task_results)
        return False
