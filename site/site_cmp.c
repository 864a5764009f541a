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
#include <unistd.h>

#include "compare/explain.h"
#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "harness/result/profile.h"
#include "plots/flame.h"
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

/* A gnuplot picture in the page's folder, shown in it; one that cannot be
 * drawn is said and left out, and without gnuplot no more are tried. */
static void picture(struct site *s, struct page *p, const char *name, int rc,
                    const struct err *pe, const char *alt)
{
    if (rc < 0 && strstr(pe->msg, "gnuplot not found")) {
        site_warn(s, "the gnuplot pictures are left out (%s)", pe->msg);
        s->plots_off = 1;
        return;
    }
    if (rc < 0) {
        site_warn(s, "%s: not drawn: %s", name, pe->msg);
        return;
    }
    html_raw(p->f, "<p><img class=\"plot\" src=\"%s\" alt=\"", name);
    html_text(p->f, alt);
    html_raw(p->f, "\"></p>\n");
}

/* The profiles of the two sides of a comparison (pacer run --profile, pacer
 * ab --explain: beside each result, profile.h). */
struct sides {
    const char *base, *nw;   /* the result files */
    int paired;              /* an A/B result: base's profiles are .base. */
};

/* What changed between the profiles of row r's two sides, when both are
 * there: the top functions and the differential flame graph (cmp/). */
static int explain_row(struct site *s, struct page *p, const struct compare_row *r,
                       const struct sides *sd, const char *slug, size_t k)
{
    char dir[4200], f[1024], pb[5300], pn[5300], svg[160], path[4300];
    struct profile b, n;
    struct explanation x;
    struct err e = {0};
    size_t i, rows = 0;

    snprintf(pb, sizeof pb, "%s/%s", profile_dir(dir, sizeof dir, sd->base),
             profile_file_name(f, sizeof f, r->name, sd->paired ? ".base.callgrind" : ".callgrind"));
    snprintf(pn, sizeof pn, "%s/%s", profile_dir(dir, sizeof dir, sd->nw),
             profile_file_name(f, sizeof f, r->name, ".callgrind"));
    if (profile_load(pb, &b, &e) < 0) {
        site_warn(s, "%s", e.msg);
        return 0;
    }
    if (profile_load(pn, &n, &e) < 0) {
        site_warn(s, "%s", e.msg);
        profile_free(&b);
        return 0;
    }
    if (explain_profiles(&b, &n, &x) == 0) {
        html_raw(p->f, "<h3>");
        html_text(p->f, r->name);
        html_raw(p->f, " <span class=\"%s\">%+.1f%% %s</span></h3>\n<p class=\"sub\">",
                 verdict_name(r->verdict), 100 * r->change, verdict_name(r->verdict));
        html_text(p->f, profile_unit(&n));
        html_raw(p->f, " ");
        html_text(p->f, profile_per(&n));
        html_raw(p->f, ": %.1f to %.1f</p>\n<table><tr><th>function</th><th>self base</th>"
                       "<th>self new</th><th>change</th><th>inclusive base</th>"
                       "<th>inclusive new</th></tr>\n", x.b_total, x.n_total);
        for (i = 0; i < x.n && rows < 8; i++) {
            const struct fn_change *c = &x.ch[i];
            if (!(fabs(c->n_incl - c->b_incl) > 1e-4 * x.b_total))
                continue;
            html_raw(p->f, "<tr><td>");
            html_text(p->f, c->name);
            html_raw(p->f, "</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>",
                     c->b_self, c->n_self);
            if (!c->in_base || !c->in_new)
                html_raw(p->f, "<td>%s</td>", c->in_base ? "gone" : "new");
            else if (c->b_self > 0)
                html_raw(p->f, "<td class=\"num\">%+.1f%%</td>",
                         100 * (c->n_self - c->b_self) / c->b_self);
            else
                html_raw(p->f, "<td class=\"num\">%+.1f</td>", c->n_self - c->b_self);
            html_raw(p->f, "<td class=\"num\">%.1f</td><td class=\"num\">%.1f</td></tr>\n",
                     c->b_incl, c->n_incl);
            rows++;
        }
        html_raw(p->f, "</table>\n");
        snprintf(svg, sizeof svg, "%s-%zu.diff.svg", slug, k);
        snprintf(path, sizeof path, "%s/cmp/%s", s->o->out, svg);
        if (flame_svg(&n, &b, r->name, path, &e) == 0) {
            html_raw(p->f, "<p><img class=\"plot\" src=\"%s\" alt=\"the differential flame "
                           "graph: red where the new side costs more\"></p>\n", svg);
        } else
            site_warn(s, "%s", e.msg);
        explain_free(&x);
    }
    profile_free(&b);
    profile_free(&n);
    return 1;
}

/* Whether both sides of row r have profiles. */
static int profiled(const struct compare_row *r, const struct sides *sd)
{
    char dir[4200], f[1024], pb[5300], pn[5300];

    snprintf(pb, sizeof pb, "%s/%s", profile_dir(dir, sizeof dir, sd->base),
             profile_file_name(f, sizeof f, r->name, sd->paired ? ".base.callgrind" : ".callgrind"));
    snprintf(pn, sizeof pn, "%s/%s", profile_dir(dir, sizeof dir, sd->nw),
             profile_file_name(f, sizeof f, r->name, ".callgrind"));
    return access(pb, F_OK) == 0 && access(pn, F_OK) == 0;
}

/* The profile diff of every row whose two sides have profiles (pacer ab
 * --explain keeps them for the rows that moved). */
static void explain_rows(struct site *s, struct page *p, const struct comparison *c,
                         const struct sides *sd, const char *slug)
{
    size_t i, k = 0;

    for (i = 0; i < c->nrows; i++)
        if (profiled(&c->rows[i], sd)) {
            if (!k)
                html_raw(p->f, "<h2>Why: the profiles of both sides</h2>\n<p class=\"sub\">"
                               "Instructions an iteration by function, self and inclusive, "
                               "the largest changes first.</p>\n");
            k += (size_t)explain_row(s, p, &c->rows[i], sd, slug, k);
        }
}

/* The page cmp/SLUG.html of comparison c (NULL: none could be made, sub
 * says why). */
static int cmp_page(struct site *s, const struct comparison *c, const struct sides *sd,
                    const char *slug, const char *title, const char *sub, struct err *e)
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
    if (c)
        explain_rows(s, &p, c, sd, slug);
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
        struct sides sd = {s->files[i].path, s->files[i].path, 1};

        site_slug(slug, sizeof slug, site_base(s->files[i].path), s->files[i].path);
        if (compare_files(&s->files[i].path, 1, &fo, &co, &cf, &ce) != 0) {
            site_warn(s, "%s: not compared: %s", s->files[i].path, ce.msg);
            rc = cmp_page(s, NULL, &sd, slug, site_base(s->files[i].path), ce.msg, e);
        } else
            rc = cmp_page(s, &cf.cmp, &sd, slug, site_base(s->files[i].path),
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
        struct sides sd;
        char title[512];

        if (!gr->compared)
            continue;
        sd = (struct sides){s->t.runs[gr->prev].file, s->t.runs[gr->latest].file, 0};
        snprintf(title, sizeof title, "%s against %s", site_base(s->t.runs[gr->latest].file),
                 site_base(s->t.runs[gr->prev].file));
        if (cmp_page(s, &gr->cf.cmp, &sd, gr->slug, title,
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
    {"errors.rate", "errors"}, {"checks.failed", "checks failed"}, {"server.cpu", "server CPU"},
    {"server.rss_max", "server RSS"},
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
