"""The cost of the client-side database deadline (common.dbwait) on a query's round trip.

    .venv/bin/python bench/dbwait.py [--queries 5000] [--rounds 5]

Against a PostgreSQL cluster of its own (tests.processes.PostgresCluster, on a spare port),
times `SELECT 1` (execute and fetch, the cheapest query: the callback's cost is the largest
share of it) on one connection opened with psycopg2's own blocking waits and on one opened
with the deadline's wait callback, in alternating rounds. Prints microseconds per query
and their ratio; asserts nothing about time.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg2  # noqa: E402
from psycopg2 import extensions  # noqa: E402

from common import dbwait  # noqa: E402
from tests.processes import PostgresCluster  # noqa: E402


def per_query(url, queries, *, deadline):
    if deadline:
        dbwait.install(5.0)
    else:
        extensions.set_wait_callback(None)
    conn = psycopg2.connect(url)
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute("SELECT 1")
    started = time.perf_counter()
    for _ in range(queries):
        cursor.execute("SELECT 1")
        cursor.fetchall()
    took = time.perf_counter() - started
    conn.close()
    return took / queries * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cluster = PostgresCluster()
    try:
        plain, bounded = [], []
        for round_ in range(1, args.rounds + 1):
            plain.append(per_query(cluster.url(), args.queries, deadline=False))
            bounded.append(per_query(cluster.url(), args.queries, deadline=True))
            print(f"round {round_}: blocking {plain[-1]:.1f} us, "
                  f"with the deadline {bounded[-1]:.1f} us per SELECT 1")
        a, b = statistics.median(plain), statistics.median(bounded)
        print(f"median: blocking {a:.1f} us, with the deadline {b:.1f} us per query; "
              f"ratio {b / a:.3f} ({b - a:+.1f} us)")
    finally:
        cluster.remove()


if __name__ == "__main__":
    main()
