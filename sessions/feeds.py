"""The Atom feed of meeting changes: what was scheduled, what moved, when, and why.

In the language of its URL (`/fr/meetings/changes/feed/`, `xml:lang="fr"`), with links to that
language's pages; each change as it was recorded, in that language where it was translated.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.cache import public_cache
from common.feeds import PlainTextAtomFeed

from .changes import announced, describe, headline
from .models import MeetingChange


@method_decorator(public_cache, name="__call__")
class MeetingChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = gettext_lazy("IGN meetings: changes of time, room and status")
    subtitle = gettext_lazy(
        "Every IGN meeting scheduled, and every change of its time, room or status, newest "
        "first. "
        "All times are New York time."
    )

    def link(self):
        return reverse("sessions:changes")

    def items(self):
        # Each entry is titled from what it recorded, never from the meeting as it is now.
        return MeetingChange.objects.order_by("-changed_at", "-pk")[:100]

    def item_title(self, change):
        return headline(change)

    def item_description(self, change):
        lines = [
            # Translators: a line of a feed entry: what changed, from what, to what
            # ("Room: Conference Room 4 → Trusteeship Council Chamber").
            _("%(label)s: %(old)s → %(new)s") % {"label": label, "old": old, "new": new}
            for label, old, new in describe(change)
        ] + [
            # Translators: a line of a feed entry announcing a meeting ("Room: ...").
            _("%(label)s: %(value)s") % {"label": label, "value": value}
            for label, value in announced(change)
        ]
        if change.reason:
            # Translators: the last line of a feed entry: why the meeting changed.
            lines.append(_("Reason: %(reason)s") % {"reason": change.reason})
        return "\n".join(lines)

    def item_link(self, change):
        return change.get_absolute_url()

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at
