/*
 * trend.h: a history of result files as series.  The runs are ordered by
 * their context (the commit time, then the run time; or the order of the
 * commits in `git rev-list` when asked), each benchmark becomes one series
 * over the runs that have it, one point a run: the centre of the run's
 * samples as pacer compare takes it (the median, or with several processes
 * the median of their medians; trend_read.h), with the stored CI of the
 * median; and change points are found in each series (changepoint.h).
 */
#ifndef PACER_TREND_H
#define PACER_TREND_H

#include <stddef.h>

#include "changepoint.h"
#include "harness/lib/err.h"
#include "harness/result/result.h"

struct trend_run {
    char *file;
    char *time;               /* run time, UTC ISO 8601; NULL when the file
                                 holds none of its own (hyperfine's) */
    char *commit;             /* or NULL */
    char *commit_time;        /* or NULL */
    char *branch;             /* or NULL */
    char *fingerprint;        /* of the machine (env.h), or NULL */
};

struct trend_point {
    size_t run;               /* index into trend.runs */
    double value;             /* the centre of the run's samples */
    double lo, hi;            /* the stored CI of the median, NAN when unknown */
    size_t n;                 /* samples */
};

/* Where a series crosses a change of machine. */
struct trend_break {
    size_t index;             /* the first point on the new machine */
    double before, after;     /* levels of the segments either side (to the
                                 next change point or break), as the change
                                 points' (changepoint.h: median or mean) */
    double change;            /* after / before - 1 */
    int moved;                /* |change| is at least the magnitude floor */
};

struct trend_series {
    char *name;
    char *unit;
    enum direction dir;
    struct trend_point *pts;  /* in run order */
    size_t n;
    struct changepoint *cps;  /* indexes into pts; each found among the
                                 runs of one machine */
    size_t ncps;
    struct trend_break *breaks;   /* every change of machine the points
                                     cross, in order */
    size_t nbreaks;
    size_t untested;          /* points on stretches of one machine too short
                                 to hold a change point (trend.min_runs) */
};

/* A change of machine: runs[run - 1] and runs[run] differ in fingerprint. */
struct trend_machine {
    size_t run;
    const char *from, *to;    /* the fingerprints, borrowed from the runs */
};

struct store;

struct trend_opts {
    const char *filter;       /* POSIX ERE on benchmark names, or NULL */
    size_t last;              /* only the newest N runs, 0: all */
    int git_order;            /* order by `git rev-list` of git_dir */
    const char *git_dir;      /* NULL: the current directory */
    struct store *store;      /* the runs it has are read from it, the files it
                                 lacks (or that changed) from the files and
                                 added to it (store.h); NULL: the files alone */
    struct cp_opts cp;
};

void trend_opts_default(struct trend_opts *o);

struct trend {
    struct trend_run *runs;
    size_t nruns;
    struct trend_series *series;
    size_t nseries;
    struct trend_machine *machines;   /* in run order */
    size_t nmachines;
    size_t min_runs;          /* the fewest runs in a row on one machine that
                                 can hold a change point (cp_min_length) */
    char **warnings;          /* one line each, for the command to print:
                                 runs placed last in git order, runs without
                                 a time of their own, points left out for a
                                 changed unit or direction */
    size_t nwarnings;
    size_t from_store, added; /* runs read from o->store, runs added to it */
};

/* Read the result files named by paths (a directory stands for its *.json
 * files, in name order), order them, build the series and find their
 * change points.  Bad files fail the whole load: -1 with "file: json.path:
 * cause" in e.
 *
 * Machines: where two runs in a row differ in fingerprint (the machine,
 * its kernel and settings, the compiler and flags: env.h), the history
 * breaks.  Change points are sought among each machine's runs apart, so a
 * change of machine is never taken for a change of the code; each series
 * records the breaks it crosses, with its levels either side.
 *
 * Order: by the commit time (a run without one: its run time), then the
 * run time, then the file name; times are ISO 8601 (UTC when no offset is
 * given).  With git_order, by the position of the run's commit (a full or
 * abbreviated hash) in `git rev-list --topo-order HEAD`, oldest first, runs
 * of one commit by time; runs whose commit is not listed go last, by time,
 * with a warning.  Runs whose file holds no time of its own (hyperfine's)
 * go after the others in the order the files were named, with a warning.
 * Then only the newest `last` runs are kept.
 * Series: one per benchmark name matching the filter, sorted by name, with
 * a point for every kept run that has the benchmark without an error and
 * with samples.  A series takes the unit and direction of its newest
 * point; points with another unit or direction are left out (warning).
 * Series without any point are left out.  t is zeroed first and owns
 * everything in it (trend_free, also after a failure). */
int trend_build(char *const *paths, size_t npaths, const struct trend_opts *o, struct trend *t,
                struct err *e);
void trend_free(struct trend *t);

/* 1 when change (after / before - 1) is worse in direction d. */
int trend_worse(enum direction d, double change);

/* Whether the last change point of s leads into the newest run's level:
 * s has a point in the newest run of t, its last change point is worse
 * (by the series' direction) and no change of machine comes after it.  A
 * change point needs min_size runs after it, so this holds from the run
 * that makes a regression detectable until the level recovers (another
 * change point) or the machine changes. */
int trend_series_regressed(const struct trend *t, const struct trend_series *s);

/* 1 when the newest run is in a segment that is worse than the one before
 * it (trend_series_regressed) in some series, else 0. */
int trend_new_regression(const struct trend *t);

#endif
