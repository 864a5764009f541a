/*
 * same_gbench.cc: same_fnv1a() (same.h) as Google Benchmark benchmarks; their
 * twins under pacer are in same_pacer.c (see there for the two variants).
 * Built by suites/self/run.sh.
 */
#include <benchmark/benchmark.h>

#include "same.h"

static void fnv1a_indep(benchmark::State &state)
{
    for (auto _ : state) {
        uint64_t h = same_fnv1a(same_input, SAME_LEN, SAME_BASIS);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(fnv1a_indep);

static void fnv1a_chain(benchmark::State &state)
{
    uint64_t h = SAME_BASIS;

    for (auto _ : state) {
        h = same_fnv1a(same_input, SAME_LEN, h);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(fnv1a_chain);

BENCHMARK_MAIN();
