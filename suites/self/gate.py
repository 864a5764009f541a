#!/usr/bin/python3
"""gate.py: how the regression gate does on real runs of a real suite, on this
machine, quiet and with one or both cores kept busy by other processes.

    suites/self/gate.py [--rounds R] [--loads 0,1,2] [--slowdown 2] [--paired-only]

The suite is suites/micro/hash's hashfn group (18 benchmarks).  A second copy
of the same binary is the A/A build; a third, the slowed one, hashes its input
twice in SLOWDOWN of every 100 iterations of hashfn/fnv1a (a counter decides),
so its 6 benchmarks do SLOWDOWN % more of the same work at every size (what
pacer ab measured of them is printed) and 12 are unchanged.  All three are
compiled alike from the same source: only a variable's value differs.  Each
round, at each load:

  unpaired  pacer run --processes 10 --samples 20 of each build, then pacer
            compare A A2 (A/A) and A SLOW (A/B), on CPU time where it tracks
            wall time (--basis auto, the default), on wall time (--basis
            wall), and judging the runs as wholes without their reference
            workload (--no-reference)
  paired    pacer ab A A2 and A SLOW with their defaults (3 looks), and the
            same pairs analysed on wall time (pacer compare AB.json --basis
            wall)

and it prints, per mode and basis and load: the false verdicts (regressed or
improved) among unchanged benchmarks, the slowed benchmarks caught, the exit
codes, and for pacer ab the seconds a benchmark took.  A busy core is a
process spinning in a loop (nice 0), as a noisy neighbour on a CI runner.
"""
import argparse
import collections
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILTER = "hashfn"
SLOWED = "hash/hashfn/fnv1a/"


def sh(args, **kw):
    return subprocess.run(args, cwd=ROOT, check=True, **kw)


def build(tmp, slowdown):
    """Three builds of the hash suite, compiled alike from the same source: a
    and a2 (copies of one binary) and slow, which differs only in the value
    of one volatile variable.  fnv1a reads it every iteration in both; in
    slow it makes each iteration hash slowdown % more: where the size is
    small, the whole call again in slowdown of every 100 iterations (a
    counter: hashing more bytes would leave the call's fixed cost unscaled);
    where it is large (few iterations in a sample, so the counter's steps
    would show), slowdown % more bytes in every iteration."""
    sh(["make", "-s", "all"], stdout=subprocess.DEVNULL)
    src = open(os.path.join(ROOT, "suites/micro/hash.c")).read()
    old = "uint64_t h = fnv1a64(b->src, n);"
    if old not in src:
        sys.exit("gate.py: cannot find fnv1a's call in suites/micro/hash.c")
    new = ("uint64_t h = fnv1a64(b->src, n); unsigned s = gate_slow; "
           "if (n * s >= 16000) h ^= fnv1a64(b->src, n * s / 100); "
           "else if ((gate_acc += s) >= 100) { gate_acc -= 100; h ^= fnv1a64(b->src, n); }")
    decl = "static void fnv1a(pacer_state *st)"
    if decl not in src:
        sys.exit("gate.py: cannot find fnv1a in suites/micro/hash.c")
    for d, pct in (("a", 0), ("slow", slowdown)):
        os.makedirs(os.path.join(tmp, d))
        body = src.replace(old, new).replace(
            decl, "static volatile unsigned gate_slow = %d;\nstatic unsigned gate_acc;\n%s"
            % (pct, decl))
        c = os.path.join(tmp, d, "hash.c")
        with open(c, "w") as f:
            f.write(body)
        sh(["gcc", "-std=gnu11", "-O2", "-g", "-D_GNU_SOURCE", "-Iharness/lib", c,
            "build/libpacer.a", "-lm", "-lpthread", "-o", os.path.join(tmp, d, "hash")])
    os.makedirs(os.path.join(tmp, "a2"))
    shutil.copy(os.path.join(tmp, "a", "hash"), os.path.join(tmp, "a2", "hash"))


def pacer(*args):
    """Run build/pacer: (exit code, stdout)."""
    p = subprocess.run([os.path.join(ROOT, "build/pacer")] + list(args), cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.returncode, p.stdout


def tally(text, aa):
    """(false verdicts, unchanged benches, caught, slowed) of a CSV report."""
    false = n = caught = slowed = 0
    for r in csv.DictReader(io.StringIO(text)):
        v = r["verdict"]
        if v not in ("regressed", "improved", "unchanged", "inconclusive"):
            continue
        if not aa and r["benchmark"].startswith(SLOWED):
            slowed += 1
            caught += v == "regressed"
        else:
            n += 1
            false += v in ("regressed", "improved")
    return false, n, caught, slowed


class Tally:
    def __init__(self):
        self.c = collections.Counter()
        self.codes = collections.Counter()
        self.secs = []
        self.changes = []   # the slowed benchmarks' estimated changes

    def add(self, code, text, aa, what=""):
        f, n, d, s = tally(text, aa)
        if f or (aa and code != 0):
            for r in csv.DictReader(io.StringIO(text)):
                if r["verdict"] in ("regressed", "improved") and (
                        aa or not r["benchmark"].startswith(SLOWED)):
                    print(f"  false {r['verdict']} in {what}: {r['benchmark']} "
                          f"{r['change']} [{r['change_lo']}, {r['change_hi']}] {r['note']}",
                          file=sys.stderr)
            if aa and code != 0:
                print(f"  {what}: exit {code}", file=sys.stderr)
        if not aa:
            for r in csv.DictReader(io.StringIO(text)):
                if r["benchmark"].startswith(SLOWED) and r.get("change"):
                    try:
                        self.changes.append(float(r["change"]))
                    except ValueError:
                        pass
        self.c["false"] += f
        self.c["n"] += n
        self.c["caught"] += d
        self.c["slowed"] += s
        self.codes[code] += 1


def busy(k):
    """k processes spinning, one core each."""
    return [subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"])
            for _ in range(k)]


def run_rounds(rounds, loads, fn):
    """fn(load) in each round at each load, with that many cores kept busy."""
    for r in range(rounds):
        for load in loads:
            print(f"round {r + 1} of {rounds}, {load} busy core(s)", file=sys.stderr)
            spin = busy(load)
            try:
                fn(load)
            finally:
                for p in spin:
                    p.kill()
                    p.wait()


def one_round(tmp, load, t, paired_only=False):
    run = ["--processes", "10", "--samples", "20", "--warmup", "50ms", "--filter", FILTER, "-q"]
    for d in (() if paired_only else ("a", "a2", "slow")):
        pacer("run", os.path.join(tmp, d, "hash"), *run, "--out", os.path.join(tmp, d + ".json"))
    a, a2, slow = (os.path.join(tmp, d + ".json") for d in ("a", "a2", "slow"))
    for name, extra in (() if paired_only else
                        (("auto", []), ("wall", ["--basis", "wall"]),
                         ("no reference", ["--no-reference"]))):
        for other, aa in ((a2, True), (slow, False)):
            code, out = pacer("compare", a, other, "--format", "csv", *extra)
            t[("unpaired", name, load, aa)].add(code, out, aa,
                                                f"unpaired {name} {load} busy {'A/A' if aa else 'A/B'}")
            if aa and code != 0:
                print(pacer("compare", a, other, "--color", "never", *extra)[1], file=sys.stderr)
    for other, aa in ((os.path.join(tmp, "a2", "hash"), True),
                      (os.path.join(tmp, "slow", "hash"), False)):
        ab = os.path.join(tmp, "ab.json")
        t0 = time.monotonic()
        code, out = pacer("ab", os.path.join(tmp, "a", "hash"), other, "--filter", FILTER,
                          "-q", "--format", "csv", "--out", ab)
        secs = time.monotonic() - t0
        t[("paired", "auto", load, aa)].add(code, out, aa, f"paired auto {load} busy")
        t[("paired", "auto", load, aa)].secs.append(secs / 18)
        code, out = pacer("compare", ab, "--basis", "wall", "--format", "csv")
        t[("paired", "wall", load, aa)].add(code, out, aa, f"paired wall {load} busy")


def pct(a, b):
    return f"{100 * a / b:.1f}%" if b else "-"


def options(doc, slowdown, slowdown_help):
    """The options both gate.py and counts.py take: (options, loads)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--loads", default="0,1,2", help="busy cores, comma-separated")
    ap.add_argument("--slowdown", type=int, default=slowdown, help=slowdown_help)
    ap.add_argument("--paired-only", action="store_true",
                    help="only the paired runs (pacer ab): a third of the time")
    o = ap.parse_args()
    return o, [int(x) for x in o.loads.split(",")]


def main():
    o, loads = options(__doc__, 2, "%% slower fnv1a")
    tmp = tempfile.mkdtemp(prefix="pacer-gate-")
    t = collections.defaultdict(Tally)
    try:
        build(tmp, o.slowdown)
        run_rounds(o.rounds, loads, lambda load: one_round(tmp, load, t, o.paired_only))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"pacer's gate on real runs of suites/micro/hash ({FILTER}: 18 benchmarks, 6 of them "
          f"{o.slowdown}% slower in A/B), {o.rounds} rounds, {os.cpu_count()} cpus, "
          f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    for load in loads:
        ch = sorted(t[("paired", "auto", load, False)].changes)
        if ch:
            print(f"the slowed benchmarks as pacer ab measured them, {load} busy: median "
                  f"{100 * ch[len(ch) // 2]:+.2f} %, from {100 * ch[0]:+.2f} to {100 * ch[-1]:+.2f} %")
    print(f"{'mode':9} {'basis':13} {'busy':>4}  {'A/A false':>16}  {'A/B false':>16}  "
          f"{'A/B caught':>16}  {'A/A exit codes':16} {'A/B exit codes':16} {'s/bench':>7}")
    for mode, basis in (() if o.paired_only else
                        (("unpaired", "auto"), ("unpaired", "wall"), ("unpaired", "no reference"))) + \
            (("paired", "auto"), ("paired", "wall")):
        for load in loads:
            aa, ab = t[(mode, basis, load, True)], t[(mode, basis, load, False)]
            codes = lambda x: " ".join(f"{k}:{v}" for k, v in sorted(x.codes.items()))
            secs = sorted(ab.secs + aa.secs)
            med = f"{secs[len(secs) // 2]:.1f}" if secs else "-"
            print(f"{mode:9} {basis:13} {load:>4}  "
                  f"{aa.c['false']:>4}/{aa.c['n']:<4} {pct(aa.c['false'], aa.c['n']):>6}  "
                  f"{ab.c['false']:>4}/{ab.c['n']:<4} {pct(ab.c['false'], ab.c['n']):>6}  "
                  f"{ab.c['caught']:>4}/{ab.c['slowed']:<4} {pct(ab.c['caught'], ab.c['slowed']):>6}  "
                  f"{codes(aa):16} {codes(ab):16} {med:>7}")


if __name__ == "__main__":
    main()
