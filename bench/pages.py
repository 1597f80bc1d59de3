"""Bench: /meetings/ against the same bytes as a static file, and the 2,000-meeting calendar.

Run from the project root:  .venv/bin/python bench/pages.py
It builds a throw-away SQLite database (or uses BENCH_DATABASE_URL) with the 71st session and
2,000 more meetings, serves it with gunicorn as `make serve` does (3 sync workers unless
BENCH_WORKERS says otherwise, access log on stdout, DEBUG off, WhiteNoise, collectstatic
done) on 127.0.0.1:18200, and runs wrk -c4 against /meetings/ (a page-cache hit) and against
a static copy of the same bytes, in the same gunicorn, in alternating rounds (BENCH_ROUNDS,
BENCH_SECONDS). Figures and ratios are printed; nothing is asserted.
The shared cache is Redis database 3 unless BENCH_CACHE_URL says otherwise.
"""

import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "18200"))
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = os.environ.get("BENCH_WORKERS", "3")  # make serve: WEB_CONCURRENCY, default 3
WRK = ["wrk", "-t2", f"-c{os.environ.get('BENCH_CONNECTIONS', '4')}",
       f"-d{os.environ.get('BENCH_SECONDS', '8')}s", "--latency"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORK = Path(tempfile.mkdtemp(prefix="ign-bench-"))
ENV = {
    **os.environ,
    "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-any-deployment",
    "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_HSTS_SECONDS": "0",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}"),
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
    "STATIC_ROOT": str(WORK / "static"), "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "ign_portal.settings",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def setup_data(count=2000):
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from common.content_version import bump_version
    from portal.seed import load_ign71
    from sessions.models import Meeting, Room, Session

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    cache.clear()
    session = load_ign71()
    session = Session.objects.get(number=71)
    rooms = list(Room.objects.all())
    start = dt.datetime(2016, 9, 14, 14, tzinfo=dt.UTC)
    Meeting.objects.bulk_create([
        Meeting(session=session, number=100 + i, room=rooms[i % len(rooms)],
                starts_at=start + dt.timedelta(hours=4 * i),
                ends_at=start + dt.timedelta(hours=4 * i + 3))
        for i in range(count)
    ])
    bump_version()
    return Meeting.objects.count()


def time_calendar_build():
    from sessions.calendar import build_calendar
    from sessions.models import Meeting

    started = time.perf_counter()
    meetings = list(Meeting.objects.with_related().order_by("starts_at"))
    fetched = time.perf_counter()
    body = build_calendar(meetings, name="bench").to_ical()
    built = time.perf_counter()
    return len(meetings), fetched - started, built - fetched, len(body)


def serve():
    # The gunicorn of the Python running this, with the options of `make serve`.
    command = [str(Path(sys.executable).parent / "gunicorn"), "ign_portal.wsgi", "--bind",
               f"127.0.0.1:{PORT}", "--workers", WORKERS, "--access-logfile", "-",
               "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/robots.txt", timeout=1)  # noqa: S310 (loopback)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(path):
    started = time.perf_counter()
    with urllib.request.urlopen(BASE + path, timeout=60) as response:  # noqa: S310 (loopback)
        body = response.read()
        return body, response.headers.get("X-Cache"), time.perf_counter() - started


def run_wrk(path):
    out = subprocess.run([*WRK, BASE + path], capture_output=True, text=True, check=True).stdout
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
    total = setup_data()
    print(f"database: {ENV['DATABASE_URL'].split('://')[0]}, cache: {ENV['CACHE_URL']}, "
          f"{total} meetings, gunicorn workers: {WORKERS}")
    count, query_s, build_s, size = time_calendar_build()
    print(f"calendar of {count} meetings: query {query_s * 1000:.0f} ms, "
          f"build with icalendar {build_s * 1000:.0f} ms, {size / 1024:.0f} KiB")

    server = serve()
    try:
        page, _, _ = fetch("/meetings/")
        server.terminate()
        server.wait()
        # The same bytes, as a static file collected beside the stylesheets.
        copy = Path(ENV["STATIC_ROOT"]) / "bench" / "meetings.html"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(page)
        server = serve()
        for attempt in ("first", "second", "third"):
            body, state, seconds = fetch("/meetings/calendar.ics")
            print(f"GET /meetings/calendar.ics ({attempt}): {seconds * 1000:.0f} ms, "
                  f"X-Cache {state}, {len(body) / 1024:.0f} KiB")
        fetch("/meetings/")
        _, state, _ = fetch("/meetings/")
        print(f"GET /meetings/ before the rounds: X-Cache {state}")
        # Alternating rounds, so that a burst of other load on the machine hits both sides.
        ratios = []
        for round_number in range(1, ROUNDS + 1):
            page_figures = run_wrk("/meetings/")
            static_figures = run_wrk("/static/bench/meetings.html")
            for label, (rps, p50, p99, errors) in [("/meetings/", page_figures),
                                                   ("static copy", static_figures)]:
                print(f"round {round_number} {label:12} {rps:8.0f} req/s  p50 {p50:>8}  "
                      f"p99 {p99:>8}  errors {errors}")
            ratios.append(page_figures[0] / static_figures[0])
        print(f"ratio /meetings/ : static per round = "
              f"{', '.join(f'{r:.2f}x' for r in ratios)}; median "
              f"{statistics.median(ratios):.2f}x (goal >= 0.8x); page {len(page)} bytes")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
