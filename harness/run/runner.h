/*
 * runner.h: running the micro benchmarks of a suite binary under the driver.
 * Each benchmark runs in fresh worker processes (settings.processes of them,
 * one after another): a crash, abort, non-zero exit or hang is recorded as
 * that benchmark's error and the others still run.
 */
#ifndef PACER_RUNNER_H
#define PACER_RUNNER_H

#include <regex.h>

#include "child.h"
#include "harness/lib/err.h"
#include "harness/result/result.h"

struct run_opts {
    struct settings set;
    double clock_resolution_ns;
};

/* One benchmark a suite binary lists. */
struct listed {
    char *name;              /* as the binary names it (no suite prefix) */
    char **pnames, **pvalues;
    size_t nparams;
    /* how its definition asks to be measured (0: not said) */
    unsigned want_samples;
    uint64_t want_sample_time_ns, want_warmup_ns;
    int want_complexity;      /* bigo.h's shape to fit its family to, 0 none */
};

struct listing {
    char *compiler, *cflags; /* the binary's build, from its hello */
    struct listed *items;
    size_t n;
};

/* Ask a suite binary for its benchmarks. */
int runner_list(const char *binary, uint64_t timeout_ns, struct listing *out, struct err *e);
void listing_free(struct listing *l);

/* Run one listed benchmark of binary into b (its name is suite/listed
 * name).  Failures are recorded in b->error; returns -1 only when the run
 * was interrupted (SIGINT/SIGTERM). */
int runner_bench(const char *binary, const char *suite, const struct listed *li,
                 const struct run_opts *o, struct bench *b);

/* Worker process number p (0-based) of settings.processes for li, its
 * samples appended to b.  Process 0 names b and calibrates the iteration
 * count, which later processes reuse (so the processes of one benchmark
 * may run far apart in time: pacer run interleaves them in rounds).
 * Returns 0, 1 when b failed (its error recorded; later calls do nothing),
 * or -1 when interrupted. */
int runner_process(const char *binary, const char *suite, const struct listed *li,
                   const struct run_opts *o, unsigned p, struct bench *b);
/* After the last process: statistics of b. */
void runner_finish(struct bench *b, const struct run_opts *o);

/* The adaptive stopping rule: at least RUNNER_ADAPTIVE_MIN samples and the
 * half-width of the median's 95 % bootstrap CI (stats.h) at most target
 * times the median. */
#define RUNNER_ADAPTIVE_MIN 10u
int runner_ci_done(const double *x, size_t n, double target);

/* The time one sample aims at: the settings' target, at least 1000 times
 * the clock's resolution. */
uint64_t runner_sample_target(const struct run_opts *o);

/* Record why stage failed (f, e, from child c) as b's error, with the
 * signal, exit code or timeout and c's stderr tail; the first error
 * stays. */
void runner_record(struct bench *b, struct child *c, enum child_fail f, const struct err *e,
                   const char *stage, const struct settings *set);

/* Name (suite/listed name), kind, binary and params of a micro benchmark
 * about to be measured. */
void runner_bench_init(struct bench *b, const char *binary, const char *suite,
                       const struct listed *li);

/* The listed benchmark of that name, or NULL. */
const struct listed *listing_find(const struct listing *l, const char *name);

/* --filter: a regular expression searched in a benchmark's own name (as
 * its binary or suite names it, as Google Benchmark's filter is), or in
 * its full name suite/name when the pattern starts with '^' (so "sort"
 * does not select all of a binary named sortbench, and "^sortbench/"
 * selects that binary). */
struct name_filter {
    regex_t re;
    int full;
};

/* Whether suite/name passes f (NULL passes everything). */
int runner_matches(const struct name_filter *f, const char *suite, const char *name);

/* The suite name of a binary: its file name. */
const char *runner_suite_name(const char *binary);

#endif
