"""The Atom feed format of the portal: Django's, with each entry's summary as plain text."""

from django.utils.feedgenerator import Atom1Feed


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 whose entries' summaries are `type="text"`.

    Django writes every summary as `type="html"`, which tells a reader to parse it as markup:
    a subject or an agenda typed with "<b>" or "&" would show as bold or as a broken entity.
    Our summaries are plain staff text, so they are marked as text (still XML-escaped).
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
