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
"Google Benchmark, hyperfine and pytest-benchmark files alike), orders the\n"
"runs by commit time then run time (hyperfine's, which hold no time, by file\n"
"name), follows each benchmark over the runs (a run's median, or its\n"
"processes' medians' median, from its samples) and prints where its level\n"
"moved: the run and commit, the levels before and after, the change and its\n"
"p-value.  Runs too few to test\n"
"are named.  Change points are found by E-divisive means\n"
"(Matteson and James 2014) in the deterministic form of Hunter: the split\n"
"with the largest energy statistic, kept when a test of the two sides is\n"
"significant, recursively, over the whole history and over windows of it.\n"
"A change of machine (fingerprint) breaks the history: change points are\n"
"sought on each machine's runs apart.\n"
"\n"
"  --filter REGEX        only benchmarks whose name matches\n"
"  --last N              only the newest N runs\n"
"  --git-order           order the runs by `git rev-list --topo-order HEAD`\n"
"                        (runs of commits not listed go last)\n"
"  --git-dir DIR         the repository for --git-order (implies it;\n"
"                        default: the current directory)\n"
"  --test mann-whitney|welch\n"
"                        the test of a split: Mann-Whitney's rank test, with\n"
"                        medians as the levels (default; one wild run moves it\n"
"                        by one rank), or Welch's t-test with means (Hunter's)\n"
"  --pvalue P            keep a split when the test gives p below P\n"
"                        (default 0.001)\n"
"  --min-size N          runs on each side of a change point at least\n"
"                        (default 5)\n"
"  --min-change PCT      drop change points that move the level less\n"
"                        (default 1%%)\n"
"  --window N            runs in a window of the first pass (default 50;\n"
"                        0: the whole history only)\n"
"  --fail-on-new         exit 1 when the newest run is at a worse level than\n"
"                        the one before it in some benchmark\n"
"  --format table|markdown|json|csv\n"
"  --plot DIR            also draw DIR/trend.png (gnuplot)\n"
"  --store FILE          read the runs from this store (pacer store) and add\n"
"                        the files it lacks; a single DIR holding a store\n"
"                        (DIR/pacer.db) uses it without being asked\n"
"\n"
"exit codes: 0 done, 1 a regression at the newest run with --fail-on-new,\n"
"2 usage error or bad input (unreadable or malformed files, nothing to\n"
"follow)\n");
}

struct cli {
    const char *format, *plot, *store;
    int fail_on_new;
};

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("trend: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int parse(int argc, char **argv, struct cli *c, struct trend_opts *o)
{
    enum { O_FILTER = 256, O_LAST, O_GIT, O_GITDIR, O_TEST, O_P, O_MIN, O_CHANGE, O_WINDOW,
           O_FAIL, O_FORMAT, O_PLOT, O_STORE };
    static const struct option lopts[] = {
        {"filter", required_argument, 0, O_FILTER}, {"last", required_argument, 0, O_LAST},
        {"git-order", no_argument, 0, O_GIT}, {"git-dir", required_argument, 0, O_GITDIR},
        {"test", required_argument, 0, O_TEST},
        {"pvalue", required_argument, 0, O_P}, {"min-size", required_argument, 0, O_MIN},
        {"min-change", required_argument, 0, O_CHANGE},
        {"window", required_argument, 0, O_WINDOW},
        {"fail-on-new", no_argument, 0, O_FAIL}, {"format", required_argument, 0, O_FORMAT},
        {"plot", required_argument, 0, O_PLOT}, {"store", required_argument, 0, O_STORE},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
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
        case O_TEST:
            if (cp_test_parse(optarg, &o->cp.test) < 0)
                return bad("test", optarg, "mann-whitney or welch");
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
        case O_WINDOW:
            if (fmt_parse_count(optarg, &u) < 0 || u > 100000000)
                return bad("window", optarg, "a count of runs (0: none)");
            o->cp.window = (size_t)u;
            break;
        case O_FAIL: c->fail_on_new = 1; break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "markdown") &&
                strcmp(optarg, "json") && strcmp(optarg, "csv"))
                return bad("format", optarg, "table, markdown, json or csv");
            c->format = optarg;
            break;
        case O_PLOT: c->plot = optarg; break;
        case O_STORE: c->store = optarg; break;
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

/* ---- rows every format shares -------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

/* One row of a report: a change point of a series, or a change of machine
 * it crosses whose level moved (brk set). */
struct row {
    const struct trend_series *s;
    size_t index;             /* of the point */
    double before, after, change, p, q;
    const struct trend_break *brk;
};

/* The rows of t in series order, each series' by index, into a new array
 * *out (NULL when there are none).  -1 when out of memory. */
static int rows_of(const struct trend *t, struct row **out, size_t *nrows)
{
    struct row *v = NULL;
    size_t i, n = 0, cap = 0;

    for (i = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];
        size_t c = 0, b = 0;

        while (c < s->ncps || b < s->nbreaks) {
            int is_cp = b == s->nbreaks || (c < s->ncps && s->cps[c].index < s->breaks[b].index);
            struct row r = {s, 0, 0, 0, 0, NAN, NAN, NULL};

            if (is_cp) {
                const struct changepoint *k = &s->cps[c++];

                r = (struct row){s, k->index, k->before, k->after, k->change, k->pvalue, k->q,
                                 NULL};
            } else {
                const struct trend_break *k = &s->breaks[b++];

                if (!k->moved)
                    continue;
                r = (struct row){s, k->index, k->before, k->after, k->change, NAN, NAN, k};
            }
            if (n == cap) {
                struct row *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);

                if (!nv) {
                    free(v);
                    return -1;
                }
                v = nv;
            }
            v[n++] = r;
        }
    }
    *out = v;
    *nrows = n;
    return 0;
}

static const struct trend_run *run_of(const struct trend *t, const struct row *r)
{
    return &t->runs[r->s->pts[r->index].run];
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
    int n;

    n = snprintf(buf, len, "%zu run%s, %zu benchmark%s, %zu change point%s", t->nruns,
                 t->nruns == 1 ? "" : "s", t->nseries, t->nseries == 1 ? "" : "s", k,
                 k == 1 ? "" : "s");
    if (t->nmachines && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, ", %zu change%s of machine", t->nmachines,
                 t->nmachines == 1 ? "" : "s");
    return buf;
}

#define LIST_MAX 5   /* names or runs listed in a line, then "and N more" */

/* The changes of machine, one line: where, and from which fingerprint to
 * which. */
static void machines_line(FILE *f, const struct trend *t, report_name_fn put_name,
                          const char *end)
{
    size_t i;

    if (!t->nmachines)
        return;
    fputs("machine changed at ", f);
    for (i = 0; i < t->nmachines && i < LIST_MAX; i++) {
        const struct trend_machine *m = &t->machines[i];

        fputs(i ? ", " : "", f);
        put_name(f, base_name(t->runs[m->run].file));
        fprintf(f, " (%.16s -> %.16s)", m->from ? m->from : "none", m->to ? m->to : "none");
    }
    if (t->nmachines > LIST_MAX)
        fprintf(f, " and %zu more", t->nmachines - LIST_MAX);
    fprintf(f, ": change points are sought on each machine's runs apart%s", end);
}

/* The benchmarks with runs too few to test, one line. */
static void untested_line(FILE *f, const struct trend *t, report_name_fn put_name,
                          const char *end)
{
    size_t i, k = 0, all = 0;

    for (i = 0; i < t->nseries; i++) {
        k += t->series[i].untested > 0;
        all += t->series[i].untested == t->series[i].n;
    }
    if (!k)
        return;
    fprintf(f, "too few runs to test for change points (fewer than %zu in a row%s): ", t->min_runs,
            t->nmachines ? " on one machine" : "");
    if (all == t->nseries && t->nseries > LIST_MAX) {
        fprintf(f, "all %zu benchmarks%s", t->nseries, end);
        return;
    }
    for (i = 0, k = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];

        if (!s->untested)
            continue;
        if (k++ == LIST_MAX)
            continue;
        fputs(k > 1 ? ", " : "", f);
        put_name(f, s->name);
        fputs(" (", f);
        if (s->untested < s->n)
            fprintf(f, "%zu of ", s->untested);
        fprintf(f, "%zu run%s)", s->n, s->n == 1 ? "" : "s");
    }
    if (k > LIST_MAX)
        fprintf(f, " and %zu more", k - LIST_MAX);
    fputs(end, f);
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

/* The lines after the rows, each ended by end (markdown: a paragraph
 * each). */
static void footer(FILE *f, const struct trend *t, const char *worse, report_name_fn put_name,
                   const char *end)
{
    machines_line(f, t, put_name, end);
    untested_line(f, t, put_name, end);
    regressed_line(f, t, worse, put_name);
}

/* ---- formats -------------------------------------------------------------- */

struct row_cells {
    char before[32], after[32], change[48], p[24], commit[16];
};

/* "+5.2% slower", "-3.0% faster" (slower: worse by the direction), or
 * "+5.2% machine changed"; p and commit "-" for a change of machine: it is
 * the machine's, not a commit's. */
static void cells(const struct trend *t, const struct row *r, struct row_cells *k)
{
    const struct trend_run *run = run_of(t, r);
    char pct[24];

    fmt_value(k->before, sizeof k->before, r->before, r->s->unit);
    fmt_value(k->after, sizeof k->after, r->after, r->s->unit);
    report_pct(pct, sizeof pct, r->change);
    if (r->brk) {
        snprintf(k->change, sizeof k->change, "%s machine changed", pct);
        snprintf(k->p, sizeof k->p, "-");
        snprintf(k->commit, sizeof k->commit, "-");
        return;
    }
    snprintf(k->change, sizeof k->change, "%s %s", pct,
             trend_worse(r->s->dir, r->change) ? "slower" : "faster");
    report_p(k->p, sizeof k->p, r->p);
    snprintf(k->commit, sizeof k->commit, "%.7s", run->commit ? run->commit : "-");
}

static int print_table(FILE *f, const struct trend *t)
{
    static const char *head[] = {"benchmark", "run", "commit", "before", "after", "change", "p"};
    struct row *rows;
    struct table tb;
    char line[256];
    size_t i, n;

    if (rows_of(t, &rows, &n) < 0)
        return -1;
    if (n) {
        table_init(&tb, 7);
        table_add(&tb, head);
        for (i = 0; i < n; i++) {
            struct row_cells k;
            const char *row[7];

            char name[ESCAPE_MAX];

            cells(t, &rows[i], &k);
            row[0] = escape_term(name, sizeof name, rows[i].s->name);
            row[1] = base_name(run_of(t, &rows[i])->file);
            row[2] = k.commit;
            row[3] = k.before;
            row[4] = k.after;
            row[5] = k.change;
            row[6] = k.p;
            table_add(&tb, row);
        }
        table_print(&tb, f);
        table_free(&tb);
    }
    free(rows);
    fprintf(f, "%s\n", summary(line, sizeof line, t));
    footer(f, t, "worse at the newest run: ", escape_term_put, "\n");
    return 0;
}

static int print_markdown(FILE *f, const struct trend *t)
{
    struct row *rows;
    char line[256];
    size_t i, n;

    if (rows_of(t, &rows, &n) < 0)
        return -1;
    fprintf(f, "### pacer trend: %s\n\n", summary(line, sizeof line, t));
    if (n) {
        fprintf(f, "| benchmark | run | commit | before | after | change | p |\n");
        fprintf(f, "|---|---|---|---:|---:|---:|---:|\n");
        for (i = 0; i < n; i++) {
            const struct row *r = &rows[i];
            int w = !r->brk && trend_worse(r->s->dir, r->change);
            struct row_cells k;

            cells(t, r, &k);
            fputs("| ", f);
            escape_md_code(f, r->s->name, 1);
            fputs(" | ", f);
            escape_md_code(f, base_name(run_of(t, r)->file), 1);
            fprintf(f, " | %s | %s | %s | %s%s%s | %s |\n", k.commit, k.before, k.after,
                    w ? "**" : "", k.change, w ? "**" : "", k.p);
        }
        fputc('\n', f);
    }
    free(rows);
    footer(f, t, "Worse at the newest run: ", escape_md_put, "\n\n");
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

static json_t *json_runs(const struct trend *t)
{
    json_t *runs = json_array();
    size_t i;

    for (i = 0; i < t->nruns; i++) {
        const struct trend_run *r = &t->runs[i];

        json_array_append_new(runs, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "file", r->file,
                                              "time", str_or_null(r->time), "commit",
                                              str_or_null(r->commit), "commit_time",
                                              str_or_null(r->commit_time), "branch",
                                              str_or_null(r->branch), "fingerprint",
                                              str_or_null(r->fingerprint)));
    }
    return runs;
}

static json_t *json_machines(const struct trend *t)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < t->nmachines; i++) {
        const struct trend_machine *m = &t->machines[i];

        json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:o}", "run", (json_int_t)m->run,
                                           "file", t->runs[m->run].file, "from",
                                           str_or_null(m->from), "to", str_or_null(m->to)));
    }
    return a;
}

static json_t *json_points(const struct trend_series *s)
{
    json_t *pts = json_array();
    size_t j;

    for (j = 0; j < s->n; j++) {
        const struct trend_point *p = &s->pts[j];

        json_array_append_new(pts, json_pack("{s:I, s:o, s:o, s:I}", "run", (json_int_t)p->run,
                                             "median", num(p->value), "ci",
                                             isfinite(p->lo) && isfinite(p->hi)
                                                 ? json_pack("[f, f]", p->lo, p->hi)
                                                 : json_null(),
                                             "n", (json_int_t)p->n));
    }
    return pts;
}

/* A series' change points, and its changes of machine. */
static void json_changes(const struct trend *t, const struct trend_series *s, json_t **cps,
                         json_t **brks)
{
    size_t j;

    *cps = json_array();
    *brks = json_array();
    for (j = 0; j < s->ncps; j++) {
        const struct changepoint *c = &s->cps[j];
        const struct trend_run *r = &t->runs[s->pts[c->index].run];

        json_array_append_new(*cps, json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o, "
                                              "s:b}",
                                              "index", (json_int_t)c->index, "run",
                                              (json_int_t)s->pts[c->index].run, "file", r->file,
                                              "commit", str_or_null(r->commit), "before",
                                              num(c->before), "after", num(c->after), "change",
                                              num(c->change), "p", num(c->pvalue), "q",
                                              num(c->q), "worse", trend_worse(s->dir, c->change)));
    }
    for (j = 0; j < s->nbreaks; j++) {
        const struct trend_break *k = &s->breaks[j];

        json_array_append_new(*brks, json_pack("{s:I, s:I, s:s, s:o, s:o, s:o}", "index",
                                               (json_int_t)k->index, "run",
                                               (json_int_t)s->pts[k->index].run, "file",
                                               t->runs[s->pts[k->index].run].file, "before",
                                               num(k->before), "after", num(k->after), "change",
                                               num(k->change)));
    }
}

static int print_json(FILE *f, const struct trend *t)
{
    json_t *o = json_object(), *benches = json_array(), *w = json_array();
    size_t i;

    for (i = 0; i < t->nseries; i++) {
        const struct trend_series *s = &t->series[i];
        json_t *b = json_object(), *cps, *brks;

        json_changes(t, s, &cps, &brks);
        json_object_set_new(b, "name", json_string(s->name));
        json_object_set_new(b, "unit", json_string(s->unit));
        json_object_set_new(b, "direction", json_string(direction_name(s->dir)));
        json_object_set_new(b, "points", json_points(s));
        json_object_set_new(b, "change_points", cps);
        json_object_set_new(b, "machine_changes", brks);
        json_object_set_new(b, "untested", json_integer((json_int_t)s->untested));
        json_object_set_new(b, "worse_at_newest",
                            json_boolean(trend_series_regressed(t, s)));
        json_array_append_new(benches, b);
    }
    for (i = 0; i < t->nwarnings; i++)
        json_array_append_new(w, json_string(t->warnings[i]));
    json_object_set_new(o, "runs", json_runs(t));
    json_object_set_new(o, "benchmarks", benches);
    json_object_set_new(o, "change_points", json_integer((json_int_t)count_cps(t)));
    json_object_set_new(o, "machine_changes", json_machines(t));
    json_object_set_new(o, "min_runs", json_integer((json_int_t)t->min_runs));
    json_object_set_new(o, "new_regression", json_boolean(trend_new_regression(t)));
    json_object_set_new(o, "warnings", w);
    json_dumpf(o, f, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(o);
    return 0;
}

static int print_csv(FILE *f, const struct trend *t)
{
    struct row *rows;
    size_t i, n;

    if (rows_of(t, &rows, &n) < 0)
        return -1;
    fprintf(f, "benchmark,unit,direction,run,file,commit,time,before,after,change,"
               "p,q,verdict\r\n");
    for (i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        const struct trend_run *run = run_of(t, r);

        csv_str(f, r->s->name);
        fputc(',', f);
        csv_str(f, r->s->unit);
        fputc(',', f);
        csv_str(f, direction_name(r->s->dir));
        fprintf(f, ",%zu,", r->s->pts[r->index].run);
        csv_str(f, run->file);
        fputc(',', f);
        csv_str(f, run->commit && !r->brk ? run->commit : "");
        fputc(',', f);
        csv_str(f, run->time ? run->time : "");
        csv_num(f, r->before);
        csv_num(f, r->after);
        csv_num(f, r->change);
        csv_num(f, r->p);
        csv_num(f, r->q);
        fputc(',', f);
        csv_str(f, r->brk ? "machine changed"
                          : trend_worse(r->s->dir, r->change) ? "slower" : "faster");
        fputs("\r\n", f);
    }
    free(rows);
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
    if (trend_cli_build(argv + optind, (size_t)(argc - optind), &o, c.store, &t) < 0)
        goto cleanup;
    for (i = 0; i < sizeof printers / sizeof printers[0]; i++)
        if (!strcmp(printers[i].name, c.format) && printers[i].print(stdout, &t) < 0) {
            die_msg("trend: out of memory");
            goto cleanup;
        }
    fflush(stdout);
    if (c.plot && draw(&t, c.plot) < 0)
        goto cleanup;
    rc = c.fail_on_new && trend_new_regression(&t) ? EXIT_REGRESSION : EXIT_OK;
cleanup:
    trend_free(&t);
    return rc;
}
