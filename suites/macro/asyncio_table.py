"""asyncio_table.py: the before/after table of the asyncio tuning suite.

Reads a result file of suites/macro/asyncio-tuning.json (the newest under
results/asyncio/ when none is given) and prints, as a Markdown table, each
tuning pair side by side: for every load point the two share (the same
connections or rate), the successful responses a second, p99 latency and
error rate before and after, and what changed.  "outbound conns" are the
TCP connections the app held to other ports (its store, its backend) as
the monitor counted them every 100 ms: the mean and the most in a sample.  Every figure
comes from the file: medians over the repetitions.

    /usr/bin/python3 suites/macro/asyncio_table.py [--overload-ok SCENARIO,...] [RESULT.json]

A point with a repetition pacer judged not valid shows its p99 as "> X"
with a numbered note giving pacer's reason: past the app's capacity with
no limit, requests wait for a connection the app holds and some are never
sent, so the percentiles of those sent understate the truth.
"""

import glob
import json
import os
import sys

# (technique, the scenario before, the scenario after)
PAIRS = [
    ("store: a connection pool", "store-per-request", "store-pool"),
    ("store: pipelined commands", "cart-sequential", "cart-pipelined"),
    ("a concurrency limit (16, shedding)", "no-limit", "limit-16"),
    ("listen backlog 1024 (not 16)", "backlog-16", "backlog-1024"),
    ("a 20 ms timeout on a slow store", "slow-store", "slow-store-timeout"),
    ("outbound calls not blocking the loop", "outbound-blocking", "outbound-async"),
    ("uvloop (not asyncio's loop)", "saturation-asyncio", "saturation-uvloop"),
    ("uvloop: capacity at p99 < 50 ms", "capacity-asyncio", "capacity-uvloop"),
]


def median(bench, metric):
    m = bench.get("metrics", {}).get(metric)
    if not m or not m.get("stats"):
        return None
    return m["stats"].get("median")


def fmt_time(ns):
    if ns is None:
        return "-"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= div:
            v = ns / div
            return ("%.3g %s" % (v, unit)) if v < 100 else ("%.0f %s" % (v, unit))
    return "%.0f ns" % ns


def good_rate(bench):
    if bench.get("capacity"):         # the answer of a capacity search
        return median(bench, "capacity")
    t, e = median(bench, "throughput"), median(bench, "errors.rate")
    if t is None:
        return None
    return t * (1 - min(1.0, max(0.0, e or 0.0)))


def store_conns(bench):
    """The outbound TCP connections the app held (the monitor's counts of
    the server's connections to other ports, per sample): "mean / most"
    over the samples of every repetition, or "-" when not recorded."""
    counts = []
    for rep in bench.get("load") or []:
        for series in rep.get("monitor") or []:
            if series.get("label") != "server" or not series.get("tcp"):
                continue
            for row in series["tcp"].get("rows") or []:
                if row is None or len(row) < 4 or not row[1]:
                    continue     # not read, or before the load began
                counts.append(sum(p[2] for p in row[3] if p and p[0] == "out"))
    if not counts:
        return "-"
    return "%.0f / %d" % (sum(counts) / len(counts), max(counts))


def load_text(bench):
    """The load of a point as its first repetition's settings say."""
    if bench.get("capacity"):
        objectives = bench["capacity"].get("objectives") or []
        return "capacity search (%s)" % ", ".join(str(o) for o in objectives)
    try:
        st = bench["load"][0]["settings"]
    except (KeyError, IndexError, TypeError):
        return "-"
    if st.get("rate"):
        text = "open loop %g/s" % st["rate"]
    else:
        text = "%d connections" % st.get("connections", 0)
    if st.get("keepalive") is False:
        text += ", a new connection per request"
    return text


def invalid(bench):
    """The first reason a repetition of bench was not valid (pacer's
    words), or None."""
    for rep in bench.get("load") or []:
        if rep.get("valid") is False:
            return rep.get("invalid_reason") or "not valid"
    return None


def overload_only(bench):
    """Whether every repetition of bench that is not valid is so only for
    requests it could not send (the server held every connection: an app
    past its capacity with no limit)."""
    for rep in bench.get("load") or []:
        if rep.get("valid") is False and \
                "never sent, waiting for a connection" not in (rep.get("invalid_reason") or ""):
            return False
    return True


def p99_text(bench, marks):
    """p99 as a time; when a repetition was not valid, a mark for the note
    under the table, and when that was for requests never sent (their
    latency unknown, and longer than any sent) "> X": it is a floor."""
    text = fmt_time(median(bench, "latency.p99"))
    why = invalid(bench)
    if why is None:
        return text
    floor = overload_only(bench)
    marks.append((bench["name"], why, floor))
    return "%s%s (%d)" % ("> " if floor else "", text, len(marks))


def row(label, point, before, after, marks):
    gb, ga = good_rate(before), good_rate(after)
    pb, pa = median(before, "latency.p99"), median(after, "latency.p99")
    eb, ea = median(before, "errors.rate") or 0, median(after, "errors.rate") or 0
    change = []
    if gb and ga:
        change.append("%+.0f%% req/s" % (100 * (ga / gb - 1)))
    if pb and pa and not invalid(before) and not invalid(after):
        change.append("p99 x%.2g" % (pa / pb))
    return "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        label, point or "-",
        "%.0f" % gb if gb is not None else "-", p99_text(before, marks), "%.1f%%" % (100 * eb),
        store_conns(before),
        "%.0f" % ga if ga is not None else "-", p99_text(after, marks), "%.1f%%" % (100 * ea),
        store_conns(after), ", ".join(change) or "-")


def main(argv):
    """The table; with --overload-ok SCENARIO[,SCENARIO...], the exit
    status says whether the run is sound but for those scenarios' points
    past the app's capacity (0), or has a failed benchmark or another run
    not valid (3)."""
    overload_ok = None
    if len(argv) > 2 and argv[1] == "--overload-ok":
        overload_ok = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) > 1:
        path = argv[1]
    else:
        runs = sorted(glob.glob(os.path.join("results", "asyncio", "*.json")))
        if not runs:
            sys.stderr.write("asyncio_table.py: no result under results/asyncio/: run "
                             "`make bench-asyncio` first\n")
            return 2
        path = runs[-1]
    try:
        with open(path) as f:
            res = json.load(f)
        benches = {b["name"]: b for b in res["benchmarks"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.stderr.write("asyncio_table.py: %s: not a pacer result (%s)\n" % (path, e))
        return 2
    suite = res.get("suite") or "asyncio-tuning"
    if isinstance(suite, dict):
        suite = suite.get("name", "asyncio-tuning")
    print("| technique | load | before: req/s | p99 | errors | outbound conns | after: req/s "
          "| p99 | errors | outbound conns | change |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    found = 0
    marks = []
    for label, before, after in PAIRS:
        prefix_b, prefix_a = "%s/%s" % (suite, before), "%s/%s" % (suite, after)
        points = sorted((n[len(prefix_b):] for n in benches
                         if n == prefix_b or n.startswith(prefix_b + "/")),
                        key=lambda p: [int(x) if x.isdigit() else x
                                       for x in p.replace("=", "/").split("/")])
        for p in points:
            b, a = benches.get(prefix_b + p), benches.get(prefix_a + p)
            if not b or not a or b.get("error") or a.get("error"):
                continue
            found += 1
            print(row(label, load_text(b), b, a, marks))
    if not found:
        sys.stderr.write("asyncio_table.py: %s: none of the tuning pairs is there\n" % path)
        return 2
    ctx = res.get("context", {})
    print("\n%s (%s, commit %s): medians of each point's repetitions; req/s counts "
          "successful responses only." % (os.path.basename(path), ctx.get("time", "?"),
                                          ((ctx.get("git") or {}).get("commit") or "?")[:10]))
    for k, (name, why, floor) in enumerate(marks):
        print("\n(%d) %s: not a valid run%s: %s" % (k + 1, name,
                                                    ", so its p99 is a floor" if floor else "",
                                                    why))
    if overload_ok is None:
        return 0
    prefixes = ["%s/%s" % (suite, sc) for sc in overload_ok.split(",")]
    for name, b in benches.items():
        past = any(name == p or name.startswith(p + "/") for p in prefixes)
        if b.get("error") or (invalid(b) and not (past and overload_only(b))):
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
