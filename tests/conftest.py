"""Fixtures shared by every test."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def seeded(db):
    """The 71st session as `load_ign71` loads it."""
    from sessions.seed import load_session_71

    return load_session_71()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-123456")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
