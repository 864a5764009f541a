/*
 * runcmds.c: the command benchmarks of pacer run as hyperfine users know
 * them (runcmds.h): parameters that multiply a command (-L, -P, -D), and
 * the table and summary printed after the run.
 */
#include "runcmds.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare/report/escape.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "harness/run/words.h"

static int bad_value(const char *opt, const char *val, const char *what)
{
    die_msg("run: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

/* s is a finite number (all of it). */
static int parse_number(const char *s, double *v)
{
    char *end;

    *v = strtod(s, &end);
    return end == s || *end || !isfinite(*v) ? -1 : 0;
}

/* A parameter of the commands with these values (taken over). */
static int add_param(struct cmd_params *c, const char *name, char **values, size_t n)
{
    size_t k;

    if (!*name || strpbrk(name, "{}")) {
        words_free(values);
        return bad_value("parameter-list", name, "a parameter name");
    }
    for (k = 0; k < c->n; k++)
        if (!strcmp(c->params[k].name, name)) {
            words_free(values);
            die_msg("run: parameter '%s' given twice", name);
            return -1;
        }
    if (c->n == PLAN_MAX_PARAMS) {
        words_free(values);
        die_msg("run: more than %d parameters (-L, -P)", PLAN_MAX_PARAMS);
        return -1;
    }
    c->values[c->n] = values;
    c->params[c->n].name = name;
    c->params[c->n].values = (const char *const *)values;
    c->params[c->n++].n = n;
    return 0;
}

int cmd_params_option(struct cmd_params *c, int o, int argc, char **argv)
{
    char **v = NULL, *list, *tok, *save = NULL;
    size_t n = 0;

    if (o == 'D') {
        c->scan_step = optarg;
        return 0;
    }
    if (o == 'P') {
        if (optind + 1 >= argc) {
            die_msg("run: -P NAME MIN MAX: give the name, the first and the last value");
            return -1;
        }
        c->scan_name = optarg;
        c->scan_lo = argv[optind++];
        c->scan_hi = argv[optind++];
        return 0;
    }
    if (o != 'L')
        return 1;
    if (optind >= argc) {
        die_msg("run: -L NAME V1,V2,...: give the name and the values");
        return -1;
    }
    if (!(list = strdup(argv[optind++])))
        return -1;
    for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char **nv = realloc(v, (n + 2) * sizeof *nv);
        if (!nv || !(nv[n] = strdup(tok))) {
            free(list);
            words_free(nv ? nv : v);
            return -1;
        }
        nv[++n] = NULL;
        v = nv;
    }
    free(list);
    if (!n)
        return bad_value("parameter-list", argv[optind - 1], "a list of values (a,b,c)");
    return add_param(c, optarg, v, n);
}

int cmd_params_settle(struct cmd_params *c)
{
    double lo, hi, step = 1, x;
    char **v = NULL, buf[64];
    size_t n = 0, k;

    if (c->scan_step && !c->scan_name) {
        die_msg("run: -D sets the step of -P");
        return -1;
    }
    if (!c->scan_name)
        return 0;
    if (parse_number(c->scan_lo, &lo) < 0 || parse_number(c->scan_hi, &hi) < 0 ||
        hi < lo)
        return bad_value("parameter-scan", c->scan_lo, "the first of two numbers MIN <= MAX");
    if (c->scan_step && (parse_number(c->scan_step, &step) < 0 || !(step > 0)))
        return bad_value("parameter-step-size", c->scan_step, "a number above 0");
    n = (size_t)floor((hi - lo) / step + 1e-9) + 1;
    if (n > 10000)
        return bad_value("parameter-scan", c->scan_hi, "within 10000 steps of MIN");
    if (!(v = calloc(n + 1, sizeof *v)))
        return -1;
    for (k = 0; k < n; k++) {
        x = lo + (double)k * step;
        snprintf(buf, sizeof buf, "%.12g", x);
        if (!(v[k] = strdup(buf))) {
            words_free(v);
            return -1;
        }
    }
    return add_param(c, c->scan_name, v, n);
}

void cmd_params_free(struct cmd_params *c)
{
    size_t k;

    for (k = 0; k < c->n; k++)
        words_free(c->values[k]);
    c->n = 0;
}

/* A command that ran and was timed (not counted). */
static int timed_command(const struct bench *b)
{
    return b->kind == KIND_COMMAND && b->nsamples && !b->error && strcmp(b->unit, "instr");
}

void runcmds_table(const struct result *r)
{
    const char *h[] = {"command", "mean ± σ", "min … max", "user", "sys", "max RSS"};
    struct table t;
    size_t i, k;
    int short_runs = 0;

    table_init(&t, 6);
    table_add(&t, h);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        char ms[80], mm[80], a[32], z[32], u[32] = "-", s[32] = "-", m[32] = "-";
        const char *row[6];
        if (!timed_command(b))
            continue;
        for (k = 0; k < b->nmetrics; k++) {
            const struct metric *mt = &b->metrics[k];
            char *dst = !strcmp(mt->name, "user") ? u : !strcmp(mt->name, "sys") ? s
                      : !strcmp(mt->name, "max_rss") ? m : NULL;
            /* user and sys as means: the kernel charges a tick's CPU time
             * to one or the other, so a short run's split is 0 or a tick,
             * and only the mean over the runs estimates it (a median said
             * "sys 0 ns") */
            if (dst && mt->st.n)
                fmt_value(dst, 32, dst == m ? mt->st.median : mt->st.mean, mt->unit);
        }
        short_runs |= b->st.mean < 50e6;
        fmt_value(a, sizeof a, b->st.mean, b->unit);
        fmt_value(z, sizeof z, isfinite(b->st.stddev) ? b->st.stddev : 0, b->unit);
        snprintf(ms, sizeof ms, "%s ± %s", a, z);
        fmt_value(a, sizeof a, b->st.min, b->unit);
        fmt_value(z, sizeof z, b->st.max, b->unit);
        snprintf(mm, sizeof mm, "%s … %s", a, z);
        row[0] = b->name;
        row[1] = ms;
        row[2] = mm;
        row[3] = u;
        row[4] = s;
        row[5] = m;
        table_add(&t, row);
    }
    if (t.nrows > 1) {
        fputc('\n', stdout);
        table_print(&t, stdout);
        if (short_runs)
            fputs("user and sys: means over the runs (the kernel splits CPU time between "
                  "them at its clock ticks: a single run of a few ms is all one or the "
                  "other)\n", stdout);
    }
    table_free(&t);
}

/* The standard error of a median from its 95 % interval. */
static double median_se(const struct stats *st)
{
    return isfinite(st->ci_median.lo) && isfinite(st->ci_median.hi)
               ? (st->ci_median.hi - st->ci_median.lo) / (2 * 1.959964)
               : 0;
}

/* A command given with --cmd (named command/...): those hyperfine would
 * have compared with one another; a suite's commands are separate
 * benchmarks. */
static int cli_command(const struct bench *b)
{
    return timed_command(b) && !strncmp(b->name, "command/", 8) && b->st.median > 0;
}

void runcmds_summary(const struct result *r)
{
    const struct bench *best = NULL;
    size_t i, n = 0;

    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (!cli_command(b))
            continue;
        n++;
        if (!best || b->st.median < best->st.median)
            best = b;
    }
    if (n < 2)
        return;
    printf("\nsummary: '%s' ran\n", best->command ? best->command : best->name);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        double ratio, rel;
        if (b == best || !cli_command(b))
            continue;
        ratio = b->st.median / best->st.median;
        rel = hypot(median_se(&b->st) / b->st.median, median_se(&best->st) / best->st.median);
        printf("  %.2f ± %.2f times faster than '%s'\n", ratio, ratio * rel,
               b->command ? b->command : b->name);
    }
}

/* A value with its unit, for a markdown cell. */
static const char *cell(char *buf, size_t len, double v, const char *unit)
{
    if (!isfinite(v))
        return "-";
    return fmt_value(buf, len, v, unit);
}

void runmd_print(const struct result *r)
{
    const struct bench *best = NULL;
    char a[32], b[32], c[32], d[32];
    size_t i, nerr = 0, nskip = 0, ncmd = 0;

    printf("| benchmark | median | ±95%% CI | CV | samples |\n|:---|---:|---:|---:|---:|\n");
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *x = &r->benches[i];
        const struct stats *st = &x->st;
        nerr += x->error != NULL;
        nskip += x->skipped && !x->error;
        if (!x->nsamples)
            continue;
        if (timed_command(x) && x->st.median > 0)
            ncmd++;
        if (cli_command(x) && (!best || x->st.median < best->st.median))
            best = x;
        fputs("| ", stdout);
        escape_md_code(stdout, x->name, 1);
        printf(" | %s | ", cell(a, sizeof a, st->median, x->unit));
        if (st->median > 0 && isfinite(st->ci_median.lo))
            printf("±%.1f%%", 100 * (st->ci_median.hi - st->ci_median.lo) / 2 / st->median);
        else
            fputs("-", stdout);
        if (isfinite(st->cv))
            printf(" | %.1f%% | %zu |\n", 100 * st->cv, st->n);
        else
            printf(" | - | %zu |\n", st->n);
    }
    if (ncmd) {
        /* hyperfine's --export-markdown, relative to the fastest median */
        printf("\n| command | mean ± σ | min | max | relative |\n|:---|---:|---:|---:|---:|\n");
        for (i = 0; i < r->nbenches; i++) {
            const struct bench *x = &r->benches[i];
            double ratio, rel;
            if (!timed_command(x) || !(x->st.median > 0))
                continue;
            fputs("| ", stdout);
            escape_md_code(stdout, x->command ? x->command : x->name, 1);
            printf(" | %s ± %s | %s | %s | ", cell(a, sizeof a, x->st.mean, x->unit),
                   cell(b, sizeof b, isfinite(x->st.stddev) ? x->st.stddev : 0, x->unit),
                   cell(c, sizeof c, x->st.min, x->unit), cell(d, sizeof d, x->st.max, x->unit));
            if (!best || !cli_command(x)) {
                printf("- |\n");   /* a suite's commands are not compared */
                continue;
            }
            ratio = x->st.median / best->st.median;
            rel = hypot(median_se(&x->st) / x->st.median, median_se(&best->st) / best->st.median);
            if (x == best)
                printf("1.00 |\n");
            else
                printf("%.2f ± %.2f |\n", ratio, ratio * rel);
        }
    }
    if (nskip || nerr)
        fputc('\n', stdout);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *x = &r->benches[i];
        if (!x->error && !x->skipped)
            continue;
        fputs("- ", stdout);
        escape_md_code(stdout, x->name, 0);
        fputs(x->error ? " failed: " : " skipped: ", stdout);
        escape_md_text(stdout, x->error ? x->error->message : x->skipped);
        fputc('\n', stdout);
    }
}
