/* compare_private.h: what the files of compare.c's module share. */
#ifndef PACER_COMPARE_PRIVATE_H
#define PACER_COMPARE_PRIVATE_H

#include "compare.h"

/* The change a row's own interval could resolve with the asked power: its
 * half-width scaled from the CI's z to z(1-alpha/2) + z(power).  It carries
 * the spread between processes and the drift allowance, which the
 * sample-noise formula of effect.h cannot see. */
double compare_ci_mde(const struct compare_row *r, const struct compare_opts *o);

#endif
