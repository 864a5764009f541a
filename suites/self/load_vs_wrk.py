#!/usr/bin/python3
"""pacer load against wrk, on the same nginx, in the same run.

Starts Debian's nginx (1 worker, a small static file) on loopback, then runs
wrk and `pacer load` alternately with the same connections, threads and
duration, ROUNDS times each, and prints per run and as medians:

  - requests/s, ratio pacer/wrk;
  - requests per CPU-second of the generator process (user + sys of the
    whole process, from wait4), ratio pacer/wrk;
  - system calls per request (strace -c -f, one extra short run of each,
    when --syscalls is given), to show where the CPU goes.

usage: suites/self/load_vs_wrk.py [--rounds 5] [--connections 64]
       [--threads 1] [--duration 5] [--pacer build/pacer] [--syscalls]
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {tmp}/www;
        location / {{ }}
    }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            sys.exit("nginx exited: %s" % proc.stderr.read().decode(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit("nginx did not listen on %d" % port)


def timed(argv):
    """Run argv; return (stdout, user+sys CPU seconds of it and its children)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    # communicate() reaped it; its rusage is in RUSAGE_CHILDREN deltas
    return p.returncode, out.decode(), err.decode()


def run_measured(argv):
    before = os.times()
    rc, out, err = timed(argv)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return rc, out, err, cpu


def parse_wrk(out):
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if not m:
        sys.exit("cannot read wrk's output:\n" + out)
    n = int(m.group(1))
    secs = float(m.group(2)) * {"s": 1, "ms": 1e-3, "m": 60}.get(m.group(3), 1)
    errors = 0
    m2 = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m2:
        errors = sum(int(x) for x in m2.groups())
    m3 = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m3:
        errors += int(m3.group(1))
    return n, secs, errors


def parse_pacer(path):
    with open(path) as f:
        r = json.load(f)
    blk = r["benchmarks"][0]["load"][0]
    return blk["requests"], blk["elapsed_ns"] / 1e9, blk["errors"]["total"], blk


def syscalls(argv, tmp):
    """System calls per process (strace -c -f): {name: count}."""
    if not shutil.which("strace"):
        return None
    out = os.path.join(tmp, "strace.txt")
    so = subprocess.run(["strace", "-c", "-f", "-o", out] + argv, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True).stdout
    calls = {}
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1].isidentifier():
                calls[parts[-1]] = int(parts[3])
    return calls, so


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--pacer", default=os.path.join(os.environ.get("PACER_BUILD", "build"), "pacer"))
    ap.add_argument("--syscalls", action="store_true")
    a = ap.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("%s is not installed (make deps installs nginx-light and wrk)" % tool)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    tmp = tempfile.mkdtemp(prefix="pacer-wrk-")
    port = free_port()
    os.chmod(tmp, 0o755)   # nginx workers run as an unprivileged user
    os.makedirs(os.path.join(tmp, "www"))
    with open(os.path.join(tmp, "www", "index.html"), "w") as f:
        f.write("<html><body>" + "pacer " * 100 + "</body></html>\n")
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=port))
    srv = subprocess.Popen([nginx, "-c", os.path.join(tmp, "nginx.conf"), "-p", tmp, "-e", "stderr"],
                           stderr=subprocess.PIPE)
    try:
        wait_port(port, srv)
        url = "http://127.0.0.1:%d/index.html" % port
        c, t, d = str(a.connections), str(a.threads), str(a.duration)
        wrk = ["wrk", "-c", c, "-t", t, "-d", d + "s", url]
        out = os.path.join(tmp, "pacer.json")
        pacer = [a.pacer, "load", url, "-c", c, "-t", t, "-d", d + "s", "--out", out, "-q",
                 "--monitor", str(srv.pid)]
        print("nginx 1 worker on 127.0.0.1:%d; %s connections, %s threads, %ss; %d rounds, "
              "alternating" % (port, c, t, d, a.rounds))
        print("%-6s %-6s %12s %8s %10s %14s" % ("round", "tool", "requests/s", "errors",
                                                "cpu s", "requests/cpu-s"))
        rows = {"wrk": [], "pacer": []}
        for i in range(a.rounds):
            order = ("wrk", "pacer") if i % 2 == 0 else ("pacer", "wrk")
            for tool in order:
                rc, so, se, cpu = run_measured(wrk if tool == "wrk" else pacer)
                if cpu <= 0:
                    sys.exit("%s: no CPU time measured (rc %d): %s %s" % (tool, rc, so, se))
                if tool == "wrk":
                    if rc != 0:
                        sys.exit("wrk failed: " + se)
                    n, secs, errs = parse_wrk(so)
                else:
                    if rc not in (0, 3):
                        sys.exit("pacer failed (%d): %s" % (rc, se))
                    n, secs, errs, blk = parse_pacer(out)
                    if not blk["valid"]:
                        print("  (pacer marked the run invalid: %s)" % blk["invalid_reason"])
                rps = n / secs
                rows[tool].append((rps, n / cpu if cpu > 0 else float("nan"), errs, cpu))
                print("%-6d %-6s %12.0f %8d %10.2f %14.0f" % (i + 1, tool, rps, errs, cpu, n / cpu))
        med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v))
               for k, v in rows.items()}
        print()
        print("median requests/s:          pacer %.0f  wrk %.0f  ratio pacer/wrk %.3f"
              % (med["pacer"][0], med["wrk"][0], med["pacer"][0] / med["wrk"][0]))
        print("median requests/CPU-second: pacer %.0f  wrk %.0f  ratio pacer/wrk %.3f"
              % (med["pacer"][1], med["wrk"][1], med["pacer"][1] / med["wrk"][1]))
        ratios = [p[0] / w[0] for p, w in zip(rows["pacer"], rows["wrk"])]
        eff = [p[1] / w[1] for p, w in zip(rows["pacer"], rows["wrk"])]
        print("per-round ratios: throughput %s" % " ".join("%.3f" % x for x in ratios))
        print("                  per CPU-s  %s" % " ".join("%.3f" % x for x in eff))
        if a.syscalls:
            short = ["-d", "2s"]
            for tool, argv in (("wrk", ["wrk", "-c", c, "-t", t] + short + [url]),
                               ("pacer", [a.pacer, "load", url, "-c", c, "-t", t] + short +
                                ["--out", out, "-q"])):
                got = syscalls(argv, tmp)
                if got is None:
                    print("strace is not installed: no system call counts")
                    break
                calls, so = got
                if tool == "wrk":
                    n = max(parse_wrk(so)[0], 1)
                else:
                    n = max(parse_pacer(out)[0], 1)
                top = sorted(calls.items(), key=lambda kv: -kv[1])[:6]
                print("%s system calls per request (strace, separate 2 s run): %s" % (
                    tool, ", ".join("%s %.2f" % (k, v / n) for k, v in top)))
    finally:
        srv.terminate()
        try:
            srv.wait(5)
        except subprocess.TimeoutExpired:
            srv.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
