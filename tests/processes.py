"""Real services for fault and scale-out tests: a Redis, a PostgreSQL cluster and app servers
of our own, on spare loopback ports, started by the test and stopped after it.

The machine's shared PostgreSQL (5432) and Redis (6379) are never stopped, frozen or filled:
a test that needs a dependency to fail starts its own here.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from ign_portal.serving import write_config

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    """A TCP port nobody listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, *, timeout=30, process=None):
    """Until something accepts connections on the port (or the process died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port} after {timeout} s")


class RedisServer:
    """``redis-server`` on a spare port, keeping nothing on disk. ``stop``/``start`` it,
    ``freeze``/``thaw`` it (SIGSTOP/SIGCONT), or ``fill`` it (``maxmemory`` with noeviction)."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, process=self.process)

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def fill(self):
        """Full: every write that needs memory is refused (OOM), reads still answer."""
        self.cli("config", "set", "maxmemory-policy", "noeviction")
        self.cli("config", "set", "maxmemory", "1")

    def empty(self):
        self.cli("config", "set", "maxmemory", "0")


def _postgres_bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(
        f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"{name} (PostgreSQL's server tools) is not installed")
    return found


class PostgresCluster:
    """A PostgreSQL cluster of our own (``initdb`` in a temporary directory, trust on
    loopback) on a spare port; run as the ``postgres`` user when the tests run as root.
    ``stop``/``start`` it, ``freeze``/``thaw`` every one of its processes."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="ign-pg-"))
        self.data = self.directory / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(_postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U",
                  "postgres", "--no-sync", "-E", "UTF8", "--locale", "C")
        self.start()

    def _run(self, *command, check=True):
        if self.as_root:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              check=check)

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-l",
                  str(self.directory / "log"), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                  "start")

    def stop(self, mode="fast"):
        self.thaw()
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)

    def pids(self):
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return []
        postmaster = int(pid_file.read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True,
                                  text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self):
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self):
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def createdb(self, name):
        self._run(_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                  "postgres", name)
        return self.url(name)

    def remove(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def project_env(**settings):
    """The environment of a project process: production posture over plain HTTP, no settings
    file, and the given settings (DATABASE_URL=..., CACHE_URL=..., ...)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "EMAIL_", "IGN_"))}
    env.update(IGN_ENV_FILE="", DJANGO_SECRET_KEY="test-only-secret-key-not-for-any-deployment",
               DJANGO_SECURE_SSL_REDIRECT="0", PYTHONUNBUFFERED="1")
    env.update({k: str(v) for k, v in settings.items()})
    return env


def manage(*args, env, timeout=300, check=True):
    """``manage.py`` in a subprocess with that environment."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=check)


class AppServer:
    """The portal under gunicorn, as ``make serve`` runs it, on a spare port.

    ``args`` are extra gunicorn arguments; the log is kept in a temporary file (``log()``)."""

    def __init__(self, env, *args, port=None):
        self.port = port or free_port()
        self.log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="ign-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "ign_portal.wsgi", "--bind",
             f"127.0.0.1:{self.port}", "--no-control-socket", *args],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            wait_for_port(self.port, timeout=60, process=self.process)
        except Exception:
            self.stop()
            raise RuntimeError(self.log()) from None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, *, timeout=10, headers=None):
        """(status, headers, body) of a GET; errors are answers too."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log(self):
        return Path(self.log_file.name).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log_file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log_file.name)


class ScratchDatabase:
    """A fresh database on the PostgreSQL server the tests run on (the settings' database),
    named after the project's database and a suffix (``ign_scaleout`` beside ``ign``), for
    tests that need a whole deployment's database outside pytest-django's transactions.
    ``build()`` migrates it and loads the 71st session; ``drop()`` removes it."""

    def __init__(self, suffix):
        from django.conf import settings

        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("postgresql"):
            raise RuntimeError("ScratchDatabase needs the tests to run on PostgreSQL")
        self.name = f"{database['NAME'].removeprefix('test_')}_{suffix}"
        self.host = database.get("HOST") or "127.0.0.1"
        self.port = str(database.get("PORT") or 5432)
        self.user = database.get("USER") or "postgres"
        self.password = database.get("PASSWORD") or ""
        self.drop()
        self.client("createdb", self.name)

    @property
    def url(self):
        password = f":{self.password}" if self.password else ""
        return f"postgres://{self.user}{password}@{self.host}:{self.port}/{self.name}"

    def client(self, program, *args, check=True, timeout=300):
        """One of PostgreSQL's client programs (createdb, pg_dump, ...) against the server."""
        env = {**os.environ, "PGPASSWORD": self.password} if self.password else None
        return subprocess.run([program, "-h", self.host, "-p", self.port, "-U", self.user,
                               *args], env=env, capture_output=True, text=True,
                              timeout=timeout, check=check)

    def build(self, env):
        """Migrate, create the Secretariat's groups and load the 71st session (its letters
        issued), as ``make run`` does."""
        for command in (("migrate", "--noinput"), ("create_groups",), ("load_ign71",)):
            manage(*command, env=env)

    def drop(self):
        self.client("dropdb", "--if-exists", "--force", self.name)


class ProxiedServer(AppServer):
    """The portal as ``make serve`` runs it, on a spare port: nginx, configured by
    ``ign_portal.serving``, in front of gunicorn's threaded workers on a Unix socket in a
    private runtime directory (removed in ``stop``). ``args`` are extra gunicorn arguments;
    ``log()`` is gunicorn's log, ``access_log()`` and ``nginx_log()`` nginx's."""

    def __init__(self, env, *args, workers=3, threads=4):  # its own start, not AppServer's
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(nginx, os.X_OK):
            raise RuntimeError("nginx is not installed (apt-get install nginx)")
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="ign-serve-"))
        config = write_config(self.directory, self.port,
                              access_log=self.directory / "access.log")
        socket_path = self.directory / "gunicorn.sock"
        self.log_file = open(self.directory / "gunicorn.log", "w")  # noqa: SIM115 - stop()
        self.nginx_log_file = open(self.directory / "nginx.log", "w")  # noqa: SIM115 - stop()
        # The arguments of `make serve` (Makefile).
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "ign_portal.wsgi", "--bind",
             f"unix:{socket_path}", "--worker-class", "gthread", "--workers", str(workers),
             "--threads", str(threads), "--timeout", "30", "--graceful-timeout", "20",
             "--control-socket", str(self.directory / "gunicorn.ctl"), *args],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.nginx = None
        try:
            deadline = time.monotonic() + 60
            while not socket_path.exists():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start")
                time.sleep(0.05)
            self.nginx = subprocess.Popen(
                [nginx, "-e", "stderr", "-p", str(self.directory), "-c", str(config)],
                cwd=self.directory, stdout=self.nginx_log_file, stderr=subprocess.STDOUT,
                start_new_session=True)
            wait_for_port(self.port, timeout=30, process=self.nginx)
        except Exception:
            log = self.log() + self.nginx_log()
            self.stop()
            raise RuntimeError(log) from None

    def nginx_log(self):
        return (self.directory / "nginx.log").read_text(errors="replace")

    def access_log(self):
        return (self.directory / "access.log").read_text(errors="replace")

    def log(self):
        return (self.directory / "gunicorn.log").read_text(errors="replace")

    def stop(self):
        for process in (self.nginx, self.process):
            if process is None or process.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.log_file.close()
        self.nginx_log_file.close()
        shutil.rmtree(self.directory, ignore_errors=True)
