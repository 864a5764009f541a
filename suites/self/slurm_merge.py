#!/usr/bin/python3
"""One load split over two Slurm tasks and merged, against the same load from one process.

Starts the one-host Slurm cluster of suites/distributed/slurm-local.sh and
Debian's nginx (1 worker, a small static file) on loopback, then for a few
rounds, alternately:

  merged  srun -n 2 --ntasks-per-node 2 pacer load URL --segment auto
          --start-at T --out DIR/seg-%t.json ...; pacer merge DIR/merged.json
          DIR/seg-0.json DIR/seg-1.json
  single  pacer load URL ... (the same total rate, connections, duration)

and prints the medians over the rounds of p50/p90/p99/p99.9 (from each
request's intended start, and from its send) and requests/s, merged against
single, with each round's values, and the merged request count against the
sum of the segments'.  Open loop (-R) so that the load is the same split or
not.  Everything lives in a temporary directory and is stopped at the end.

  /usr/bin/python3 suites/self/slurm_merge.py [--rounds 3] [--rate 1000]
      [-c 8] [-d 3s] [--warmup 500ms] [--late 10ms]

pacer is build/pacer (or $PACER); run as root (the cluster's SlurmUser).
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_vs_wrk import start_nginx, stop  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = os.path.join(ROOT, "suites", "distributed", "slurm-local.sh")
PCTS = ("p50", "p90", "p99", "p99.9")


def load_args(a, url):
    return [url, "-R", str(a.rate), "-c", str(a.c), "-t", "1", "-d", a.d, "--warmup",
            a.warmup, "--late", a.late, "-q"]


def figures(path):
    """requests, requests/s, percentiles (from intended start, from send) of a result."""
    with open(path) as f:
        load = json.load(f)["benchmarks"][0]["load"][0]
    secs = load["elapsed_ns"] / 1e9
    return {"requests": load["requests"], "rps": load["requests"] / secs,
            "valid": load.get("valid", True),
            "pct": {p: load["percentiles"][p] for p in PCTS},
            "send": {p: load["percentiles_from_send"][p] for p in PCTS}}


def merged_round(a, pacer, url, env, d):
    os.makedirs(d)
    start = (datetime.datetime.now(datetime.timezone.utc) +
             datetime.timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    srun = ["srun", "-n", "2", "--ntasks-per-node", "2", pacer, "load"] + load_args(a, url) + \
        ["--segment", "auto", "--start-at", start, "--out", os.path.join(d, "seg-%t.json")]
    p = subprocess.run(srun, env=env, capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 3):
        sys.exit("srun exited %d: %s" % (p.returncode, p.stderr))
    segs = [os.path.join(d, "seg-%d.json" % i) for i in (0, 1)]
    m = subprocess.run([pacer, "merge", os.path.join(d, "merged.json")] + segs + ["-q"],
                       capture_output=True, text=True, timeout=30)
    if m.returncode not in (0, 3):
        sys.exit("pacer merge exited %d: %s" % (m.returncode, m.stderr))
    got = figures(os.path.join(d, "merged.json"))
    got["sum"] = sum(figures(s)["requests"] for s in segs)
    got["codes"] = (p.returncode, m.returncode)
    return got


def single_round(a, pacer, url, d):
    out = os.path.join(d, "single.json")
    p = subprocess.run([pacer, "load"] + load_args(a, url) + ["--out", out],
                       capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 3):
        sys.exit("pacer load exited %d: %s" % (p.returncode, p.stderr))
    got = figures(out)
    got["codes"] = (p.returncode,)
    return got


def ms(ns):
    return "%.3g ms" % (ns / 1e6)


def table(merged, single):
    print("| | merged (2 tasks) | single process | merged / single | rounds: merged; single |")
    print("|---|---|---|---|---|")
    for key, label in (("pct", ""), ("send", " from send")):
        for p in PCTS:
            mv = [r[key][p] for r in merged]
            sv = [r[key][p] for r in single]
            mm, sm = statistics.median(mv), statistics.median(sv)
            print("| %s%s | %s | %s | %.2f | %s; %s |" % (
                p, label, ms(mm), ms(sm), mm / sm, " ".join(ms(x) for x in mv),
                " ".join(ms(x) for x in sv)))
    mr = statistics.median(r["rps"] for r in merged)
    sr = statistics.median(r["rps"] for r in single)
    print("| requests/s | %.1f | %.1f | %.3f | |" % (mr, sr, mr / sr))
    same = sum(r["requests"] == r["sum"] for r in merged)
    print("merged requests the segments' sum in %d of %d rounds: %s" % (
        same, len(merged), ", ".join("%d = %d" % (r["requests"], r["sum"]) if
                                     r["requests"] == r["sum"] else "%d != %d" %
                                     (r["requests"], r["sum"]) for r in merged)))
    print("exit codes (srun, merge): %s; single: %s; valid: merged %d of %d, single %d of %d" % (
        " ".join("%d,%d" % r["codes"] for r in merged),
        " ".join("%d" % r["codes"] for r in single),
        sum(bool(r["valid"]) for r in merged), len(merged),
        sum(bool(r["valid"]) for r in single), len(single)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("-c", type=int, default=8)
    ap.add_argument("-d", default="3s")
    ap.add_argument("--warmup", default="500ms")
    ap.add_argument("--late", default="10ms")
    a = ap.parse_args()
    pacer = os.path.abspath(os.environ.get("PACER", os.path.join(ROOT, "build", "pacer")))
    tmp = tempfile.mkdtemp(prefix="pacer-slurm-")
    os.chmod(tmp, 0o755)
    slurm = os.path.join(tmp, "slurm")
    env = dict(os.environ, SLURM_CONF=os.path.join(slurm, "slurm.conf"))
    srv = None
    try:
        c = subprocess.run([CLUSTER, "start", slurm, "30", "600"], stdout=subprocess.DEVNULL,
                           timeout=60)
        if c.returncode != 0:
            sys.exit("the one-host cluster did not start (%d)" % c.returncode)
        srv, url = start_nginx(tmp)
        print("nginx 1 worker at %s; -R %d -c %d -d %s --warmup %s --late %s, %d rounds; "
              "load average %.2f" % (url, a.rate, a.c, a.d, a.warmup, a.late, a.rounds,
                                     os.getloadavg()[0]))
        merged, single = [], []
        for i in range(a.rounds):
            merged.append(merged_round(a, pacer, url, env, os.path.join(tmp, "r%d" % i)))
            single.append(single_round(a, pacer, url, os.path.join(tmp, "r%d" % i)))
        table(merged, single)
    finally:
        if srv:
            stop(srv)
        subprocess.run([CLUSTER, "stop", slurm], timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
