"""Background tasks (django.tasks), run by `manage.py db_worker --queue-name distribution`."""

from django.tasks import task


@task(queue_name="distribution")
def deliver_letter(letter_id):
    """Send the letter's due deliveries; see `letter_send_queued` for the side effects."""
    from .distribution import letter_send_queued

    report = letter_send_queued(letter_id=letter_id)
    return {"sent": report.sent, "failed": report.failed, "retry": report.retry,
            "stopped": report.stopped}
