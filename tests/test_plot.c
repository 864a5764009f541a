/*
 * test_plot.c: the plots (plots/) and `pacer plot`.  gnuplot really runs:
 * each picture must exist with the size asked for (the PNG's IHDR, the
 * SVG's root element), its script must be kept, and its data file must
 * hold the input's numbers.  A missing, failing or hanging gnuplot must
 * give its one-line error (and exit code 2 from the command).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/plot.h"
#include "harness/load/hist.h"
#include "harness/result/loadres.h"
#include "pacer_exec.h"
#include "harness/result/result_json.h"
#include "trend_files.h"
#include "harness/result/version.h"

static char dir[64], pacer[512];

static void init(void)
{
    const char *b = getenv("PACER_BUILD");

    snprintf(pacer, sizeof pacer, "%s/pacer", b ? b : "build");
    if (pacer[0] != '/') {
        char cwd[256];
        cr_assert_not_null(getcwd(cwd, sizeof cwd));
        snprintf(pacer, sizeof pacer, "%s/%s/pacer", cwd, b ? b : "build");
    }
    snprintf(dir, sizeof dir, "/tmp/pacer-plot-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    unsetenv("PACER_GNUPLOT");
    unsetenv("PACER_GNUPLOT_TIMEOUT");
}

static void fini(void)
{
    if (getenv("PACER_TEST_KEEP")) {    /* to look at the pictures */
        fprintf(stderr, "kept %s\n", dir);
        return;
    }
    tmpdir_remove(dir);
}

TestSuite(plot, .init = init, .fini = fini, .timeout = 60);
TestSuite(plot_cmd, .init = init, .fini = fini, .timeout = 60);

/* ---- reading back what was written ----------------------------------------- */

static const char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && st.st_size > 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;

    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = malloc((size_t)n + 1);
    cr_assert_not_null(s);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* A PNG: the 8-byte signature, then the IHDR chunk with width and height. */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char b[24];
    FILE *f = fopen(path, "rb");

    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    cr_assert_eq(fread(b, 1, 24, f), 24u, "%s: shorter than a PNG header", path);
    fclose(f);
    cr_assert(memcmp(b, sig, 8) == 0, "%s: not a PNG", path);
    cr_assert(memcmp(b + 12, "IHDR", 4) == 0, "%s: no IHDR first", path);
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

/* An SVG: the width and height attributes of the root <svg> element. */
static void svg_size(const char *path, unsigned *w, unsigned *h)
{
    char *s = slurp(path), *root = strstr(s, "<svg"), *end, *p;

    cr_assert_not_null(root, "%s: no <svg> element", path);
    end = strchr(root, '>');
    cr_assert_not_null(end);
    *end = '\0';
    p = strstr(root, " width=\"");
    cr_assert_not_null(p, "%s: no width", path);
    *w = (unsigned)strtoul(p + 8, NULL, 10);
    p = strstr(root, " height=\"");
    cr_assert_not_null(p, "%s: no height", path);
    *h = (unsigned)strtoul(p + 9, NULL, 10);
    free(s);
}

/* The rows of a data file: fields split at tabs, comments and blank lines
 * skipped; block counts the double blank lines (gnuplot's index) before. */
struct row {
    int block;
    int nf;
    char *f[40];
};

struct dat {
    struct row *rows;
    size_t n;
    char *text;
};

static struct dat read_dat(const char *path)
{
    struct dat d = {0};
    char *line, *save = NULL, *p;
    int block = 0, blanks = 0;

    d.text = slurp(path);
    d.rows = calloc(strlen(d.text) / 2 + 1, sizeof *d.rows);
    cr_assert_not_null(d.rows);
    for (p = d.text; p && *p;) {
        char *nl = strchr(p, '\n');
        line = p;
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : NULL;
        if (!*line) {
            if (++blanks == 2)
                block++;
            continue;
        }
        blanks = 0;
        if (line[0] == '#')
            continue;
        {
            struct row *r = &d.rows[d.n++];
            char *tok;
            r->block = block;
            for (tok = strtok_r(line, "\t", &save); tok && r->nf < 40;
                 tok = strtok_r(NULL, "\t", &save))
                r->f[r->nf++] = tok;
        }
    }
    return d;
}

static double num(const struct row *r, int i)
{
    cr_assert_lt(i, r->nf, "row has %d fields, wanted field %d", r->nf, i);
    return strcmp(r->f[i], "NaN") ? strtod(r->f[i], NULL) : NAN;
}

static void dat_free(struct dat *d)
{
    free(d->rows);
    free(d->text);
}

static void assert_close(double got, double want, const char *what)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s: got %.17g, want NaN", what, got);
        return;
    }
    cr_assert(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)), "%s: got %.17g, want %.17g",
              what, got, want);
}

static void write_file(const char *path, const char *text, int mode)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    cr_assert_eq(chmod(path, (mode_t)mode), 0);
}

/* ---- inputs made by hand ------------------------------------------------------ */

/* A trend of ns series over nr runs: series k's level doubles at run
 * nr / 2 when k is even (with a change point there). */
static void make_trend(struct trend *t, size_t ns, size_t nr, const char *const *names)
{
    size_t i, k;

    memset(t, 0, sizeof *t);
    t->nruns = nr;
    t->runs = calloc(nr, sizeof *t->runs);
    cr_assert_not_null(t->runs);
    for (i = 0; i < nr; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%07zxabcdef0123456789", 0x1000 + 37 * i);
        t->runs[i].commit = strdup(buf);
        snprintf(buf, sizeof buf, "2026-11-%02zuT10:00:00Z", i + 1);
        t->runs[i].time = strdup(buf);
    }
    t->nseries = ns;
    t->series = calloc(ns, sizeof *t->series);
    cr_assert_not_null(t->series);
    for (k = 0; k < ns; k++) {
        struct trend_series *s = &t->series[k];
        double level = 1000.0 * (double)(k + 1);
        s->name = strdup(names[k]);
        s->unit = strdup("ns");
        s->dir = DIR_LOWER;
        s->n = nr;
        s->pts = calloc(nr, sizeof *s->pts);
        cr_assert_not_null(s->pts);
        for (i = 0; i < nr; i++) {
            double v = level * (k % 2 == 0 && i >= nr / 2 ? 2 : 1) * (1 + 0.01 * (double)(i % 3));
            s->pts[i].run = i;
            s->pts[i].value = v;
            s->pts[i].lo = i == 1 ? NAN : v * 0.98;
            s->pts[i].hi = i == 1 ? NAN : v * 1.03;
            s->pts[i].n = 10 + i;
        }
        if (k % 2 == 0) {
            s->ncps = 1;
            s->cps = calloc(1, sizeof *s->cps);
            s->cps[0].index = nr / 2;
            s->cps[0].mean_before = level;
            s->cps[0].mean_after = 2 * level;
            s->cps[0].change = 1.0;
            s->cps[0].pvalue = 1e-6;
        }
    }
}

static void free_trend(struct trend *t)
{
    size_t i;

    for (i = 0; i < t->nruns; i++) {
        free(t->runs[i].commit);
        free(t->runs[i].time);
    }
    for (i = 0; i < t->nseries; i++) {
        free(t->series[i].name);
        free(t->series[i].unit);
        free(t->series[i].pts);
        free(t->series[i].cps);
    }
    free(t->runs);
    free(t->series);
}

static const char *const names3[] = {"hash/crc32/size=64", "hash/crc32/size=4096",
                                     "hash/fnv1a/size=64"};

/* A result with micro benchmarks: bench i has n samples x_j = base_i + j. */
static void make_result(struct result *r, const char *const *names, size_t nb, size_t n,
                        double scale)
{
    size_t i, j;

    result_init(r);
    r->suite = strdup("plot");
    r->ctx.pacer_version = strdup(PACER_VERSION);
    r->ctx.time = strdup("2026-11-24T10:00:00Z");
    r->ctx.fingerprint = strdup("3f2a9c0d11e4b7a5");
    for (i = 0; i < nb; i++) {
        struct bench *b = result_add_bench(r);
        cr_assert_not_null(b);
        b->name = strdup(names[i]);
        b->nsamples = n;
        b->samples = malloc(n * sizeof *b->samples);
        for (j = 0; j < n; j++)
            b->samples[j] = scale * (100.0 * (double)(i + 1) + (double)((j * 7) % n));
        /* one far outlier per benchmark */
        b->samples[n - 1] *= 3;
        cr_assert_eq(bench_compute_stats(b, NULL), 0);
    }
}

/* A load record as pacer load leaves it: a histogram of latencies
 * (1000 + 10 i us for i < count, and one stall of 2 s), two intervals of
 * series and a server monitor of four rows. */
static void make_rep(struct load_rep *r, size_t count, int open)
{
    static const struct mon_row rows[] = {
        { 0.0, 0.0, 0.0, 1048576, 0, 0, 0, 0, 0, 0, 0 },
        { 1.0, 0.25, 0.05, 2097152, 0, 0, 0, 0, 0, 0, 0 },
        { 2.0, 0.75, 0.15, 3145728, 0, 0, 0, 0, 0, 0, 0 },
        { 3.0, 1.0, 0.2, 3145728, 0, 0, 0, 0, 0, 0, 0 },
    };
    struct err e = {0};
    size_t i;

    memset(r, 0, sizeof *r);
    r->set.url = strdup("http://127.0.0.1:8080/");
    r->set.open = open;
    r->set.rate = open ? 500.0 : 0.0;
    r->set.connections = 4;
    r->set.threads = r->set.pipeline = 1;
    r->set.digits = 3;
    r->set.warmup_ns = 1000000000;
    r->requests = r->sent = count + 1;
    r->bytes = 1000;
    r->errors[LC_TIMEOUT] = r->errors_total = 3;
    r->throughput = NAN;
    r->window_s[0] = r->window_s[1] = NAN;
    cr_assert_eq(hist_init(&r->latency, 3, 60000000000ull, &e), 0, "%s", e.msg);
    for (i = 0; i < count; i++)
        hist_record(&r->latency, 1000000 + 10000 * (uint64_t)i);
    hist_record(&r->latency, 2000000000);
    if (open) {
        r->from_send = 1;
        cr_assert_eq(hist_init(&r->latency_sent, 3, 60000000000ull, &e), 0, "%s", e.msg);
        cr_assert_eq(hist_merge(&r->latency_sent, &r->latency, &e), 0, "%s", e.msg);
    }
    r->interval_ns = 1000000000;
    r->niv = 2;
    r->iv = calloc(2, sizeof *r->iv);
    cr_assert_not_null(r->iv);
    r->iv[0] = (struct load_interval){ .t = 0.0, .requests = 600, .sent = 600, .bytes = 600,
                                       .p50 = 1500000, .p90 = 1800000, .p99 = 1900000,
                                       .p999 = 2000000, .max = 2000000 };
    r->iv[1] = (struct load_interval){ .t = 1.0, .requests = 400, .sent = 400, .bytes = 400,
                                       .p50 = 1600000, .p90 = 1900000, .p99 = 2000000000,
                                       .p999 = 2000000000, .max = 2000000000 };
    r->iv[1].errors[LC_TIMEOUT] = 3;
    r->nmon = 1;
    r->mon = calloc(1, sizeof *r->mon);
    cr_assert_not_null(r->mon);
    r->mon[0].label = strdup("server");
    r->mon[0].nrows = 4;
    r->mon[0].rows = malloc(sizeof rows);
    cr_assert_not_null(r->mon[0].rows);
    memcpy(r->mon[0].rows, rows, sizeof rows);
}

static void make_load_result(struct result *r, const char *name, int open, size_t reps)
{
    struct bench *b;
    size_t i;

    result_init(r);
    r->suite = strdup("load");
    r->ctx.pacer_version = strdup(PACER_VERSION);
    r->ctx.time = strdup("2026-11-24T10:00:00Z");
    r->ctx.fingerprint = strdup("3f2a9c0d11e4b7a5");
    b = result_add_bench(r);
    cr_assert_not_null(b);
    b->name = strdup(name);
    b->kind = KIND_LOAD;
    free(b->unit);
    b->unit = strdup("req/s");
    b->dir = DIR_HIGHER;
    b->load = calloc(reps, sizeof *b->load);
    cr_assert_not_null(b->load);
    b->nload = reps;
    b->nsamples = reps;
    b->samples = malloc(reps * sizeof *b->samples);
    for (i = 0; i < reps; i++) {
        make_rep(&b->load[i], 100 + 10 * i, open);
        b->samples[i] = 500 + (double)i;
    }
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

/* ---- the library ---------------------------------------------------------------- */

Test(plot, trend_png_has_the_size_and_the_data)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i, k, row = 0;

    make_trend(&t, 3, 8, names3);
    plot_opts_default(&o);
    o.out = path_in("tr.png");
    o.width = 900;
    o.height = 700;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(path_in("tr.png"), &w, &h);
    cr_expect_eq(w, 900u);
    cr_expect_eq(h, 700u);
    cr_assert(exists(path_in("tr.gp")), "the script is kept");
    d = read_dat(path_in("tr.dat"));
    cr_assert_eq(d.n, 3 * 8u);
    for (k = 0; k < 3; k++)
        for (i = 0; i < 8; i++, row++) {
            const struct trend_point *p = &t.series[k].pts[i];
            cr_assert_eq(d.rows[row].block, (int)k);
            assert_close(num(&d.rows[row], 0), (double)p->run, "run");
            assert_close(num(&d.rows[row], 2), p->value, "median");
            assert_close(num(&d.rows[row], 3), p->lo, "ci lo");
            assert_close(num(&d.rows[row], 4), p->hi, "ci hi");
            assert_close(num(&d.rows[row], 5), (double)p->n, "n");
        }
    dat_free(&d);
    free_trend(&t);
}

Test(plot, trend_svg_has_the_size)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    make_trend(&t, 2, 12, names3);
    plot_opts_default(&o);
    o.out = path_in("tr.svg");
    o.width = 640;
    o.height = 480;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    svg_size(path_in("tr.svg"), &w, &h);
    cr_expect_eq(w, 640u);
    cr_expect_eq(h, 480u);
    /* no extension: the format's is added */
    o.out = path_in("tr2");
    o.format = PLOT_SVG;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    svg_size(path_in("tr2.svg"), &w, &h);
    cr_expect_eq(w, 640u);
    free_trend(&t);
}

Test(plot, trend_grid_grows_with_the_benchmarks)
{
    static const char *const many[] = {"a/1", "a/2", "a/3", "a/4", "a/5", "a/6", "a/7",
                                       "a/8", "a/9", "a/10", "a/11", "a/12", "a/13"};
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h, w1, h1;

    make_trend(&t, 13, 6, many);
    plot_opts_default(&o);
    o.out = path_in("grid.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(path_in("grid.png"), &w, &h);
    t.nseries = 2;
    o.out = path_in("small.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(path_in("small.png"), &w1, &h1);
    t.nseries = 13;
    cr_expect_gt(h, h1, "13 panels (%ux%u) are taller than 2 (%ux%u)", w, h, w1, h1);
    free_trend(&t);
}

Test(plot, trend_one_picture_per_benchmark)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    make_trend(&t, 3, 6, names3);
    plot_opts_default(&o);
    o.out = path_in("each");
    o.grid = 0;
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(path_in("each/hash_crc32_size=64.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    cr_expect(exists(path_in("each/hash_crc32_size=4096.png")));
    cr_expect(exists(path_in("each/hash_fnv1a_size=64.png")));
    cr_expect(exists(path_in("each/hash_fnv1a_size=64.gp")));
    cr_expect(exists(path_in("each/hash_fnv1a_size=64.dat")));
    free_trend(&t);
}

Test(plot, names_are_text_to_gnuplot)
{
    char evil[256], *gp;
    const char *names[3];
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    unsigned w, h;

    /* quotes, a backquote command, an @ macro, a % format, underscores */
    snprintf(evil, sizeof evil, "it's \"a_b\" `touch %s/pwned` @x 50%%_{up}", dir);
    names[0] = evil;
    names[1] = "with space/and_under_score";
    names[2] = "x/y";
    make_trend(&t, 3, 6, names);
    plot_opts_default(&o);
    o.out = path_in("evil.png");
    o.title = "title's `touch /tmp/never` \"x\"";
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    png_size(path_in("evil.png"), &w, &h);
    cr_expect(!exists(path_in("pwned")), "a backquote in a name ran a command");
    gp = slurp(path_in("evil.gp"));
    cr_expect_not_null(strstr(gp, "'title''s `touch /tmp/never` \"x\"'"), "%s", gp);
    free(gp);
    free_trend(&t);
}

Test(plot, compare_bars_sorted_with_the_numbers)
{
    static const char *const nm[] = {"s/a", "s/b", "s/c", "s/d", "s/e"};
    static const double ch[] = {0.30, -0.20, 0.001, 0.04, NAN};
    static const enum verdict vd[] = {VERDICT_REGRESSED, VERDICT_IMPROVED, VERDICT_UNCHANGED,
                                      VERDICT_INCONCLUSIVE, VERDICT_NEW_ONLY};
    struct compare_row rows[5];
    struct comparison c;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i;
    char *gp;

    memset(&c, 0, sizeof c);
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 5; i++) {
        rows[i].name = nm[i];
        rows[i].unit = "ns";
        rows[i].change = ch[i];
        rows[i].change_lo = ch[i] - 0.02;
        rows[i].change_hi = ch[i] + 0.03;
        rows[i].threshold = 0.015;
        rows[i].base_value = 100;
        rows[i].new_value = 100 * (1 + ch[i]);
        rows[i].verdict = vd[i];
        c.count[vd[i]]++;
    }
    c.rows = rows;
    c.nrows = 5;
    c.geomean = 1.02;
    c.ngeomean = 4;
    snprintf(c.base_name, sizeof c.base_name, "results/base.json");
    snprintf(c.new_name, sizeof c.new_name, "results/new.json");
    plot_opts_default(&o);
    o.out = path_in("cmp.png");
    cr_assert_eq(plot_compare(&c, &o, &e), 0, "%s", e.msg);
    png_size(path_in("cmp.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    cr_expect_geq(h, 300u);
    d = read_dat(path_in("cmp.dat"));
    /* four drawn (the one-sided row is not), by change: b, c, d, a */
    cr_assert_eq(d.n, 4u);
    cr_expect_str_eq(d.rows[0].f[1], "\"b\"");
    cr_expect_str_eq(d.rows[3].f[1], "\"a\"");
    cr_expect_str_eq(d.rows[3].f[2], "regressed");
    assert_close(num(&d.rows[0], 4), -0.20, "change");
    assert_close(num(&d.rows[0], 5), -0.22, "change lo");
    assert_close(num(&d.rows[0], 6), -0.17, "change hi");
    assert_close(num(&d.rows[3], 7), 0.015, "threshold");
    dat_free(&d);
    gp = slurp(path_in("cmp.gp"));
    cr_expect_not_null(strstr(gp, "base.json -> new.json"));
    cr_expect_not_null(strstr(gp, "1 only in new"));
    free(gp);
}

Test(plot, compare_with_nothing_to_draw_fails)
{
    struct compare_row row;
    struct comparison c;
    struct plot_opts o;
    struct err e = {0};

    memset(&c, 0, sizeof c);
    memset(&row, 0, sizeof row);
    row.name = "x";
    row.verdict = VERDICT_ERROR;
    row.change = NAN;
    c.rows = &row;
    c.nrows = 1;
    plot_opts_default(&o);
    o.out = path_in("none.png");
    cr_assert_eq(plot_compare(&c, &o, &e), -1);
    cr_expect_str_eq(e.msg, "compare: no benchmark with a change to plot");
}

Test(plot, dist_box_holds_every_sample)
{
    struct result r[2];
    const struct result *rp[2] = {&r[0], &r[1]};
    const char *const files[] = {"runs/one.json", "runs/two.json"};
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i, k, row = 0;

    make_result(&r[0], names3, 3, 12, 1.0);
    make_result(&r[1], names3, 2, 12, 1.1);
    plot_opts_default(&o);
    o.out = path_in("dist.png");
    o.names = files;
    o.width = 800;
    o.height = 500;
    cr_assert_eq(plot_dist(rp, 2, NULL, &o, &e), 0, "%s", e.msg);
    png_size(path_in("dist.png"), &w, &h);
    cr_expect_eq(w, 800u);
    cr_expect_eq(h, 500u);
    d = read_dat(path_in("dist.dat"));
    cr_assert_eq(d.n, 5 * 12u);
    /* by benchmark, then result, samples in their order */
    for (i = 0; i < 3; i++)
        for (k = 0; k < 2; k++) {
            const struct bench *b = i < r[k].nbenches ? &r[k].benches[i] : NULL;
            size_t j;
            for (j = 0; b && j < b->nsamples; j++, row++) {
                assert_close(num(&d.rows[row], 0), (double)i, "group");
                assert_close(num(&d.rows[row], 1), (double)k, "result");
                assert_close(num(&d.rows[row], 3), b->samples[j], "sample");
            }
        }
    /* the outlier (3 x) is severe */
    cr_expect_str_eq(d.rows[11].f[5], "2");
    dat_free(&d);
    /* the boxes: quartiles (type 7) and their deviation from the median of
     * the first result, which the script draws */
    d = read_dat(path_in("dist-box.dat"));
    cr_assert_eq(d.n, 5u);
    {
        const struct bench *b = &r[1].benches[0];
        double s[12], ref = stats_median(r[0].benches[0].samples, 12), q1;
        memcpy(s, b->samples, sizeof s);
        stats_sort(s, 12);
        q1 = stats_quantile_sorted(s, 12, 0.25);
        assert_close(num(&d.rows[1], 2), 1, "result");
        assert_close(num(&d.rows[1], 4), ref, "ref median");
        assert_close(num(&d.rows[1], 5), q1, "q1");
        assert_close(num(&d.rows[1], 6), stats_quantile_sorted(s, 12, 0.5), "median");
        assert_close(num(&d.rows[1], 10), 100 * (q1 / ref - 1), "q1 deviation");
        cr_expect_eq(d.rows[1].nf, 15);
    }
    dat_free(&d);
    result_free(&r[0]);
    result_free(&r[1]);
}

Test(plot, dist_hist_counts_add_up)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    size_t i;
    double total = 0;

    make_result(&r, names3, 3, 30, 1.0);
    plot_opts_default(&o);
    o.out = path_in("hist.svg");
    o.dist = PLOT_DIST_HIST;
    cr_assert_eq(plot_dist(rp, 1, "crc32", &o, &e), 0, "%s", e.msg);
    svg_size(path_in("hist.svg"), &w, &h);
    cr_expect_eq(w, 1000u);
    d = read_dat(path_in("hist-hist.dat"));
    for (i = 0; i < d.n; i++)
        total += num(&d.rows[i], 3);
    /* two benchmarks match; each keeps its far outlier out of the bins */
    assert_close(total, 2 * 29.0, "binned samples");
    dat_free(&d);
    result_free(&r);
}

Test(plot, dist_filter_matching_nothing)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};

    make_result(&r, names3, 3, 10, 1.0);
    plot_opts_default(&o);
    o.out = path_in("x.png");
    cr_assert_eq(plot_dist(rp, 1, "^nothing$", &o, &e), -1);
    cr_expect_str_eq(e.msg, "no benchmark with samples matching '^nothing$'");
    result_free(&r);
}

Test(plot, latency_percentiles_from_the_merged_histogram)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};
    struct hist h;
    struct dat d;
    unsigned w, h2;
    size_t i, nrows0 = 0;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 1, 2);
    plot_opts_default(&o);
    o.out = path_in("lat.png");
    cr_assert_eq(plot_latency(rp, 1, NULL, &o, &e), 0, "%s", e.msg);
    png_size(path_in("lat.png"), &w, &h2);
    cr_expect_eq(w, 1000u);
    cr_assert_eq(load_merge_latency(&r.benches[0], 0, &h, &e), 0, "%s", e.msg);
    d = read_dat(path_in("lat.dat"));
    for (i = 0; i < d.n && d.rows[i].block == 0; i++) {
        double p = num(&d.rows[i], 0), x = num(&d.rows[i], 1);
        nrows0++;
        if (p < 100)
            assert_close(x, 1 / (1 - p / 100), "1/(1-p)");
        assert_close(num(&d.rows[i], 2), (double)hist_percentile(&h, p), "latency");
    }
    cr_expect_gt(nrows0, 50u);
    /* the last point is the maximum, at 1/(1-p) = the count */
    assert_close(num(&d.rows[nrows0 - 1], 2), 2000000000.0, "max");
    assert_close(num(&d.rows[nrows0 - 1], 1), (double)h.count, "count");
    /* open loop: the curve from the send follows as block 1 */
    cr_expect_eq(d.rows[d.n - 1].block, 1);
    dat_free(&d);
    gp = slurp(path_in("lat.gp"));
    cr_expect_not_null(strstr(gp, "'99%%' 100"), "the percentile axis: %s", gp);
    cr_expect_not_null(strstr(gp, "set logscale x"));
    free(gp);
    hist_free(&h);
    result_free(&r);
}

Test(plot, latency_needs_a_load_benchmark)
{
    struct result r;
    const struct result *rp[1] = {&r};
    struct plot_opts o;
    struct err e = {0};

    make_result(&r, names3, 3, 10, 1.0);
    plot_opts_default(&o);
    o.out = path_in("x.png");
    cr_assert_eq(plot_latency(rp, 1, NULL, &o, &e), -1);
    cr_expect_str_eq(e.msg, "no load benchmark with a latency histogram");
    result_free(&r);
}

Test(plot, load_timeline_series_and_monitor)
{
    struct result r;
    struct plot_opts o;
    struct err e = {0};
    struct dat d;
    unsigned w, h;
    char *gp;

    make_load_result(&r, "http://127.0.0.1:8080/", 0, 2);
    plot_opts_default(&o);
    o.out = path_in("load.png");
    o.width = 900;
    o.height = 900;
    cr_assert_eq(plot_load(&r, NULL, &o, &e), 0, "%s", e.msg);
    png_size(path_in("load.png"), &w, &h);
    cr_expect_eq(w, 900u);
    cr_expect_eq(h, 900u);
    d = read_dat(path_in("load-series.dat"));
    /* two intervals and the closing row, per repetition */
    cr_assert_eq(d.n, 6u);
    assert_close(num(&d.rows[0], 0), 0, "t");
    assert_close(num(&d.rows[0], 2), 600, "requests");
    assert_close(num(&d.rows[0], 3), 600, "throughput");
    assert_close(num(&d.rows[1], 6), 2000000000.0, "p99");
    assert_close(num(&d.rows[1], 10), 3, "errors/s");
    cr_expect_eq(d.rows[3].block, 1);
    dat_free(&d);
    d = read_dat(path_in("load-monitor.dat"));
    cr_assert_eq(d.n, 8u);
    /* time from the end of the warmup (1 s) */
    assert_close(num(&d.rows[0], 0), -1, "t");
    assert_close(num(&d.rows[2], 1), 0.75, "cpu_user");
    assert_close(num(&d.rows[2], 3), 3145728, "rss");
    dat_free(&d);
    d = read_dat(path_in("load-cpu.dat"));
    /* half-second windows from -1 s: 0.6 CPU seconds in the second after
     * the warmup, so 60 % in [0, 0.5] */
    cr_assert_eq(d.n, 2 * 6u);
    assert_close(num(&d.rows[0], 0), -0.75, "window centre");
    assert_close(num(&d.rows[0], 1), 30, "cpu % in [-1, -0.5]");
    assert_close(num(&d.rows[2], 1), 60, "cpu % in [0, 0.5]");
    dat_free(&d);
    gp = slurp(path_in("load.gp"));
    cr_expect_not_null(strstr(gp, "RSS (MiB)"));
    cr_expect_not_null(strstr(gp, "latency (s)"), "p99 of 2 s: seconds");
    free(gp);
    cr_assert_eq(plot_load(&r, "nope", &o, &e), -1);
    cr_expect_str_eq(e.msg, "no load benchmark named 'nope' (1 load benchmark)");
    result_free(&r);
}

Test(plot, default_picture_name)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    char cwd[512];

    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_eq(chdir(dir), 0);
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    cr_expect(exists(path_in("plot-trend.png")));
    cr_expect(exists(path_in("plot-trend.gp")));
    cr_expect(exists(path_in("plot-trend.dat")));
    free_trend(&t);
    cr_assert_eq(chdir(cwd), 0);
}

Test(plot, gnuplot_missing)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};
    char path[4096];
    int rc;

    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = path_in("m.png");
    setenv("PACER_GNUPLOT", path_in("no-such-gnuplot"), 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_str_eq(e.msg, "gnuplot not found: install gnuplot-nox");
    cr_expect(!exists(path_in("m.png")));
    /* not in PATH either */
    unsetenv("PACER_GNUPLOT");
    mkdir(path_in("emptybin"), 0755);
    snprintf(path, sizeof path, "%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path_in("emptybin"), 1);
    memset(&e, 0, sizeof e);
    rc = plot_trend(&t, &o, &e);
    setenv("PATH", path, 1);
    cr_assert_eq(rc, -1);
    cr_expect_str_eq(e.msg, "gnuplot not found: install gnuplot-nox");
    free_trend(&t);
}

Test(plot, gnuplot_failing_gives_its_first_error)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    write_file(path_in("badplot"),
               "#!/bin/sh\n"
               "echo '\"m.gp\" line 3: warning: Cannot find or open file \"x.dat\"' >&2\n"
               "echo '\"m.gp\" line 3: No data in plot' >&2\n"
               "touch m.png\nexit 1\n",
               0755);
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = path_in("m.png");
    setenv("PACER_GNUPLOT", path_in("badplot"), 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_str_eq(e.msg, "gnuplot failed: \"m.gp\" line 3: No data in plot");
    cr_expect(access(path_in("m.png"), F_OK) != 0, "the partial picture is removed");
    free_trend(&t);
}

Test(plot, gnuplot_hanging_is_killed)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    write_file(path_in("slowplot"), "#!/bin/sh\nexec sleep 30\n", 0755);
    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    o.out = path_in("m.png");
    setenv("PACER_GNUPLOT", path_in("slowplot"), 1);
    setenv("PACER_GNUPLOT_TIMEOUT", "1", 1);
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_not_null(strstr(e.msg, "gnuplot failed: "), "%s", e.msg);
    cr_expect_not_null(strstr(e.msg, "m.gp: no picture after 1 s"), "%s", e.msg);
    free_trend(&t);
}

Test(plot, unwritable_directory)
{
    struct trend t;
    struct plot_opts o;
    struct err e = {0};

    FILE *f;

    make_trend(&t, 2, 5, names3);
    plot_opts_default(&o);
    /* missing directories are made */
    o.out = path_in("new/dir/x.png");
    cr_assert_eq(plot_trend(&t, &o, &e), 0, "%s", e.msg);
    cr_assert(access(path_in("new/dir/x.png"), F_OK) == 0);
    /* a file where a directory should be */
    f = fopen(path_in("afile"), "w");
    cr_assert_not_null(f);
    fclose(f);
    o.out = path_in("afile/dir/x.png");
    cr_assert_eq(plot_trend(&t, &o, &e), -1);
    cr_expect_not_null(strstr(e.msg, "afile/dir: cannot create the directory: Not a directory"),
                       "%s", e.msg);
    free_trend(&t);
}

/* ---- the command ------------------------------------------------------------------ */

static struct out run(const char *first, ...)
{
    PACER_EXEC_VARIADIC(pacer, 0, first);
}

static void save(struct result *r, const char *path)
{
    struct err e = {0};

    cr_assert_eq(result_save(r, path, &e), 0, "%s", e.msg);
    result_free(r);
}

static void write_history(void)
{
    size_t i;

    mkdir(path_in("hist"), 0755);
    for (i = 0; i < 12; i++) {
        struct tf_bench b[2] = {{"hash/crc32", tf_wobble(i < 6 ? 100 : 130, i), NULL, DIR_LOWER, 0},
                                {"hash/fnv1a", tf_wobble(50, i), NULL, DIR_LOWER, 0}};
        char path[512], t[32], c[48];
        snprintf(path, sizeof path, "%s/hist/r%02zu.json", dir, i);
        snprintf(t, sizeof t, "2026-11-%02zuT10:00:00Z", i + 1);
        snprintf(c, sizeof c, "%07zx0000000000000000000000000000000", 0xabc0 + i);
        tf_write(path, t, c, t, b, 2);
    }
}

Test(plot_cmd, trend_of_a_directory)
{
    struct out o;
    unsigned w, h;
    struct dat d;
    char want[600];

    write_history();
    o = run("plot", "trend", path_in("hist"), "-o", path_in("t.png"), "--size", "800x600", NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    snprintf(want, sizeof want, "%s/t.png\n", dir);
    cr_expect_str_eq(o.stdout_s, want);
    png_size(path_in("t.png"), &w, &h);
    cr_expect_eq(w, 800u);
    cr_expect_eq(h, 600u);
    d = read_dat(path_in("t.dat"));
    cr_expect_eq(d.n, 24u);
    dat_free(&d);
    out_free(&o);
    o = run("plot", "trend", path_in("hist"), "--last", "4", "--filter", "crc", "-o",
            path_in("t4.svg"), NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    d = read_dat(path_in("t4.dat"));
    cr_expect_eq(d.n, 4u);
    dat_free(&d);
    out_free(&o);
    o = run("plot", "trend", path_in("hist"), "--one-per-benchmark", "-o", path_in("per"), NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(exists(path_in("per/hash_crc32.png")));
    cr_expect(exists(path_in("per/hash_fnv1a.png")));
    out_free(&o);
    o = run("plot", "trend", path_in("hist"), "--filter", "zzz", "-o", path_in("z.png"), NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: trend: no benchmark matches zzz in the 12 runs\n",
                     "as pacer trend says it");
    cr_expect_not(exists(path_in("z.png")));
    out_free(&o);
}

Test(plot_cmd, compare_dist_latency_load)
{
    struct result a, b, l;
    struct out o;
    unsigned w, h;
    char want[600];

    make_result(&a, names3, 3, 20, 1.0);
    save(&a, path_in("a.json"));
    make_result(&b, names3, 3, 20, 1.2);
    save(&b, path_in("b.json"));
    make_load_result(&l, "http://127.0.0.1:8080/", 1, 2);
    save(&l, path_in("l.json"));

    o = run("plot", "compare", path_in("a.json"), path_in("b.json"), "--threshold", "5%", "-o",
            path_in("c.png"), NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    png_size(path_in("c.png"), &w, &h);
    cr_expect_eq(w, 1000u);
    out_free(&o);
    o = run("plot", "dist", path_in("a.json"), path_in("b.json"), "--kind", "hist", "--format",
            "svg", "-o", path_in("d"), NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    snprintf(want, sizeof want, "%s/d.svg\n", dir);
    cr_expect_str_eq(o.stdout_s, want);
    svg_size(path_in("d.svg"), &w, &h);
    out_free(&o);
    o = run("plot", "latency", path_in("l.json"), "-o", path_in("lat.png"), NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(exists(path_in("lat.png")));
    out_free(&o);
    o = run("plot", "load", path_in("l.json"), "--bench", "http://127.0.0.1:8080/", "-o",
            path_in("load.png"), "--title", "a title", NULL);
    cr_assert_eq(o.code, 0, "%s", o.stderr_s);
    cr_expect(exists(path_in("load.png")));
    cr_expect(exists(path_in("load-series.dat")));
    out_free(&o);
    o = run("compare", path_in("a.json"), path_in("b.json"), "--plot", path_in("cp.png"), NULL);
    cr_expect_neq(o.code, 2, "%s", o.stderr_s);
    cr_expect(exists(path_in("cp.png")));
    cr_expect(exists(path_in("cp.dat")));
    out_free(&o);
    o = run("plot", "compare", path_in("a.json"), "-o", path_in("c1.png"), NULL);
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want,
             "pacer: plot compare: %s/a.json is one run: give a base to compare with\n", dir);
    cr_expect_str_eq(o.stderr_s, want);
    out_free(&o);
}

Test(plot_cmd, gnuplot_missing_exits_2_and_compare_still_works)
{
    struct result a, b;
    struct out o;

    make_result(&a, names3, 3, 20, 1.0);
    save(&a, path_in("a.json"));
    make_result(&b, names3, 3, 20, 1.0);
    save(&b, path_in("b.json"));
    setenv("PACER_GNUPLOT", path_in("no-such-gnuplot"), 1);
    o = run("plot", "dist", path_in("a.json"), "-o", path_in("d.png"), NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s, "pacer: gnuplot not found: install gnuplot-nox\n");
    out_free(&o);
    o = run("compare", path_in("a.json"), path_in("b.json"), NULL);
    cr_expect_eq(o.code, 0, "%s", o.stderr_s);
    out_free(&o);
    o = run("compare", path_in("a.json"), path_in("b.json"), "--plot", path_in("x.png"), NULL);
    cr_expect_eq(o.code, 2, "a comparison that passed, a picture that failed");
    cr_expect_not_null(strstr(o.stderr_s, "--plot: gnuplot not found: install gnuplot-nox"));
    cr_expect_not_null(strstr(o.stdout_s, "3 compared"), "the report is printed all the same");
    out_free(&o);
}

Test(plot_cmd, usage_errors_exit_2)
{
    struct result a;
    struct out o;
    char want[600];

    make_result(&a, names3, 3, 10, 1.0);
    save(&a, path_in("a.json"));
    o = run("plot", "pie", path_in("a.json"), NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_str_eq(o.stderr_s,
                     "pacer: plot: 'pie' is not a kind of plot (trend, compare, dist, latency, "
                     "load)\n");
    out_free(&o);
    o = run("plot", "dist", path_in("a.json"), "--last", "3", NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "--last is not an option of this kind"));
    out_free(&o);
    o = run("plot", "dist", path_in("a.json"), "--size", "big", NULL);
    cr_expect_eq(o.code, 2);
    out_free(&o);
    o = run("plot", "dist", path_in("a.json"), "-o", path_in("x.png"), "--format", "svg", NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "disagree"));
    out_free(&o);
    o = run("plot", "dist", path_in("missing.json"), NULL);
    cr_expect_eq(o.code, 2);
    cr_expect_not_null(strstr(o.stderr_s, "missing.json"));
    out_free(&o);
    o = run("plot", "load", path_in("a.json"), "-o", path_in("l.png"), NULL);
    cr_expect_eq(o.code, 2);
    snprintf(want, sizeof want, "pacer: %s/a.json: no load benchmark with a load record\n", dir);
    cr_expect_str_eq(o.stderr_s, want);
    out_free(&o);
    o = run("plot", "--help", NULL);
    cr_expect_eq(o.code, 0);
    cr_expect_not_null(strstr(o.stdout_s, "usage: pacer plot KIND"));
    out_free(&o);
}
