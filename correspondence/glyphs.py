"""Which characters of a letter the bundled fonts cannot print, and a preview that still reads.

A character that none of the letter stylesheet's fonts has would print as nothing (or as an
empty box) and, worse, makes the renderer write that font with a custom encoding, after
which text extraction (pdfplumber, screen readers) reads none of the letter's text at all.
Issuing refuses such characters; a preview shows a placeholder in their place.
"""

import functools
import posixpath
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils.translation import ngettext

STYLESHEET = "css/letter.css"
# WHITE SQUARE: in every bundled face, and visibly not a letter.
PLACEHOLDER = "\u25a1"
# Listed in one message at most; the message says how many more there are.
LISTED = 20
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_CHAR_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});")
_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", re.IGNORECASE)


@functools.cache
def bundled_fonts():
    """The font files named by the letter stylesheet's @font-face rules, as found on disk."""
    css = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    names = []
    for block in _FONT_FACE.findall(css):
        for url in _URL.findall(block):
            found = finders.find(posixpath.normpath(posixpath.join(
                posixpath.dirname(STYLESHEET), url)))
            if found:
                names.append(found)
    return tuple(names)


@functools.cache
def covered_codepoints():
    """Every code point that at least one bundled font maps to a glyph (read once)."""
    from fontTools.ttLib import TTFont

    covered = set()
    for path in bundled_fonts():
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap() or {})
    return frozenset(covered)


# Controls, format characters (soft hyphen, joiners, direction marks) and spaces draw no
# glyph of their own: the shaper hides them or makes a space of the right width.
NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _needs_glyph(char):
    return unicodedata.category(char) not in NO_GLYPH_CATEGORIES


class _Text(HTMLParser):
    """Every character of an HTML document that may be printed: text, and attribute values
    (bookmarks and metadata come from those)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chars = set()

    def handle_starttag(self, tag, attrs):
        for _name, value in attrs:
            self.chars.update(value or "")

    def handle_data(self, data):
        self.chars.update(data)


def uncovered_characters(html, *texts):
    """The characters of the HTML document (and of the plain `texts`) that no bundled font
    has, in code point order."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    chars = parser.chars.union(*texts)
    covered = covered_codepoints()
    return sorted((c for c in chars if ord(c) not in covered and _needs_glyph(c)), key=ord)


def describe(chars):
    """“न (U+0928 DEVANAGARI LETTER NA), 😀 (U+1F600 GRINNING FACE)”: the first LISTED of
    them, with their Unicode names, and how many more."""
    shown = chars[:LISTED]
    text = ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, '')})".replace(" )", ")")
                     for c in shown)
    if len(chars) > LISTED:
        more = len(chars) - LISTED
        text += " " + ngettext("and %(count)d more", "and %(count)d more", more) % {
            "count": more}
    return text


def uncovered_problem(html, *texts):
    """The message naming the characters no bundled font has, or "" when there is none."""
    chars = uncovered_characters(html, *texts)
    if not chars:
        return ""
    return ngettext(
        "%(chars)s is not in the letter's fonts: it would print as nothing. Replace it, "
        "or wait until fonts for this script are bundled.",
        "%(chars)s are not in the letter's fonts: they would print as nothing. Replace them, "
        "or wait until fonts for this script are bundled.",
        len(chars)) % {"chars": describe(chars)}


def with_placeholders(html):
    """The HTML with each character no bundled font has replaced by the placeholder.

    So that a preview shows where they are, and the rest of its text stays extractable.
    """
    chars = uncovered_characters(html)
    if not chars:
        return html
    missing = {ord(c) for c in chars}

    def reference(match):
        number = match.group(1)
        code = int(number[1:], 16) if number[0] in "xX" else int(number)
        return PLACEHOLDER if code in missing else match.group(0)

    html = html.translate(dict.fromkeys(missing, PLACEHOLDER))
    return _CHAR_REFERENCE.sub(reference, html)
