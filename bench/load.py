"""Bench: 50 connections on the pages delegations load most, in `make serve`'s posture.

Run from the project root:  .venv/bin/python bench/load.py
It creates a fresh PostgreSQL database (BENCH_DATABASE, default ign_bench_load, on the server
BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432; dropped at the end), migrates it
and loads the 71st session with its issued letters, starts a Redis of its own as the shared
cache and the portal as `make serve` runs it: nginx in front of gunicorn's threaded workers
(BENCH_WORKERS processes, default 3, as WEB_CONCURRENCY, of BENCH_THREADS threads, 4, as
THREADS; BENCH_GUNICORN_ARGS adds options; DEBUG off, WhiteNoise) on a spare port
(BENCH_DIRECT=1: gunicorn alone, sync workers, as before nginx), then runs wrk with 50
connections (BENCH_CONNECTIONS) for BENCH_SECONDS (10) on each of `/`, `/meetings/`, the
PGA's issued PDF and `/meetings/calendar.ics`, and prints requests per second, p50 and p99
latency, and errors (socket errors and non-2xx answers; goal: 0). Nothing is asserted.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import AppServer, ProxiedServer, RedisServer, manage, project_env  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE = os.environ.get("BENCH_DATABASE", "ign_bench_load")
WORKERS = os.environ.get("BENCH_WORKERS", "3")
THREADS = os.environ.get("BENCH_THREADS", "4")
DIRECT = os.environ.get("BENCH_DIRECT") == "1"
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "50")
SECONDS = os.environ.get("BENCH_SECONDS", "10")
PGA_PDF = "/letters/2017-01-12-pga-resumption-of-the-ign.pdf"
PATHS = ["/", "/meetings/", PGA_PDF, "/meetings/calendar.ics"]


def postgres(program, *args):
    """createdb or dropdb on the benchmark's server (its URL given as the maintenance db)."""
    subprocess.run([program, f"--maintenance-db={POSTGRES}/postgres", *args], check=True,
                   capture_output=True, text=True)


def run_wrk(url):
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return rps, p50, p99, requests, errors


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    work = Path(tempfile.mkdtemp(prefix="ign-bench-"))
    postgres("dropdb", "--if-exists", "--force", DATABASE)
    postgres("createdb", DATABASE)
    redis = server = None
    try:
        redis = RedisServer()
        env = project_env(DATABASE_URL=f"{POSTGRES}/{DATABASE}", CACHE_URL=redis.url,
                          DJANGO_DEBUG=0, DJANGO_SECURE_COOKIES=0, DJANGO_HSTS_SECONDS=0,
                          STATIC_ROOT=work / "static", LOG_LEVEL="WARNING")
        for command in (("migrate", "--noinput"), ("create_groups",), ("load_ign71",),
                        ("collectstatic", "--noinput", "--verbosity", "0")):
            manage(*command, env=env)
        extra = shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
        if DIRECT:
            server = AppServer(env, "--workers", WORKERS, *extra)
            serving = f"gunicorn alone: {WORKERS} sync workers"
        else:
            server = ProxiedServer(env, *extra, workers=int(WORKERS), threads=int(THREADS))
            serving = f"nginx + gunicorn: {WORKERS} x {THREADS} threads"
        print(f"{serving} {' '.join(extra)}; "
              f"PostgreSQL {POSTGRES}/{DATABASE}; Redis of its own; wrk -c{CONNECTIONS} "
              f"-d{SECONDS}s")
        total_errors = 0
        for path in PATHS:
            for _ in range(2):  # the second answer comes from the page cache
                with urllib.request.urlopen(server.url + path, timeout=60) as response:  # noqa: S310
                    size, state = len(response.read()), response.headers.get("X-Cache")
            rps, p50, p99, requests, errors = run_wrk(server.url + path)
            total_errors += errors
            print(f"{path:48} {rps:8.0f} req/s  p50 {p50:>8}  p99 {p99:>8}  "
                  f"{requests:7d} requests  errors {errors}  ({size} bytes, X-Cache {state})")
        print(f"errors in all: {total_errors} (goal 0)")
    finally:
        if server is not None:
            server.stop()
        if redis is not None:
            redis.stop()
        postgres("dropdb", "--if-exists", "--force", DATABASE)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
