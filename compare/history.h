/*
 * history.h: the runs of a trend.  Which files a trend reads (a directory
 * stands for its *.json files, in name order), the run each file is (its
 * times, commit, branch and fingerprint), and the order of the runs: by
 * the commit time (a run without one: its run time), then the run time,
 * then the file name; or by the place of the run's commit in `git rev-list
 * --topo-order HEAD`, oldest first, runs of one commit by time, runs whose
 * commit git does not list last, by time.  Times are ISO 8601 (UTC when no
 * offset is given).  A run whose file holds no time of its own (hyperfine
 * records none; its import takes the file's modification time, which a
 * copy or a checkout changes) is never ordered by that time: such runs
 * come after the others, in the order their files were named (a
 * directory's by name).
 */
#ifndef PACER_HISTORY_H
#define PACER_HISTORY_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "trend.h"
#include "trend_read.h"

struct history_run {
    struct trend_run run;     /* its strings are owned here */
    double key, time;         /* commit time (else run time), run time: s since the epoch */
    int untimed;              /* no time of its own: ordered by file */
    size_t git_pos;           /* position from the oldest; SIZE_MAX: unlisted */
    size_t file;              /* index of its file in files */
};

struct history {
    char **files;             /* the files named, in the order they are read */
    size_t nfiles, filecap;
    struct history_run *runs;
    size_t nruns, runcap;
};

/* The files named by paths, appended to h->files (h zeroed by the caller):
 * each directory by its *.json regular files, in name order; other paths
 * as they are (their reading says what is wrong).  0, or -1 with the
 * cause in e ("DIR: no *.json result files", "DIR: cannot open: ..."). */
int history_expand(struct history *h, char *const *paths, size_t npaths, struct err *e);

/* The run of file number fi (path) as read into f, appended to h->runs.
 * 0, or -1 with "path: context.time: ..." (a time that cannot be ordered)
 * or "out of memory" in e. */
int history_add(struct history *h, const struct trend_file *f, const char *path, size_t fi,
                struct err *e);

/* Order h->runs as the header says (git's order with git_order, from
 * git_dir or the current directory when NULL); *unlisted is the number of
 * runs whose commit git does not list (0 without git_order), *untimed the
 * number without a time of their own.  0, or -1 with the cause in e (git
 * failed, out of memory). */
int history_order(struct history *h, int git_order, const char *git_dir, size_t *unlisted,
                  size_t *untimed, struct err *e);

/* Free the strings of a run (history_add made them). */
void history_run_free(struct trend_run *r);

/* Free h and every run still in it. */
void history_free(struct history *h);

#endif
