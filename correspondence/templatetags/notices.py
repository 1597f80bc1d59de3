"""The schedule notices a meeting's page lists (the page lives in `sessions`, a floor below).

    {% load notices %}
    {% meeting_notices meeting as notices %}
"""

from django import template

from correspondence.models import ScheduleNotice

register = template.Library()


@register.simple_tag
def meeting_notices(meeting):
    """The released notices with a line about `meeting`, oldest first (one query)."""
    return list(ScheduleNotice.objects.released().filter(lines__meeting=meeting)
                .order_by("number").distinct())
