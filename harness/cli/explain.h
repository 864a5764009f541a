/*
 * explain.h: --explain of pacer compare and pacer ab: for each benchmark
 * that regressed or improved, the functions whose instructions changed
 * most between the profiles of its two sides (compare/explain.h), a line
 * under the report and a table per benchmark (markdown for --format
 * markdown), and a differential flame graph (plots/flame.h) beside the new
 * side's profile.  Profiles come from pacer run --profile (beside each
 * result: <result>.profiles/) or, for pacer ab, are taken of both builds
 * for the benchmarks that need them (explain_take).
 */
#ifndef PACER_EXPLAIN_CLI_H
#define PACER_EXPLAIN_CLI_H

#include <stdio.h>

#include "compare/compare.h"
#include "harness/run/plan.h"

/* Where a benchmark's two profiles are: folder and file ending of each
 * side (profile_file_name's ext). */
struct explain_src {
    const char *base_dir, *base_ext;
    const char *new_dir, *new_ext;
};

/* The explain section of cmp to out in format ("table" or "markdown"; any
 * other prints nothing).  Returns the number of benchmarks explained. */
int explain_print(FILE *out, const struct comparison *cmp, const struct explain_src *src,
                  const char *format);

/* The change from the profile at pb to the one at pn, under head (one
 * line's start, as the format shows it): "HEAD (UNIT PER B -> N): the top
 * changes", a table of the functions whose cost changed most, and the
 * differential flame graph titled title written to svg.  md: markdown.
 * Returns 1, or 0 when a profile is missing or cannot be read (said). */
int explain_pair(FILE *out, const char *head, const char *pb, const char *pn, const char *title,
                 const char *svg, int md);

/* pacer ab: profile both builds of every micro job of p whose row in cmp
 * regressed or improved, into dir (made when missing) as
 * NAME.base.callgrind and NAME.callgrind.  Failures are said and
 * skipped. */
void explain_take(const struct plan *p, const struct comparison *cmp, const char *dir, int quiet);

#endif
