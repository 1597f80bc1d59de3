"""The Atom feed of issued letters, in the language of its URL (`/fr/letters/feed/`).

Each letter appears once, in its version in the feed's language where it has one, else in
its original language (see `correspondence.api.versions_in`); each entry says its own
language (`xml:lang`), which is the feed's or, for a letter not issued in it, the version's.
"""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.cache import public_cache
from common.feeds import PlainTextAtomFeed

from .api import versions_in
from .dates import letter_date
from .models import Letter


class LettersAtomFeed(PlainTextAtomFeed):
    """Atom, with a `related` link from an entry to each correction its packet is behind, and
    each entry's language."""

    def item_attributes(self, item):
        return {"xml:lang": item["language"]} if item.get("language") else {}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for href, title in item.get("related", ()):
            handler.addQuickElement("link", "", {"rel": "related", "href": href, "title": title})


def notice_text(notice, url):
    """One superseded enclosure, as a sentence of the entry's summary (`url`: the correction's)."""
    values = {"subject": notice.letter.subject, "url": url,
              "within": notice.within.subject if notice.within else "",
              "number": notice.correction.correction_number if notice.correction else ""}
    # Translators: sentences of a feed entry saying that a letter this one encloses has been
    # corrected; "Corr.%(number)s" is the document suffix of the correction (Corr.1).
    if notice.within and notice.correction:
        text = gettext("The letter “%(subject)s”, enclosed in “%(within)s”, has been "
                       "superseded by a correction: Corr.%(number)s, %(url)s")
    elif notice.within:
        text = gettext("The letter “%(subject)s”, enclosed in “%(within)s”, has been "
                       "superseded by a correction.")
    elif notice.correction:
        text = gettext("The enclosed letter “%(subject)s” has been superseded by a "
                       "correction: Corr.%(number)s, %(url)s")
    else:
        text = gettext("The enclosed letter “%(subject)s” has been superseded by a correction.")
    return text % values


@method_decorator(public_cache, name="__call__")
class LettersFeed(Feed):
    feed_type = LettersAtomFeed
    title = _("IGN official letters")
    subtitle = _("Letters issued on the intergovernmental negotiations, newest first.")

    def link(self, request):
        return reverse("correspondence:list")

    def get_object(self, request, *args, **kwargs):
        # The request, so that enclosure URLs are absolute like the links Django completes.
        return request

    def items(self, request):
        letters = list(
            versions_in(Letter.objects.public(), translation.get_language())
            .select_related("session", "letterhead")
            .annotate(pdf_bytes=F("pdf__size")).with_enclosure_notices()
            .order_by("-issued_at", "-pk")[:50]
        )
        for letter in letters:
            letter.absolute_pdf_url = request.build_absolute_uri(letter.get_pdf_url())
            letter.related = [
                (request.build_absolute_uri(n.correction.get_absolute_url()),
                 n.correction.subject)
                for n in letter.superseded_enclosures if n.correction]
            urls = [n.correction and request.build_absolute_uri(n.correction.get_absolute_url())
                    for n in letter.superseded_enclosures]
            # The entry is written in the letter's language, its sentences too.
            with translation.override(letter.language):
                letter.notices = [notice_text(n, url)
                                  for n, url in zip(letter.superseded_enclosures, urls,
                                                    strict=True)]
        return letters

    def item_title(self, letter):
        return letter.subject

    def item_description(self, letter):
        parts = [letter.sender.name]
        if letter.date:
            parts.append(letter_date(letter.date, letter.language))
        if letter.reference:
            parts.append(letter.reference)
        return " · ".join([*parts, *letter.notices])

    def item_link(self, letter):
        return letter.get_own_url()

    def item_pubdate(self, letter):
        return letter.issued_at

    def item_updateddate(self, letter):
        # An entry whose packet has a superseded letter changed when that letter was.
        return max([letter.updated_at, *(n.updated_at for n in letter.superseded_enclosures)])

    def item_extra_kwargs(self, letter):
        return {"related": letter.related, "language": letter.language}

    def item_enclosure_url(self, letter):
        return letter.absolute_pdf_url

    item_enclosure_mime_type = "application/pdf"

    def item_enclosure_length(self, letter):
        return letter.pdf_bytes or 0
