"""Background tasks (django.tasks), run by `manage.py db_worker --queue-name distribution`.

The dotted paths of these functions are stored in queued task rows: they do not move.
"""

from django.tasks import task

from .distribution.sending import letter_send_queued
from .models import Delivery


@task(queue_name="distribution")
def deliver_letter(letter_id):
    """Send the letter's due deliveries (see `letter_send_queued`), then schedule what waits."""
    report = letter_send_queued(letter_id=letter_id)
    schedule_follow_up(letter_id=letter_id)
    return {"sent": report.sent, "failed": report.failed, "retry": report.retry,
            "stopped": report.stopped}


def schedule_follow_up(*, letter_id):
    """Enqueue one `deliver_letter` task for when the next queued delivery falls due.

    Side effect: at most one task; none when a waiting task of this letter runs earlier.
    """
    from django_tasks_db.models import DBTaskResult, get_date_max

    due = (Delivery.objects.filter(letter_id=letter_id, state=Delivery.State.QUEUED)
           .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    if due is None:
        return None
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=deliver_letter.module_path,
    ).values_list("run_after", "args_kwargs")
    for run_after, args in waiting:
        if args.get("args") == [letter_id] and (run_after == get_date_max() or run_after <= due):
            return None
    return deliver_letter.using(run_after=due).enqueue(letter_id)
