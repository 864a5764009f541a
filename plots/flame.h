/*
 * flame.h: flame graphs of a benchmark's profile (harness/result/profile.h)
 * as small self-contained SVG files (Gregg 2016, "The Flame Graph",
 * CACM 59(6)): one box per function in a call stack, its width the
 * function's inclusive instructions per iteration, the benchmark function
 * at the bottom, callees above their callers; hover a box for its name and
 * cost.  Given a base profile too, the graph is differential (Gregg's
 * "differential flame graphs"): the boxes are the new profile's, coloured
 * by how much each one's inclusive cost changed from the base's at the
 * same stack, red for more, blue for less (full colour at 20 % or more,
 * or a box the base did not have).
 */
#ifndef PACER_FLAME_H
#define PACER_FLAME_H

#include "harness/lib/err.h"
#include "harness/result/profile.h"

/* Write the flame graph of p (differential against base when not NULL)
 * titled title to path (replaced atomically).  0, or -1 with the cause in
 * e. */
int flame_svg(const struct profile *p, const struct profile *base, const char *title,
              const char *path, struct err *e);

#endif
