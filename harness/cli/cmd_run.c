/*
 * cmd_run.c: `pacer run`: micro suites (binaries), suite files and command
 * benchmarks, into one result: a table (or JSON) on stdout, the result file
 * written atomically with --out or --save.
 */
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/run/child.h"
#include "cmd.h"
#include "loadsum.h"
#include "harness/run/cmdbench.h"
#include "compare/report/report.h"
#include "harness/result/env.h"
#include "harness/result/loadres.h"
#include "harness/lib/fmt.h"
#include "harness/run/scenario.h"
#include "harness/result/result_json.h"
#include "harness/run/runner.h"
#include "harness/run/suite.h"
#include "harness/lib/table.h"
#include "warn.h"
#include "harness/run/words.h"

#define LIST_TIMEOUT_NS 30000000000ULL
#define CMD_DEFAULT_SAMPLES 10

/* One benchmark to run: a listed micro benchmark, a command, or a point of
 * a load scenario. */
struct job {
    const char *suite;           /* borrowed */
    const char *binary;          /* micro: borrowed */
    const struct listed *li;     /* micro: borrowed */
    const struct cmd_spec *cs;   /* command: borrowed */
    struct scenario_point mp;       /* load: when mp.sc */
    const char *lname;           /* load: name without the suite (plan's) */
    struct settings set;
};

struct plan {
    struct job *jobs;
    size_t njobs;
    struct listing *listings;    /* one per binary */
    char **binaries;
    size_t nbin;
    struct suite *suites;
    size_t nsuites;
    struct cmd_spec *cmds;       /* from --cmd */
    size_t ncmds;
    char **lnames;               /* load jobs' names (owned) */
    size_t nlnames;
    char *name;                  /* suite name of the result */
};

struct run_cli {
    struct settings_ov ov;       /* settings given on the command line */
    const char *filter, *out, *save, *format;
    double cv_warn;
    int quiet;
    int shell, ignore_failure, show_output;
    const char *prepare, *cleanup;
    const char **cmds, **names;
    size_t ncmds, nnames;
    char **inputs;
    size_t ninputs;
};

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer run [options] [SUITE.json | SUITE_BINARY]... [--cmd 'COMMAND']...\n"
"\n"
"Runs micro suites (binaries built with libpacer), suite files and command\n"
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
"  --shell               run --cmd commands through /bin/sh -c\n"
"  --prepare COMMAND     shell command before each timed run of a command\n"
"  --cleanup COMMAND     shell command after the last run of a command\n"
"  --ignore-failure      a command's non-zero exit is not an error\n"
"  --show-output         let the commands' output through\n"
"  --filter REGEX        only benchmarks whose full name matches (POSIX ERE)\n"
"\n"
"how to measure (a suite file's settings apply unless given here):\n"
"  --samples N           samples per benchmark (default 30; commands 10)\n"
"  --budget TIME         time budget per benchmark (with no --samples: sample\n"
"                        until it is spent)\n"
"  --ci-target PCT       adaptive: stop once the median's 95%% CI is within\n"
"                        +-PCT (e.g. 1%%), or when the budget (default 10s) ends\n"
"  --warmup TIME         warmup per worker process (default 200ms)\n"
"  --warmup-runs N       command warmup runs (default 1)\n"
"  --sample-time TIME    target time of one micro sample (default 10ms)\n"
"  --processes N         worker processes per micro benchmark (default 1)\n"
"  --timeout TIME        per benchmark (default 60s)\n"
"  --seed N              bootstrap seed (recorded)\n"
"\n"
"output:\n"
"  --out FILE            write the result file (atomically)\n"
"  --save DIR            write it as DIR/<UTC time>-<commit>.json\n"
"  --format table|json   what goes to stdout (default table)\n"
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

static int parse_cli(int argc, char **argv, struct run_cli *c)
{
    enum {
        O_CMD = 256, O_SHELL, O_PREPARE, O_CLEANUP, O_IGNORE, O_SHOW, O_FILTER, O_SAMPLES,
        O_BUDGET, O_CI, O_WARMUP, O_WRUNS, O_STIME, O_PROCS, O_TIMEOUT, O_SEED, O_OUT, O_SAVE,
        O_FORMAT, O_CVWARN,
    };
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
        {"format", required_argument, 0, O_FORMAT}, {"cv-warn", required_argument, 0, O_CVWARN},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    struct settings *s = &c->ov.s;
    unsigned long long v;
    int o;

    c->cv_warn = WARN_CV_DEFAULT;
    c->format = "table";
    optind = 1;
    while ((o = getopt_long(argc, argv, "n:qh", lopts, NULL)) != -1) {
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
        case O_SAMPLES:
            if (fmt_parse_count(optarg, &v) < 0 || v < 1 || v > 1000000)
                return bad_value("samples", optarg, "a count from 1 to 1000000");
            s->samples = (unsigned)v;
            c->ov.mask |= OV_SAMPLES;
            break;
        case O_PROCS:
            if (fmt_parse_count(optarg, &v) < 0 || v < 1 || v > 1000)
                return bad_value("processes", optarg, "a count from 1 to 1000");
            s->processes = (unsigned)v;
            c->ov.mask |= OV_PROCESSES;
            break;
        case O_WRUNS:
            if (fmt_parse_count(optarg, &v) < 0 || v > 1000000)
                return bad_value("warmup-runs", optarg, "a count");
            s->warmup_runs = (unsigned)v;
            c->ov.mask |= OV_WARMUP_RUNS;
            break;
        case O_SEED:
            if (fmt_parse_count(optarg, &v) < 0 || v > (1ULL << 62))
                return bad_value("seed", optarg, "a non-negative integer below 2^62");
            s->seed = v;
            c->ov.mask |= OV_SEED;
            break;
        case O_BUDGET:
            if (fmt_parse_duration(optarg, &s->budget_ns) < 0)
                return bad_value("budget", optarg, "a duration (e.g. 2s)");
            c->ov.mask |= OV_BUDGET;
            break;
        case O_WARMUP:
            if (fmt_parse_duration(optarg, &s->warmup_ns) < 0)
                return bad_value("warmup", optarg, "a duration (e.g. 200ms)");
            c->ov.mask |= OV_WARMUP;
            break;
        case O_STIME:
            if (fmt_parse_duration(optarg, &s->sample_target_ns) < 0 || !s->sample_target_ns)
                return bad_value("sample-time", optarg, "a duration above zero (e.g. 10ms)");
            c->ov.mask |= OV_SAMPLE_TIME;
            break;
        case O_TIMEOUT:
            if (fmt_parse_duration(optarg, &s->timeout_ns) < 0 || !s->timeout_ns)
                return bad_value("timeout", optarg, "a duration above zero (e.g. 60s)");
            c->ov.mask |= OV_TIMEOUT;
            break;
        case O_CI:
            if (fmt_parse_percent(optarg, &s->ci_target) < 0 || s->ci_target <= 0 ||
                s->ci_target >= 1)
                return bad_value("ci-target", optarg, "a percentage (e.g. 1%)");
            c->ov.mask |= OV_CI_TARGET;
            break;
        case O_CVWARN:
            if (fmt_parse_percent(optarg, &c->cv_warn) < 0 || c->cv_warn < 0)
                return bad_value("cv-warn", optarg, "a percentage (e.g. 5%)");
            break;
        case O_OUT: c->out = optarg; break;
        case O_SAVE: c->save = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "json"))
                return bad_value("format", optarg, "table or json");
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
    c->inputs = argv + optind;
    c->ninputs = (size_t)(argc - optind);
    if (c->nnames > c->ncmds) {
        die_msg("run: %zu --name for %zu --cmd", c->nnames, c->ncmds);
        return -1;
    }
    if (c->ninputs == 0 && c->ncmds == 0) {
        die_msg("run: nothing to run: give a suite file, a suite binary or --cmd (see --help)");
        return -1;
    }
    return 0;
}

static const char *job_name(const struct job *j)
{
    return j->mp.sc ? j->lname : j->cs ? j->cs->name : j->li->name;
}

/* Add a job unless one of the same full name is planned already (the same
 * binary listed twice, the same command given twice). */
static int add_job(struct plan *p, const struct job *j)
{
    struct job *nj;
    size_t i;

    for (i = 0; i < p->njobs; i++)
        if (!strcmp(p->jobs[i].suite, j->suite) && !strcmp(job_name(&p->jobs[i]), job_name(j)))
            return 0;
    nj = realloc(p->jobs, (p->njobs + 1) * sizeof *nj);
    if (!nj)
        return -1;
    nj[p->njobs++] = *j;
    p->jobs = nj;
    return 0;
}

/* List a binary and add its (matching) benchmarks as jobs. */
static int plan_binary(struct plan *p, const char *binary, const char *suite, const char *filter,
                       const regex_t *re, const struct settings *set)
{
    struct listing *nl;
    regex_t fre;
    size_t i;
    struct err e = {0};

    nl = realloc(p->listings, (p->nbin + 1) * sizeof *nl);
    if (!nl)
        return -1;
    p->listings = nl;
    if (runner_list(binary, LIST_TIMEOUT_NS, &p->listings[p->nbin], &e) < 0) {
        die_msg("%s: %s", binary, e.msg);
        listing_free(&p->listings[p->nbin]);
        return -1;
    }
    p->nbin++;
    if (filter && regcomp(&fre, filter, REG_EXTENDED | REG_NOSUB) != 0) {
        die_msg("%s: filter '%s' is not a valid regular expression", binary, filter);
        return -1;
    }
    for (i = 0; i < p->listings[p->nbin - 1].n; i++) {
        const struct listed *li = &p->listings[p->nbin - 1].items[i];
        struct job j = {.suite = suite, .binary = binary, .li = li, .set = *set};
        if (!runner_matches(re, suite, li->name) ||
            (filter && regexec(&fre, li->name, 0, NULL, 0) != 0))
            continue;
        if (add_job(p, &j) < 0)
            return -1;
    }
    if (filter)
        regfree(&fre);
    return 0;
}

static int is_executable_file(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

/* Settings for one entry: defaults, then the suite's, the entry's, the
 * command line's. */
static struct settings entry_settings(const struct settings_ov *suite_ov,
                                      const struct settings_ov *entry_ov,
                                      const struct settings_ov *cli, int is_cmd)
{
    struct settings s;

    settings_default(&s);
    if (is_cmd)
        s.samples = CMD_DEFAULT_SAMPLES;
    if (suite_ov)
        settings_apply(&s, suite_ov);
    if (entry_ov)
        settings_apply(&s, entry_ov);
    settings_apply(&s, cli);
    /* A budget alone means: sample until it is spent. */
    if ((s.budget_ns || s.ci_target > 0) && !((cli->mask | (entry_ov ? entry_ov->mask : 0) |
                                              (suite_ov ? suite_ov->mask : 0)) & OV_SAMPLES))
        s.samples = 0;
    if (s.ci_target > 0 && !s.budget_ns)
        s.budget_ns = 10000000000ULL;
    return s;
}

/* A job per point of every scenario of s. */
static int plan_scenarios(struct plan *p, const struct suite *s, const struct run_cli *c,
                          const regex_t *re)
{
    size_t i, k;

    for (i = 0; i < s->nscenarios; i++)
        for (k = 0; k < scenario_npoints(&s->scenarios[i]); k++) {
            struct job j = {.suite = s->name};
            char **nn, *name;
            scenario_point_get(s, i, k, &j.mp);
            if (!(name = scenario_point_name(&j.mp)))
                return -1;
            nn = realloc(p->lnames, (p->nlnames + 1) * sizeof *nn);
            if (!nn) {
                free(name);
                return -1;
            }
            p->lnames = nn;
            p->lnames[p->nlnames++] = name;
            j.lname = name;
            j.set = entry_settings(&s->ov, NULL, &c->ov, 1);
            j.set.samples = (c->ov.mask & OV_SAMPLES) ? c->ov.s.samples
                                                      : s->scenarios[i].repetitions;
            if (runner_matches(re, s->name, name) && add_job(p, &j) < 0)
                return -1;
        }
    return 0;
}

static int build_plan(struct plan *p, struct run_cli *c, const regex_t *re)
{
    size_t i, k;
    struct err e = {0};

    p->suites = calloc(c->ninputs + 1, sizeof *p->suites);
    p->binaries = calloc(c->ninputs + 1, sizeof *p->binaries);
    p->cmds = calloc(c->ncmds + 1, sizeof *p->cmds);
    if (!p->suites || !p->binaries || !p->cmds)
        return -1;
    for (i = 0; i < c->ninputs; i++) {
        const char *in = c->inputs[i];
        size_t len = strlen(in);
        if (len > 5 && !strcmp(in + len - 5, ".json")) {
            struct suite *s = &p->suites[p->nsuites++];
            if (suite_load(in, s, &e) < 0) {
                die_msg("%s", e.msg);
                return -1;
            }
            for (k = 0; k < s->nmicro; k++) {
                struct settings set = entry_settings(&s->ov, &s->micro[k].ov, &c->ov, 0);
                if (!is_executable_file(s->micro[k].binary)) {
                    die_msg("%s: micro[%zu].binary: %s is not an executable file (built? run make)",
                            in, k, s->micro[k].binary);
                    return -1;
                }
                if (plan_binary(p, s->micro[k].binary, runner_suite_name(s->micro[k].binary),
                                s->micro[k].filter, re, &set) < 0)
                    return -1;
            }
            for (k = 0; k < s->ncmds; k++) {
                struct job j = {.suite = s->name, .cs = &s->cmds[k].spec};
                j.set = entry_settings(&s->ov, &s->cmds[k].ov, &c->ov, 1);
                if (runner_matches(re, s->name, s->cmds[k].spec.name) && add_job(p, &j) < 0)
                    return -1;
            }
            if (plan_scenarios(p, s, c, re) < 0)
                return -1;
        } else if (is_executable_file(in)) {
            struct settings set = entry_settings(NULL, NULL, &c->ov, 0);
            p->binaries[i] = strdup(in);
            if (plan_binary(p, in, runner_suite_name(in), NULL, re, &set) < 0)
                return -1;
        } else {
            die_msg("run: %s: not a suite file (*.json) nor an executable suite binary", in);
            return -1;
        }
    }
    for (i = 0; i < c->ncmds; i++) {
        struct cmd_spec *cs = &p->cmds[p->ncmds++];
        struct job j = {.suite = "command", .cs = cs};
        char **argv;
        char sc;
        cs->line = strdup(c->cmds[i]);
        cs->name = strdup(i < c->nnames ? c->names[i] : c->cmds[i]);
        cs->shell = c->shell;
        cs->prepare = c->prepare ? strdup(c->prepare) : NULL;
        cs->cleanup = c->cleanup ? strdup(c->cleanup) : NULL;
        cs->ignore_failure = c->ignore_failure;
        cs->show_output = c->show_output;
        if (!cs->shell) {
            if (words_split(cs->line, &argv, &e) < 0) {
                die_msg("run: --cmd '%s': %s", cs->line, e.msg);
                return -1;
            }
            words_free(argv);
            if ((sc = words_shell_char(cs->line)) && !c->quiet)
                warn_msg("--cmd '%s' has '%c', which only a shell understands; it runs without "
                         "one (add --shell to use /bin/sh)", cs->line, sc);
        }
        j.set = entry_settings(NULL, NULL, &c->ov, 1);
        if (runner_matches(re, "command", cs->name) && add_job(p, &j) < 0)
            return -1;
    }
    /* The result's suite name. */
    if (c->ninputs == 1 && p->nsuites == 1)
        p->name = strdup(p->suites[0].name);
    else if (c->ninputs == 1 && c->ncmds == 0)
        p->name = strdup(runner_suite_name(c->inputs[0]));
    else if (c->ninputs == 0)
        p->name = strdup("command");
    else
        p->name = strdup("mixed");
    return 0;
}

static void plan_free(struct plan *p)
{
    size_t i;

    for (i = 0; i < p->nbin; i++)
        listing_free(&p->listings[i]);
    for (i = 0; i < p->nsuites; i++)
        suite_free(&p->suites[i]);
    for (i = 0; i < p->ncmds; i++)
        cmd_spec_free(&p->cmds[i]);
    for (i = 0; p->binaries && p->binaries[i]; i++)
        free(p->binaries[i]);
    for (i = 0; i < p->nlnames; i++)
        free(p->lnames[i]);
    free(p->lnames);
    free(p->binaries);
    free(p->listings);
    free(p->suites);
    free(p->cmds);
    free(p->jobs);
    free(p->name);
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

/* A scenario's repetition, as it finishes (scenario_opts.on_rep). */
static void rep_done(void *arg, const char *bench, unsigned k, unsigned n,
                     const struct load_opts *lo, const struct load_out *out)
{
    (void)arg;
    fprintf(stderr, "%s: repetition %u/%u\n", bench, k, n);
    load_print_summary(stderr, lo, out);
    fflush(stderr);
}

static void rep_warn(void *arg, const char *msg)
{
    (void)arg;
    warn_msg("%s", msg);
}

static void print_table(const struct result *r, const struct plan *p)
{
    struct table t;
    size_t i, nerr = 0, ncmd = 0;

    table_init(&t, BENCH_COLS);
    table_bench_header(&t, "median");
    for (i = 0; i < r->nbenches; i++) {
        const struct bench *b = &r->benches[i];
        if (b->error)
            nerr++;
        if (b->kind == KIND_COMMAND)
            ncmd++;
        if (!b->error || b->nsamples)
            table_add_bench(&t, b->name, b->unit, &b->st, b->bytes_per_op, b->items_per_op,
                            b->iterations);
    }
    if (t.nrows > 1)
        table_print(&t, stdout);
    table_free(&t);
    if (ncmd) {
        const char *h[] = {"command", "user", "sys", "max RSS"};
        table_init(&t, 4);
        table_add(&t, h);
        for (i = 0; i < r->nbenches; i++) {
            const struct bench *b = &r->benches[i];
            char u[32] = "-", s[32] = "-", m[32] = "-";
            const char *row[4];
            size_t k;
            if (b->kind != KIND_COMMAND || b->nsamples == 0)
                continue;
            for (k = 0; k < b->nmetrics; k++) {
                const struct metric *mt = &b->metrics[k];
                char *dst = !strcmp(mt->name, "user") ? u : !strcmp(mt->name, "sys") ? s
                          : !strcmp(mt->name, "max_rss") ? m : NULL;
                if (dst && mt->st.n)
                    fmt_value(dst, 32, mt->st.median, mt->unit);
            }
            row[0] = b->name;
            row[1] = u;
            row[2] = s;
            row[3] = m;
            table_add(&t, row);
        }
        if (t.nrows > 1) {
            fputc('\n', stdout);
            table_print(&t, stdout);
        }
        table_free(&t);
    }
    print_load_table(r);
    print_thresholds(r, p);
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

int cmd_run(int argc, char **argv)
{
    struct run_cli c = {0};
    struct plan p = {0};
    struct result r;
    struct err e = {0};
    regex_t re;
    int have_re = 0, rc = EXIT_BAD_INPUT, interrupted = 0, invalid = 0, nthresholds_failed = 0;
    unsigned rounds = 1, round;
    size_t i;

    result_init(&r);
    settings_default(&c.ov.s);
    if (parse_cli(argc, argv, &c) < 0)
        goto cleanup;
    if (c.filter) {
        if (regcomp(&re, c.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            die_msg("run: --filter: '%s' is not a valid regular expression", c.filter);
            goto cleanup;
        }
        have_re = 1;
    }
    child_signals_install();
    if (build_plan(&p, &c, have_re ? &re : NULL) < 0)
        goto cleanup;
    if (p.njobs == 0) {
        die_msg("run: no benchmark matches%s%s", c.filter ? " " : "", c.filter ? c.filter : "");
        goto cleanup;
    }
    if (env_collect(&r.ctx) < 0) {
        die_msg("run: out of memory");
        goto cleanup;
    }
    /* The measured code's build, from the first suite binary. */
    if (p.nbin && p.listings[0].compiler) {
        free(r.ctx.compiler);
        free(r.ctx.cflags);
        r.ctx.compiler = strdup(p.listings[0].compiler);
        r.ctx.cflags = strdup(p.listings[0].cflags);
        env_fingerprint(&r.ctx);
    }
    if (!c.quiet) {
        env_warn(stderr, &r.ctx);
        for (i = 0; i < p.nbin; i++)
            if (p.listings[i].cflags && strstr(p.listings[i].cflags, "without optimization"))
                warn_msg("%s: benchmarks built without optimization", p.binaries[i]
                                                                          ? p.binaries[i] : "suite");
    }
    r.suite = strdup(p.name);
    r.set = p.jobs[0].set;
    r.complete = 1;
    r.argv = calloc((size_t)argc + 2, sizeof *r.argv);
    if (r.argv) {
        r.argv[0] = strdup("pacer");
        for (i = 0; i < (size_t)argc; i++)
            r.argv[i + 1] = strdup(argv[i]);
    }
    /* Every benchmark's slot first: rounds fill them in turn. */
    for (i = 0; i < p.njobs; i++) {
        if (!result_add_bench(&r)) {
            die_msg("run: out of memory");
            goto cleanup;
        }
        if (!p.jobs[i].cs && !p.jobs[i].mp.sc && p.jobs[i].set.processes > rounds)
            rounds = p.jobs[i].set.processes;
    }
    /* With several worker processes per benchmark, round k runs process k
     * of every benchmark: the processes of one benchmark are spread over
     * the whole run, so a slow spell of the machine lands on one of them
     * and shows as spread between processes, not as a shift. */
    for (round = 0; round < rounds && !interrupted; round++) {
        for (i = 0; i < p.njobs && !interrupted; i++) {
            const struct job *j = &p.jobs[i];
            struct bench *b = &r.benches[i];
            struct run_opts ro = {.set = j->set, .clock_resolution_ns = r.ctx.clock_resolution_ns};
            int stop = 0;
            if (j->cs || j->mp.sc ? round > 0
                                  : round >= (j->set.processes ? j->set.processes : 1))
                continue;
            if (rounds > 1 && !c.quiet && isatty(2)) {
                fprintf(stderr, "\r\033[K[round %u/%u] [%zu/%zu] %s", round + 1, rounds, i + 1,
                        p.njobs, job_name(j));
                fflush(stderr);
            } else
                progress(&c, i, p.njobs, job_name(j));
            if (j->mp.sc) {
                struct scenario_opts mo = {.repetitions = j->set.samples,
                                           .interrupt = &child_interrupted,
                                           .on_rep = c.quiet ? NULL : rep_done,
                                           .on_warn = c.quiet ? NULL : rep_warn};
                progress(&c, i, p.njobs, NULL);
                if (!c.quiet)
                    fprintf(stderr, "[%zu/%zu] %s/%s: target %s\n", i + 1, p.njobs, j->suite,
                            j->lname, j->mp.tg->name);
                stop = scenario_run(&j->mp, &mo, b, &invalid);
                if (b->error && !c.quiet)
                    fprintf(stderr, "%s: %s\n", b->name, b->error->message);
                if (!c.quiet) {
                    struct limit_checks lc = {0};
                    scenario_thresholds(b, j->mp.sc, &lc);
                    report_limit_lines(stderr, lc.v, lc.n, "threshold", 0);
                    limit_checks_free(&lc);
                }
            } else if (j->cs)
                stop = cmdbench_run(j->cs, j->suite, &j->set, b);
            else
                stop = runner_process(j->binary, j->suite, j->li, &ro, round, b) < 0 ? -1 : 0;
            progress(&c, i, p.njobs, NULL);
            if (stop < 0 || child_interrupted) {
                interrupted = 1;
                r.complete = 0;
            }
        }
    }
    for (i = 0; i < p.njobs; i++) {
        struct run_opts ro = {.set = p.jobs[i].set};
        if (p.jobs[i].mp.sc) {
            if (!r.benches[i].name) {
                size_t len = strlen(p.jobs[i].suite) + strlen(p.jobs[i].lname) + 2;
                bench_set_error(&r.benches[i], "interrupted before it ran");
                r.benches[i].kind = KIND_LOAD;
                if ((r.benches[i].name = malloc(len)))
                    snprintf(r.benches[i].name, len, "%s/%s", p.jobs[i].suite, p.jobs[i].lname);
            } else
{
                struct limit_checks lc = {0};
                nthresholds_failed += (int)scenario_thresholds(&r.benches[i], p.jobs[i].mp.sc, &lc);
                limit_checks_free(&lc);
            }
        } else if (!p.jobs[i].cs) {
            if (!r.benches[i].name) {
                /* never reached: interrupted before its first process */
                bench_set_error(&r.benches[i], "interrupted before it ran");
                r.benches[i].name = malloc(strlen(p.jobs[i].suite) + strlen(job_name(&p.jobs[i])) + 2);
                if (r.benches[i].name)
                    sprintf(r.benches[i].name, "%s/%s", p.jobs[i].suite, job_name(&p.jobs[i]));
            }
            runner_finish(&r.benches[i], &ro);
        } else if (!r.benches[i].name) {
            bench_set_error(&r.benches[i], "interrupted before it ran");
            r.benches[i].name = malloc(strlen(p.jobs[i].suite) + strlen(job_name(&p.jobs[i])) + 2);
            if (r.benches[i].name)
                sprintf(r.benches[i].name, "%s/%s", p.jobs[i].suite, job_name(&p.jobs[i]));
        }
        if (!c.quiet)
            warn_bench(stderr, &r.benches[i], &r.ctx, c.cv_warn);
    }
    if (!strcmp(c.format, "json"))
        result_dump(&r, stdout, &e);
    else
        print_table(&r, &p);
    fflush(stdout);
    rc = (interrupted || invalid || result_nerrors(&r)) ? EXIT_UNTRUSTED
         : nthresholds_failed ? EXIT_REGRESSION : EXIT_OK;
    if (invalid && !c.quiet)
        warn_msg("a load run is not valid (the generator was the bottleneck): see its summary");
    if (c.out && result_save(&r, c.out, &e) < 0) {
        die_msg("%s", e.msg);
        rc = EXIT_BAD_INPUT;
    }
    if (c.save) {
        char *path = result_save_path(c.save, &r.ctx, "");
        mkdir(c.save, 0777);
        err_clear(&e);
        if (!path || result_save(&r, path, &e) < 0) {
            die_msg("%s", path ? e.msg : "out of memory");
            rc = EXIT_BAD_INPUT;
        } else if (!c.quiet)
            fprintf(stderr, "pacer: result written to %s\n", path);
        free(path);
    }
    if (interrupted)
        die_msg("run: interrupted; the result holds what finished");
cleanup:
    if (have_re)
        regfree(&re);
    plan_free(&p);
    result_free(&r);
    free(c.cmds);
    free(c.names);
    return rc;
}
