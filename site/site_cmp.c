/*
 * site_cmp.c: the comparison pages and the load pages of a report site
 * (site.h).  A comparison (the newest run of a machine and branch against
 * the one before it, or an A/B result) shows its table as the terminal
 * does and its picture; a load run its benchmarks' figures, latency by
 * percentile, each benchmark's timeline and any capacity search (gnuplot
 * SVG beside the page, with its .dat and .gp).
 */
#include "site_private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "plots/plot.h"

void site_cmp_table(FILE *f, const struct comparison *c)
{
    struct report_opts ro = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    if (!m)
        return;
    report_table(m, c, &ro);
    fclose(m);
    html_raw(f, "<pre>");
    html_text(f, buf);
    html_raw(f, "</pre>\n");
    free(buf);
}

/* A gnuplot picture in the page's folder, shown in it; when one cannot
 * be drawn (no gnuplot) that is said once and no more are tried. */
static void picture(struct site *s, struct page *p, const char *name, int rc,
                    const struct err *pe, const char *alt)
{
    if (rc < 0) {
        site_warn(s, "the gnuplot pictures are left out (%s: %s)", name, pe->msg);
        s->plots_off = 1;
        return;
    }
    html_raw(p->f, "<p><img class=\"plot\" src=\"%s\" alt=\"", name);
    html_text(p->f, alt);
    html_raw(p->f, "\"></p>\n");
}

/* The page cmp/SLUG.html of comparison c (NULL: none could be made, sub
 * says why). */
static int cmp_page(struct site *s, const struct comparison *c, const char *slug,
                    const char *title, const char *sub, struct err *e)
{
    struct page p;
    char rel[160], svg[160], path[4300];
    struct plot_opts po;
    struct err pe = {0};

    snprintf(rel, sizeof rel, "cmp/%s.html", slug);
    if (page_open(&p, s->o->out, rel, title, e) < 0)
        return -1;
    html_raw(p.f, "<h1>");
    html_text(p.f, title);
    html_raw(p.f, "</h1>\n<p class=\"sub\">");
    html_text(p.f, sub);
    html_raw(p.f, "</p>\n");
    if (c)
        site_cmp_table(p.f, c);
    if (c && s->o->plots && !s->plots_off && c->nrows) {
        snprintf(svg, sizeof svg, "%s.svg", slug);
        snprintf(path, sizeof path, "%s/cmp/%s", s->o->out, svg);
        plot_opts_default(&po);
        po.out = path;
        po.format = PLOT_SVG;
        picture(s, &p, svg, plot_compare(c, &po, &pe), &pe,
                "the change of each benchmark with its confidence interval");
    }
    s->out->pages++;
    return page_close(&p, e);
}

static int ab_pages(struct site *s, struct err *e)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        struct compare_files_opts fo = {0};
        struct compare_files cf;
        struct compare_opts co;
        struct err ce = {0};
        char slug[96];
        int rc = 0;

        if (s->files[i].kind != TREND_AB)
            continue;
        compare_opts_default(&co);
        site_slug(slug, sizeof slug, site_base(s->files[i].path), s->files[i].path);
        if (compare_files(&s->files[i].path, 1, &fo, &co, &cf, &ce) != 0) {
            site_warn(s, "%s: not compared: %s", s->files[i].path, ce.msg);
            rc = cmp_page(s, NULL, slug, site_base(s->files[i].path), ce.msg, e);
        } else
            rc = cmp_page(s, &cf.cmp, slug, site_base(s->files[i].path),
                          "an A/B result: its pairs compared", e);
        compare_files_free(&cf);
        compare_opts_free(&co);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int site_cmps(struct site *s, struct err *e)
{
    for (size_t g = 0; g < s->ngroups; g++) {
        const struct site_group *gr = &s->groups[g];
        char title[512];

        if (!gr->compared)
            continue;
        snprintf(title, sizeof title, "%s against %s", site_base(s->t.runs[gr->latest].file),
                 site_base(s->t.runs[gr->prev].file));
        if (cmp_page(s, &gr->cf.cmp, gr->slug, title,
                     "the newest run of its machine and branch against the run before it", e) < 0)
            return -1;
    }
    return ab_pages(s, e);
}

/* ---- load runs ---------------------------------------------------------------- */

static const struct metric *metric(const struct bench *b, const char *name)
{
    for (size_t i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, name))
            return &b->metrics[i];
    return NULL;
}

static const char *const LOAD_COLS[][2] = {
    {"throughput", "req/s"}, {"latency.p50", "p50"}, {"latency.p90", "p90"},
    {"latency.p99", "p99"}, {"latency.p99.9", "p99.9"}, {"latency.max", "max"},
    {"errors.rate", "errors"}, {"server.cpu", "server CPU"}, {"server.rss_max", "server RSS"},
};

static void load_table(FILE *f, const struct result *r)
{
    size_t i, k;

    html_raw(f, "<div class=\"wide\"><table><tr><th>benchmark</th>");
    for (k = 0; k < sizeof LOAD_COLS / sizeof LOAD_COLS[0]; k++)
        html_raw(f, "<th>%s</th>", LOAD_COLS[k][1]);
    html_raw(f, "</tr>\n");
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        char href[256], v[48];

        if (b->kind != KIND_LOAD)
            continue;
        html_raw(f, "<tr><td><a href=\"%s\">", site_bench_href(href, sizeof href, b->name, 0));
        html_text(f, b->name);
        html_raw(f, "</a>%s</td>", b->error ? " <span class=\"regressed\">failed</span>" : "");
        for (k = 0; k < sizeof LOAD_COLS / sizeof LOAD_COLS[0]; k++) {
            const struct metric *m = metric(b, LOAD_COLS[k][0]);
            html_raw(f, "<td class=\"num\">");
            html_text(f, m && m->st.n ? fmt_value(v, sizeof v, m->st.median, m->unit) : "-");
            html_raw(f, "</td>");
        }
        html_raw(f, "</tr>\n");
    }
    html_raw(f, "</table></div>\n");
}

/* The pictures of load run r on page p (files SLUG-*.svg). */
static void load_pictures(struct site *s, struct page *p, const struct result *r,
                          const char *slug)
{
    const struct result *one[1] = {r};
    char name[160], path[4300];
    struct plot_opts po;
    size_t i, k = 0;

    plot_opts_default(&po);
    po.format = PLOT_SVG;
    po.out = path;
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        struct err pe = {0};

        if (b->kind != KIND_LOAD || !b->nload || s->plots_off)
            continue;
        html_raw(p->f, "<h2>");
        html_text(p->f, b->name);
        html_raw(p->f, "</h2>\n");
        snprintf(name, sizeof name, "%s-%zu.svg", slug, k);
        snprintf(path, sizeof path, "%s/load/%s", s->o->out, name);
        picture(s, p, name, plot_load(r, b->name, &po, &pe), &pe,
                "throughput, p99, errors and the server over time");
        if (b->capacity) {
            struct err ce = {0};
            snprintf(name, sizeof name, "%s-%zu-capacity.svg", slug, k);
            snprintf(path, sizeof path, "%s/load/%s", s->o->out, name);
            picture(s, p, name, plot_capacity(b, &po, &ce), &ce,
                    "the steps of the capacity search");
        }
        k++;
    }
    if (k && !s->plots_off) {
        struct err pe = {0};
        snprintf(name, sizeof name, "%s-latency.svg", slug);
        snprintf(path, sizeof path, "%s/load/%s", s->o->out, name);
        html_raw(p->f, "<h2>Latency by percentile</h2>\n");
        picture(s, p, name, plot_latency(one, 1, NULL, &po, &pe), &pe,
                "latency by percentile of each load benchmark");
    }
}

static int load_page(struct site *s, const struct site_file *f, struct err *e)
{
    const struct result *r = site_result(s, f->path);
    struct page p;
    char slug[96], rel[160];

    site_slug(slug, sizeof slug, site_base(f->path), f->path);
    snprintf(rel, sizeof rel, "load/%s.html", slug);
    if (page_open(&p, s->o->out, rel, site_base(f->path), e) < 0)
        return -1;
    html_raw(p.f, "<h1>");
    html_text(p.f, site_base(f->path));
    if (!r) {
        html_raw(p.f, "</h1>\n<p class=\"warn\">It could not be read (see the index's "
                      "warnings).</p>\n");
        s->out->pages++;
        return page_close(&p, e);
    }
    html_raw(p.f, "</h1>\n<p class=\"sub\">a load run: suite ");
    html_text(p.f, r->suite);
    html_raw(p.f, ", ");
    html_text(p.f, r->ctx.time ? r->ctx.time : "");
    html_raw(p.f, ", commit ");
    html_textn(p.f, r->ctx.git_commit ? r->ctx.git_commit : "-", 10);
    html_raw(p.f, ", host ");
    html_text(p.f, r->ctx.hostname ? r->ctx.hostname : "-");
    html_raw(p.f, " (medians over each benchmark's repetitions)</p>\n");
    load_table(p.f, r);
    if (s->o->plots)
        load_pictures(s, &p, r, slug);
    s->out->pages++;
    return page_close(&p, e);
}

int site_loads(struct site *s, struct err *e)
{
    for (size_t i = 0; i < s->nfiles; i++)
        if (s->files[i].kind == TREND_LOAD && load_page(s, &s->files[i], e) < 0)
            return -1;
    return 0;
}
