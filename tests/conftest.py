"""Fixtures shared by every test."""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def seeded(db):
    """The 71st session as `load_ign71` loads it."""
    from portal.seed import load_ign71

    return load_ign71()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-123456")


@pytest.fixture
def admin_client(client, superuser):
    """Signed in as the admin would be by the login page: session and signed-in marker."""
    from django.http import HttpResponse

    from common.cache import set_signed_in_marker

    client.force_login(superuser)
    marker = HttpResponse()
    set_signed_in_marker(marker)
    client.cookies.update(marker.cookies)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, so that worker subprocesses can open it too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (setting up data) happen outside it, between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: browser tests must run in CI.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
