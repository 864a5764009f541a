#!/usr/bin/python3
"""Locust against pacer on the same user flow, the same aiohttp target.

Starts the aiohttp target (suites/targets/aio.py, with the arguments of the
target of suites/macro/users.json) on a free loopback port with Debian's
Python, then runs the generators alternately, ROUNDS times each, against
that one server, every run bounded by its duration:

  locust    Debian's Locust, headless, on suites/targets/locustfile.py:
            USERS users (all spawned in the first second) doing list, think,
            read, think (uniform 50 to 150 ms), DURATION seconds
  pacer     pacer's flow mode on the same flow: the flows of the "browse"
            scenario of users.json (pacer load --flow), USERS users, one a
            connection, DURATION seconds
  pacer-url pacer's single-URL mode (pacer load) on the list step's URL, in
            an open loop at the request rate of Locust's last run (before
            any, --url-rate): the baseline pacer's flow mode is to stay
            within 20 % of per CPU-second

For each run it prints the requests completed, requests/s, the generator's
CPU seconds (user + sys of the generator and all of its processes, from
/proc/PID/stat: see TreeCPU), requests per CPU-second, the server's CPU
seconds over the same time, and the latency percentiles the generator
reports itself (p50, p90, p99 in ms: Locust rounds to whole milliseconds
below 100 ms and to 10 ms above); then the medians over the rounds and the
ratios pacer/Locust of requests per CPU-second.

Whose CPU, over which time:
  - Locust's over its run window: sampled when it logs "Ramping to" (its
    users start) and when it logs "--run-time limit reached" (they stop), so
    its start-up (importing gevent and Locust) and its report at exit,
    about 0.65 CPU-s together here, are left out; its CPU over its whole life is printed too.
  - pacer's over its whole life (wait4), start-up and report included: a
    little to pacer's disadvantage; pacer logs no start of its window yet.
  - The numbers of requests are the generators' own, over the same window:
    Locust's from its final statistics (written by locustfile.py when
    PACER_LOCUST_SUMMARY is set: Debian's Locust 2.12 writes its --csv files
    once a second while it runs and not at exit, so they lag its end by up to
    a second; the CSV files are still kept with --keep), pacer's from its
    result file.

python3-locust is not in the Makefile's packages (CI does not run this):
apt-get install python3-locust.  The machine should be otherwise quiet:
every generator and the server share its cores.

usage: suites/self/locust_vs_pacer.py [--rounds 3] [--users 50] [--duration 20]
       [--only locust|pacer|pacer-url]... [--url-rate 480] [--pacer build/pacer]
       [--keep DIR]
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SUITE = os.path.join(ROOT, "suites", "macro", "users.json")
SCENARIO = "browse"
LOCUSTFILE = os.path.join(ROOT, "suites", "targets", "locustfile.py")
PYTHON = "/usr/bin/python3"
LOCUST = "/usr/bin/locust"
GENERATORS = ("locust", "pacer", "pacer-url")
TICK = os.sysconf("SC_CLK_TCK")


class TreeCPU:
    """CPU seconds (user + sys) of a process and all its descendants, from
    /proc/PID/stat: each live process's utime + stime, plus cutime + cstime
    (its children that have exited and been waited for), so a process that
    ends between two samples is still counted.  Threads (and so greenlets)
    are inside their process's figures."""

    def __init__(self, root):
        self.root = root

    @staticmethod
    def _stat(pid):
        try:
            with open("/proc/%d/stat" % pid) as f:
                s = f.read()
        except OSError:
            return None
        fields = s[s.rfind(")") + 2:].split()   # from field 3 (state) on
        ppid = int(fields[1])
        ticks = sum(int(x) for x in fields[11:15])   # utime stime cutime cstime
        return ppid, ticks

    def sample(self):
        """Seconds so far, or None once the root has gone."""
        stats = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                st = self._stat(int(d))
                if st:
                    stats[int(d)] = st
        if self.root not in stats:
            return None
        kids = {}
        for pid, (ppid, _) in stats.items():
            kids.setdefault(ppid, []).append(pid)
        total, todo = 0, [self.root]
        while todo:
            pid = todo.pop()
            total += stats[pid][1]
            todo.extend(kids.get(pid, ()))
        return total / TICK


def die(msg):
    sys.exit("locust_vs_pacer: " + msg)


def target_argv(port):
    """The command of users.json's target, for Debian's Python on port."""
    with open(SUITE) as f:
        suite = json.load(f)
    cmd = suite["targets"][0]["command"]
    subst = {"{python}": PYTHON, "{port}": str(port)}
    return [os.path.normpath(os.path.join(os.path.dirname(SUITE), w))
            if w.endswith(".py") else subst.get(w, w) for w in cmd]


def api_token(argv):
    return argv[argv.index("--api-token") + 1] if "--api-token" in argv else ""


def start_server():
    """aio.py on a free port (it picks it: --port 0): (process, port, argv)."""
    argv = target_argv(0)
    srv = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = []
    reader = threading.Thread(target=lambda: line.append(srv.stdout.readline()), daemon=True)
    reader.start()
    reader.join(15)
    m = re.match(r"listening on (\d+)", line[0]) if line else None
    if not m:
        stop(srv)
        die("the target did not start: %s\n%s" % (" ".join(argv), srv.stderr.read()))
    return srv, int(m.group(1)), argv


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wait_bounded(p, timeout, name):
    """Wait for p at most timeout seconds (then kill it): its rusage CPU seconds."""
    end = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return ru.ru_utime + ru.ru_stime
        if time.monotonic() > end:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            die("%s still ran after %.0f s: killed" % (name, timeout))
        time.sleep(0.05)


def run_locust(a, port, token, tmp, rnd, server):
    """One Locust run: its figures, the window's CPU from /proc samples taken
    as it logs the start and end of its load."""
    prefix = os.path.join(tmp, "locust%d" % rnd)
    summary = prefix + "_summary.json"
    argv = [LOCUST, "-f", LOCUSTFILE, "--headless", "-u", str(a.users), "-r", str(a.users),
            "-t", "%ds" % a.duration, "--host", "http://127.0.0.1:%d" % port,
            "--csv", prefix, "--only-summary", "--loglevel", "INFO"]
    env = dict(os.environ, PACER_LOCUST_SUMMARY=summary, PACER_API_TOKEN=token)
    with open(prefix + ".out", "w") as out:
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, text=True, env=env)
    cpu, srv = TreeCPU(p.pid), TreeCPU(server.pid)
    marks, log = {}, []

    def read_log():
        for line in p.stderr:
            log.append(line)
            for key, text in (("start", "Ramping to"), ("end", "--run-time limit reached")):
                if text in line and key not in marks:
                    marks[key] = (time.monotonic(), cpu.sample(), srv.sample())
    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    life = wait_bounded(p, a.duration + 60, "locust")
    reader.join(5)
    if p.returncode != 0 or "start" not in marks or "end" not in marks:
        die("locust failed (exit %s): %s\n%s" % (p.returncode, " ".join(argv), "".join(log)))
    if not os.path.exists(summary):
        die("locust wrote no %s: is %s the one in suites/targets?" % (summary, LOCUSTFILE))
    with open(summary) as f:
        s = json.load(f)
    (t0, c0, s0), (t1, c1, s1) = marks["start"], marks["end"]
    if None in (c0, c1):
        die("locust's CPU could not be sampled from /proc")
    return {"requests": s["requests"], "errors": s["failures"], "secs": t1 - t0,
            "cpu": c1 - c0, "cpu_life": life, "server_cpu": s1 - s0,
            "p50": s["p50"], "p90": s["p90"], "p99": s["p99"], "argv": argv}


def pacer_figures(path):
    """Requests, errors, window seconds and latency percentiles (ms) of a
    pacer result file.  A flow's result has a benchmark for the whole load,
    then one per step (NAME/step:S) and one per flow (NAME/flow:F, whose
    "requests" are iterations): only the whole load's are read (its
    histograms merged, were there several)."""
    with open(path) as f:
        r = json.load(f)
    blocks = [blk for b in r["benchmarks"] if not re.search(r"/(step|flow):", b["name"])
              for blk in b.get("load", [])]
    if not blocks:
        die("%s: no load block (%s)" % (path, "; ".join(
            "%s: %s" % (b["name"], b.get("error")) for b in r["benchmarks"])))
    for blk in blocks:
        if not blk.get("valid", True):
            print("       (pacer marked its run invalid: %s)" % blk.get("invalid_reason"))
    buckets = {}
    for blk in blocks:
        for v, n in blk["latency"]["buckets"]:
            buckets[v] = buckets.get(v, 0) + n
    total = sum(buckets.values())

    def pct(q):
        seen = 0
        for v in sorted(buckets):
            seen += buckets[v]
            if seen >= q * total:
                return v / 1e6
        return float("nan")
    return {"requests": sum(blk["requests"] for blk in blocks),
            "errors": sum(blk["errors"]["total"] for blk in blocks),
            "secs": max(blk["elapsed_ns"] for blk in blocks) / 1e9,
            "p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99)}


def run_pacer_flow(a, port, token, tmp, rnd, server):
    """One run of pacer's flow mode: the flows (and data) of users.json's
    "browse" scenario, as a flow file for pacer load --flow against this
    script's server, a user a connection, closed loop.

    Still to do: pacer logs no start of its measured window, so its CPU is
    its whole life's (start-up and exit counted, unlike Locust's); with a
    mark on stderr (--progress) it could be sampled as run_locust does."""
    with open(SUITE) as f:
        suite = json.load(f)
    sc = next((s for s in suite["scenarios"] if s["name"] == SCENARIO), None)
    if sc is None:
        die("%s: no scenario named %s" % (SUITE, SCENARIO))
    flow = {k: sc[k] for k in ("flows", "data") if k in sc}
    path = os.path.join(tmp, "flow%d.json" % rnd)
    with open(path, "w") as f:
        json.dump(flow, f)
    out = os.path.join(tmp, "pacer%d.json" % rnd)
    argv = [a.pacer, "load", "http://127.0.0.1:%d" % port, "--flow", path,
            "-c", str(a.users), "-t", str(sc.get("threads", 1)), "-d", "%ds" % a.duration,
            "-q", "--out", out]
    return run_pacer_argv(a, argv, out, server)


def run_pacer_url(a, port, token, tmp, rnd, server, rate):
    """One run of pacer's single-URL mode on the list step, open loop at rate."""
    out = os.path.join(tmp, "url%d.json" % rnd)
    url = "http://127.0.0.1:%d/items?token=%s" % (port, token)
    argv = [a.pacer, "load", url, "-c", str(a.users), "-t", "1", "-R", "%.0f" % rate,
            "-d", "%ds" % a.duration, "-q", "--out", out]
    return run_pacer_argv(a, argv, out, server)


def run_pacer_argv(a, argv, out, server):
    srv = TreeCPU(server.pid)
    s0 = srv.sample()
    with open(out + ".log", "w") as log:
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log)
    cpu = wait_bounded(p, a.duration + 60, "pacer")
    s1 = srv.sample()
    # 1: a threshold failed; 3: a run marked invalid (said below), or a failure
    if p.returncode not in (0, 1, 3) or not os.path.exists(out):
        with open(out + ".log") as log:
            die("pacer failed (exit %s): %s\n%s" % (p.returncode, " ".join(argv), log.read()))
    got = pacer_figures(out)
    got.update(cpu=cpu, cpu_life=cpu, server_cpu=s1 - s0, argv=argv)
    return got


ROW = "%-6s %-9s %9s %9s %7s %8s %9s %8s %8s %8s %8s %8s"


def print_row(rnd, gen, r):
    print(ROW % (rnd, gen, r["requests"], "%.0f" % (r["requests"] / r["secs"]), r["errors"],
                 "%.2f" % r["cpu"], "%.0f" % (r["requests"] / r["cpu"]), "%.2f" % r["cpu_life"],
                 "%.2f" % r["server_cpu"], "%.2f" % r["p50"], "%.2f" % r["p90"],
                 "%.2f" % r["p99"]), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=int, default=20, help="seconds of load a run")
    ap.add_argument("--only", action="append", choices=GENERATORS,
                    help="run only this generator (repeatable; default all)")
    ap.add_argument("--url-rate", type=float, default=480,
                    help="pacer-url's rate when Locust did not run this round (default 480/s)")
    ap.add_argument("--pacer", default=os.path.join(os.environ.get("PACER_BUILD", "build"),
                                                    "pacer"))
    ap.add_argument("--keep", metavar="DIR", help="keep the result, CSV and log files in DIR")
    a = ap.parse_args()
    gens = [g for g in GENERATORS if g in (a.only or GENERATORS)]
    if a.rounds < 1 or a.users < 1 or a.duration < 1:
        die("--rounds, --users and --duration must be at least 1")
    if "locust" in gens and (not os.path.exists(LOCUST) or subprocess.run(
            [PYTHON, "-c", "import locust"], stderr=subprocess.DEVNULL).returncode):
        die("python3-locust is not installed: apt-get install python3-locust")
    if subprocess.run([PYTHON, "-c", "import aiohttp"], stderr=subprocess.DEVNULL).returncode:
        die("python3-aiohttp is not installed: apt-get install python3-aiohttp")
    if any(g.startswith("pacer") for g in gens) and not os.access(a.pacer, os.X_OK):
        die("no %s: build it (make) or give --pacer" % a.pacer)
    tmp = a.keep or tempfile.mkdtemp(prefix="pacer-locust-")
    os.makedirs(tmp, exist_ok=True)
    server, port, sargv = start_server()
    token = api_token(sargv)
    rows = {g: [] for g in gens}
    try:
        print("target: %s (port %d); load average %.2f" % (" ".join(sargv), port,
                                                          os.getloadavg()[0]))
        print("%d users, %d s a run, %d rounds alternating %s"
              % (a.users, a.duration, a.rounds, ", ".join(gens)))
        print(ROW % ("round", "generator", "requests", "req/s", "errors", "cpu s", "req/cpu-s",
                     "life s", "server s", "p50 ms", "p90 ms", "p99 ms"))
        rate = a.url_rate       # then the rate of Locust's last run
        for rnd in range(1, a.rounds + 1):
            order = gens if rnd % 2 else list(reversed(gens))
            for g in order:
                if g == "locust":
                    r = run_locust(a, port, token, tmp, rnd, server)
                    rate = r["requests"] / r["secs"]
                elif g == "pacer":
                    r = run_pacer_flow(a, port, token, tmp, rnd, server)
                else:
                    r = run_pacer_url(a, port, token, tmp, rnd, server, rate)
                if r["cpu"] <= 0:
                    die("%s: no CPU time measured" % g)
                if rnd == 1:
                    print("       %s: %s" % (g, " ".join(r["argv"])))
                rows[g].append(r)
                print_row(rnd, g, r)
    finally:
        stop(server)
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\nmedians over %d rounds:" % a.rounds)
    print("| generator | req/s | CPU-s a run | req per CPU-s | server CPU-s | p50 ms | p90 ms "
          "| p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    med = {}
    for g, rs in rows.items():
        m = {k: statistics.median(r[k] if k != "rps" else r["requests"] / r["secs"] for r in rs)
             for k in ("rps", "cpu", "server_cpu", "p50", "p90", "p99")}
        m["eff"] = statistics.median(r["requests"] / r["cpu"] for r in rs)
        med[g] = m
        print("| %s | %.0f | %.2f | %.0f | %.2f | %.2f | %.2f | %.2f |" % (
            g, m["rps"], m["cpu"], m["eff"], m["server_cpu"], m["p50"], m["p90"], m["p99"]))
    for g in ("pacer", "pacer-url"):
        if g in rows and "locust" in rows:
            ratios = [p["requests"] / p["cpu"] / (l["requests"] / l["cpu"])
                      for p, l in zip(rows[g], rows["locust"])]
            print("%s / locust, requests per CPU-second: median %.1f (rounds: %s)" % (
                g, statistics.median(ratios), " ".join("%.1f" % x for x in ratios)))
    if "pacer" in rows and "pacer-url" in rows:
        print("pacer flow / single URL, requests per CPU-second: %.2f"
              % (med["pacer"]["eff"] / med["pacer-url"]["eff"]))


if __name__ == "__main__":
    main()
