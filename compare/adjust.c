/*
 * adjust.c: p-value adjustment across the benchmarks of a suite, step for
 * step as R's p.adjust (src/library/stats/R/p.adjust.R), with the NaN
 * entries (R's NA) left out of the family:
 *   - Holm (1979, "A simple sequentially rejective multiple test
 *     procedure"): over the p sorted ascending, (n - i + 1) p_(i), made
 *     monotone by a running maximum, capped at 1;
 *   - Benjamini and Hochberg (1995, "Controlling the false discovery rate"):
 *     over the p sorted descending, n / i * p_(i), made monotone by a
 *     running minimum from the largest p down, capped at 1.
 */
#include "adjust.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

struct pv {
    double p;
    size_t at;      /* index in the caller's array */
};

/* Ascending p; equal p keep their input order (R's order() is stable).
 * Ties do not change the result, but a total order keeps it reproducible. */
static int cmp_pv(const void *pa, const void *pb)
{
    const struct pv *a = pa, *b = pb;

    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

int adjust_p(const double *p, size_t n, enum adjust_method m, double *out)
{
    struct pv *v;
    size_t k = 0;
    double run;

    if (m == ADJUST_NONE || n == 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = p[i];
        return 0;
    }
    v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i])) {
            out[i] = p[i];
            continue;
        }
        v[k].p = p[i];
        v[k].at = i;
        k++;
    }
    /* out may alias p: every other value is in v[] now.  A family of one
     * is returned unchanged, as R does. */
    if (k > 1) {
        double fam = (double)k;

        qsort(v, k, sizeof *v, cmp_pv);
        if (m == ADJUST_HOLM) {
            run = 0.0;
            for (size_t i = 0; i < k; i++) {
                double a = (fam - (double)i) * v[i].p;   /* (n - i + 1) p, i from 1 */

                if (a > run)
                    run = a;
                out[v[i].at] = run < 1.0 ? run : 1.0;
            }
        } else {
            run = INFINITY;
            for (size_t i = k; i-- > 0;) {
                double a = fam / (double)(i + 1) * v[i].p;

                if (a < run)
                    run = a;
                out[v[i].at] = run < 1.0 ? run : 1.0;
            }
        }
    } else if (k == 1) {
        out[v[0].at] = v[0].p;
    }
    free(v);
    return 0;
}

int adjust_parse(const char *s, enum adjust_method *m)
{
    if (!strcasecmp(s, "holm"))
        *m = ADJUST_HOLM;
    else if (!strcasecmp(s, "bh") || !strcasecmp(s, "fdr"))
        *m = ADJUST_BH;
    else if (!strcasecmp(s, "none"))
        *m = ADJUST_NONE;
    else
        return -1;
    return 0;
}

const char *adjust_name(enum adjust_method m)
{
    switch (m) {
    case ADJUST_NONE:
        return "none";
    case ADJUST_HOLM:
        return "holm";
    case ADJUST_BH:
        return "bh";
    }
    return "unknown";
}
