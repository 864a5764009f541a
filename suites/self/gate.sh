#!/usr/bin/env bash
# The regression gate on real runs of a real suite: how often pacer compare
# (two runs) and pacer ab (paired) call an unchanged build regressed or
# improved (A/A), and how often they catch a deliberate 3 % slowdown of one
# benchmark (A/B), at their default settings.
#
#   suites/self/gate.sh [ROUNDS]        (default 3; about 5 minutes a round)
#
# The suite is suites/micro/hash (30 benchmarks).  The slowed build hashes
# an extra 3 % of its input in hashfn/fnv1a (all sizes), so the true change
# of those 6 benchmarks is +3 %, and of the other 24 none.
# Unpaired runs: pacer run --processes 10 --samples 30 (the processes
# interleaved in rounds).  Paired: pacer ab with its defaults (100 pairs over
# 10 worker pairs, confirmation of flagged benchmarks).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
make -s all >/dev/null
B=build/self/gate
rm -rf "$B"
mkdir -p "$B/a" "$B/a2" "$B/slow"
trap 'rm -rf "$B"' EXIT INT TERM
cp build/pacer "$B/pacer"
PACER="$B/pacer"
CFLAGS_SUITE="-std=gnu11 -O2 -g -D_GNU_SOURCE -Iharness/lib"

# Two copies of the same build, and the slowed one, compiled alike.
cp build/suites/micro/hash "$B/a/hash"
cp build/suites/micro/hash "$B/a2/hash"
sed 's|uint64_t h = fnv1a64(b->src, n);|uint64_t h = fnv1a64(b->src, n) ^ fnv1a64(b->src, n * 3 / 100);|' \
    suites/micro/hash.c > "$B/hash_slow.c"
grep -q 'n \* 3 / 100' "$B/hash_slow.c" || { echo "gate.sh: could not slow fnv1a in hash.c" >&2; exit 2; }
gcc $CFLAGS_SUITE -o "$B/slow/hash" "$B/hash_slow.c" build/libpacer.a -lm

SLOWED='hash/hashfn/fnv1a/'
tally() {   # $1 csv file, $2 expect (aa|ab) -> "false detected shifted compared"
    /usr/bin/python3 - "$1" "$2" "$SLOWED" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
aa, slowed = sys.argv[2] == 'aa', sys.argv[3]
false = det = shifted = n = 0
for r in rows:
    v = r['verdict']
    if v not in ('regressed', 'improved', 'unchanged', 'inconclusive'):
        continue
    n += 1
    if not aa and r['benchmark'].startswith(slowed):
        shifted += 1
        det += v == 'regressed'
    else:
        false += v in ('regressed', 'improved')
print(false, det, shifted, n)
EOF
}

declare -A F D S N
for k in unpaired_aa unpaired_ab paired_aa paired_ab; do F[$k]=0; D[$k]=0; S[$k]=0; N[$k]=0; done
add() { read -r f d s n <<<"$(tally "$2" "$3")"; F[$1]=$((F[$1]+f)); D[$1]=$((D[$1]+d)); S[$1]=$((S[$1]+s)); N[$1]=$((N[$1]+n)); }

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r of $ROUNDS" >&2
    for side in a a2 slow; do
        $PACER run "$B/$side/hash" --processes 10 --samples 30 --warmup 50ms -q \
            --out "$B/$side.json" >/dev/null || true
    done
    $PACER compare "$B/a.json" "$B/a2.json" --format csv > "$B/u_aa.csv" || true
    $PACER compare "$B/a.json" "$B/slow.json" --format csv > "$B/u_ab.csv" || true
    add unpaired_aa "$B/u_aa.csv" aa
    add unpaired_ab "$B/u_ab.csv" ab
    $PACER ab "$B/a/hash" "$B/a2/hash" -q --format csv > "$B/p_aa.csv" || true
    $PACER ab "$B/a/hash" "$B/slow/hash" -q --format csv > "$B/p_ab.csv" || true
    add paired_aa "$B/p_aa.csv" aa
    add paired_ab "$B/p_ab.csv" ab
done

pct() { /usr/bin/python3 -c "import sys; a,b=map(int,sys.argv[1:]); print(f'{100*a/b:.1f}%' if b else '-')" "$1" "$2"; }
echo
echo "pacer's regression gate on real runs of suites/micro/hash, $ROUNDS rounds ($(date -u +%FT%TZ), $(nproc) cpus)"
printf '%-9s %-14s %-34s %s\n' mode comparison "false verdicts (unchanged benches)" "3% slowdown detected"
printf '%-9s %-14s %-34s %s\n' unpaired "A/A" "${F[unpaired_aa]} of ${N[unpaired_aa]} ($(pct ${F[unpaired_aa]} ${N[unpaired_aa]}))" "-"
printf '%-9s %-14s %-34s %s\n' unpaired "A/B (+3% x6)" "${F[unpaired_ab]} of $((N[unpaired_ab]-S[unpaired_ab])) ($(pct ${F[unpaired_ab]} $((N[unpaired_ab]-S[unpaired_ab]))))" "${D[unpaired_ab]} of ${S[unpaired_ab]} ($(pct ${D[unpaired_ab]} ${S[unpaired_ab]}))"
printf '%-9s %-14s %-34s %s\n' paired "A/A" "${F[paired_aa]} of ${N[paired_aa]} ($(pct ${F[paired_aa]} ${N[paired_aa]}))" "-"
printf '%-9s %-14s %-34s %s\n' paired "A/B (+3% x6)" "${F[paired_ab]} of $((N[paired_ab]-S[paired_ab])) ($(pct ${F[paired_ab]} $((N[paired_ab]-S[paired_ab]))))" "${D[paired_ab]} of ${S[paired_ab]} ($(pct ${D[paired_ab]} ${S[paired_ab]}))"
