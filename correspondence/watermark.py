"""The watermark across a draft's pages: its words drawn as outlines, never as text.

Outlines (SVG paths from the bundled bold fonts) rather than text, so that the watermark
adds nothing to the text a reader, a search or a screen reader extracts from the letter;
painted as a page background, which the PDF marks as an artifact. The words are shaped
first (HarfBuzz: Arabic letters join, right to left), in the bold face of the letter's
language, each character the face lacks taken from Liberation Serif.

A draft's page shows the same image from a static file per language
(`static/img/draft-watermark[-<language>].svg`, made by `manage.py draw_watermarks`).
"""

import base64
import functools
import io
import math
from pathlib import Path

from django.contrib.staticfiles import finders

LATIN = "fonts/LiberationSerif-Bold.ttf"
FONTS = {
    "ar": "fonts/NotoNaskhArabic-Bold.subset.woff2",
    "zh-hans": "fonts/NotoSerifCJKsc-Bold.subset.woff2",
}
COLOUR = "#a4002a"
OPACITY = 0.16
ANGLE = -50  # degrees: about the diagonal of a US Letter or A4 page
UNITS = 2048  # the outlines are scaled to this many units to the em, whatever the face


def static_name(language):
    """The static file of a draft page's watermark in `language`."""
    suffix = "" if language == "en" else f"-{language}"
    return f"img/draft-watermark{suffix}.svg"


@functools.cache
def _face(name):
    """(fontTools font, HarfBuzz font) of a bundled font file."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    font = TTFont(Path(finders.find(name)))
    font.flavor = None  # HarfBuzz reads the font's tables, not WOFF2's compressed ones
    data = io.BytesIO()
    font.save(data)
    return font, hb.Font(hb.Face(data.getvalue()))


def _shaped(text, name):
    """[(glyph name, x advance, x offset, y offset, cluster)] of `text` shaped in `name`."""
    import uharfbuzz as hb

    font, hb_font = _face(name)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb_font, buffer, {})
    order = font.getGlyphOrder()
    return [(order[info.codepoint], pos.x_advance, pos.x_offset, pos.y_offset, info.cluster)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]


def _outline(text, language):
    """(SVG path data, width, ascent, descent) of `text`, shaped, in UNITS to the em."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    name = FONTS.get(language, LATIN)
    font, _hb = _face(name)
    latin, _hb = _face(LATIN)
    commands, x = [], 0.0
    for glyph, advance, dx, dy, cluster in _shaped(text, name):
        face, scale = font, UNITS / font["head"].unitsPerEm
        if glyph == ".notdef":  # a character the face lacks: Liberation Serif's, unshaped
            face, scale = latin, UNITS / latin["head"].unitsPerEm
            glyph = latin.getBestCmap().get(ord(text[cluster]), "space")
            advance, dx, dy = latin["hmtx"][glyph][0], 0, 0
        transform = (scale, 0, 0, -scale, x + dx * scale, -dy * scale)  # SVG's y runs down
        glyphs = face.getGlyphSet()
        pen = SVGPathPen(glyphs, ntos=_number)
        glyphs[glyph].draw(TransformPen(pen, transform))
        commands.append(pen.getCommands())
        x += advance * scale
    hhea, scale = font["hhea"], UNITS / font["head"].unitsPerEm
    return "".join(commands), round(x), hhea.ascent * scale, -hhea.descent * scale


def _number(value):
    """A coordinate with one decimal at most: the same text for the same outline."""
    return f"{value:.1f}".removesuffix(".0")


@functools.lru_cache(maxsize=16)
def watermark_svg(text, language="en"):
    """An SVG image of `text` in capitals, on a diagonal, in translucent red, set in the
    bold face of `language`."""
    path, width, ascent, descent = _outline(text.upper(), language)
    angle = math.radians(ANGLE)
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(x * cos - y * sin, x * sin + y * cos)
               for x in (0, width) for y in (-ascent, descent)]
    left, top = min(c[0] for c in corners), min(c[1] for c in corners)
    right, bottom = max(c[0] for c in corners), max(c[1] for c in corners)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{left:.0f} {top:.0f} {right - left:.0f} {bottom - top:.0f}">'
        f'<path transform="rotate({ANGLE})" fill="{COLOUR}" fill-opacity="{OPACITY}" '
        f'd="{path}"/></svg>'
    )


def watermark_url(text, language="en"):
    """The watermark of `text` as a data: URL, for a CSS background."""
    data = base64.b64encode(watermark_svg(text, language).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"
