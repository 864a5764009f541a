/*
 * warn.h: the warnings a user wants about a finished benchmark, one line
 * each on stderr ("pacer: warning: NAME: ..."): noisy samples (CV above a
 * limit), many outliers, samples near the clock resolution, code built
 * without optimization.
 */
#ifndef PACER_WARN_H
#define PACER_WARN_H

#include <stdio.h>

#include "harness/result/result.h"

#define WARN_CV_DEFAULT 0.05
#define WARN_OUTLIER_FRACTION 0.20   /* of all samples, mild or severe */
#define WARN_SEVERE_FRACTION 0.10    /* of all samples, severe */
#define WARN_RESOLUTION_FACTOR 1000.0

/* Print the warnings for b to f; returns how many. */
#define WARN_WAITED 0.2       /* share of a counted loop spent waiting */

int warn_bench(FILE *f, const struct bench *b, const struct context *ctx, double cv_limit);

#endif
