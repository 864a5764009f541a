/* fits.c: complexity fits of benchmark families (fits.h). */
#include "fits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/bigo.h"
#include "jsonwrite.h"

void fits_free(struct result *r)
{
    size_t i, k;

    for (i = 0; i < r->nfits; i++) {
        struct fit *f = &r->fits[i];
        free(f->family);
        free(f->big_o);
        free(f->error);
        for (k = 0; k < f->nbench; k++)
            free(f->benchmarks[k]);
        free(f->benchmarks);
        free(f->n);
    }
    free(r->fits);
    r->fits = NULL;
    r->nfits = 0;
}

/* A new fit for family at the end of r's; NULL when out of memory. */
static struct fit *fit_add(struct result *r, const char *family)
{
    struct fit *nf = realloc(r->fits, (r->nfits + 1) * sizeof *nf), *f;

    if (!nf)
        return NULL;
    r->fits = nf;
    f = &nf[r->nfits];
    memset(f, 0, sizeof *f);
    f->coefficient = f->rms = NAN;
    if (!(f->family = strdup(family)))
        return NULL;
    r->nfits++;
    return f;
}

/* Append a point (its benchmark's name copied); -1 when out of memory. */
static int fit_point(struct fit *f, const char *name, double n)
{
    char **nb = realloc(f->benchmarks, (f->nbench + 1) * sizeof *nb);
    double *nn;

    if (!nb)
        return -1;
    f->benchmarks = nb;
    if (!(nn = realloc(f->n, (f->nbench + 1) * sizeof *nn)))
        return -1;
    f->n = nn;
    if (!(nb[f->nbench] = strdup(name)))
        return -1;
    nn[f->nbench++] = n;
    return 0;
}

/* The family's fit from its points (t: their times per iteration). */
static int fit_compute(struct fit *f, const double *t, int want)
{
    struct bigo_fit bf;

    if (f->nbench < 2)
        return (f->error = strdup("fewer than 2 of its benchmarks were measured")) ? 0 : -1;
    if (bigo_fit(f->n, t, f->nbench, (enum bigo_shape)want, &bf) < 0)
        return (f->error = strdup("its times cannot be fitted")) ? 0 : -1;
    f->coefficient = bf.coef;
    f->rms = bf.rms;
    return (f->big_o = strdup(bigo_name(bf.shape))) ? 0 : -1;
}

int fits_make(struct result *r)
{
    double *t = malloc((r->nbenches ? r->nbenches : 1) * sizeof *t);
    size_t i, k;
    int rc = -1;

    fits_free(r);
    if (!t)
        return -1;
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct fit *f = NULL;
        size_t nt = 0;

        if (!b->complexity || !b->family)
            continue;
        for (k = 0; k < r->nfits && !f; k++)
            if (!strcmp(r->fits[k].family, b->family))
                f = &r->fits[k];
        if (f)
            continue;   /* made with the family's first benchmark */
        if (!(f = fit_add(r, b->family)))
            goto cleanup;
        for (k = i; k < r->nbenches; k++) {
            const struct bench *x = &r->benches[k];
            if (!x->complexity || !x->family || strcmp(x->family, b->family) || x->error ||
                !x->nsamples || !(x->complexity_n >= 1))
                continue;
            t[nt++] = x->st.median;
            if (fit_point(f, x->name, x->complexity_n) < 0)
                goto cleanup;
        }
        if (fit_compute(f, t, b->complexity) < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    free(t);
    return rc;
}

json_t *fits_json(const struct result *r)
{
    json_t *a = json_array();
    size_t i, k;
    int rc = a ? 0 : -1;

    for (i = 0; i < r->nfits && rc == 0; i++) {
        const struct fit *f = &r->fits[i];
        json_t *o = json_object(), *bs = json_array(), *ns = json_array();

        if (!o || !bs || !ns) {
            json_decref(o);
            json_decref(bs);
            json_decref(ns);
            rc = -1;
            break;
        }
        for (k = 0; k < f->nbench; k++) {
            rc |= jw_push(bs, jw_str(f->benchmarks[k]));
            rc |= jw_push(ns, jw_real(f->n[k]));
        }
        rc |= jw_put(o, "family", jw_str(f->family));
        rc |= jw_put(o, "big_o", jw_str(f->big_o));
        rc |= jw_put(o, "error", jw_str(f->error));
        rc |= jw_put(o, "coefficient", jw_real(f->coefficient));
        rc |= jw_put(o, "rms", jw_real(f->rms));
        rc |= jw_put(o, "benchmarks", bs);
        rc |= jw_put(o, "n", ns);
        rc |= jw_push(a, o);
    }
    if (rc) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* One object of the array (at path) into a new fit of r. */
static int read_fit(const struct jr *rd, const json_t *o, const char *path, struct result *r)
{
    const json_t *bs, *ns;
    const char *family;
    char p[JR_PATH_LEN], q[JR_PATH_LEN];
    struct fit *f;
    size_t k;

    if (!json_is_object(o))
        return jr_expected(rd, path, "object", o);
    if (jr_get_cstr(rd, o, path, "family", JR_REQ | JR_NONEMPTY, &family) < 0)
        return -1;
    if (!(f = fit_add(r, family)))
        return jr_oom(rd);
    if (jr_get_str(rd, o, path, "big_o", JR_NUL, &f->big_o) < 0 ||
        jr_get_str(rd, o, path, "error", JR_NUL, &f->error) < 0 ||
        jr_get_num(rd, o, path, "coefficient", JR_NUL, &f->coefficient) < 0 ||
        jr_get_num(rd, o, path, "rms", JR_NUL | JR_NONNEG, &f->rms) < 0 ||
        jr_get_arr(rd, o, path, "benchmarks", JR_REQ, &bs) < 0 ||
        jr_get_arr(rd, o, path, "n", JR_REQ, &ns) < 0)
        return -1;
    if (json_array_size(ns) != json_array_size(bs))
        return jr_fail(rd, jr_join(p, path, "n"), "expected %zu values (one per benchmark), got %zu",
                       json_array_size(bs), json_array_size(ns));
    for (k = 0; k < json_array_size(bs); k++) {
        const json_t *b = json_array_get(bs, k);
        double n;

        jr_pathf(q, "%s.benchmarks[%zu]", path, k);
        if (!json_is_string(b))
            return jr_expected(rd, q, "string", b);
        jr_pathf(q, "%s.n[%zu]", path, k);
        if (jr_num(rd, json_array_get(ns, k), q, JR_REQ, &n) < 0)
            return -1;
        if (!(n >= 1))
            return jr_fail(rd, q, "expected a number >= 1, got %g", n);
        if (fit_point(f, json_string_value(b), n) < 0)
            return jr_oom(rd);
    }
    return 0;
}

int fits_read(const struct jr *rd, const json_t *root, struct result *r)
{
    const json_t *a;
    char path[JR_PATH_LEN];
    size_t i;

    if (jr_get_arr(rd, root, "", "complexity", JR_NUL, &a) < 0)
        return -1;
    for (i = 0; a && i < json_array_size(a); i++) {
        jr_pathf(path, "complexity[%zu]", i);
        if (read_fit(rd, json_array_get(a, i), path, r) < 0)
            return -1;
    }
    return 0;
}
