/*
 * cmd_ab.c: `pacer ab`: a paired A/B run.  Two builds of a suite binary (or
 * of every binary of a suite file, through two build directories), or two
 * commands, run side by side: same iteration count, samples taken as pairs
 * in ABBA order, analysed as per-pair ratios.  Benchmarks that look
 * regressed are measured again (confirmation) and decided on all their
 * pairs.  One result file holds both sides and the analysis.  What runs
 * comes from the planner (harness/run/plan.h).
 */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "compare/ab.h"
#include "compare/compare.h"
#include "compare/policy.h"
#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "harness/result/env.h"
#include "harness/result/result_json.h"
#include "harness/run/child.h"
#include "harness/run/plan.h"

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

struct abcli {
    struct settings set;
    const char *filter, *out, *save, *format, *color, *thresholds;
    const char *base_build, *new_build, *prepare, *cleanup;
    const char *cmds[2];
    int ncmds, shell, quiet, confirm, require_conclusive, have_threshold, have_drift;
};

enum { O_PAIRS = 256, O_PROCS, O_WARM, O_WRUNS, O_STIME, O_TIMEOUT, O_FILTER, O_BASEB, O_NEWB,
       O_CMD, O_SHELL, O_PREP, O_CLEAN, O_NOCONF, O_THR, O_THRS, O_LIMIT, O_CORR, O_ALPHA, O_REQ,
       O_OUT, O_SAVE, O_FORMAT, O_COLOR, O_SEED };

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("ab: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

/* A how-to-measure option (--pairs ... --timeout, --seed) into c->set (the
 * seed also into o): 0, 1 when opt is not one of them, -1 after saying
 * that its value is bad. */
static int settings_option(int opt, const char *arg, struct abcli *c, struct compare_opts *o)
{
    unsigned long long v;

    switch (opt) {
    case O_PAIRS:
        if (fmt_parse_count(arg, &v) < 0 || v < 2 || v > 100000)
            return bad("pairs", arg, "a count from 2 to 100000");
        c->set.samples = (unsigned)v;
        return 0;
    case O_PROCS:
        if (fmt_parse_count(arg, &v) < 0 || v < 1 || v > 1000)
            return bad("processes", arg, "a count from 1 to 1000");
        c->set.processes = (unsigned)v;
        return 0;
    case O_WARM:
        if (fmt_parse_duration(arg, &c->set.warmup_ns) < 0)
            return bad("warmup", arg, "a duration (e.g. 100ms)");
        return 0;
    case O_WRUNS:
        if (fmt_parse_count(arg, &v) < 0 || v > 100000)
            return bad("warmup-runs", arg, "a count");
        c->set.warmup_runs = (unsigned)v;
        return 0;
    case O_STIME:
        if (fmt_parse_duration(arg, &c->set.sample_target_ns) < 0 || !c->set.sample_target_ns)
            return bad("sample-time", arg, "a duration above zero");
        return 0;
    case O_TIMEOUT:
        if (fmt_parse_duration(arg, &c->set.timeout_ns) < 0 || !c->set.timeout_ns)
            return bad("timeout", arg, "a duration above zero");
        return 0;
    case O_SEED:
        if (fmt_parse_count(arg, &v) < 0 || v > (1ULL << 62))
            return bad("seed", arg, "a non-negative integer below 2^62");
        c->set.seed = o->seed = v;
        return 0;
    }
    return 1;
}

static int parse(int argc, char **argv, struct abcli *c, struct compare_opts *o)
{
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
    struct err e = {0};
    int opt, li = 0, r;

    settings_default(&c->set);
    c->set.samples = AB_PAIRS_DEFAULT;
    c->set.processes = AB_PROCESSES_DEFAULT;
    c->set.warmup_ns = 50000000ULL;
    c->format = "table";
    c->color = "auto";
    c->confirm = 1;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qh", lopts, &li)) != -1) {
        if ((r = settings_option(opt, optarg, c, o)) <= 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (opt) {
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

/* Benchmarks that one build lists and the other does not: in the result
 * by name, never measured. */
static int add_one_sided(const struct plan *p, struct result *r)
{
    struct bench *b;
    size_t i;

    for (i = 0; i < p->nonly_new; i++)
        if (!(b = result_add_bench(r)) || !(b->name = strdup(p->only_new[i])))
            return -1;
    for (i = 0; i < p->nonly_base; i++)
        if (!(b = ab_add_base(result_ab(r))) || !(b->name = strdup(p->only_base[i])))
            return -1;
    return 0;
}

/* The pairs of the command line into p, with a suite file's "compare"
 * section applied to o: 0, or -1 after saying why. */
static int make_plan(struct plan *p, const struct abcli *c, int argc, char **argv,
                     const regex_t *re, struct compare_opts *o, struct result *r)
{
    struct plan_ab_opts po = {
        .inputs = argv + optind, .ninputs = (size_t)(argc - optind), .cmds = c->cmds,
        .ncmds = (size_t)c->ncmds, .shell = c->shell, .prepare = c->prepare,
        .cleanup = c->cleanup, .base_build = c->base_build, .new_build = c->new_build,
        .set = c->set, .re = re};
    struct err e = {0};

    if (plan_ab_load(p, &po, &e) == 0 &&
        (p->nsuites < 2 || !p->suites[1].compare ||
         policy_apply(p->suites[1].compare, argv[optind], "compare", o, c->have_threshold,
                      c->have_drift, &e) == 0) &&
        plan_ab(p, &po, &e) == 0 && add_one_sided(p, r) == 0)
        return 0;
    if (e.set)
        die_msg("%s", e.msg);
    return -1;
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
            snprintf(full, sizeof full, "%s/%s", p->jobs[k].suite, p->jobs[k].name);
            if (strcmp(full, row->name))
                continue;
            if (!c->quiet)
                fprintf(stderr, "pacer: %s looks %+.1f%% slower: measuring %u more pairs\n",
                        row->name, 100 * row->change, c->set.samples);
            if (job_run_pair(&p->jobs[k], clock_res, &tb, &tn) < 0)
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

/* Every pair, in turn, into fresh benches of r.  Returns 1 when
 * interrupted, -1 when out of memory, else 0. */
static int run_pairs(const struct abcli *c, const struct plan *p, struct result *r)
{
    size_t i;

    for (i = 0; i < p->njobs; i++) {
        struct bench *nb = result_add_bench(r), *bb = ab_add_base(r->ab);
        if (!nb || !bb)
            return -1;
        if (!c->quiet && isatty(2)) {
            fprintf(stderr, "\r\033[K[%zu/%zu] %s/%s", i + 1, p->njobs, p->jobs[i].suite,
                    p->jobs[i].name);
            fflush(stderr);
        }
        if (job_run_pair(&p->jobs[i], r->ctx.clock_resolution_ns, bb, nb) < 0 ||
            child_interrupted)
            return 1;
    }
    return 0;
}

/* Confirm the benchmarks that look regressed and decide again on all their
 * pairs, saying in each one's note what the second measurement made of it:
 * 0, or -1 after saying why. */
static int confirm_and_decide(const struct abcli *c, const struct plan *p,
                              const struct compare_opts *o, struct result *r,
                              struct result *base, struct comparison *cmp, int *interrupted)
{
    char **flagged = calloc(cmp->count[VERDICT_REGRESSED], sizeof *flagged);
    struct err e = {0};
    size_t nf = 0, i, k;
    int nconf, rc = 0;

    for (i = 0; flagged && i < cmp->nrows; i++)
        if (cmp->rows[i].verdict == VERDICT_REGRESSED)
            flagged[nf++] = strdup(cmp->rows[i].name);
    nconf = confirm(p, cmp, c, r->ctx.clock_resolution_ns, r, interrupted);
    comparison_free(cmp);
    ab_base_view(r, base);
    if (nconf < 0 || compare_results(base, r, o, cmp, &e) < 0) {
        die_msg("ab: %s", nconf < 0 ? "out of memory" : e.msg);
        rc = -1;
    }
    for (i = 0; rc == 0 && i < cmp->nrows; i++)
        for (k = 0; k < nf; k++)
            if (!strcmp(cmp->rows[i].name, flagged[k]) && !cmp->rows[i].note[0])
                snprintf(cmp->rows[i].note, sizeof cmp->rows[i].note,
                         cmp->rows[i].verdict == VERDICT_REGRESSED
                             ? "regressed in the first %u pairs, confirmed on all %zu"
                             : "regressed in the first %u pairs, not confirmed on all %zu",
                         c->set.samples, cmp->rows[i].n_new);
    for (k = 0; k < nf; k++)
        free(flagged[k]);
    free(flagged);
    return rc;
}

/* Start the A/B result r of p, with the environment's warnings. */
static int start_result(const struct abcli *c, const struct plan *p, struct result *r, int argc,
                        char **argv)
{
    if (plan_result_start(p, r, argc, argv) < 0)
        return -1;
    if (!c->quiet)
        env_warn(stderr, &r->ctx);
    r->ab->base_label = strdup(p->base_label);
    r->ab->new_label = strdup(p->new_label);
    r->ab->order = strdup("ABBA");
    return 0;
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
    int rc = EXIT_BAD_INPUT, have_re = 0, interrupted = 0;

    compare_opts_default(&o);
    o.paired = 1;
    result_init(&r);
    if (parse(argc, argv, &c, &o) < 0)
        goto cleanup;
    if (c.thresholds && policy_load(c.thresholds, &o, c.have_threshold, c.have_drift, &e) < 0) {
        die_msg("%s", e.msg);
        goto cleanup;
    }
    if ((have_re = cmd_filter("ab", c.filter, &re)) < 0)
        goto cleanup;
    child_signals_install();
    if (!result_ab(&r) || make_plan(&p, &c, argc, argv, have_re ? &re : NULL, &o, &r) < 0)
        goto cleanup;
    if (p.njobs == 0) {
        die_msg("ab: no benchmark in common%s%s", c.filter ? " matching " : "",
                c.filter ? c.filter : "");
        goto cleanup;
    }
    if (start_result(&c, &p, &r, argc, argv) < 0 || (interrupted = run_pairs(&c, &p, &r)) < 0)
        goto cleanup;
    if (!c.quiet && isatty(2))
        fprintf(stderr, "\r\033[K");
    ab_base_view(&r, &base);
    if (compare_results(&base, &r, &o, &cmp, &e) < 0) {
        die_msg("ab: %s", e.msg);
        goto cleanup;
    }
    if (c.confirm && !interrupted && cmp.count[VERDICT_REGRESSED] &&
        confirm_and_decide(&c, &p, &o, &r, &base, &cmp, &interrupted) < 0)
        goto cleanup;
    r.complete = !interrupted;
    r.ab->analysis = report_json_object(&cmp);
    ro.color = report_colour(c.color);
    ro.require_conclusive = c.require_conclusive;
    warn_problems(&cmp, p.base_label, p.new_label, &base, &r);
    report_find(c.format)->print(stdout, &cmp, &ro);
    fflush(stdout);
    rc = compare_exit_code(&cmp, c.require_conclusive);
    if (interrupted) {
        die_msg("ab: interrupted; the result holds what finished");
        rc = EXIT_UNTRUSTED;
    }
    if (cmd_save(&r, c.out, c.save, "-ab", c.quiet, "A/B result") < 0)
        rc = EXIT_BAD_INPUT;
cleanup:
    comparison_free(&cmp);
    if (have_re > 0)
        regfree(&re);
    compare_opts_free(&o);
    plan_free(&p);
    result_free(&r);
    return rc;
}
