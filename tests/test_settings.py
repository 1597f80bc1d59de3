"""Configuration mistakes stop the process at start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_KEY = "k3y-" + "a1B2c3D4e5" * 6
IN_MEMORY = "sqlite://:memory:"


def run_check(**env):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_URL"))}
    # No .env: the environment alone; an in-memory database, so that checks running at once
    # (the JSON field check opens the database) never meet on the checkout's db.sqlite3.
    environment.update({"IGN_ENV_FILE": "", "DATABASE_URL": IN_MEMORY, **env})
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("env", "message"), [
    ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY is not set"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "nosuchdb://whatever"},
     "DATABASE_URL must start with postgres://"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "garbage"},
     "DATABASE_URL must start with postgres://"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "EMAIL_URL": "smtp://mail.example.org:notaport"},
     "EMAIL_URL is malformed"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@h:notaport/db"},
     "DATABASE_URL is malformed"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_QUERY_DEADLINE": "soon"},
     "a DATABASE_ timeout is not a number"),
])
def test_bad_configuration_stops_with_one_clear_line(env, message):
    result = run_check(**env)

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        next(line for line in result.stderr.splitlines() if message in line)
    ]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
             "DJANGO_SECRET_KEY": PROD_KEY, "DJANGO_ALLOWED_HOSTS": "ign.example.org",
             "EMAIL_URL": "smtp://mail.example.org:587/?tls=True", "IGN_ENV_FILE": "",
             "DATABASE_URL": IN_MEMORY},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_console_mail_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
             "DJANGO_SECRET_KEY": PROD_KEY, "DJANGO_ALLOWED_HOSTS": "ign.example.org",
             "IGN_ENV_FILE": "", "DATABASE_URL": IN_MEMORY},
    )
    assert result.returncode == 1
    assert "mail.E001" in result.stderr
