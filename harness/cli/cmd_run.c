/*
 * cmd_run.c: `pacer run`: micro suites (binaries), suite files and command
 * benchmarks, into one result: a table (or JSON) on stdout, the result file
 * written atomically with --out or --save.  What runs comes from the
 * planner (harness/run/plan.h).
 */
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "harness/lib/table.h"
#include "harness/result/env.h"
#include "harness/result/fits.h"
#include "harness/result/loadres.h"
#include "harness/result/result_json.h"
#include "harness/run/child.h"
#include "harness/run/plan.h"
#include "liveview.h"
#include "loadcap.h"
#include "loadprof.h"
#include "loadsum.h"
#include "profiles.h"
#include "runcmds.h"
#include "runseg.h"
#include "warn.h"

struct run_cli {
    struct settings_ov ov;       /* settings given on the command line */
    const char *filter, *out, *save, *format;
    const char *save_baseline;   /* --save-baseline NAME */
    double cv_warn;
    int quiet;
    int profile;                 /* --profile */
    const char *profile_kind;    /* --profile=KIND: a Python target's profiler */
    int shell, ignore_failure, show_output;
    const char *prepare, *cleanup;
    const char **cmds, **names;
    size_t ncmds, nnames;
    struct cmd_params cp;        /* -L, -P, -D */
    char **inputs;
    size_t ninputs;
    struct loadseg seg;          /* --segment, --start-at ... */
    struct segment_plan split;   /* what the scenarios are told of it */
};

enum {
    O_CMD = 256, O_SHELL, O_PREPARE, O_CLEANUP, O_IGNORE, O_SHOW, O_FILTER, O_SAMPLES,
    O_BUDGET, O_CI, O_WARMUP, O_WRUNS, O_STIME, O_PROCS, O_TIMEOUT, O_SEED, O_OUT, O_SAVE,
    O_FORMAT, O_CVWARN, O_MODE, O_PROFILE, O_COUNTERS, O_PLIST, O_PSCAN, O_PSTEP, O_SAVEBL,
};

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer run [options] [SUITE.json | SUITE_BINARY | FILE.py]... [--cmd 'COMMAND']...\n"
"\n"
"Runs micro suites (binaries built with libpacer, Python files using the\n"
"pacer module, run by /usr/bin/python3), suite files and command\n"
"benchmarks; prints a table and stores the result.  Each micro benchmark runs\n"
"in its own worker process: a crash, abort, non-zero exit or hang is recorded\n"
"as its error and the others still run (exit code 3).  A suite file's load\n"
"scenarios start their target server afresh for each benchmark, wait until it\n"
"is ready, load it for each repetition (--samples overrides \"repetitions\")\n"
"and stop it; their thresholds are checked on the repetitions (exit code 1).\n"
"\n"
"what to run:\n"
"  --cmd COMMAND         a command benchmark (repeatable); argv without a shell\n"
"  -n, --name NAME       name of the --cmd at the same position (repeatable)\n"
"  -L, --parameter-list NAME V1,V2,...\n"
"                        run each --cmd holding {NAME} once per value (with\n"
"                        several, per combination), as hyperfine's -L\n"
"  -P, --parameter-scan NAME MIN MAX\n"
"                        the same for MIN, MIN+STEP, ... MAX\n"
"  -D, --parameter-step-size STEP   -P's step (default 1)\n"
"  --shell               run --cmd commands through /bin/sh -c\n"
"  --prepare COMMAND     shell command before each timed run of a command\n"
"  --cleanup COMMAND     shell command after the last run of a command\n"
"  --ignore-failure      a command's non-zero exit is not an error\n"
"  --show-output         let the commands' output through\n"
"  --filter REGEX        only benchmarks whose name (as the binary gives it)\n"
"                        matches (POSIX ERE); starting with ^: the full name\n"
"\n"
"how to measure (a suite file's settings apply unless given here):\n"
"  --samples N           samples per benchmark (default 30; commands: at least\n"
"                        10 runs and 3 s of them, as hyperfine)\n"
"  --budget TIME         time budget per benchmark (with no --samples: sample\n"
"                        until it is spent)\n"
"  --ci-target PCT       adaptive: stop once the median's 95%% CI is within\n"
"                        +-PCT (e.g. 1%%), or when the budget (default 10s) ends\n"
"  --warmup TIME         warmup per worker process (default 200ms)\n"
"  --warmup-runs N       command warmup runs (default 1)\n"
"  --sample-time TIME    target time of one micro sample (default 10ms)\n"
"  --processes N         worker processes per micro benchmark, and the spells a\n"
"                        command's runs are spread over (default 1)\n"
"  --timeout TIME        per benchmark (default 60s)\n"
"  --seed N              bootstrap seed (recorded)\n"
"  --mode time|instructions\n"
"                        what a micro sample measures: time (default), or the\n"
"                        instructions of the timed loop counted under\n"
"                        valgrind's callgrind, with estimated cycles beside\n"
"                        them (5 samples unless --samples; see README)\n"
"  --counters LIST       perf counters around each sample's timed loop, per\n"
"                        iteration, as metrics hw.NAME: hardware (instructions,\n"
"                        cycles, cache-misses, cache-references, branches,\n"
"                        branch-misses; said in one line where the machine has\n"
"                        none) or software (task-clock, page-faults,\n"
"                        context-switches, cpu-migrations)\n"
"  --mode cycles         time, with --counters cycles,instructions\n"
"  --profile[=KIND]      after the samples, profile each micro benchmark's\n"
"                        timed loop under callgrind; and each load benchmark's\n"
"                        target for the measured window of its last repetition\n"
"                        (costs per request): a Python target profiles itself\n"
"                        when it gets PACER_PROFILE=KIND, which pacer sets for\n"
"                        the targets it starts (KIND sample, the default: its\n"
"                        stack sampled; or yappi; see suites/targets/aio.py),\n"
"                        any other is sampled by perf record.  Kept beside the\n"
"                        result (<result>.profiles/; needs --out or --save;\n"
"                        see pacer show --profile and its --diff)\n"
"\n"
"a suite's load split over generators (as pacer load's; see README):\n"
"  --segment I/N|auto    run segment I of N of every load scenario: its share of\n"
"                        the connections, rate, stages and data rows; only\n"
"                        scenarios without a target (one server all share)\n"
"  --segments N          the count with --segment auto (a Kubernetes Job's)\n"
"  --run-id ID           the id all segments share (default: $SLURM_JOB_ID, or\n"
"                        a hash of --start-at and the suite)\n"
"  --start-at TIME       UTC or +DURATION: the first repetition begins then,\n"
"                        each next one 2 s after the last's planned end\n"
"\n"
"output:\n"
"  --out FILE            write the result file (atomically)\n"
"  --save DIR            write it as DIR/<UTC time>-<commit>.json (a new name,\n"
"                        never a file replaced); when DIR holds a store\n"
"                        (DIR/pacer.db, pacer store) the run is added to it\n"
"  --save-baseline NAME  also name the run NAME in DIR's store (made when\n"
"                        missing): pacer compare --baseline NAME NEW.json\n"
"  --format table|json|markdown   what goes to stdout (default table; markdown:\n"
"                        tables to paste, the commands' as hyperfine exports them)\n"
"  --cv-warn PCT         warn when a benchmark's CV exceeds PCT (default 5%%)\n"
"  -q, --quiet           no progress, no warnings\n"
"  -h, --help            this text\n"
"\n"
"exit codes: 0 ran and every threshold held, 1 a threshold failed, 2 bad input\n"
"or usage, 3 a benchmark failed (a target not ready, or exited), a load run\n"
"was not valid, or the run was interrupted (what finished is still written)\n");
}

static int push_str(const char ***arr, size_t *n, const char *s)
{
    const char **na = realloc(*arr, (*n + 1) * sizeof *na);

    if (!na)
        return -1;
    na[(*n)++] = s;
    *arr = na;
    return 0;
}

static int bad_value(const char *opt, const char *val, const char *what)
{
    die_msg("run: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

/* A how-to-measure option (--samples ... --ci-target) into ov: 0, 1 when
 * o is not one of them, -1 after saying that its value is bad. */
static int settings_option(int o, const char *arg, struct settings_ov *ov)
{
    struct settings *s = &ov->s;
    unsigned long long v;

    switch (o) {
    case O_SAMPLES:
        if (fmt_parse_count(arg, &v) < 0 || v < 1 || v > 1000000)
            return bad_value("samples", arg, "a count from 1 to 1000000");
        s->samples = (unsigned)v;
        ov->mask |= OV_SAMPLES;
        return 0;
    case O_PROCS:
        if (fmt_parse_count(arg, &v) < 0 || v < 1 || v > 1000)
            return bad_value("processes", arg, "a count from 1 to 1000");
        s->processes = (unsigned)v;
        ov->mask |= OV_PROCESSES;
        return 0;
    case O_WRUNS:
        if (fmt_parse_count(arg, &v) < 0 || v > 1000000)
            return bad_value("warmup-runs", arg, "a count");
        s->warmup_runs = (unsigned)v;
        ov->mask |= OV_WARMUP_RUNS;
        return 0;
    case O_SEED:
        if (fmt_parse_count(arg, &v) < 0 || v > (1ULL << 62))
            return bad_value("seed", arg, "a non-negative integer below 2^62");
        s->seed = v;
        ov->mask |= OV_SEED;
        return 0;
    case O_BUDGET:
        if (fmt_parse_duration(arg, &s->budget_ns) < 0)
            return bad_value("budget", arg, "a duration (e.g. 2s)");
        ov->mask |= OV_BUDGET;
        return 0;
    case O_WARMUP:
        if (fmt_parse_duration(arg, &s->warmup_ns) < 0)
            return bad_value("warmup", arg, "a duration (e.g. 200ms)");
        ov->mask |= OV_WARMUP;
        return 0;
    case O_STIME:
        if (fmt_parse_duration(arg, &s->sample_target_ns) < 0 || !s->sample_target_ns)
            return bad_value("sample-time", arg, "a duration above zero (e.g. 10ms)");
        ov->mask |= OV_SAMPLE_TIME;
        return 0;
    case O_TIMEOUT:
        if (fmt_parse_duration(arg, &s->timeout_ns) < 0 || !s->timeout_ns)
            return bad_value("timeout", arg, "a duration above zero (e.g. 60s)");
        ov->mask |= OV_TIMEOUT;
        return 0;
    case O_MODE:
        switch (mode_option("run", arg, &s->mode)) {
        case -1:
            return -1;
        case 1:
            if (counters_option("run", "cycles,instructions", s->counters,
                                sizeof s->counters) < 0)
                return -1;
            ov->mask |= OV_COUNTERS;
        }
        ov->mask |= OV_MODE;
        return 0;
    case O_COUNTERS:
        if (counters_option("run", arg, s->counters, sizeof s->counters) < 0)
            return -1;
        ov->mask |= OV_COUNTERS;
        return 0;
    case O_CI:
        if (fmt_parse_percent(arg, &s->ci_target) < 0 || s->ci_target <= 0 || s->ci_target >= 1)
            return bad_value("ci-target", arg, "a percentage (e.g. 1%)");
        ov->mask |= OV_CI_TARGET;
        return 0;
    }
    return 1;
}

/* The options that only make sense together: 0, or -1 after saying why. */
static int check_cli(const struct run_cli *c)
{
    if (c->nnames > c->ncmds) {
        die_msg("run: %zu --name for %zu --cmd", c->nnames, c->ncmds);
        return -1;
    }
    if (c->save_baseline && !c->save) {
        die_msg("run: --save-baseline %s names the result --save DIR writes: give --save too",
                c->save_baseline);
        return -1;
    }
    if (c->profile && !c->out && !c->save) {
        die_msg("run: --profile needs --out FILE or --save DIR: the profiles are kept beside "
                "the result");
        return -1;
    }
    if (c->ninputs == 0 && c->ncmds == 0) {
        die_msg("run: nothing to run: give a suite file, a suite binary or --cmd (see --help)");
        return -1;
    }
    return 0;
}

static int parse_cli(int argc, char **argv, struct run_cli *c)
{
    static const struct option lopts[] = {
        {"cmd", required_argument, 0, O_CMD}, {"name", required_argument, 0, 'n'},
        {"shell", no_argument, 0, O_SHELL}, {"prepare", required_argument, 0, O_PREPARE},
        {"cleanup", required_argument, 0, O_CLEANUP},
        {"ignore-failure", no_argument, 0, O_IGNORE}, {"show-output", no_argument, 0, O_SHOW},
        {"filter", required_argument, 0, O_FILTER}, {"samples", required_argument, 0, O_SAMPLES},
        {"budget", required_argument, 0, O_BUDGET}, {"ci-target", required_argument, 0, O_CI},
        {"warmup", required_argument, 0, O_WARMUP},
        {"warmup-runs", required_argument, 0, O_WRUNS},
        {"sample-time", required_argument, 0, O_STIME},
        {"processes", required_argument, 0, O_PROCS},
        {"timeout", required_argument, 0, O_TIMEOUT}, {"seed", required_argument, 0, O_SEED},
        {"out", required_argument, 0, O_OUT}, {"save", required_argument, 0, O_SAVE},
        {"save-baseline", required_argument, 0, O_SAVEBL},
        {"format", required_argument, 0, O_FORMAT}, {"cv-warn", required_argument, 0, O_CVWARN},
        {"mode", required_argument, 0, O_MODE}, {"profile", optional_argument, 0, O_PROFILE},
        {"counters", required_argument, 0, O_COUNTERS},
        {"parameter-list", required_argument, 0, 'L'},
        {"parameter-scan", required_argument, 0, 'P'},
        {"parameter-step-size", required_argument, 0, 'D'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, LOADSEG_OPTIONS,
        {0, 0, 0, 0},
    };
    int o, r;

    c->seg.cmd = "run";
    c->cv_warn = WARN_CV_DEFAULT;
    c->format = "table";
    optind = 1;
    while ((o = getopt_long(argc, argv, "n:qhL:P:D:", lopts, NULL)) != -1) {
        if ((r = settings_option(o, optarg, &c->ov)) <= 0 ||
            (r = cmd_params_option(&c->cp, o, argc, argv)) <= 0 ||
            (r = loadseg_option(&c->seg, o, optarg)) <= 0) {
            if (r < 0)
                return -1;
            continue;
        }
        switch (o) {
        case O_CMD:
            if (push_str(&c->cmds, &c->ncmds, optarg) < 0)
                return -1;
            break;
        case 'n':
            if (push_str(&c->names, &c->nnames, optarg) < 0)
                return -1;
            break;
        case O_SHELL: c->shell = 1; break;
        case O_PREPARE: c->prepare = optarg; break;
        case O_CLEANUP: c->cleanup = optarg; break;
        case O_IGNORE: c->ignore_failure = 1; break;
        case O_SHOW: c->show_output = 1; break;
        case O_FILTER: c->filter = optarg; break;
        case O_CVWARN:
            if (fmt_parse_percent(optarg, &c->cv_warn) < 0 || c->cv_warn < 0)
                return bad_value("cv-warn", optarg, "a percentage (e.g. 5%)");
            break;
        case O_PROFILE:
            c->profile = 1;
            c->profile_kind = optarg ? optarg : "sample";
            if (!loadprof_kind_ok(c->profile_kind))
                return bad_value("profile", optarg, "sample or yappi");
            break;
        case O_OUT: c->out = optarg; break;
        case O_SAVE: c->save = optarg; break;
        case O_SAVEBL: c->save_baseline = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "json") && strcmp(optarg, "markdown"))
                return bad_value("format", optarg, "table, json or markdown");
            c->format = optarg;
            break;
        case 'q': c->quiet = 1; break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        default:
            fprintf(stderr, "see 'pacer run --help'\n");
            return -1;
        }
    }
    if (cmd_params_settle(&c->cp) < 0)
        return -1;
    c->inputs = argv + optind;
    c->ninputs = (size_t)(argc - optind);
    return check_cli(c);
}

/* A warning from below (plan_run_opts.on_warn, scenario_opts.on_warn). */
static void on_warning(void *arg, const char *msg)
{
    (void)arg;
    warn_msg("%s", msg);
}

/* The jobs of the command line into p: 0, or -1 after saying why. */
static int make_plan(struct plan *p, const struct run_cli *c, const struct name_filter *re)
{
    struct plan_run_opts o = {
        .inputs = c->inputs, .ninputs = c->ninputs, .cmds = c->cmds, .names = c->names,
        .ncmds = c->ncmds, .nnames = c->nnames, .shell = c->shell, .params = c->cp.params,
        .nparams = c->cp.n,
        .ignore_failure = c->ignore_failure, .show_output = c->show_output,
        .prepare = c->prepare, .cleanup = c->cleanup, .ov = &c->ov, .re = re,
        .on_warn = c->quiet ? NULL : on_warning};
    struct err e = {0};

    if (plan_run(p, &o, &e) == 0)
        return 0;
    if (e.set)
        die_msg("%s", e.msg);
    return -1;
}

/* The load benchmarks' figures beside the main table: throughput,
 * latency, errors and the server's resources (medians over repetitions). */
static void print_load_table(const struct result *r)
{
    static const char *const h[] = {"load", "req/s", "p50", "p99", "max", "errors",
                                    "server CPU", "server RSS"};
    static const char *const metric[] = {"throughput", "latency.p50", "latency.p99",
                                         "latency.max", "errors.rate", "server.cpu",
                                         "server.rss_max"};
    struct table t;
    size_t i, k;

    table_init(&t, 8);
    table_add(&t, h);
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        char cells[7][32];
        const char *row[8];
        if (b->kind != KIND_LOAD || b->nsamples == 0)
            continue;
        row[0] = b->name;
        for (k = 0; k < 7; k++) {
            double v;
            if (bench_metric_value(b, metric[k], &v) < 0)
                snprintf(cells[k], sizeof cells[k], "-");
            else if (k == 5)
                snprintf(cells[k], sizeof cells[k], "%.2f", v);
            else
                fmt_value(cells[k], sizeof cells[k], v, bench_metric_unit(b, metric[k]));
            row[k + 1] = cells[k];
        }
        table_add(&t, row);
    }
    if (t.nrows > 1) {
        fputc('\n', stdout);
        table_print(&t, stdout);
    }
    table_free(&t);
}

/* The load scenarios' thresholds, one line each. */
static void print_thresholds(const struct result *r, const struct plan *p)
{
    struct limit_checks lc = {0};
    size_t i;

    for (i = 0; i < p->njobs && i < r->nbenches; i++)
        if (p->jobs[i].mp.sc)
            scenario_thresholds(&r->benches[i], p->jobs[i].mp.sc, &lc);
    if (lc.n) {
        printf("\nthresholds:\n");
        report_limit_lines(stdout, lc.v, lc.n, "threshold", 1);
    }
    limit_checks_free(&lc);
}

/* The live view of a scenario's load, on a terminal only
 * (scenario_opts.on_load; arg is the table's). */
static struct liveview run_live;

static void load_live(void *arg, struct load_opts *lo, int starting)
{
    struct liveview *v = &run_live;

    (void)arg;
    if (starting)
        liveview_attach(v, stderr, liveview_mode(stderr, 0, 0), lo);
    else
        liveview_end(v);
}

/* A scenario's repetition, as it finishes (scenario_opts.on_rep; arg:
 * the figures of the benchmark's repetitions so far, a struct repsum):
 * its summary, and after the last the table across them. */
static void rep_done(void *arg, const char *bench, unsigned k, unsigned n,
                     const struct load_opts *lo, const struct load_out *out)
{
    struct repsum *rs = arg;

    fprintf(stderr, "%s: repetition %u/%u\n", bench, k, n);
    load_print_summary(stderr, lo, out);
    if (k == 1)
        rs->n = 0;
    if (repsum_add(rs, out) == 0 && k == n) {
        repsum_print(stderr, rs);
        rs->n = 0;
    }
    fflush(stderr);
}

static void print_table(const struct result *r, const struct plan *p)
{
    struct table t;
    size_t i, nerr = 0, ncmd = 0, nskip = 0;

    table_init(&t, BENCH_COLS);
    table_bench_header(&t, "median");
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (b->error)
            nerr++;
        if (b->skipped && !b->error) {
            nskip++;
            continue;   /* no row: it has nothing to show */
        }
        if (b->kind == KIND_COMMAND && (!b->unit || strcmp(b->unit, "instr")))
            ncmd++;   /* counted commands have no CPU times or RSS of their own */
        if (!b->error || b->nsamples) {
            /* a command runs once a sample: no iterations to show */
            table_add_bench(&t, b->name, b->unit, &b->st, b->bytes_per_op, b->items_per_op,
                            b->kind == KIND_COMMAND ? 0 : b->iterations);
            for (size_t k = 0; k < b->ncounters; k++)   /* user counters: a column each */
                table_add_counter(&t, b->counters[k].name, b->counters[k].st.median,
                                  b->counters[k].unit);
        }
        cmd_table_fits(&t, r, b->name);
    }
    if (t.nrows > 1)
        table_print(&t, stdout);
    table_free(&t);
    cmd_print_unfitted(stdout, r);
    if (ncmd) {
        runcmds_table(r);
        runcmds_summary(r);
    }
    print_load_table(r);
    print_thresholds(r, p);
    if (nskip) {
        /* skipped on purpose (pacer_skip): said, not a failure */
        printf("\n%zu benchmark%s skipped:\n", nskip, nskip == 1 ? "" : "s");
        for (i = 0; i < r->nbenches; i++)
            if (r->benches[i].skipped && !r->benches[i].error)
                printf("  %s: %s\n", r->benches[i].name, r->benches[i].skipped);
    }
    if (nerr) {
        printf("\n%zu benchmark%s failed:\n", nerr, nerr == 1 ? "" : "s");
        for (i = 0; i < r->nbenches; i++) {
            const struct bench *b = &r->benches[i];
            if (!b->error)
                continue;
            printf("  %s: %s\n", b->name, b->error->message);
            if (b->error->stderr_tail) {
                const char *line = b->error->stderr_tail, *nl;
                do {
                    nl = strchr(line, '\n');
                    printf("    | %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
                    line = nl ? nl + 1 : NULL;
                } while (line);
            }
        }
    }
}

static void progress(const struct run_cli *c, size_t i, size_t n, const char *name)
{
    if (c->quiet || !isatty(2))
        return;
    if (name)
        fprintf(stderr, "\r\033[K[%zu/%zu] %s", i + 1, n, name);
    else
        fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

/* The environment's warnings, and binaries built without optimization. */
static void warn_setup(const struct plan *p, const struct result *r)
{
    size_t i;

    env_warn(stderr, &r->ctx);
    for (i = 0; i < p->nlistings; i++)
        if (p->listings[i].cflags && strstr(p->listings[i].cflags, "not optimized"))
            warn_msg("%s: benchmarks built without optimization",
                     p->listed_from[i] ? p->listed_from[i] : "suite");
}

/* Job i's part of round into b, with its progress and, for a load point,
 * its target, error and thresholds on stderr.  -1 when interrupted. */
static int run_job(const struct run_cli *c, const struct plan *p, size_t i, unsigned round,
                   const struct scenario_opts *so, struct loadprof *lp, double clock_res,
                   struct bench *b, int *invalid)
{
    const struct job *j = &p->jobs[i];
    int stop;

    if (p->rounds > 1 && !c->quiet && isatty(2)) {
        fprintf(stderr, "\r\033[K[round %u/%u] [%zu/%zu] %s", round + 1, p->rounds, i + 1,
                p->njobs, j->name);
        fflush(stderr);
    } else
        progress(c, i, p->njobs, j->name);
    if (j->mp.sc) {
        progress(c, i, p->njobs, NULL);
        if (!c->quiet && j->mp.tg)
            fprintf(stderr, "[%zu/%zu] %s/%s: target %s\n", i + 1, p->njobs, j->suite, j->name,
                    j->mp.tg->name);
        else if (!c->quiet)
            fprintf(stderr, "[%zu/%zu] %s/%s: %s\n", i + 1, p->njobs, j->suite, j->name,
                    j->mp.sc->url);
    }
    if (lp && j->mp.sc)
        loadprof_begin(lp, j->suite, j->name, j->set.samples ? j->set.samples
                                                             : j->mp.sc->repetitions);
    stop = job_run(j, round, clock_res, so, b, invalid);
    if (lp)
        loadprof_end(lp);
    if (j->mp.sc && !c->quiet) {
        struct limit_checks lc = {0};
        if (b->error)
            fprintf(stderr, "%s: %s\n", b->name, b->error->message);
        if (b->capacity) {   /* a capacity search: its steps and answer */
            fprintf(stderr, "%s: ", b->name);
            loadcap_print(stderr, b->capacity, b);
        }
        scenario_thresholds(b, j->mp.sc, &lc);
        report_limit_lines(stderr, lc.v, lc.n, "threshold", 0);
        limit_checks_free(&lc);
    }
    progress(c, i, p->njobs, NULL);
    return stop;
}

/* Every job's part of every round.  With several worker processes per
 * benchmark, round k runs process k of every benchmark: the processes of
 * one benchmark are spread over the whole run, so a slow spell of the
 * machine lands on one of them and shows as spread between processes, not
 * as a shift.  With lp, the load benchmarks' targets are profiled.  Returns
 * 1 when interrupted (r is then incomplete). */
static int run_rounds(struct run_cli *c, const struct plan *p, struct result *r,
                      struct loadprof *lp, int *invalid)
{
    struct repsum rs = {0};
    struct scenario_opts so = {.interrupt = &child_interrupted,
                               .on_rep = c->quiet ? NULL : rep_done,
                               .on_warn = c->quiet ? NULL : on_warning,
                               .on_load = c->quiet ? NULL : load_live, .arg = &rs,
                               .split = &c->split};
    unsigned round;
    size_t i;

    if (lp)
        loadprof_hook(lp, &so);
    if (runseg_wait(&c->seg, r)) {   /* a delayed start, without a split */
        r->complete = 0;
        return 1;
    }
    for (round = 0; round < p->rounds; round++)
        for (i = 0; i < p->njobs; i++) {
            if (!job_in_round(&p->jobs[i], round))
                continue;
            if (run_job(c, p, i, round, &so, lp, r->ctx.clock_resolution_ns, &r->benches[i],
                        invalid) < 0 || child_interrupted) {
                r->complete = 0;
                repsum_free(&rs);
                return 1;
            }
        }
    repsum_free(&rs);
    runseg_finish(&c->seg, &c->split, r);
    return 0;
}

/* Whether p has micro jobs (micro 1) or load jobs (micro 0). */
static int plan_has(const struct plan *p, int micro)
{
    size_t i;

    for (i = 0; i < p->njobs; i++)
        if (micro ? p->jobs[i].li != NULL : p->jobs[i].mp.sc != NULL)
            return 1;
    return 0;
}

/* Every benchmark's statistics and warnings; the number of load
 * thresholds that failed. */
static int finish_benches(const struct run_cli *c, const struct plan *p, struct result *r)
{
    struct warn_tally wt;
    int nfailed = 0;
    size_t i;

    warn_tally_init(&wt, &r->ctx, c->cv_warn);
    for (i = 0; i < p->njobs; i++) {
        job_finish(&p->jobs[i], &r->benches[i]);
        if (p->jobs[i].mp.sc) {
            struct limit_checks lc = {0};
            nfailed += (int)scenario_thresholds(&r->benches[i], p->jobs[i].mp.sc, &lc);
            limit_checks_free(&lc);
        }
        /* the adaptive rule is the micro runner's */
        warn_tally_add(&wt, &r->benches[i], p->jobs[i].li ? p->jobs[i].set.ci_target : 0);
    }
    if (!c->quiet)
        warn_tally_print(stderr, &wt);
    return nfailed;
}

int cmd_run(int argc, char **argv)
{
    struct run_cli c = {0};
    struct plan p = {0};
    struct result r;
    struct err e = {0};
    struct name_filter re;
    struct loadprof lp;
    char pdir[4200] = "", *saved = NULL;
    int have_re = 0, rc = EXIT_BAD_INPUT, interrupted, invalid = 0, nfailed;
    size_t i;

    result_init(&r);
    settings_default(&c.ov.s);
    if (parse_cli(argc, argv, &c) < 0)
        goto cleanup;
    if ((have_re = cmd_filter("run", c.filter, &re.re)) < 0)
        goto cleanup;
    re.full = c.filter && c.filter[0] == '^';
    child_signals_install();
    if (make_plan(&p, &c, have_re ? &re : NULL) < 0)
        goto cleanup;
    if (p.njobs == 0) {
        if (c.filter && c.filter[0] != '^')
            die_msg("run: no benchmark matches %s (searched in the names the binaries give; "
                    "start it with ^ to match full names, as in '^suite/')", c.filter);
        else
            die_msg("run: no benchmark matches%s%s", c.filter ? " " : "",
                    c.filter ? c.filter : "");
        goto cleanup;
    }
    if (plan_result_start(&p, &r, argc, argv) < 0) {
        die_msg("run: out of memory");
        goto cleanup;
    }
    if (runseg_setup(&c.seg, &p, &c.split, &r, c.quiet) < 0 ||
        cmd_counting_context("run", &p, &r) < 0 ||
        (c.profile && plan_has(&p, 1) && profiles_ready() < 0))
        goto cleanup;
    /* the load benchmarks' profiles are taken as they run */
    if (c.profile && plan_has(&p, 0)) {
        if (profiles_dir_make(pdir, sizeof pdir) < 0)
            goto cleanup;
        loadprof_init(&lp, c.profile_kind, pdir, c.quiet);
    }
    if (!c.quiet)
        warn_setup(&p, &r);
    /* Every benchmark's slot first: rounds fill them in turn. */
    for (i = 0; i < p.njobs; i++)
        if (!result_add_bench(&r)) {
            die_msg("run: out of memory");
            goto cleanup;
        }
    interrupted = run_rounds(&c, &p, &r, pdir[0] ? &lp : NULL, &invalid);
    nfailed = finish_benches(&c, &p, &r);
    if (fits_make(&r) < 0) {
        die_msg("run: out of memory");
        goto cleanup;
    }
    if (c.profile && !interrupted && profiles_take(&p, &r, c.quiet, pdir, sizeof pdir) < 0)
        goto cleanup;
    if (!strcmp(c.format, "table"))
        print_table(&r, &p);   /* by job: before the steps' benchmarks join them */
    if (result_take_parts(&r) < 0) {
        die_msg("run: out of memory");
        goto cleanup;
    }
    if (!strcmp(c.format, "json"))
        result_dump(&r, stdout, &e);
    else if (!strcmp(c.format, "markdown"))
        runmd_print(&r);
    fflush(stdout);
    rc = (interrupted || invalid || result_nerrors(&r)) ? EXIT_UNTRUSTED
         : nfailed ? EXIT_REGRESSION : EXIT_OK;
    if (invalid && !c.quiet)
        warn_msg("a load run is not valid (it says why in its summary, INVALID)");
    if (cmd_save_as(&r, c.out, c.save, "", c.quiet, "result", &saved) < 0 ||
        (c.save_baseline && saved && cmd_name_baseline(c.save, saved, c.save_baseline) < 0))
        rc = EXIT_BAD_INPUT;
    /* beside --out, else beside the file saved in --save's folder */
    if (pdir[0] && rc != EXIT_BAD_INPUT && (c.out || saved)) {
        if (profiles_keep(pdir, c.out ? c.out : saved, c.quiet) < 0)
            rc = EXIT_BAD_INPUT;
        pdir[0] = '\0';
    }
    if (interrupted)
        die_msg("run: interrupted; the result holds what finished");
cleanup:
    if (pdir[0])
        profiles_discard(pdir);
    free(saved);
    if (have_re > 0)
        regfree(&re.re);
    plan_free(&p);
    result_free(&r);
    free(c.cmds);
    free(c.names);
    cmd_params_free(&c.cp);
    return rc;
}
