/*
 * same.h: the one function measured by both pacer (same_pacer.c) and Google
 * Benchmark (same_gbench.cc), so the two tools' figures can be set side by
 * side.  FNV-1a 64 (Fowler, Noll, Vo) over SAME_LEN bytes: a chain of
 * dependent xor and multiply, some tens of ns, no memory traffic beyond one
 * cache line.  noinline (and noipa with GCC) keeps it a real call that the
 * compiler cannot hoist out of the timed loop in either program; both
 * programs are compiled with -O2 by the same GCC.
 */
#ifndef PACER_SELF_SAME_H
#define PACER_SELF_SAME_H

#include <stddef.h>
#include <stdint.h>

#define SAME_LEN 32

#if defined(__GNUC__) && !defined(__clang__)
#define SAME_NOINLINE __attribute__((noinline, noipa))
#else
#define SAME_NOINLINE __attribute__((noinline))
#endif

/* The input: SAME_LEN bytes, in writable storage so no constant folds. */
static unsigned char same_input[SAME_LEN] = "pacer measures, gbench measures";

#define SAME_BASIS 0xcbf29ce484222325ULL

/* FNV-1a 64 of p[0..n), starting from h (SAME_BASIS for the standard
 * hash). */
static SAME_NOINLINE uint64_t same_fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#endif
