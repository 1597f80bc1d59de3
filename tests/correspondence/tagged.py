"""Reading a tagged PDF as a screen reader does: pikepdf walks the structure tree from its
root, and every page's content stream is read for its marked content."""

import io
from dataclasses import dataclass, field

import pdfplumber
import pikepdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass
class Tagged:
    doc: pikepdf.Pdf
    pages: int
    # The structure elements reached from the root, as (type, parent's type, element).
    elements: list = field(default_factory=list)
    # (page index, MCID) of the marked content that an element reached from the root
    # holds -> that element.
    reached: dict = field(default_factory=dict)
    # Per page: the text-showing operators' marked content, innermost first, as tuples of
    # ("MCID", n) or ("Artifact",) or (tag,); an operator outside any is an empty tuple.
    shown: list = field(default_factory=list)
    # The ParentTree as read: (page index, MCID) -> element.
    parent_tree: dict = field(default_factory=dict)

    def of_type(self, kind):
        return [e for s, _p, e in self.elements if s == kind]

    def kids(self, element):
        kids = element.get("/K")
        if kids is None:
            return []
        return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def read_tagged(pdf):
    doc = pikepdf.open(io.BytesIO(pdf))
    page_of = {page.objgen: n for n, page in enumerate(doc.pages)}
    tagged = Tagged(doc=doc, pages=len(doc.pages))
    root = doc.Root.StructTreeRoot

    def walk(element, parent_type, page):
        page = element.get("/Pg", page)
        tagged.elements.append((str(element.S), parent_type, element))
        for kid in tagged.kids(element):
            if isinstance(kid, int):
                tagged.reached[(page_of[page.objgen], kid)] = element
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                tagged.reached[(page_of[kid.get("/Pg", page).objgen], int(kid.MCID))] = element
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, str(element.S), page)

    for top in tagged.kids(root):
        walk(top, "StructTreeRoot", None)

    nums = root.ParentTree.Nums
    for n, page in enumerate(doc.pages):
        key = int(page.get("/StructParents", -1))  # none on an annex's (untagged) pages
        for i in range(0, len(nums), 2):
            if int(nums[i]) == key:
                for mcid, ref in enumerate(nums[i + 1]):
                    if ref is not None:
                        tagged.parent_tree[(n, mcid)] = ref

        stack, shown = [], []
        for instruction in pikepdf.parse_content_stream(page):
            operator = str(instruction.operator)
            if operator == "BDC":
                tag, properties = instruction.operands
                if str(tag) == "/Artifact":
                    stack.append(("Artifact",))
                elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    stack.append(("MCID", int(properties.MCID)))
                else:
                    stack.append((str(tag),))
            elif operator == "BMC":
                stack.append(("Artifact",) if str(instruction.operands[0]) == "/Artifact"
                             else (str(instruction.operands[0]),))
            elif operator == "EMC":
                stack.pop()
            elif operator in TEXT_SHOWING:
                shown.append(tuple(reversed(stack)))
        tagged.shown.append(shown)
    return tagged


def parent_tree_mismatches(tagged):
    """The (page, MCID) pairs where the ParentTree and the tree walked from the root differ:
    an entry for content no reached element holds, or naming another element."""
    keys = set(tagged.reached) | set(tagged.parent_tree)
    return sorted(key for key in keys if key not in tagged.reached
                  or key not in tagged.parent_tree
                  or tagged.parent_tree[key].objgen != tagged.reached[key].objgen)


def unreached_text(tagged):
    """The text-showing operators (page, marked content) neither reached nor an artifact."""
    lost = []
    for n, shown in enumerate(tagged.shown):
        for context in shown:
            if any(m == ("Artifact",) for m in context):
                continue
            mcid = next((m[1] for m in context if m[0] == "MCID"), None)
            if mcid is None or (n, mcid) not in tagged.reached:
                lost.append((n, context))
    return lost


def artifact_text(pdf):
    """Per page, the text pdfplumber reads inside artifacts, and the rest, as line lists."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            artifacts = page.filter(lambda o: o.get("object_type") != "char"
                                    or o.get("tag") == "Artifact")
            content = page.filter(lambda o: o.get("object_type") != "char"
                                  or o.get("tag") != "Artifact")
            pages.append(([line["text"] for line in artifacts.extract_text_lines()],
                          [line["text"] for line in content.extract_text_lines()]))
    return pages
