"""The watermark across a draft's pages: its words drawn as outlines, never as text.

Outlines (SVG paths from the bundled bold font) rather than text, so that the watermark
adds nothing to the text a reader, a search or a screen reader extracts from the letter;
painted as a page background, which the PDF marks as an artifact.
"""

import base64
import functools
import math
from pathlib import Path

from django.contrib.staticfiles import finders

FONT = "fonts/LiberationSerif-Bold.ttf"
COLOUR = "#a4002a"
OPACITY = 0.16
ANGLE = -50  # degrees: about the diagonal of a US Letter or A4 page


def _outline(text):
    """(SVG path data, width, ascent, descent) of `text` set in FONT, in font units."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font = TTFont(Path(finders.find(FONT)))
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    pen, x = SVGPathPen(glyphs), 0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:  # a character the font lacks takes a space's width
            name = cmap[ord(" ")]
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, 0)))  # SVG's y runs down
        x += glyphs[name].width
    hhea = font["hhea"]
    return pen.getCommands(), x, hhea.ascent, -hhea.descent


@functools.lru_cache(maxsize=8)
def watermark_svg(text):
    """An SVG image of `text` in capitals, on a diagonal, in translucent red."""
    path, width, ascent, descent = _outline(text.upper())
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


def watermark_url(text):
    """The watermark of `text` as a data: URL, for a CSS background."""
    data = base64.b64encode(watermark_svg(text).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"
