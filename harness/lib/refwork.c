/* refwork.c: the reference workload (refwork.h). */
#include "refwork.h"

#include <stdlib.h>

#include "clock.h"
#include "pacer.h"

static uint32_t *ring;      /* ring[i] is the slot after i: one cycle through all */
static uint32_t pos;        /* where the last walk stopped */

/* ring[i] = (A i + C) mod n, n a power of two: a linear congruential map
 * with full period (Hull and Dobell 1962: C odd, A = 1 mod 4), so the walk
 * visits every slot once per cycle, in an order no prefetcher follows, and
 * making it is one sequential pass (A, C: Numerical Recipes' constants). */
static int make_ring(struct err *e)
{
    const uint32_t n = REFWORK_MEMORY_BYTES / sizeof *ring;
    uint32_t i;

    ring = malloc((size_t)n * sizeof *ring);
    if (!ring)
        return err_set(e, "reference workload: out of memory");
    for (i = 0; i < n; i++)
        ring[i] = (1664525u * i + 1013904223u) & (n - 1);
    return 0;
}

static uint64_t compute_part(void)
{
    uint64_t x = 0x2545F4914F6CDD1DULL, t0 = clock_now_ns(), t1;
    unsigned i;

    for (i = 0; i < REFWORK_COMPUTE_STEPS; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x *= 0x9E3779B97F4A7C15ULL;
    }
    pacer_do_not_optimize(x);
    t1 = clock_now_ns();
    return t1 - t0;
}

static uint64_t memory_part(void)
{
    uint64_t t0 = clock_now_ns(), t1;
    uint32_t p = pos;
    unsigned i;

    for (i = 0; i < REFWORK_MEMORY_LOADS; i++)
        p = ring[p];
    pacer_do_not_optimize(p);
    t1 = clock_now_ns();
    pos = p;
    return t1 - t0;
}

int refwork_run(uint64_t *compute_ns, uint64_t *memory_ns, struct err *e)
{
    if (!ring && make_ring(e) < 0)
        return -1;
    *compute_ns = compute_part();
    *memory_ns = memory_part();
    return 0;
}
