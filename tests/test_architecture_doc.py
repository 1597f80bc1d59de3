"""docs/architecture.md names real code: every dotted name in its table resolves."""

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
APPS = ("correspondence", "sessions", "clusters", "common", "portal", "ign_portal")
DOTTED = re.compile(r"`((?:" + "|".join(APPS) + r")(?:\.\w+)+)`")


def resolve(dotted):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ImportError(dotted)


NAMES = sorted({name for name in DOTTED.findall(DOC.read_text(encoding="utf-8"))
                if not name.endswith(".py")})  # file names, as `sessions.py`


def test_the_document_names_code():
    assert len(NAMES) > 30


@pytest.mark.parametrize("dotted", NAMES)
def test_every_dotted_name_resolves(dotted):
    assert resolve(dotted) is not None
