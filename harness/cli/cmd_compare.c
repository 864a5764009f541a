/*
 * cmd_compare.c: `pacer compare BASE NEW`: the regression gate between two
 * results (pacer, Google Benchmark or hyperfine files), or the paired
 * analysis of one A/B result, or the limits of one result.
 */
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/ab.h"
#include "cmd.h"
#include "compare/compare.h"
#include "harness/lib/fmt.h"
#include "plots/plot.h"
#include "compare/import/import.h"
#include "compare/policy.h"
#include "compare/report/report.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: pacer compare [options] BASE NEW\n"
"       pacer compare [options] AB_RESULT | RESULT\n"
"\n"
"Decides per benchmark whether NEW regressed, improved, stayed unchanged or\n"
"cannot tell (inconclusive) against BASE.  Files may be pacer results, Google\n"
"Benchmark JSON (with --benchmark_repetitions) or hyperfine --export-json.\n"
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
"                        is too small to measure it (fewer than %d benchmarks)\n"
"                        or a benchmark ran in fewer than %d worker processes\n"
"                        (default %.0f%%)\n"
"  --filter REGEX        only benchmarks whose name matches\n"
"  --format table|markdown|json|csv\n"
"  --color auto|always|never   (NO_COLOR is honoured)\n"
"  --strict              benchmarks on one side only, or differing\n"
"                        fingerprints (CPU, kernel, compiler, flags), are errors\n"
"  --require-conclusive  an inconclusive verdict makes the exit code 3\n"
"  --seed N              bootstrap seed (default fixed: same input, same output)\n"
"  --plot FILE           also draw the comparison with gnuplot (FILE.png or\n"
"                        .svg, its data and script beside it; see pacer plot)\n"
"\n"
"exit codes: 0 nothing regressed and every limit held, 1 a regression or a\n"
"failed limit, 2 bad input (unreadable or malformed, a time of zero, nothing\n"
"in common), 3 untrustworthy input (a benchmark failed, fewer than 2\n"
"samples a side, or inconclusive with --require-conclusive)\n",
            COMPARE_SUITE_MIN, COMPARE_MIN_PROCESSES, 100 * COMPARE_DRIFT_DEFAULT);
}

struct cli {
    const char *format, *color, *filter, *thresholds, *plot;
    int strict, require_conclusive, have_threshold, have_drift;
};

static int bad(const char *opt, const char *val, const char *what)
{
    die_msg("compare: --%s: '%s' is not %s", opt, val, what);
    return -1;
}

static int parse(int argc, char **argv, struct cli *c, struct compare_opts *o)
{
    enum { O_THR = 256, O_THRS, O_LIMIT, O_CORR, O_ALPHA, O_DRIFT, O_FILTER, O_FORMAT, O_COLOR,
           O_STRICT, O_REQ, O_SEED, O_PLOT };
    static const struct option lopts[] = {
        {"threshold", required_argument, 0, O_THR}, {"thresholds", required_argument, 0, O_THRS},
        {"limit", required_argument, 0, O_LIMIT}, {"correction", required_argument, 0, O_CORR},
        {"alpha", required_argument, 0, O_ALPHA}, {"drift", required_argument, 0, O_DRIFT},
        {"filter", required_argument, 0, O_FILTER}, {"format", required_argument, 0, O_FORMAT},
        {"color", required_argument, 0, O_COLOR}, {"strict", no_argument, 0, O_STRICT},
        {"require-conclusive", no_argument, 0, O_REQ}, {"seed", required_argument, 0, O_SEED},
        {"plot", required_argument, 0, O_PLOT},
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
        case O_PLOT: c->plot = optarg; break;
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
    if (argc - optind < 1 || argc - optind > 2) {
        die_msg("compare: expected BASE NEW (or one A/B result), got %d file%s", argc - optind,
                argc - optind == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

/* Draw the comparison (--plot); the picture's failure is reported, the
 * verdict stands. */
static int plot_cmp(struct comparison *cmp, const char *out, char **files, int nfiles)
{
    struct plot_opts po;
    struct err e = {0};

    plot_opts_default(&po);
    po.out = out;
    snprintf(cmp->base_name, sizeof cmp->base_name, "%s", nfiles == 2 ? files[0] : "base");
    snprintf(cmp->new_name, sizeof cmp->new_name, "%s", files[nfiles - 1]);
    if (plot_compare(cmp, &po, &e) < 0) {
        die_msg("compare: --plot: %s", e.msg);
        return -1;
    }
    return 0;
}

static int load(const char *path, struct result *r)
{
    struct err e = {0};

    if (import_load(path, r, NULL, &e) < 0) {
        die_msg("%s", e.msg);
        return -1;
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    struct compare_opts o;
    struct comparison cmp = {0};
    struct result base, nw;
    struct report_opts ro = {0};
    struct cli c = {0};
    struct err e = {0};
    regex_t re;
    int rc = EXIT_BAD_INPUT, have_re = 0, nfiles, is_ab = 0;

    compare_opts_default(&o);
    result_init(&base);
    result_init(&nw);
    if (parse(argc, argv, &c, &o) < 0)
        goto cleanup;
    nfiles = argc - optind;
    if (c.thresholds && policy_load(c.thresholds, &o, c.have_threshold, c.have_drift, &e) < 0) {
        die_msg("%s", e.msg);
        goto cleanup;
    }
    if (c.filter) {
        if (regcomp(&re, c.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            die_msg("compare: --filter: '%s' is not a valid regular expression", c.filter);
            goto cleanup;
        }
        have_re = 1;
        o.filter = &re;
    }
    ro.color = report_colour(c.color);
    if (nfiles == 2) {
        if (load(argv[optind], &base) < 0 || load(argv[optind + 1], &nw) < 0)
            goto cleanup;
        if (ab_is_result(&nw) || ab_is_result(&base))
            warn_msg("an A/B result compared as one side: use 'pacer compare AB_RESULT' for its "
                     "paired analysis");
    } else {
        if (load(argv[optind], &nw) < 0)
            goto cleanup;
        is_ab = ab_is_result(&nw);
        if (is_ab)
            ab_base_view(&nw, &base);
        if (!is_ab && o.nlimits == 0) {
            die_msg("compare: %s is one run: give a base to compare with, or --limit",
                    argv[optind]);
            goto cleanup;
        }
        o.paired = is_ab;
    }
    if (nfiles == 2 || is_ab) {
        if (compare_results(&base, &nw, &o, &cmp, &e) < 0) {
            die_msg("compare: %s and %s: %s", nfiles == 2 ? argv[optind] : "base",
                    nfiles == 2 ? argv[optind + 1] : "new", e.msg);
            goto cleanup;
        }
    } else if (compare_limits(&nw, &o, &cmp, &e) < 0) {
        die_msg("compare: %s: %s", argv[optind], e.msg);
        goto cleanup;
    }
    warn_problems(&cmp, argv[optind], argv[argc - 1], &base, &nw);
    if (c.strict && cmp.fingerprint_diff[0]) {
        die_msg("compare: --strict: the fingerprints differ (%s)", cmp.fingerprint_diff);
        goto cleanup;
    }
    if (c.strict && (cmp.count[VERDICT_BASE_ONLY] || cmp.count[VERDICT_NEW_ONLY])) {
        die_msg("compare: --strict: %zu benchmarks only in base, %zu only in new",
                cmp.count[VERDICT_BASE_ONLY], cmp.count[VERDICT_NEW_ONLY]);
        goto cleanup;
    }
    report_find(c.format)->print(stdout, &cmp, &ro);
    fflush(stdout);
    rc = compare_exit_code(&cmp, c.require_conclusive);
    if (c.plot && !(nfiles == 2 || is_ab))
        warn_msg("compare: --plot: limits alone have no comparison to draw");
    else if (c.plot && plot_cmp(&cmp, c.plot, argv + optind, nfiles) < 0 && rc == EXIT_OK)
        rc = EXIT_BAD_INPUT;   /* a verdict's own code is the more important */
cleanup:
    comparison_free(&cmp);
    if (have_re)
        regfree(&re);
    compare_opts_free(&o);
    if (!is_ab)
        result_free(&base);   /* an A/B base is a view into nw */
    result_free(&nw);
    return rc;
}
