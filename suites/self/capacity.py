#!/usr/bin/python3
"""Accuracy of the capacity search: pacer load --capacity against servers
whose capacity is known.

testsrv in serial mode serves one request at a time, each taking --delay:
its capacity is 1/delay requests/s.  For each delay this runs the search
RUNS times from the closed-loop probe and RUNS times from a range a factor
4 around the truth (--capacity-range T/4:4T, so the bisection does the
work), and prints per case the capacity found against the truth: the
median ratio, its spread (min..max), the steps a search took and its wall
time.  The objective is p99 < 20 ms; past the capacity a queue grows by
(rate/capacity - 1) seconds of work each second, so the objective's own
limit is about 1 % above the capacity for 1 s steps: a search of 5 %
precision should land in [0.95, 1.01] of the truth.

usage: suites/self/capacity.py [--runs 3] [--delays 1ms,2ms,5ms] [--step 500ms]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def parse_ms(s):
    return float(s[:-2]) if s.endswith("ms") else float(s) * 1000


def one(a, url, tmp, truth, mode, k):
    out = os.path.join(tmp, "cap-%s-%d-%d.json" % (mode, int(truth), k))
    cmd = [a.pacer, "load", url, "-c", "64", "-d", a.confirm, "--capacity",
           "latency.p99 < 20ms", "--capacity-step", a.step, "-q", "--out", out]
    if mode == "range":
        cmd += ["--capacity-range", "%g:%g" % (truth / 4, truth * 4)]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if r.returncode not in (0, 1, 3):
        sys.exit("pacer failed (%d): %s" % (r.returncode, r.stderr))
    with open(out) as f:
        c = json.load(f)["benchmarks"][0]["capacity"]
    return c["answer"], c["status"], sum(not s["confirm"] for s in c["steps"]), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--delays", default="1ms,2ms,5ms")
    ap.add_argument("--step", default="500ms")
    ap.add_argument("--confirm", default="1s")
    build = os.environ.get("PACER_BUILD", "build")
    ap.add_argument("--pacer", default=os.path.join(build, "pacer"))
    ap.add_argument("--testsrv", default=os.path.join(build, "suites", "targets", "testsrv"))
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="pacer-capacity-")
    print("%-8s %-6s %8s %9s %8s %13s %6s %7s %s" % ("delay", "start", "truth/s", "found/s",
                                                     "ratio", "min..max", "steps", "wall_s",
                                                     "status"))
    for d in a.delays.split(","):
        truth = 1000.0 / parse_ms(d)
        srv = subprocess.Popen([a.testsrv, "--port", "0", "--mode", "serial", "--delay", d,
                                "--max-time", "900s"], stdout=subprocess.PIPE, text=True)
        try:
            line = srv.stdout.readline()
            if not line.startswith("listening on "):
                sys.exit("testsrv did not start: %r" % line)
            url = "http://127.0.0.1:%s/" % line.split()[-1]
            for mode in ("probe", "range"):
                runs = [one(a, url, tmp, truth, mode, k) for k in range(a.runs)]
                ratios = [x[0] / truth for x in runs]
                print("%-8s %-6s %8.0f %9.0f %8.3f %6.3f..%.3f %6.1f %7.1f %s" % (
                    d, mode, truth, statistics.median(x[0] for x in runs),
                    statistics.median(ratios), min(ratios), max(ratios),
                    statistics.mean(x[2] for x in runs), statistics.mean(x[3] for x in runs),
                    ",".join(sorted(set(x[1] for x in runs)))), flush=True)
        finally:
            srv.kill()
            srv.wait()


if __name__ == "__main__":
    main()
