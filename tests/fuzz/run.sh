#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS NAME...: run each libFuzzer harness
# BUILD/tests/fuzz/fuzz_NAME for SECONDS on its corpus, then merge what it
# found that reaches new code into tests/fuzz/corpus/NAME (kept in the
# repository), and print the executions of each.  A crash, a leak, a hang
# (-timeout) or running out of memory leaves its input in
# BUILD/fuzz-artifacts and makes the script fail.  Seeds: the result,
# import, suite and trend files under tests/data and suites/, and
# tests/fuzz/seeds/NAME.
set -u
build=$1; secs=$2; shift 2
cd "$(dirname "$0")/../.."
art="$build/fuzz-artifacts"
mkdir -p "$art"
total=0; fail=0
printf '%-10s %12s %10s %s\n' harness executions exec/s result
for name in "$@"; do
  bin="$build/tests/fuzz/fuzz_$name"
  keep="tests/fuzz/corpus/$name"
  work=$(mktemp -d)
  mkdir -p "$keep"
  case $name in
    result|import|trend) seeds="tests/data/result/good tests/data/result/bad tests/data/import/good tests/data/import/bad tests/data/compare/unchanged" ;;
    suite) seeds="tests/data/suite/good tests/data/suite/bad suites suites/macro" ;;
    *) seeds="tests/fuzz/seeds/$name" ;;
  esac
  dirs=""
  for d in $seeds; do [ -d "$d" ] && dirs="$dirs $d"; done
  log="$art/$name.log"
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/$name-" "$work" "$keep" $dirs > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  runs=${runs:-0}; rate=${rate:-0}
  if [ $rc -eq 0 ]; then
    "$bin" -merge=1 "$keep" "$work" > "$art/$name.merge.log" 2>&1 || true
    result=ok
  else
    result="FAILED (exit $rc): see $log"
    fail=1
  fi
  printf '%-10s %12s %10s %s\n' "$name" "$runs" "$rate" "$result"
  total=$((total + runs))
  rm -rf "$work"
done
printf '%-10s %12s\n' total "$total"
exit $fail
