/*
 * site_bench.c: a page per benchmark (site.h): its history run by run with
 * the CI band, change points and changes of machine; the table of its
 * change points; the distribution of its latest run's samples; its family
 * against the parameter that tells its members apart (asv's parameter
 * plots: size=64..65536 as an x axis).
 */
#include "site_private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/store.h"
#include "harness/lib/fmt.h"

/* The history chart's data: levels, CI ends, runs, marks. */
static void history_data(struct page *p, const struct site *s, const struct trend_series *ser)
{
    FILE *d = p->data;
    int mode = site_tick_mode(s, ser);
    size_t i;

    js_str(d, "unit", ser->unit);
    fputs(",\"v\":[", d);
    for (i = 0; i < ser->n; i++)
        fprintf(d, "%s%.9g", i ? "," : "", ser->pts[i].value);
    fputs("],\"lo\":[", d);
    for (i = 0; i < ser->n; i++)
        isfinite(ser->pts[i].lo) ? fprintf(d, "%s%.9g", i ? "," : "", ser->pts[i].lo)
                                 : fprintf(d, "%snull", i ? "," : "");
    fputs("],\"hi\":[", d);
    for (i = 0; i < ser->n; i++)
        isfinite(ser->pts[i].hi) ? fprintf(d, "%s%.9g", i ? "," : "", ser->pts[i].hi)
                                 : fprintf(d, "%snull", i ? "," : "");
    fputs("],\"runs\":[", d);
    for (i = 0; i < ser->n; i++) {
        const struct trend_run *r = &s->t.runs[ser->pts[i].run];
        char tick[32];

        site_tick(tick, sizeof tick, r, ser->pts[i].run, mode);
        fprintf(d, "%s{\"n\":%zu", i ? "," : "", ser->pts[i].n);
        js_str(d, "tick", tick);
        js_str(d, "file", site_base(r->file));
        js_str(d, "time", r->time);
        js_str(d, "commit", r->commit);
        js_str(d, "branch", r->branch);
        js_str(d, "machine", r->fingerprint);
        fputc('}', d);
    }
    fputs("],\"cps\":[", d);
    for (i = 0; i < ser->ncps; i++) {
        char label[32];

        snprintf(label, sizeof label, "%+.1f%%", 100 * ser->cps[i].change);
        fprintf(d, "%s{\"i\":%zu", i ? "," : "", ser->cps[i].index);
        js_str(d, "label", label);
        fputc('}', d);
    }
    fputs("],\"breaks\":[", d);
    for (i = 0; i < ser->nbreaks; i++) {
        fprintf(d, "%s{\"i\":%zu", i ? "," : "", ser->breaks[i].index);
        js_str(d, "label", "machine changed");
        fputc('}', d);
    }
    fputc(']', d);
}

static void cell_value(FILE *f, double v, const char *unit)
{
    char buf[48];

    html_raw(f, "<td class=\"num\">");
    html_text(f, isfinite(v) ? fmt_value(buf, sizeof buf, v, unit) : "-");
    html_raw(f, "</td>");
}

/* The change points as a table: where, between which commits, how much. */
static void cp_table(FILE *f, const struct site *s, const struct trend_series *ser)
{
    size_t i;

    if (!ser->ncps) {
        html_raw(f, "<p class=\"muted\">No change point in %zu runs%s.</p>\n", ser->n,
                 ser->untested ? " (some stretches too short to test)" : "");
        return;
    }
    html_raw(f, "<table><tr><th>run</th><th>commits</th><th>before</th><th>after</th>"
                "<th>change</th><th>p</th></tr>\n");
    for (i = 0; i < ser->ncps; i++) {
        const struct changepoint *c = &ser->cps[i];
        const struct trend_run *r = &s->t.runs[ser->pts[c->index].run];
        const struct trend_run *b = c->index ? &s->t.runs[ser->pts[c->index - 1].run] : NULL;
        int worse = trend_worse(ser->dir, c->change);

        html_raw(f, "<tr><td>");
        html_text(f, site_base(r->file));
        html_raw(f, "</td><td>");
        html_textn(f, b && b->commit ? b->commit : "-", 10);
        html_raw(f, " .. ");
        html_textn(f, r->commit ? r->commit : "-", 10);
        html_raw(f, "</td>");
        cell_value(f, c->before, ser->unit);
        cell_value(f, c->after, ser->unit);
        html_raw(f, "<td class=\"num %s\">%+.1f%% %s</td><td class=\"num\">%.2g</td></tr>\n",
                 worse ? "regressed" : "improved", 100 * c->change, worse ? "worse" : "better",
                 c->pvalue);
    }
    html_raw(f, "</table>\n");
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The samples s[0..n) as a histogram (about sqrt(n) bins, 5 to 40). */
static int distribution(struct page *p, const double *s, size_t n, const char *unit, int load)
{
    size_t k, i, bins;
    double *x, lo, hi, w, cx[40], cy[40];

    if (n < 2 || !(x = malloc(n * sizeof *x)))
        return 0;
    memcpy(x, s, n * sizeof *x);
    qsort(x, n, sizeof *x, by_double);
    lo = x[0];
    hi = x[n - 1];
    bins = (size_t)ceil(sqrt((double)n));
    bins = bins < 5 ? 5 : bins > 40 ? 40 : bins;
    if (!(hi > lo))
        bins = 1;
    w = bins > 1 ? (hi - lo) / (double)bins : 1;
    for (k = 0; k < bins; k++) {
        cx[k] = lo + w * ((double)k + 0.5);
        cy[k] = 0;
    }
    for (i = 0; i < n; i++) {
        k = bins > 1 ? (size_t)((x[i] - lo) / w) : 0;
        cy[k < bins ? k : bins - 1]++;
    }
    free(x);
    chart_begin(p, "dist", "bars");
    js_str(p->data, "unit", unit);
    js_str(p->data, "xlabel", load ? "a repetition's value" : "a sample");
    js_nums(p->data, "x", cx, bins);
    js_nums(p->data, "y", cy, bins);
    chart_end(p);
    return 1;
}

/* The component of name that is "KEY=NUMBER", at *at (its index among the
 * /-separated parts), its value in *v: 1, else 0. */
static int numeric_part(const char *name, size_t *at, char *key, size_t keylen, double *v)
{
    size_t part = 0;

    for (const char *c = name; *c; part++) {
        const char *end = strchr(c, '/'), *eq = strchr(c, '=');
        char *stop;

        if (!end)
            end = c + strlen(c);
        if (eq && eq < end && eq > c) {
            double x = strtod(eq + 1, &stop);
            if (stop == end && stop > eq + 1 && isfinite(x)) {
                snprintf(key, keylen, "%.*s", (int)(eq - c), c);
                *at = part;
                *v = x;
                return 1;
            }
        } else if (part > 0 && c < end && *c != '-' && *c != '+') {
            /* Google Benchmark's arguments: BM_copy/64 */
            double x = strtod(c, &stop);
            if (stop == end && isfinite(x)) {
                snprintf(key, keylen, "argument %zu", part);
                *at = part;
                *v = x;
                return 1;
            }
        }
        c = *end ? end + 1 : end;
    }
    return 0;
}

/* A benchmark of a family: its name with the numeric part taken out (and
 * its unit), the part's key and value. */
struct fam {
    char *key;
    char param[64];
    double x;
    size_t series;
};

struct families {
    struct fam *f;
    size_t n;
    size_t *at;               /* by series: its entry in f, SIZE_MAX none */
};

static int by_key(const void *a, const void *b)
{
    const struct fam *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c ? c : x->x < y->x ? -1 : x->x > y->x;
}

/* name with part number at left out, then unit, into a new string. */
static char *family_key(const char *name, size_t at, const char *unit)
{
    size_t len = strlen(name) + strlen(unit) + 4, part = 0, k = 0;
    char *key = malloc(len);

    if (!key)
        return NULL;
    for (const char *c = name; *c; part++) {
        const char *end = strchr(c, '/');
        size_t l = end ? (size_t)(end - c) : strlen(c);

        if (part != at)
            k += (size_t)snprintf(key + k, len - k, "%.*s", (int)l, c);
        key[k++] = '/';
        c += l + (end != NULL);
    }
    snprintf(key + k, len - k, "\x01%s", unit);
    return key;
}

/* The families of the series: each with a numeric part, by the rest. */
static int families_make(const struct site *s, struct families *fs)
{
    size_t i, at;
    double v;

    fs->n = 0;
    fs->f = malloc((s->t.nseries + 1) * sizeof *fs->f);
    fs->at = malloc((s->t.nseries + 1) * sizeof *fs->at);
    if (!fs->f || !fs->at)
        return -1;
    for (i = 0; i < s->t.nseries; i++) {
        struct fam *f = &fs->f[fs->n];

        if (!s->t.series[i].n ||
            !numeric_part(s->t.series[i].name, &at, f->param, sizeof f->param, &v))
            continue;
        if (!(f->key = family_key(s->t.series[i].name, at, s->t.series[i].unit)))
            return -1;
        f->x = v;
        f->series = i;
        fs->n++;
    }
    qsort(fs->f, fs->n, sizeof *fs->f, by_key);
    for (i = 0; i < s->t.nseries; i++)
        fs->at[i] = SIZE_MAX;
    for (i = 0; i < fs->n; i++)
        fs->at[fs->f[i].series] = i;
    return 0;
}

static void families_free(struct families *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->f[i].key);
    free(fs->f);
    free(fs->at);
}

/* The family of series ser (number si) in its latest run: the members'
 * levels in that run against the parameter. */
static void family(struct page *p, const struct site *s, const struct families *fs, size_t si)
{
    const struct trend_series *ser = &s->t.series[si];
    size_t me = fs->at[si], lo, hi, i, n = 0, run = ser->pts[ser->n - 1].run;
    char slug[96];

    if (me == SIZE_MAX)
        return;
    for (lo = me; lo > 0 && !strcmp(fs->f[lo - 1].key, fs->f[me].key); lo--)
        ;
    for (hi = me + 1; hi < fs->n && !strcmp(fs->f[hi].key, fs->f[me].key); hi++)
        ;
    for (i = lo; i < hi; i++) {
        const struct trend_series *o = &s->t.series[fs->f[i].series];
        n += o->pts[o->n - 1].run == run;
    }
    if (n < 2)
        return;
    html_raw(p->f, "<h2>Its family, by ");
    html_text(p->f, fs->f[me].param);
    html_raw(p->f, ", in the latest run</h2>\n<p class=\"sub\">");
    for (i = lo, n = 0; i < hi; i++) {
        const struct trend_series *o = &s->t.series[fs->f[i].series];
        if (o->pts[o->n - 1].run != run)
            continue;
        html_raw(p->f, "%s<a href=\"%s.html\">", n++ ? " &middot; " : "",
                 site_slug(slug, sizeof slug, o->name, o->name));
        html_text(p->f, o->name);
        html_raw(p->f, "</a>");
    }
    html_raw(p->f, "</p>\n");
    chart_begin(p, "family", "family");
    js_str(p->data, "unit", ser->unit);
    js_str(p->data, "param", fs->f[me].param);
    fputs(",\"x\":[", p->data);
    for (i = lo, n = 0; i < hi; i++) {
        const struct trend_series *o = &s->t.series[fs->f[i].series];
        if (o->pts[o->n - 1].run == run)
            fprintf(p->data, "%s%.9g", n++ ? "," : "", fs->f[i].x);
    }
    fputs("],\"y\":[", p->data);
    for (i = lo, n = 0; i < hi; i++) {
        const struct trend_series *o = &s->t.series[fs->f[i].series];
        if (o->pts[o->n - 1].run == run)
            fprintf(p->data, "%s%.9g", n++ ? "," : "", o->pts[o->n - 1].value);
    }
    fputc(']', p->data);
    chart_end(p);
}

/* The latest run: the distribution of its samples (from the store when
 * it keeps them, else from the file), and the family. */
static void latest(struct page *p, struct site *s, const struct families *fs, size_t si)
{
    const struct trend_series *ser = &s->t.series[si];
    const char *file = s->t.runs[ser->pts[ser->n - 1].run].file;
    const struct result *r = NULL;
    const struct bench *b = NULL;
    struct err e = {0};
    char level[48];
    double *x = NULL;
    size_t n = 0;
    int own = s->db && store_samples(s->db, file, ser->name, &x, &n, &e) == 1;

    if (!own && (r = site_result(s, file)) && (b = result_find(r, ser->name))) {
        x = b->samples;
        n = b->nsamples;
    }
    if (n) {
        int load = site_kind(s, file) == TREND_LOAD;

        html_raw(p->f, "<h2>The latest run</h2>\n<p class=\"sub\">");
        html_text(p->f, site_base(file));
        html_raw(p->f, ": ");
        html_text(p->f, fmt_value(level, sizeof level, ser->pts[ser->n - 1].value, ser->unit));
        html_raw(p->f, " from %zu %s.</p>\n", n, load ? "repetitions" : "samples");
        distribution(p, x, n, ser->unit, load);
    }
    if (own)
        free(x);
    family(p, s, fs, si);
}

static int bench_page(struct site *s, const struct families *fs, size_t si, struct err *e)
{
    const struct trend_series *ser = &s->t.series[si];
    struct page p;
    char slug[96], rel[128];

    snprintf(rel, sizeof rel, "bench/%s.html", site_slug(slug, sizeof slug, ser->name, ser->name));
    if (page_open(&p, s->o->out, rel, ser->name, e) < 0)
        return -1;
    html_raw(p.f, "<h1>");
    html_text(p.f, ser->name);
    html_raw(p.f, "</h1>\n<p class=\"sub\">");
    html_text(p.f, ser->unit);
    html_raw(p.f, ", %s is better; %zu runs, %zu change point%s%s. Drag on the chart to zoom, "
                  "double-click to zoom out; the run under the cursor is described below it.</p>\n",
             ser->dir == DIR_HIGHER ? "higher" : "lower", ser->n, ser->ncps,
             ser->ncps == 1 ? "" : "s",
             ser->nbreaks ? ", the machine changed (dashed)" : "");
    chart_begin(&p, "hist", "history");
    history_data(&p, s, ser);
    chart_end(&p);
    html_raw(p.f, "<div class=\"info\" id=\"hist-info\"></div>\n<h2>Change points</h2>\n");
    cp_table(p.f, s, ser);
    latest(&p, s, fs, si);
    s->out->pages++;
    return page_close(&p, e);
}

int site_benches(struct site *s, struct err *e)
{
    struct families fs = {0};
    int rc = 0;

    if (!s->have_trend)
        return 0;
    if (families_make(s, &fs) < 0)
        rc = err_set(e, "out of memory");
    for (size_t i = 0; rc == 0 && i < s->t.nseries; i++)
        if (s->t.series[i].n && bench_page(s, &fs, i, e) < 0)
            rc = -1;
    families_free(&fs);
    return rc;
}
