#!/usr/bin/env python3
"""How fast pacer's SQLite store takes in and gives back a long history.

Makes, in a temporary directory, a history of --runs pacer result files
(default 10,000) of --benchmarks benchmarks each (default 100; 10 samples
a benchmark, one process, a 5 % step in every benchmark half-way), then
times, each the median wall time of --reps runs (default 3):

  trend, files   pacer trend DIR with no store: every file read
  ingest         pacer store add --store DIR/pacer.db DIR into a new store
                 (the store removed before each run)
  trend, store   pacer trend DIR, DIR/pacer.db holding every run

and prints them beside the targets (ingest < 30 s, trend < 2 s), with the
store's size a run, and checks that both trends print the same table.

usage: suites/self/store_speed.py [--runs N] [--benchmarks N] [--reps N] [--keep]

PACER=path/to/pacer uses that binary instead of building build/pacer.
The machine's load (uptime) is printed first and last: on a shared
machine the figures vary; quote medians.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed import stats_block  # noqa: E402  (a result's STATS block)
TEMPLATES = 8


def template(rng, names, levels, shift):
    """A pacer result as text with @TIME@ where its time goes."""
    benches = []
    for name, level in zip(names, levels):
        xs = sorted(level * shift * (1 + 0.01 * rng.gauss(0, 1)) for _ in range(10))
        benches.append({"direction": "lower", "error": None, "iterations": 1000,
                        "kind": "micro", "name": name, "processes": 1, "samples": xs,
                        "stats": stats_block(xs), "unit": "ns"})
    doc = {"argv": ["pacer", "run"], "benchmarks": benches, "complete": True,
           "context": {"fingerprint": "52329a1c5b8f9312", "pacer_version": "0.1.0",
                       "git": {"branch": "main", "commit": "@COMMIT@",
                               "commit_time": "@TIME@", "dirty": False},
                       "time": "@TIME@"},
           "schema": "1.2", "suite": "store"}
    return json.dumps(doc, sort_keys=True)


def make_history(d, runs, nbench):
    rng = random.Random(7)
    names = ["store/group%02d/bench%03d" % (b % 10, b) for b in range(nbench)]
    levels = [rng.uniform(50, 5e6) for _ in names]
    before = [template(rng, names, levels, 1.0) for _ in range(TEMPLATES)]
    after = [template(rng, names, levels, 1.05) for _ in range(TEMPLATES)]
    for i in range(runs):
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1800000000 + 600 * i))
        text = (before if i < runs // 2 else after)[i % TEMPLATES]
        text = text.replace("@TIME@", t).replace("@COMMIT@", "%040x" % (i + 1))
        with open(os.path.join(d, "run%05d.json" % i), "w") as f:
            f.write(text)


def timed(argv, reps, before=None, out=None):
    walls = []
    for _ in range(reps):
        if before:
            before()
        t = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit("%s failed (%d): %s" % (" ".join(argv), p.returncode,
                                             p.stderr.decode()[-500:]))
        if out is not None:
            out.append(p.stdout)
    walls.sort()
    return walls


def line(name, walls, target):
    med = walls[len(walls) // 2]
    print("%-14s %8.3fs %8.3fs %8.3fs  %s" % (
        name, med, walls[0], walls[-1], "-" if target is None else "< %gs: %s" % (
            target, "met" if med < target else "NOT met")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10000)
    ap.add_argument("--benchmarks", type=int, default=100)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    pacer = os.environ.get("PACER")
    if not pacer:
        subprocess.run(["make", "-s", "build/pacer"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        pacer = os.path.join(ROOT, "build", "pacer")
    print("load average at start: %s (%d CPUs)" % (
        " ".join("%.2f" % x for x in os.getloadavg()), os.cpu_count()))
    d = tempfile.mkdtemp(prefix="pacer-store-")
    hist = os.path.join(d, "history")
    os.mkdir(hist)
    try:
        t = time.perf_counter()
        make_history(hist, a.runs, a.benchmarks)
        print("%d runs of %d benchmarks made in %.0f s in %s" % (
            a.runs, a.benchmarks, time.perf_counter() - t, hist))
        db = os.path.join(hist, "pacer.db")

        def drop():
            if os.path.exists(db):
                os.unlink(db)
        print("%-14s %9s %9s %9s  target (wall)" % ("case", "wall", "min", "max"))
        files_out, store_out = [], []
        line("trend, files", timed([pacer, "trend", hist], a.reps, drop, files_out), None)
        line("ingest", timed([pacer, "store", "add", "--store", db, hist], a.reps, drop), 30)
        line("trend, store", timed([pacer, "trend", hist], a.reps, None, store_out), 2)
        size = os.path.getsize(db)
        print("store: %.1f MiB, %.0f bytes a run (%d benchmarks a run)" % (
            size / 1048576, size / a.runs, a.benchmarks))
        same = all(o == files_out[0] for o in files_out + store_out)
        print("the trend from the store %s the trend from the files" % (
            "is the same as" if same else "DIFFERS from"))
        print("load average at end: %s; medians of %d runs" % (
            " ".join("%.2f" % x for x in os.getloadavg()), a.reps))
        if not same:
            sys.exit(1)
    finally:
        if a.keep:
            print("kept %s" % d)
        else:
            shutil.rmtree(d)


if __name__ == "__main__":
    main()
