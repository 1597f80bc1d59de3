"""Fixtures of these tests."""

from tests.portal.fixtures import letters_71  # noqa: F401
