/*
 * cmd_load.c: `pacer load URL`: one load run against a server that is
 * already running (wrk's and wrk2's use), a summary on stdout, and with
 * --out or --save a result file whose benchmark compare, show and plot
 * read like any other.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "compare/report/report.h"
#include "harness/lib/fmt.h"
#include "harness/result/env.h"
#include "harness/result/jsonread.h"
#include "harness/result/limit.h"
#include "harness/result/loadlimit.h"
#include "harness/result/loadres.h"
#include "harness/result/profile.h"
#include "harness/result/result_json.h"
#include "harness/run/child.h"
#include "harness/run/suite.h"
#include "harness/run/tmpfiles.h"
#include "liveview.h"
#include "loadcap.h"
#include "loadforeign.h"
#include "loadhelp.h"
#include "loadseg.h"
#include "loadsum.h"
#include "profiles.h"
#include "srvprof.h"

struct load_cli {
    struct load_opts o;
    struct load_request rq;
    const char **headers;
    size_t nheaders;
    char *body;                  /* from --body-file, owned */
    const char *out, *save, *format, *name;
    char *out_path;              /* --out with a segment's %t and %j, owned */
    const char *flow;            /* --flow FILE */
    struct load_flows flows;
    const char **limits;
    size_t nlimits;
    struct limit *parsed;        /* the limits, parsed before the load */
    size_t nparsed;
    unsigned repeat;
    int quiet;
    int progress;                /* --progress: the live view also off a terminal */
    struct load_stage *stages;   /* --stages or --rate-stages, owned */
    char *stages_text;           /* their lists as given, joined; owned */
    const char *shape_opt;       /* which of the two, for messages */
    unsigned fixed;              /* FIX_C, FIX_R, FIX_D: given, which stages set */
    struct liveview live;
    char profile[4200];          /* the server's profile of the last window */
    pid_t profile_pid;           /* --profile-pid */
    struct mon_proc *procs;      /* --monitor NAME=PID, labels owned */
    size_t nprocs;
    struct srvprof sp;
    struct loadcap cap;          /* --capacity and its options */
    struct loadseg seg;          /* --segment, --start-at and theirs */
};

static int push(const char ***arr, size_t *n, const char *s)
{
    const char **na = realloc(*arr, (*n + 1) * sizeof *na);

    if (!na)
        return -1;
    na[(*n)++] = s;
    *arr = na;
    return 0;
}

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("load: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int get_count(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    unsigned long long x;

    if (fmt_parse_count(v, &x) < 0 || x < lo || x > hi) {
        char what[64];
        snprintf(what, sizeof what, "a whole number from %u to %u", lo, hi);
        return bad(opt, v, what);
    }
    *out = (unsigned)x;
    return 0;
}

static int get_time(const char *opt, const char *v, int zero_ok, uint64_t *out)
{
    if (fmt_parse_duration(v, out) < 0 || (!zero_ok && *out == 0))
        return bad(opt, v, zero_ok ? "a duration (10s, 500ms)" : "a positive duration");
    return 0;
}

enum { FIX_C = 1, FIX_D = 2, FIX_R = 4 };

enum {
    O_WARMUP = 256, O_ARRIVAL, O_PIPELINE, O_NOKA, O_TIMEOUT, O_BODY, O_BODYFILE, O_PAYLOAD,
    O_FRAMING, O_MONITOR, O_INTERVAL, O_LATE, O_DIGITS, O_SEED, O_LIMIT, O_NAME, O_OUT, O_SAVE,
    O_FORMAT, O_PROFPID, O_NAP, O_IO, O_FLOW, O_STAGES, O_RATE_STAGES, O_PROGRESS,
};

static const struct option lopts[] = {
    {"connections", required_argument, 0, 'c'}, {"threads", required_argument, 0, 't'},
    {"duration", required_argument, 0, 'd'}, {"warmup", required_argument, 0, O_WARMUP},
    {"rate", required_argument, 0, 'R'}, {"arrival", required_argument, 0, O_ARRIVAL},
    {"pipeline", required_argument, 0, O_PIPELINE},
    {"no-keepalive", no_argument, 0, O_NOKA}, {"timeout", required_argument, 0, O_TIMEOUT},
    {"nap", no_argument, 0, O_NAP}, {"io", required_argument, 0, O_IO},
    {"method", required_argument, 0, 'X'}, {"header", required_argument, 0, 'H'},
    {"body", required_argument, 0, O_BODY}, {"body-file", required_argument, 0, O_BODYFILE},
    {"payload", required_argument, 0, O_PAYLOAD},
    {"framing", required_argument, 0, O_FRAMING},
    {"monitor", required_argument, 0, O_MONITOR},
    {"profile-pid", required_argument, 0, O_PROFPID},
    {"interval", required_argument, 0, O_INTERVAL}, {"late", required_argument, 0, O_LATE},
    {"digits", required_argument, 0, O_DIGITS}, {"seed", required_argument, 0, O_SEED},
    {"repeat", required_argument, 0, 'n'}, {"limit", required_argument, 0, O_LIMIT},
    {"name", required_argument, 0, O_NAME}, {"out", required_argument, 0, O_OUT},
    {"save", required_argument, 0, O_SAVE}, {"format", required_argument, 0, O_FORMAT},
    {"flow", required_argument, 0, O_FLOW},
    {"stages", required_argument, 0, O_STAGES},
    {"rate-stages", required_argument, 0, O_RATE_STAGES},
    {"progress", no_argument, 0, O_PROGRESS}, LOADCAP_OPTIONS, LOADSEG_OPTIONS,
    {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
};

/* The options of each group below take opt with its value arg: 0 taken,
 * -1 a bad value (said), 1 not an option of the group. */

/* How the load is made: -c -t -d --warmup -R --arrival --pipeline
 * --no-keepalive --nap --io --timeout. */
static int opt_load(struct load_cli *c, int opt, char *arg)
{
    char *end;

    c->fixed |= opt == 'c' ? FIX_C : opt == 'd' ? FIX_D : opt == 'R' ? FIX_R : 0;
    switch (opt) {
    case 'c': return get_count("connections", arg, 1, 1000000, &c->o.connections);
    case 't': return get_count("threads", arg, 1, 256, &c->o.threads);
    case 'd': return get_time("duration", arg, 0, &c->o.duration_ns);
    case O_WARMUP: return get_time("warmup", arg, 1, &c->o.warmup_ns);
    case 'R':
        c->o.rate = strtod(arg, &end);
        if (end == arg || *end || !(c->o.rate > 0) || c->o.rate > 1e8)
            return bad("rate", arg, "a rate in requests/s above 0");
        return 0;
    case O_ARRIVAL:
        if (!strcmp(arg, "constant"))
            c->o.arrival = ARRIVAL_CONSTANT;
        else if (!strcmp(arg, "poisson"))
            c->o.arrival = ARRIVAL_POISSON;
        else
            return bad("arrival", arg, "constant or poisson");
        return 0;
    case O_PIPELINE: return get_count("pipeline", arg, 1, 1024, &c->o.pipeline);
    case O_NOKA:
        c->o.keepalive = 0;
        return 0;
    case O_NAP:
        c->o.nap = 1;
        return 0;
    case O_IO:
        if (load_io_parse(arg, &c->o.io) < 0)
            return bad("io", arg, "epoll or io_uring");
        return 0;
    case O_TIMEOUT: return get_time("timeout", arg, 0, &c->o.timeout_ns);
    default: return 1;
    }
}

/* What is sent: -X -H --body --body-file --payload --framing. */
static int opt_request(struct load_cli *c, int opt, char *arg)
{
    struct err e = {0};

    switch (opt) {
    case 'X': c->rq.method = arg; return 0;
    case 'H': return push(&c->headers, &c->nheaders, arg);
    case O_BODY:
        c->rq.body = arg;
        c->rq.bodylen = strlen(arg);
        return 0;
    case O_BODYFILE:
        free(c->body);
        if (jr_read_file(arg, &c->body, &c->rq.bodylen, &e) < 0) {
            die_msg("load: --body-file: %s", e.msg);
            return -1;
        }
        c->rq.body = c->body;
        return 0;
    case O_PAYLOAD: c->rq.payload = arg; return 0;
    case O_FRAMING: c->rq.framing = arg; return 0;
    default: return 1;
    }
}

/* What is measured and kept: --monitor --interval --late --digits --seed
 * -n --limit --name --out --save --format -q. */
static int opt_measure(struct load_cli *c, int opt, char *arg)
{
    struct err e = {0};
    unsigned long long x;
    unsigned u;

    switch (opt) {
    case O_MONITOR:
        if (strchr(arg, '=')) {   /* NAME=PID, repeatable */
            if (mon_procs_add(&c->procs, &c->nprocs, arg, &e) < 0)
                return die_msg("load: --monitor '%s': %s", arg, e.msg), -1;
            c->o.monitor_procs = c->procs;
            c->o.nmonitor_procs = c->nprocs;
            return 0;
        }
        if (fmt_parse_count(arg, &x) < 0 || x < 1 || x > 0x7fffffff)
            return bad("monitor", arg, "a process id, or NAME=PID");
        c->o.monitor_pid = (pid_t)x;
        return 0;
    case O_PROFPID:
        if (fmt_parse_count(arg, &x) < 0 || x < 1 || x > 0x7fffffff)
            return bad("profile-pid", arg, "a process id");
        if (kill((pid_t)x, 0) < 0)
            return bad("profile-pid", arg, "a running process");
        c->profile_pid = (pid_t)x;
        return 0;
    case O_INTERVAL: return get_time("interval", arg, 0, &c->o.interval_ns);
    case O_LATE: return get_time("late", arg, 0, &c->o.late_ns);
    case O_DIGITS:
        if (get_count("digits", arg, 1, 5, &u) < 0)
            return -1;
        c->o.digits = (int)u;
        return 0;
    case O_SEED:
        if (fmt_parse_count(arg, &x) < 0)
            return bad("seed", arg, "a whole number");
        c->o.seed = x;
        return 0;
    case 'n': return get_count("repeat", arg, 1, 1000, &c->repeat);
    case O_LIMIT: return push(&c->limits, &c->nlimits, arg);
    case O_FLOW: c->flow = arg; return 0;
    case O_NAME: c->name = arg; return 0;
    case O_OUT: c->out = arg; return 0;
    case O_SAVE: c->save = arg; return 0;
    case O_FORMAT:
        if (strcmp(arg, "table") && strcmp(arg, "json"))
            return bad("format", arg, "table or json");
        c->format = arg;
        return 0;
    case 'q': c->quiet = 1; return 0;
    default: return 1;
    }
}

/* The load's shape: --stages, --rate-stages (one of them), --progress. */
static int opt_shape(struct load_cli *c, int opt, char *arg)
{
    struct err e = {0};
    size_t n;

    if (opt == O_PROGRESS) {
        c->progress = 1;
        return 0;
    }
    if (opt != O_STAGES && opt != O_RATE_STAGES)
        return 1;
    if (c->shape_opt && strcmp(c->shape_opt, opt == O_STAGES ? "--stages" : "--rate-stages")) {
        die_msg("load: --stages and --rate-stages: give one of them (stages of users or of a "
                "rate)");
        return -1;
    }
    c->shape_opt = opt == O_STAGES ? "--stages" : "--rate-stages";
    /* given again, the lists join (k6 gives a stage an option: --stage
     * 30s:20 --stage 1m:20 --stage 10s:0); a list is checked whole */
    {
        char *joined;

        if (asprintf(&joined, "%s%s%s", c->stages_text ? c->stages_text : "",
                     c->stages_text ? "," : "", arg) < 0) {
            die_msg("load: out of memory");
            return -1;
        }
        free(c->stages_text);
        c->stages_text = joined;
        free(c->stages);
        c->stages = NULL;
    }
    if (load_stages_parse(c->stages_text, &c->stages, &n, &e) < 0) {
        die_msg("load: %s: %s", c->shape_opt, e.msg);
        return -1;
    }
    if (opt == O_STAGES) {
        c->o.stages = c->stages;
        c->o.nstages = n;
    } else {
        c->o.rate_stages = c->stages;
        c->o.nrate_stages = n;
    }
    return 0;
}

/* With stages: what they set (-d; -c or -R) is not given too, nor a
 * warmup; then the options take their sum and peak. */
static int shape_check(struct load_cli *c)
{
    int users;

    if (!c->stages)
        return 0;
    users = c->o.nstages > 0;
    if (c->fixed & (FIX_D | (users ? FIX_C | FIX_R : FIX_R))) {
        die_msg("load: %s sets %s: leave %s out", c->shape_opt,
                c->fixed & FIX_D ? "the duration (the sum of the stages)"
                : users && (c->fixed & FIX_C) ? "the connections (the peak of the users)"
                : users ? "a closed loop (users, not a rate)" : "the rate (its peak)",
                c->fixed & FIX_D ? "-d" : c->fixed & FIX_C && users ? "-c" : "-R");
        return -1;
    }
    if (c->o.warmup_ns) {
        die_msg("load: %s: no --warmup with stages: the shape is measured whole; make "
                "the ramp-up its first stage", c->shape_opt);
        return -1;
    }
    load_opts_shape(&c->o);
    return 0;
}

/* An option pacer load does not take: another tool's with pacer's way,
 * or the nearest of pacer's. */
static void unknown_option(const char *arg)
{
    char say[320];
    const char *near;

    if (load_foreign_option(arg, say, sizeof say))
        die_msg("load: %.*s: %s", (int)strcspn(arg, "="), arg, say);
    else if ((near = load_option_near(arg, lopts)))
        die_msg("load: unknown option '%s' (did you mean --%s?)", arg, near);
    else
        die_msg("load: unknown option '%s' (see pacer load --help)", arg);
}

static int parse_cli(int argc, char **argv, struct load_cli *c)
{
    int opt, rc;

    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":c:t:d:R:X:H:n:qh", lopts, NULL)) != -1) {
        rc = opt_load(c, opt, optarg);
        if (rc == 1)
            rc = opt_request(c, opt, optarg);
        if (rc == 1)
            rc = opt_measure(c, opt, optarg);
        if (rc == 1)
            rc = opt_shape(c, opt, optarg);
        if (rc == 1)
            rc = loadcap_option(&c->cap, opt, optarg);
        if (rc == 1)
            rc = loadseg_option(&c->seg, opt, optarg);
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue;
        switch (opt) {
        case 'h':
            load_usage(stdout);
            exit(EXIT_OK);
        case ':':
            die_msg("load: %s needs a value", argv[optind - 1]);
            return -1;
        default: {
            /* an unknown short option may be joined to its value (-u10):
             * getopt names it in optopt; a long one is argv's */
            char s[3] = {'-', (char)optopt, '\0'};

            unknown_option(optopt ? s : argv[optind - 1]);
            return -1;
        }
        }
    }
    if (optind != argc - 1) {
        die_msg(optind == argc ? "load: no URL (see pacer load --help)"
                               : "load: one URL only, got '%s' too", argv[optind + 1]);
        return -1;
    }
    c->o.url_text = argv[optind];
    if (loadseg_apply(&c->seg, &c->o, c->stages) < 0 || shape_check(c) < 0)
        return -1;
    c->o.url_text = argv[optind];
    c->rq.headers = c->headers;
    c->rq.nheaders = c->nheaders;
    return 0;
}

/* --flow FILE: the flows read, checked and compiled, and what flows cannot
 * do refused, before any load.  -1 after saying why. */
static int flows_ready(struct load_cli *c)
{
    struct err e = {0};
    const char *single = c->rq.method ? "-X" : c->nheaders ? "-H" : c->rq.body ? "--body"
                       : c->o.pipeline > 1 ? "--pipeline" : !c->o.keepalive ? "--no-keepalive"
                       : c->o.io != LOAD_IO_EPOLL ? "--io" : NULL;

    if (single) {
        die_msg("load: %s is not for --flow (each step says its own request; a user keeps "
                "its connection and sends one request at a time)", single);
        return -1;
    }
    if (c->o.url.scheme != SCHEME_HTTP) {
        die_msg("load: --flow: flows are HTTP: an http:// URL");
        return -1;
    }
    if (flowfile_load(c->flow, &c->flows, &e) < 0) {
        die_msg("load: --flow: %s", e.msg);
        return -1;
    }
    c->o.flows = &c->flows;
    return 0;
}

/* The result that holds the run. */
static int build_result(struct result *r, const struct load_cli *c, int argc, char **argv)
{
    size_t i;

    if (env_collect(&r->ctx) < 0)
        return -1;
    r->suite = strdup("load");
    r->complete = 1;
    r->argv = calloc((size_t)argc + 2, sizeof *r->argv);
    if (!r->suite || !r->argv)
        return -1;
    r->argv[0] = strdup("pacer");
    for (i = 0; i < (size_t)argc; i++)
        r->argv[i + 1] = strdup(argv[i]);
    r->set.warmup_ns = c->o.warmup_ns;
    r->set.timeout_ns = c->o.timeout_ns;
    r->set.samples = c->repeat;
    if (!result_add_bench(r))
        return -1;
    r->benches[0].name = strdup(c->name ? c->name : c->o.url_text);
    return r->benches[0].name ? 0 : -1;
}

/* A step's or flow's limit names one of the flows' (--flow).  -1 after
 * saying why not. */
static int part_check(const struct load_cli *c, const struct limit *l)
{
    const char *name;
    size_t n;
    int step;

    flow_part_of(l->text, &step, &name, &n);
    if (!c->o.flows) {
        die_msg("load: --limit '%s': %s limits are for loads of flows (--flow)", l->text,
                step ? "step:" : "flow:");
        return -1;
    }
    if (load_flows_has(&c->flows, step, name, n))
        return 0;
    die_msg("load: --limit '%s': %s has no %s named '%.*s'", l->text, c->flow,
            step ? "step" : "flow", (int)n, name);
    return -1;
}

/* Every --limit parsed and checked before any load: its syntax, a metric
 * a load run records (with pacer's spelling of a k6 one), a benchmark name
 * its pattern selects (or, as "step:NAME ...", a step or flow), --monitor
 * for the server's figures.  Parsed into a new c->parsed; 0, or -1 after
 * saying why. */
static int limits_prepare(struct load_cli *c, const char *bench)
{
    struct err e = {0};
    const char *pname;
    size_t n, plen;
    int pstep;

    if (!c->nlimits)
        return 0;
    if (!(c->parsed = calloc(c->nlimits, sizeof *c->parsed))) {
        die_msg("load: out of memory");
        return -1;
    }
    for (n = 0; n < c->nlimits; n++) {
        struct limit *l = &c->parsed[n];
        if (load_limit_parse(c->limits[n], l, &e) < 0) {
            die_msg("load: %s%s", strncmp(e.msg, "limit '", 7) ? "" : "--", e.msg);
            return -1;
        }
        c->nparsed = n + 1;
        if (flow_part_of(l->text, &pstep, &pname, &plen)) {
            if (part_check(c, l) < 0)
                return -1;
        } else if (l->pattern && regexec(&l->re, bench, 0, NULL, 0) != 0) {
            die_msg("load: --limit '%s': '%s' does not match the benchmark's name '%s'",
                    l->text, l->pattern, bench);
            return -1;
        }
        if (!c->o.monitor_pid && strstr(l->metric, "server.")) {
            die_msg("load: --limit '%s': the server's figures need --monitor PID", l->text);
            return -1;
        }
    }
    return 0;
}

/* The limits (parsed by limits_prepare) on the run: their lines printed
 * (on stderr with --format json, whose stdout is the result alone); 1 when
 * one failed, 0, or -1 after saying why. */
static int check_limits(const struct result *r, const struct load_cli *c)
{
    struct limit_checks lc = {0};
    struct err e = {0};
    size_t i;
    int rc = -1;

    if (!c->nparsed)
        return 0;
    /* a limit without a pattern is the whole load's, not each step's */
    for (i = 0; i < c->nparsed; i++)
        if (limit_check(&c->parsed[i], r->benches, c->parsed[i].pattern ? r->nbenches : 1, NULL,
                        0, &lc, &e) < 0)
            goto cleanup;
    report_limit_lines(c->format && !strcmp(c->format, "json") ? stderr : stdout, lc.v, lc.n,
                       "limit", 0);
    rc = lc.failed > 0;
cleanup:
    if (rc < 0)
        die_msg("load: %s%s", strncmp(e.msg, "limit '", 7) ? "" : "--", e.msg);
    limit_checks_free(&lc);
    return rc;
}

/* The server's profile (--profile-pid): its top functions, and kept
 * beside the result when there is one (profiles.h).  0, or -1 after
 * saying why not. */
static int keep_profile(struct load_cli *c, const struct result *r, const char *result_path)
{
    char dir[4200], name[1024], dest[5400], svg[5400];
    const char *bench = r->benches[0].name;
    FILE *out = c->format && !strcmp(c->format, "json") ? stderr : stdout;

    if (!result_path) {
        fputs("server profile (keep it with --out or --save):\n", out);
        return profiles_show_file(out, bench, c->profile, NULL);
    }
    profile_dir(dir, sizeof dir, result_path);
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        die_msg("load: cannot make %s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(dest, sizeof dest, "%s/%s", dir, profile_file_name(name, sizeof name, bench,
                                                                 ".callgrind"));
    snprintf(svg, sizeof svg, "%s/%s", dir, profile_file_name(name, sizeof name, bench, ".svg"));
    if (file_move(c->profile, dest) < 0) {
        die_msg("load: cannot keep the server's profile as %s: %s", dest, strerror(errno));
        return -1;
    }
    c->profile[0] = '\0';
    fputs("server profile:\n", out);
    return profiles_show_file(out, bench, dest, svg);
}

/* Repetition k into r's benchmark, its summary printed and its figures
 * added to rs (NULL: none): 1 when it was not valid, 0, or -1 after saying
 * why it failed. */
static int repetition(struct load_cli *c, struct result *r, unsigned k, struct repsum *rs)
{
    struct load_out out;
    struct err e = {0};
    int invalid;

    if (!c->quiet && c->repeat > 1)
        fprintf(stderr, "repetition %u/%u\n", k + 1, c->repeat);
    c->o.seed += k > 0;
    liveview_attach(&c->live, stderr, liveview_mode(stderr, c->quiet, c->progress), &c->o);
    if (c->profile_pid > 0)
        srvprof_arm(&c->sp);   /* perf ready before the window opens */
    if (load_run(&c->o, &out, &e) < 0) {
        liveview_end(&c->live);
        die_msg("load: %s", e.msg);
        return -1;
    }
    liveview_end(&c->live);
    if (rs)
        load_print_summary(stdout, &c->o, &out);
    invalid = !out.valid;
    if (!out.complete)
        r->complete = 0;
    if (c->profile_pid > 0) {
        if (c->profile[0])
            unlink(c->profile);   /* the last window's is the one kept */
        if (srvprof_fetch(&c->sp, out.requests, c->profile, sizeof c->profile) < 0)
            c->profile[0] = '\0';
    }
    if (load_bench_add(&r->benches[0], &c->o, &out) < 0 || (rs && repsum_add(rs, &out) < 0) ||
        (c->o.flows && load_bench_add_parts(&r->benches[0], &c->o, &out) < 0)) {
        load_out_free(&out);
        die_msg("load: out of memory");
        return -1;
    }
    load_out_free(&out);
    return invalid;
}

/* The repetitions of the load into r's benchmark, each summary printed
 * and then the table across them: 1 when one was not valid, 0, or -1
 * after saying why it failed. */
static int repetitions(struct load_cli *c, struct result *r)
{
    int table = !c->format || strcmp(c->format, "json");
    struct repsum rs = {0};
    int invalid = 0;
    unsigned k;

    for (k = 0; k < c->repeat; k++) {
        int rc = repetition(c, r, k, table ? &rs : NULL);
        if (rc < 0) {
            repsum_free(&rs);
            return -1;
        }
        invalid |= rc;
        if (!r->complete)
            break;
    }
    repsum_print(stdout, &rs);
    repsum_free(&rs);
    return invalid;
}

/* --profile-pid: the server's profiler hooked to the measured window.
 * 0, or -1 after saying why not. */
static int profile_prepare(struct load_cli *c)
{
    struct err e = {0};

    if (c->profile_pid <= 0)
        return 0;
    if (c->cap.ntexts) {
        die_msg("load: --profile-pid with --capacity: a search's steps are not profiled "
                "(profile a run at the rate it finds)");
        return -1;
    }
    if (srvprof_init(&c->sp, c->profile_pid, &e) < 0) {
        die_msg("load: --profile-pid: %s", e.msg);
        return -1;
    }
    c->o.window_start = srvprof_start;
    c->o.window_end = srvprof_end;
    c->o.window_arg = &c->sp;
    return 0;
}

/* The last of the preparation: the profiler, the signals, the wait for
 * --start-at.  EXIT_OK to load, or the exit code after saying why not. */
static int load_ready(struct load_cli *c, struct result *r)
{
    int rc;

    if (profile_prepare(c) < 0)
        return EXIT_BAD_INPUT;
    child_signals_install();
    c->o.stop = &child_interrupted;
    if (c->out && !(c->out_path = loadseg_path(&c->seg, r, c->out)))
        return EXIT_BAD_INPUT;   /* a bad --out said before the wait */
    free(c->out_path);
    c->out_path = NULL;
    rc = loadseg_begin(&c->seg, &c->o, r, c->format && !strcmp(c->format, "json") ? stderr
                                                                                 : stdout);
    if (rc == 0 && c->out && !(c->out = c->out_path = loadseg_path(&c->seg, r, c->out)))
        rc = -1;
    return rc < 0 ? EXIT_BAD_INPUT : rc ? EXIT_UNTRUSTED : EXIT_OK;
}

/* What the options asked that a user may not have meant, before the load:
 * threads beyond the connections, a -n of hours. */
static void say_before(const struct load_cli *c)
{
    char note[240];

    if (c->o.threads > c->o.connections && !c->quiet)
        fprintf(stderr, "pacer: load: %u threads for %u connections: %u run (one a "
                        "connection at most)\n", c->o.threads, c->o.connections,
                c->o.connections);
    if (*load_repeat_warning(c->repeat, c->o.duration_ns + c->o.warmup_ns, note, sizeof note))
        warn_msg("load: %s", note);
}

int cmd_load(int argc, char **argv)
{
    struct load_cli c;
    struct result r;
    struct err e = {0};
    char *req = NULL, *path = NULL;
    int rc = EXIT_BAD_INPUT, invalid = 0, lim, capx = EXIT_OK;
    size_t i, k;

    memset(&c, 0, sizeof c);
    load_opts_default(&c.o);
    c.repeat = 1;
    result_init(&r);
    if (parse_cli(argc, argv, &c) < 0)
        goto cleanup;
    say_before(&c);
    if (load_prepare(&c.o, &c.rq, &req, &e) < 0) {
        die_msg("load: %s", e.msg);
        goto cleanup;
    }
    if (c.flow && flows_ready(&c) < 0)
        goto cleanup;
    if (build_result(&r, &c, argc, argv) < 0) {
        die_msg("load: out of memory");
        goto cleanup;
    }
    if (limits_prepare(&c, r.benches[0].name) < 0 ||
        loadcap_prepare(&c.cap, &c.o, c.fixed & FIX_R, c.repeat, c.parsed, c.nparsed) < 0)
        goto cleanup;
    if ((lim = load_ready(&c, &r)) != EXIT_OK) {
        rc = lim;
        goto cleanup;
    }
    if (c.cap.ntexts) {
        FILE *f = c.format && !strcmp(c.format, "json") ? stderr : stdout;
        if ((capx = loadcap_run(&c.cap, &c.o, &r.benches[0], f, c.quiet, c.progress)) < 0) {
            rc = child_interrupted ? EXIT_UNTRUSTED : EXIT_BAD_INPUT;
            goto cleanup;
        }
    } else if ((invalid = repetitions(&c, &r)) < 0)
        goto cleanup;
    if (result_take_parts(&r) < 0) {
        die_msg("load: out of memory");
        goto cleanup;
    }
    for (i = 0; i < r.nbenches; i++)
        if (bench_compute_stats(&r.benches[i], NULL) < 0) {
            die_msg("load: out of memory");
            goto cleanup;
        }
    if ((c.out && result_save(&r, c.out, &e) < 0) ||
        (c.save && result_save_new(&r, c.save, "-load", &path, &e) < 0)) {
        die_msg("load: %s", e.msg);
        goto cleanup;
    }
    /* flushed whole before anything more is said on stderr, so that a
     * log of both streams (kubectl logs) holds it in one piece */
    if (c.format && !strcmp(c.format, "json") &&
        (result_dump(&r, stdout, &e) < 0 || fflush(stdout) != 0)) {
        die_msg("load: %s", e.set ? e.msg : "cannot write the result to stdout");
        goto cleanup;
    }
    if (path && !c.quiet)
        fprintf(stderr, "saved %s\n", path);
    if (c.profile[0] && keep_profile(&c, &r, c.out ? c.out : path) < 0)
        goto cleanup;
    lim = check_limits(&r, &c);
    if (lim < 0)
        goto cleanup;
    if (invalid || !r.complete || capx == EXIT_UNTRUSTED)
        rc = EXIT_UNTRUSTED;
    else
        rc = lim || capx ? EXIT_REGRESSION : EXIT_OK;
    if (c.cap.ntexts && c.cap.plot && loadcap_draw(&c.cap, &r.benches[0]) < 0)
        rc = EXIT_BAD_INPUT;   /* the picture: the result is saved before it */
cleanup:
    if (c.profile[0])
        unlink(c.profile);
    srvprof_free(&c.sp);
    free(req);
    free(path);
    free(c.out_path);
    free(c.headers);
    free(c.limits);
    for (k = 0; k < c.nparsed; k++)
        limit_free(&c.parsed[k]);
    free(c.parsed);
    free(c.body);
    free(c.stages);
    free(c.stages_text);
    mon_procs_free(c.procs, c.nprocs);
    load_flows_free(&c.flows);
    loadcap_free(&c.cap);
    result_free(&r);
    return rc;
}
