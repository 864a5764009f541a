/*
 * result.h: the in-memory result model.  One struct result is one run of
 * pacer: its context (where and how it ran) and one struct bench per
 * benchmark, holding the raw samples and their statistics.  result_json.h
 * reads and writes it as a file (schema documented there, its version in
 * version.h).
 *
 * Ownership: every pointer inside a struct result is owned by it and freed by
 * result_free(); strings are malloc'd copies.
 */
#ifndef PACER_RESULT_H
#define PACER_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/lib/stats.h"

struct load_rep;
struct capacity;

enum bench_kind { KIND_MICRO, KIND_COMMAND, KIND_LOAD };
enum direction { DIR_LOWER, DIR_HIGHER };   /* which way is better */

/* A parameter of one benchmark instance: integer-valued (micro ranges and
 * lists) or string-valued. */
struct param {
    char *name;
    char *value;          /* always set: the text form */
    int is_int;
    long long ival;       /* when is_int */
};

/* A secondary series measured beside the primary samples, one value per
 * sample (command benchmarks: user and sys CPU time, max RSS). */
struct metric {
    char *name;
    char *unit;           /* base unit: "ns", "bytes", "count" */
    enum direction dir;
    double *samples;
    size_t nsamples;
    struct stats st;
    unsigned flags;       /* a user counter's COUNTER_* flags (1.7), else 0 */
};

/* A user counter's flags (pacer.h's PACER_COUNTER_*, the same values):
 * how the benchmark's value was turned into each sample's. */
enum {
    COUNTER_RATE = 1 << 0,
    COUNTER_AVG_THREADS = 1 << 1,
    COUNTER_ITERATION_INVARIANT = 1 << 2,
    COUNTER_AVG_ITERATIONS = 1 << 3,
    COUNTER_INVERT = 1 << 30,
};

/* Why a benchmark has no (or incomplete) results. */
struct bench_error {
    char *message;        /* one line: "killed by signal 11 (SIGSEGV)" */
    int signal;           /* 0 if not killed by a signal */
    int exit_code;        /* -1 if it did not exit with a code */
    int timed_out;
    char *stderr_tail;    /* last lines of its stderr, or NULL */
};

struct bench {
    char *name;           /* suite/group/name/param=value */
    enum bench_kind kind;
    char *unit;           /* of the samples: "ns" (per op) */
    enum direction dir;
    struct param *params;
    size_t nparams;
    uint64_t iterations;  /* per sample (1 for commands) */
    unsigned processes;   /* worker processes the samples came from */
    double *samples;      /* raw samples in unit, in the order taken */
    size_t nsamples;
    size_t *proc_samples; /* samples taken by each worker process, in
                             order (sum nsamples); NULL: all from one */
    size_t nproc_samples;
    struct stats st;
    double bytes_per_op;  /* 0 when not set */
    double items_per_op;  /* 0 when not set */
    struct metric *metrics;
    size_t nmetrics;
    struct metric *counters; /* user counters (pacer_counter, Google
                               Benchmark's state.counters), one value per
                               sample; a counter a sample lacks is dropped
                               (bench_compute_stats) (1.7) */
    size_t ncounters;
    char *binary;         /* micro: the suite binary; else NULL */
    char *command;        /* command: the command line; else NULL */
    double *ref_compute;  /* per worker process, in process order: the median
                             ns of its rounds of the reference workload's
                             compute part (harness/lib/refwork.h) */
    double *ref_memory;   /* the same, of its memory part */
    size_t nref;          /* processes with a reference (0: none) */
    struct bench_error *error; /* NULL when it ran fine */
    char *skipped;        /* the reason it skipped itself (pacer_skip, Google
                             Benchmark's SkipWithMessage): not a failure; it
                             has no samples; NULL when it did not skip */
    struct load_rep *load; /* load: the record of each repetition
                              (loadrep.h), owned; else NULL */
    size_t nload;
    struct capacity *capacity; /* load found by a capacity search: its
                              record (capres.h), owned; else NULL (1.11) */
    /* not written; what the run knows for the fits (fits.h): */
    int complexity;       /* pacer.h's .complexity (bigo.h's shape), 0 none */
    double complexity_n;  /* its n */
    char *family;         /* suite/name without the parameters' parts */
    struct bench *parts;  /* a load of flows: a benchmark for each step and
                             flow (NAME/step:S, NAME/flow:F), moved beside
                             it by result_take_parts before it is written */
    size_t nparts;
};

/* The complexity fit of a benchmark family (fits.h; 1.8). */
struct fit {
    char *family;         /* its benchmarks' name without their parameters */
    char *big_o;          /* bigo_name's ("N", ...), or NULL: not fitted */
    char *error;          /* why not, or NULL */
    double coefficient;   /* c of c * g(n), ns per iteration; NaN: none */
    double rms;           /* RMS of the residuals / mean time; NaN: none */
    char **benchmarks;    /* the benchmarks fitted, in order */
    double *n;            /* their n */
    size_t nbench;
};

struct context {
    char *pacer_version;
    char *time;             /* UTC, ISO 8601: 2026-11-24T10:00:00Z */
    char *git_commit;       /* NULL when not in a git work tree */
    char *git_branch;
    char *git_commit_time;  /* UTC ISO 8601 of the commit */
    int git_dirty;          /* 1, 0, or -1 unknown */
    char *hostname;
    char *cpu_model;
    int cpus;               /* online logical CPUs */
    uint64_t memory_bytes;
    char *kernel;           /* uname -r and -v */
    char *os;               /* PRETTY_NAME of /etc/os-release */
    char *governor;         /* NULL when unreadable */
    char *turbo;            /* "on", "off" or NULL when unreadable */
    double loadavg[3];
    char *compiler;         /* of the measured code (suite binaries) */
    char *cflags;
    char *valgrind;         /* "valgrind-3.19.0" when instructions were
                               counted under it (settings.mode), else NULL */
    double clock_resolution_ns;
    double clock_read_ns;
    char *fingerprint;      /* hex hash of the comparability-relevant fields */
};

/* How the run was made (recorded so a result can be reproduced). */
struct settings {
    uint64_t warmup_ns;        /* micro: warmup time per process */
    uint64_t sample_target_ns; /* micro: target time of one sample */
    unsigned samples;          /* samples per benchmark (0: budget decides) */
    uint64_t budget_ns;        /* time budget per benchmark, 0 none */
    double ci_target;          /* adaptive: stop at this CI half-width, 0 off */
    unsigned processes;        /* worker processes per benchmark */
    uint64_t timeout_ns;       /* per benchmark */
    unsigned warmup_runs;      /* command: warmup runs */
    uint64_t seed;             /* bootstrap seed */
    double ci_level;
    unsigned mode;             /* RUN_MODE_*: what a sample measures */
    char counters[96];         /* --counters: perf counters around each micro
                                  sample (harness/lib/hwcount.h), "" none */
};

/* What the samples of micro benchmarks measure: time per iteration, or
 * instructions per iteration counted under valgrind (harness/lib/counts.h;
 * unit "instr", with a metric "cycles" of estimated cycles). */
enum { RUN_MODE_TIME, RUN_MODE_INSTRUCTIONS };

/* A paired A/B run (pacer ab): the result's benchmarks are the new side;
 * this holds the base side, same names, whose samples at one index were
 * measured as a pair with the new side's (1.1). */
struct ab_block {
    char *base_label;       /* what ran as base: a binary or a command */
    char *new_label;
    char *order;            /* "ABBA" */
    struct bench *base;
    size_t nbase;
    struct json_t *analysis; /* the paired analysis as written (owned) */
};

/* The segment of a load run split over several generators (pacer load
 * --segment I/N): every segment of one run has the same run_id. */
struct run_segment {
    char *run_id;           /* NULL: the result is not a segment */
    unsigned index, count;  /* segment index of count, 1-based */
    char *start_at;         /* UTC ISO 8601 (ms) at which its warmup began,
                               agreed by all segments, or NULL */
    double start_lag_s;     /* how late it began after start_at (NaN: none) */
    double clock_offset_s;  /* the host clock's estimated error (adjtimex),
                               NaN when unknown */
    double clock_maxerror_s;   /* its bound, NaN when unknown */
    int clock_synced;       /* 1 synchronised, 0 not, -1 unknown */
};

struct result {
    unsigned schema_major, schema_minor;
    char *suite;            /* name of what ran */
    int complete;           /* 0 when the run was interrupted */
    char **argv;            /* command line that made it (NULL-terminated), may be NULL */
    struct context ctx;
    struct settings set;
    struct json_t *merge;   /* pacer merge's record of the segments merged,
                               as written (segrec.h, owned), or NULL */
    struct bench *benches;
    size_t nbenches;
    struct ab_block *ab;    /* pacer ab results only, else NULL */
    struct fit *fits;       /* complexity fits of its families (fits.h) */
    size_t nfits;
    struct run_segment seg;      /* a segment's identity (load runs), run_id NULL otherwise */
};

void result_init(struct result *r);
/* Give r an A/B block (zeroed) if it has none; NULL when out of memory. */
struct ab_block *result_ab(struct result *r);
/* Append a zeroed base-side benchmark to r's A/B block. */
struct bench *ab_add_base(struct ab_block *ab);
void result_free(struct result *r);

/* Append a zeroed benchmark owned by r (iterations 1, processes 1, dir
 * lower, unit "ns").  Returns NULL on allocation failure.  Pointers to
 * earlier benches may move. */
struct bench *result_add_bench(struct result *r);

/* The benchmark of that full name, or NULL.  A linear search: to look up
 * many names, build a result_index. */
struct bench *result_find(const struct result *r, const char *name);

/* The benchmarks of a result by name: an open-addressing hash table (FNV-1a
 * hashes, linear probing), so that matching the benchmarks of two results
 * takes time linear in their number.  It borrows r's benchmarks: valid
 * while r's benchmarks and their names stay as they were when it was
 * built. */
struct result_index {
    const struct result *r;
    size_t *slot;         /* index + 1 into r->benches, 0 empty */
    size_t mask;          /* number of slots - 1 (a power of two) */
};

/* Build ix over r (borrowed).  When two benchmarks share a name the first
 * is found, as with result_find.  Returns 0, or -1 when out of memory. */
int result_index_build(struct result_index *ix, const struct result *r);
/* The benchmark of that name (as result_find), or NULL. */
struct bench *result_index_find(const struct result_index *ix, const char *name);
void result_index_free(struct result_index *ix);

/* Number of benchmarks with an error. */
size_t result_nerrors(const struct result *r);

void bench_free(struct bench *b);
/* A new part of b (bench.parts) with result_add_bench's defaults; NULL
 * when out of memory. */
struct bench *bench_add_part(struct bench *b);
/* Move every benchmark's parts into r, each right after its benchmark.
 * -1 when out of memory (r unchanged). */
int result_take_parts(struct result *r);
/* b's metric of that name, or NULL. */
struct metric *bench_metric(const struct bench *b, const char *name);
/* Append a metric owned by b; name and unit are copied. */
struct metric *bench_add_metric(struct bench *b, const char *name, const char *unit,
                                enum direction dir);
/* b's user counter of that name, or NULL. */
struct metric *bench_counter(const struct bench *b, const char *name);
/* Append a user counter owned by b (name copied; its unit from its flags:
 * "/s" for a rate, "s" for an inverted rate, "" else). */
struct metric *bench_add_counter(struct bench *b, const char *name, unsigned flags);
/* The unit of a counter with these flags. */
const char *counter_unit(unsigned flags);
/* The name of each COUNTER_* flag, in bit order, NULL-terminated pairs. */
struct counter_flag {
    unsigned bit;
    const char *name;
};
extern const struct counter_flag counter_flags[];
/* Add a parameter (copied). */
int bench_add_param_int(struct bench *b, const char *name, long long v);
int bench_add_param_str(struct bench *b, const char *name, const char *v);
/* Record an error (message formatted, copied); replaces none already set. */
struct bench_error *bench_set_error(struct bench *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append what src measured (more worker processes of the same benchmark)
 * to dst: its samples, its process counts (not for commands: pacer run
 * keeps a command's spells itself, cmdbench.c, and pacer ab's command
 * pairs are a process a run), the samples of each metric both have, its
 * reference times.  Statistics are not recomputed.  -1 when
 * out of memory (dst then holds a part). */
int bench_append(struct bench *dst, const struct bench *src);
/* Append one worker process's reference times (refwork.h) to b; -1 when
 * out of memory (b unchanged). */
int bench_add_reference(struct bench *b, double compute_ns, double memory_ns);
/* Drop the user counters that do not have one finite value per sample. */
void bench_trim_counters(struct bench *b);
/* Recompute b->st and each metric's and counter's stats from the samples;
 * first drop the counters that do not have one finite value per sample. */
int bench_compute_stats(struct bench *b, const struct stats_opts *o);

void context_free(struct context *c);
void settings_default(struct settings *s);

const char *kind_name(enum bench_kind k);
const char *direction_name(enum direction d);
/* Parse names back; return -1 when unknown. */
int kind_parse(const char *s, enum bench_kind *k);
int direction_parse(const char *s, enum direction *d);

#endif
