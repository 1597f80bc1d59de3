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
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .artwork import artwork_file
from .glyphs import with_placeholders
from .models import annex_storage
from .watermark import watermark_url

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
    storage (the database), and the artwork URL (`correspondence:artwork`) a stored image,
    never a path on this machine's disk. RefusedURL for anything else.
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
    try:
        match = resolve(path)
    except Resolver404:
        raise RefusedURL(url) from None
    if match.view_name == "correspondence:artwork":
        found = artwork_file(match.kwargs["sha256"])
        if found is None:
            raise RefusedURL(url)
        return found
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


def _layout(html):
    """The laid-out document (its pages and boxes), not yet written."""
    from weasyprint import HTML

    return HTML(string=html, base_url=f"{INTERNAL_ORIGIN}/", url_fetcher=url_fetcher()).render(
        font_config=font_config(), stylesheets=[stylesheet()], pdf_variant=PDF_VARIANT)


def html_to_pdf(html, *, attachments_allowed=False):
    """Render an HTML string with our fetcher, fonts and stylesheet; return the PDF bytes.

    `<link rel="attachment">` in the HTML attaches nothing: attachments are dropped between
    layout and writing.
    """
    with _RENDER_LOCK:
        document = _layout(html)
        if not attachments_allowed:
            document.metadata.attachments = []
        continued = page_continuations(document)
        return restructure(document.write_pdf(pdf_variant=PDF_VARIANT), continued)


def _box(box):
    """The box itself (an absolutely positioned box stands in the flow as a placeholder)."""
    return getattr(box, "_box", box)


def _tagged_children(box):
    """A box's children in the order the PDF's tagging makes structure elements of them."""
    from weasyprint.formatting_structure import boxes

    box = _box(box)
    children = box.children if isinstance(box, boxes.ParentBox) else []
    if box.is_table_wrapper and (table := box.get_wrapped_table()):
        children = [c for child in children for c in (child.children if child is table
                                                      else [child])]
    for child in children:
        yield from child.children if isinstance(child, boxes.LineBox) else [child]


def page_continuations(document):
    """For each page, how its first boxes continue the previous page's last ones.

    A list per page: along the chain of first boxes (the letter's article, its first child,
    that box's first child...), True for each box that continues an element of the previous
    page (a letter, a list, a paragraph split by the page break), up to the first that does
    not. The layout splits such an element into one box per page; `restructure` makes them
    one structure element again.
    """
    from weasyprint.formatting_structure import boxes

    def keys(box, found):
        box = _box(box)
        if box.element is not None:
            found.add((id(box.element), box.element_tag))
        for child in box.children if isinstance(box, boxes.ParentBox) else ():
            keys(child, found)
        return found

    result, previous = [], set()
    for page in document.pages:
        html = page._page_box.children[0]
        # The body, among the boxes fixed to every page that the layout puts beside it.
        body = next((c for c in _tagged_children(html) if _box(c).element_tag == "body"), None)
        sheets = _tagged_children(body) if body is not None else ()
        box = next((c for c in sheets if _box(c).element_tag == "article"), None)
        chain = []
        while box is not None and not isinstance(_box(box), boxes.TextBox):
            box = _box(box)
            if box.element is None or (id(box.element), box.element_tag) not in previous:
                break
            chain.append(True)
            box = next(iter(_tagged_children(box)), None)
        result.append(chain)
        previous = keys(page._page_box, set())
    return result


def _kids(element):
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(item):
    import pikepdf

    return isinstance(item, pikepdf.Dictionary) and "/S" in item


def restructure(pdf, continued):
    """The PDF with its structure tree made whole (PDF/UA): returns the new PDF bytes.

    The renderer tags each page on its own and leaves margin boxes outside the tree. Here,
    deterministically (the same input gives the same bytes):
    - the fragments of an element split by page breaks (`page_continuations`) become one
      structure element: one article per letter, one list per list, one paragraph per
      paragraph;
    - what the renderer put beside the article at the top of the tree (the footnote area
      that holds the addressee) moves to the end of its letter's article;
    - marked content outside the tree (the margin boxes: page numbers, verification code)
      becomes a pagination artifact, and the parent tree is rebuilt from the tree;
    - each list item's content that is not its label is wrapped in an LBody;
    - structure elements without content are dropped.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        top = _kids(root)[0]
        page_of = {page.objgen: n for n, page in enumerate(doc.pages)}

        def adopt(parent, kid, page):
            if _is_element(kid):
                kid.P = parent
                return kid
            if isinstance(kid, int):  # an MCID of the page its old parent was on
                return Dictionary(Type=Name.MCR, MCID=kid, Pg=page)
            return kid

        def merge(into, other, depth):
            kids = _kids(other)
            mine = _kids(into)
            if (depth > 0 and kids and mine and _is_element(kids[0]) and _is_element(mine[-1])
                    and kids[0].S == mine[-1].S):
                merge(mine[-1], kids[0], depth - 1)
                kids = kids[1:]
            into.K = Array(mine + [adopt(into, kid, other.Pg) for kid in kids])

        kept, last, moved = [], None, {}  # moved: index of an article in kept -> kids
        for item in _kids(top):
            if not _is_element(item):
                continue
            page = page_of.get(item.Pg.objgen) if "/Pg" in item else None
            if item.S == "/Art":
                if last is not None and page is not None and continued[page]:
                    merge(kept[last], item, len(continued[page]) - 1)
                    continue
                last = len(kept)
                moved[last] = []
            elif item.S == "/NonStruct" and last is not None:  # a footnote area: the addressee
                moved[last].extend(_kids(item))
                continue
            kept.append(item)
        for n, kids in moved.items():
            if kids:
                kept[n].K = Array(_kids(kept[n]) + [adopt(kept[n], kid, kept[n].Pg)
                                                    for kid in kids])
        top.K = Array(kept)

        reached = {}  # (page, MCID) -> element
        objects = {}  # StructParent -> element

        def walk(element, page):
            page = element.get("/Pg", page)
            if element.get("/S") == "/LI":
                _give_body(doc, element)
            kept = []
            for kid in _kids(element):
                if _is_element(kid):
                    if walk(kid, page):
                        kept.append(kid)
                elif isinstance(kid, int):
                    reached[(page_of[page.objgen], kid)] = element
                    kept.append(kid)
                elif kid.get("/Type") == "/MCR":
                    reached[(page_of[kid.get("/Pg", page).objgen], int(kid.MCID))] = element
                    kept.append(kid)
                elif kid.get("/Type") == "/OBJR":
                    if "/StructParent" in kid.Obj:
                        objects[int(kid.Obj.StructParent)] = element
                    kept.append(kid)
            element.K = Array(kept)
            return bool(kept)

        walk(top, top.get("/Pg"))

        nums = []
        for n, page in enumerate(doc.pages):
            mcids = [mcid for (p, mcid) in reached if p == n]
            refs = [reached.get((n, mcid)) for mcid in range(max(mcids, default=-1) + 1)]
            nums += [n, Array([ref if ref is not None else None for ref in refs])]
            _mark_artifacts(doc, page, {mcid for (p, mcid) in reached if p == n})
        for key in sorted(objects):
            nums += [key, objects[key]]
        root.ParentTree = doc.make_indirect(Dictionary(Nums=Array(nums)))
        root.ParentTreeNextKey = max([len(doc.pages), *(k + 1 for k in objects)])

        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()


def _give_body(doc, item):
    """Wrap a list item's content (all but its label) in an LBody, if it has none."""
    from pikepdf import Array, Dictionary, Name

    kids = _kids(item)
    content = [k for k in kids if not (_is_element(k) and k.S in ("/Lbl", "/LBody"))]
    if not content:
        return
    body = doc.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item,
                                        Pg=item.Pg, K=Array()))
    body.K = Array([_retarget(k, body) for k in content])
    item.K = Array([k for k in kids if _is_element(k) and k.S == "/Lbl"] + [body]
                   + [k for k in kids if _is_element(k) and k.S == "/LBody"])


def _retarget(kid, parent):
    if _is_element(kid):
        kid.P = parent
    return kid


def _mark_artifacts(doc, page, kept):
    """Turn the page's marked content that no structure element holds into artifacts."""
    import pikepdf
    from pikepdf import Dictionary, Name

    instructions = pikepdf.parse_content_stream(page)
    changed = False
    for n, instruction in enumerate(instructions):
        if str(instruction.operator) != "BDC":
            continue
        properties = instruction.operands[1]
        if not isinstance(properties, pikepdf.Dictionary) or "/MCID" not in properties:
            continue
        if int(properties.MCID) not in kept:
            instructions[n] = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary(Type=Name.Pagination)], pikepdf.Operator("BDC"))
            changed = True
    if changed:
        page.obj.Contents = doc.make_stream(pikepdf.unparse_content_stream(instructions))


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
    watermark = None
    if letter.verification_code:
        footer = _("Verification code %(code)s") % {"code": letter.verification_code}
    else:
        footer = _("Draft: not issued")
        watermark = watermark_url(footer, letter.language)
    enclosed = len(sheets) - 1 + len(annexes_of(sheets))
    description = _("%(subject)s, from %(sender)s, with %(count)d enclosure(s)") % {
        "subject": letter.subject, "sender": letter.sender.name, "count": enclosed}
    created = letter.issued_at and timezone.localtime(letter.issued_at).isoformat()
    return render_to_string("correspondence/letter_pdf.html", {
        "letter": letter, "sheets": sheets, "footer": _css_string(footer),
        "description": description, "created": created, "watermark": watermark,
    })


def _classes(box):
    element = _box(box).element
    return (element.get("class") or "").split() if element is not None else []


def _page_parts(page):
    """What a page holds: [(article element, set of the classes of its parts found)]."""
    from weasyprint.formatting_structure import boxes

    found = {}

    def visit(box, article):
        box = _box(box)
        if box.element is not None and box.element_tag == "article":
            article = box.element
        if article is not None:
            parts = found.setdefault(id(article), set())
            parts.update(c for c in _classes(box) if c.startswith("sheet-"))
            if isinstance(box, boxes.TextBox) and box.text.strip():
                parts.add("text")
        for child in box.children if isinstance(box, boxes.ParentBox) else ():
            visit(child, article)

    visit(page._page_box, None)
    return found


def fit_warnings(document, sheets):
    """Where a laid-out document departs from how the originals are laid out, in words.

    The originals put the addressee at the foot of each letter's first page and never
    leave the close and signatures alone on a page or split them across two.
    """
    warnings, order, pages_of = [], [], {}
    for number, page in enumerate(document.pages, start=1):
        for article, parts in _page_parts(page).items():
            if article not in pages_of:
                order.append(article)
                pages_of[article] = []
            pages_of[article].append((number, parts))
    for sheet, article in zip(sheets, order, strict=False):
        pages = pages_of[article]
        label = sheet.bookmark_label
        first = pages[0][0]
        addressee = [n for n, parts in pages if "sheet-addressee" in parts]
        if sheet.addressee.strip() and addressee != [first]:
            warnings.append(_(
                "%(letter)s: the addressee block does not fit at the foot of the first page "
                "(page %(first)d); it is printed on page %(pages)s.") % {
                "letter": label, "first": first,
                "pages": ", ".join(str(n) for n in addressee) or "?"})
        elif "sheet-body" not in pages[0][1] and sheet.body.strip():
            warnings.append(_(
                "%(letter)s: the addressee block leaves no room for the letter's text on its "
                "first page (page %(first)d).") % {"letter": label, "first": first})
        closing = [(n, parts) for n, parts in pages
                   if {"sheet-close", "sheet-signatures", "sheet-signature"} & parts]
        if len(closing) > 1:
            warnings.append(_(
                "%(letter)s: the close and signatures are split across pages %(pages)s.") % {
                "letter": label, "pages": ", ".join(str(n) for n, _parts in closing)})
        elif closing and len(pages) > 1:
            number, parts = closing[0]
            alone = not parts & {"sheet-body", "sheet-salutation", "sheet-letterhead"}
            if alone:
                warnings.append(_(
                    "%(letter)s: the close and signatures stand alone on page %(page)d, "
                    "without any of the letter's text.") % {"letter": label, "page": number})
    return warnings


def layout_warnings(letter):
    """How the letter's PDF will depart from where the originals put things, as messages.

    Lays the document out (no PDF is written, nothing is stored): a preview shows these.
    """
    with translation.override(letter.language):
        sheets = sheets_of(letter)
        with _RENDER_LOCK:
            document = _layout(document_html(letter, sheets))
        return fit_warnings(document, sheets)


def render_letter_pdf(letter):
    """The as-distributed PDF: the letter followed by its enclosures, one bookmark per letter.

    Identical bytes for the same letter: the PDF's dates are the letter's issue time (none
    for a draft), its fonts are the bundled ones, and nothing random is written. A character
    that no bundled font has (only a draft can hold one) prints as a placeholder.
    """
    with translation.override(letter.language):
        sheets = sheets_of(letter)
        # Issuing refuses characters that no bundled font has; in a preview each shows as a
        # placeholder, and the rest of the text stays extractable.
        pdf = html_to_pdf(with_placeholders(document_html(letter, sheets)))
        annexes = annexes_of(sheets)
        if annexes:
            pdf = append_annexes(pdf, annexes)
    return pdf


class UnreadableAnnex(ValueError):
    """A PDF annex whose pages cannot be appended: damaged, encrypted, without a page, or a
    page tree that pypdf cannot walk (one that loops, or nests too deep)."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


def _append_pdf(writer, data):
    """Append the pages of the PDF `data` to `writer`, without their annotations or page
    actions; UnreadableAnnex if pypdf cannot read or walk them."""
    from pypdf import PdfReader

    first_page = len(writer.pages)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted or len(reader.pages) == 0:
            raise UnreadableAnnex(_("This PDF is encrypted or has no page."), code="unusable")
        writer.append(reader, import_outline=False)
        # An annex brings its pages' content only: no annotation, link or page action
        # (which could carry JavaScript or a form) reaches the document we distribute.
        for page in writer.pages[first_page:]:
            for key in ("/Annots", "/AA"):
                if key in page:
                    del page[key]
    except UnreadableAnnex:
        raise
    except Exception as exc:  # whatever the parser fails with on these bytes
        raise UnreadableAnnex(_("This PDF cannot be read; it may be damaged."),
                              code="unreadable") from exc


def check_annex(data):
    """Walk the PDF `data` as `append_annexes` will: append its pages to a new document and
    write it. Raises UnreadableAnnex (with a message for the uploader) if that fails."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    _append_pdf(writer, data)
    try:
        writer.write(io.BytesIO())
    except Exception as exc:  # whatever the writer fails with on these pages
        raise UnreadableAnnex(_("This PDF cannot be read; it may be damaged."),
                              code="unreadable") from exc


def append_annexes(pdf, annexes):
    """Append the PDF annexes' pages, each with its bookmark, keeping the letter's metadata.

    Raises UnreadableAnnex naming the annex if one cannot be appended (uploads are checked
    with `check_annex`, so only a file stored before that check can be refused here).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for annex in annexes:
        first_page = len(writer.pages)
        try:
            with annex.annex.open("rb") as fh:
                _append_pdf(writer, fh.read())
        except (UnreadableAnnex, OSError) as exc:
            raise UnreadableAnnex(_("The annex “%(annex)s” cannot be added: %(reason)s") % {
                "annex": annex, "reason": exc}, code="annex") from exc
        writer.add_outline_item(title=str(annex), page_number=first_page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
