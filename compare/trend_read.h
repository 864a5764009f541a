/*
 * trend_read.h: what a history needs of one result file, read fast.  A
 * trend reads hundreds or thousands of files and uses a few fields of
 * each: the context's times, commit and fingerprint, and per benchmark its
 * name, unit, direction, the centre of its samples, the stored CI of its
 * median, n and whether it failed.  The centre is what pacer compare
 * takes for a side (compare/cluster.h): the median of the samples when they
 * come from one process, else the median of the processes' medians; it is
 * computed from the samples as they are read, never taken from the stored
 * statistics.  The lean
 * reader scans a pacer result once without building a document, checking
 * every field for what result_load demands of it.  Whatever it does not
 * take on (malformed JSON, a broken field, keys out of pacer's order,
 * another tool's format, a newer schema, a load record or an A/B block)
 * goes to import_load, which reads the file fully and words the error as
 * pacer compare does: "file: json.path: cause".  Either way the same file
 * gives the same values, or the same error.
 */
#ifndef PACER_TREND_READ_H
#define PACER_TREND_READ_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"
#include "harness/result/jscan.h"

enum { TREND_RUN, TREND_LOAD, TREND_AB };

struct trend_bench_rec {
    const char *name, *unit;  /* borrowed from the trend_file */
    enum direction dir;
    double centre;            /* of the samples (above); NaN without any */
    double lo, hi;            /* the stored CI of the median, NaN when unknown */
    size_t n;                 /* samples */
    int failed;               /* has an error */
    size_t smp;               /* with want_samples: its samples are
                                 smp[this..this + n) of the trend_file */
};

/* One file as read; reused from file to file (its buffers grow to the
 * largest).  Every string is borrowed from it and valid until the next
 * trend_file_read or trend_file_free. */
struct trend_file {
    const char *time, *commit, *commit_time, *branch;   /* NULL when absent */
    const char *fingerprint;  /* the context's, NULL when absent */
    int untimed;              /* 1: time is not the run's own (hyperfine
                                 records none: the import takes the file's
                                 modification time) */
    struct trend_bench_rec *b;
    size_t nb;
    int want_samples;         /* set by the caller: keep every benchmark's
                                 samples too (the store keeps them) */
    double *smp;              /* with want_samples: the samples, benchmark
                                 after benchmark (trend_bench_rec.smp) */
    size_t nsmp, smpcap;
    int full;                 /* 1: read by import_load (not a lean pacer read) */
    int kind;                 /* TREND_RUN, TREND_LOAD (a benchmark is a load
                                 test) or TREND_AB (a pacer ab result) */
    /* private */
    size_t bcap;
    const struct trend_bench_rec **order;   /* b sorted by name */
    size_t ordercap;
    char *buf, *arena;
    size_t bufcap, arenacap;
    char fp[17];              /* the lean read's fingerprint */
    struct jscan_nums nums;   /* the samples of the benchmark being read */
    size_t *procs, nprocs, proccap;   /* and its counts per process */
    struct result r;
};

void trend_file_init(struct trend_file *f);
void trend_file_free(struct trend_file *f);

/* Read path into f.  force_full skips the lean reader.  0, or -1 with
 * "path: json.path: cause" (or "path: cannot open: ...") in e. */
int trend_file_read(struct trend_file *f, const char *path, int force_full, struct err *e);

#endif
