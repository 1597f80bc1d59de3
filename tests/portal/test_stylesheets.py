"""The portal's own style sheets speak in logical directions (start and end, inline and block),
so that the Arabic pages mirror: no physical left or right, except where a rule means the
physical side, says so in a comment and is listed in PHYSICAL_ALLOWED."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css"
# The page's style sheets (the letter's, letter*.css, follow the letter's own language and
# are checked with the PDF).
STYLESHEETS = ("portal.css", "print.css", "admin.css")
# (file, selector, property): why the physical side is meant. Each such rule carries a
# comment with the word "physical" in its file.
PHYSICAL_ALLOWED = {}

SIDES = r"(?:left|right)"
# Properties whose name holds a physical side: margin-left, padding-right, border-left(-*),
# border-top-left-radius, scroll-margin-left, left, right ...
PHYSICAL_NAME = re.compile(rf"^(?:.*-)?{SIDES}(?:-.*)?$")
# Properties whose value can name a physical side.
SIDE_VALUES = {
    "float", "clear", "text-align", "text-align-last", "justify-content", "justify-items",
    "justify-self", "caption-side", "background-position", "background-position-x",
    "object-position", "transform-origin", "perspective-origin", "offset-anchor",
}
# Shorthands whose four values are top, right, bottom, left: physical when right != left.
FOUR_SIDED = {
    "margin", "padding", "inset", "border-width", "border-style", "border-color",
    "scroll-margin", "scroll-padding",
}


def declarations(css):
    """(selector, property, value) for every declaration of a style sheet, nested at-rules
    included (the selector of a declaration inside @media is its rule's own selector)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, stack, text = [], [], ""
    for char in css:
        if char == "{":
            # Declarations may come before a nested rule (@page { margin: 0; @top-center {).
            before, _semicolon, prelude = text.rpartition(";")
            found.extend(_split(stack[-1] if stack else "", before))
            stack.append(" ".join(prelude.split()))
            text = ""
        elif char == "}":
            found.extend(_split(stack.pop() if stack else "", text))
            text = ""
        else:
            text += char
    return found


def _split(selector, block):
    for declaration in block.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            yield selector, name.strip().lower(), " ".join(value.split()).lower()


def _values(value):
    """The space-separated values of a shorthand, with functions (calc(), var()) kept whole."""
    return re.findall(r"[\w.#%-]+\([^)]*\)|[^\s]+", value.replace("!important", ""))


def physical(selector, name, value):
    """Why this declaration is physical, or None."""
    if re.match(rf"@(?:(?:top|bottom)-{SIDES}|{SIDES}-)", selector):
        return f"page margin box {selector} is on a physical side of the paper"
    if name.startswith("--"):
        return None
    if PHYSICAL_NAME.match(name):
        return f"{name} names a physical side"
    if name in SIDE_VALUES and re.search(rf"\b{SIDES}\b", value):
        return f"{name}: {value} names a physical side"
    if name == "border-radius":
        corners = _values(value.split("/")[0])
        if len(corners) == 4 and (corners[0], corners[3]) != (corners[1], corners[2]):
            return f"border-radius: {value} differs between left and right"
        if len(corners) in (2, 3) and corners[0] != corners[1]:
            return f"border-radius: {value} differs between left and right"
    if name in FOUR_SIDED:
        sides = _values(value)
        if len(sides) == 4 and sides[1] != sides[3]:
            return f"{name}: {value} differs between right and left"
    return None


def physical_rules(filename, css):
    return {(filename, selector, name): why for selector, name, value in declarations(css)
            if (why := physical(selector, name, value))}


@pytest.mark.parametrize("filename", STYLESHEETS)
def test_stylesheet_has_no_physical_left_or_right(filename):
    css = (CSS / filename).read_text()

    found = physical_rules(filename, css)

    unexplained = {key: why for key, why in found.items() if key not in PHYSICAL_ALLOWED}
    assert unexplained == {}


def test_allowed_physical_rules_are_still_there_and_commented():
    stale = []
    for filename, selector, name in PHYSICAL_ALLOWED:
        css = (CSS / filename).read_text()
        if (filename, selector, name) not in physical_rules(filename, css) or not re.search(
                r"/\*[^*]*physical", css, flags=re.I):
            stale.append((filename, selector, name))

    assert stale == []


def test_physical_rules_are_found_in_every_spelling():
    css = """
    /* margin-left: 1rem; a comment is no rule */
    .a { margin-left: 1rem; padding: 0 1rem 0 2rem; }
    .b { float: right; text-align: left; border-right: 1px solid; }
    @media (max-width: 40rem) { .c { left: 0; } .d { border-top-right-radius: 3px; } }
    @page { margin: 1in; @bottom-right { content: counter(page); } }
    .e { margin-inline-start: 1rem; padding: 0 1rem; text-align: start; float: inline-end;
         inset-inline-end: 0; border-radius: 3px; margin: 1rem 0 2rem; }
    """

    found = physical_rules("sample.css", css)

    assert sorted((selector, name) for _f, selector, name in found) == [
        (".a", "margin-left"), (".a", "padding"), (".b", "border-right"), (".b", "float"),
        (".b", "text-align"), (".c", "left"), (".d", "border-top-right-radius"),
        ("@bottom-right", "content"),
    ]
