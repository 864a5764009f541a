/*
 * whole.h: two runs as wholes.  Between runs minutes apart the machine can
 * be a few per cent faster or slower, and the code can slow a whole suite:
 * both move most benchmarks the same way, which no benchmark's own interval
 * can tell apart.  The shift of the whole run is the median of the
 * benchmarks' changes (most benchmarks of a diff do not change: an
 * empirical null, Efron 2004), tested by the sign test over the
 * benchmarks; the machine's own shift is that of the reference workload
 * every worker process timed beside its samples (harness/lib/refwork.h).
 *
 * A run that moved as a whole (at least WHOLE_MIN benchmarks, the sign
 * test significant at alpha, the shift beyond the threshold):
 *   machine   the reference moved alike (the shift's interval meets the
 *             range of the reference's two parts, widened by the threshold):
 *             the intervals are widened by the larger of the shift and of
 *             the reference's parts' changes, as a benchmark that waits on
 *             memory moves with the memory part
 *   code      the reference held (both parts within the threshold): the
 *             intervals are then widened only by the machine's own shift
 *             and the excess spread, so the benchmarks that moved show
 *   untold    no reference on both sides, or it moved otherwise
 * and, per benchmark, the allowance every interval gets for the drift
 * between the runs (compare.h) comes from here.
 */
#ifndef PACER_WHOLE_H
#define PACER_WHOLE_H

#include "compare.h"

#define WHOLE_MIN 6     /* benchmarks: the sign test's least p is 2^(1-n) */

/* Unpaired: the whole run's shift, its cause, and each row's drift
 * allowance (rows decided later).  -1 when out of memory. */
int whole_run(struct comparison *out, const struct compare_opts *o);

/* What moved the run, as a word: "steady", "machine", "code", "untold". */
const char *whole_name(enum whole_cause w);

#endif
