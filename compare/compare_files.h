/*
 * compare_files.h: the comparison of result files, as pacer compare and
 * pacer plot compare make it: read BASE NEW (pacer results, Google
 * Benchmark or hyperfine files, compare/import) or one A/B result (its two
 * sides compared as pairs), take a thresholds file into the options, keep
 * the benchmarks a filter matches, and compare (compare.h).
 */
#ifndef PACER_COMPARE_FILES_H
#define PACER_COMPARE_FILES_H

#include <regex.h>
#include <stddef.h>

#include "compare.h"
#include "harness/lib/err.h"
#include "harness/result/result.h"

/* What the command line adds to the files. */
struct compare_files_opts {
    const char *thresholds;     /* a policy file or a suite file with a
                                   "compare" section (policy.h); NULL none */
    int have_threshold;         /* a threshold was given: the file's does
                                   not replace it */
    int have_drift;             /* likewise the drift allowance */
    const char *filter;         /* POSIX ERE on the full names; NULL all */
    int refuse_incomplete;      /* a result with "complete": false (an
                                   interrupted run) is refused */
    int ignore_failure;         /* hyperfine runs with a non-zero exit code
                                   are taken as measured (import.h) */
};

/* The files as read and their comparison. */
struct compare_files {
    struct result base, nw;     /* base is a view into nw when paired */
    int paired;                 /* one A/B result, compared as pairs */
    int ab_side;                /* two files, one of them an A/B result
                                   (compared as two plain runs) */
    struct comparison cmp;      /* base_name and new_name: the files */
    regex_t re;                 /* the filter, o->filter points at it */
    int have_re;
    int refused;                /* a file was refused as untrustworthy
                                   (an interrupted run): exit code 3 */
};

/* Compare the n files of paths (n is 1 or 2): thresholds and filter from fo
 * go into o, the files are read, the comparison goes into cf->cmp.
 * Returns 0 when compared; 1 when the one file is a plain result, which
 * has nothing to be compared with (cf->nw holds it, to check limits
 * against); -1 with e set: the thresholds file's or a file's own message,
 * "compare: --filter: 'RE' is not a valid regular expression",
 * "compare: --filter: 'RE' matches no benchmark in FILE[ or FILE]",
 * with refuse_incomplete (cf->refused set) "compare: FILE: the run was
 * interrupted ("complete": false) before N of its M benchmarks ran: "a",
 * "b", "c" and K more; --allow-incomplete compares what finished" (or,
 * when every benchmark has samples, "...: some benchmarks may hold fewer
 * samples than asked for; ..."), or "compare: BASE and NEW: cause" (for an
 * A/B result "base and new").  cf is new, also after a failure: free it
 * with compare_files_free before o. */
int compare_files(char *const *paths, size_t n, const struct compare_files_opts *fo,
                  struct compare_opts *o, struct compare_files *cf, struct err *e);

/* Release what compare_files holds (o->filter then points at nothing). */
void compare_files_free(struct compare_files *cf);

#endif
