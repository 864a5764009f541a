#!/usr/bin/python3
"""What the open loop costs: generator CPU per request, against the closed loop.

Against Debian's nginx (1 worker, as load_vs_wrk.py starts it), alternating,
ROUNDS times each:

  open R      pacer load -R RATE -c 50 -t 1 (open loop, constant spacing)
  closed 50   pacer load -c 50 -t 1 (closed loop, as fast as nginx answers)
  closed 2    pacer load -c 2 -t 1 (closed loop with about the open loop's
              throughput here, so that both wake about as often)

and the open loop at 3,000/s with 100 connections against testsrv in stall
mode (1 s every 5 s), where it once spun at a whole core; and last what a
bare timer wake-up costs this machine at the open loop's spacing
(build/self/wakecost, suites/self/wakecost.c): the floor of a loop that
sleeps between its sends.  Each line gives
throughput, the generator's CPU per request in its measured window (user +
sys of its threads, from the result), and the busiest thread's share of a
CPU; then the ratios open / closed of the medians.

usage: suites/self/load_openloop.py [--rounds 5] [--rate 20000] [--duration 3]
       [--pacer build/pacer]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_vs_wrk  # noqa: E402  (nginx start and stop)


def run(pacer, url, args, out):
    """One pacer load: (requests/s, CPU us per request, busiest thread)."""
    p = subprocess.run([pacer, "load", url, "-q", "--out", out] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 3):
        sys.exit("pacer failed (%d): %s" % (p.returncode, p.stderr))
    with open(out) as f:
        blk = json.load(f)["benchmarks"][0]["load"][0]
    g = blk["generator"]
    n = max(blk["requests"], 1)
    return (blk["requests"] / (blk["elapsed_ns"] / 1e9), (g["cpu_user"] + g["cpu_sys"]) / n * 1e6,
            g["busy_max"], blk["valid"], blk["invalid_reason"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--duration", type=int, default=3)
    ap.add_argument("--pacer", default=os.path.join(os.environ.get("PACER_BUILD", "build"),
                                                    "pacer"))
    a = ap.parse_args()
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    testsrv = os.path.join(root, os.environ.get("PACER_BUILD", "build"), "suites", "targets",
                           "testsrv")
    tmp = tempfile.mkdtemp(prefix="pacer-open-")
    out = os.path.join(tmp, "r.json")
    d = ["-d", "%ds" % a.duration]
    cases = [("open %d/s" % a.rate, ["-R", str(a.rate), "-c", "50", "-t", "1"] + d),
             ("closed 50", ["-c", "50", "-t", "1"] + d),
             ("closed 2", ["-c", "2", "-t", "1"] + d)]
    rows = {name: [] for name, _ in cases}
    srv, url = load_vs_wrk.start_nginx(tmp)
    try:
        print("nginx 1 worker at %s; load average %.2f; %d rounds, alternating"
              % (url, os.getloadavg()[0], a.rounds))
        print("%-6s %-14s %12s %14s %10s" % ("round", "case", "requests/s", "CPU us/request",
                                             "busiest"))
        for i in range(a.rounds):
            order = cases if i % 2 == 0 else list(reversed(cases))
            for name, args in order:
                r = run(a.pacer, url, args, out)
                rows[name].append(r)
                print("%-6d %-14s %12.0f %14.2f %9.0f%%%s" % (
                    i + 1, name, r[0], r[1], r[2] * 100,
                    "" if r[3] else "  invalid: " + r[4]))
    finally:
        load_vs_wrk.stop(srv)
    med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
               statistics.median(r[2] for r in v)) for k, v in rows.items()}
    print()
    for name, _ in cases:
        print("median %-14s %8.0f requests/s  %6.2f us CPU a request  busiest thread %.0f%%"
              % (name, med[name][0], med[name][1], med[name][2] * 100))
    o = med[cases[0][0]][1]
    print("CPU a request, open / closed 50: %.2f;  open / closed 2: %.2f"
          % (o / med["closed 50"][1], o / med["closed 2"][1]))
    # the case that spun: 3,000/s, 100 connections, a server stalling 1 s every 5 s
    p = subprocess.Popen([testsrv, "--mode", "stall", "--max-time", "60"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline()
        port = line.split()[-1]
        busy = []
        for _ in range(max(1, a.rounds // 2)):
            r = run(a.pacer, "http://127.0.0.1:%s/" % port,
                    ["-R", "3000", "-c", "100", "-t", "1", "-d", "6s"], out)
            busy.append(r[2])
        print("stalling server, 3000/s, 100 connections, 6 s: busiest thread %s of a CPU"
              % " ".join("%.0f%%" % (b * 100) for b in busy))
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    wake = os.path.join(root, os.environ.get("PACER_BUILD", "build"), "self", "wakecost")
    if subprocess.run(["make", "-s", "-C", root, os.path.relpath(wake, root)]).returncode == 0:
        print("a bare timer wake: " + subprocess.run(
            [wake, str(int(1e9 / a.rate))], stdout=subprocess.PIPE, text=True).stdout.strip())


if __name__ == "__main__":
    main()
