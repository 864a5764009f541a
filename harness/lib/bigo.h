/*
 * bigo.h: asymptotic complexity of a benchmark family (pacer.h's
 * .complexity, Google Benchmark's ->Complexity()): the least-squares fit
 * of time per iteration t(n) = c * g(n) for g among 1, lg n, n, n lg n,
 * n^2, n^3, and its root mean square error relative to the mean time.
 */
#ifndef PACER_BIGO_H
#define PACER_BIGO_H

#include <stddef.h>

/* The shapes, as pacer.h's PACER_O* (the same values). */
enum bigo_shape { BIGO_NONE, BIGO_1, BIGO_LOGN, BIGO_N, BIGO_NLOGN, BIGO_N2, BIGO_N3, BIGO_AUTO };

struct bigo_fit {
    enum bigo_shape shape;   /* the fitted one (never BIGO_AUTO) */
    double coef;             /* c, in the unit of t */
    double rms;              /* sqrt(mean((t - c g(n))^2)) / mean(t) */
};

/* Fit the k points (n[i], t[i]) to want, or with BIGO_AUTO to the shape
 * of lowest RMS (ties: the simpler), as Google Benchmark's
 * MinimalLeastSq (complexity.cc): c = sum(t g) / sum(g^2).  Fails (-1)
 * with fewer than 2 points, an n below 1, or all g(n) zero. */
int bigo_fit(const double *n, const double *t, size_t k, enum bigo_shape want,
             struct bigo_fit *out);

/* Google Benchmark's name of a shape: "(1)", "lgN", "N", "NlgN", "N^2",
 * "N^3"; "" for another. */
const char *bigo_name(enum bigo_shape s);
/* The shape of that name (bigo_name's, or "auto"), or BIGO_NONE. */
enum bigo_shape bigo_parse(const char *name);

#endif
