#!/usr/bin/python3
"""How long `pacer merge` takes for many segments, and how large they are.

Runs one real `pacer load --segment 1/1` against the test server
(build/suites/targets/testsrv on loopback, open loop at 2,000/s) with a
long series (--interval 10ms over --duration: 600 intervals for 6 s), then
writes N copies of that result as segments 1..N of one run of N (the same
run id, their index and count changed: a stand-in for N generators each
running that load), and times
`pacer merge OUT seg*.json` ROUNDS times.  Prints the size of one segment,
of the merged file, the median wall and CPU time of the merge (CPU time:
user + sys of the merge process, what a busy machine does not inflate) and
its peak memory (ru_maxrss), and checks the merged request count is N
times one segment's.

usage: suites/self/merge_scale.py [--segments 256] [--rounds 3]
       [--duration 6] [--interval 10ms] [--pacer build/pacer]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def start_server(build):
    srv = subprocess.Popen([os.path.join(build, "suites/targets/testsrv"), "--port", "0",
                            "--max-time", "120s"], stdout=subprocess.PIPE)
    line = srv.stdout.readline().decode()
    if not line.startswith("listening on"):
        srv.kill()
        sys.exit("testsrv did not start: %r" % line)
    return srv, int(line.split()[2])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--segments", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=6)
    ap.add_argument("--interval", default="10ms")
    ap.add_argument("--pacer", default="build/pacer")
    a = ap.parse_args()
    build = os.path.dirname(os.path.abspath(a.pacer))
    tmp = tempfile.mkdtemp(prefix="pacer-merge-scale-")
    srv, port = start_server(build)
    try:
        one = os.path.join(tmp, "one.json")
        rc = subprocess.run([a.pacer, "load", "http://127.0.0.1:%d/" % port, "-c", "8",
                             "-t", "1", "-R", "2000", "-d", "%ds" % a.duration,
                             "--interval", a.interval, "--segment", "1/1",
                             "--run-id", "scale", "--out", one, "-q"]).returncode
        if rc not in (0, 3):
            sys.exit("pacer load exited %d" % rc)
        with open(one) as f:
            seg = json.load(f)
        req = seg["benchmarks"][0]["load"][0]["requests"]
        niv = len(seg["benchmarks"][0]["load"][0].get("series", {}).get("rows", []))
        files = []
        for i in range(1, a.segments + 1):
            seg["segment"]["index"] = i
            seg["segment"]["count"] = a.segments
            p = os.path.join(tmp, "seg-%04d.json" % i)
            with open(p, "w") as f:
                json.dump(seg, f)
            files.append(p)
        times, cpu, rss = [], [], []
        for _ in range(a.rounds):
            out = os.path.join(tmp, "merged.json")
            if os.path.exists(out):
                os.unlink(out)
            u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            r = subprocess.run([a.pacer, "merge", out] + files + ["-q"])
            times.append(time.monotonic() - t0)
            u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(u1.ru_utime + u1.ru_stime - u0.ru_utime - u0.ru_stime)
            rss.append(u1.ru_maxrss)
            if r.returncode not in (0, 3):
                sys.exit("pacer merge exited %d" % r.returncode)
        with open(out) as f:
            merged = json.load(f)
        mreq = merged["benchmarks"][0]["load"][0]["requests"]
        print("one segment: %d requests, %d series intervals, %.0f KiB" %
              (req, niv, os.path.getsize(files[0]) / 1024))
        print("merged %d segments: %.0f KiB; merge wall time median %.3f s (rounds %s), "
              "CPU time median %.3f s; peak memory %.0f MiB" %
              (a.segments, os.path.getsize(out) / 1024, statistics.median(times),
               ", ".join("%.3f" % t for t in times), statistics.median(cpu), max(rss) / 1024))
        print("merged requests %d = %d x %d: %s" %
              (mreq, a.segments, req, "ok" if mreq == a.segments * req else "WRONG"))
        return 0 if mreq == a.segments * req else 1
    finally:
        srv.kill()
        srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
