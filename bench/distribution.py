"""Distribution of one letter to the 193 Member States' missions over loopback SMTP.

Prints the time of a whole distribution (ledger, claims, messages, SMTP, through the real
`db_worker`) and its ratio to a baseline measured in the same run: one PDF render plus 193
bare `smtplib` sends of the same message over one connection (goal: ratio <= 1.5). Counts the
PDF renders made during the distribution (goal: none; the issued PDF is attached as stored).

    .venv/bin/python bench/distribution.py [--runs 3] [--workers 4]

Distributes the seed PGA letter (`load_ign71`). Uses a throw-away SQLite database unless
BENCH_DATABASE_URL is set.
"""

import argparse
import asyncio
import email.policy
import logging
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))



class Counter:
    """An SMTP handler that accepts everything and keeps nothing."""

    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(port, workdir):
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-deployment")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ign_portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def count_renders():
    """Wrap WeasyPrint's layout (every PDF, by any path, is laid out first) to count renders."""
    import weasyprint

    original = weasyprint.HTML.render
    calls = {"n": 0}

    def counted(self, *args, **kwargs):
        calls["n"] += 1
        return original(self, *args, **kwargs)

    weasyprint.HTML.render = counted
    return calls


def seed_letter():
    """The 71st session's PGA letter, issued with its PDF, as `load_ign71` loads it."""
    from correspondence.models import Letter
    from correspondence.seed import PGA_SLUG
    from portal.seed import load_ign71

    load_ign71()
    return Letter.objects.get(slug=PGA_SLUG)


def in_process_worker(number):
    """The db_worker command's own worker loop, without its signal handlers (main thread only)."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        Worker(queue_names=["distribution"], interval=0, batch=True, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id=f"bench-{number}",
               excluded_queue_names=[]).run()
    finally:
        connection.close()


def distribute(letter, *, subprocess_worker=False, workers=1):
    from correspondence.distribution.services import letter_distribute
    from correspondence.models import Delivery

    Delivery.objects.filter(letter=letter).delete()
    started = time.perf_counter()
    letter_distribute(letter=letter, parallel=workers)
    worker = ["db_worker", "--queue-name", "distribution", "--batch", "--no-reload",
              "--no-startup-delay", "--interval", "0", "--verbosity", "0"]
    if subprocess_worker:
        subprocess.run([sys.executable, "manage.py", *worker], cwd=ROOT, check=True,
                       env=os.environ.copy())
    else:
        # Each thread has its own database connection, like separate worker processes.
        threads = [threading.Thread(target=in_process_worker, args=(n,))
                   for n in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    sent = Delivery.objects.filter(letter=letter, state="sent").count()
    assert sent == 193, f"only {sent} sent"
    return elapsed


def baseline(letter, port):
    """One PDF render plus 193 bare smtplib sends of the same message, one connection."""
    from correspondence.distribution.message import MessageContent
    from correspondence.models import Delivery
    from correspondence.pdf import render_letter_pdf
    from sessions.models import MissionAddress

    started = time.perf_counter()
    render_letter_pdf(letter)
    render = time.perf_counter() - started
    delivery = Delivery.objects.filter(letter=letter).select_related("mission__state").first()
    message = MessageContent.for_letter(letter).message(
        delivery, ["afg@missions.example"]).message(policy=email.policy.SMTP).as_bytes()
    addresses = list(MissionAddress.objects.filter(mission__state__kind="member")
                     .values_list("email", flat=True))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for address in addresses:
            smtp.sendmail("ign-portal@example.org", [address], message)
    return render, time.perf_counter() - started, len(addresses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4,
                        help="also time N workers sharing the letter (default 4)")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    port = free_port()
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    asyncio.set_event_loop(asyncio.new_event_loop())
    workdir = tempfile.mkdtemp(prefix="ign-bench-")
    setup(port, workdir)
    letter = seed_letter()
    pdf = bytes(letter.pdf.content)
    renders = count_renders()
    try:
        # Side by side: each round times a distribution, then the baseline, so that the
        # machine's drift weighs on both alike.
        runs, baselines = [], []
        for _round in range(args.runs):
            runs.append(distribute(letter))
            renders_before = renders["n"]
            render, sends, n = baseline(letter, port)
            renders["n"] = renders_before  # the baseline's own render is not the distribution's
            baselines.append(render + sends)
        parallel = min(distribute(letter, workers=args.workers) for _ in range(args.runs))
        fresh_worker = distribute(letter, subprocess_worker=True)
        renders_during = renders["n"]
    finally:
        controller.stop()
    best = min(runs)
    reference = min(baselines)
    ratios = [run / base for run, base in zip(runs, baselines, strict=True)]
    print(f"missions: {n}; messages accepted by the SMTP server: {handler.messages}")
    print(f"PDF size: {len(pdf)} bytes; PDF renders during {2 * args.runs + 1} distributions: "
          f"{renders_during}")
    print(f"distribution (in-process db_worker), best of {args.runs}: {best:.3f} s "
          f"(median {statistics.median(runs):.3f} s, {best / n * 1000:.2f} ms per mission)")
    print(f"distribution with a fresh db_worker process (start-up included): "
          f"{fresh_worker:.3f} s")
    print(f"baseline (one PDF render + {n} bare smtplib sends), best of {args.runs}: "
          f"{reference:.3f} s (last round: render {render:.3f} s + sends {sends:.3f} s)")
    print("ratio distribution / baseline per round: "
          + ", ".join(f"{ratio:.2f}" for ratio in ratios))
    print(f"ratio distribution / baseline: median {statistics.median(ratios):.2f}, "
          f"best / best {best / reference:.2f} (goal <= 1.5)")
    print(f"ratio with a fresh worker process: {fresh_worker / reference:.2f}")
    print(f"{args.workers} workers sharing the letter (--parallel {args.workers}), best of "
          f"{args.runs}: {parallel:.3f} s, ratio {parallel / reference:.2f}")


if __name__ == "__main__":
    main()
