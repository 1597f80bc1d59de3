"""The one module that talks to WeasyPrint: a letter as distributed, as PDF bytes.

WeasyPrint is imported lazily, so web workers and commands that never render start fast.
One URL fetcher, one font configuration and one parsed stylesheet serve every render of
the process (each costs time and memory when made anew).
"""

import atexit
import functools
import io
import mimetypes
import posixpath
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import annex_storage

# Relative URLs in a letter resolve against this origin; the fetcher maps it to our own
# static and stored files. `.invalid` is reserved (RFC 6761): it can never reach a network.
INTERNAL_ORIGIN = "https://ign-portal.invalid"
STYLESHEET = "css/letter.css"
PDF_VARIANT = "pdf/ua-1"
# The shared font configuration is not meant for concurrent layouts: threaded servers
# (runserver, gunicorn's gthread workers) render one PDF at a time per process.
_RENDER_LOCK = threading.Lock()


class RefusedURL(ValueError):
    """A resource the renderer may not read: anything but our static/stored files or data:."""


def local_file(url):
    """(file name, bytes) of the static file or stored file that `url` names.

    Static files are found by Django's finders; `MEDIA_URL` names a file of the annexes'
    storage (the database), never a path on this machine's disk. RefusedURL for anything else.
    """
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != INTERNAL_ORIGIN or parts.query:
        raise RefusedURL(url)
    path = unquote(parts.path)
    if "\x00" in path or ".." in path.split("/") or posixpath.normpath(path) != path:
        raise RefusedURL(url)
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if not found or not Path(found).is_file():
            raise RefusedURL(url)
        return Path(found).name, Path(found).read_bytes()
    if path.startswith(settings.MEDIA_URL):
        name = path.removeprefix(settings.MEDIA_URL)
        try:
            with annex_storage().open(name, "rb") as fh:
                return posixpath.basename(name), fh.read()
        except (OSError, SuspiciousFileOperation, ValueError):
            raise RefusedURL(url) from None
    raise RefusedURL(url)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LetterURLFetcher(URLFetcher):
        """Serves our static and stored files and data: URLs; refuses everything else.

        No network, no file: URL, no redirect: nothing a letter's body names can make the
        renderer read a file of the server or send a request anywhere.
        """

        def __init__(self):
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            name, body = local_file(url)
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return LetterURLFetcher


@functools.cache
def url_fetcher():
    """The process's one URL fetcher."""
    return _fetcher_class()()


@functools.cache
def font_config():
    """The process's one font configuration (the bundled fonts are loaded into it once)."""
    from weasyprint.text.fonts import FontConfiguration

    # Dropped before interpreter shutdown, while its clean-up (a temporary folder) can run.
    atexit.register(font_config.cache_clear)
    return FontConfiguration()


@functools.cache
def stylesheet():
    """The letter stylesheet, parsed once, its fonts resolved through our fetcher."""
    from weasyprint import CSS

    return CSS(
        string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"),
        base_url=f"{INTERNAL_ORIGIN}{settings.STATIC_URL}{STYLESHEET}",
        url_fetcher=url_fetcher(),
        font_config=font_config(),
    )


def html_to_pdf(html, *, attachments_allowed=False):
    """Render an HTML string with our fetcher, fonts and stylesheet; return the PDF bytes.

    `<link rel="attachment">` in the HTML attaches nothing: attachments are dropped between
    layout and writing.
    """
    from weasyprint import HTML

    with _RENDER_LOCK:
        document = HTML(
            string=html, base_url=f"{INTERNAL_ORIGIN}/", url_fetcher=url_fetcher()
        ).render(font_config=font_config(), stylesheets=[stylesheet()], pdf_variant=PDF_VARIANT)
        if not attachments_allowed:
            document.metadata.attachments = []
        return document.write_pdf(pdf_variant=PDF_VARIANT)


def sheets_of(letter):
    """The letters printed in the as-distributed document: the letter, then those it encloses."""
    sheets, seen = [], set()

    def visit(item):
        if item.pk in seen:
            return
        seen.add(item.pk)
        sheets.append(item)
        for enclosure in item.enclosures.all():
            if enclosure.enclosed_letter_id:
                visit(enclosure.enclosed_letter)

    visit(letter)
    return sheets


def annexes_of(sheets):
    return [e for sheet in sheets for e in sheet.enclosures.all() if not e.enclosed_letter_id]


def _css_string(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def document_html(letter, sheets=None):
    """The HTML of the as-distributed document (the same partial as the letter's page)."""
    sheets = sheets or sheets_of(letter)
    if letter.verification_code:
        footer = _("Verification code %(code)s") % {"code": letter.verification_code}
    else:
        footer = _("Draft: not issued")
    enclosed = len(sheets) - 1 + len(annexes_of(sheets))
    description = _("%(subject)s, from %(sender)s, with %(count)d enclosure(s)") % {
        "subject": letter.subject, "sender": letter.sender.name, "count": enclosed}
    created = letter.issued_at and timezone.localtime(letter.issued_at).isoformat()
    return render_to_string("correspondence/letter_pdf.html", {
        "letter": letter, "sheets": sheets, "footer": _css_string(footer),
        "description": description, "created": created,
    })


def render_letter_pdf(letter):
    """The as-distributed PDF: the letter followed by its enclosures, one bookmark per letter.

    Identical bytes for the same letter: the PDF's dates are the letter's issue time (none
    for a draft), its fonts are the bundled ones, and nothing random is written.
    """
    with translation.override(letter.language):
        sheets = sheets_of(letter)
        pdf = html_to_pdf(document_html(letter, sheets))
        annexes = annexes_of(sheets)
        if annexes:
            pdf = append_annexes(pdf, annexes)
    return pdf


def append_annexes(pdf, annexes):
    """Append the PDF annexes' pages, each with its bookmark, keeping the letter's metadata."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for annex in annexes:
        first_page = len(writer.pages)
        with annex.annex.open("rb") as fh:
            writer.append(PdfReader(io.BytesIO(fh.read())), import_outline=False)
        # An annex brings its pages' content only: no annotation, link or page action
        # (which could carry JavaScript or a form) reaches the document we distribute.
        for page in writer.pages[first_page:]:
            for key in ("/Annots", "/AA"):
                if key in page:
                    del page[key]
        writer.add_outline_item(title=str(annex), page_number=first_page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
