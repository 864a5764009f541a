/*
 * cmd_ab.c: `pacer ab`: a paired A/B run.  Two builds of a suite binary (or
 * of every binary of a suite file, through two build directories), or two
 * commands, run side by side: same iteration count, samples taken as pairs
 * in ABBA order, analysed as per-pair ratios.  Benchmarks not yet decided
 * are measured again, in up to --looks rounds of a sequential design, and
 * decided on all their pairs.  One result file holds both sides and the analysis.  What runs
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
#include "explain.h"
#include "harness/lib/fmt.h"
#include "harness/result/env.h"
#include "harness/result/profile.h"
#include "harness/result/result_json.h"
#include "harness/run/child.h"
#include "harness/run/counted.h"
#include "harness/run/plan.h"
#include "harness/run/tmpfiles.h"

#define AB_PAIRS_DEFAULT 60
#define AB_PROCESSES_DEFAULT 10
#define AB_LOOKS_DEFAULT 3

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer ab [options] BASE_BINARY NEW_BINARY\n"
"       pacer ab [options] --base-build DIR --new-build DIR SUITE.json\n"
"       pacer ab [options] --cmd 'BASE COMMAND' --cmd 'NEW COMMAND'\n"
"\n"
"Runs the base and the new build side by side, sample for sample in ABBA\n"
"order at the same iteration count, and decides on the per-pair ratios:\n"
"drift of the machine hits both sides alike and cancels.  Benchmarks not\n"
"yet decided are measured again (--looks) and decided on all their pairs.\n"
"\n"
"  --pairs N             pairs per benchmark (default %d)\n"
"  --processes K         spread the pairs over K successive pairs of worker\n"
"                        processes, so one memory layout cannot pass for a\n"
"                        change (default %d)\n"
"  --warmup TIME         warmup of each worker, both sides at once (default 20ms)\n"
"  --warmup-runs N       commands: warmup runs of each side (default 1)\n"
"  --sample-time TIME    target time of one micro sample (default 5ms)\n"
"  --timeout TIME        per pair of worker processes (default 60s)\n"
"  --filter REGEX        only benchmarks whose name (as the binary gives it)\n"
"                        matches; starting with ^: the full name\n"
"  --base-build DIR, --new-build DIR   what {build} means in SUITE.json\n"
"  --shell, --prepare CMD, --cleanup CMD   as in pacer run, for --cmd\n"
"  -n, --name NAME       --cmd: the benchmark's name (default: the new command)\n"
"  --looks N             benchmarks still undecided after a round of pairs get\n"
"                        another, up to N rounds in all; each round decides at\n"
"                        level 1 - alpha/N, so the error stays within alpha\n"
"                        however early a benchmark stops (default %d)\n"
"  --no-confirm          one round: decide on the first pairs alone\n"
"  --mode instructions   count each side's instructions under valgrind's\n"
"                        callgrind instead of timing pairs (5 samples a side\n"
"                        unless --pairs; see pacer run --help)\n"
"  --explain             profile both builds of each benchmark that regressed\n"
"                        or improved under callgrind and print the functions\n"
"                        whose instructions changed most, with a differential\n"
"                        flame graph (beside --out's result, in <out>.profiles/;\n"
"                        else in a new folder under $TMPDIR or /tmp)\n"
"  --threshold PCT       changes within +-PCT are unchanged (default 1%%)\n"
"  --basis auto|wall     as in pacer compare (default auto: CPU time where it\n"
"                        tracks wall time)\n"
"  --thresholds FILE, --limit EXPR, --correction holm|bh|none, --alpha A,\n"
"  --require-conclusive   as in pacer compare (a suite file's \"compare\"\n"
"                        section applies by default)\n"
"  --out FILE, --save DIR   write the A/B result (both sides, the analysis)\n"
"  --format table|markdown|json|csv, --color auto|always|never, -q\n"
"\n"
"exit codes: 0 nothing regressed, 1 a regression or a failed limit, 2 bad\n"
"input, 3 a benchmark failed or the run was interrupted\n",
            AB_PAIRS_DEFAULT, AB_PROCESSES_DEFAULT, AB_LOOKS_DEFAULT);
}

struct abcli {
    struct settings set;
    const char *filter, *out, *save, *format, *color, *thresholds;
    const char *base_build, *new_build, *prepare, *cleanup, *name;
    const char *cmds[2];
    int ncmds, shell, quiet, require_conclusive, have_threshold, have_drift;
    unsigned looks;           /* of the sequential design (decide_in_looks) */
    int have_pairs, have_procs; /* --pairs, --processes given */
    int explain;              /* --explain */
};

enum { O_PAIRS = 256, O_PROCS, O_WARM, O_WRUNS, O_STIME, O_TIMEOUT, O_FILTER, O_BASEB, O_NEWB,
       O_CMD, O_SHELL, O_PREP, O_CLEAN, O_NOCONF, O_THR, O_THRS, O_LIMIT, O_CORR, O_ALPHA, O_REQ,
       O_OUT, O_SAVE, O_FORMAT, O_COLOR, O_SEED, O_LOOKS, O_BASIS, O_MODE, O_EXPLAIN };

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
        c->have_pairs = 1;
        return 0;
    case O_PROCS:
        if (fmt_parse_count(arg, &v) < 0 || v < 1 || v > 1000)
            return bad("processes", arg, "a count from 1 to 1000");
        c->set.processes = (unsigned)v;
        c->have_procs = 1;
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
    case O_LOOKS:
        if (fmt_parse_count(arg, &v) < 0 || v < 1 || v > 10)
            return bad("looks", arg, "a count from 1 to 10");
        c->looks = (unsigned)v;
        return 0;
    case O_SEED:
        if (fmt_parse_count(arg, &v) < 0 || v > (1ULL << 62))
            return bad("seed", arg, "a non-negative integer below 2^62");
        c->set.seed = o->seed = v;
        return 0;
    case O_MODE:
        return mode_option("ab", arg, &c->set.mode) < 0 ? -1 : 0;
    }
    return 1;
}

/* What the options imply for one another, after all are read. */
static int settle(struct abcli *c)
{
    if (c->name && c->ncmds == 0) {
        die_msg("ab: --name names a --cmd pair (a suite's benchmarks have their names)");
        return -1;
    }
    if (c->ncmds && c->have_procs && !c->quiet)
        warn_msg("ab: --processes spreads micro benchmarks over worker processes; every run "
                 "of a command is a process of its own: it does not apply (--pairs sets how "
                 "many pairs)");
    if (c->ncmds)
        c->set.processes = 1;
    if (c->set.mode == RUN_MODE_INSTRUCTIONS) {
        /* counts hardly vary: a few samples of one process a side */
        if (!c->have_pairs)
            c->set.samples = COUNTED_SAMPLES;
        if (!c->have_procs)
            c->set.processes = 1;
    }
    return 0;
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
        {"no-confirm", no_argument, 0, O_NOCONF}, {"looks", required_argument, 0, O_LOOKS},
        {"basis", required_argument, 0, O_BASIS},
        {"threshold", required_argument, 0, O_THR},
        {"thresholds", required_argument, 0, O_THRS}, {"limit", required_argument, 0, O_LIMIT},
        {"correction", required_argument, 0, O_CORR}, {"alpha", required_argument, 0, O_ALPHA},
        {"require-conclusive", no_argument, 0, O_REQ}, {"out", required_argument, 0, O_OUT},
        {"save", required_argument, 0, O_SAVE}, {"format", required_argument, 0, O_FORMAT},
        {"color", required_argument, 0, O_COLOR}, {"seed", required_argument, 0, O_SEED},
        {"mode", required_argument, 0, O_MODE}, {"explain", no_argument, 0, O_EXPLAIN},
        {"name", required_argument, 0, 'n'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    struct err e = {0};
    int opt, li = 0, r;

    settings_default(&c->set);
    c->set.samples = AB_PAIRS_DEFAULT;
    c->set.processes = AB_PROCESSES_DEFAULT;
    c->set.warmup_ns = 20000000ULL;
    c->set.sample_target_ns = 5000000ULL;   /* a pair is two: 10 ms */
    c->format = "table";
    c->color = "auto";
    c->looks = AB_LOOKS_DEFAULT;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "qhn:", lopts, &li)) != -1) {
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
        case 'n': c->name = optarg; break;
        case O_PREP: c->prepare = optarg; break;
        case O_CLEAN: c->cleanup = optarg; break;
        case O_NOCONF: c->looks = 1; break;
        case O_EXPLAIN: c->explain = 1; break;
        case O_THR:
        case O_LIMIT:
        case O_CORR:
        case O_ALPHA:
        case O_BASIS:
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
    return settle(c);
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
                     const struct name_filter *re, struct compare_opts *o,
                     struct result *r)
{
    struct plan_ab_opts po = {
        .inputs = argv + optind, .ninputs = (size_t)(argc - optind), .cmds = c->cmds,
        .ncmds = (size_t)c->ncmds, .shell = c->shell, .prepare = c->prepare, .name = c->name,
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
/* More pairs of every benchmark the last look left undecided (neither
 * failed nor decided), appended to both sides: how many were measured, or
 * -1 when out of memory. */
static int measure_more(const struct plan *p, const struct comparison *cmp,
                        const struct abcli *c, unsigned look, double clock_res,
                        struct result *r, int *interrupted)
{
    size_t i, k, n = 0;

    for (i = 0; i < cmp->nrows && !*interrupted; i++) {
        const struct compare_row *row = &cmp->rows[i];
        struct bench *nb = result_find(r, row->name), *bb = NULL;
        if (row->verdict != VERDICT_INCONCLUSIVE || row->untrusted || !nb)
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
                fprintf(stderr, "pacer: %s: %+.1f%% [%+.1f%%, %+.1f%%] is not decided: look %u "
                        "of %u, %u more pairs\n", row->name, 100 * row->change,
                        100 * row->change_lo, 100 * row->change_hi, look + 1, c->looks,
                        c->set.samples);
            if (job_run_pair(&p->jobs[k], clock_res, &tb, &tn) < 0)
                *interrupted = 1;
            if (tb.error || tn.error) {
                /* The look failed: its error stands for the benchmark. */
                if (tn.error && !nb->error)
                    bench_set_error(nb, "in look %u: %s", look + 1, tn.error->message);
                if (tb.error && !bb->error)
                    bench_set_error(bb, "in look %u: %s", look + 1, tb.error->message);
            } else if (bench_append(bb, &tb) < 0 || bench_append(nb, &tn) < 0) {
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

/* The looks of a sequential A/B run: compare, and while benchmarks stay
 * undecided and looks are left, measure more of their pairs and compare
 * again on all of them.  Each look's interval is at level 1 - (1 -
 * level) / looks and its tests at alpha / looks, so that over all the
 * looks together the chance of a wrong decision stays within alpha however
 * early a benchmark stops (Bonferroni's bound on a group-sequential design:
 * Jennison and Turnbull 2000, "Group Sequential Methods with Applications
 * to Clinical Trials", 1.2 and 2.1; conservative, never anti-conservative).
 * 0, or -1 after saying why. */
static int decide_in_looks(const struct abcli *c, const struct plan *p, struct compare_opts *o,
                           struct result *r, struct result *base, struct comparison *cmp,
                           int *interrupted)
{
    struct err e = {0};
    unsigned look;
    int more;

    o->looks = c->looks;
    o->alpha /= c->looks;
    o->ci_level = 1 - (1 - o->ci_level) / c->looks;
    for (look = 1;; look++) {
        ab_base_view(r, base);
        if (compare_results(base, r, o, cmp, &e) < 0) {
            die_msg("ab: %s", e.msg);
            return -1;
        }
        if (look >= c->looks || *interrupted || !cmp->count[VERDICT_INCONCLUSIVE])
            return 0;
        more = measure_more(p, cmp, c, look, r->ctx.clock_resolution_ns, r, interrupted);
        if (more < 0) {
            die_msg("ab: out of memory");
            return -1;
        }
        if (more == 0)
            return 0;
        comparison_free(cmp);
    }
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

/* --explain: both builds profiled where a verdict needs it, then the
 * explanation (explain.h). */
static void explain_ab(const struct abcli *c, const struct plan *p, const struct comparison *cmp)
{
    char dir[4200];
    struct explain_src src = {dir, ".base.callgrind", dir, ".callgrind"};
    struct err e = {0};

    if (!cmp->count[VERDICT_REGRESSED] && !cmp->count[VERDICT_IMPROVED])
        return;
    if (c->out)
        profile_dir(dir, sizeof dir, c->out);
    else {
        if (tmp_dir_make(dir, sizeof dir, "pacer-explain", &e) < 0) {
            warn_msg("ab: --explain: %s", e.msg);
            return;
        }
    }
    explain_take(p, cmp, dir, c->quiet);
    explain_print(stdout, cmp, &src, c->format);
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
    struct name_filter re;
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
    if ((have_re = cmd_filter("ab", c.filter, &re.re)) < 0)
        goto cleanup;
    re.full = c.filter && c.filter[0] == '^';
    child_signals_install();
    if (!result_ab(&r) || make_plan(&p, &c, argc, argv, have_re ? &re : NULL, &o, &r) < 0)
        goto cleanup;
    if (p.njobs == 0) {
        die_msg("ab: no benchmark in common%s%s", c.filter ? " matching " : "",
                c.filter ? c.filter : "");
        goto cleanup;
    }
    if (start_result(&c, &p, &r, argc, argv) < 0 || cmd_counting_context("ab", &p, &r) < 0 ||
        (interrupted = run_pairs(&c, &p, &r)) < 0)
        goto cleanup;
    if (!c.quiet && isatty(2))
        fprintf(stderr, "\r\033[K");
    if (decide_in_looks(&c, &p, &o, &r, &base, &cmp, &interrupted) < 0)
        goto cleanup;
    r.complete = !interrupted;
    r.ab->analysis = report_json_object(&cmp);
    ro.color = report_colour(c.color);
    ro.require_conclusive = c.require_conclusive;
    warn_problems(&cmp, p.base_label, p.new_label, &base, &r);
    report_find(c.format)->print(stdout, &cmp, &ro);
    if (c.explain && !interrupted)
        explain_ab(&c, &p, &cmp);
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
        regfree(&re.re);
    compare_opts_free(&o);
    plan_free(&p);
    result_free(&r);
    return rc;
}
