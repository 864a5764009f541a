/*
 * test_adjust.c: compare/adjust.c against R's p.adjust.
 *
 * Reference values: tests/ref/adjust_ref.R (R 4.2.2 Patched, p.adjust with
 * "holm" and "BH"); its output tests/ref/adjust_ref.out is C and is
 * included below as it is.  Cases: distinct p, tied p, NA (NaN here) left
 * out of the family, a family of one, all NA, p of 0 and 1, values capped
 * at 1, and 40 p-values of which 8 are small.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compare/adjust.h"
#include "helpers.h"

#define REL 1e-12

struct adjust_ref {
    const char *name;
    size_t n;
    const double *p, *holm, *bh;
};

#include "ref/adjust_ref.out"

static void check(const char *name, const double *got, const double *want, size_t n,
                  const char *method)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(rel_eq(got[i], want[i], REL), "%s %s[%zu] = %.17g, expected %.17g",
                  name, method, i, got[i], want[i]);
}

Test(adjust, matches_r)
{
    for (size_t c = 0; c < COUNT(adjust_ref); c++) {
        const struct adjust_ref *w = &adjust_ref[c];
        double out[64];

        cr_assert_leq(w->n, COUNT(out));
        cr_assert_eq(adjust_p(w->p, w->n, ADJUST_HOLM, out), 0);
        check(w->name, out, w->holm, w->n, "holm");
        cr_assert_eq(adjust_p(w->p, w->n, ADJUST_BH, out), 0);
        check(w->name, out, w->bh, w->n, "bh");
        cr_assert_eq(adjust_p(w->p, w->n, ADJUST_NONE, out), 0);
        check(w->name, out, w->p, w->n, "none");
    }
}

/* out may be p itself. */
Test(adjust, in_place)
{
    for (size_t c = 0; c < COUNT(adjust_ref); c++) {
        const struct adjust_ref *w = &adjust_ref[c];
        double buf[64];

        memcpy(buf, w->p, w->n * sizeof *buf);
        cr_assert_eq(adjust_p(buf, w->n, ADJUST_HOLM, buf), 0);
        check(w->name, buf, w->holm, w->n, "holm in place");
        memcpy(buf, w->p, w->n * sizeof *buf);
        cr_assert_eq(adjust_p(buf, w->n, ADJUST_BH, buf), 0);
        check(w->name, buf, w->bh, w->n, "bh in place");
    }
}

/* Adjusted p are never below the raw p, BH never above Holm, and the order
 * of the p is kept (ties aside). */
Test(adjust, ordered)
{
    for (size_t c = 0; c < COUNT(adjust_ref); c++) {
        const struct adjust_ref *w = &adjust_ref[c];
        double h[64], b[64];

        cr_assert_eq(adjust_p(w->p, w->n, ADJUST_HOLM, h), 0);
        cr_assert_eq(adjust_p(w->p, w->n, ADJUST_BH, b), 0);
        for (size_t i = 0; i < w->n; i++) {
            if (isnan(w->p[i]))
                continue;
            cr_assert_geq(h[i], w->p[i], "%s[%zu]", w->name, i);
            cr_assert_geq(b[i], w->p[i], "%s[%zu]", w->name, i);
            cr_assert_leq(b[i], h[i], "%s[%zu]", w->name, i);
            cr_assert_leq(h[i], 1.0);
            for (size_t j = 0; j < w->n; j++) {
                if (isnan(w->p[j]) || !(w->p[i] < w->p[j]))
                    continue;
                cr_assert_leq(h[i], h[j], "%s: holm %zu, %zu", w->name, i, j);
                cr_assert_leq(b[i], b[j], "%s: bh %zu, %zu", w->name, i, j);
            }
        }
    }
}

Test(adjust, empty)
{
    double p[1] = { 0.5 };

    cr_assert_eq(adjust_p(p, 0, ADJUST_HOLM, p), 0);
    cr_assert_eq(adjust_p(p, 0, ADJUST_BH, p), 0);
    cr_assert_eq(p[0], 0.5);
}

Test(adjust, names)
{
    enum adjust_method m = ADJUST_NONE;

    cr_assert_eq(adjust_parse("holm", &m), 0);
    cr_assert_eq(m, ADJUST_HOLM);
    cr_assert_eq(adjust_parse("bh", &m), 0);
    cr_assert_eq(m, ADJUST_BH);
    m = ADJUST_NONE;
    cr_assert_eq(adjust_parse("fdr", &m), 0);
    cr_assert_eq(m, ADJUST_BH);
    m = ADJUST_NONE;
    cr_assert_eq(adjust_parse("BH", &m), 0, "R's spelling");
    cr_assert_eq(m, ADJUST_BH);
    cr_assert_eq(adjust_parse("none", &m), 0);
    cr_assert_eq(m, ADJUST_NONE);
    cr_assert_eq(adjust_parse("bonferroni", &m), -1);
    cr_assert_eq(adjust_parse("", &m), -1);
    cr_assert_str_eq(adjust_name(ADJUST_NONE), "none");
    cr_assert_str_eq(adjust_name(ADJUST_HOLM), "holm");
    cr_assert_str_eq(adjust_name(ADJUST_BH), "bh");
    for (enum adjust_method k = ADJUST_NONE; k <= ADJUST_BH; k++) {
        cr_assert_eq(adjust_parse(adjust_name(k), &m), 0);
        cr_assert_eq(m, k);
    }
}
