"""Bench: `/` with a made-up session cookie against `/` without, both from the page cache.

Run from the project root:  .venv/bin/python bench/forged_cookie.py
It builds a throw-away SQLite database with the 71st session, starts a redis-server of its own
on a spare port (never the machine's) and gunicorn alone (3 sync workers unless BENCH_WORKERS
says otherwise, DEBUG off, WhiteNoise, collected static files: the page cache, not the server in
front of it, is what is measured), then runs wrk -c4
against `/` plain and `/` with `Cookie: sessionid=<made up>`, in alternating rounds
(BENCH_ROUNDS, BENCH_SECONDS). Only the signed marker set at staff sign-in skips the cache: a
made-up session cookie must cost nothing (goal: >= 0.8x the plain rate). Figures and ratios are
printed; nothing is asserted.
"""

import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import AppServer, RedisServer, manage, project_env  # noqa: E402

WORKERS = os.environ.get("BENCH_WORKERS", "3")  # make serve: WEB_CONCURRENCY, default 3
WRK = ["wrk", "-t2", f"-c{os.environ.get('BENCH_CONNECTIONS', '4')}",
       f"-d{os.environ.get('BENCH_SECONDS', '8')}s", "--latency"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# What a visitor could make up: a session key of the right shape that no session has.
FORGED = f"sessionid={secrets.token_hex(16)}"


def run_wrk(url, *headers):
    extra = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run([*WRK, *extra, url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return rps, p50, p99, errors


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    work = Path(tempfile.mkdtemp(prefix="ign-bench-"))
    redis = RedisServer()
    env = project_env(DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}", CACHE_URL=redis.url,
                      STATIC_ROOT=work / "static", LOG_LEVEL="WARNING",
                      DJANGO_SECURE_COOKIES="0", DJANGO_HSTS_SECONDS="0")
    server = None
    try:
        for command in (["migrate", "--noinput"], ["load_ign71"],
                        ["collectstatic", "--noinput"]):
            manage(*command, "--verbosity", "0", env=env)
        server = AppServer(env, "--workers", WORKERS, "--log-level", "warning")
        print(f"database: sqlite, cache: a redis-server of its own ({redis.url}), "
              f"gunicorn workers: {WORKERS}, made-up cookie: {FORGED.split('=')[0]}=<32 hex>")
        for label, headers in [("plain", {}), ("made-up cookie", {"Cookie": FORGED})]:
            server.get("/", headers=headers)
            status, answer, _body = server.get("/", headers=headers)
            print(f"GET / {label:15} before the rounds: {status}, X-Cache "
                  f"{answer.get('X-Cache')}")
        # Alternating rounds, so that a burst of other load on the machine hits both sides.
        ratios = []
        for round_number in range(1, ROUNDS + 1):
            plain = run_wrk(server.url + "/")
            forged = run_wrk(server.url + "/", f"Cookie: {FORGED}")
            for label, (rps, p50, p99, errors) in [("plain", plain), ("made-up cookie", forged)]:
                print(f"round {round_number} {label:15} {rps:8.0f} req/s  p50 {p50:>8}  "
                      f"p99 {p99:>8}  errors {errors}")
            ratios.append(forged[0] / plain[0])
        print(f"ratio made-up cookie : plain per round = "
              f"{', '.join(f'{r:.2f}x' for r in ratios)}; median "
              f"{statistics.median(ratios):.2f}x (goal >= 0.8x)")
    finally:
        if server is not None:
            server.stop()
        redis.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
