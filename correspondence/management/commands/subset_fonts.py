"""Make the bundled Arabic and Chinese letter fonts from Debian's Noto fonts, subset.

    manage.py subset_fonts [--naskh DIR] [--cjk DIR] [--add TEXT] [--out DIR]

Reads Noto Naskh Arabic (Debian `fonts-noto-core`) and the Simplified Chinese face of Noto
Serif CJK (`fonts-noto-cjk`, a collection of five faces), writes to static/fonts/ the
subsets the letter stylesheet names, with their licence, and prints each file's size. The
same sources and options give the same files. What each subset covers: docs/languages.md,
"Fonts and scripts".
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

NASKH_DIR = "/usr/share/fonts/truetype/noto"
CJK_DIR = "/usr/share/fonts/opentype/noto"
WEIGHTS = ("Regular", "Bold")
NASKH = "NotoNaskhArabic-{weight}.ttf"
CJK = "NotoSerifCJK-{weight}.ttc"
CJK_FACE = "Noto Serif CJK SC"

# Arabic: the Arabic blocks, presentation forms, and what Arabic text sets beside them.
ARABIC_RANGES = [
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
    (0x0020, 0x0020), (0x0021, 0x0021), (0x002C, 0x002E), (0x0030, 0x003A),
    (0x00A0, 0x00A0), (0x00AB, 0x00AB), (0x00BB, 0x00BB),
    (0x200B, 0x2011),  # zero-width space and joiners, direction marks, hyphens
    (0x25CC, 0x25CC),  # the dotted circle a lone mark is shaped on
]
# Chinese: GB 2312 whole (its 6,763 hanzi and 682 symbols: CJK punctuation, full-width
# forms, kana, Greek, Cyrillic, rules), plus what a letter sets around them.
CJK_RANGES = [
    (0x0020, 0x007E),  # Basic Latin: Latin names, symbols and digits in the CJK face's style
    (0x00A0, 0x00A0), (0x00B7, 0x00B7),
    (0x2010, 0x2027),  # dashes, quotation marks, ellipsis, interpunct
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
# Layout features kept: fontTools' defaults (shaping: init/medi/fina, ligatures, marks,
# kerning), without vertical forms (letters are set horizontally) and, for the CJK face,
# without `locl`, whose Japanese, Korean and Traditional forms would double its size.
DROPPED_FEATURES = {"cjk": {"locl", "vert", "vrt2", "vkrn", "vpal", "valt"},
                    "naskh": {"vert", "vrt2", "vkrn", "vpal", "valt"}}


def gb2312():
    """Every character of GB 2312 as code points, in its order: rows 1-9 the symbols, rows
    16-55 the 3,755 hanzi of level 1 (the common ones, by pinyin), rows 56-87 the 3,008
    of level 2."""
    found = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def common_first(font, codepoints):
    """Renumber the glyphs: those of `codepoints` first, in that order, then the rest.

    The renderer keeps, in each PDF, every glyph id up to the highest one the letter uses
    (empty, but each costs its slot): with the common hanzi first, a letter that uses
    only those never pays for the rarer ones.
    """
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    old = font.getGlyphOrder()
    cmap = font.getBestCmap()
    rank = {}
    for codepoint in codepoints:
        if (name := cmap.get(codepoint)) is not None:
            rank.setdefault(name, len(rank))
    position = {name: n for n, name in enumerate(old)}
    new = [old[0], *sorted(old[1:], key=lambda name: (name not in rank, rank.get(name, 0),
                                                     position[name]))]
    top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
    fd_of = ({name: top.FDSelect[position[name]] for name in old}
             if top is not None and hasattr(top, "FDSelect") else None)
    reorderGlyphs(font, new)
    if fd_of is not None:  # a CID-keyed CFF: each glyph keeps its font dictionary
        top.FDSelect.gidArray = [fd_of[name] for name in new]
    return font


def expand(ranges):
    return {cp for start, end in ranges for cp in range(start, end + 1)}


def subset(font, codepoints, dropped):
    from fontTools import subset as fts

    options = fts.Options()
    options.hinting = False  # a PDF needs no hinting; the renderer drops it anyway
    options.notdef_outline = True
    options.layout_features = [f for f in options.layout_features if f not in dropped]
    options.drop_tables += ["vhea", "vmtx", "VORG", "DSIG"]
    subsetter = fts.Subsetter(options)
    subsetter.populate(unicodes=codepoints & set(font.getBestCmap()))
    subsetter.subset(font)
    font.flavor = "woff2"
    return font


def cjk_face(path):
    """The Simplified Chinese face of a Noto Serif CJK collection."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == CJK_FACE:
            return font
    raise CommandError(f"{path} has no face named {CJK_FACE!r}")


class Command(BaseCommand):
    help = "Make the bundled Arabic and Chinese letter fonts (subsets of Debian's Noto fonts)."

    def add_arguments(self, parser):
        parser.add_argument("--naskh", default=NASKH_DIR,
                            help=f"folder of {NASKH.format(weight='Regular')} (fonts-noto-core)")
        parser.add_argument("--cjk", default=CJK_DIR,
                            help=f"folder of {CJK.format(weight='Regular')} (fonts-noto-cjk)")
        parser.add_argument("--add", default="",
                            help="more characters for the Chinese subset (e.g. a name's hanzi "
                                 "outside GB 2312)")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "static" / "fonts"))

    def handle(self, *args, **options):
        from fontTools.ttLib import TTFont

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        made = []
        for weight in WEIGHTS:
            source = Path(options["naskh"]) / NASKH.format(weight=weight)
            if not source.is_file():
                raise CommandError(f"{source} not found: install fonts-noto-core")
            font = subset(TTFont(source), expand(ARABIC_RANGES), DROPPED_FEATURES["naskh"])
            made.append((out / f"NotoNaskhArabic-{weight}.subset.woff2", font))
        # Latin, the punctuation letters use (GB 2312's middle dot is U+30FB, not the
        # U+00B7 that Chinese names are written with), then GB 2312 in its order.
        order = [*range(0x20, 0x7F), 0xA0, 0xB7, *range(0x2010, 0x2028), *gb2312()]
        chinese = set(order) | expand(CJK_RANGES) | {ord(c) for c in options["add"]}
        for weight in WEIGHTS:
            source = Path(options["cjk"]) / CJK.format(weight=weight)
            if not source.is_file():
                raise CommandError(f"{source} not found: install fonts-noto-cjk")
            font = common_first(subset(cjk_face(source), chinese, DROPPED_FEATURES["cjk"]),
                                order)
            made.append((out / f"NotoSerifCJKsc-{weight}.subset.woff2", font))
        for path, font in made:
            # Reproducible: the same sources give the same bytes.
            font["head"].modified = font["head"].created
            font.recalcTimestamp = False
            font.save(path)
            glyphs = len(font.getGlyphOrder())
            self.stdout.write(f"{path.name}: {path.stat().st_size:,} bytes, {glyphs:,} glyphs, "
                              f"{len(font.getBestCmap()):,} characters")
