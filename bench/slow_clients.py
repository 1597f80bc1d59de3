"""Bench: how long `GET /` takes beside clients that send part of a header and wait.

Run from the project root:  .venv/bin/python bench/slow_clients.py
It migrates a throw-away SQLite database (with a file cache the processes share) and serves
it three ways, on spare ports: as `make serve` does (nginx in front of gunicorn's threaded
workers, 3 x 4 threads, tests.processes.ProxiedServer), gunicorn's threaded workers alone
(3 x 4), and the former `make serve` (3 sync workers alone). Beside 0, 3, 20 and 200 slow
clients (BENCH_SLOW), it times BENCH_REQUESTS sequential `GET /` (each given up after
BENCH_TIMEOUT s) and prints the median and the slowest; then one POST whose body stops short
of its Content-Length: what came back, and after how long. Figures only; nothing is asserted
(the tests assert < 1 s).
"""

import os
import socket
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import AppServer, ProxiedServer, manage, project_env  # noqa: E402

SLOW = [int(n) for n in os.environ.get("BENCH_SLOW", "0,3,20,200").split(",")]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "3"))


def get_seconds(port):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=TIMEOUT) as response:
            response.read()
    except (OSError, urllib.error.URLError):
        return None
    return time.monotonic() - started


def slow_clients(port, count):
    connections = []
    for number in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=10)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-%d: " % number)
        connections.append(connection)
    return connections


def short_body(port):
    """(first bytes of the answer, or 'closed, no answer'; seconds)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/letters/verify/") as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    started = time.monotonic()
    connection.sendall(
        b"POST /letters/verify/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        b"application/x-www-form-urlencoded\r\nContent-Length: 100\r\nCookie: "
        + cookie.encode() + b"\r\n\r\nabc")
    try:
        data = connection.recv(64)
    except TimeoutError:
        data = None
    except ConnectionResetError:
        data = b""
    seconds = time.monotonic() - started
    connection.close()
    if data is None:
        return "no answer in 60 s", seconds
    return (data.split(b"\r\n")[0].decode() if data else "closed, no answer"), seconds


def figures(seconds):
    answered = [s for s in seconds if s is not None]
    if len(answered) < len(seconds):
        return f"{len(seconds) - len(answered)}/{len(seconds)} gave up after {TIMEOUT:g} s"
    return f"median {statistics.median(answered) * 1000:7.1f} ms, slowest " \
           f"{max(answered) * 1000:7.1f} ms"


def main():
    work = Path(tempfile.mkdtemp(prefix="ign-bench-slow-"))
    env = project_env(DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
                      CACHE_URL=f"filecache://{work / 'cache'}", LOG_LEVEL="ERROR")
    manage("migrate", "--noinput", env=env)
    setups = [
        ("make serve: nginx + gthread 3x4", lambda: ProxiedServer(env)),
        ("gthread 3x4 alone", lambda: AppServer(env, "--worker-class", "gthread",
                                                "--workers", "3", "--threads", "4")),
        ("sync x3 alone (former make serve)", lambda: AppServer(env, "--workers", "3")),
    ]
    for name, start in setups:
        server = start()
        try:
            for _ in range(30):  # rendered, and each process past its first request
                get_seconds(server.port)
            print(f"\n{name}")
            for count in SLOW:
                slow = slow_clients(server.port, count)
                time.sleep(0.5)
                seconds = [get_seconds(server.port) for _ in range(REQUESTS)]
                print(f"  {count:4d} slow clients: GET / {figures(seconds)}")
                for connection in slow:
                    connection.close()
                time.sleep(1)  # the workers they held are free again
            answer, seconds = short_body(server.port)
            print(f"  body 3 of 100 bytes: {answer} after {seconds:.1f} s")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
