"""Render the seed letter as distributed: our module against bare WeasyPrint, and memory.

    .venv/bin/python bench/pdf_render.py [--renders 200]

Prints figures and ratios; asserts nothing about time. Goals: our render / bare WeasyPrint
on the same HTML <= 1.15; memory growth over 200 renders < 50 MiB.
"""

import argparse
import os
import statistics
import time
import tracemalloc
from pathlib import Path

from _setup import django_with_seed

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def timed_pair(first, second, rounds):
    """Medians of both, run alternately so that a busy machine slows both alike."""
    times = ([], [])
    for _ in range(rounds):
        for fn, bucket in zip((first, second), times, strict=True):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace Python allocations (several times slower)")
    args = parser.parse_args()
    django_with_seed()

    import weasyprint
    from django.contrib.staticfiles import finders
    from django.utils import translation
    from weasyprint.urls import path2url

    from correspondence.models import Letter
    from correspondence.pdf import PDF_VARIANT, STYLESHEET, document_html, render_letter_pdf
    from correspondence.seed import PGA_SLUG

    letter = Letter.objects.select_related("letterhead").get(slug=PGA_SLUG)
    css_path = finders.find(STYLESHEET)
    with translation.override(letter.language):
        html = document_html(letter)
    css = Path(css_path).read_text(encoding="utf-8")
    bare_html = html.replace("</head>", f"<style>{css}</style></head>", 1)

    def ours():
        render_letter_pdf(letter)

    def bare():
        # What a view calling WeasyPrint directly does: a new fetcher and fonts each time.
        weasyprint.HTML(string=bare_html, base_url=path2url(css_path)).write_pdf(
            pdf_variant=PDF_VARIANT)

    ours(), bare()  # warm both (imports, first font load)
    ours_s, bare_s = timed_pair(ours, bare, args.rounds)
    print(f"as-distributed PDF of {PGA_SLUG} ({letter.pdf.size} bytes, 2 pages)")
    print(f"  ours (template + shared fetcher, fonts, stylesheet): {ours_s * 1000:7.1f} ms")
    print(f"  bare WeasyPrint on the same HTML string:              {bare_s * 1000:7.1f} ms")
    print(f"  ratio ours / bare: {ours_s / bare_s:.2f}  (goal <= 1.15)")

    for _ in range(5):
        ours()
    before = rss_mib()
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    for _ in range(args.renders):
        ours()
    elapsed = time.perf_counter() - start
    after = rss_mib()
    print(f"{args.renders} renders in one process: {elapsed:.1f} s "
          f"({args.renders / elapsed:.1f} renders/s)")
    print(f"  RSS {before:.1f} -> {after:.1f} MiB: growth {after - before:.1f} MiB (goal < 50)")
    if args.tracemalloc:
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  Python heap still held (tracemalloc): {current / 2**20:.2f} MiB, "
              f"peak {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
