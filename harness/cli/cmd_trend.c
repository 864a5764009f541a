/*
 * cmd_trend.c: `pacer trend DIR|FILES...`: a history of results as series
 * per benchmark, and the runs where a series moved to another level
 * (E-divisive change points, changepoint.h).  One printer per format
 * (table, markdown, json, csv) behind one small table.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cmd.h"
#include "compare/report/escape.h"
#include "compare/report/report.h"
#include "compare/trend.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "plots/plot.h"
#include "trendcli.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer trend [options] DIR|FILE...\n"
"\n"
"Reads a history of results (a directory stands for its *.json files; pacer,\n"
"Google Benchmark and hyperfine files alike), orders the runs by commit time\n"
"then run time, follows each benchmark's median over the runs and prints\n"
"where its level moved: the run and commit, the means before and after, the\n"
"change and its p-value.  Change points are found by E-divisive means\n"
"(Matteson and James 2014) in the deterministic form of Hunter: the split\n"
"with the largest energy statistic, kept when a Welch t-test of the two\n"
"sides is significant, recursively.\n"
"\n"
"  --filter REGEX        only benchmarks whose name matches\n"
"  --last N              only the newest N runs\n"
"  --git-order           order the runs by `git rev-list --topo-order HEAD`\n"
"                        (runs of commits not listed go last)\n"
"  --git-dir DIR         the repository for --git-order (implies it;\n"
"                        default: the current directory)\n"
"  --pvalue P            keep a split when the t-test gives p below P\n"
"                        (default 0.001)\n"
"  --min-size N          runs on each side of a change point at least\n"
"                        (default 5)\n"
"  --min-change PCT      drop change points that move the mean less\n"
"                        (default 1%%)\n"
"  --fail-on-new         exit 1 when the newest run is at a worse level than\n"
"                        the one before it in some benchmark\n"
"  --format table|markdown|json|csv\n"
"  --plot DIR            also draw DIR/trend.png (gnuplot)\n"
"\n"
"exit codes: 0 done, 1 a regression at the newest run with --fail-on-new,\n"
"2 usage error or bad input (unreadable or malformed files, nothing to\n"
"follow)\n");
}

struct cli {
    const char *format, *plot;
    int fail_on_new;
};

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("trend: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int parse(int argc, char **argv, struct cli *c, struct trend_opts *o)
{
    enum { O_FILTER = 256, O_LAST, O_GIT, O_GITDIR, O_P, O_MIN, O_CHANGE, O_FAIL, O_FORMAT,
           O_PLOT };
    static const struct option lopts[] = {
        {"filter", required_argument, 0, O_FILTER}, {"last", required_argument, 0, O_LAST},
        {"git-order", no_argument, 0, O_GIT}, {"git-dir", required_argument, 0, O_GITDIR},
        {"pvalue", required_argument, 0, O_P}, {"min-size", required_argument, 0, O_MIN},
        {"min-change", required_argument, 0, O_CHANGE},
        {"fail-on-new", no_argument, 0, O_FAIL}, {"format", required_argument, 0, O_FORMAT},
        {"plot", required_argument, 0, O_PLOT}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    unsigned long long u;
    double d;
    char *end;
    int opt;

    c->format = "table";
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        switch (opt) {
        case O_FILTER: o->filter = optarg; break;
        case O_LAST:
            if (fmt_parse_count(optarg, &u) < 0 || u < 1 || u > 100000000)
                return bad("last", optarg, "a count from 1 to 100000000");
            o->last = (size_t)u;
            break;
        case O_GIT: o->git_order = 1; break;
        case O_GITDIR:
            o->git_dir = optarg;
            o->git_order = 1;
            break;
        case O_P:
            errno = 0;
            d = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(d > 0 && d < 1))
                return bad("pvalue", optarg, "a probability between 0 and 1");
            o->cp.pvalue = d;
            break;
        case O_MIN:
            if (fmt_parse_count(optarg, &u) < 0 || u < 2 || u > 1000000)
                return bad("min-size", optarg, "a count from 2 to 1000000");
            o->cp.min_size = (size_t)u;
            break;
        case O_CHANGE:
            if (fmt_parse_percent(optarg, &d) < 0 || !(d >= 0 && d < 100))
                return bad("min-change", optarg, "a percentage such as 2%");
            o->cp.min_magnitude = d;
            break;
        case O_FAIL: c->fail_on_new = 1; break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "markdown") &&
                strcmp(optarg, "json") && strcmp(optarg, "csv"))
                return bad("format", optarg, "table, markdown, json or csv");
            c->format = optarg;
            break;
        case O_PLOT: c->plot = optarg; break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        default:
            fprintf(stderr, "see 'pacer trend --help'\n");
            return -1;
        }
    }
    if (optind >= argc) {
        die_msg("trend: give a directory of results or result files (see --help)");
        return -1;
    }
    return 0;
}

/* ---- cells every format shares ------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

static const char *short_commit(const char *c, char *buf, size_t len)
{
    snprintf(buf, len, "%.7s", c ? c : "-");
    return buf;
}

/* "+5.2% slower", "-3.0% faster" (slower: worse by the direction). */
static const char *change_cell(const struct trend_series *s, const struct changepoint *c,
                               char *buf, size_t len)
{
    char pct[24];

    snprintf(buf, len, "%s %s", report_pct(pct, sizeof pct, c->change),
             trend_worse(s->dir, c->change) ? "slower" : "faster");
    return buf;
}

static const struct trend_run *run_of(const struct trend *t, const struct trend_series *s,
                                      const struct changepoint *c)
{
    return &t->runs[s->pts[c->index].run];
}

static size_t count_cps(const struct trend *t)
{
    size_t i, k = 0;

    for (i = 0; i < t->nseries; i++)
        k += t->series[i].ncps;
    return k;
}

static char *summary(char *buf, size_t len, const struct trend *t)
{
    size_t k = count_cps(t);

    snprintf(buf, len, "%zu run%s, %zu benchmark%s, %zu change point%s", t->nruns,
             t->nruns == 1 ? "" : "s", t->nseries, t->nseries == 1 ? "" : "s", k,
             k == 1 ? "" : "s");
    return buf;
}

/* The benchmarks whose newest run is at a worse level, one line. */
static void regressed_line(FILE *f, const struct trend *t, const char *lead,
                           report_name_fn put_name)
{
    size_t i, k = 0;

    for (i = 0; i < t->nseries; i++) {
        if (!trend_series_regressed(t, &t->series[i]))
            continue;
        fputs(k ? ", " : lead, f);
        put_name(f, t->series[i].name);
        k++;
    }
    if (k)
        fputc('\n', f);
}

/* ---- formats -------------------------------------------------------------- */

struct row_cells {
    char before[32], after[32], change[40], p[24], commit[16];
};

static void cells(const struct trend_series *s, const struct changepoint *c,
                  const struct trend_run *r, struct row_cells *k)
{
    fmt_value(k->before, sizeof k->before, c->mean_before, s->unit);
    fmt_value(k->after, sizeof k->after, c->mean_after, s->unit);
    change_cell(s, c, k->change, sizeof k->change);
    report_p(k->p, sizeof k->p, c->pvalue);
    short_commit(r->commit, k->commit, sizeof k->commit);
}

static int print_table(FILE *f, const struct trend *t)
{
    static const char *head[] = {"benchmark", "run", "commit", "before", "after", "change", "p"};
    struct table tb;
    char line[256];
    size_t i, j;

    if (count_cps(t)) {
        table_init(&tb, 7);
        table_add(&tb, head);
        for (i = 0; i < t->nseries; i++) {
            const struct trend_series *s = &t->series[i];

            for (j = 0; j < s->ncps; j++) {
                const struct trend_run *r = run_of(t, s, &s->cps[j]);
                struct row_cells k;
                const char *row[7];
                char name[ESCAPE_MAX];

                cells(s, &s->cps[j], r, &k);
                row[0] = escape_term(name, sizeof name, s->name);
                row[1] = base_name(r->file);
                row[2] = k.commit;
                row[3] = k.before;
                row[4] = k.after;
                row[5] = k.change;
                row[6] = k.p;
                table_add(&tb, row);
            }
        }
        table_print(&tb, f);
        table_free(&tb);
    }
    fprintf(f, "%s\n", summary(line, sizeof line, t));
    regressed_line(f, t, "worse at the newest run: ", escape_term_put);
    return 0;
}

static int print_markdown(FILE *f, const struct trend *t)
{
    char line[256];
    size_t i, j;

    fprintf(f, "### pacer trend: %s\n\n", summary(line, sizeof line, t));
    if (count_cps(t)) {
        fprintf(f, "| benchmark | run | commit | before | after | change | p |\n");
        fprintf(f, "|---|---|---|---:|---:|---:|---:|\n");
        for (i = 0; i < t->nseries; i++) {
            const struct trend_series *s = &t->series[i];

            for (j = 0; j < s->ncps; j++) {
                const struct trend_run *r = run_of(t, s, &s->cps[j]);
                int w = trend_worse(s->dir, s->cps[j].change);
                struct row_cells k;

                cells(s, &s->cps[j], r, &k);
                fputs("| ", f);
                escape_md_code(f, s->name, 1);
                fputs(" | ", f);
                escape_md_code(f, base_name(r->file), 1);
                fprintf(f, " | %s | %s | %s | %s%s%s | %s |\n", k.commit, k.before, k.after,
                        w ? "**" : "", k.change, w ? "**" : "", k.p);
            }
        }
        fputc('\n', f);
    }
    regressed_line(f, t, "Worse at the newest run: ", escape_md_put);
    return 0;
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_json(FILE *f, const struct trend *t)
{
    json_t *o = json_object(), *runs = json_array(), *benches = json_array(), *w = json_array();
    size_t i, j;
    int rc;

    for (i = 0; i < t->nruns; i++) {
        const struct trend_run *r = &t->runs[i];

        json_array_append_new(runs, json_pack("{s:s, s:s, s:o, s:o, s:o}", "file", r->file,
                                              "time", r->time, "commit", str_or_null(r->commit),
                                              "commit_time", str_or_null(r->commit_time),
                                              "branch", str_or_null(r->branch)));
    }
    for (i = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];
        json_t *b = json_object(), *pts = json_array(), *cps = json_array();

        for (j = 0; j < s->n; j++) {
            const struct trend_point *p = &s->pts[j];

            json_array_append_new(pts, json_pack("{s:I, s:o, s:o, s:I}", "run", (json_int_t)p->run,
                                                 "median", num(p->value), "ci",
                                                 isfinite(p->lo) && isfinite(p->hi)
                                                     ? json_pack("[f, f]", p->lo, p->hi)
                                                     : json_null(),
                                                 "n", (json_int_t)p->n));
        }
        for (j = 0; j < s->ncps; j++) {
            const struct changepoint *c = &s->cps[j];
            const struct trend_run *r = run_of(t, s, c);

            json_array_append_new(cps, json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
                                                 "s:b}",
                                                 "index", (json_int_t)c->index, "run",
                                                 (json_int_t)s->pts[c->index].run, "file",
                                                 r->file, "commit", str_or_null(r->commit),
                                                 "mean_before", num(c->mean_before),
                                                 "mean_after", num(c->mean_after), "change",
                                                 num(c->change), "p", num(c->pvalue), "q",
                                                 num(c->q), "worse",
                                                 trend_worse(s->dir, c->change)));
        }
        json_object_set_new(b, "name", json_string(s->name));
        json_object_set_new(b, "unit", json_string(s->unit));
        json_object_set_new(b, "direction", json_string(direction_name(s->dir)));
        json_object_set_new(b, "points", pts);
        json_object_set_new(b, "change_points", cps);
        json_object_set_new(b, "worse_at_newest",
                            json_boolean(trend_series_regressed(t, s)));
        json_array_append_new(benches, b);
    }
    for (i = 0; i < t->nwarnings; i++)
        json_array_append_new(w, json_string(t->warnings[i]));
    json_object_set_new(o, "runs", runs);
    json_object_set_new(o, "benchmarks", benches);
    json_object_set_new(o, "change_points", json_integer((json_int_t)count_cps(t)));
    json_object_set_new(o, "new_regression", json_boolean(trend_new_regression(t)));
    json_object_set_new(o, "warnings", w);
    rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(o);
    return rc;
}

static int print_csv(FILE *f, const struct trend *t)
{
    size_t i, j;

    fprintf(f, "benchmark,unit,direction,run,file,commit,time,mean_before,mean_after,change,"
               "p,q,verdict\r\n");
    for (i = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];

        for (j = 0; j < s->ncps; j++) {
            const struct changepoint *c = &s->cps[j];
            const struct trend_run *r = run_of(t, s, c);

            csv_str(f, s->name);
            fputc(',', f);
            csv_str(f, s->unit);
            fputc(',', f);
            csv_str(f, direction_name(s->dir));
            fprintf(f, ",%zu,", s->pts[c->index].run);
            csv_str(f, r->file);
            fputc(',', f);
            csv_str(f, r->commit ? r->commit : "");
            fputc(',', f);
            csv_str(f, r->time);
            csv_num(f, c->mean_before);
            csv_num(f, c->mean_after);
            csv_num(f, c->change);
            csv_num(f, c->pvalue);
            csv_num(f, c->q);
            fputc(',', f);
            csv_str(f, trend_worse(s->dir, c->change) ? "slower" : "faster");
            fputs("\r\n", f);
        }
    }
    return 0;
}

static const struct {
    const char *name;
    int (*print)(FILE *f, const struct trend *t);
} printers[] = {
    {"table", print_table},
    {"markdown", print_markdown},
    {"json", print_json},
    {"csv", print_csv},
};

/* ---- the command ---------------------------------------------------------- */

static int draw(const struct trend *t, const char *dir)
{
    struct plot_opts po;
    struct err e = {0};
    char *out;

    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        die_msg("trend: --plot: %s: %s", dir, strerror(errno));
        return -1;
    }
    if (asprintf(&out, "%s/trend.png", dir) < 0) {
        die_msg("trend: out of memory");
        return -1;
    }
    plot_opts_default(&po);
    po.out = out;
    po.grid = 1;
    if (plot_trend(t, &po, &e) < 0) {
        die_msg("trend: --plot: %s", e.msg);
        free(out);
        return -1;
    }
    free(out);
    return 0;
}

int cmd_trend(int argc, char **argv)
{
    struct trend_opts o;
    struct trend t = {0};
    struct cli c = {0};
    size_t i;
    int rc = EXIT_BAD_INPUT;

    trend_opts_default(&o);
    if (parse(argc, argv, &c, &o) < 0)
        return EXIT_BAD_INPUT;
    if (trend_cli_build(argv + optind, (size_t)(argc - optind), &o, &t) < 0)
        goto cleanup;
    for (i = 0; i < sizeof printers / sizeof printers[0]; i++)
        if (!strcmp(printers[i].name, c.format))
            printers[i].print(stdout, &t);
    fflush(stdout);
    if (c.plot && draw(&t, c.plot) < 0)
        goto cleanup;
    rc = c.fail_on_new && trend_new_regression(&t) ? EXIT_REGRESSION : EXIT_OK;
cleanup:
    trend_free(&t);
    return rc;
}
