"""Render letter bodies built to be slow (runs of brackets, stars, nesting): time per body.

    .venv/bin/python bench/body_render.py [--size 8000] [--rounds 3]

Prints each body's length and its median render time (Markdown, sanitiser and the
typography rules of `correspondence.rendering.render_body`), as wall-clock time and as
this process's CPU time (the figure to read on a busy machine); asserts nothing about
time. Goal: every body up to the body's maximum length (`--size 50000`) renders in well
under a second.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pathological(size):
    """(name, body) pairs of `size` characters or so, each aimed at one parser path."""
    n = size
    nested_list = "".join("    " * i + "- item\n" for i in range(min(n // 12, 400)))
    return [
        ("[ run", "[" * n),
        ("![ run", "![" * (n // 2)),
        ("[ then ]", "[" * (n // 2) + "]" * (n // 2)),
        ("[x][ run", "[x][" * (n // 4)),
        ("[a]( run", "[a](" * (n // 4)),
        ("[a]( then ( run", "[a](" + "(" * (n - 4)),
        ("[a]((( repeated", "[a]((((" * (n // 7)),
        ("* run", "*" * n),
        ("_ run", "_" * n),
        ("*a run", "*a" * (n // 2)),
        ("** a run", "** a" * (n // 4)),
        ("< run", "<" * n),
        ("<a run", "<a " * (n // 3)),
        ("& run", "&" * n),
        ("` run", "`" * n),
        ("\\ run", "\\" * n),
        ("> nesting", ">" * n + " quoted"),
        ("> lines", "".join(">" * i + " q\n" for i in range(1, min(n // 50, 120)))),
        ("nested list", nested_list),
        ("1. run", "1. " * (n // 3)),
        ("| table", "| a |\n| --- |\n" + "| x |\n" * (n // 6)),
        ("| cells", "|" * n),
        ("long word", "x" * n),
        ("long url", "https://undocs.org/" + "a" * (n - 19)),
        ("words", "H.E. Mr. Co-Chairs 10:00 am decision 70/559 " * (n // 45)),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from correspondence.rendering import render_body

    worst = [0.0, 0.0]
    print(f"{'body':<18} {'length':>7}        {'wall':>9}    {'CPU':>9}")
    for name, body in pathological(args.size):
        walls, cpus = [], []
        for _ in range(args.rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            render_body(body)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - start_cpu)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        worst = [max(worst[0], wall), max(worst[1], cpu)]
        print(f"{name:<18} {len(body):>7} chars  {wall * 1000:6.1f} ms  {cpu * 1000:6.1f} ms")
    print(f"{'slowest':<18} {'':>7}        {worst[0] * 1000:6.1f} ms  {worst[1] * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
