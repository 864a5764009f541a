#!/usr/bin/env bash
# How pacer compare judges other tools' files on this machine: Google
# Benchmark files (suites/self/import_gbench.cc, 12 benchmarks,
# --benchmark_repetitions=10, without and with
# --benchmark_enable_random_interleaving) and hyperfine files (8 commands,
# --runs 20),
# each made twice from the same build (A/A: every regressed or improved is
# a false alarm) and once from a build where 3 benchmarks (2 commands) do
# 5 % more work (A/B: how many of those are caught as regressed), compared
# by this pacer and by the pacer of BASE_REV (default: where this branch
# left main), so the figures show what the rule for imports changed.
#
#   suites/self/import_noise.sh [ROUNDS]      (default 3; about 1 minute a round)
#   BUSY=1 suites/self/import_noise.sh        one core kept busy meanwhile
#
# Needs g++, libbenchmark-dev and hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
BASE_REV=${BASE_REV:-$(git merge-base HEAD main)}
for tool in g++ hyperfine; do
    command -v "$tool" >/dev/null || { echo "import_noise.sh: needs $tool" >&2; exit 2; }
done
make -s all >/dev/null
T=$(mktemp -d /tmp/pacer-imports.XXXXXX)
BUSY_PID=
cleanup() { [ -n "$BUSY_PID" ] && kill "$BUSY_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

# The pacer of BASE_REV, built apart.
mkdir -p "$T/old"
git archive "$BASE_REV" | tar -x -C "$T/old"
make -s -C "$T/old" -j2 build/pacer >/dev/null
OLD="$T/old/build/pacer"
NEW=build/pacer

g++ -O2 -o "$T/gb_a" suites/self/import_gbench.cc -lbenchmark -lpthread -DSLOW=0
g++ -O2 -o "$T/gb_b" suites/self/import_gbench.cc -lbenchmark -lpthread -DSLOW=5
head -c 4000000 /dev/urandom | od -An -tu4 | tr -s ' ' '\n' | grep . > "$T/data"
head -c 4200000 /dev/urandom | od -An -tu4 | tr -s ' ' '\n' | grep . > "$T/data5"
hf() {   # $1 out, $2 data file of the slowed commands
    hyperfine -N --runs 20 --warmup 2 --style none --export-json "$1" \
        -n true 'true' -n sleep 'sleep 0.01' -n sort "sort -n $T/data" \
        -n gzip "gzip -c $2" -n sha1 "sha1sum $2" -n wc "wc -l $T/data" \
        -n cat "cat $T/data" -n seq 'seq 100000' >/dev/null 2>&1
}
gb() {   # $1 binary, $2 out, then more options
    local bin=$1 out=$2
    shift 2
    "$bin" --benchmark_repetitions=10 --benchmark_min_time=0.05 --benchmark_format=json "$@" \
        > "$out" 2>/dev/null
}
INTER=--benchmark_enable_random_interleaving=true

if [ "${BUSY:-0}" = 1 ]; then
    ( while :; do :; done ) &
    BUSY_PID=$!
fi

tally() {   # $1 pacer, $2 base, $3 new, $4 slowed-name regex or "" -> "false caught slowed n mdes"
    "$1" compare "$2" "$3" --format json 2>/dev/null | /usr/bin/python3 -c '
import json, re, sys
slow = sys.argv[1]
rows = json.load(sys.stdin)["benchmarks"]
false = caught = slowed = n = 0
mdes = []
for r in rows:
    v = r["verdict"]
    if v not in ("regressed", "improved", "unchanged", "inconclusive"):
        continue
    n += 1
    if r.get("mde") is not None:
        mdes.append(r["mde"])
    if slow and re.search(slow, r["name"]):
        slowed += 1
        caught += v == "regressed"
    else:
        false += v in ("regressed", "improved")
print(false, caught, slowed, n, " ".join("%.6f" % m for m in mdes))
' "$4" || true
}

declare -A F C S N M
KEYS="gb_old gb_new gi_old gi_new hf_old hf_new"
for k in $KEYS; do F[$k]=0; C[$k]=0; S[$k]=0; N[$k]=0; M[$k]=""; done
add() {   # key, then tally's words
    local k=$1 f c s n
    shift
    read -r f c s n rest <<<"$*"
    F[$k]=$((F[$k] + f)); C[$k]=$((C[$k] + c)); S[$k]=$((S[$k] + s)); N[$k]=$((N[$k] + n))
    M[$k]="${M[$k]} ${rest:-}"
}
for r in $(seq 1 "$ROUNDS"); do
    gb "$T/gb_a" "$T/g1.json"; gb "$T/gb_a" "$T/g2.json"; gb "$T/gb_b" "$T/g3.json"
    gb "$T/gb_a" "$T/i1.json" $INTER; gb "$T/gb_a" "$T/i2.json" $INTER
    gb "$T/gb_b" "$T/i3.json" $INTER
    hf "$T/h1.json" "$T/data"; hf "$T/h2.json" "$T/data"; hf "$T/h3.json" "$T/data5"
    for v in old new; do
        P=$NEW; [ $v = old ] && P=$OLD
        add "gb_$v" "$(tally "$P" "$T/g1.json" "$T/g2.json" '')"
        add "gb_$v" "$(tally "$P" "$T/g1.json" "$T/g3.json" '^BM_slowed/')"
        add "gi_$v" "$(tally "$P" "$T/i1.json" "$T/i2.json" '')"
        add "gi_$v" "$(tally "$P" "$T/i1.json" "$T/i3.json" '^BM_slowed/')"
        add "hf_$v" "$(tally "$P" "$T/h1.json" "$T/h2.json" '')"
        add "hf_$v" "$(tally "$P" "$T/h1.json" "$T/h3.json" '^(gzip|sha1)$')"
    done
done

median() { /usr/bin/python3 -c 'import sys, statistics as s; v = [float(x) for x in sys.argv[1:]]
print("%.1f%%" % (100 * s.median(v)) if v else "-")' $1; }
echo "pacer compare on imported files, $ROUNDS rounds; busy core: ${BUSY:-0}; $(uptime | sed 's/.*load/load/')"
echo "pacer before: $BASE_REV (fixed +-10 % floor for files of one process)"
printf '%-34s %-22s %-20s %s\n' "files, pacer" "false alarms (A/A+A/B)" "+5 % caught (A/B)" \
    "median MDE"
for k in $KEYS; do
    case $k in
    gb_*) what="Google Benchmark";;
    gi_*) what="Google Benchmark, interleaved";;
    *) what="hyperfine";;
    esac
    printf '%-34s %-22s %-20s %s\n' "$what, ${k#*_}" "${F[$k]} of $((N[$k] - S[$k]))" \
        "${C[$k]} of ${S[$k]}" "$(median "${M[$k]}")"
done
