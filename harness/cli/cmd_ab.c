/*
 * cmd_ab.c: `pacer ab`: a paired A/B run.  Two builds of a suite binary (or
 * of every binary of a suite file, through two build directories), or two
 * commands, run side by side: same iteration count, samples taken as pairs
 * in ABBA order, analysed as per-pair ratios.  Benchmarks that look
 * regressed are measured again (confirmation) and decided on all their
 * pairs.  One result file holds both sides and the analysis.
 */
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare/ab.h"
#include "harness/run/abrun.h"
#include "harness/run/child.h"
#include "cmd.h"
#include "harness/run/cmdbench.h"
#include "compare/compare.h"
#include "harness/result/env.h"
#include "harness/lib/fmt.h"
#include "compare/policy.h"
#include "compare/report/report.h"
#include "harness/result/result_json.h"
#include "harness/run/runner.h"
#include "harness/run/suite.h"

#define LIST_TIMEOUT_NS 30000000000ULL
#define AB_PAIRS_DEFAULT 100
#define AB_PROCESSES_DEFAULT 10

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer ab [options] BASE_BINARY NEW_BINARY\n"
"       pacer ab [options] --base-build DIR --new-build DIR SUITE.json\n"
"       pacer ab [options] --cmd 'BASE COMMAND' --cmd 'NEW COMMAND'\n"
"\n"
"Runs the base and the new build side by side, sample for sample in ABBA\n"
"order at the same iteration count, and decides on the per-pair ratios:\n"
"drift of the machine hits both sides alike and cancels.  Benchmarks that\n"
"look regressed are measured again and decided on all their pairs.\n"
"\n"
"  --pairs N             pairs per benchmark (default %d)\n"
"  --processes K         spread the pairs over K successive pairs of worker\n"
"                        processes, so one memory layout cannot pass for a\n"
"                        change (default %d)\n"
"  --warmup TIME         warmup of each worker (default 50ms)\n"
"  --warmup-runs N       commands: warmup runs of each side (default 1)\n"
"  --sample-time TIME    target time of one micro sample (default 10ms)\n"
"  --timeout TIME        per pair of worker processes (default 60s)\n"
"  --filter REGEX        only benchmarks whose full name matches\n"
"  --base-build DIR, --new-build DIR   what {build} means in SUITE.json\n"
"  --shell, --prepare CMD, --cleanup CMD   as in pacer run, for --cmd\n"
"  --no-confirm          decide on the first pairs alone\n"
"  --threshold PCT       changes within +-PCT are unchanged (default 1%%)\n"
"  --thresholds FILE, --limit EXPR, --correction holm|bh|none, --alpha A,\n"
"  --require-conclusive   as in pacer compare (a suite file's \"compare\"\n"
"                        section applies by default)\n"
"  --out FILE, --save DIR   write the A/B result (both sides, the analysis)\n"
"  --format table|markdown|json|csv, --color auto|always|never, -q\n"
"\n"
"exit codes: 0 nothing regressed, 1 a regression or a failed limit, 2 bad\n"
"input, 3 a benchmark failed or the run was interrupted\n",
            AB_PAIRS_DEFAULT, AB_PROCESSES_DEFAULT);
}

/* One benchmark to pair. */
struct abjob {
    const char *suite;
    const char *base_bin, *new_bin;   /* micro */
    const struct listed *li;
    const struct cmd_spec *base_cmd, *new_cmd;   /* command */
    const char *name;                 /* command benchmarks */
};

struct abcli {
    struct settings set;
    const char *filter, *out, *save, *format, *color, *thresholds;
    const char *base_build, *new_build, *prepare, *cleanup;
    const char *cmds[2];
    int ncmds, shell, quiet, confirm, require_conclusive, have_threshold, have_drift;
};

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("ab: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int parse(int argc, char **argv, struct abcli *c, struct compare_opts *o)
{
    enum { O_PAIRS = 256, O_PROCS, O_WARM, O_WRUNS, O_STIME, O_TIMEOUT, O_FILTER, O_BASEB, O_NEWB, O_CMD,
           O_SHELL, O_PREP, O_CLEAN, O_NOCONF, O_THR, O_THRS, O_LIMIT, O_CORR, O_ALPHA, O_REQ,
           O_OUT, O_SAVE, O_FORMAT, O_COLOR, O_SEED };
    static const struct option lopts[] = {
        {"pairs", required_argument, 0, O_PAIRS}, {"samples", required_argument, 0, O_PAIRS},
        {"processes", required_argument, 0, O_PROCS},
        {"warmup", required_argument, 0, O_WARM}, {"warmup-runs", required_argument, 0, O_WRUNS},
        {"sample-time", required_argument, 0, O_STIME},
        {"timeout", required_argument, 0, O_TIMEOUT}, {"filter", required_argument, 0, O_FILTER},
        {"base-build", required_argument, 0, O_BASEB}, {"new-build", required_argument, 0, O_NEWB},
        {"cmd", required_argument, 0, O_CMD}, {"shell", no_argument, 0, O_SHELL},
        {"prepare", required_argument, 0, O_PREP}, {"cleanup", required_argument, 0, O_CLEAN},
        {"no-confirm", no_argument, 0, O_NOCONF}, {"threshold", required_argument, 0, O_THR},
        {"thresholds", required_argument, 0, O_THRS}, {"limit", required_argument, 0, O_LIMIT},
        {"correction", required_argument, 0, O_CORR}, {"alpha", required_argument, 0, O_ALPHA},
        {"require-conclusive", no_argument, 0, O_REQ}, {"out", required_argument, 0, O_OUT},
        {"save", required_argument, 0, O_SAVE}, {"format", required_argument, 0, O_FORMAT},
        {"color", required_argument, 0, O_COLOR}, {"seed", required_argument, 0, O_SEED},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    unsigned long long v;
    struct err e = {0};
    int opt, li = 0;

    settings_default(&c->set);
    c->set.samples = AB_PAIRS_DEFAULT;
    c->set.processes = AB_PROCESSES_DEFAULT;
    c->set.warmup_ns = 50000000ULL;
    c->format = "table";
    c->color = "auto";
    c->confirm = 1;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", lopts, &li)) != -1) {
        switch (opt) {
        case O_PAIRS:
            if (fmt_parse_count(optarg, &v) < 0 || v < 2 || v > 100000)
                return bad("pairs", optarg, "a count from 2 to 100000");
            c->set.samples = (unsigned)v;
            break;
        case O_PROCS:
            if (fmt_parse_count(optarg, &v) < 0 || v < 1 || v > 1000)
                return bad("processes", optarg, "a count from 1 to 1000");
            c->set.processes = (unsigned)v;
            break;
        case O_WARM:
            if (fmt_parse_duration(optarg, &c->set.warmup_ns) < 0)
                return bad("warmup", optarg, "a duration (e.g. 100ms)");
            break;
        case O_WRUNS:
            if (fmt_parse_count(optarg, &v) < 0 || v > 100000)
                return bad("warmup-runs", optarg, "a count");
            c->set.warmup_runs = (unsigned)v;
            break;
        case O_STIME:
            if (fmt_parse_duration(optarg, &c->set.sample_target_ns) < 0 ||
                !c->set.sample_target_ns)
                return bad("sample-time", optarg, "a duration above zero");
            break;
        case O_TIMEOUT:
            if (fmt_parse_duration(optarg, &c->set.timeout_ns) < 0 || !c->set.timeout_ns)
                return bad("timeout", optarg, "a duration above zero");
            break;
        case O_FILTER: c->filter = optarg; break;
        case O_BASEB: c->base_build = optarg; break;
        case O_NEWB: c->new_build = optarg; break;
        case O_CMD:
            if (c->ncmds == 2) {
                die_msg("ab: give --cmd twice: the base command, then the new one");
                return -1;
            }
            c->cmds[c->ncmds++] = optarg;
            break;
        case O_SHELL: c->shell = 1; break;
        case O_PREP: c->prepare = optarg; break;
        case O_CLEAN: c->cleanup = optarg; break;
        case O_NOCONF: c->confirm = 0; break;
        case O_THR:
        case O_LIMIT:
        case O_CORR:
        case O_ALPHA:
            if (policy_option(lopts[li].name, optarg, o, &e) < 0) {
                die_msg("ab: --%s: %s", lopts[li].name, e.msg);
                return -1;
            }
            if (opt == O_THR)
                c->have_threshold = 1;
            break;
        case O_THRS: c->thresholds = optarg; break;
        case O_REQ: c->require_conclusive = 1; break;
        case O_OUT: c->out = optarg; break;
        case O_SAVE: c->save = optarg; break;
        case O_FORMAT:
        case O_COLOR:
            if (report_option(lopts[li].name, optarg, &c->format, &c->color, &e) < 0) {
                die_msg("ab: --%s: %s", lopts[li].name, e.msg);
                return -1;
            }
            break;
        case O_SEED:
            if (fmt_parse_count(optarg, &v) < 0 || v > (1ULL << 62))
                return bad("seed", optarg, "a non-negative integer below 2^62");
            c->set.seed = o->seed = v;
            break;
        case 'q': c->quiet = 1; break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        default:
            fprintf(stderr, "see 'pacer ab --help'\n");
            return -1;
        }
    }
    return 0;
}

struct plan {
    struct abjob *jobs;
    size_t njobs;
    struct listing lists[64][2];
    char *bins[64][2];
    size_t nbin;
    struct suite suites[2];
    int have_suites;
    struct cmd_spec cmds[2];
    char *base_label, *new_label, *suite_name;
    const char *compiler, *cflags;
};

static int add_job(struct plan *p, const struct abjob *j)
{
    struct abjob *nj = realloc(p->jobs, (p->njobs + 1) * sizeof *nj);

    if (!nj)
        return -1;
    nj[p->njobs++] = *j;
    p->jobs = nj;
    return 0;
}

/* A pair of binaries: their common benchmarks become jobs; the others are
 * reported as on one side only. */
static int plan_binaries(struct plan *p, const char *base, const char *nw, const char *filter,
                         const regex_t *re, struct result *r)
{
    struct listing *lb, *ln;
    struct err e = {0};
    const char *suite = runner_suite_name(nw);
    regex_t fre;
    size_t i;

    if (p->nbin == 64) {
        die_msg("ab: more than 64 suite binaries");
        return -1;
    }
    lb = &p->lists[p->nbin][0];
    ln = &p->lists[p->nbin][1];
    if (runner_list(base, LIST_TIMEOUT_NS, lb, &e) < 0) {
        die_msg("%s: %s", base, e.msg);
        listing_free(lb);
        return -1;
    }
    if (runner_list(nw, LIST_TIMEOUT_NS, ln, &e) < 0) {
        die_msg("%s: %s", nw, e.msg);
        listing_free(lb);
        listing_free(ln);
        return -1;
    }
    p->bins[p->nbin][0] = strdup(base);
    p->bins[p->nbin][1] = strdup(nw);
    p->nbin++;
    if (!p->compiler) {
        p->compiler = ln->compiler;
        p->cflags = ln->cflags;
    }
    if (filter && regcomp(&fre, filter, REG_EXTENDED | REG_NOSUB) != 0) {
        die_msg("ab: filter '%s' is not a valid regular expression", filter);
        return -1;
    }
    for (i = 0; i < ln->n; i++) {
        const struct listed *li = &ln->items[i];
        struct abjob j = {.suite = suite, .base_bin = p->bins[p->nbin - 1][0],
                          .new_bin = p->bins[p->nbin - 1][1], .li = li};
        if (!runner_matches(re, suite, li->name) || (filter && regexec(&fre, li->name, 0, NULL, 0)))
            continue;
        if (listing_find(lb, li->name)) {
            if (add_job(p, &j) < 0)
                return -1;
        } else {
            /* Only in the new build: listed, not measured. */
            struct bench *b = result_add_bench(r);
            size_t len = strlen(suite) + strlen(li->name) + 2;
            if (!b || !(b->name = malloc(len)))
                return -1;
            snprintf(b->name, len, "%s/%s", suite, li->name);
        }
    }
    for (i = 0; i < lb->n; i++) {
        const struct listed *li = &lb->items[i];
        struct bench *b;
        size_t len = strlen(suite) + strlen(li->name) + 2;
        if (!runner_matches(re, suite, li->name) || (filter && regexec(&fre, li->name, 0, NULL, 0)) ||
            listing_find(ln, li->name))
            continue;
        if (!(b = ab_add_base(result_ab(r))) || !(b->name = malloc(len)))
            return -1;
        snprintf(b->name, len, "%s/%s", suite, li->name);
    }
    if (filter)
        regfree(&fre);
    return 0;
}

static int build_plan(struct plan *p, struct abcli *c, int argc, char **argv, const regex_t *re,
                      struct compare_opts *o, struct result *r)
{
    int nin = argc - optind;
    struct err e = {0};
    size_t i, k;

    if (c->ncmds) {
        if (c->ncmds != 2 || nin) {
            die_msg("ab: give exactly two --cmd (base, then new) and no other input");
            return -1;
        }
        for (i = 0; i < 2; i++) {
            p->cmds[i].line = strdup(c->cmds[i]);
            p->cmds[i].name = strdup(c->cmds[i]);
            p->cmds[i].shell = c->shell;
            p->cmds[i].prepare = c->prepare ? strdup(c->prepare) : NULL;
            p->cmds[i].cleanup = c->cleanup ? strdup(c->cleanup) : NULL;
        }
        {
            struct abjob j = {.suite = "command", .base_cmd = &p->cmds[0],
                              .new_cmd = &p->cmds[1], .name = "ab"};
            if (add_job(p, &j) < 0)
                return -1;
        }
        p->base_label = strdup(c->cmds[0]);
        p->new_label = strdup(c->cmds[1]);
        p->suite_name = strdup("command");
        return 0;
    }
    if (nin == 1 && strlen(argv[optind]) > 5 &&
        !strcmp(argv[optind] + strlen(argv[optind]) - 5, ".json")) {
        const char *dirs[2] = {c->base_build, c->new_build};
        if (!c->base_build || !c->new_build) {
            die_msg("ab: a suite file needs --base-build DIR and --new-build DIR");
            return -1;
        }
        for (i = 0; i < 2; i++) {
            setenv("PACER_BUILD", dirs[i], 1);
            if (suite_load(argv[optind], &p->suites[i], &e) < 0) {
                die_msg("%s", e.msg);
                p->have_suites = (int)i + 1;
                return -1;
            }
        }
        p->have_suites = 2;
        if (p->suites[1].compare &&
            policy_apply(p->suites[1].compare, argv[optind], "compare", o, c->have_threshold,
                         c->have_drift, &e) < 0) {
            die_msg("%s", e.msg);
            return -1;
        }
        for (k = 0; k < p->suites[1].nmicro; k++)
            if (plan_binaries(p, p->suites[0].micro[k].binary, p->suites[1].micro[k].binary,
                              p->suites[1].micro[k].filter, re, r) < 0)
                return -1;
        for (k = 0; k < p->suites[1].ncmds; k++) {
            struct abjob j = {.suite = p->suites[1].name, .base_cmd = &p->suites[0].cmds[k].spec,
                              .new_cmd = &p->suites[1].cmds[k].spec,
                              .name = p->suites[1].cmds[k].spec.name};
            if (runner_matches(re, j.suite, j.name) && add_job(p, &j) < 0)
                return -1;
        }
        p->base_label = strdup(c->base_build);
        p->new_label = strdup(c->new_build);
        p->suite_name = strdup(p->suites[1].name);
        return 0;
    }
    if (nin != 2) {
        die_msg("ab: expected BASE_BINARY NEW_BINARY, a suite file with --base-build and "
                "--new-build, or two --cmd (see --help)");
        return -1;
    }
    if (plan_binaries(p, argv[optind], argv[optind + 1], NULL, re, r) < 0)
        return -1;
    p->base_label = strdup(argv[optind]);
    p->new_label = strdup(argv[optind + 1]);
    p->suite_name = strdup(runner_suite_name(argv[optind + 1]));
    return 0;
}

static void plan_free(struct plan *p)
{
    size_t i;

    for (i = 0; i < p->nbin; i++) {
        listing_free(&p->lists[i][0]);
        listing_free(&p->lists[i][1]);
        free(p->bins[i][0]);
        free(p->bins[i][1]);
    }
    for (i = 0; i < (size_t)p->have_suites; i++)
        suite_free(&p->suites[i]);
    cmd_spec_free(&p->cmds[0]);
    cmd_spec_free(&p->cmds[1]);
    free(p->jobs);
    free(p->base_label);
    free(p->new_label);
    free(p->suite_name);
}

/* Measure one job into a fresh pair of benches. */
static int run_job(const struct abjob *j, const struct settings *set, double clock_res,
                   struct bench *bb, struct bench *nb)
{
    if (j->li) {
        struct run_opts ro = {.set = *set, .clock_resolution_ns = clock_res};
        return abrun_micro(j->base_bin, j->new_bin, j->suite, j->li, &ro, bb, nb);
    }
    return cmdbench_pairs(j->base_cmd, j->new_cmd, j->suite, j->name, set, bb, nb);
}

static const char *job_name(const struct abjob *j)
{
    return j->li ? j->li->name : j->name;
}

/* The process counts of b followed by those of t (a bench without counts
 * is one process of all its samples). */
static int append_counts(struct bench *b, const struct bench *t)
{
    size_t nb = b->nproc_samples ? b->nproc_samples : 1;
    size_t nt = t->nproc_samples ? t->nproc_samples : 1, i;
    size_t *c = malloc((nb + nt) * sizeof *c);

    if (!c)
        return -1;
    if (b->nproc_samples)
        memcpy(c, b->proc_samples, nb * sizeof *c);
    else
        c[0] = b->nsamples;
    for (i = 0; i < nt; i++)
        c[nb + i] = t->nproc_samples ? t->proc_samples[i] : t->nsamples;
    free(b->proc_samples);
    b->proc_samples = c;
    b->nproc_samples = nb + nt;
    return 0;
}

static int append(double **x, size_t *n, const double *y, size_t m)
{
    double *nx = realloc(*x, (*n + m) * sizeof *nx);

    if (!nx)
        return -1;
    memcpy(nx + *n, y, m * sizeof *y);
    *x = nx;
    *n += m;
    return 0;
}

/* Measure more pairs of the benchmarks that look regressed, and add them. */
static int confirm(const struct plan *p, const struct comparison *cmp, const struct abcli *c,
                   double clock_res, struct result *r, int *interrupted)
{
    size_t i, k, n = 0;

    for (i = 0; i < cmp->nrows; i++) {
        const struct compare_row *row = &cmp->rows[i];
        struct bench *nb = result_find(r, row->name), *bb = NULL;
        if (row->verdict != VERDICT_REGRESSED || !nb)
            continue;
        for (k = 0; k < r->ab->nbase; k++)
            if (!strcmp(r->ab->base[k].name, row->name))
                bb = &r->ab->base[k];
        for (k = 0; k < p->njobs && bb; k++) {
            struct bench tb = {0}, tn = {0};
            struct stats_opts so;
            char full[1024];
            snprintf(full, sizeof full, "%s/%s", p->jobs[k].suite, job_name(&p->jobs[k]));
            if (strcmp(full, row->name))
                continue;
            if (!c->quiet)
                fprintf(stderr, "pacer: %s looks %+.1f%% slower: measuring %u more pairs\n",
                        row->name, 100 * row->change, c->set.samples);
            if (run_job(&p->jobs[k], &c->set, clock_res, &tb, &tn) < 0)
                *interrupted = 1;
            if (tb.error || tn.error) {
                /* The confirmation failed: its error stands for the benchmark. */
                if (tn.error && !nb->error)
                    bench_set_error(nb, "in the confirmation: %s", tn.error->message);
                if (tb.error && !bb->error)
                    bench_set_error(bb, "in the confirmation: %s", tb.error->message);
            } else if (append_counts(bb, &tb) < 0 || append_counts(nb, &tn) < 0 ||
                       append(&bb->samples, &bb->nsamples, tb.samples, tb.nsamples) < 0 ||
                       append(&nb->samples, &nb->nsamples, tn.samples, tn.nsamples) < 0) {
                bench_free(&tb);
                bench_free(&tn);
                return -1;
            }
            stats_opts_default(&so);
            so.seed = c->set.seed;
            bench_compute_stats(bb, &so);
            bench_compute_stats(nb, &so);
            bench_free(&tb);
            bench_free(&tn);
            n++;
        }
        if (*interrupted)
            break;
    }
    return (int)n;
}

static int save(const struct result *r, const struct abcli *c)
{
    struct err e = {0};
    int rc = 0;

    if (c->out && result_save(r, c->out, &e) < 0) {
        die_msg("%s", e.msg);
        rc = -1;
    }
    if (c->save) {
        char *path = result_save_path(c->save, &r->ctx, "-ab");
        mkdir(c->save, 0777);
        err_clear(&e);
        if (!path || result_save(r, path, &e) < 0) {
            die_msg("%s", path ? e.msg : "out of memory");
            rc = -1;
        } else if (!c->quiet)
            fprintf(stderr, "pacer: A/B result written to %s\n", path);
        free(path);
    }
    return rc;
}

int cmd_ab(int argc, char **argv)
{
    struct abcli c = {0};
    struct compare_opts o;
    struct comparison cmp = {0};
    struct plan p = {0};
    struct result r, base;
    struct report_opts ro = {0};
    struct err e = {0};
    regex_t re;
    int rc = EXIT_BAD_INPUT, have_re = 0, interrupted = 0, nconf;
    size_t i;

    compare_opts_default(&o);
    o.paired = 1;
    result_init(&r);
    if (parse(argc, argv, &c, &o) < 0)
        goto cleanup;
    if (c.thresholds && policy_load(c.thresholds, &o, c.have_threshold, c.have_drift, &e) < 0) {
        die_msg("%s", e.msg);
        goto cleanup;
    }
    if (c.filter) {
        if (regcomp(&re, c.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            die_msg("ab: --filter: '%s' is not a valid regular expression", c.filter);
            goto cleanup;
        }
        have_re = 1;
    }
    child_signals_install();
    if (!result_ab(&r) || build_plan(&p, &c, argc, argv, have_re ? &re : NULL, &o, &r) < 0)
        goto cleanup;
    if (p.njobs == 0) {
        die_msg("ab: no benchmark in common%s%s", c.filter ? " matching " : "",
                c.filter ? c.filter : "");
        goto cleanup;
    }
    if (env_collect(&r.ctx) < 0)
        goto cleanup;
    if (p.compiler) {
        free(r.ctx.compiler);
        free(r.ctx.cflags);
        r.ctx.compiler = strdup(p.compiler);
        r.ctx.cflags = strdup(p.cflags);
        env_fingerprint(&r.ctx);
    }
    if (!c.quiet)
        env_warn(stderr, &r.ctx);
    r.suite = strdup(p.suite_name);
    r.set = c.set;
    r.complete = 1;
    r.ab->base_label = strdup(p.base_label);
    r.ab->new_label = strdup(p.new_label);
    r.ab->order = strdup("ABBA");
    r.argv = calloc((size_t)argc + 2, sizeof *r.argv);
    if (r.argv) {
        r.argv[0] = strdup("pacer");
        for (i = 0; i < (size_t)argc; i++)
            r.argv[i + 1] = strdup(argv[i]);
    }
    for (i = 0; i < p.njobs && !interrupted; i++) {
        struct bench *nb = result_add_bench(&r), *bb = ab_add_base(r.ab);
        if (!nb || !bb)
            goto cleanup;
        if (!c.quiet && isatty(2)) {
            fprintf(stderr, "\r\033[K[%zu/%zu] %s/%s", i + 1, p.njobs, p.jobs[i].suite,
                    job_name(&p.jobs[i]));
            fflush(stderr);
        }
        if (run_job(&p.jobs[i], &c.set, r.ctx.clock_resolution_ns, bb, nb) < 0 ||
            child_interrupted)
            interrupted = 1;
    }
    if (!c.quiet && isatty(2))
        fprintf(stderr, "\r\033[K");
    ab_base_view(&r, &base);
    if (compare_results(&base, &r, &o, &cmp, &e) < 0) {
        die_msg("ab: %s", e.msg);
        goto cleanup;
    }
    if (c.confirm && !interrupted && cmp.count[VERDICT_REGRESSED]) {
        char **flagged = calloc(cmp.count[VERDICT_REGRESSED], sizeof *flagged);
        size_t nf = 0, k;
        for (i = 0; flagged && i < cmp.nrows; i++)
            if (cmp.rows[i].verdict == VERDICT_REGRESSED)
                flagged[nf++] = strdup(cmp.rows[i].name);
        nconf = confirm(&p, &cmp, &c, r.ctx.clock_resolution_ns, &r, &interrupted);
        comparison_free(&cmp);
        ab_base_view(&r, &base);
        if (nconf < 0 || compare_results(&base, &r, &o, &cmp, &e) < 0) {
            die_msg("ab: %s", nconf < 0 ? "out of memory" : e.msg);
            for (k = 0; k < nf; k++)
                free(flagged[k]);
            free(flagged);
            goto cleanup;
        }
        /* Say what the second measurement made of each flagged benchmark. */
        for (i = 0; i < cmp.nrows; i++)
            for (k = 0; k < nf; k++)
                if (!strcmp(cmp.rows[i].name, flagged[k]) && !cmp.rows[i].note[0])
                    snprintf(cmp.rows[i].note, sizeof cmp.rows[i].note,
                             cmp.rows[i].verdict == VERDICT_REGRESSED
                                 ? "regressed in the first %u pairs, confirmed on all %zu"
                                 : "regressed in the first %u pairs, not confirmed on all %zu",
                             c.set.samples, cmp.rows[i].n_new);
        for (k = 0; k < nf; k++)
            free(flagged[k]);
        free(flagged);
    }
    r.complete = !interrupted;
    r.ab->analysis = report_json_object(&cmp);
    ro.color = report_colour(c.color);
    warn_problems(&cmp, p.base_label, p.new_label, &base, &r);
    report_find(c.format)->print(stdout, &cmp, &ro);
    fflush(stdout);
    rc = compare_exit_code(&cmp, c.require_conclusive);
    if (interrupted) {
        die_msg("ab: interrupted; the result holds what finished");
        rc = EXIT_UNTRUSTED;
    }
    if (save(&r, &c) < 0)
        rc = EXIT_BAD_INPUT;
cleanup:
    comparison_free(&cmp);
    if (have_re)
        regfree(&re);
    compare_opts_free(&o);
    plan_free(&p);
    result_free(&r);
    return rc;
}
