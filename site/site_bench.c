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

/* The samples of b as a histogram (about sqrt(n) bins, 5 to 40). */
static int distribution(struct page *p, const struct bench *b)
{
    size_t n = b->nsamples, k, i, bins;
    double *x, lo, hi, w, cx[40], cy[40];

    if (n < 2 || !(x = malloc(n * sizeof *x)))
        return 0;
    memcpy(x, b->samples, n * sizeof *x);
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
    js_str(p->data, "unit", b->unit);
    js_str(p->data, "xlabel", b->kind == KIND_LOAD ? "a repetition's value" : "a sample");
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

/* Whether a and b are the same but for part number at. */
static int same_but(const char *a, const char *b, size_t at)
{
    size_t part = 0;

    while (*a && *b) {
        const char *ea = strchr(a, '/'), *eb = strchr(b, '/');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);

        if (part != at && (la != lb || memcmp(a, b, la)))
            return 0;
        if (!ea != !eb)
            return 0;
        a += la + (ea != NULL);
        b += lb + (eb != NULL);
        part++;
    }
    return !*a && !*b;
}

struct member {
    double x, y;
    const char *name;
};

static int by_x(const void *a, const void *b)
{
    return by_double(&((const struct member *)a)->x, &((const struct member *)b)->x);
}

/* The family of b in r: its members' medians against its parameter. */
static int family(struct page *p, const struct result *r, const struct bench *b)
{
    char key[64], k2[64], slug[96];
    size_t at, at2, i, n = 0;
    double v;
    struct member *m;

    if (!numeric_part(b->name, &at, key, sizeof key, &v) ||
        !(m = malloc(r->nbenches * sizeof *m)))
        return 0;
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *o = &r->benches[i];
        if (o->st.n && !strcmp(o->unit, b->unit) && numeric_part(o->name, &at2, k2, sizeof k2, &v) &&
            at2 == at && !strcmp(k2, key) && same_but(o->name, b->name, at))
            m[n++] = (struct member){v, o->st.median, o->name};
    }
    if (n >= 2) {
        qsort(m, n, sizeof *m, by_x);
        html_raw(p->f, "<h2>Its family, by ");
        html_text(p->f, key);
        html_raw(p->f, "</h2>\n<p class=\"sub\">");
        for (i = 0; i < n; i++) {
            html_raw(p->f, "%s<a href=\"%s.html\">", i ? " &middot; " : "",
                     site_slug(slug, sizeof slug, m[i].name, m[i].name));
            html_text(p->f, m[i].name);
            html_raw(p->f, "</a>");
        }
        html_raw(p->f, "</p>\n");
        chart_begin(p, "family", "family");
        js_str(p->data, "unit", b->unit);
        js_str(p->data, "param", key);
        fputs(",\"x\":[", p->data);
        for (i = 0; i < n; i++)
            fprintf(p->data, "%s%.9g", i ? "," : "", m[i].x);
        fputs("],\"y\":[", p->data);
        for (i = 0; i < n; i++)
            fprintf(p->data, "%s%.9g", i ? "," : "", m[i].y);
        fputc(']', p->data);
        chart_end(p);
    }
    free(m);
    return n >= 2;
}

/* The latest run's side: distribution and family. */
static void latest(struct page *p, struct site *s, const struct trend_series *ser)
{
    const char *file = s->t.runs[ser->pts[ser->n - 1].run].file;
    const struct result *r = site_result(s, file);
    const struct bench *b = r ? result_find(r, ser->name) : NULL;
    char med[48];

    if (!b || !b->nsamples)
        return;
    html_raw(p->f, "<h2>The latest run</h2>\n<p class=\"sub\">");
    html_text(p->f, site_base(file));
    html_raw(p->f, ": median ");
    html_text(p->f, fmt_value(med, sizeof med, b->st.median, b->unit));
    html_raw(p->f, " of %zu %s.</p>\n", b->nsamples,
             b->kind == KIND_LOAD ? "repetitions" : "samples");
    distribution(p, b);
    family(p, r, b);
}

static int bench_page(struct site *s, const struct trend_series *ser, struct err *e)
{
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
    latest(&p, s, ser);
    s->out->pages++;
    return page_close(&p, e);
}

int site_benches(struct site *s, struct err *e)
{
    for (size_t i = 0; s->have_trend && i < s->t.nseries; i++)
        if (s->t.series[i].n && bench_page(s, &s->t.series[i], e) < 0)
            return -1;
    return 0;
}
