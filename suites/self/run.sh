#!/usr/bin/env bash
# suites/self/run.sh: pacer measuring itself.  Prints, with how each was
# obtained:
#   1. the clock's read cost and resolution (pacer env)
#   2. the harness's time per sample outside the timed loop (A: inside the
#      worker, from a benchmark that stamps the clock at every call; B: the
#      whole `pacer run`, wall time at two sample counts)
#   3. what pacer reports for an empty loop body
#   4. one C function (same.h) measured by pacer and by Google Benchmark,
#      alternately, with equal time budgets: ratio of the reported times and
#      ratio of their run-to-run spreads
#
# Not part of `make test` (long, and the machine's noise is in the figures).
# Usage: suites/self/run.sh        (from anywhere; about two minutes)
# ROUNDS=N sets the rounds of figure 4 (5 to 15, default 7).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PY=/usr/bin/python3
PACER=build/pacer
LIBPACER=build/libpacer.a
OUTDIR=build/self
OPT="-O2 -g"                  # the Makefile's default OPT
STEP_TIMEOUT=60               # seconds, any one measuring command
RUN_LIMIT=600                 # seconds, the whole script (normally about 80)
ROUNDS=${ROUNDS:-7}
NEED_PKGS="gcc g++ make pkg-config binutils libjansson-dev libbenchmark-dev python3"

if ! [[ $ROUNDS =~ ^[0-9]+$ ]] || ((ROUNDS < 5 || ROUNDS > 15)); then
    echo "run.sh: ROUNDS must be a number from 5 to 15" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pacer-self.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
DEADLINE=$(($(now_ns) + RUN_LIMIT * 1000000000))
# Stop before a measuring command once the whole run is over its limit.
check_deadline() {
    if (($(now_ns) > DEADLINE)); then
        echo "run.sh: over the ${RUN_LIMIT}s limit; stopping" >&2
        exit 1
    fi
}
say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }

# ---- packages ------------------------------------------------------------
missing=""
for p in $NEED_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
if [[ -n $missing ]]; then
    if [[ $(id -u) != 0 ]]; then
        echo "run.sh: missing packages:$missing (run as root to install them)" >&2
        exit 1
    fi
    echo "run.sh: installing:$missing" >&2
    apt-get update >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; exit 1; }
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing >>"$WORK/apt.log" 2>&1 ||
        { cat "$WORK/apt.log" >&2; exit 1; }
fi

# ---- build -----------------------------------------------------------------
if ! make --no-print-directory >"$WORK/make.log" 2>&1; then
    cat "$WORK/make.log" >&2
    echo "run.sh: make failed" >&2
    exit 1
fi
mkdir -p "$OUTDIR"
# The suites link as the Makefile links suites/micro/*: libpacer.a, jansson, pthread, m.
# The *_a64 twins differ only by -falign-loops=64: the control for code
# placement in figure 4.  (OPT and the library flags are word lists.)
JANSSON_LIBS=$(pkg-config --libs jansson 2>/dev/null || echo -ljansson)
# shellcheck disable=SC2086
build_c() {
    gcc -std=gnu11 $OPT $3 -Wall -Wextra -D_GNU_SOURCE -I. -Iharness/lib -Isuites/self \
        "suites/self/$1.c" "$LIBPACER" $JANSSON_LIBS -lpthread -lm -o "$OUTDIR/$2"
}
# shellcheck disable=SC2086
build_cc() {
    g++ $OPT $3 -Wall -Wextra -Isuites/self "suites/self/$1.cc" -lbenchmark -lpthread \
        -o "$OUTDIR/$2"
}
build_c empty empty ""
build_c statcost statcost ""
build_c same_pacer same_pacer ""
build_c same_pacer same_pacer_a64 -falign-loops=64
build_cc same_gbench same_gbench ""
build_cc same_gbench same_gbench_a64 -falign-loops=64

# The bytes of same_fnv1a in a binary (jump offsets are relative: placement
# does not change them).
fn_bytes() {
    local sym
    sym=$(nm "$1" | awk '$3 ~ /same_fnv1a/ { print $3; exit }')
    [[ -n $sym ]] || { echo "none"; return; }
    objdump -d --disassemble="$sym" "$1" |
        awk -F'\t' '/^ +[0-9a-f]+:\t/ { printf "%s", $2 }' | tr -d ' '
}

# run_pacer NAME ARGS...: `pacer run -q ARGS`, bounded; stops the script with
# pacer's own messages when it fails.
run_pacer() {
    local name=$1 rc=0
    shift
    check_deadline
    timeout "$STEP_TIMEOUT" "$PACER" run -q "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    if ((rc != 0)); then
        echo "run.sh: pacer run $* exited with $rc" >&2
        cat "$WORK/$name.out" "$WORK/$name.err" >&2
        exit 1
    fi
}

report() { "$PY" suites/self/report.py "$1" "$WORK" | tee -a "$WORK/report.txt"; }

# ---- header ----------------------------------------------------------------
section "pacer measuring itself"
say "  when:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "  cpu:       $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cpus"
say "  kernel:    $(uname -r)"
say "  compilers: $(gcc --version | head -1); $(g++ --version | head -1); flags $OPT"
say "  gbench:    libbenchmark-dev $(dpkg-query -W -f='${Version}' libbenchmark-dev)"
say "  loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
t_start=$(now_ns)

# ---- 1. clock --------------------------------------------------------------
section "1. clock read cost and resolution"
say "  how: \`pacer env --format json\` 5 times; its clock block is measured at start"
say "  (read_ns: median over 21 rounds of the mean time of one CLOCK_MONOTONIC read in"
say "  10000 back-to-back reads; resolution_ns: smallest non-zero step seen between two"
say "  successive reads, at least clock_getres).  Parsed with python3's json module."
for k in 1 2 3 4 5; do
    timeout "$STEP_TIMEOUT" "$PACER" env --format json >"$WORK/env-$k.json" 2>/dev/null
done
report clock

# ---- 2. overhead per sample --------------------------------------------------
section "2. harness time per sample beyond the timed loop"
say "  how (A): suites/self/empty.c 'stamped' (empty loop with pacer_clobber()) stamps"
say "  CLOCK_MONOTONIC at entry of every call into a ring it writes at teardown."
say "  \`pacer run --samples 20000 --sample-time 1us --warmup 20ms\` (a sample then lasts"
say "  its floor, 1000 x clock resolution), 3 runs.  The last 20000 calls are the"
say "  samples; for each pair of consecutive samples, entry-to-entry gap minus the"
say "  sample pacer recorded (from --out: samples x iterations) is the harness's own"
say "  time: measure_once, the call, PACER_LOOP's start and stop and their clock reads"
say "  outside the interval, and at batch boundaries the worker-driver round trip."
say "  One clock read (figure 1) is subtracted for the stamp itself."
say "  how (B): \`pacer run\` of 'empty' at 2000 and at 20000 samples (same settings),"
say "  alternately, 5 pairs, wall time of each from date +%s%N; per run, wall time minus"
say "  the total timed sample time (from --out) is what the harness spent around the"
say "  samples.  build/self/statcost (suites/self/statcost.c) times the driver's"
say "  statistics, stats_compute() of libpacer.a, alone on each run's sample values;"
say "  the growth of (around - statistics) from 2000 to 20000 samples, per extra sample,"
say "  cross-checks A (it adds the driver's per-sample parsing and result writing)."
for k in 1 2 3; do
    export PACER_SELF_STAMPS="$WORK/stamps-$k.txt"
    run_pacer "stamped-$k" "$OUTDIR/empty" --filter '^.*/stamped$' --samples 20000 \
        --sample-time 1us --warmup 20ms --out "$WORK/stamped-$k.json"
    unset PACER_SELF_STAMPS
done
for k in 1 2 3 4 5; do
    for side in lo hi; do
        n=2000
        [[ $side == hi ]] && n=20000
        t0=$(now_ns)
        run_pacer "e2e-$side-$k" "$OUTDIR/empty" --filter '^.*/empty$' --samples "$n" \
            --sample-time 1us --warmup 20ms --out "$WORK/e2e-$side-$k.json"
        t1=$(now_ns)
        echo $((t1 - t0)) >"$WORK/e2e-$side-$k.wall"
    done
done
# The statistics the driver computed for each of those runs, timed alone on
# the same sample values (median of 3 calls of stats_compute).
for f in "$WORK"/e2e-*.json; do
    "$PY" suites/self/report.py samples "$f" |
        timeout "$STEP_TIMEOUT" "$OUTDIR/statcost" 3 >"${f%.json}.stats"
done
report overhead

# ---- 3. empty body -----------------------------------------------------------
section "3. reported time of an empty loop body"
say "  how: \`pacer run\` of suites/self/empty.c 'empty' (PACER_LOOP(st) {}) and"
say "  'empty_clobber' (body pacer_clobber()) with the default settings (30 samples of"
say "  ~10 ms, 200 ms warmup), 3 runs; pacer's median ns/op from --out."
for k in 1 2 3; do
    run_pacer "empty-$k" "$OUTDIR/empty" --filter '^.*/empty(_clobber)?$' --out "$WORK/empty-$k.json"
done
report empty

# ---- 4. pacer vs Google Benchmark ---------------------------------------------
section "4. one function, pacer vs Google Benchmark"
pb=$(fn_bytes "$OUTDIR/same_pacer")
gb=$(fn_bytes "$OUTDIR/same_gbench")
if [[ $pb == "$gb" && $pb != none ]]; then
    code="identical in both binaries ($((${#pb} / 2)) bytes)"
else
    code="DIFFERENT between the binaries"
fi
say "  function: same_fnv1a() of suites/self/same.h, FNV-1a 64 over 32 bytes, noinline;"
say "  machine code $code."
say "  timed loop of fnv1a_indep (first to last instruction):"
for b in same_pacer same_gbench same_pacer_a64 same_gbench_a64; do
    say "    $("$PY" suites/self/report.py loop "$OUTDIR/$b" fnv1a_indep)"
done
say "  fnv1a_chain: each call starts from the previous hash (one dependency chain,"
say "  latency-bound); fnv1a_indep: each call starts from the basis (calls overlap in"
say "  the CPU, throughput-bound, sensitive to code placement).  Result through"
say "  pacer_do_not_optimize() / benchmark::DoNotOptimize() alike."
say "  how: $ROUNDS rounds, each: pacer, Google Benchmark, then the control pair (both"
say "  programs rebuilt with -falign-loops=64, fnv1a_indep only); same budget per"
say "  benchmark:"
say "    pacer run build/self/same_pacer --samples 50 --sample-time 20ms --warmup 100ms"
say "    same_gbench --benchmark_repetitions=50 --benchmark_min_time=0.017"
say "                --benchmark_min_warmup_time=0.1  (JSON via --benchmark_out)"
say "  (50 timed chunks of roughly 20 to 28 ms each: pacer calibrates a little above"
say "  its sample time, Google Benchmark to about 1.4 x min_time; the measured totals"
say "  are printed below.)"
say "  central value per run: pacer's median ns/op; Google Benchmark's median"
say "  aggregate of real_time.  Spread: across rounds, of those per-run values."
# run_gbench NAME BINARY ARGS...: a Google Benchmark binary, bounded, JSON to
# $WORK/NAME.json; stops the script with its output when it fails.
run_gbench() {
    local name=$1 bin=$2 rc=0
    shift 2
    check_deadline
    timeout "$STEP_TIMEOUT" "$bin" --benchmark_repetitions=50 --benchmark_min_time=0.017 \
        --benchmark_min_warmup_time=0.1 "$@" --benchmark_out="$WORK/$name.json" \
        --benchmark_out_format=json >"$WORK/$name.out" 2>&1 || rc=$?
    if ((rc != 0)); then
        cat "$WORK/$name.out" >&2
        echo "run.sh: $bin exited with $rc" >&2
        exit 1
    fi
}
for k in $(seq 1 "$ROUNDS"); do
    run_pacer "same-pacer-$k" "$OUTDIR/same_pacer" --samples 50 --sample-time 20ms \
        --warmup 100ms --out "$WORK/same-pacer-$k.json"
    run_gbench "same-gb-$k" "$OUTDIR/same_gbench"
    run_pacer "same-pacer64-$k" "$OUTDIR/same_pacer_a64" --filter '^.*/fnv1a_indep$' \
        --samples 50 --sample-time 20ms --warmup 100ms --out "$WORK/same-pacer64-$k.json"
    run_gbench "same-gb64-$k" "$OUTDIR/same_gbench_a64" --benchmark_filter='^fnv1a_indep$'
done
report same

# ---- summary -------------------------------------------------------------------
section "summary (every => line above)"
grep '=>' "$WORK/report.txt" | sed 's/^ *=> */  /'
say "  loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (at end); took $((($(now_ns) - t_start) / 1000000000)) s"
