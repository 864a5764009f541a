#!/usr/bin/python3
"""report.py: the figures of suites/self/run.sh, from the files it left in
its work directory.  One section per call:

    report.py clock    DIR   env-*.json                (pacer env --format json)
    report.py overhead DIR   env-*.json, stamped-*.json + stamps-*.txt,
                             e2e-lo-*.json/.wall, e2e-hi-*.json/.wall
    report.py empty    DIR   empty-*.json              (pacer run --out)
    report.py same     DIR   same-pacer-*.json, same-gb-*.json,
                             same-pacer64-*.json, same-gb64-*.json
    report.py loop BINARY FUNCTION   where the timed loop of FUNCTION sits
    report.py samples RESULT.json    the sample values (ns/op) of its only
                                     benchmark, one a line (for statcost)

Only the standard library (json, statistics).  Times are ns throughout.
"""
import glob
import json
import os
import statistics
import subprocess
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def runs(d, pattern):
    """Files matching pattern in d, in round order (the number after the last '-')."""
    def key(p):
        stem = os.path.basename(p).rsplit(".", 1)[0]
        return int(stem.rsplit("-", 1)[1])
    return sorted(glob.glob(os.path.join(d, pattern)), key=key)


def med(xs):
    return statistics.median(xs)


def cv(xs):
    """Sample CV (n-1 standard deviation over the mean)."""
    return statistics.stdev(xs) / statistics.mean(xs) if len(xs) > 1 else float("nan")


def rel_range(xs):
    """(max - min) / median."""
    return (max(xs) - min(xs)) / med(xs)


def fmt_list(xs, f="{:.2f}"):
    return " ".join(f.format(x) for x in xs)


def clock_of(env):
    """The clock block: top level in `pacer env` output, under context in a result."""
    return env["clock"] if "clock" in env else env["context"]["clock"]


def bench(result, suffix):
    """The benchmark whose name ends with suffix; fails loudly on a recorded error."""
    for b in result["benchmarks"]:
        if b["name"].endswith(suffix):
            if b.get("error"):
                sys.exit("report: %s: %s" % (b["name"], b["error"]["message"]))
            return b
    sys.exit("report: no benchmark named *%s in the result" % suffix)


def read_ns_median(d):
    return med([clock_of(load(p))["read_ns"] for p in runs(d, "env-*.json")])


def section_clock(d):
    envs = [clock_of(load(p)) for p in runs(d, "env-*.json")]
    rd = [c["read_ns"] for c in envs]
    rs = [c["resolution_ns"] for c in envs]
    print("  runs of `pacer env --format json`:  %d" % len(envs))
    print("  clock.read_ns        per run: %s" % fmt_list(rd))
    print("  clock.resolution_ns  per run: %s" % fmt_list(rs, "{:.0f}"))
    print("  => clock read cost   (median): %6.2f ns" % med(rd))
    print("  => clock resolution  (median): %6.2f ns" % med(rs))


def stamped_run(jpath, spath):
    """Per-sample harness time outside the timed loop, from one stamped run.

    The function stamps the clock at entry of every call; the last N stamps
    belong to the N samples.  Between the entries of samples i and i+1 the
    harness ran sample i (its measured time) and everything else: the rest
    of measure_once, the call, PACER_LOOP's start and stop, and at a
    batch boundary the protocol round trip with the driver."""
    b = bench(load(jpath), "/stamped")
    iters = b["iterations"]
    samples = [x * iters for x in b["samples"]]   # ns per sample
    with open(spath) as f:
        stamps = [int(line) for line in f if line.strip()]
    n = len(samples)
    if len(stamps) < n:
        sys.exit("report: %s: %d stamps for %d samples" % (spath, len(stamps), n))
    e = stamps[-n:]
    extra = [e[i + 1] - e[i] - samples[i] for i in range(n - 1)]
    total = (e[-1] - e[0] - sum(samples[:-1])) / (n - 1)
    # Long gaps: batch boundaries (the driver parses the batch and sends the
    # next request there) and preemptions of the worker.
    typical = med(extra)
    longs = [x for x in extra if x > typical + 50000]
    return {
        "n": n, "iters": iters, "sample": med(samples), "median": typical,
        "total": total, "nlong": len(longs), "long": med(longs) if longs else float("nan"),
    }


def e2e_run(d, side, k):
    """(wall ns, timed ns, samples, statistics ns, resamples recorded) of one
    whole `pacer run`."""
    stem = os.path.join(d, "e2e-%s-%d" % (side, k))
    b = bench(load(stem + ".json"), "/empty")
    with open(stem + ".wall") as f:
        wall = int(f.read())
    with open(stem + ".stats") as f:
        st_ns, _, resamples = f.read().split()
    return (wall, sum(b["samples"]) * b["iterations"], len(b["samples"]), float(st_ns),
            int(resamples))


def section_overhead(d):
    rd = read_ns_median(d)
    st = [stamped_run(j, j.replace("stamped-", "stamps-").replace(".json", ".txt"))
          for j in runs(d, "stamped-*.json")]
    print("  A. inside the worker, from the stamped benchmark (%d runs)" % len(st))
    print("     samples per run: %s; iterations per sample: %s; sample length (median): %s ns"
          % (" ".join(str(s["n"]) for s in st), " ".join(str(s["iters"]) for s in st),
             " ".join("%.0f" % s["sample"] for s in st)))
    print("     per sample, entry-to-entry gap minus the measured sample, minus one clock")
    print("     read (%.1f ns, the stamp itself):" % rd)
    a = [s["median"] - rd for s in st]
    b = [s["total"] - rd for s in st]
    print("       median over samples, per run:            %s ns" % fmt_list(a, "{:.1f}"))
    print("       mean incl. batch round trips, per run:   %s ns" % fmt_list(b, "{:.1f}"))
    print("       gaps over 50 us (batch round trips, preemptions) per run: %s;"
          " their median: %s us" % (" ".join(str(s["nlong"]) for s in st),
                                   " ".join("%.0f" % (s["long"] / 1e3) for s in st)))
    print("  => A: harness time per sample outside the timed loop, within a batch: %.1f ns"
          " (median of samples, median of runs)" % med(a))
    print("  => A: the same with the worker-driver round trips spread over the samples: %.1f ns"
          " (mean, median of runs)" % med(b))

    ks = [int(os.path.basename(p).rsplit(".", 1)[0].rsplit("-", 1)[1])
          for p in runs(d, "e2e-lo-*.json")]
    lo = [e2e_run(d, "lo", k) for k in ks]
    hi = [e2e_run(d, "hi", k) for k in ks]
    nlo, nhi = lo[0][2], hi[0][2]
    around_lo = [r[0] - r[1] for r in lo]
    around_hi = [r[0] - r[1] for r in hi]
    rest_lo = [r[0] - r[1] - r[3] for r in lo]
    rest_hi = [r[0] - r[1] - r[3] for r in hi]
    dn = nhi - nlo
    raw = [(h - l) / dn for h, l in zip(around_hi, around_lo)]
    marg = [(h - l) / dn for h, l in zip(rest_hi, rest_lo)]
    print("  B. whole `pacer run` of 'empty' at %d and at %d samples, %d alternating pairs"
          % (nlo, nhi, len(ks)))
    print("     wall minus timed samples, per run:  %5d samples: %s ms"
          % (nlo, fmt_list([x / 1e6 for x in around_lo], "{:.0f}")))
    print("                                         %5d samples: %s ms"
          % (nhi, fmt_list([x / 1e6 for x in around_hi], "{:.0f}")))
    print("     of it, statistics (bootstrap intervals computed, not resampled):")
    print("                                         %5d samples: %s ms"
          % (nlo, fmt_list([r[3] / 1e6 for r in lo], "{:.0f}")))
    print("                                         %5d samples: %s ms"
          % (nhi, fmt_list([r[3] / 1e6 for r in hi], "{:.0f}")))
    print("     per extra sample, pairs: all of it %s us; without the statistics %s us"
          % (fmt_list([m / 1e3 for m in raw]), fmt_list([m / 1e3 for m in marg])))
    print("  => B: harness time per benchmark run around the samples (median): %.0f ms,"
          " statistics %.0f ms of it" % (med(around_lo + around_hi) / 1e6,
                                         med([r[3] for r in lo + hi]) / 1e6))
    print("  => B: driver and worker time per extra sample, statistics apart"
          " (median of pairs): %.2f us" % (med(marg) / 1e3))
    print("     The statistics grow about linearly with the sample count: the bootstrap")
    print("     intervals come from the bootstrap distribution itself (harness/lib/stats_boot.c),")
    print("     not from resamples.  The cross-check is only as good as the run-to-run")
    print("     noise of the fixed part (see the spread of the pairs).")


def print_samples(path):
    r = load(path)
    if len(r["benchmarks"]) != 1:
        sys.exit("report: %s: expected one benchmark" % path)
    for v in bench(r, "")["samples"]:
        print(repr(v))


def section_empty(d):
    files = runs(d, "empty-*.json")
    for name in ("/empty", "/empty_clobber"):
        ms = [bench(load(p), name)["stats"]["median"] for p in files]
        its = [bench(load(p), name)["iterations"] for p in files]
        print("  %-15s median ns/op per run: %s  (iterations per sample: %s)"
              % (name[1:], fmt_list(ms, "{:.3f}"), " ".join(str(i) for i in its)))
        print("  => %s: pacer's median, median of %d runs: %.3f ns/op"
              % (name[1:], len(ms), med(ms)))


def gb_runs(path, name):
    """(median aggregate of real_time, per-repetition real_times, total timed
    ns, context) of name, in ns."""
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    g = load(path)
    agg, reps, total = None, [], 0.0
    for b in g["benchmarks"]:
        if b.get("run_name", b["name"]) != name:
            continue
        t = b["real_time"] * scale[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            agg = t
        elif b.get("run_type", "iteration") == "iteration":
            reps.append(t)
            total += t * b["iterations"]
    if agg is None:
        sys.exit("report: %s: no median aggregate for %s" % (path, name))
    return agg, reps, total, g["context"]


def compare(d, label, pprefix, gprefix, name):
    """pacer vs gbench for one benchmark over the rounds; returns the gbench context."""
    pf = runs(d, pprefix + "-*.json")
    gf = runs(d, gprefix + "-*.json")
    if len(pf) != len(gf) or not pf:
        sys.exit("report: %d pacer runs, %d gbench runs" % (len(pf), len(gf)))
    pb = [bench(load(f), "/" + name) for f in pf]
    p = [b["stats"]["median"] for b in pb]
    pt = [sum(b["samples"]) * b["iterations"] / 1e9 for b in pb]
    pn = [len(b["samples"]) for b in pb]
    g, gt, gn, gself = [], [], [], []
    ctx = None
    for f in gf:
        v, reps, total, ctx = gb_runs(f, name)
        g.append(v)
        gt.append(total / 1e9)
        gn.append(len(reps))
        gself.append(med(reps))
    ratio = [a / b for a, b in zip(p, g)]
    print("  %s  (%d rounds)" % (label, len(pf)))
    print("    timed chunks per run:  pacer %d, gbench %d" % (med(pn), med(gn)))
    print("    timed seconds per run: pacer  %s" % fmt_list(pt))
    print("                           gbench %s" % fmt_list(gt))
    print("    pacer median ns/op per round:   %s" % fmt_list(p))
    print("    gbench median ns/op per round:  %s" % fmt_list(g))
    if max(abs(a / b - 1) for a, b in zip(gself, g)) > 1e-6:
        print("    (gbench median of its repetitions, recomputed: %s)" % fmt_list(gself))
    print("    pacer / gbench per round:       %s" % fmt_list(ratio, "{:.3f}"))
    print("  => %s: pacer/gbench reported time, median over rounds: %.3f"
          " (ratio of the medians: %.3f)" % (label, med(ratio), med(p) / med(g)))
    print("  => %s: run-to-run CV pacer %.2f%%, gbench %.2f%%; pacer/gbench %.2f"
          % (label, 100 * cv(p), 100 * cv(g), cv(p) / cv(g)))
    print("  => %s: (max-min)/median pacer %.2f%%, gbench %.2f%%; pacer/gbench %.2f"
          % (label, 100 * rel_range(p), 100 * rel_range(g), rel_range(p) / rel_range(g)))
    return ctx


def section_same(d):
    ctx = compare(d, "fnv1a_chain", "same-pacer", "same-gb", "fnv1a_chain")
    compare(d, "fnv1a_indep", "same-pacer", "same-gb", "fnv1a_indep")
    compare(d, "fnv1a_indep -falign-loops=64", "same-pacer64", "same-gb64", "fnv1a_indep")
    if ctx and ctx.get("library_build_type") != "release":
        print("  note: the Google Benchmark library reports library_build_type=%s"
              % ctx.get("library_build_type"))


def loop_span(binary, fn):
    """The timed loop of benchmark function fn: from the target of the first
    backward jump after the call of same_fnv1a (the loop head) to the end of
    that jump, and the 64-byte lines it touches (objdump -d)."""
    out = subprocess.run(["objdump", "-d", "-C", binary], check=True,
                         capture_output=True, text=True).stdout
    inside = sawcall = False
    for line in out.splitlines():
        if line.endswith(">:"):
            name = line.split("<", 1)[1][:-2]
            inside = name == fn or name.startswith(fn + "(")
            continue
        if not inside:
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        addr = int(parts[0].strip().rstrip(":"), 16)
        size = len(parts[1].split())
        insn = parts[2].split()
        if insn[0] == "call" and "same_fnv1a" in parts[2]:
            sawcall = True
        elif sawcall and insn[0].startswith("j") and len(insn) > 1:
            dst = int(insn[1], 16)
            if dst < addr:
                end = addr + size
                return "%-16s 0x%x..0x%x (%d bytes), 64-byte lines touched: %d" % (
                    os.path.basename(binary), dst, end, end - dst,
                    (end - 1) // 64 - dst // 64 + 1)
    return "%-16s timed loop of %s not found" % (os.path.basename(binary), fn)


def main(argv):
    if len(argv) == 4 and argv[1] == "loop":
        print(loop_span(argv[2], argv[3]))
        return
    if len(argv) == 3 and argv[1] == "samples":
        print_samples(argv[2])
        return
    if len(argv) != 3:
        sys.exit("usage: report.py clock|overhead|empty|same DIR | loop BINARY FUNCTION")
    sections = {"clock": section_clock, "overhead": section_overhead,
                "empty": section_empty, "same": section_same}
    if argv[1] not in sections:
        sys.exit("report.py: unknown section '%s'" % argv[1])
    sections[argv[1]](argv[2])


if __name__ == "__main__":
    main(sys.argv)
