"""Download an issued letter's PDF under gunicorn, against the same bytes as a static file.

    .venv/bin/python bench/pdf_download.py [--seconds 5] [--rounds 5] [--connections 4]

Serves a throw-away copy of the portal (SQLite, the seed loaded, DEBUG off, WhiteNoise; the
shared cache is Redis database 4 unless BENCH_CACHE_URL says otherwise) on loopback with
the same gunicorn command as `make serve`, then runs wrk against /letters/<slug>.pdf (the
stored bytes, kept by the page cache after the first request) and against the same bytes
saved under STATIC_ROOT. Prints requests per second and their ratio (goal >= 0.9); asserts
nothing about time.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, django_with_seed


def wrk(url, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        check=True, capture_output=True, text=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), out


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=18180)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    # The seed is loaded with the same cache as the server's, so its version is fresh there.
    os.environ["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/4")
    workdir = django_with_seed()
    from django.core.management import call_command

    from correspondence.models import Letter
    from correspondence.seed import PGA_SLUG

    static_root = workdir / "static"
    os.environ["STATIC_ROOT"] = str(static_root)
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECURE_SSL_REDIRECT": "0",
           "DJANGO_SECURE_COOKIES": "0", "DJANGO_HSTS_SECONDS": "0",
           "STATIC_ROOT": str(static_root)}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)
    pdf = bytes(Letter.objects.get(slug=PGA_SLUG).pdf.content)
    (static_root / "bench").mkdir()
    (static_root / "bench" / "letter.pdf").write_bytes(pdf)
    call_command("check", verbosity=0)

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "ign_portal.wsgi",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        dynamic_url = f"{base}/letters/{PGA_SLUG}.pdf"
        static_url = f"{base}/static/bench/letter.pdf"
        assert wait_until_up(dynamic_url) == pdf == wait_until_up(static_url)
        with urllib.request.urlopen(dynamic_url, timeout=5) as response:  # noqa: S310
            x_cache = response.headers.get("X-Cache", "none")
        wrk(dynamic_url, 2, args.connections)  # warm every worker
        wrk(static_url, 2, args.connections)
        # Alternating rounds, side by side: the machine's drift hits both alike.
        rounds = []
        for _round in range(args.rounds):
            letters_rps, _ = wrk(dynamic_url, args.seconds, args.connections)
            static_rps, _ = wrk(static_url, args.seconds, args.connections)
            rounds.append((letters_rps, static_rps))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    cache = os.environ["CACHE_URL"]
    print(f"{len(pdf)} bytes, gunicorn with {args.workers} workers as `make serve` runs it, "
          f"wrk -c{args.connections}, {args.rounds} alternating rounds of {args.seconds} s, "
          f"loopback, cache {cache}; X-Cache of the 2nd request: {x_cache}")
    for n, (letters_rps, static_rps) in enumerate(rounds, start=1):
        print(f"  round {n}: /letters/{PGA_SLUG}.pdf {letters_rps:8.1f} req/s, "
              f"static file {static_rps:8.1f} req/s, ratio {letters_rps / static_rps:.2f}")
    ratios = [letters / static for letters, static in rounds]
    print(f"  ratio letters / static: median {statistics.median(ratios):.2f}  (goal >= 0.9)")


if __name__ == "__main__":
    main()
