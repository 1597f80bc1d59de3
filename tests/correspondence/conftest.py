"""Fixtures of the letters' tests."""

import pytest

from correspondence.models import Letter
from correspondence.seed import CO_CHAIRS_SLUG, PGA_SLUG


@pytest.fixture
def pga_letter(seeded):
    return Letter.objects.get(slug=PGA_SLUG)


@pytest.fixture
def co_chairs_letter(seeded):
    return Letter.objects.get(slug=CO_CHAIRS_SLUG)


@pytest.fixture(autouse=True)
def _forget_stored_pdfs():
    """Each test has its own database: forget the bytes another test's letters served."""
    from correspondence import services

    services._STORED_PDFS.clear()
    yield
    services._STORED_PDFS.clear()
