/*
 * import_gbench_private.h: what the two readers of Google Benchmark files
 * share.  import_gbench.c reads a parsed document (jansson) and words
 * every error; import_gbench_lean.c scans the text without building it and
 * gives up on anything the full reader would refuse or word.  Both turn
 * each entry of "benchmarks" into a struct gb_entry, checked, and give it
 * to gb_entry_add, so what becomes of an entry is written once.
 */
#ifndef PACER_IMPORT_GBENCH_PRIVATE_H
#define PACER_IMPORT_GBENCH_PRIVATE_H

#include <jansson.h>

#include "harness/result/jsonread.h"
#include "harness/result/result.h"
#include "import.h"

/* A conversion under way. */
struct gb {
    struct jr rd;
    struct result *out;
    const char *binary;   /* context.executable, borrowed; may be NULL */
    json_t *seen;         /* run_name -> index of its benchmark in out */
    json_t *aggs;         /* run_name -> index of its first mean aggregate */
    int stats;            /* compute each benchmark's statistics at the end */
};

/* User counters kept per entry; those after are passed over. */
#define GB_MAX_COUNTERS 32

/* One entry of "benchmarks", checked; its strings are borrowed. */
struct gb_entry {
    const char *name;     /* run_name, else name: not empty */
    int is_agg;
    int mean;             /* an aggregate "mean" that has a run_name */
    long long threads;    /* 1 when absent */
    const char *error;    /* error_message of error_occurred true */
    const char *skip;     /* error_message of error_occurred false */
    /* an iteration that ran (neither error nor skip): */
    long long iters;      /* >= 1 */
    double mult;          /* ns per time_unit */
    double real, cpu;     /* >= 0, times mult finite */
    double bps, ips;      /* >= 0; 0 when absent */
    struct {              /* user counters: the other finite numbers of the
                             entry, in the file's order (gb_is_counter) */
        const char *name; /* not NUL-terminated: len bytes */
        size_t len;
        double v;
    } uc[GB_MAX_COUNTERS];
    size_t nuc;
};

/* Whether an entry's numeric field of that name (len bytes) is a user
 * counter: any but Google Benchmark's own. */
int gb_is_counter(const char *name, size_t len);

/* Start: out initialised and named after the file (name); io may be
 * NULL. */
int gb_begin(struct gb *g, const char *name, const struct import_opts *io, struct result *out,
             struct err *e);

/* The context object into out. */
int gb_context(struct gb *g, const json_t *co);

/* Entry idx into out. */
int gb_entry_add(struct gb *g, const struct gb_entry *en, size_t idx);

/* After the last entry: the checks of the whole and the statistics. */
int gb_finish(struct gb *g);

void gb_end(struct gb *g);

/* The nanoseconds of a time_unit ("ns", "us", "ms", "s"), 0 for another. */
double gb_time_unit(const char *unit);

#endif
