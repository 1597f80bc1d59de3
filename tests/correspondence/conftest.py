"""Fixtures of the letters' tests."""

import pytest

from correspondence.models import Letter
from correspondence.seed import CO_CHAIRS_SLUG, PGA_SLUG


@pytest.fixture
def pga_letter(seeded):
    return Letter.objects.originals().get(slug=PGA_SLUG)


@pytest.fixture
def co_chairs_letter(seeded):
    return Letter.objects.originals().get(slug=CO_CHAIRS_SLUG)
