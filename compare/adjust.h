/*
 * adjust.h: multiple-comparison correction of the p-values of a suite, as
 * R's p.adjust: Holm (1979) controls the family-wise error rate;
 * Benjamini and Hochberg (1995) the false discovery rate.
 */
#ifndef PACER_ADJUST_H
#define PACER_ADJUST_H

#include <stddef.h>

enum adjust_method { ADJUST_NONE, ADJUST_HOLM, ADJUST_BH };

/* Adjusted p-values of p[0..n) into out[0..n) (may be the same array).
 * NaN entries are left out of the family and stay NaN.  Returns 0, or -1
 * when memory runs out. */
int adjust_p(const double *p, size_t n, enum adjust_method m, double *out);

/* "holm", "bh" (or "fdr"), "none"; -1 when unknown. */
int adjust_parse(const char *s, enum adjust_method *m);
const char *adjust_name(enum adjust_method m);

#endif
