/* outcome.c: what a comparison calls for as a whole: its exit code
 * (compare.h). */
#include "compare.h"

#include <stddef.h>

/* Two default runs of one build, the second on a slower machine: the suite
 * 7.1 % slower as a whole, the reference's memory part 8.4 %, and two
 * benchmarks 76 % and 34 % slower in 9 of their 10 processes, far beyond
 * any allowance drawn from the suite or the reference.  Where the machine
 * ran slower, a benchmark slower still may be the machine too. */
int compare_machine_worse(const struct comparison *c)
{
    return c->whole == WHOLE_MACHINE && c->whole_shift > 0 && c->count[VERDICT_REGRESSED];
}

/* The whole run worse, and the reference too far off to clear the code
 * (untold), or moved alike (the machine): its memory part drifts by 5 to
 * 25 % between runs of this VM whose benchmarks moved 1 %, so "alike" can
 * be chance (a suite made 10 % slower passed as the machine in 18 of 66
 * pairs of real runs).  Either way, not a pass. */
int compare_whole_worse(const struct comparison *c)
{
    return (c->whole == WHOLE_UNTOLD || c->whole == WHOLE_MACHINE) && c->whole_shift > 0;
}

int compare_exit_code(const struct comparison *c, int require_conclusive)
{
    size_t i;
    int untrusted = 0;

    for (i = 0; i < c->nrows; i++) {
        if (c->rows[i].bad_side)
            return 2;
        untrusted |= c->rows[i].untrusted;
    }
    if (untrusted || c->count[VERDICT_ERROR] ||
        (require_conclusive && c->count[VERDICT_INCONCLUSIVE]) || compare_whole_worse(c))
        return 3;
    if (c->count[VERDICT_REGRESSED] || c->limits_failed ||
        (c->whole == WHOLE_CODE && c->whole_shift > 0))
        return 1;
    return 0;
}
