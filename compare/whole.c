/* whole.c: two runs as wholes: their shift, its cause, the drift allowance (whole.h). */
#include "whole.h"

#include <math.h>
#include <stdlib.h>

#include "compare_private.h"
#include "harness/lib/stats.h"
#include "rank.h"

/* The rows a whole-run figure rests on: compared, with a change. */
static int counts(const struct compare_row *r)
{
    return r->base && r->nw && r->verdict == VERDICT_UNCHANGED && isfinite(r->change) &&
           !r->counted;
}

/* The sign-test interval of the median of the sorted x[0..n) at level
 * (Conover 1999, 3.2): (x_(j), x_(n+1-j)), j the largest with
 * P(Binomial(n, 1/2) < j) <= (1-level)/2; NaN when no j exists. */
static void sign_interval(const double *x, size_t n, double level, double *lo, double *hi)
{
    size_t j = rank_sign_k(n, n / 2, (1 - level) / 2);

    *lo = *hi = NAN;
    if (j < 1)
        return;
    *lo = x[j - 1];
    *hi = x[n - j];
}

/* The centre of a side's reference times: the median over its processes. */
static double ref_centre(const double *x, size_t n)
{
    return n ? stats_median(x, n) : NAN;
}

/* The reference's change, new over base, as the median of the rows' own
 * log ratios (each row's processes against the other run's): NaN when
 * fewer than half the rows have a reference on both sides. */
static double ref_shift(const struct comparison *out, int memory, double *tmp, size_t nrows)
{
    size_t i, n = 0;

    for (i = 0; i < out->nrows; i++) {
        const struct compare_row *r = &out->rows[i];
        double b, m;
        if (!counts(r) || !r->base->nref || !r->nw->nref)
            continue;
        b = ref_centre(memory ? r->base->ref_memory : r->base->ref_compute, r->base->nref);
        m = ref_centre(memory ? r->nw->ref_memory : r->nw->ref_compute, r->nw->nref);
        if (b > 0 && m > 0)
            tmp[n++] = log(m / b);
    }
    if (n == 0 || 2 * n < nrows)
        return NAN;
    return expm1(stats_median(tmp, n));
}

/* The shift of the whole run: out->whole_* from the rows' changes.  The
 * sorted log changes stay in l[0..*n). */
static void shift_of(struct comparison *out, const struct compare_opts *o, double *l,
                     size_t *n)
{
    size_t i, worse = 0, better = 0;
    double lo, hi;

    *n = 0;
    for (i = 0; i < out->nrows; i++)
        if (counts(&out->rows[i])) {
            l[(*n)++] = log1p(out->rows[i].change);
            worse += out->rows[i].change > 0;
            better += out->rows[i].change < 0;
        }
    out->whole_n = *n;
    out->whole_worse = worse;
    out->whole_shift = out->whole_lo = out->whole_hi = out->whole_p = NAN;
    if (*n == 0)
        return;
    stats_sort(l, *n);
    out->whole_shift = expm1(stats_quantile_sorted(l, *n, 0.5));
    sign_interval(l, *n, o->ci_level, &lo, &hi);
    out->whole_lo = expm1(lo);
    out->whole_hi = expm1(hi);
    out->whole_p = rank_sign_test(worse, better);
}

/* Whether the run's shift (its interval) reaches within t of part, a
 * part's shift of the reference. */
static int reaches(const struct comparison *out, double part, double t)
{
    return !(out->whole_hi < part - t) && !(out->whole_lo > part + t);
}

/* What moved the run (whole.h), with t the threshold of the mode.  The
 * machine explains the run's shift when one part of the reference moved as
 * far (not anywhere between the two parts: the memory part alone drifts
 * by 5 to 25 % between runs of this VM whose benchmarks moved 1 %, and a
 * span up to it explained a whole suite made 12 % slower as the machine). */
static enum whole_cause cause_of(const struct comparison *out, const struct compare_opts *o,
                                 double t)
{
    if (out->whole_n < WHOLE_MIN || !(out->whole_p < o->alpha) ||
        !(fabs(out->whole_shift) > t))
        return WHOLE_STEADY;
    if (isnan(out->ref_compute) || isnan(out->ref_memory))
        return WHOLE_UNTOLD;
    if (reaches(out, out->ref_compute, t) || reaches(out, out->ref_memory, t))
        return WHOLE_MACHINE;
    if (fabs(out->ref_compute) <= t && fabs(out->ref_memory) <= t)
        return WHOLE_CODE;
    return WHOLE_UNTOLD;
}

/* The excess spread of the rows' log changes l[0..n) (sorted) beyond their
 * own intervals: tau = sqrt(max(0, s^2 - e^2)), s = 1.4826 MAD of l, e the
 * median half-width over 1.96 (compare.h).  Overwrites l. */
static double excess_spread(struct comparison *out, double *l, size_t n, double *h)
{
    double m = stats_quantile_sorted(l, n, 0.5), s, e;
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        l[i] = fabs(l[i] - m);
    stats_sort(l, n);
    s = 1.4826 * stats_quantile_sorted(l, n, 0.5);
    for (i = 0; i < out->nrows; i++)
        if (counts(&out->rows[i]) && isfinite(out->rows[i].change_lo))
            h[k++] = (log1p(out->rows[i].change_hi) - log1p(out->rows[i].change_lo)) / 2 / 1.96;
    if (k == 0)
        return 0;
    stats_sort(h, k);
    e = stats_quantile_sorted(h, k, 0.5);
    return s > e ? sqrt(s * s - e * e) : 0;
}

/* Every row's interval widened by the allowance a. */
static void widen(struct comparison *out, const struct compare_opts *o, double a)
{
    size_t i;

    for (i = 0; i < out->nrows; i++) {
        struct compare_row *r = &out->rows[i];
        if (r->verdict != VERDICT_UNCHANGED || !isfinite(r->change_lo) || r->counted)
            continue;
        r->allowance = a;
        r->change_lo -= a;
        r->change_hi += a;
        r->mde = fmax(r->mde, compare_ci_mde(r, o));
        if (a > 0) {
            out->n_allowance++;
            out->allowance = fmax(out->allowance, a);
        }
    }
}

int whole_run(struct comparison *out, const struct compare_opts *o)
{
    double *l = malloc((out->nrows + 1) * sizeof *l), *h = malloc((out->nrows + 1) * sizeof *h);
    double t = isnan(o->threshold) ? COMPARE_THRESHOLD_UNPAIRED : o->threshold, a;
    size_t n;

    if (!l || !h) {
        free(l);
        free(h);
        return -1;
    }
    shift_of(out, o, l, &n);
    out->ref_compute = o->ignore_reference ? NAN : ref_shift(out, 0, h, n);
    out->ref_memory = o->ignore_reference ? NAN : ref_shift(out, 1, h, n);
    out->whole = cause_of(out, o, t);
    if (n >= COMPARE_SUITE_MIN) {
        double m = log1p(out->whole_shift), tau = excess_spread(out, l, n, h);
        /* the code moved it: the allowance is the machine's own shift */
        if (out->whole == WHOLE_CODE)
            m = fmax(fabs(log1p(out->ref_compute)), fabs(log1p(out->ref_memory)));
        /* the machine moved it: each benchmark may have moved as far as
         * either part of the reference did (one that waits on memory as
         * the memory part, one that computes as the compute part), not
         * only as the suite's median (an A/A pair whose memory part ran
         * 13 % slower had one benchmark 11 % slower, the suite 1.9 %) */
        if (out->whole == WHOLE_MACHINE)
            m = fmax(fabs(m), fmax(fabs(log1p(out->ref_compute)), fabs(log1p(out->ref_memory))));
        a = fabs(m) + o->drift_z * tau;
        out->drift_estimated = 1;
        out->suite_shift = out->whole_shift;
        out->drift_tau = tau;
        out->suite_allowance = a;
    } else
        a = o->drift;
    widen(out, o, a);
    free(l);
    free(h);
    return 0;
}

const char *whole_name(enum whole_cause w)
{
    static const char *const names[] = {"steady", "machine", "code", "untold"};

    return w <= WHOLE_UNTOLD ? names[w] : "?";
}
