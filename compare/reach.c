/* reach.c: can the sample counts reach significance at all (reach.h). */
#include "reach.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rank.h"

#define REACH_LARGE 50   /* a side this large: the floor is below 1e-28 */

double reach_least_p(size_t n_base, size_t n_new, int paired)
{
    struct rank_result rr;
    size_t n = paired ? n_base : n_base + n_new, i;
    double *x;
    int rc;

    if (n_base < 1 || (!paired && n_new < 1))
        return 1;
    if (n_base > REACH_LARGE || (!paired && n_new > REACH_LARGE))
        return 0;
    if (!(x = malloc(n * sizeof *x)))
        return NAN;
    for (i = 0; i < n; i++)
        x[i] = (double)(i + 1);   /* new's above base's: no overlap */
    rc = paired ? rank_signrank(x, n, &rr) : rank_mwu(x + n_base, n_new, x, n_base, &rr);
    free(x);
    return rc < 0 ? NAN : rr.p;
}

size_t reach_count_for(double p_target, int paired)
{
    size_t n;

    for (n = 2; n < 1000; n++)
        if (reach_least_p(n, n, paired) < p_target)
            return n;
    return 1000;
}

size_t reach_unreachable(const struct comparison *c, const struct compare_row **first)
{
    size_t i, k = 0;

    *first = NULL;
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        if (r->verdict == VERDICT_ERROR || r->verdict == VERDICT_BASE_ONLY ||
            r->verdict == VERDICT_NEW_ONLY || r->verdict == VERDICT_SKIPPED ||
            r->counted)   /* counts: no test */
            continue;
        if (!(reach_least_p(r->n_base, r->n_new, c->paired) < c->alpha)) {
            if (!k++)
                *first = r;
        }
    }
    return k;
}

char *reach_option(char *buf, size_t len, const struct comparison *c,
                   const struct compare_row *r, size_t n)
{
    int imp = c->base_imported || c->new_imported;

    if (c->paired)
        snprintf(buf, len, "--pairs %zu", n);
    else if (imp && r->nw && r->nw->kind == KIND_COMMAND)
        snprintf(buf, len, "--runs %zu", n);
    else if (imp && c->from_pytest)
        snprintf(buf, len, "--benchmark-min-rounds=%zu", n);
    else if (imp)
        snprintf(buf, len, "--benchmark_repetitions=%zu", n);
    else
        snprintf(buf, len, "--samples %zu", n);
    return buf;
}
