"""Background tasks (django.tasks), run by `manage.py task_worker --queue-name distribution`.

The dotted paths of these functions are stored in queued task rows: they do not move.
"""

from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from .distribution.confirmations import confirmation_send
from .distribution.sending import letter_send_queued, notice_send_queued, subject_filter
from .models import Delivery, FollowUp, ScheduleNotice


def _report(report):
    return {"sent": report.sent, "partial": report.partial, "failed": report.failed,
            "retry": report.retry, "held": report.held, "stopped": report.stopped}


@task(queue_name="distribution")
def deliver_letter(letter_id):
    """Send the letter's due deliveries (see `letter_send_queued`), then schedule what waits.

    A worker that cannot deliver (a development e-mail backend) holds them instead; the
    follow-up task then lets a worker that can send take them.
    """
    report = letter_send_queued(letter_id=letter_id)
    schedule_follow_up(letter_id=letter_id)
    return _report(report)


@task(queue_name="distribution")
def deliver_notice(notice_id):
    """Send the schedule notice's due deliveries (`notice_send_queued`), then schedule what
    waits, as `deliver_letter` does. The first run at or after the notice's time releases
    it (`ScheduleNoticeQuerySet.release_due`): its public pages show it from then on."""
    ScheduleNotice.objects.release_due(notice_id)
    report = notice_send_queued(notice_id=notice_id)
    schedule_follow_up(notice_id=notice_id)
    return _report(report)


def schedule_follow_up(*, letter_id=None, notice_id=None):
    """Enqueue one delivery task for when the next queued delivery of the letter (or notice)
    falls due.

    Side effects: at most one task, recorded in the FollowUp row of the letter or notice;
    none when the task recorded there is still waiting (READY, as `django.tasks` reports it)
    and runs no later. Workers ending at once decide one after the other (the row is locked
    first). Returns the new task's result, or None.
    """
    of = subject_filter(letter_id=letter_id, notice_id=notice_id)
    due = (Delivery.objects.filter(**of, state=Delivery.State.QUEUED)
           .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    if due is None:
        return None
    deliver, key, subject_id = ((deliver_letter, f"letter:{letter_id}", letter_id)
                                if letter_id is not None
                                else (deliver_notice, f"notice:{notice_id}", notice_id))
    with transaction.atomic():
        # A write first, so that on SQLite too the transaction holds the lock before it reads.
        FollowUp.objects.bulk_create([FollowUp(key=key)], ignore_conflicts=True)
        follow_up = FollowUp.objects.select_for_update().get(key=key)
        if follow_up.task_id and follow_up.run_after <= due and _waiting(
                deliver, follow_up.task_id):
            return None
        result = deliver.using(run_after=due).enqueue(subject_id)
        follow_up.task_id, follow_up.run_after = result.id, due
        follow_up.save(update_fields=["task_id", "run_after"])
    return result


def _waiting(deliver, task_id):
    try:
        return deliver.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:  # pruned (prune_db_task_results)
        return False


@task(queue_name="distribution")
def send_focal_invitation(invitation_id):
    """Send a focal point invitation (`correspondence.mission.invitations.invitation_send`);
    returns "sent" or why it was not."""
    from .mission.invitations import invitation_send

    return invitation_send(invitation_id=invitation_id)


@task(queue_name="distribution")
def send_confirmation(confirmation_id):
    """Send a subscribe form's message (`confirmation_send`); after a temporary failure,
    enqueue this task again for when it falls due. Only the row's id is in the task row:
    no address is stored with the queue."""
    delay = confirmation_send(confirmation_id=confirmation_id)
    if delay is not None:
        send_confirmation.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            confirmation_id)
    return {"retry_in": delay}
