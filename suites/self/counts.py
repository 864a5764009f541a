#!/usr/bin/python3
"""counts.py: how pacer run --mode instructions gates, on real runs of a real
suite under valgrind's callgrind, quiet and with one or both cores kept busy.

    suites/self/counts.py [--rounds R] [--loads 0,1,2] [--slowdown 1]

The suite is suites/micro/hash's hashfn group (18 benchmarks).  A second copy
of the same binary is the A/A build; a third, the slowed one, hashes an extra
SLOWDOWN % more bytes (rounded up) in hashfn/fnv1a with the same code (6
benchmarks: +SLOWDOWN % of the loop's work, up to 1.6 % at 64 bytes where a
byte is 1.6 %; the loop's fixed cost makes the change in instructions a
little smaller).  Each round, at each load: pacer run --mode instructions of each
build (5 samples a benchmark, pacer's default in this mode), then pacer
compare A A2 and A SLOW.  Printed per load: the largest A/A difference of
any benchmark, the A/A benchmarks not "unchanged", the slowed benchmarks
"regressed", the unchanged ones flagged in A/B, the exit codes, and the
median wall seconds a benchmark took (valgrind's start and slowdown
included).  A busy core is a process spinning in a loop, as a noisy
neighbour on a CI runner.
"""
import collections
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gate  # noqa: E402  (its helpers: sh, run_rounds)

ROOT = gate.ROOT
FILTER = "hashfn"
SLOWED = "hash/hashfn/fnv1a/"
NBENCH = 18


def build(tmp, slowdown):
    gate.sh(["make", "-s", "all"], stdout=subprocess.DEVNULL)
    src = open(os.path.join(ROOT, "suites/micro/hash.c")).read()
    old = "uint64_t h = fnv1a64(b->src, n);"
    size = "#define MAX_SIZE (64 << 10)"
    if old not in src or size not in src:
        sys.exit("counts.py: cannot find fnv1a's call or MAX_SIZE in suites/micro/hash.c")
    # the same loop over SLOWDOWN % more bytes (rounded up, in a buffer
    # large enough): the code is unchanged, only the work grows
    slow = src.replace(old, "uint64_t h = fnv1a64(b->src, n + (n * %d + 99) / 100);"
                       % slowdown).replace(size, "#define MAX_SIZE (80 << 10)")
    for d in ("a", "a2", "slow"):
        os.makedirs(os.path.join(tmp, d))
    for d in ("a", "a2"):
        shutil.copy(os.path.join(ROOT, "build/suites/micro/hash"), os.path.join(tmp, d, "hash"))
    with open(os.path.join(tmp, "hash_slow.c"), "w") as f:
        f.write(slow)
    gate.sh(["gcc", "-std=gnu11", "-O2", "-g", "-D_GNU_SOURCE", "-Iharness/lib",
        os.path.join(tmp, "hash_slow.c"), "build/libpacer.a", "-lm", "-o",
        os.path.join(tmp, "slow", "hash")])


def pacer(*args):
    p = subprocess.run([os.path.join(ROOT, "build/pacer")] + list(args), cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def one_round(tmp, load, t):
    for d in ("a", "a2", "slow"):
        t0 = time.monotonic()
        code, _, err = pacer("run", os.path.join(tmp, d, "hash"), "--mode", "instructions",
                             "--filter", FILTER, "-q", "--out", os.path.join(tmp, d + ".json"))
        if code != 0:
            sys.exit(f"counts.py: pacer run --mode instructions failed ({code}): {err}")
        t[load]["secs"].append((time.monotonic() - t0) / NBENCH)
    a = os.path.join(tmp, "a.json")
    for other, aa in (("a2", True), ("slow", False)):
        code, out, _ = pacer("compare", a, os.path.join(tmp, other + ".json"), "--format", "csv")
        x = t[load]
        x["codes_aa" if aa else "codes_ab"][code] += 1
        for r in csv.DictReader(io.StringIO(out)):
            v, ch = r["verdict"], float(r["change"])
            if aa:
                x["aa_n"] += 1
                x["aa_max"] = max(x["aa_max"], abs(ch))
                x["aa_flag"] += v != "unchanged"
            elif r["benchmark"].startswith(SLOWED):
                x["slowed"] += 1
                x["caught"] += v == "regressed"
                x["min_caught"] = min(x["min_caught"], ch) if v == "regressed" else x["min_caught"]
            else:
                x["ab_n"] += 1
                x["ab_false"] += v != "unchanged"


def main():
    o, loads = gate.options(__doc__, 1, "%% more bytes hashed in fnv1a")
    tmp = tempfile.mkdtemp(prefix="pacer-counts-")
    t = collections.defaultdict(lambda: {"secs": [], "codes_aa": collections.Counter(),
                                         "codes_ab": collections.Counter(), "aa_n": 0,
                                         "aa_max": 0.0, "aa_flag": 0, "slowed": 0, "caught": 0,
                                         "min_caught": float("inf"), "ab_n": 0, "ab_false": 0})
    try:
        build(tmp, o.slowdown)
        gate.run_rounds(o.rounds, loads, lambda load: one_round(tmp, load, t))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"pacer run --mode instructions on suites/micro/hash ({FILTER}: {NBENCH} benchmarks, "
          f"6 hashing {o.slowdown}% more bytes in A/B), {o.rounds} rounds, {os.cpu_count()} cpus, "
          f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    print(f"{'busy':>4}  {'A/A max |change|':>16}  {'A/A not unchanged':>17}  "
          f"{'A/B slowed caught':>17}  {'smallest caught':>15}  {'A/B false':>9}  "
          f"{'exit A/A':8} {'exit A/B':8} {'s/bench':>7}")
    for load in loads:
        x = t[load]
        codes = lambda c: " ".join(f"{k}:{v}" for k, v in sorted(c.items()))
        secs = sorted(x["secs"])
        print(f"{load:>4}  {100 * x['aa_max']:>15.4f}%  {x['aa_flag']:>8}/{x['aa_n']:<8}  "
              f"{x['caught']:>8}/{x['slowed']:<8}  {100 * x['min_caught']:>14.2f}%  "
              f"{x['ab_false']:>4}/{x['ab_n']:<4}  {codes(x['codes_aa']):8} "
              f"{codes(x['codes_ab']):8} {secs[len(secs) // 2]:>7.2f}")


if __name__ == "__main__":
    main()
