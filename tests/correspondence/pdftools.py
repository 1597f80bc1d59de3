"""Reading PDFs as a reader does: poppler's pdftotext, and pypdf for the structure."""

import io
import re
import subprocess
import tempfile
from html.parser import HTMLParser

from pypdf import PdfReader, PdfWriter


def blank_pdf(pages=1):
    """A valid PDF of blank US Letter pages, such as an annex."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(pdf, *, layout=True, first=None, last=None):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
        if first:
            args += ["-f", str(first), "-l", str(last or first)]
        return subprocess.run(
            [*args, fh.name, "-"], check=True, capture_output=True, text=True).stdout


def words(text):
    """The words in reading order; a hyphen (in a word or at a line's end) separates."""
    return re.findall(r"[\w.,:;()'’]+", text.replace("*", "").replace("-", " ").lower())


class _BBoxParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages, self._word = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "page":
            self.pages.append({"width": float(attrs["width"]),
                               "height": float(attrs["height"]), "words": []})
        elif tag == "word":
            self._word = {k: float(attrs[k]) for k in ("xmin", "ymin", "xmax", "ymax")}

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] = data.strip()
            self.pages[-1]["words"].append(self._word)
            self._word = None


def pdf_word_boxes(pdf):
    """Each page's size and words with their boxes (points, from the top left)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        html = subprocess.run(["pdftotext", "-bbox", fh.name, "-"], check=True,
                              capture_output=True, text=True).stdout
    parser = _BBoxParser()
    parser.feed(html)
    return parser.pages


def reader(pdf):
    return PdfReader(io.BytesIO(pdf))


def embedded_files(pdf):
    catalog = reader(pdf).trailer["/Root"]
    names = catalog.get("/Names")
    return names.get_object().get("/EmbeddedFiles") if names else None
