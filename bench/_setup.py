"""Shared set-up of the letter benchmarks: a throw-away SQLite database with the seed loaded."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_with_seed():
    """Configure Django on a fresh temporary database, load the 71st session; return its path."""
    workdir = Path(tempfile.mkdtemp(prefix="ign-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ign_portal.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_ign71", verbosity=0)
    return workdir
