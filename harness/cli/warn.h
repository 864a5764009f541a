/*
 * warn.h: the warnings a user wants about finished benchmarks on stderr
 * ("pacer: warning: NAME: ..."): noisy samples (CV above a limit), many
 * outliers, samples near the clock resolution, counted loops that waited,
 * a --ci-target not reached; for a whole run, once per kind.
 */
#ifndef PACER_WARN_H
#define PACER_WARN_H

#include <stdio.h>

#include "harness/result/result.h"

#define WARN_CV_DEFAULT 0.05
#define WARN_OUTLIER_FRACTION 0.20   /* of all samples, mild or severe */
#define WARN_SEVERE_FRACTION 0.10    /* of all samples, severe */
#define WARN_RESOLUTION_FACTOR 1000.0

#define WARN_WAITED 0.5       /* share of a counted loop spent waiting: over half (a
                                 virtual machine whose host is busy loses a
                                 quarter of a loop to steal, which counts) */

/* Print the warnings for b to f; returns how many. */
int warn_bench(FILE *f, const struct bench *b, const struct context *ctx, double cv_limit);

/* The warnings of a whole run, said once per kind: a kind that one
 * benchmark has gets that benchmark's line; one that several have, one
 * line with their number and the worst WARN_SHOWN. */
enum warn_kind { WARN_NOISY, WARN_OUTLIERS, WARN_SHORT, WARN_WAIT, WARN_CI, WARN_KINDS };
#define WARN_SHOWN 3

struct warn_tally {
    const struct context *ctx;
    double cv_limit;
    size_t n[WARN_KINDS];
    struct {
        const struct bench *b;   /* borrowed: the benches must outlive the tally */
        double v, aux;           /* how bad (larger is worse); the CI target */
    } worst[WARN_KINDS][WARN_SHOWN];
};

void warn_tally_init(struct warn_tally *t, const struct context *ctx, double cv_limit);
/* b's warnings into t; ci_target > 0: the target its sampling stopped at
 * (warned when its CI did not reach it). */
void warn_tally_add(struct warn_tally *t, const struct bench *b, double ci_target);
/* The lines; returns how many. */
int warn_tally_print(FILE *f, const struct warn_tally *t);

#endif
