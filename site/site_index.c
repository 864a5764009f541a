/*
 * site_index.c: the report's index (site.h): the newest run of each
 * machine and branch against the one before it, every benchmark with its
 * latest level and last change, the A/B and load results, what was
 * skipped.
 */
#include "site_private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"

static int by_change(const void *a, const void *b)
{
    const struct compare_row *x = *(const struct compare_row *const *)a;
    const struct compare_row *y = *(const struct compare_row *const *)b;

    return x->change < y->change ? 1 : x->change > y->change ? -1 : strcmp(x->name, y->name);
}

/* The rows of c with a change, worst first (to free). */
static const struct compare_row *const *worst_rows(const struct comparison *c, size_t *n)
{
    const struct compare_row **w = malloc((c->nrows + 1) * sizeof *w);
    size_t i;

    *n = 0;
    if (!w)
        return NULL;
    for (i = 0; i < c->nrows; i++)
        if (isfinite(c->rows[i].change))
            w[(*n)++] = &c->rows[i];
    qsort(w, *n, sizeof *w, by_change);
    return w;
}

static void bench_link(FILE *f, const char *name)
{
    char href[256];

    html_raw(f, "<a href=\"%s\">", site_bench_href(href, sizeof href, name, 1));
    html_text(f, name);
    html_raw(f, "</a>");
}

static void outcome(FILE *f, const struct site_group *g)
{
    const struct comparison *c = &g->cf.cmp;
    const struct compare_row *const *w;
    size_t n, i, other;

    if (!g->compared) {
        html_raw(f, "<td class=\"muted\">%s</td><td></td>",
                 g->prev == SIZE_MAX ? "its first run here" : "not compared");
        return;
    }
    other = c->nrows - c->count[VERDICT_REGRESSED] - c->count[VERDICT_IMPROVED];
    html_raw(f, "<td><a href=\"cmp/%s.html\"><span class=\"%s\">%zu regressed</span>, "
                "<span class=\"%s\">%zu improved</span>, %zu other</a></td><td>",
             g->slug, c->count[VERDICT_REGRESSED] ? "regressed" : "muted",
             c->count[VERDICT_REGRESSED], c->count[VERDICT_IMPROVED] ? "improved" : "muted",
             c->count[VERDICT_IMPROVED], other);
    if ((w = worst_rows(c, &n)))
        for (i = 0; i < n && i < 5; i++) {
            const char *v = verdict_name(w[i]->verdict);
            html_raw(f, "%s", i ? "<br>" : "");
            bench_link(f, w[i]->name);
            html_raw(f, " <span class=\"%s\">%+.1f%% [%+.1f, %+.1f] %s</span>", v,
                     100 * w[i]->change, 100 * w[i]->change_lo, 100 * w[i]->change_hi, v);
        }
    free((void *)w);
    html_raw(f, "</td>");
}

static void groups(FILE *f, const struct site *s)
{
    size_t g;

    html_raw(f, "<h2>Latest runs</h2>\n<table><tr><th>machine</th><th>branch</th><th>runs</th>"
                "<th>latest</th><th>against the run before</th><th>the worst five</th></tr>\n");
    for (g = 0; g < s->ngroups; g++) {
        const struct site_group *gr = &s->groups[g];
        const struct trend_run *r = &s->t.runs[gr->latest];

        html_raw(f, "<tr><td>");
        html_text(f, gr->fp ? gr->fp : "-");
        html_raw(f, "</td><td>");
        html_text(f, gr->branch ? gr->branch : "-");
        html_raw(f, "</td><td class=\"num\">%zu</td><td>", gr->nruns);
        html_text(f, site_base(r->file));
        html_raw(f, "<br><span class=\"muted\">");
        html_text(f, r->time ? r->time : "");
        html_raw(f, " ");
        html_textn(f, r->commit ? r->commit : "", 10);
        html_raw(f, "</span></td>");
        outcome(f, gr);
        html_raw(f, "</tr>\n");
    }
    html_raw(f, "</table>\n");
}

static void benches(FILE *f, const struct site *s)
{
    size_t i;

    html_raw(f, "<h2>Benchmarks</h2>\n<table><tr><th>benchmark</th><th>runs</th>"
                "<th>latest</th><th>change points</th><th>the last</th></tr>\n");
    for (i = 0; i < s->t.nseries; i++) {
        const struct trend_series *ser = &s->t.series[i];
        char v[48];

        if (!ser->n)
            continue;
        html_raw(f, "<tr><td>");
        bench_link(f, ser->name);
        html_raw(f, "</td><td class=\"num\">%zu</td><td class=\"num\">", ser->n);
        html_text(f, fmt_value(v, sizeof v, ser->pts[ser->n - 1].value, ser->unit));
        html_raw(f, "</td><td class=\"num\">%zu</td><td>", ser->ncps);
        if (ser->ncps) {
            const struct changepoint *c = &ser->cps[ser->ncps - 1];
            const struct trend_run *r = &s->t.runs[ser->pts[c->index].run];
            int worse = trend_worse(ser->dir, c->change);

            html_raw(f, "<span class=\"%s\">%+.1f%%</span> at ", worse ? "regressed" : "improved",
                     100 * c->change);
            html_textn(f, r->commit ? r->commit : "", 10);
            if (!r->commit)
                html_text(f, site_base(r->file));
        }
        html_raw(f, "</td></tr>\n");
    }
    html_raw(f, "</table>\n");
}

static void others(FILE *f, const struct site *s, int kind, const char *title, const char *dir)
{
    size_t i, n = 0;
    char slug[96];

    for (i = 0; i < s->nfiles; i++)
        if (s->files[i].kind == kind) {
            if (!n++)
                html_raw(f, "<h2>%s</h2>\n<ul>\n", title);
            html_raw(f, "<li><a href=\"%s/%s.html\">", dir,
                     site_slug(slug, sizeof slug, site_base(s->files[i].path), s->files[i].path));
            html_text(f, site_base(s->files[i].path));
            html_raw(f, "</a> <span class=\"muted\">");
            html_text(f, s->files[i].time ? s->files[i].time : "");
            html_raw(f, "</span></li>\n");
        }
    if (n)
        html_raw(f, "</ul>\n");
}

int site_index(struct site *s, struct err *e)
{
    struct page p;
    size_t i;

    if (page_open(&p, s->o->out, "index.html", "results", e) < 0)
        return -1;
    html_raw(p.f, "<h1>Results</h1>\n<p class=\"sub\">%zu result files: %zu runs of %zu "
                  "benchmarks on %zu machine%s and branch%s",
             s->nfiles, s->have_trend ? s->t.nruns : 0, s->have_trend ? s->t.nseries : 0,
             s->ngroups, s->ngroups == 1 ? "" : "s", s->ngroups == 1 ? "" : "es");
    html_raw(p.f, "; %zu warning%s.</p>\n", s->out->nwarnings, s->out->nwarnings == 1 ? "" : "s");
    if (s->out->nwarnings) {
        html_raw(p.f, "<div class=\"warn\"><b>Warnings</b><ul>\n");
        for (i = 0; i < s->out->nwarnings; i++) {
            html_raw(p.f, "<li>");
            html_text(p.f, s->out->warnings[i]);
            html_raw(p.f, "</li>\n");
        }
        html_raw(p.f, "</ul></div>\n");
    }
    if (s->have_trend) {
        groups(p.f, s);
        benches(p.f, s);
    }
    others(p.f, s, TREND_AB, "A/B results (pacer ab)", "cmp");
    others(p.f, s, TREND_LOAD, "Load runs", "load");
    s->out->pages++;
    return page_close(&p, e);
}
