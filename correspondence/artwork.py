"""Letterhead artwork and signature images: what an upload must be, and how one is served.

An image is a PNG (opened and decoded with Pillow, within bounds) or an SVG that passes a
strict allow-list: shapes, gradients and the like (text only as outlines), nothing that
runs (no script, no event handler, no animation, no foreignObject) and nothing that
reaches outside the file (references only to its own fragments, images only as data: PNG
or JPEG, no DTD or entity).
An SVG is stored as re-serialised from what was checked, so the stored bytes are exactly
the checked tree. A file that does not pass is refused with a message, never stored.
"""

import base64
import binascii
import functools
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 6000  # pixels: a full-width letterhead scanned at 600 dpi
MAX_PIXELS = 24_000_000
MAX_ELEMENTS = 20_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Drawing programs' own data: never rendered, dropped.
EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}
DROPPED_ELEMENTS = {"metadata"}
# Text in artwork would be drawn in a font of the server's (or in none: the glyph check
# reads the letter's text, not its pictures), and a missing glyph there would switch the
# PDF's text encoding: artwork text must come as outlines.
TEXT_ELEMENTS = {"text", "tspan", "textPath"}

ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "image", "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feFlood",
    "feComposite", "feMerge", "feMergeNode",
}
ATTRIBUTES = {
    # structure and geometry
    "id", "class", "style", "lang", "version", "baseProfile", "viewBox",
    "preserveAspectRatio", "transform", "transform-origin", "width", "height", "x", "y",
    "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points",
    "pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust", "href", "type",
    # paint servers, clips, masks, markers, filters
    "offset", "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerUnits", "markerWidth", "markerHeight", "refX", "refY",
    "orient", "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
    "values", "operator", "k1", "k2", "k3", "k4",
    # presentation
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "clip-path", "clip-rule", "mask", "filter", "color",
    "display", "visibility", "overflow", "font-family", "font-size", "font-weight",
    "font-style", "font-variant", "font-stretch", "text-anchor", "dominant-baseline",
    "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing",
    "text-decoration", "writing-mode", "direction", "unicode-bidi", "stop-color",
    "stop-opacity", "flood-color", "flood-opacity", "marker-start", "marker-mid",
    "marker-end", "color-interpolation", "color-interpolation-filters", "shape-rendering",
    "text-rendering", "image-rendering", "vector-effect", "paint-order", "mix-blend-mode",
    "isolation", "enable-background",
}
FRAGMENT = re.compile(r"#[A-Za-z_][\w.:-]*")
URL_REFERENCE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
DATA_IMAGE = re.compile(r"data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)
# In a style: nothing that loads or runs (and no escapes, which could hide either).
STYLE_FORBIDDEN = re.compile(
    r"@import|\\|expression\s*\(|behavior|-moz-binding|javascript:|image-set|image\s*\("
    r"|src\s*\(|cross-fade|element\s*\(", re.IGNORECASE)
ANY_URL = re.compile(r"url\s*\(", re.IGNORECASE)
MAX_DEPTH = 200


class Refused(Exception):
    """Why an SVG cannot be kept, in words for the uploader."""


def artwork_kind(content):
    """"png" or "svg" for the bytes of a stored image, None for anything else."""
    if content.startswith(PNG_MAGIC):
        return "png"
    if content.startswith(b"<svg"):  # as stored: re-serialised from the checked tree
        return "svg"
    return None


def artwork_file(sha256):
    """(file name, bytes) of the stored image with this SHA-256, or None."""
    from .models import StoredFile

    content = StoredFile.objects.filter(sha256=sha256).values_list("content", flat=True).first()
    if content is None:
        return None
    content = bytes(content)
    kind = artwork_kind(content)
    return (f"{sha256}.{kind}", content) if kind else None


def content_security_policy(name, content):
    """The policy an image is served with: it loads nothing but data: images, runs nothing,
    and is framed by no one. An SVG's own styles (a ``<style>``, ``style`` attributes) are
    allowed by their hashes, not by 'unsafe-inline': exactly the CSS the file holds, which can
    neither run nor load anything under this policy."""
    policy = "default-src 'none'; img-src data:"
    if name.endswith(".svg") and (hashes := _style_hashes(content)):
        policy += "; style-src 'unsafe-hashes' " + " ".join(hashes)
    return policy + "; frame-ancestors 'none'"


@functools.lru_cache(maxsize=64)
def _style_hashes(content):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(content, forbid_dtd=True)
    except (DefusedXmlException, ET.ParseError):
        return ()
    styles = {element.text or "" for element in root.iter(f"{{{SVG}}}style")}
    styles |= {element.attrib["style"] for element in root.iter() if "style" in element.attrib}
    digests = (base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
               for style in styles)
    return tuple(sorted(f"'sha256-{digest}'" for digest in digests))


def clean_image_upload(uploaded, *, max_bytes=MAX_BYTES):
    """The bytes to store for an uploaded image (PNG or SVG); ValidationError if refused."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.") % {
                "size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)},
            code="too_large")
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(0)
    if content.startswith(PNG_MAGIC):
        return checked_png(content)
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return sanitised_svg(content)
    raise ValidationError(_("This file is neither a PNG nor an SVG image."), code="not_image")


def checked_png(content):
    """The PNG's bytes, once Pillow has opened and decoded it within the size bounds."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content), formats=["PNG"]) as image:
            width, height = image.size
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(width)d × %(height)d pixels; the limit is %(side)d "
                      "pixels a side.") % {"width": width, "height": height, "side": MAX_SIDE},
                    code="too_many_pixels")
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This PNG image cannot be read; it may be damaged."),
                              code="unreadable") from None
    return content


def sanitised_svg(content):
    """The SVG re-serialised from its checked tree; ValidationError naming what is refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=ET.TreeBuilder(insert_pis=True), forbid_dtd=True)
    try:
        parser.feed(content)
        root = parser.close()
    except DefusedXmlException:
        raise ValidationError(_("This SVG declares a DTD or entities, which are not accepted."),
                              code="svg_refused") from None
    except ET.ParseError:
        raise ValidationError(_("This SVG is not well-formed XML."), code="svg_unreadable") \
            from None
    try:
        if root.tag != f"{{{SVG}}}svg":
            raise Refused(_("its root element is not <svg>"))
        if "viewBox" not in root.attrib and not {"width", "height"} <= set(root.attrib):
            raise Refused(_("it has no size (give its root a viewBox)"))
        count = _check(root)
        if count > MAX_ELEMENTS or _drawn(root) > MAX_ELEMENTS:
            raise Refused(_("it draws more than %(count)d elements") % {"count": MAX_ELEMENTS})
    except Refused as refused:
        raise ValidationError(
            _("This SVG cannot be used: %(reason)s. Only drawings are accepted: no script, "
              "no event handler, no animation, no link to anything outside the file.") % {
                "reason": refused}, code="svg_refused") from None
    return _serialise(root, top=True).encode("utf-8")


def _serialise(element, *, top=False):
    """The checked tree as SVG text: SVG elements, plain or `xml:` attributes, no comment."""
    attributes = [("xmlns", SVG)] if top else []
    attributes += [(f"xml:{_local(name)}" if _namespace(name) == XML else name, value)
                   for name, value in element.attrib.items()]
    tag = _local(element.tag)
    parts = [f"<{tag}", *(f" {name}={quoteattr(value)}" for name, value in attributes), ">",
             escape(element.text or "")]
    for child in element:
        parts += [_serialise(child), escape(child.tail or "")]
    parts.append(f"</{tag}>")
    return "".join(parts)


def _check(element, depth=0):
    """Check the element and its subtree in place (editors' data removed); the count."""
    if depth > MAX_DEPTH:
        raise Refused(_("it nests elements more than %(depth)d deep") % {"depth": MAX_DEPTH})
    count = 1
    local = _local_name(element.tag)
    for name in list(element.attrib):
        _check_attribute(element, local, name)
    if local == "style":
        _check_style(element.text or "")
        if element.get("type", "text/css") != "text/css":
            raise Refused(_("its <style> is not CSS"))
    for child in list(element):
        if not isinstance(child.tag, str):  # a processing instruction
            raise Refused(_("it holds a processing instruction"))
        namespace = _namespace(child.tag)
        if namespace in EDITOR_NAMESPACES or (
                namespace == SVG and _local(child.tag) in DROPPED_ELEMENTS):
            element.remove(child)
            continue
        count += _check(child, depth + 1)
    return count


def _drawn(root):
    """How many elements the drawing becomes once each <use> is replaced by what it names:
    a few nested <use> can otherwise make millions, or loop."""
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    sizes, visiting = {}, set()

    def size(element, depth=0):
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise Refused(_("its <use> elements refer to themselves"))
        if depth > MAX_DEPTH:
            raise Refused(_("it nests elements more than %(depth)d deep") % {
                "depth": MAX_DEPTH})
        visiting.add(key)
        total = 1 + sum(size(child, depth + 1) for child in element)
        if _local(element.tag) == "use":
            target = by_id.get(element.get("href", "")[1:])
            total += size(target, depth + 1) if target is not None else 0
        visiting.discard(key)
        sizes[key] = total = min(total, MAX_ELEMENTS + 1)
        return total

    return size(root)


def _local_name(tag):
    if _namespace(tag) != SVG:
        raise Refused(_("it holds an element from another vocabulary (%(tag)s)") % {
            "tag": _local(tag)})
    local = _local(tag)
    if local in TEXT_ELEMENTS:
        raise Refused(_("it holds text (a <%(tag)s> element): convert the text to outlines "
                        "(paths) in the drawing program, so that the artwork draws the same "
                        "everywhere and needs no font") % {"tag": local})
    if local not in ELEMENTS:
        raise Refused(_("it holds a <%(tag)s> element") % {"tag": local})
    return local


def _check_attribute(element, local, name):
    namespace, attribute = _namespace(name), _local(name)
    value = element.attrib[name]
    if namespace in EDITOR_NAMESPACES:
        del element.attrib[name]
        return
    if namespace == XLINK and attribute == "href":
        del element.attrib[name]
        element.set("href", value)
    elif namespace == XML and attribute in ("space", "lang"):
        return
    elif namespace or attribute not in ATTRIBUTES:
        if attribute.lower().startswith("on"):
            raise Refused(_("it has an event handler (%(name)s)") % {"name": attribute})
        raise Refused(_("it has a “%(name)s” attribute") % {"name": attribute})
    if attribute == "href":
        _check_href(local, value)
    elif attribute == "style":
        _check_style(value)
    else:
        _check_references(value)


def _check_href(local, value):
    value = value.strip()
    if local == "image":
        match = DATA_IMAGE.fullmatch(value)
        if match is None:
            raise Refused(_("it has an image that is not a PNG or JPEG inside the file"))
        try:
            base64.b64decode(re.sub(r"\s", "", match.group(2)), validate=True)
        except binascii.Error:
            raise Refused(_("it has an image that cannot be read")) from None
    elif not FRAGMENT.fullmatch(value):
        raise Refused(_("it links to something outside the file (%(href)s)") % {
            "href": value[:80]})


def _check_style(text):
    if STYLE_FORBIDDEN.search(text):
        raise Refused(_("its style loads or runs something"))
    _check_references(text)


def _check_references(value):
    for _quote, target in URL_REFERENCE.findall(value):
        if not FRAGMENT.fullmatch(target.strip()):
            raise Refused(_("it refers to something outside the file (%(url)s)") % {
                "url": target.strip()[:80]})
    if ANY_URL.search(URL_REFERENCE.sub("", value)):
        raise Refused(_("it refers to something outside the file"))
    if "javascript:" in value.lower().replace(" ", ""):
        raise Refused(_("it holds a javascript: address"))


def _namespace(name):
    return name[1:].partition("}")[0] if name.startswith("{") else ""


def _local(name):
    return name.rpartition("}")[2]
