#!/usr/bin/env python3
"""How fast pacer's statistics are on large inputs.

Builds, in a temporary directory, the inputs below and times each command
(the median wall time of --reps runs, default 3), then prints the figures
beside their targets:

  compare, pacer files     two results of 10,000 benchmarks, 30 samples each,
                           one worker process (pacer run's default)
  compare, --processes 10  two results of 10,000 benchmarks, 10 processes of
                           3 samples each
  compare, Google Benchmark
                           two files of 10,000 benchmarks, 10 repetitions each
                           (with the mean/median/stddev/cv aggregates)
  compare, hyperfine       a file of 100,000 runs compared with itself
  show, 1,000,000 runs     pacer show of a hyperfine file of 1,000,000 runs
  show, 3,000,000 runs     the same with 3,000,000 runs
  statistics, 3,000,000    stats_compute() alone (what pacer run, show and the
                           importers compute per benchmark, bootstrap
                           intervals included) on 3,000,000 values, timed by
                           suites/self/statcost.c (median of 3 calls)
  trend, Google Benchmark  pacer trend of a history of --history files of 100
                           benchmarks with 10 repetitions (per file)

usage: suites/self/speed.py [--reps N] [--history N] [--keep] [--only NAME]

PACER=path/to/pacer uses that binary instead of building build/pacer.
Each line gives the wall time (median, min, max) and the median CPU time
(user + sys) of pacer, which a busy machine inflates less.  For each
compare, "read cpu" is the CPU time of the same command with a --filter
that matches no benchmark: the two files read and nothing compared, so the
rest is the comparison itself.  The machine's load (uptime) is printed first and last: on
a shared machine the figures vary; quote medians and ratios.
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def num(v):
    return repr(float(v))


def quantile(s, p):
    h = (len(s) - 1) * p
    lo = int(h)
    if lo >= len(s) - 1:
        return s[-1]
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo])


def stats_block(xs):
    """A STATS object as pacer writes it; the interval is a placeholder
    (compare recomputes what it needs from the samples)."""
    s = sorted(xs)
    n = len(s)
    mean = sum(s) / n
    sd = (sum((x - mean) ** 2 for x in s) / (n - 1)) ** 0.5 if n > 1 else 0.0
    med = quantile(s, 0.5)
    mad = 1.4826 * quantile(sorted(abs(x - med) for x in s), 0.5)
    return {
        "ci": {"level": 0.95, "mean": [mean - sd / 5, mean + sd / 5],
               "median": [quantile(s, 0.4), quantile(s, 0.6)],
               "method": "percentile-bootstrap", "resamples": 0, "seed": 1885430629},
        "cv": sd / mean, "mad": mad, "max": s[-1], "mean": mean, "median": med,
        "min": s[0], "n": n,
        "outliers": {"high_mild": 0, "high_severe": 0, "low_mild": 0, "low_severe": 0},
        "p25": quantile(s, .25), "p5": quantile(s, .05), "p75": quantile(s, .75),
        "p95": quantile(s, .95), "p99": quantile(s, .99), "stddev": sd,
    }


def bench_names(count):
    return ["speed/group%03d/bench%05d/size=%d" % (b % 100, b, 64 << (b % 8))
            for b in range(count)]


def pacer_file(path, rng, levels, procs, per_proc, shift):
    """A pacer result: one benchmark per level, procs processes of per_proc
    samples, 1 % noise, every level times shift."""
    names = bench_names(len(levels))
    benches = []
    for name, level in zip(names, levels):
        xs = []
        for _ in range(procs):
            p = level * shift * (1 + 0.005 * rng.gauss(0, 1))
            xs += [p * (1 + 0.01 * rng.gauss(0, 1)) for _ in range(per_proc)]
        b = {"direction": "lower", "error": None, "iterations": 1000, "kind": "micro",
             "name": name, "params": {"size": int(name.rsplit("=", 1)[1])},
             "processes": procs, "samples": xs, "stats": stats_block(xs), "unit": "ns"}
        if procs > 1:
            b["process_samples"] = [per_proc] * procs
        benches.append(b)
    doc = {"argv": ["pacer", "run"], "benchmarks": benches, "complete": True,
           "context": {"fingerprint": "52329a1c5b8f9312", "pacer_version": "0.1.0",
                       "time": "2026-11-24T10:00:00Z"},
           "schema": "1.2", "suite": "speed"}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)


def gbench_doc(rng, names, levels, reps, shift, date):
    entries = []
    for name, level in zip(names, levels):
        reals = []
        for r in range(reps):
            real = level * shift * (1 + 0.01 * rng.gauss(0, 1))
            reals.append(real)
            entries.append({
                "name": name, "family_index": 0, "per_family_instance_index": 0,
                "run_name": name, "run_type": "iteration", "repetitions": reps,
                "repetition_index": r, "threads": 1, "iterations": 1000,
                "real_time": real, "cpu_time": real * 0.999, "time_unit": "ns"})
        mean = sum(reals) / reps
        sd = (sum((x - mean) ** 2 for x in reals) / (reps - 1)) ** 0.5
        for agg, v in (("mean", mean), ("median", quantile(sorted(reals), 0.5)),
                       ("stddev", sd), ("cv", sd / mean)):
            entries.append({
                "name": name + "_" + agg, "family_index": 0, "per_family_instance_index": 0,
                "run_name": name, "run_type": "aggregate", "repetitions": reps,
                "threads": 1, "aggregate_name": agg, "iterations": reps,
                "real_time": v, "cpu_time": v, "time_unit": "ns"})
    return {"context": {"date": date, "host_name": "vm", "executable": "./bm",
                        "num_cpus": 2, "mhz_per_cpu": 2600, "cpu_scaling_enabled": False,
                        "load_avg": [0.5, 0.5, 0.5], "library_build_type": "release"},
            "benchmarks": entries}


def gbench_file(path, rng, names, levels, reps, shift, date="2026-11-23T20:00:18-05:00"):
    with open(path, "w") as f:
        json.dump(gbench_doc(rng, names, levels, reps, shift, date), f, indent=2)


def hyperfine_file(path, rng, runs):
    times = [0.01 * (1 + 0.02 * abs(rng.gauss(0, 1))) for _ in range(runs)]
    mean = sum(times) / runs
    doc = {"results": [{"command": "sleep 0.01", "mean": mean, "stddev": 0.0,
                        "median": mean, "user": 0.0004, "system": 0.0005,
                        "min": min(times), "max": max(times), "times": times,
                        "exit_codes": [0] * runs}]}
    with open(path, "w") as f:
        json.dump(doc, f)


def make_inputs(d, history, only):
    rng = random.Random(12)
    levels = [rng.uniform(50, 5e6) for _ in range(10000)]
    made = {}

    def want(name):
        return only is None or name == only

    if want("compare-pacer"):
        pacer_file(os.path.join(d, "p1_base.json"), rng, levels, 1, 30, 1.0)
        pacer_file(os.path.join(d, "p1_new.json"), rng, levels, 1, 30, 1.002)
    if want("compare-processes"):
        pacer_file(os.path.join(d, "p10_base.json"), rng, levels, 10, 3, 1.0)
        pacer_file(os.path.join(d, "p10_new.json"), rng, levels, 10, 3, 1.002)
    if want("compare-gbench"):
        names = ["BM_speed%03d/%d" % (b % 100, b) for b in range(10000)]
        gbench_file(os.path.join(d, "gb_base.json"), rng, names, levels, 10, 1.0)
        gbench_file(os.path.join(d, "gb_new.json"), rng, names, levels, 10, 1.002)
    if want("compare-hyperfine"):
        hyperfine_file(os.path.join(d, "hf_100k.json"), rng, 100000)
    if want("show-1m"):
        hyperfine_file(os.path.join(d, "hf_1m.json"), rng, 1000000)
    if want("show-3m"):
        hyperfine_file(os.path.join(d, "hf_3m.json"), rng, 3000000)
    if want("stats-3m"):
        with open(os.path.join(d, "values_3m.txt"), "w") as f:
            f.write("\n".join(repr(1e7 * (1 + 0.02 * abs(rng.gauss(0, 1))))
                              for _ in range(3000000)))
            f.write("\n")
    if want("trend-gbench"):
        hd = os.path.join(d, "gb_history")
        os.mkdir(hd)
        names = ["BM_hist%02d/%d" % (b % 10, b) for b in range(100)]
        for i in range(history):
            t = time.gmtime(1800000000 + 3600 * i)
            gbench_file(os.path.join(hd, "run%04d.json" % i), rng, names, levels[:100], 10,
                        1.0 + (0.05 if i >= history // 2 else 0.0),
                        time.strftime("%Y-%m-%dT%H:%M:%S+00:00", t))
    return made


# name, argv (relative to the input directory), target in s, "per file" count
CASES = [
    ("compare-pacer", ["compare", "p1_base.json", "p1_new.json"], 0.5, None),
    ("compare-processes", ["compare", "p10_base.json", "p10_new.json"], 0.5, None),
    ("compare-gbench", ["compare", "gb_base.json", "gb_new.json"], 0.5, None),
    ("compare-hyperfine", ["compare", "hf_100k.json", "hf_100k.json"], 2.0, None),
    ("show-1m", ["show", "hf_1m.json"], 2.0, None),
    ("show-3m", ["show", "hf_3m.json"], 2.0, None),
    ("stats-3m", None, 2.0, None),
    ("trend-gbench", ["trend", "gb_history"], 0.020, "history"),
]


def time_case(pacer, d, argv, reps, ok=(0, 1, 3)):
    """Wall times and CPU times (user + sys) of reps runs, each sorted."""
    walls, cpus = [], []
    for _ in range(reps):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run([pacer] + argv, cwd=d, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if p.returncode not in ok:
            sys.exit("pacer %s failed (%d): %s" % (" ".join(argv), p.returncode,
                                                   p.stderr.decode()[-500:]))
    return sorted(walls), sorted(cpus)


def time_stats(d, reps):
    """stats_compute on values_3m.txt by statcost, built here as
    suites/self/run.sh builds it; its median of reps calls, in s."""
    exe = os.path.join(d, "statcost")
    subprocess.run(["make", "-s", "build/libpacer.a"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["gcc", "-std=gnu11", "-O2", "-D_GNU_SOURCE", "-I.", "-Iharness/lib",
                    "suites/self/statcost.c", "build/libpacer.a", "-lm", "-o", exe],
                   cwd=ROOT, check=True)
    with open(os.path.join(d, "values_3m.txt")) as f:
        out = subprocess.run([exe, str(reps)], stdin=f, stdout=subprocess.PIPE, check=True)
    t = float(out.stdout.split()[0]) / 1e9
    return [t], [float("nan")]


def median(v):
    return sorted(v)[len(v) // 2]


def uptime():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--history", type=int, default=50)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--only", choices=[c[0] for c in CASES])
    a = ap.parse_args()
    pacer = os.environ.get("PACER")
    if not pacer:
        subprocess.run(["make", "-s", "build/pacer"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        pacer = os.path.join(ROOT, "build", "pacer")
    pacer = os.path.abspath(pacer)
    d = tempfile.mkdtemp(prefix="pacer-speed-")
    try:
        print("load average at start: %s (%d CPUs)" % (uptime(), os.cpu_count()))
        t0 = time.perf_counter()
        make_inputs(d, a.history, a.only)
        print("inputs made in %.0f s in %s" % (time.perf_counter() - t0, d))
        print("%-18s %8s %8s %8s %8s %9s  %s" % ("case", "wall", "min", "max", "cpu", "read cpu",
                                              "target (wall)"))
        for name, argv, target, per in CASES:
            if a.only and name != a.only:
                continue
            walls, cpus = time_case(pacer, d, argv, a.reps) if argv else time_stats(d, a.reps)
            div = a.history if per else 1
            med = median(walls) / div
            unit = " per file" if per else ""
            read = "%8.3fs" % (median(time_case(pacer, d, argv[:1] + ["--filter", "^$"] + argv[1:],
                                                a.reps, ok=range(256))[1])) \
                if argv and argv[0] == "compare" else "%9s" % "-"
            print("%-18s %7.3fs %7.3fs %7.3fs %7.3fs %s  < %gs%s: %s"
                  % (name, med, walls[0] / div, walls[-1] / div, median(cpus) / div, read,
                     target, unit, "met" if med < target else "NOT met"))
        print("load average at end: %s; medians of %d runs; cpu = user + sys of pacer"
              % (uptime(), a.reps))
    finally:
        if a.keep:
            print("kept %s" % d)
        else:
            shutil.rmtree(d)


if __name__ == "__main__":
    main()
