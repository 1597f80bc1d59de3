"""The changes feed, with the schedule notices among the meeting changes.

`sessions` cannot import the notices (they live a floor above): this subclass of its feed
serves `/meetings/changes/feed/` instead (routed before `sessions.urls`).
"""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.cache import public_cache
from sessions.feeds import MeetingChangesFeed

from ..models import ScheduleNotice
from .views import described

LIMIT = 100


@method_decorator(public_cache, name="__call__")
class ChangesAndNoticesFeed(MeetingChangesFeed):
    subtitle = gettext_lazy(
        "Every IGN meeting scheduled, every change of its time, room or status, and every "
        "schedule notice sent to the missions, newest first. All times are New York time."
    )

    def items(self):
        notices = list(ScheduleNotice.objects.released().prefetch_related("lines")
                       .order_by("-released_at")[:LIMIT])
        merged = [*super().items(), *notices]
        merged.sort(key=self.item_pubdate, reverse=True)
        return merged[:LIMIT]

    def item_title(self, item):
        if not isinstance(item, ScheduleNotice):
            return super().item_title(item)
        count = len(item.lines.all())
        return ngettext("%(notice)s: %(count)d meeting changed",
                        "%(notice)s: %(count)d meetings changed", count) % {
            "notice": item, "count": count}

    def item_description(self, item):
        if not isinstance(item, ScheduleNotice):
            return super().item_description(item)
        lines = []
        for _line, words in described(item):
            lines.append(f"{words.heading} — {words.kind}")
            lines += [_("%(label)s: %(old)s → %(new)s") % {"label": label, "old": old,
                                                          "new": new}
                      for label, old, new in words.changes]
            lines += [_("%(label)s: %(value)s") % {"label": label, "value": value}
                      for label, value in words.facts]
            if words.reason:
                lines.append(_("Reason: %(reason)s") % {"reason": words.reason})
        return "\n".join(lines)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.released_at if isinstance(item, ScheduleNotice) else item.changed_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)
