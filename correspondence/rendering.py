"""A letter's body: Markdown as written by staff, rendered through the nh3 sanitiser.

Rendering is linear in the body's length whatever the text holds (see `render_body`), and
the body's length is bounded (`BODY_MAX_CHARS`, checked by `body_problems`).
"""

import functools
import re

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import LinkInlineProcessor

# What a letter's body may contain. No image at all: a letter's figures go in a PDF
# annex, so no remote (or data:) image can reach a page or a PDF through the body.
ALLOWED_TAGS = {"p", "em", "strong", "ol", "ul", "li", "br", "blockquote", "a",
                "table", "thead", "tbody", "tr", "th", "td"}
# A table cell keeps its alignment (`| :--- |` in the Markdown) and nothing else.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"align"}, "td": {"align"}}
ALIGNMENTS = {"left", "center", "right"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Cell alignment as an `align` attribute: the sanitiser drops every style attribute.
MARKDOWN_EXTENSIONS = [TableExtension(use_align_attribute=True), "sane_lists"]

# The longest letters of the negotiations' record run to a few pages (the seed letters'
# bodies have 1,100 and 2,500 characters); 50,000 is some 13 full pages.
BODY_MAX_CHARS = 50_000
# Lists and quotations inside one another: the letters nest two levels at most.
MAX_NESTING = 6


def body_problems(text):
    """Why a body cannot be saved or issued as it is: a list of messages (empty if none)."""
    problems = []
    if len(text or "") > BODY_MAX_CHARS:
        problems.append(ngettext(
            "The body is %(count)s character long; a letter's body may have at most "
            "%(max)s characters. Put long texts in a PDF annex.",
            "The body is %(count)s characters long; a letter's body may have at most "
            "%(max)s characters. Put long texts in a PDF annex.",
            len(text)) % {"count": f"{len(text):,}", "max": f"{BODY_MAX_CHARS:,}"})
    if _deepest_nesting(text or "") > MAX_NESTING:
        problems.append(_(
            "Lists and quotations may be nested %(max)d levels deep at most.")
            % {"max": MAX_NESTING})
    return problems


# --- Markdown in linear time -------------------------------------------------------------

@functools.lru_cache(maxsize=16)
def _closing(data, pair):
    """{position of an opening character: position of its closing one} for `pair` ("[]" or
    "()"), nested pairs matched, in one pass over `data`."""
    closing, opened = {}, []
    for match in re.finditer(re.escape(pair[0]) + "|" + re.escape(pair[1]), data):
        if match.group() == pair[0]:
            opened.append(match.start())
        elif opened:
            closing[opened.pop()] = match.start()
    return closing


def _link_text(data, index):
    """LinkInlineProcessor.getText in constant time: the text between "[" (at index - 1)
    and its "]", the index after the "]", and whether there was one.

    Python-Markdown scans to the end of the paragraph for each "[" without its "]", which
    makes a run of "[" quadratic (8,000 of them took 13 s); the brackets are matched once
    per text instead, with the same result.
    """
    end = _closing(data, "[]").get(index - 1)
    if end is None:
        return data[index:], len(data), False
    return data[index:end], end + 1, True


def _title_apart(target):
    """(destination, title or None) of a link's "(destination "title")"."""
    target = target.strip()
    if len(target) > 1 and target[-1] in "'\"":
        start = re.search(rf"\s{target[-1]}", target)
        if start and start.end() < len(target):
            return target[:start.start()], target[start.end():-1]
    return target, None


def _link_target(processor):
    """LinkInlineProcessor.getLink, in constant time for a "(" without its ")".

    The destination is what lies between "(" and its ")", parentheses matched; a title in
    quotes at its end is set apart (the sanitiser drops titles anyway). Python-Markdown
    scans to the end of the paragraph for each "(" without its ")" ("[a](" repeated).
    """
    def get_link(data, index):
        match = processor.RE_LINK.match(data, pos=index)
        if match is None:
            return "", None, index, False
        if match.group(1):  # [text](<destination> "title"): a bounded pattern
            title = match.group(2) and match.group(2)[1:-1]
            return match.group(1)[1:-1].strip(), title, match.end(0), True
        end = _closing(data, "()").get(index)
        if end is None:
            return "", None, index, False
        href, title = _title_apart(data[match.end():end])
        if title is not None:
            title = processor.RE_TITLE_CLEAN.sub(" ", processor.unescape(title.strip()))
        return processor.unescape(href).strip(), title, end + 1, True

    return get_link


class _LinearBody(Extension):
    """Link and reference parsing in linear time; no HTML block parser.

    Python-Markdown's raw-HTML block preprocessor runs the standard library's HTMLParser,
    which is quadratic on unclosed tags ("<a <a <a ..."). Without it, raw HTML in the body
    is still parsed (inline, by bounded patterns) and sanitised by nh3 as before.
    """

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.preprocessors.deregister("html_block")
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = _link_text
                processor.getLink = _link_target(processor)


_CONTAINER = re.compile(r"[ \t]+|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")


def _line_nesting(line):
    """(depth, end of the prefix) of a line's run of indentation, ">" and list markers."""
    depth = column = position = 0
    while (match := _CONTAINER.match(line, position)) is not None and match.end() > position:
        token = match.group()
        if token[0] in " \t":
            column += len(token.expandtabs(4))
        else:
            depth += 1 + column // 4
            column = 0
        position = match.end()
    return depth + column // 4, position


def _deepest_nesting(text):
    return max((_line_nesting(line)[0] for line in text.splitlines()), default=0)


def _flatten_line(line):
    """The line with its prefix cut to MAX_NESTING levels, the rest of the line kept."""
    depth, end = _line_nesting(line)
    if depth <= MAX_NESTING:
        return line
    levels = column = position = 0
    marker = False
    while position < end:
        token = _CONTAINER.match(line, position).group()
        if token[0] in " \t":
            after_levels, after_column = levels, column + len(token.expandtabs(4))
        else:
            after_levels, after_column = levels + 1 + column // 4, 0
        if after_levels + after_column // 4 > MAX_NESTING:
            break
        levels, column, marker = after_levels, after_column, token[0] not in " \t"
        position += len(token)
    return line[:position] + (" " if marker else "") + line[end:]


def _flatten_nesting(text):
    """The text with each line's containers cut to MAX_NESTING levels.

    Python-Markdown parses nested lists and quotations recursively: a few hundred levels
    (a line of "- - - ...", or deep indentation) exhaust Python's stack. Deeper levels
    than a body may have (`body_problems` refuses them) are dropped, their text kept.
    """
    if _deepest_nesting(text) <= MAX_NESTING:
        return text
    return "\n".join(_flatten_line(line) for line in text.splitlines())


_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"[ \t>|#]|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def _separate_blocks(text):
    """The text with a blank line before a list or a table that follows a line of text.

    Staff write "The meetings:" and the list on the next line; Markdown wants a blank line
    between them, or it reads the list as more of the paragraph.
    """
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        previous = out[-1] if out else ""
        if previous.strip() and not _NOT_PARAGRAPH.match(previous) and (
                _LIST_ITEM.match(line) or (line.startswith("|") and i + 1 < len(lines)
                                           and _TABLE_RULE.match(lines[i + 1]))):
            out.append("")
        out.append(line)
    return "\n".join(out)


# --- Typography: what the originals never break -----------------------------------------

# Applied at render time to the text between tags (never to a tag, an attribute, or a
# URL, an e-mail address), the stored text unchanged:
# - a no-break space after a title before a name ("H.E. Mr. Ion Jinga"), between a number
#   and its unit or the time of day ("10:00 am", "5 per cent"), and between a word that
#   designates and its number or symbol ("decision 70/559", "resolution 70/1",
#   "Article 23", "document A/71/L.69");
# - a hyphenated word ("Co-Chairs", "forward-looking", "2016-2017") and a document symbol
#   ("A/71/L.69") are never broken at the end of a line: a break after a hyphen reads as
#   a word split in two once the text is extracted ("CoChairs").
TITLES = r"H\.E\.|Mr\.|Mrs\.|Ms\.|Mx\.|Dr\.|Prof\.|Sir|Dame|Amb\."
UNITS = (r"am|pm|a\.m\.|p\.m\.|per cent|percent|%|million|billion|trillion|"
         r"km|kg|cm|mm|m|g|t|ha")
DESIGNATORS = (r"[Dd]ecisions?|[Rr]esolutions?|[Dd]ocuments?|[Aa]rticles?|[Pp]aragraphs?|"
               r"paras?\.|[Nn]o\.|[Nn]os\.|pp?\.|[Pp]ages?|[Aa]nnex(?:es)?|[Cc]hapters?|"
               r"[Ss]ections?|[Rr]ules?|[Ii]tems?")
NBSP = "\u00a0"
_TITLE_SPACE = re.compile(rf"(?<![\w.])({TITLES}) (?=\w)")
_UNIT_SPACE = re.compile(rf"(?<![\w.,:])(\d+(?:[.,:]\d+)*) (?=(?:{UNITS})(?![\w]))")
_DESIGNATOR_SPACE = re.compile(rf"(?<![\w.])({DESIGNATORS}) (?=\d|[A-Z]{{1,2}}/)")
# Hyphenated words and symbols of up to 40 characters: a longer one may need its breaks.
_UNBROKEN = re.compile(
    r"(?<![\w/-])(?:[A-Z]{1,2}(?:/[\w.-]+)+|\w+(?:-\w+)+)(?![\w/-])")
_UNBROKEN_MAX = 40
_SPACES = re.compile(r"(\s+)")
# A tag of nh3's output (its attribute values are always double-quoted) or a run of text.
_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')
_TAG_NAME = re.compile(r"<(/?)([a-z0-9]+)")
_VOID = {"br"}
# Three elements a level (a list, its item, a paragraph), a few inline ones inside.
MAX_DEPTH = 3 * MAX_NESTING + 4
NOBREAK_CLASS = "nobreak"


def _keep_whole(match):
    word = match.group()
    if len(word) > _UNBROKEN_MAX:
        return word
    return f'<span class="{NOBREAK_CLASS}">{word}</span>'


def _is_url_like(word):
    return "://" in word or "@" in word or word.startswith("www.")


def _typeset_words(text):
    """The rules on a text of words, none of them URL-like."""
    text = _TITLE_SPACE.sub(rf"\1{NBSP}", text)
    text = _UNIT_SPACE.sub(rf"\1{NBSP}", text)
    text = _DESIGNATOR_SPACE.sub(rf"\1{NBSP}", text)
    return _UNBROKEN.sub(_keep_whole, text)


def _typeset_text(text):
    """The rules on a text between tags, URL-like words (a URL, an e-mail address) apart."""
    if not any(map(_is_url_like, text.split())):
        return _typeset_words(text)
    pieces, run = [], []
    for word in _SPACES.split(text):
        if _is_url_like(word):
            pieces += [_typeset_words("".join(run)), word]
            run = []
        else:
            run.append(word)
    return "".join([*pieces, _typeset_words("".join(run))])


# --- Left-to-right runs inside right-to-left text ----------------------------------------

# The renderer has no `unicode-bidi`: a symbol, a time range or a Latin name inside Arabic
# text is reordered by the bidirectional algorithm ("A/71/L.69*" prints as "*A/71/L.69",
# "10:00 - 13:00" as "13:00 - 10:00") unless it is set apart. An element with `dir="ltr"`
# is (in the renderer and in browsers alike): such runs are wrapped in one.
RTL_LANGUAGES = {"ar"}
_LTR = "A-Za-z0-9\u00c0-\u024f"  # Latin letters and Western digits
_INNER = "\\-./:*%+_\u2019\u2010\u2011"  # inside a symbol, a time, a number
_TOKEN = rf"\(?[{_LTR}](?:[{_LTR}{_INNER}()]*[{_LTR}*%)])?"
# Tokens joined by a dash ("10:00 - 13:00", "2016-2017"), or by spaces before a word
# ("H.E. Mr. Peter Thomson", "New York"); not "2016 (A/71/L.1)": those are read apart.
_JOIN = "(?:[ \u00a0]*[-\u2013][ \u00a0]*|\\.?[ \u00a0]+(?=[A-Za-z\u00c0-\u024f]))"
# Never inside a character reference ("&amp;", "&#39;") of the escaped text.
_LTR_RUN = re.compile(rf"(?<![&#{_LTR}]){_TOKEN}(?:{_JOIN}{_TOKEN})*")


def is_rtl(language):
    return (language or "").split("-")[0].lower() in RTL_LANGUAGES


def _balanced(run):
    """The run without a parenthesis that opens or closes outside it."""
    while run.endswith(")") and run.count(")") > run.count("("):
        run = run[:-1]
    while run.startswith("(") and run.count("(") > run.count(")"):
        run = run[1:]
    return run


def _ltr_pieces(text):
    """The text cut into (piece, whether it is a left-to-right run)."""
    pieces, position = [], 0
    for match in _LTR_RUN.finditer(text):
        run = _balanced(match.group())
        start = match.start() + match.group().index(run) if run else match.end()
        if not run:
            continue
        pieces.append((text[position:start], False))
        pieces.append((run, True))
        position = start + len(run)
    pieces.append((text[position:], False))
    return [(piece, ltr) for piece, ltr in pieces if piece]


def _ltr_span(run):
    return f'<span dir="ltr">{run}</span>'


def isolate_ltr(html):
    """HTML (escaped text and tags) with each left-to-right run of its text in a
    `dir="ltr"` span: for right-to-left letters. Tags and attributes are left as they are."""
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):
        if parts[i].strip():
            parts[i] = "".join(_ltr_span(piece) if ltr else piece
                               for piece, ltr in _ltr_pieces(parts[i]))
    return "".join(parts)


def typeset(html, *, rtl=False):
    """Sanitised HTML with no-break spaces and unbroken words where the originals never
    break (the rules above); tags, attributes and URLs are left as they are. In a
    right-to-left text (`rtl`), left-to-right runs are set apart too (`isolate_ltr`).

    Elements nested deeper than MAX_DEPTH (raw HTML can nest without Markdown's
    containers) are unwrapped, their text kept, so the page and the PDF stay shallow.
    """
    parts = _TAG.split(html)
    kept = []  # for each open element: whether its tags are kept
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = _TAG_NAME.match(part)
            if name is None or name.group(2) in _VOID:
                continue
            if name.group(1):  # a closing tag
                if kept and not kept.pop():
                    parts[i] = ""
            else:
                kept.append(len(kept) < MAX_DEPTH)
                if not kept[-1]:
                    parts[i] = ""
        elif part.strip() and rtl:
            parts[i] = "".join(_ltr_span(_typeset_text(piece)) if ltr else _typeset_text(piece)
                               for piece, ltr in _ltr_pieces(part))
        elif part.strip():
            parts[i] = _typeset_text(part)
    return "".join(parts)


# --- The body -----------------------------------------------------------------------------

def _markdown(text, extensions):
    return markdown.markdown(text, extensions=[*extensions, _LinearBody()],
                             output_format="html")


_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")


def _allowed_value(tag, attribute, value):
    if attribute == "align" and value not in ALIGNMENTS:
        return None
    return value


def render_body(text, language="en"):
    """The body's HTML: Markdown converted, then everything outside the allow-list removed,
    then typeset (`typeset`; in a right-to-left `language`, with its left-to-right runs set
    apart).

    Raw HTML written in the Markdown goes through the same sanitiser: a <script>, an
    event handler, a style attribute, an iframe, a form or an image never survives.
    Tables (`| a | b |` with a `| --- | --- |` line) and lists (also right after a line of
    text) render as tables and lists. The time taken grows with the body's length only:
    runs of brackets or tags and deep nesting (cut to MAX_NESTING levels) cost no more than
    text.
    """
    html = _markdown(_separate_blocks(_flatten_nesting(text or "")), MARKDOWN_EXTENSIONS)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        url_relative="deny",
        strip_comments=True,
        attribute_filter=_allowed_value,
    )
    # Raw HTML blocks reach the sanitiser inside paragraphs, which leave empty ones around.
    clean = _EMPTY_PARAGRAPH.sub("", clean)
    return mark_safe(typeset(clean, rtl=is_rtl(language)))  # noqa: S308 - spans added


def render_lines(text, language="en"):
    """A block printed line by line (an addressee block), with the body's inline Markdown;
    in a right-to-left `language`, with its left-to-right runs set apart."""
    html = markdown.markdown(text or "", extensions=["nl2br"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS - {"a"}, attributes={}, strip_comments=True)
    # No newline after a line break: in the PDF's footnote area (where the addressee
    # flows) the renderer would print it as a second, empty line.
    clean = clean.replace("<br>\n", "<br>")
    if is_rtl(language):
        clean = isolate_ltr(clean)
    return mark_safe(clean)  # noqa: S308 - nh3's output is the sanitised allow-list
