#!/usr/bin/python3
"""pacer load against wrk (and ab), on the same nginx, in the same run.

Starts Debian's nginx (1 worker, a small static file) on loopback, then runs
the other tool and `pacer load` alternately with the same connections,
threads and duration, ROUNDS times each, and prints per run and as medians:

  - requests/s, ratio pacer/other;
  - requests per CPU-second of the generator process (user + sys of the
    whole process, from wait4), ratio pacer/other;
  - system calls per request (strace -c -f, one extra short run of each,
    when --syscalls is given), to show where the CPU goes;
  - with --perf, where pacer's CPU goes (perf record -e cpu-clock, one
    extra run): the share in the kernel, in pacer and libc, and in the
    system calls' entry and exit and context switches.

Cases (--case, repeatable; --all runs every one and ends with a table):

  keepalive   wrk and pacer, keep-alive, --connections, --threads
  io          pacer on io_uring against pacer on epoll (the "other"), the
              keep-alive case: which back end costs less a request
  threads2    the same with 2 threads
  ab          ab and pacer --no-keepalive (a new connection per request;
              ab is single-threaded, so 1 thread)
  10k         wrk and pacer with 10,000 connections, 1 thread
  nap         wrk and pacer --nap (closed loop pausing to gather answers)

pacer runs its default closed loop (the next request leaves as soon as the
answer is read, as wrk's does) unless the case says otherwise; --io sets
its back end for every case but epoll.  The back end each run used is
printed.

usage: suites/self/load_vs_wrk.py [--rounds 5] [--connections 64]
       [--threads 1] [--duration 5] [--pacer build/pacer] [--syscalls] [--perf]
       [--io epoll|io_uring] [--case NAME]... [--all]
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
worker_rlimit_nofile 40000;
daemon off;
pid {tmp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 20000; }}
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

CASES = ("keepalive", "io", "threads2", "ab", "10k", "nap")


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


def start_nginx(tmp):
    """nginx with one worker serving a small file from tmp: (process, url);
    one line naming the Debian package when nginx is not installed."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        sys.exit("nginx is not installed (make deps installs nginx-light)")
    port = free_port()
    os.chmod(tmp, 0o755)   # nginx workers run as an unprivileged user
    os.makedirs(os.path.join(tmp, "www"), exist_ok=True)
    with open(os.path.join(tmp, "www", "index.html"), "w") as f:
        f.write("<html><body>" + "pacer " * 100 + "</body></html>\n")
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(tmp=tmp, port=port))
    srv = subprocess.Popen([nginx, "-c", os.path.join(tmp, "nginx.conf"), "-p", tmp, "-e",
                            "stderr"], stderr=subprocess.PIPE)
    wait_port(port, srv)
    return srv, "http://127.0.0.1:%d/index.html" % port


def stop(srv):
    srv.terminate()
    try:
        srv.wait(5)
    except subprocess.TimeoutExpired:
        srv.kill()


def run_measured(argv):
    """Run argv: (exit code, stdout, stderr, CPU seconds of it and its children)."""
    before = os.times()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    after = os.times()
    cpu = (after.children_user - before.children_user) + \
          (after.children_system - before.children_system)
    return p.returncode, out.decode(), err.decode(), cpu


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


def parse_ab(out):
    m = re.search(r"Complete requests:\s+(\d+)", out)
    t = re.search(r"Time taken for tests:\s+([\d.]+) seconds", out)
    if not m or not t:
        sys.exit("cannot read ab's output:\n" + out)
    f = re.search(r"Failed requests:\s+(\d+)", out)
    return int(m.group(1)), float(t.group(1)), int(f.group(1)) if f else 0


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


def cpu_profile(argv, tmp):
    """Where argv's CPU goes (perf, cpu-clock samples): {part: share}."""
    if not shutil.which("perf"):
        return None
    data = os.path.join(tmp, "perf.data")
    subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "4000", "-o", data, "--"]
                   + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def report(sort):
        out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio",
                              "--sort", sort], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout
        rows = []
        for line in out.splitlines():
            m = re.match(r"\s*([\d.]+)%\s+(.*)$", line)
            if m:
                rows.append((float(m.group(1)), m.group(2).strip()))
        return rows
    parts = {"kernel": 0.0, "pacer and libc": 0.0, "syscall entry/exit": 0.0,
             "context switch": 0.0}
    for share, dso in report("dso"):
        if "kernel" in dso:
            parts["kernel"] += share
        elif dso.startswith(("pacer", "libc", "[vdso]")):
            parts["pacer and libc"] += share
    for share, sym in report("sym"):
        name = sym.split()[-1]
        if re.match(r"(entry_SYSCALL|do_syscall_64|syscall_exit|__x64_sys_|__do_sys_|fdget|fget)",
                    name):
            parts["syscall entry/exit"] += share
        elif name.startswith(("finish_task_switch", "__schedule", "schedule")):
            parts["context switch"] += share
    return parts


def commands(case, a, url, out):
    """(other tool's name, its argv, its parser, pacer's argv) for a case."""
    c, t, d = str(a.connections), str(a.threads), str(a.duration)
    pacer = [a.pacer, "load", url, "-d", d + "s", "--out", out, "-q"]
    if case == "threads2":
        t = "2"
    if case == "io":
        other_out = out + ".epoll.json"
        epoll = [a.pacer, "load", url, "-d", d + "s", "--out", other_out, "-q", "-c", c,
                 "-t", t, "--io", "epoll"]
        return ("epoll", epoll, lambda so: parse_pacer(other_out)[:3],
                pacer + ["-c", c, "-t", t, "--io", "io_uring"])
    pacer += ["--io", a.io]
    if case == "10k":
        c, t = "10000", "1"
    if case == "ab":
        # -t implies -n 50000; a larger -n after it lifts that cap
        return ("ab", ["ab", "-q", "-t", d, "-n", "100000000", "-c", c, url], parse_ab,
                pacer + ["-c", c, "-t", "1", "--no-keepalive"])
    wrk = ["wrk", "-c", c, "-t", t, "-d", d + "s", "--timeout", "2s", url]
    if case == "10k":   # wrk keeps the shell's open-file limit
        wrk = ["sh", "-c", "ulimit -n $(ulimit -Hn) && exec " + " ".join(wrk)]
    pacer += ["-c", c, "-t", t]
    if case == "nap":
        pacer.append("--nap")
    return "wrk", wrk, parse_wrk, pacer


def run_case(case, a, url, tmp):
    """Alternate the two tools ROUNDS times: the medians and per-round ratios."""
    out = os.path.join(tmp, "pacer.json")
    other, oargv, oparse, pargv = commands(case, a, url, out)
    print("\n== %s: %s against pacer %s; %d rounds of %ss, alternating"
          % (case, other, " ".join(pargv[2:]), a.rounds, a.duration))
    print("%-6s %-6s %12s %8s %10s %14s" % ("round", "tool", "requests/s", "errors",
                                            "cpu s", "requests/cpu-s"))
    rows = {other: [], "pacer": []}
    for i in range(a.rounds):
        order = (other, "pacer") if i % 2 == 0 else ("pacer", other)
        for tool in order:
            rc, so, se, cpu = run_measured(oargv if tool == other else pargv)
            if cpu <= 0:
                sys.exit("%s: no CPU time measured (rc %d): %s %s" % (tool, rc, so, se))
            if tool == other:
                if rc != 0 and not (other == "epoll" and rc == 3):
                    sys.exit("%s failed (%d): %s %s" % (other, rc, so, se))
                n, secs, errs = oparse(so)
            else:
                if rc not in (0, 3):
                    sys.exit("pacer failed (%d): %s" % (rc, se))
                n, secs, errs, blk = parse_pacer(out)
                io = blk["generator"].get("io", "?")
                if not blk["valid"]:
                    print("  (pacer marked the run invalid: %s)" % blk["invalid_reason"])
            rows[tool].append((n / secs, n / cpu, errs, cpu))
            print("%-6d %-6s %12.0f %8d %10.2f %14.0f%s" % (
                i + 1, tool, n / secs, errs, cpu, n / cpu, "  " + io if tool == "pacer" else ""))
    ratios = [p[0] / w[0] for p, w in zip(rows["pacer"], rows[other])]
    eff = [p[1] / w[1] for p, w in zip(rows["pacer"], rows[other])]
    med = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
               statistics.median(r[2] for r in v)) for k, v in rows.items()}
    print("median requests/s:          pacer %.0f  %s %.0f  ratio %.3f"
          % (med["pacer"][0], other, med[other][0], statistics.median(ratios)))
    print("median requests/CPU-second: pacer %.0f  %s %.0f  ratio %.3f"
          % (med["pacer"][1], other, med[other][1], statistics.median(eff)))
    print("per-round ratios: throughput %s" % " ".join("%.3f" % x for x in ratios))
    print("                  per CPU-s  %s" % " ".join("%.3f" % x for x in eff))
    if a.perf:
        got = cpu_profile(pargv, tmp)
        if got is None:
            print("perf is not installed: no profile")
        else:
            print("pacer's CPU (perf, cpu-clock): " + ", ".join(
                "%s %.1f %%" % kv for kv in got.items()))
    if a.syscalls:
        for tool, argv in ((other, oargv), ("pacer", pargv)):
            got = syscalls(argv, tmp)
            if got is None:
                print("strace is not installed: no system call counts")
                break
            calls, so = got
            n = max((oparse(so)[0] if tool == other else parse_pacer(out)[0]), 1)
            top = sorted(calls.items(), key=lambda kv: -kv[1])[:6]
            print("%s system calls per request (strace, a separate run): %s" % (
                tool, ", ".join("%s %.2f" % (k, v / n) for k, v in top)))
    return other, statistics.median(ratios), statistics.median(eff), med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--pacer", default=os.path.join(os.environ.get("PACER_BUILD", "build"),
                                                    "pacer"))
    ap.add_argument("--syscalls", action="store_true")
    ap.add_argument("--perf", action="store_true")
    ap.add_argument("--io", default="epoll", choices=("epoll", "io_uring"))
    ap.add_argument("--case", action="append", choices=CASES)
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    cases = list(CASES) if a.all else (a.case or ["keepalive"])
    tools = {"nginx"} | {"ab" if c == "ab" else "wrk" for c in cases}
    for tool in tools:
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("%s is not installed (make deps installs nginx-light, wrk and "
                     "apache2-utils)" % tool)
    tmp = tempfile.mkdtemp(prefix="pacer-wrk-")
    srv, url = start_nginx(tmp)
    table = []
    try:
        print("nginx 1 worker at %s; load average %s" % (url, os.getloadavg()[0]))
        for case in cases:
            table.append((case,) + run_case(case, a, url, tmp))
    finally:
        stop(srv)
        shutil.rmtree(tmp, ignore_errors=True)
    if len(table) > 1:
        print("\n| case | against | requests/s pacer / other | per CPU-second pacer / other "
              "| pacer req/s | pacer req per CPU-s | errors a run, pacer / other (median) |")
        print("|---|---|---|---|---|---|---|")
        for case, other, r, e, med in table:
            print("| %s | %s | %.2f | %.2f | %.0f | %.0f | %.0f / %.0f |" % (
                case, other, r, e, med["pacer"][0], med["pacer"][1], med["pacer"][2],
                med[other][2]))


if __name__ == "__main__":
    main()
