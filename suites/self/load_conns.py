#!/usr/bin/python3
"""Memory per connection: pacer load with 10,000 connections from one process.

Starts testsrv (ok mode) on loopback and runs `pacer load` against it with
SMALL and then LARGE connections (closed loop, the same duration), and
prints, from the monitor's series of pacer itself: the peak RSS of each run,
the requests and errors, and the RSS per extra connection
(peak_large - peak_small) / (LARGE - SMALL).  pacer raises its open-file
limit to the hard limit; LARGE must stay below that.

usage: suites/self/load_conns.py [--large 10000] [--small 100] [--duration 5]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile


def peak_rss(blk):
    for s in blk["monitor"]:
        if s["label"] == "pacer":
            col = s["columns"].index("rss")
            return max(r[col] for r in s["rows"])
    sys.exit("no monitor series for pacer")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--small", type=int, default=100)
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--threads", type=int, default=2)
    build = os.environ.get("PACER_BUILD", "build")
    ap.add_argument("--pacer", default=os.path.join(build, "pacer"))
    ap.add_argument("--testsrv", default=os.path.join(build, "suites", "targets", "testsrv"))
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if a.large + 64 > hard:
        sys.exit("the open-file hard limit is %d: too low for %d connections" % (hard, a.large))
    srv = subprocess.Popen([a.testsrv, "--port", "0", "--mode", "ok", "--max-time", "300s",
                            "--backlog", "16384"], stdout=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        if not line.startswith("listening on "):
            sys.exit("testsrv did not start: %r" % line)
        url = "http://127.0.0.1:%s/" % line.split()[-1]
        tmp = tempfile.mkdtemp(prefix="pacer-conns-")
        rows = []
        for n in (a.small, a.large):
            out = os.path.join(tmp, "c%d.json" % n)
            r = subprocess.run([a.pacer, "load", url, "-c", str(n), "-t", str(a.threads), "-d",
                                "%gs" % a.duration, "--warmup", "1s", "--timeout", "10s", "-q",
                                "--monitor", str(srv.pid), "--out", out],
                               capture_output=True, text=True)
            if r.returncode not in (0, 3):
                sys.exit("pacer failed (%d): %s" % (r.returncode, r.stderr))
            with open(out) as f:
                blk = json.load(f)["benchmarks"][0]["load"][0]
            rss = peak_rss(blk)
            rows.append((n, rss, blk))
            srv_fds = [s for s in blk["monitor"] if s["label"] == "server"][0]["summary"]["fds_max"]
            print("%6d connections: %9d requests, %d errors, %.0f/s, p99 %.2f ms; pacer peak RSS "
                  "%.1f MiB; server fds max %.0f"
                  % (n, blk["requests"], blk["errors"]["total"], blk["throughput"],
                     blk["percentiles"]["p99"] / 1e6, rss / 1048576, srv_fds))
        (n0, r0, _), (n1, r1, _) = rows
        print("RSS per extra connection: (%.1f MiB - %.1f MiB) / %d = %.0f bytes"
              % (r1 / 1048576, r0 / 1048576, n1 - n0, (r1 - r0) / (n1 - n0)))
    finally:
        srv.terminate()
        srv.wait(5)


if __name__ == "__main__":
    main()
