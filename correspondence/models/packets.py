"""Packets: which letters a letter's PDF prints, and which of them have been superseded.

`letters.py` calls this module lazily; it looks the models up by name rather than import
them, so that the two modules do not import each other.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef

# What a notice shows of a letter: its address, subject and number, never its text.
NOTICE_FIELDS = ("slug", "subject", "status", "corrects_id", "correction_number", "updated_at",
                 "language", "version_of_id")


@dataclass(frozen=True)
class SupersededEnclosure:
    """A letter printed in a packet that a correction has superseded.

    `within` is the letter of the packet that encloses it, None when the packet's own cover
    letter does; `correction` is the correction that is current now (None only if there is
    no issued one, which issuing a correction never leaves).
    """

    letter: object
    correction: object
    within: object

    @property
    def updated_at(self):
        return self.letter.updated_at


def attach_enclosure_notices(letters):
    """Set `superseded_enclosures` on each of `letters` (see that property), in a few queries.

    The enclosure tree is walked one level per query, for all the letters at once (as
    `correspondence.pdf.sheets_of` walks one packet: the letters its PDF prints, each once),
    then one query reads the current corrections of the superseded letters found.
    Queries: one per level of nesting (a level whose letters enclose no letter costs none),
    plus one when a superseded letter is found; never one per letter, and none when the
    letters come from `Letter.objects.with_enclosure_notices()` and none of them needs it.
    """
    letter_model = apps.get_model("correspondence", "Letter")
    enclosure_model = apps.get_model("correspondence", "Enclosure")
    letters = list(letters)
    # Rows of `with_enclosure_notices()` say whether their packet may hold a superseded
    # letter; any other letter is walked.
    walked = [letter for letter in letters if getattr(letter, "packet_superseded", True)
              or getattr(letter, "packet_nested", True)]
    children = {}  # letter id -> [enclosed letter id], in the order of the enclosures
    found = {}  # letter id -> the enclosed letter (only the fields of NOTICE_FIELDS)
    frontier, visited = {letter.pk for letter in walked}, set()
    while frontier:
        visited |= frontier
        rows = (
            enclosure_model.objects.filter(letter_id__in=frontier, enclosed_letter__isnull=False)
            .select_related("enclosed_letter")
            .only("letter_id", "position", *(f"enclosed_letter__{f}" for f in NOTICE_FIELDS))
            .annotate(encloses=Exists(enclosure_model.objects.filter(
                letter_id=OuterRef("enclosed_letter_id"), enclosed_letter__isnull=False)))
            .order_by("letter_id", "position")
        )
        frontier = set()
        for row in rows:
            children.setdefault(row.letter_id, []).append(row.enclosed_letter_id)
            found[row.enclosed_letter_id] = row.enclosed_letter
            if row.encloses and row.enclosed_letter_id not in visited:
                frontier.add(row.enclosed_letter_id)
    superseded = [item for item in found.values()
                  if item.status == letter_model.Status.SUPERSEDED]
    current = {}
    if superseded:
        roots = {item.chain_id for item in superseded}
        for correction in (letter_model.objects.filter(corrects_id__in=roots,
                                                 status=letter_model.Status.ISSUED)
                           .only(*NOTICE_FIELDS).order_by("correction_number")):
            # The highest number in each language wins: a correction supersedes its own
            # language's versions only.
            current[correction.corrects_id, correction.language] = correction
    for letter in letters:
        letter.superseded_enclosures = _superseded_in(letter.pk, children, found, current)
    return letters


def _superseded_in(letter_id, children, found, current):
    """The superseded letters of one packet, in the order its PDF prints them."""
    notices, seen, stack = [], {letter_id}, [(child, None) for child in
                                             reversed(children.get(letter_id, ()))]
    while stack:
        child_id, within = stack.pop()
        if child_id in seen:
            continue
        seen.add(child_id)
        child = found[child_id]
        if child.status == child.Status.SUPERSEDED:
            notices.append(SupersededEnclosure(
                letter=child, correction=current.get((child.chain_id, child.language)),
                within=within))
        stack.extend((grandchild, child) for grandchild in reversed(children.get(child_id, ())))
    return notices
