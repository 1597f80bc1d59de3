"""The Atom feed of issued letters."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from common.cache import public_cache

from .models import Letter


@method_decorator(public_cache, name="__call__")
class LettersFeed(Feed):
    feed_type = Atom1Feed
    title = _("IGN official letters")
    subtitle = _("Letters issued on the intergovernmental negotiations, newest first.")

    def link(self, request):
        return reverse("correspondence:list")

    def get_object(self, request, *args, **kwargs):
        # The request, so that enclosure URLs are absolute like the links Django completes.
        return request

    def items(self, request):
        letters = list(
            Letter.objects.public().select_related("session", "letterhead")
            .annotate(pdf_bytes=F("pdf__size"))
            .order_by("-issued_at", "-pk")[:50]
        )
        for letter in letters:
            letter.absolute_pdf_url = request.build_absolute_uri(letter.get_pdf_url())
        return letters

    def item_title(self, letter):
        return letter.subject

    def item_description(self, letter):
        parts = [letter.sender.name]
        if letter.date:
            parts.append(letter.date.strftime("%-d %B %Y"))
        if letter.reference:
            parts.append(letter.reference)
        return " · ".join(parts)

    def item_link(self, letter):
        return letter.get_absolute_url()

    def item_pubdate(self, letter):
        return letter.issued_at

    def item_updateddate(self, letter):
        return letter.updated_at

    def item_enclosure_url(self, letter):
        return letter.absolute_pdf_url

    item_enclosure_mime_type = "application/pdf"

    def item_enclosure_length(self, letter):
        return letter.pdf_bytes or 0
