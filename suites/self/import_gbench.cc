/*
 * import_gbench.cc: twelve Google Benchmark benchmarks for
 * suites/self/import_noise.sh.  Built with -DSLOW=P, the three benchmarks
 * of BM_slowed do P % more work (a known regression); with -DSLOW=0 the
 * build is the unchanged one.
 */
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

#ifndef SLOW
#define SLOW 0
#endif

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void BM_sum(benchmark::State &st)
{
    std::vector<int> v(st.range(0));
    std::iota(v.begin(), v.end(), 0);
    for (auto _ : st) {
        long s = std::accumulate(v.begin(), v.end(), 0L);
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_sum)->Arg(256)->Arg(4096)->Arg(65536);

static void BM_copy(benchmark::State &st)
{
    std::vector<char> a(st.range(0), 1), b(st.range(0));
    for (auto _ : st) {
        memcpy(b.data(), a.data(), a.size());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_copy)->Arg(4096)->Arg(65536)->Arg(1 << 20);

static void BM_sort(benchmark::State &st)
{
    std::vector<int> v(st.range(0)), w(st.range(0));
    for (size_t i = 0; i < v.size(); i++)
        v[i] = (int)((i * 7919) % v.size());
    for (auto _ : st) {
        w = v;
        std::sort(w.begin(), w.end());
        benchmark::DoNotOptimize(w.data());
    }
}
BENCHMARK(BM_sort)->Arg(1000)->Arg(10000)->Arg(100000);

/* The slowed ones: SLOW % more bytes hashed. */
static void BM_slowed(benchmark::State &st)
{
    size_t n = (size_t)st.range(0), extra = n * SLOW / 100;
    std::vector<unsigned char> v(n + extra, 7);
    for (auto _ : st) {
        uint64_t h = fnv1a(v.data(), n + extra);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(BM_slowed)->Arg(1000)->Arg(10000)->Arg(100000);

BENCHMARK_MAIN();
