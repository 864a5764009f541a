/*
 * empty.c: benchmarks with nothing in the timed loop, to measure the harness
 * itself (suites/self/run.sh builds and runs this; it is not in the Makefile).
 *
 *   empty          PACER_LOOP(st) {}
 *   empty_clobber  PACER_LOOP(st) pacer_clobber();
 *   stamped        empty_clobber, plus one CLOCK_MONOTONIC read at entry of
 *                  every call of the function, kept in a ring and written at
 *                  teardown to the file named by PACER_SELF_STAMPS (one ns
 *                  value a line, oldest first).  The gap between two entries
 *                  minus the sample the harness measured in between is what
 *                  the harness spends per sample outside the timed loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pacer.h"

static void empty(pacer_state *st)
{
    PACER_LOOP(st) {
    }
}
PACER_BENCHMARK(empty);

static void empty_clobber(pacer_state *st)
{
    PACER_LOOP(st)
        pacer_clobber();
}
PACER_BENCHMARK(empty_clobber);

/* Room for every call of a run of up to about a million samples: the calls
 * of calibration and warmup come first and may be overwritten, the samples
 * are the last calls. */
#define STAMP_CAP (1u << 21)

struct stamps {
    uint64_t *t;
    uint64_t n;     /* calls seen; the ring holds the last min(n, cap) */
};

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void stamped_setup(pacer_state *st)
{
    struct stamps *s = calloc(1, sizeof *s);

    if (!s || !(s->t = malloc(STAMP_CAP * sizeof *s->t))) {
        free(s);
        pacer_skip(st, "stamped: out of memory");
        return;
    }
    pacer_set_data(st, s);
}

static void stamped(pacer_state *st)
{
    struct stamps *s = pacer_data(st);

    s->t[s->n++ % STAMP_CAP] = now_ns();
    PACER_LOOP(st)
        pacer_clobber();
}

static void stamped_teardown(pacer_state *st)
{
    struct stamps *s = pacer_data(st);
    const char *path = getenv("PACER_SELF_STAMPS");
    uint64_t i, first;
    FILE *f;

    if (!s)
        return;
    if (path && (f = fopen(path, "w"))) {
        first = s->n > STAMP_CAP ? s->n - STAMP_CAP : 0;
        for (i = first; i < s->n; i++)
            fprintf(f, "%llu\n", (unsigned long long)s->t[i % STAMP_CAP]);
        if (fclose(f) != 0)
            fprintf(stderr, "stamped: %s: write failed\n", path);
    } else if (path)
        fprintf(stderr, "stamped: %s: cannot open\n", path);
    free(s->t);
    free(s);
    pacer_set_data(st, NULL);
}
PACER_BENCHMARK(stamped, .setup = stamped_setup, .teardown = stamped_teardown);
