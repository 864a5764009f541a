/*
 * explain.h: where a benchmark's instructions went between two profiles of
 * it (harness/result/profile.h): the functions whose cost changed most,
 * self and inclusive, in instructions an iteration and relative to their
 * base.  Ordered by the size of the change of their self cost (where the
 * instructions are spent), then of their inclusive cost; a function only
 * one side has is "new" or "gone" (an inlining or a rename shows so) and
 * counts by its inclusive cost.
 */
#ifndef PACER_EXPLAIN_H
#define PACER_EXPLAIN_H

#include <stddef.h>

#include "harness/lib/err.h"
#include "harness/result/profile.h"

struct fn_change {
    const char *name;             /* borrowed from the profiles */
    double b_self, n_self;        /* instructions an iteration, base and new */
    double b_incl, n_incl;
    int in_base, in_new;
};

struct explanation {
    double b_total, n_total;
    struct fn_change *ch;         /* largest change first */
    size_t n;
};

/* The changes from b to n (both stay alive while x is used).  0, or -1
 * when out of memory. */
int explain_profiles(const struct profile *b, const struct profile *n, struct explanation *x);
void explain_free(struct explanation *x);

/* "fnv1a self +9.8 (+2.5%), memchr gone (-12.0)": the top changes (at
 * most top, those of 0.1 % of the base total or more) in one line into
 * buf. */
char *explain_line(char *buf, size_t len, const struct explanation *x, size_t top);

#endif
