#!/usr/bin/python3
"""Coordinated omission, measured: a server that stalls 1 s every 5 s.

Starts testsrv --mode stall (the whole server stops for STALL seconds every
EVERY seconds, on a fixed grid), then loads it with pacer twice for the
same whole number of cycles (after a warmup of one cycle):

  - open loop at RATE requests/s: latency from each request's intended
    start, and from its actual write;
  - closed loop with CONNECTIONS connections (as wrk does).

and prints their percentiles beside the analytic expectation for users who
arrive at a constant rate.  A request arriving u seconds into a stall waits
STALL - u more; the server stalls a fraction f = STALL/EVERY of the time, so
with a fast server the latency exceeds x (0 <= x <= STALL) with probability
f * (1 - x/STALL):

    p-th percentile = STALL * (1 - (1 - p) / f)   when 1 - p < f, else ~0.

usage: suites/self/load_stall.py [--rate 1000] [--connections 50]
       [--cycles 4] [--every 5] [--stall 1] [--pacer build/pacer]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

PCTS = [("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p99.9", 0.999), ("max", 1.0)]


def expected(p, stall, every):
    f = stall / every
    if 1 - p >= f:
        return 0.0
    return stall * (1 - (1 - p) / f)


def ms(ns):
    return "%.1f ms" % (ns / 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--cycles", type=int, default=4)
    ap.add_argument("--every", type=float, default=5.0)
    ap.add_argument("--stall", type=float, default=1.0)
    build = os.environ.get("PACER_BUILD", "build")
    ap.add_argument("--pacer", default=os.path.join(build, "pacer"))
    ap.add_argument("--testsrv", default=os.path.join(build, "suites", "targets", "testsrv"))
    a = ap.parse_args()
    duration = a.cycles * a.every
    srv = subprocess.Popen([a.testsrv, "--port", "0", "--mode", "stall", "--stall-every",
                            "%gs" % a.every, "--stall-for", "%gs" % a.stall, "--max-time",
                            "%gs" % (3 * duration + 30)], stdout=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        if not line.startswith("listening on "):
            sys.exit("testsrv did not start: %r" % line)
        url = "http://127.0.0.1:%s/" % line.split()[-1]
        tmp = tempfile.mkdtemp(prefix="pacer-stall-")
        res = {}
        # a warmup of one period: the server's first stall comes one period
        # after its start, so the window then holds whole periods
        common = ["-d", "%gs" % duration, "--warmup", "%gs" % a.every, "-t", "1", "--timeout", "%gs" % (2 * a.stall + 1),
                  "-q", "--monitor", str(srv.pid)]
        for mode, extra in (("open", ["-R", "%g" % a.rate, "-c", str(a.connections)]),
                            ("closed", ["-c", str(a.connections)])):
            out = os.path.join(tmp, mode + ".json")
            r = subprocess.run([a.pacer, "load", url] + extra + common + ["--out", out],
                               capture_output=True, text=True)
            if r.returncode not in (0, 3):
                sys.exit("pacer failed (%d): %s" % (r.returncode, r.stderr))
            with open(out) as f:
                res[mode] = json.load(f)["benchmarks"][0]["load"][0]
        print("server: stalls %gs every %gs (%.0f%% of the time); %g s = %d cycles measured"
              % (a.stall, a.every, 100 * a.stall / a.every, duration, a.cycles))
        o, c = res["open"], res["closed"]
        print("open loop:   %d requests at %g/s, %d connections; %d late, %d sent late in all, "
              "%d errors; valid: %s" % (o["requests"], a.rate, a.connections, o["late"],
                                        o["queued"], o["errors"]["total"], o["valid"]))
        print("closed loop: %d requests, %d connections, %d errors"
              % (c["requests"], a.connections, c["errors"]["total"]))
        print()
        print("%-7s %14s %18s %16s %14s" % ("", "expected", "open (intended)", "open (from send)",
                                            "closed loop"))
        for name, p in PCTS:
            exp = expected(p, a.stall, a.every) * 1e9 if p < 1 else a.stall * 1e9
            print("%-7s %14s %18s %16s %14s" % (
                name, ms(exp), ms(o["percentiles"][name]), ms(o["percentiles_from_send"][name]),
                ms(c["percentiles"][name])))
        p99 = o["percentiles"]["p99"]
        e99 = expected(0.99, a.stall, a.every) * 1e9
        print()
        print("open-loop p99 / expected p99: %.3f; closed-loop p99 / expected p99: %.4f"
              % (p99 / e99, c["percentiles"]["p99"] / e99))
    finally:
        srv.terminate()
        srv.wait(5)


if __name__ == "__main__":
    main()
