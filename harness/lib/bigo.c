/* bigo.c: least-squares complexity fits (bigo.h). */
#include "bigo.h"

#include <math.h>
#include <string.h>

static const char *const names[] = {"", "(1)", "lgN", "N", "NlgN", "N^2", "N^3", "auto"};

static double g_of(enum bigo_shape s, double n)
{
    switch (s) {
    case BIGO_1:
        return 1;
    case BIGO_LOGN:
        return log2(n);
    case BIGO_N:
        return n;
    case BIGO_NLOGN:
        return n * log2(n);
    case BIGO_N2:
        return n * n;
    case BIGO_N3:
        return n * n * n;
    default:
        return NAN;
    }
}

/* The fit of one shape; -1 when every g(n) is 0. */
static int fit_one(const double *n, const double *t, size_t k, enum bigo_shape s,
                   struct bigo_fit *out)
{
    double sgg = 0, stg = 0, st = 0, sr = 0, mean;
    size_t i;

    for (i = 0; i < k; i++) {
        double g = g_of(s, n[i]);
        sgg += g * g;
        stg += t[i] * g;
        st += t[i];
    }
    if (!(sgg > 0))
        return -1;
    out->shape = s;
    out->coef = stg / sgg;
    for (i = 0; i < k; i++) {
        double r = t[i] - out->coef * g_of(s, n[i]);
        sr += r * r;
    }
    mean = st / (double)k;
    out->rms = sqrt(sr / (double)k) / mean;
    return 0;
}

int bigo_fit(const double *n, const double *t, size_t k, enum bigo_shape want,
             struct bigo_fit *out)
{
    struct bigo_fit f;
    size_t i;
    int s, found = 0;

    if (k < 2 || want <= BIGO_NONE || want > BIGO_AUTO)
        return -1;
    for (i = 0; i < k; i++)
        if (!(n[i] >= 1) || !isfinite(t[i]))
            return -1;
    if (want != BIGO_AUTO)
        return fit_one(n, t, k, want, out);
    /* from the simplest: a later shape must fit strictly better */
    for (s = BIGO_1; s < BIGO_AUTO; s++) {
        if (fit_one(n, t, k, (enum bigo_shape)s, &f) < 0)
            continue;
        if (!found || f.rms < out->rms)
            *out = f;
        found = 1;
    }
    return found ? 0 : -1;
}

const char *bigo_name(enum bigo_shape s)
{
    return s > BIGO_NONE && s < BIGO_AUTO ? names[s] : "";
}

enum bigo_shape bigo_parse(const char *name)
{
    int s;

    for (s = BIGO_1; s <= BIGO_AUTO; s++)
        if (!strcmp(names[s], name))
            return (enum bigo_shape)s;
    return BIGO_NONE;
}
