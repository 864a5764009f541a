/*
 * cmd_compare.c: `pacer compare BASE NEW`: the regression gate between two
 * results (pacer, Google Benchmark, hyperfine or pytest-benchmark files), or the paired
 * analysis of one A/B result, or the limits of one result.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "compare/compare.h"
#include "compare/compare_files.h"
#include "compare/policy.h"
#include "compare/report/report.h"
#include "compare/store.h"
#include "compare/trend_read.h"
#include "explain.h"
#include "harness/lib/fmt.h"
#include "harness/result/profile.h"
#include "plots/plot.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer compare [options] BASE NEW\n"
"       pacer compare [options] AB_RESULT | RESULT\n"
"       pacer compare [options] --baseline NAME|latest NEW\n"
"\n"
"Decides per benchmark whether NEW regressed, improved, stayed unchanged or\n"
"cannot tell (inconclusive) against BASE.  Files may be pacer results, Google\n"
"Benchmark JSON (with --benchmark_repetitions), hyperfine --export-json or\n"
"pytest --benchmark-json.\n"
"One A/B result (pacer ab --out) is analysed as pairs; one plain result is\n"
"checked against the limits only.\n"
"\n"
"  --threshold PCT       changes within +-PCT are unchanged (default 1.5%%\n"
"                        unpaired, 1%% paired)\n"
"  --thresholds FILE     per-benchmark thresholds and limits: a policy file or\n"
"                        the \"compare\" section of a suite file\n"
"  --limit 'EXPR'        an absolute limit on NEW, e.g. 'median < 50ms',\n"
"                        'throughput > 20000', 'hash/.*: p99 <= 2us' (repeatable)\n"
"  --correction holm|bh|none   multiple-comparison correction (default holm)\n"
"  --alpha A             significance level after correction (default 0.05)\n"
"  --drift PCT           CI allowance for drift between the runs when the suite\n"
"                        is too small to measure it (fewer than %d benchmarks;\n"
"                        default %.0f%%; 0: trust runs of one worker process)\n"
"  --basis auto|wall     auto: compare on CPU time the benchmarks whose CPU time\n"
"                        tracks their wall time when undisturbed (default);\n"
"                        wall: always on the samples as measured\n"
"  --no-reference        judge the runs as wholes as if they had timed no\n"
"                        reference workload (machine and code then untold)\n"
"  --filter REGEX        only benchmarks whose name matches\n"
"  --baseline NAME       compare the one result given (NEW) with the run named\n"
"                        NAME in the store (pacer store baseline NAME FILE), or\n"
"                        with latest: the newest other run of NEW's branch and\n"
"                        machine fingerprint\n"
"  --store FILE          the store of --baseline (default: pacer.db in NEW's\n"
"                        folder, else results/pacer.db)\n"
"  --format table|markdown|json|csv\n"
"  --color auto|always|never   (NO_COLOR is honoured)\n"
"  --allow-incomplete    compare what an interrupted run (\"complete\": false)\n"
"                        finished (refused by default, exit code 3)\n"
"  --ignore-failure      hyperfine commands that exited non-zero in every run\n"
"                        (hyperfine -i) are taken as measured (else failed)\n"
"  --strict              benchmarks on one side only, or differing\n"
"                        fingerprints (CPU, kernel, compiler, flags), are errors\n"
"  --require-conclusive  an inconclusive verdict makes the exit code 3\n"
"  --seed N              bootstrap seed (default fixed: same input, same output)\n"
"  --plot FILE           also draw the comparison with gnuplot (FILE.png or\n"
"                        .svg, its data and script beside it; see pacer plot)\n"
"  --explain             for each benchmark that regressed or improved, the\n"
"                        functions whose instructions changed most, from the\n"
"                        profiles beside the two results (pacer run --profile),\n"
"                        and a differential flame graph beside the new one's\n"
"\n"
"exit codes: 0 nothing regressed and every limit held, 1 a regression or a\n"
"failed limit, 2 bad input (unreadable or malformed, a time of zero, nothing\n"
"in common), 3 untrustworthy input (an interrupted run, a benchmark failed,\n"
"fewer than 2 samples a side, the whole run worse and machine and code\n"
"cannot be told apart, or inconclusive with --require-conclusive)\n",
            COMPARE_SUITE_MIN, 100 * COMPARE_DRIFT_DEFAULT);
}

struct cli {
    const char *format, *color, *filter, *thresholds, *plot, *baseline, *store;
    int strict, require_conclusive, have_threshold, have_drift, allow_incomplete, ignore_failure;
    int explain;
};

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("compare: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int parse(int argc, char **argv, struct cli *c, struct compare_opts *o)
{
    enum { O_THR = 256, O_THRS, O_LIMIT, O_CORR, O_ALPHA, O_DRIFT, O_FILTER, O_FORMAT, O_COLOR,
           O_STRICT, O_REQ, O_SEED, O_PLOT, O_BASIS, O_NOREF, O_INCOMPLETE, O_IGNORE,
           O_EXPLAIN, O_BASELINE, O_STORE };
    static const struct option lopts[] = {
        {"threshold", required_argument, 0, O_THR}, {"thresholds", required_argument, 0, O_THRS},
        {"limit", required_argument, 0, O_LIMIT}, {"correction", required_argument, 0, O_CORR},
        {"alpha", required_argument, 0, O_ALPHA}, {"drift", required_argument, 0, O_DRIFT},
        {"filter", required_argument, 0, O_FILTER}, {"format", required_argument, 0, O_FORMAT},
        {"color", required_argument, 0, O_COLOR}, {"strict", no_argument, 0, O_STRICT},
        {"require-conclusive", no_argument, 0, O_REQ}, {"seed", required_argument, 0, O_SEED},
        {"plot", required_argument, 0, O_PLOT}, {"basis", required_argument, 0, O_BASIS},
        {"no-reference", no_argument, 0, O_NOREF},
        {"allow-incomplete", no_argument, 0, O_INCOMPLETE},
        {"ignore-failure", no_argument, 0, O_IGNORE}, {"explain", no_argument, 0, O_EXPLAIN},
        {"baseline", required_argument, 0, O_BASELINE}, {"store", required_argument, 0, O_STORE},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    unsigned long long u;
    struct err e = {0};
    int opt, li = 0;

    c->format = "table";
    c->color = "auto";
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", lopts, &li)) != -1) {
        switch (opt) {
        case O_THR:
        case O_LIMIT:
        case O_CORR:
        case O_ALPHA:
        case O_DRIFT:
        case O_BASIS:
        case O_NOREF:
            if (policy_option(lopts[li].name, optarg, o, &e) < 0) {
                die_msg("compare: --%s: %s", lopts[li].name, e.msg);
                return -1;
            }
            if (opt == O_THR)
                c->have_threshold = 1;
            if (opt == O_DRIFT)
                c->have_drift = 1;
            break;
        case O_THRS: c->thresholds = optarg; break;
        case O_FILTER: c->filter = optarg; break;
        case O_FORMAT:
        case O_COLOR:
            if (report_option(lopts[li].name, optarg, &c->format, &c->color, &e) < 0) {
                die_msg("compare: --%s: %s", lopts[li].name, e.msg);
                return -1;
            }
            break;
        case O_STRICT: c->strict = 1; break;
        case O_REQ: c->require_conclusive = 1; break;
        case O_INCOMPLETE: c->allow_incomplete = 1; break;
        case O_IGNORE: c->ignore_failure = 1; break;
        case O_EXPLAIN: c->explain = 1; break;
        case O_PLOT: c->plot = optarg; break;
        case O_BASELINE: c->baseline = optarg; break;
        case O_STORE: c->store = optarg; break;
        case O_SEED:
            if (fmt_parse_count(optarg, &u) < 0 || u > (1ULL << 62))
                return bad("seed", optarg, "a non-negative integer below 2^62");
            o->seed = u;
            break;
        case 'h':
            usage(stdout);
            exit(EXIT_OK);
        default:
            fprintf(stderr, "see 'pacer compare --help'\n");
            return -1;
        }
    }
    if (c->baseline && argc - optind != 1) {
        die_msg("compare: --baseline %s: give the one result to compare with it (NEW), got %d",
                c->baseline, argc - optind);
        return -1;
    }
    if (c->store && !c->baseline) {
        die_msg("compare: --store: it names where --baseline is found: give --baseline too");
        return -1;
    }
    if (argc - optind < 1 || argc - optind > 2) {
        die_msg("compare: expected BASE NEW (or one A/B result), got %d file%s", argc - optind,
                argc - optind == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

/* Draw the comparison (--plot); the picture's failure is reported, the
 * verdict stands. */
static int plot_cmp(const struct comparison *cmp, const char *out)
{
    struct plot_opts po;
    struct err e = {0};

    plot_opts_default(&po);
    po.out = out;
    if (plot_compare(cmp, &po, &e) < 0) {
        die_msg("compare: --plot: %s", e.msg);
        return -1;
    }
    return 0;
}

/* Compare the files (or check the limits of one run); 0, or -1 said (with
 * cf->refused when a file was refused as untrustworthy). */
static int compare(char **files, int nfiles, const struct cli *c, struct compare_opts *o,
                   struct compare_files *cf)
{
    struct compare_files_opts fo = {c->thresholds, c->have_threshold, c->have_drift, c->filter,
                                    !c->allow_incomplete, c->ignore_failure};
    struct err e = {0};
    int rc = compare_files(files, (size_t)nfiles, &fo, o, cf, &e);

    if (cf->ab_side)
        warn_msg("an A/B result compared as one side: use 'pacer compare AB_RESULT' for its "
                 "paired analysis");
    if (rc < 0) {
        die_msg("%s", e.msg);
        return -1;
    }
    if (rc == 0)
        return 0;
    if (o->nlimits == 0) {
        die_msg("compare: %s is one run: give a base to compare with, or --limit", files[0]);
        return -1;
    }
    if (compare_limits(&cf->nw, o, &cf->cmp, &e) < 0) {
        die_msg("compare: %s: %s", files[0], e.msg);
        return -1;
    }
    return 0;
}

/* --explain: the profiles beside the files (pacer run --profile; an A/B
 * result's, both sides beside it). */
static void explain_files(char **files, int nfiles, int paired, const struct comparison *cmp,
                          const char *format)
{
    char bd[4200], nd[4200];
    struct explain_src src = {bd, ".callgrind", nd, ".callgrind"};

    profile_dir(bd, sizeof bd, files[0]);
    profile_dir(nd, sizeof nd, files[nfiles - 1]);
    if (paired)
        src.base_ext = ".base.callgrind";
    explain_print(stdout, cmp, &src, format);
}

/* The file of baseline c->baseline for the result nw, from the store
 * (--store; else nw's folder's own, else results/): into *base (to free).
 * 0, or -1 after saying why not. */
static int find_baseline(const struct cli *c, const char *nw, char **base)
{
    const char *slash = strrchr(nw, '/');
    char own[4096];
    struct store *s = NULL;
    struct trend_file f;
    struct stat st;
    struct err e = {0};
    int rc = -1;

    snprintf(own, sizeof own, "%.*s%s" STORE_NAME, slash ? (int)(slash - nw) : 0, nw,
             slash ? "/" : "");
    if (!c->store && stat(own, &st) != 0)
        snprintf(own, sizeof own, "results/" STORE_NAME);
    trend_file_init(&f);
    if (store_open(&s, c->store ? c->store : own, 0, &e) < 0 ||
        (!strcmp(c->baseline, "latest") && trend_file_read(&f, nw, 0, &e) < 0) ||
        store_baseline(s, c->baseline, f.branch, f.fingerprint, nw, base, &e) < 0)
        die_msg("compare: --baseline %s: %s", c->baseline, e.msg);
    else {
        fprintf(stderr, "pacer: compare: baseline %s: %s\n", c->baseline, *base);
        rc = 0;
    }
    trend_file_free(&f);
    store_close(s);
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    struct compare_opts o;
    struct compare_files cf = {0};
    struct report_opts ro = {0};
    struct cli c = {0};
    char **files, *pair[2] = {NULL, NULL};
    int rc = EXIT_BAD_INPUT, nfiles, compared;

    compare_opts_default(&o);
    if (parse(argc, argv, &c, &o) < 0)
        goto cleanup;
    files = argv + optind;
    nfiles = argc - optind;
    if (c.baseline) {
        if (find_baseline(&c, files[0], &pair[0]) < 0)
            goto cleanup;
        pair[1] = files[0];
        files = pair;
        nfiles = 2;
    }
    ro.color = report_colour(c.color);
    ro.require_conclusive = c.require_conclusive;
    if (compare(files, nfiles, &c, &o, &cf) < 0) {
        if (cf.refused)
            rc = EXIT_UNTRUSTED;
        goto cleanup;
    }
    compared = nfiles == 2 || cf.paired;
    warn_problems(&cf.cmp, files[0], files[nfiles - 1], &cf.base, &cf.nw);
    if (c.strict && cf.cmp.fingerprint_diff[0]) {
        die_msg("compare: --strict: the fingerprints differ (%s)", cf.cmp.fingerprint_diff);
        goto cleanup;
    }
    if (c.strict && (cf.cmp.count[VERDICT_BASE_ONLY] || cf.cmp.count[VERDICT_NEW_ONLY])) {
        die_msg("compare: --strict: %zu benchmarks only in base, %zu only in new",
                cf.cmp.count[VERDICT_BASE_ONLY], cf.cmp.count[VERDICT_NEW_ONLY]);
        goto cleanup;
    }
    report_find(c.format)->print(stdout, &cf.cmp, &ro);
    if (c.explain && compared)
        explain_files(files, nfiles, cf.paired, &cf.cmp, c.format);
    fflush(stdout);
    rc = compare_exit_code(&cf.cmp, c.require_conclusive);
    if (c.plot && !compared)
        warn_msg("compare: --plot: limits alone have no comparison to draw");
    else if (c.plot && plot_cmp(&cf.cmp, c.plot) < 0 && rc == EXIT_OK)
        rc = EXIT_BAD_INPUT;   /* a verdict's own code is the more important */
cleanup:
    compare_files_free(&cf);
    compare_opts_free(&o);
    free(pair[0]);
    return rc;
}
