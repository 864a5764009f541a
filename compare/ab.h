/*
 * ab.h: A/B results (pacer ab): one result holding both sides of a paired
 * run, the new side as its benchmarks and the base side in its A/B block
 * (result.h, struct ab_block).
 */
#ifndef PACER_AB_H
#define PACER_AB_H

#include "harness/result/result.h"

/* Whether r came from pacer ab. */
int ab_is_result(const struct result *r);

/* A view of r's base side as a result of its own: same context, the base
 * benchmarks borrowed from r.  Owns nothing: do not result_free it. */
void ab_base_view(const struct result *r, struct result *view);

#endif
