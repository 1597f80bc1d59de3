"""The message a schedule notice sends: its lines in the recipient's language, text and HTML,
and the iTIP parts (built once per language and run; once per subscriber, for its links)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..distribution.message import MissionEmail
from ..subscriptions import links
from ..subscriptions.links import unsubscribe_headers
from .calendar import itip_parts
from .wording import line_words


@dataclass
class NoticeContent:
    """What a notice's recipients of one language receive: rendered and encoded once."""

    subject: str
    text: str
    html: str
    parts: list
    templates: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_notice(cls, notice, language, subscription=None):
        """The message of a sent `notice` in `language` (a subscriber's with its manage and
        unsubscribe links when `subscription` is given)."""
        lines = list(notice.lines.select_related("meeting__room", "meeting__overflow_room"))
        return cls.build(number=notice.number, lines=lines, stamp=notice.send_at,
                         language=language, subscription=subscription)

    @classmethod
    def build(cls, *, number, lines, stamp, language, subscription=None):
        """The message of notice `number` with `lines` (NoticeLine rows, or the pending
        lines for a test), its text in `language`. `stamp`: the DTSTAMP."""
        with translation.override(language):
            url = settings.SITE_URL + reverse("notices:detail", args=[number])
            context = {
                "number": number, "language": language, "url": url,
                "lines": [line_words(line.kind, line.before, line.after) for line in lines],
                "calendar_parts": len({line.method for line in lines}),
                "manage_url": links.manage_url(subscription) if subscription else "",
                "unsubscribe_url": links.unsubscribe_url(subscription) if subscription else "",
            }
            subject = _("Schedule notice %(number)d: changes to IGN meetings") % {
                "number": number}
            text = render_to_string("correspondence/notices/message.txt", context)
            html = render_to_string("correspondence/notices/message.html", context)
        return cls(subject=subject, text=text, html=html,
                   parts=itip_parts(lines, stamp=stamp, number=number))

    def message(self, delivery, addresses):
        """The Django message for one mission or subscriber: its To, a fixed Message-ID, a
        subscriber's unsubscribe headers, the iCalendar parts."""
        return MissionEmail(
            content=self, subject=self.subject, body=self.text, to=addresses,
            alternatives=[(self.html, "text/html")], attachments=list(self.parts),
            headers={"Message-ID": delivery.message_id, "Auto-Submitted": "auto-generated",
                     **unsubscribe_headers(delivery)},
        )
