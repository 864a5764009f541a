/*
 * cmd_plot.c: `pacer plot KIND ...`: pictures of results, drawn by
 * gnuplot, with the data and the script beside them (plots/plot.h).
 */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "compare/compare.h"
#include "compare/compare_files.h"
#include "compare/import/import.h"
#include "compare/policy.h"
#include "compare/trend.h"
#include "plots/plot.h"
#include "trendcli.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer plot KIND [options] FILE...\n"
"\n"
"Draws results with gnuplot.  Beside the picture go the data it shows\n"
"(NAME.dat, NAME-KEY.dat) and the script that draws it (NAME.gp): restyle\n"
"and draw again with `gnuplot NAME.gp` in that directory.\n"
"\n"
"kinds:\n"
"  trend DIR|FILE...   each benchmark's median per run with its CI, change\n"
"                      points marked; a grid of panels\n"
"      --filter REGEX  --last N  --git-order  --one-per-benchmark (one picture\n"
"                      per benchmark, into the directory -o names)\n"
"  compare BASE NEW    the change of each benchmark with its CI, coloured by\n"
"                      verdict, threshold marked (or one A/B result)\n"
"      --threshold PCT  --thresholds FILE  --filter REGEX\n"
"  dist FILE...        the samples of each benchmark: boxes or histograms\n"
"      --filter REGEX  --kind box|hist\n"
"  latency FILE...     latency by percentile of load results (HDR style)\n"
"      --filter REGEX\n"
"  curve FILE          throughput against latency: a curve per open-loop\n"
"                      scenario run at several rates (SCENARIO/rate=R), a\n"
"                      point per rate; the knee is the capacity\n"
"      --filter REGEX\n"
"  load FILE           a load run over time: throughput, latency, errors,\n"
"                      the server's CPU and RSS; with stages, above them\n"
"                      the users or rate asked and achieved\n"
"      --bench NAME    which load benchmark (default: the first)\n"
"  capacity FILE       the steps of a capacity search (pacer load\n"
"                      --capacity): p50 and p99 latency and the throughput\n"
"                      achieved against the offered rate, the objective,\n"
"                      the answer and its bracket\n"
"      --bench NAME    which benchmark (default: the first with a search)\n"
"\n"
"options:\n"
"  -o, --out PATH      the picture (default plot-KIND.png here)\n"
"  --format png|svg    (default: from the extension of --out, else png)\n"
"  --size WxH          in pixels (default: what suits the plot)\n"
"  --title TEXT\n"
"\n"
"gnuplot runs as $PACER_GNUPLOT if set, else from PATH.\n"
"exit codes: 0 drawn, 2 usage error, bad input, or gnuplot missing or failing\n");
}

enum kind { K_TREND, K_COMPARE, K_DIST, K_LATENCY, K_LOAD, K_CURVE, K_CAPACITY };

static const char *const kinds[] = {"trend", "compare", "dist", "latency", "load", "curve",
                                    "capacity"};

struct cli {
    enum kind kind;
    struct plot_opts po;
    const char *filter, *bench, *thresholds;
    size_t last;
    int git_order, have_format, have_threshold;
};

enum {
    O_FORMAT = 256, O_SIZE, O_TITLE, O_FILTER, O_LAST, O_ONE, O_GIT, O_THR, O_THRS, O_KIND,
    O_BENCH,
};

/* Which kinds take an option (a bit per kind; 0: all). */
static unsigned opt_kinds(int opt)
{
    switch (opt) {
    case O_FILTER: return 1u << K_TREND | 1u << K_COMPARE | 1u << K_DIST | 1u << K_LATENCY |
                          1u << K_CURVE;
    case O_LAST:
    case O_ONE:
    case O_GIT: return 1u << K_TREND;
    case O_THR:
    case O_THRS: return 1u << K_COMPARE;
    case O_KIND: return 1u << K_DIST;
    case O_BENCH: return 1u << K_LOAD | 1u << K_CAPACITY;
    default: return 0;
    }
}

static int has_ext(const char *s, const char *ext)
{
    size_t ls = strlen(s), le = strlen(ext);

    return ls > le && strcasecmp(s + ls - le, ext) == 0;
}

static const struct option lopts[] = {
    {"out", required_argument, 0, 'o'}, {"format", required_argument, 0, O_FORMAT},
    {"size", required_argument, 0, O_SIZE}, {"title", required_argument, 0, O_TITLE},
    {"filter", required_argument, 0, O_FILTER}, {"last", required_argument, 0, O_LAST},
    {"one-per-benchmark", no_argument, 0, O_ONE}, {"git-order", no_argument, 0, O_GIT},
    {"threshold", required_argument, 0, O_THR}, {"thresholds", required_argument, 0, O_THRS},
    {"kind", required_argument, 0, O_KIND}, {"bench", required_argument, 0, O_BENCH},
    {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
};

/* --size WxH into the options; -1 said. */
static int set_size(struct plot_opts *po, const char *arg)
{
    char *end;
    long w = strtol(arg, &end, 10), h = 0;

    if (end != arg && (*end == 'x' || *end == 'X')) {
        const char *p = end + 1;
        h = strtol(p, &end, 10);
        if (end == p)
            h = 0;
    }
    if (*end || w < 100 || h < 100 || w > 20000 || h > 20000) {
        die_msg("plot: --size: '%s' is not WIDTHxHEIGHT in pixels (100 to 20000)", arg);
        return -1;
    }
    po->width = (int)w;
    po->height = (int)h;
    return 0;
}

/* Option opt with its value arg: 0 taken, -1 a bad value (said), 1 not one
 * of the options with a value or flag (--help and the unknown). */
static int set_option(struct cli *c, struct compare_opts *co, int opt, const char *arg)
{
    struct err e = {0};
    unsigned long long v;
    char *end;

    switch (opt) {
    case 'o': c->po.out = arg; return 0;
    case O_FORMAT:
        if (strcmp(arg, "png") && strcmp(arg, "svg")) {
            die_msg("plot: --format: '%s' is not png or svg", arg);
            return -1;
        }
        c->po.format = arg[0] == 's' ? PLOT_SVG : PLOT_PNG;
        c->have_format = 1;
        return 0;
    case O_SIZE: return set_size(&c->po, arg);
    case O_TITLE: c->po.title = arg; return 0;
    case O_FILTER: c->filter = arg; return 0;
    case O_LAST:
        v = strtoull(arg, &end, 10);
        if (end == arg || *end || v == 0 || arg[0] == '-') {
            die_msg("plot: --last: '%s' is not a positive number of runs", arg);
            return -1;
        }
        c->last = (size_t)v;
        return 0;
    case O_ONE: c->po.grid = 0; return 0;
    case O_GIT: c->git_order = 1; return 0;
    case O_THR:
        if (policy_option("threshold", arg, co, &e) < 0) {
            die_msg("plot: --threshold: %s", e.msg);
            return -1;
        }
        c->have_threshold = 1;
        return 0;
    case O_THRS: c->thresholds = arg; return 0;
    case O_KIND:
        if (strcmp(arg, "box") && strcmp(arg, "hist")) {
            die_msg("plot: --kind: '%s' is not box or hist", arg);
            return -1;
        }
        c->po.dist = arg[0] == 'h' ? PLOT_DIST_HIST : PLOT_DIST_BOX;
        return 0;
    case O_BENCH: c->bench = arg; return 0;
    default: return 1;
    }
}

/* What the options say together: --out and --format agree, the filter is
 * a regular expression; -1 said. */
static int check_cli(const struct cli *c)
{
    const char *out = c->po.out;

    if (out && c->have_format && (has_ext(out, ".png") || has_ext(out, ".svg")) &&
        has_ext(out, ".svg") != (c->po.format == PLOT_SVG)) {
        die_msg("plot: --out %s and --format %s disagree", out,
                c->po.format == PLOT_SVG ? "svg" : "png");
        return -1;
    }
    if (c->filter) {
        regex_t re;
        if (cmd_filter("plot", c->filter, &re) < 0)
            return -1;
        regfree(&re);
    }
    return 0;
}

static int parse(int argc, char **argv, struct cli *c, struct compare_opts *co)
{
    const char *kind = argv[0];
    int opt, li = 0, rc;
    size_t k;

    for (k = 0; k < sizeof kinds / sizeof *kinds && strcmp(kinds[k], kind); k++)
        ;
    if (k == sizeof kinds / sizeof *kinds) {
        die_msg("plot: '%s' is not a kind of plot (trend, compare, dist, latency, load, "
                "curve, capacity)", kind);
        return -1;
    }
    c->kind = (enum kind)k;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", lopts, &li)) != -1) {
        unsigned ks = opt_kinds(opt);
        if (ks && !(ks & 1u << c->kind)) {
            die_msg("plot %s: --%s is not an option of this kind (see 'pacer plot --help')",
                    kind, lopts[li].name);
            return -1;
        }
        rc = set_option(c, co, opt, optarg);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        if (opt == 'h') {
            usage(stdout);
            exit(EXIT_OK);
        }
        fprintf(stderr, "see 'pacer plot --help'\n");
        return -1;
    }
    return check_cli(c);
}

/* Read every file; *rs gets n results (free with free_results). */
static int load_all(char **paths, size_t n, struct result **rs)
{
    struct err e = {0};
    size_t i;

    *rs = calloc(n ? n : 1, sizeof **rs);
    if (!*rs) {
        die_msg("out of memory");
        return -1;
    }
    for (i = 0; i < n; i++)
        result_init(&(*rs)[i]);
    for (i = 0; i < n; i++)
        if (import_load(paths[i], &(*rs)[i], NULL, &e) < 0) {
            die_msg("%s", e.msg);
            return -1;
        }
    return 0;
}

static void free_results(struct result *rs, size_t n)
{
    size_t i;

    for (i = 0; rs && i < n; i++)
        result_free(&rs[i]);
    free(rs);
}

/* The trend and its picture; 0, or -1 said. */
static int plot_trend_cmd(const struct cli *c, char **paths, size_t n)
{
    struct trend_opts to;
    struct trend t;
    struct err e = {0};
    int rc;

    trend_opts_default(&to);
    to.filter = c->filter;
    to.last = c->last;
    to.git_order = c->git_order;
    rc = trend_cli_build(paths, n, &to, NULL, &t);
    if (rc == 0 && plot_trend(&t, &c->po, &e) < 0) {
        die_msg("%s", e.msg);
        rc = -1;
    }
    trend_free(&t);
    return rc;
}

static int plot_compare_cmd(const struct cli *c, struct compare_opts *co, char **paths, size_t n,
                            struct err *e)
{
    struct compare_files_opts fo = {c->thresholds, c->have_threshold, 0, c->filter};
    struct compare_files cf = {0};
    int rc;

    if (n < 1 || n > 2) {
        err_set(e, "plot compare: expected BASE NEW (or one A/B result), got %zu file%s", n,
                n == 1 ? "" : "s");
        return -1;
    }
    rc = compare_files(paths, n, &fo, co, &cf, e);
    if (rc == 1)
        rc = err_set(e, "plot compare: %s is one run: give a base to compare with", paths[0]);
    else if (rc == 0)
        rc = plot_compare(&cf.cmp, &c->po, e);
    compare_files_free(&cf);
    return rc;
}

/* plot capacity: the benchmark named (or the first with a search). */
static int plot_capacity_cmd(const struct result *r, const char *bench, const struct plot_opts *o,
                             struct err *e)
{
    size_t i;

    for (i = 0; i < r->nbenches; i++)
        if (bench ? !strcmp(r->benches[i].name, bench) : r->benches[i].capacity != NULL)
            return plot_capacity(&r->benches[i], o, e);
    if (bench)
        return err_set(e, "no benchmark named '%s'", bench);
    return err_set(e, "no capacity search (pacer load --capacity, a scenario's \"capacity\")");
}

int cmd_plot(int argc, char **argv)
{
    struct cli c;
    struct compare_opts co;
    struct result *rs = NULL;
    const struct result **rp = NULL;
    struct err e = {0};
    char **paths;
    size_t n = 0, i;
    int rc = EXIT_BAD_INPUT;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    memset(&c, 0, sizeof c);
    plot_opts_default(&c.po);
    compare_opts_default(&co);
    if (parse(argc - 1, argv + 1, &c, &co) < 0)
        goto cleanup;
    paths = argv + 1 + optind;
    n = (size_t)(argc - 1 - optind);
    if (n == 0) {
        die_msg("plot %s: no file given (see 'pacer plot --help')", kinds[c.kind]);
        goto cleanup;
    }
    c.po.names = (const char *const *)paths;
    switch (c.kind) {
    case K_TREND:
        if (plot_trend_cmd(&c, paths, n) < 0)
            goto cleanup;
        break;
    case K_COMPARE:
        if (plot_compare_cmd(&c, &co, paths, n, &e) < 0)
            goto fail;
        break;
    case K_LOAD:
    case K_CURVE:
    case K_CAPACITY:
        if (n != 1) {
            die_msg("plot %s: expected one result file, got %zu", kinds[c.kind], n);
            goto cleanup;
        }
        /* fall through */
    case K_DIST:
    case K_LATENCY:
        if (load_all(paths, n, &rs) < 0)
            goto cleanup;
        rp = calloc(n, sizeof *rp);
        if (!rp) {
            die_msg("out of memory");
            goto cleanup;
        }
        for (i = 0; i < n; i++)
            rp[i] = &rs[i];
        if ((c.kind == K_DIST && plot_dist(rp, n, c.filter, &c.po, &e) < 0) ||
            (c.kind == K_LATENCY && plot_latency(rp, n, c.filter, &c.po, &e) < 0) ||
            (c.kind == K_LOAD && plot_load(rp[0], c.bench, &c.po, &e) < 0) ||
            (c.kind == K_CURVE && plot_curve(rp[0], c.filter, &c.po, &e) < 0) ||
            (c.kind == K_CAPACITY && plot_capacity_cmd(rp[0], c.bench, &c.po, &e) < 0)) {
            if (c.kind == K_LOAD || c.kind == K_CURVE || c.kind == K_CAPACITY)
                err_prefix(&e, "%s", paths[0]);
            goto fail;
        }
        break;
    }
    if (!c.po.grid)
        printf("%s/\n", c.po.out ? c.po.out : "plot-trend");
    else if (c.po.out && (has_ext(c.po.out, ".png") || has_ext(c.po.out, ".svg")))
        printf("%s\n", c.po.out);
    else if (c.po.out)
        printf("%s.%s\n", c.po.out, c.po.format == PLOT_SVG ? "svg" : "png");
    else
        printf("plot-%s.%s\n", kinds[c.kind], c.po.format == PLOT_SVG ? "svg" : "png");
    rc = EXIT_OK;
    goto cleanup;
fail:
    die_msg("%s", e.msg);
cleanup:
    free(rp);
    free_results(rs, n);
    compare_opts_free(&co);
    return rc;
}
