"""A letter's body: Markdown as written by staff, rendered through the nh3 sanitiser."""

import markdown
import nh3
from django.utils.safestring import mark_safe

# What a letter's body may contain. No image at all: a letter's figures go in a PDF
# annex, so no remote (or data:) image can reach a page or a PDF through the body.
ALLOWED_TAGS = {"p", "em", "strong", "ol", "ul", "li", "br", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_body(text):
    """The body's HTML: Markdown converted, then everything outside the allow-list removed.

    Raw HTML written in the Markdown goes through the same sanitiser: a <script>, an
    event handler, a style attribute, an iframe, a form or an image never survives.
    """
    html = markdown.markdown(text or "", output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        url_relative="deny",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - nh3's output is the sanitised allow-list


def render_lines(text):
    """A block printed line by line (an addressee block), with the body's inline Markdown."""
    html = markdown.markdown(text or "", extensions=["nl2br"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS - {"a"}, attributes={}, strip_comments=True)
    # No newline after a line break: in the PDF's footnote area (where the addressee
    # flows) the renderer would print it as a second, empty line.
    clean = clean.replace("<br>\n", "<br>")
    return mark_safe(clean)  # noqa: S308 - nh3's output is the sanitised allow-list
