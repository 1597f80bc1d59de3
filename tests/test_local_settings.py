"""One settings file for every process: `make run` writes .env once, SITE_URL follows PORT,
and the server, its task worker and a command in another terminal see the same settings.

Each test works in a copy of the project (no .env, no database), with a new terminal's
environment (no DJANGO_*, DATABASE_URL, EMAIL_URL, PORT or IGN_ENV_FILE), and this virtual
environment standing for the project's .venv.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)
CLEAN = ("DJANGO_", "DATABASE_URL", "EMAIL_URL", "SITE_URL", "CACHE_URL", "IGN_", "PORT",
         "MAKE", "MFLAGS")


def terminal():
    """A new terminal's environment."""
    return {k: v for k, v in os.environ.items() if not k.startswith(CLEAN)}


@pytest.fixture
def project(tmp_path):
    """A copy of the project without .env, database or collected files."""
    copy = tmp_path / "ign"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "staticfiles", "media", "db.sqlite3*", ".env", ".env.serve",
        "__pycache__", ".pytest_cache", ".ruff_cache", "bench", "tests"))
    return copy


def make(project, *args, env=None, timeout=120):
    """`make <args>` in `project`; whatever it started is killed if it outlives `timeout`."""
    # The shared virtual environment is installed: never let make reinstall it.
    command = ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", *args]
    process = subprocess.Popen(command, cwd=project, env={**terminal(), **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def manage(project, *args, env=None):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=project,
                          env={**terminal(), **(env or {})}, capture_output=True, text=True,
                          timeout=120)


def settings_seen(project, env=None):
    result = manage(project, "shell", "-c", "from django.conf import settings as s; "
                    "print(s.DEBUG, s.SITE_URL, s.DATABASES['default']['NAME'], "
                    "s.MAILERS['default']['BACKEND'], s.SECRET_KEY[:4])", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def env_values(project, name=".env"):
    lines = (project / name).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_make_run_writes_env_once_and_says_so(project):
    first = make(project, "env")
    assert first.returncode == 0, first.stderr
    assert "Writing .env: development (DEBUG on), SQLite" in first.stderr
    written = (project / ".env").read_text()
    values = env_values(project)
    assert values["DJANGO_DEBUG"] == "1"
    assert values["DJANGO_SECRET_KEY"].startswith("dev-")
    assert len(values["DJANGO_SECRET_KEY"]) > 50
    assert values["DATABASE_URL"] == "sqlite:///db.sqlite3"
    assert "EMAIL_URL" not in values  # console e-mail
    assert values["SITE_URL"] == "http://127.0.0.1:8000"
    assert (project / ".env").stat().st_mode & 0o077 == 0

    again = make(project, "env")
    assert again.returncode == 0, again.stderr
    assert "Writing" not in again.stderr
    assert "Settings from .env: development (DEBUG on)" in again.stderr
    assert (project / ".env").read_text() == written


def test_a_second_terminal_command_runs_with_the_env_make_run_wrote(project):
    """Seen: `.venv/bin/python manage.py ...` stopped with "DJANGO_SECRET_KEY is not set",
    since make run set DJANGO_DEBUG=1 for itself only."""
    assert make(project, "env").returncode == 0
    check = manage(project, "check")
    assert check.returncode == 0, check.stderr
    seen = settings_seen(project)
    assert seen == (f"True http://127.0.0.1:8000 {project / 'db.sqlite3'} "
                    "django.core.mail.backends.console.EmailBackend dev-")


def test_site_url_follows_port(project):
    """Seen: `PORT=18300 make run` left SITE_URL at port 8000."""
    assert make(project, "env").returncode == 0
    moved = make(project, "env", env={"PORT": "18300"})
    assert moved.returncode == 0, moved.stderr
    assert ".env now records PORT=18300 (was 8000), SITE_URL=http://127.0.0.1:18300" in moved.stderr
    assert env_values(project)["SITE_URL"] == "http://127.0.0.1:18300"
    assert settings_seen(project).split()[1] == "http://127.0.0.1:18300"
    # Without PORT, make run serves on 8000 again, and says so.
    back = make(project, "env")
    assert "PORT=8000 (was 18300)" in back.stderr
    assert settings_seen(project).split()[1] == "http://127.0.0.1:8000"
    # A SITE_URL set by hand is kept.
    text = (project / ".env").read_text().replace("http://127.0.0.1:8000", "https://ign.test")
    (project / ".env").write_text(text)
    kept = make(project, "env", env={"PORT": "18301"})
    assert "SITE_URL=https://ign.test was set by hand" in kept.stderr
    assert settings_seen(project).split()[1] == "https://ign.test"


def test_a_production_env_is_refused_not_served_in_development(project):
    """A .env that is not a development one (e.g. a secret key alone, as `make serve` wrote
    it) is left alone, and make run stops with one line rather than serve it."""
    (project / ".env").write_text("DJANGO_SECRET_KEY=" + "k" * 50 + "\n")
    result = make(project, "run", f"PORT={free_port()}", timeout=60)
    assert result.returncode != 0
    assert ".env sets DJANGO_DEBUG=(unset: off), not the development settings" in result.stderr
    assert (project / ".env").read_text() == "DJANGO_SECRET_KEY=" + "k" * 50 + "\n"
    assert not (project / "db.sqlite3").exists()


def test_the_tests_and_make_serve_settings_never_read_env(project):
    assert make(project, "env").returncode == 0
    # IGN_ENV_FILE empty: no file (make test), so production posture and its one-line stop.
    result = manage(project, "check", env={"IGN_ENV_FILE": ""})
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    missing = manage(project, "check", env={"IGN_ENV_FILE": ".env.serve"})
    assert missing.returncode == 2
    assert "IGN_ENV_FILE names" in missing.stderr and "does not exist" in missing.stderr


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environ_of(pid):
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def pythons(processes, command):
    """The Python processes running `manage.py <command>` (not the shell that started them)."""
    return [pid for pid, argv in processes.items()
            if b"python" in argv.split()[0] and f"manage.py {command}".encode() in argv]


def group_processes(pgid):
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if os.getpgid(int(proc.name)) == pgid and state != "Z":  # zombies are gone
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ProcessLookupError):
            continue
    return found


@pytest.mark.timeout(600)
def test_make_run_its_worker_and_a_second_terminal_see_the_same_settings(project):
    port = free_port()
    log = open(project / "run.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", "run"],
        cwd=project, env={**terminal(), "PORT": str(port)}, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline:
            assert server.poll() is None, (project / "run.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/meetings/calendar.ics",
                                            timeout=5) as response:
                    calendar = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail((project / "run.log").read_text())
        # The calendar's links name the port served.
        assert f"URL:http://127.0.0.1:{port}/meetings/" in calendar

        processes = group_processes(server.pid)
        workers = pythons(processes, "task_worker")
        runservers = pythons(processes, "runserver")
        assert workers and runservers, processes
        # What each process reads: its environment over .env. Each process's view, rebuilt
        # from its exact environment, is the second terminal's.
        terminal_view = settings_seen(project)
        assert terminal_view.split()[:2] == ["True", f"http://127.0.0.1:{port}"]
        for pid in (*workers, *runservers):
            view = environ_of(pid)
            assert view["IGN_ENV_FILE"] == ".env"
            assert settings_seen(project, env={
                k: v for k, v in view.items() if k.startswith(CLEAN)}) == terminal_view
        assert "Writing .env" in (project / "run.log").read_text()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
        log.close()
    for _ in range(20):
        if not group_processes(server.pid):
            break
        time.sleep(0.5)
    assert not group_processes(server.pid), "the worker outlived make run"


def serve_until_ready(project, target, port, path="/"):
    """Start `make <target>` on `port` in its own process group; return (Popen, body of path)."""
    log = open(project / f"{target}.log", "w")  # noqa: SIM115 - closed by the caller's stop
    server = subprocess.Popen(
        ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.installed", target],
        cwd=project, env={**terminal(), "PORT": str(port)}, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 420
    while time.monotonic() < deadline:
        assert server.poll() is None, (project / f"{target}.log").read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return server, response.read().decode()
        except OSError:
            time.sleep(1)
    os.killpg(server.pid, signal.SIGKILL)
    pytest.fail((project / f"{target}.log").read_text())


def stop(server):
    """Ctrl-C, as in the terminal; then nothing of the group may be left."""
    os.killpg(server.pid, signal.SIGINT)
    server.wait(timeout=60)
    for _ in range(20):
        if not group_processes(server.pid):
            return
        time.sleep(0.5)
    left = group_processes(server.pid)
    os.killpg(server.pid, signal.SIGKILL)
    pytest.fail(f"left running after Ctrl-C: {left}")


@pytest.mark.timeout(600)
def test_make_serve_keeps_its_own_settings_and_starts_a_worker(project):
    """Seen: after `make serve` had written .env, commands silently ran in production posture;
    `make serve` started no task worker."""
    assert make(project, "env").returncode == 0
    development = (project / ".env").read_text()
    port = free_port()
    server, calendar = serve_until_ready(project, "serve", port, "/meetings/calendar.ics")
    try:
        assert f"URL:http://127.0.0.1:{port}/meetings/" in calendar
        processes = group_processes(server.pid)
        workers = pythons(processes, "task_worker")
        assert workers, processes
        assert environ_of(workers[0])["IGN_ENV_FILE"] == ".env.serve"
        served = env_values(project, ".env.serve")
        assert served["DJANGO_DEBUG"] == "0"
        assert not served["DJANGO_SECRET_KEY"].startswith("dev-")
        assert served["SITE_URL"] == f"http://127.0.0.1:{port}"
        # .env is untouched; a command in another terminal is still in development ...
        assert (project / ".env").read_text() == development
        assert settings_seen(project).startswith("True http://127.0.0.1:8000 ")
        # ... unless it names make serve's settings.
        seen = settings_seen(project, env={"IGN_ENV_FILE": ".env.serve"})
        # Its own database: its worker never takes make run's tasks.
        assert seen.startswith(f"False http://127.0.0.1:{port} {project / 'db.serve.sqlite3'} ")
        assert "Settings from .env.serve: production posture (DEBUG off)" in (
            project / "serve.log").read_text()
    finally:
        stop(server)
