/*
 * same_pacer.c: same_fnv1a() (same.h) as pacer benchmarks; their twins under
 * Google Benchmark are in same_gbench.cc.  Built by suites/self/run.sh.
 *
 *   fnv1a_indep  every call hashes from SAME_BASIS: calls are independent,
 *                so the CPU overlaps consecutive calls (throughput-bound)
 *   fnv1a_chain  every call starts from the previous hash: one dependency
 *                chain through all calls (latency-bound)
 */
#include "pacer.h"
#include "same.h"

static void fnv1a_indep(pacer_state *st)
{
    PACER_LOOP(st) {
        uint64_t h = same_fnv1a(same_input, SAME_LEN, SAME_BASIS);
        pacer_do_not_optimize(h);
    }
}
PACER_BENCHMARK(fnv1a_indep);

static void fnv1a_chain(pacer_state *st)
{
    uint64_t h = SAME_BASIS;

    PACER_LOOP(st) {
        h = same_fnv1a(same_input, SAME_LEN, h);
        pacer_do_not_optimize(h);
    }
}
PACER_BENCHMARK(fnv1a_chain);
