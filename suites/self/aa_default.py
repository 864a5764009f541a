#!/usr/bin/python3
"""aa_default.py: false alarms of two default runs of one build, as a new
user meets them.

    suites/self/aa_default.py [--runs N] [--suite suites/default.json] [--keep]
                              [--from DIR] [--slower P]

Runs `pacer run SUITE` N times (default 6) with the suite's own settings, one
after another, then `pacer compare` on every pair of them (earlier as base)
with the suite's thresholds, and prints each exit code with the outcome line
of the pairs that did not pass, and the count of each exit code.  Every run
is of the same binary: any "regressed" (exit 1) is a false alarm; exit 3
(machine and code cannot be told apart) is allowed.  Run it quiet, and
again with other work on the machine (a build, a test run: a noisy
neighbour), which is where false alarms come from.

--from DIR compares the results already in DIR instead of running.
--slower P also compares each pair's base with a copy of its new run made
P % slower (every time sample, and the CPU times, multiplied by 1 + P/100;
the reference workload left as it ran): what the gate catches of a
slowdown of the whole suite on this machine's real noise; prints the
benchmarks that regressed of all compared, and the exit codes.
"""
import argparse
import collections
import glob
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--suite", default="suites/default.json")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--from", dest="src")
    ap.add_argument("--slower", type=float)
    a = ap.parse_args()
    if a.runs < 2:
        sys.exit("aa_default.py: --runs needs at least 2")
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    pacer = os.path.join(ROOT, "build", "pacer")
    out = a.src or tempfile.mkdtemp(prefix="pacer-aa-")
    env = dict(os.environ, PACER_BUILD=os.path.join(ROOT, "build"))
    for i in range(0 if a.src else a.runs):
        p = subprocess.run([pacer, "run", a.suite, "--save", out], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode not in (0, 3):
            sys.exit("aa_default.py: pacer run failed (%d): %s" % (p.returncode, p.stderr[-400:]))
        print("run %d of %d saved" % (i + 1, a.runs), file=sys.stderr)
    files = sorted(glob.glob(os.path.join(out, "*.json")))
    codes = collections.Counter()
    for i, j in itertools.combinations(range(len(files)), 2):
        p = subprocess.run([pacer, "compare", files[i], files[j], "--thresholds", a.suite],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        codes[p.returncode] += 1
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
        print("run %d vs %d: exit %d%s" % (i + 1, j + 1, p.returncode,
                                           "" if p.returncode == 0 else "  " + last[:200]))
    print("%d pairs: %s" % (sum(codes.values()),
                            ", ".join("exit %d: %d" % (k, codes[k]) for k in sorted(codes))))
    if a.slower:
        slower(pacer, a.suite, files, a.slower / 100)
    if a.keep or a.src:
        print("kept %s" % out)
    else:
        shutil.rmtree(out)


def scaled(path, by, tmp):
    """A copy of result path with every time (samples and CPU times in ns)
    multiplied by 1 + by, its stored statistics left out."""
    d = json.load(open(path))
    for b in d["benchmarks"]:
        if b.get("unit") == "ns" and b.get("samples"):
            b["samples"] = [x * (1 + by) for x in b["samples"]]
            b.pop("stats", None)
            for m in (b.get("metrics") or {}).values():
                if m.get("unit") == "ns" and m.get("samples"):
                    m["samples"] = [x * (1 + by) for x in m["samples"]]
                    m.pop("stats", None)
    out = os.path.join(tmp, os.path.basename(path))
    json.dump(d, open(out, "w"))
    return out


def slower(pacer, suite, files, by):
    tmp = tempfile.mkdtemp(prefix="pacer-aa-slow-")
    codes, caught, compared = collections.Counter(), 0, 0
    try:
        slow = [scaled(f, by, tmp) for f in files]
        for i, j in itertools.combinations(range(len(files)), 2):
            p = subprocess.run([pacer, "compare", files[i], slow[j], "--thresholds", suite,
                                "--format", "json"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
            codes[p.returncode] += 1
            rows = json.loads(p.stdout)["benchmarks"]
            caught += sum(r["verdict"] == "regressed" for r in rows)
            compared += sum(r["verdict"] in ("regressed", "improved", "unchanged",
                                             "inconclusive") for r in rows)
    finally:
        shutil.rmtree(tmp)
    print("each new run %+.0f%%: %d of %d benchmark comparisons regressed; %s" % (
        100 * by, caught, compared,
        ", ".join("exit %d: %d" % (k, codes[k]) for k in sorted(codes))))


if __name__ == "__main__":
    main()
