#!/usr/bin/env bash
# How fast `pacer trend` reads a long history: generates RUNS result files
# of BENCHES benchmarks with 30 samples each (valid pacer results, schema
# 1.2, laid out as pacer writes them: sorted keys, one-space indent), then
# times `pacer trend DIR` five times and prints the median wall time and
# the peak RSS.  trend reads every sample (a run's point is computed from
# them), so the time grows with RUNS x BENCHES x 30.
#
#   suites/self/trend_speed.sh [RUNS] [BENCHES]     (default 1000 100)
#
# PACER=path/to/pacer uses that binary instead of building build/pacer;
# BASE=path/to/other/pacer times that one too, in turns with the first, and
# prints the ratio of the medians (a shared machine's load hits both);
# DIR=path reuses (or keeps) the generated directory; KEEP=1 keeps it.
# The series have 1 % noise; every tenth benchmark steps by +5 % at run
# 40 %, every seventh by -4 % at run 70 %, so the detection has work to do.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-1000}
BENCHES=${2:-100}
if [ -z "${PACER:-}" ]; then
    make -s build/pacer >/dev/null
    PACER=build/pacer
fi
if [ -n "${DIR:-}" ]; then
    D=$DIR
    mkdir -p "$D"
else
    D=$(mktemp -d /tmp/pacer-trend-speed-XXXXXX)
    if [ -n "${KEEP:-}" ]; then
        echo "keeping $D" >&2
    else
        trap 'rm -rf "$D"' EXIT INT TERM
    fi
fi

if [ -z "$(ls "$D" 2>/dev/null)" ]; then
/usr/bin/python3 - "$D" "$RUNS" "$BENCHES" <<'EOF'
import os, random, sys, time

out, runs, benches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(1)
t0 = time.time()

def num(v):
    return repr(float(v))

def stats(xs):
    s = sorted(xs)
    n = len(s)
    q = lambda p: s[int((n - 1) * p)] + ((n - 1) * p % 1) * (s[min(int((n - 1) * p) + 1, n - 1)] - s[int((n - 1) * p)])
    mean = sum(s) / n
    sd = (sum((x - mean) ** 2 for x in s) / (n - 1)) ** 0.5
    med = q(0.5)
    return mean, med, sd, q

base = [rng.uniform(50, 5e6) for _ in range(benches)]
names = ["suite/group%02d/bench%03d/size=%d" % (b % 10, b, 64 << (b % 8)) for b in range(benches)]
for r in range(runs):
    t = 1_800_000_000 + 3600 * r
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    ciso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t - 300))
    commit = "%040x" % rng.getrandbits(160)
    parts = []
    for b in range(benches):
        level = base[b]
        if b % 10 == 0 and r >= runs * 4 // 10:
            level *= 1.05
        if b % 7 == 0 and r >= runs * 7 // 10:
            level *= 0.96
        xs = [level * (1 + 0.01 * rng.gauss(0, 1)) for _ in range(30)]
        mean, med, sd, q = stats(xs)
        sam = ",\n    ".join(num(x) for x in xs)
        parts.append(
            '  {\n   "direction": "lower",\n   "error": null,\n   "iterations": 1000,\n'
            '   "kind": "micro",\n   "name": "%s",\n   "params": {},\n   "processes": 1,\n'
            '   "samples": [\n    %s\n   ],\n   "stats": {\n    "ci": {\n'
            '     "level": 0.94999999999999996,\n     "mean": [\n      %s,\n      %s\n     ],\n'
            '     "median": [\n      %s,\n      %s\n     ],\n'
            '     "method": "percentile-bootstrap",\n     "resamples": 10000,\n'
            '     "seed": 1885430629\n    },\n    "cv": %s,\n    "mad": %s,\n    "max": %s,\n'
            '    "mean": %s,\n    "median": %s,\n    "min": %s,\n    "n": 30,\n'
            '    "outliers": {\n     "high_mild": 0,\n     "high_severe": 0,\n'
            '     "low_mild": 0,\n     "low_severe": 0\n    },\n    "p25": %s,\n'
            '    "p5": %s,\n    "p75": %s,\n    "p95": %s,\n    "p99": %s,\n'
            '    "stddev": %s\n   },\n   "unit": "ns"\n  }'
            % (names[b], sam, num(mean - sd / 5), num(mean + sd / 5), num(q(0.4)), num(q(0.6)),
               num(sd / mean), num(sd), num(max(xs)), num(mean), num(med), num(min(xs)),
               num(q(.25)), num(q(.05)), num(q(.75)), num(q(.95)), num(q(.99)), num(sd)))
    doc = ('{\n "argv": [\n  "pacer",\n  "run"\n ],\n "benchmarks": [\n' + ",\n".join(parts) +
           '\n ],\n "complete": true,\n "context": {\n  "fingerprint": "52329a1c5b8f9312",\n'
           '  "git": {\n   "branch": "main",\n   "commit": "%s",\n   "commit_time": "%s",\n'
           '   "dirty": false\n  },\n  "pacer_version": "0.1.0",\n  "time": "%s"\n },\n'
           ' "schema": "1.2",\n "suite": "speed"\n}\n' % (commit, ciso, iso))
    with open(os.path.join(out, "%s-%s.json" % (stamp, commit[:7])), "w") as f:
        f.write(doc)
size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
print("generated %d files x %d benchmarks (30 samples each), %.0f MB, in %.1f s"
      % (runs, benches, size / 1e6, time.time() - t0))
EOF
fi

# The first file must read as a pacer result (the full reader agrees).
"$PACER" show "$(ls "$D"/*.json | head -1)" >/dev/null

/usr/bin/python3 - "$D" "$PACER" ${BASE:+"$BASE"} <<'EOF'
import os, resource, subprocess, sys, time

d, bins = sys.argv[1], sys.argv[2:]
walls = {b: [] for b in bins}
load = os.getloadavg()
for _ in range(5):
    for b in bins:
        t = time.perf_counter()
        p = subprocess.run([b, "trend", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        walls[b].append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            sys.exit("%s trend failed (%d): %s" % (b, p.returncode, p.stderr.decode()))
        if b == bins[0]:
            out = p.stdout.decode()
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
last = [l for l in out.splitlines() if " change point" in l][-1]
print("pacer trend %s: %s" % (d, last))
print("load average before: %.2f %.2f %.2f" % load)
for b in bins:
    w = sorted(walls[b])
    print("%s: wall time median %.3f s of 5 (%.3f .. %.3f s)" % (b, w[2], w[0], w[4]))
if len(bins) == 2:
    print("ratio %s / %s: %.2f" % (bins[0], bins[1],
                                   sorted(walls[bins[0]])[2] / sorted(walls[bins[1]])[2]))
print("peak RSS %.1f MB" % (rss / 1024))
EOF
