/* report.c: the reporter table and the cells every format shares. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare/effect.h"
#include "compare/whole.h"
#include "harness/lib/fmt.h"

static const struct reporter reporters[] = {
    {"table", report_table},
    {"markdown", report_markdown},
    {"json", report_json},
    {"csv", report_csv},
};

const struct reporter *report_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof reporters / sizeof reporters[0]; i++)
        if (!strcmp(reporters[i].name, name))
            return &reporters[i];
    return NULL;
}

void report_limit_lines(FILE *f, const struct limit_check *checks, size_t n, const char *label,
                        int names)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct limit_check *k = &checks[i];
        char v[ERR_MAX];
        fprintf(f, "  %-11s %s%s%s: ", label, names ? k->bench : "", names ? ": " : "",
                k->limit->text);
        if (isnan(k->value))
            fprintf(f, "cannot be checked: %s\n", limit_missing(v, sizeof v, k->limit));
        else
            fprintf(f, "%s (%s)\n", k->pass ? "holds" : "FAILED",
                    fmt_value(v, sizeof v, k->value, k->unit ? k->unit : ""));
    }
}

char *report_limit_value(char *buf, size_t len, const struct limit_check *k)
{
    if (isnan(k->value)) {
        snprintf(buf, len, "-");
        return buf;
    }
    return fmt_value(buf, len, k->value, k->unit ? k->unit : "");
}

char *report_pct(char *buf, size_t len, double frac)
{
    double pct = 100 * frac;

    if (isnan(frac))
        snprintf(buf, len, "-");
    else if (pct == 0)
        snprintf(buf, len, "0.00%%");
    else if (isinf(pct))
        snprintf(buf, len, "%sinf%%", pct > 0 ? "+" : "-");
    else if (fabs(pct) >= 1e5)   /* a time that cannot be real: keep it short */
        snprintf(buf, len, "%+.2g%%", pct);
    else if (fabs(frac) < 0.0005)
        snprintf(buf, len, "%+.2f%%", pct);
    else
        snprintf(buf, len, "%+.1f%%", pct);
    return buf;
}

char *report_ci(char *buf, size_t len, double lo, double hi)
{
    char a[24], b[24];

    if (isnan(lo) || isnan(hi))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "[%s, %s]", report_pct(a, sizeof a, lo), report_pct(b, sizeof b, hi));
    return buf;
}

char *report_p(char *buf, size_t len, double p)
{
    if (isnan(p))
        snprintf(buf, len, "-");
    else if (p < 1e-6)
        snprintf(buf, len, "<1e-6");
    else if (p < 0.001)
        snprintf(buf, len, "%.1e", p);
    else
        snprintf(buf, len, "%.3f", p);
    return buf;
}

char *report_summary(char *buf, size_t len, const struct comparison *c)
{
    size_t n = c->count[VERDICT_UNCHANGED] + c->count[VERDICT_IMPROVED] +
               c->count[VERDICT_REGRESSED] + c->count[VERDICT_INCONCLUSIVE];
    size_t o = 0;

    o += (size_t)snprintf(buf + o, len - o, "%zu compared: %zu regressed, %zu improved, "
                                            "%zu unchanged, %zu inconclusive",
                          n, c->count[VERDICT_REGRESSED], c->count[VERDICT_IMPROVED],
                          c->count[VERDICT_UNCHANGED], c->count[VERDICT_INCONCLUSIVE]);
    if (o < len && c->count[VERDICT_ERROR])
        o += (size_t)snprintf(buf + o, len - o, ", %zu failed", c->count[VERDICT_ERROR]);
    if (o < len && c->count[VERDICT_SKIPPED])
        o += (size_t)snprintf(buf + o, len - o, ", %zu skipped", c->count[VERDICT_SKIPPED]);
    if (o < len && (c->count[VERDICT_BASE_ONLY] || c->count[VERDICT_NEW_ONLY]))
        o += (size_t)snprintf(buf + o, len - o, "; %zu only in base, %zu only in new",
                              c->count[VERDICT_BASE_ONLY], c->count[VERDICT_NEW_ONLY]);
    if (o < len && c->nchecks)
        snprintf(buf + o, len - o, "; limits: %zu of %zu failed", c->limits_failed, c->nchecks);
    return buf;
}

/* ".\nthe whole run moved ...": what moved the runs as wholes (whole.h). */
static int report_whole(char *buf, size_t len, const struct comparison *c)
{
    char sh[24], lo[24], hi[24];
    int o, k;

    o = snprintf(buf, len, ".\nthe whole run moved: %s [%s, %s] (%zu of %zu benchmarks worse)",
                 report_pct(sh, sizeof sh, c->whole_shift), report_pct(lo, sizeof lo, c->whole_lo),
                 report_pct(hi, sizeof hi, c->whole_hi), c->whole_worse, c->whole_n);
    if (o < 0 || (size_t)o >= len)
        return o < 0 ? 0 : (int)len - 1;
    report_pct(lo, sizeof lo, c->ref_compute);
    report_pct(hi, sizeof hi, c->ref_memory);
    if (c->whole == WHOLE_MACHINE)
        k = snprintf(buf + o, len - (size_t)o, ", and so did the machine's reference workload "
                     "(compute %s, memory %s): the machine, not the code", lo, hi);
    else if (c->whole == WHOLE_CODE)
        k = snprintf(buf + o, len - (size_t)o, ", while the machine's reference workload held "
                     "(compute %s, memory %s): the code", lo, hi);
    else if (isnan(c->ref_compute))
        k = snprintf(buf + o, len - (size_t)o, "; machine and code cannot be told apart (the "
                     "runs timed no reference workload): pair the builds with pacer ab");
    else
        k = snprintf(buf + o, len - (size_t)o, "; machine and code cannot be told apart (the "
                     "machine's reference workload moved otherwise: compute %s, memory %s): "
                     "pair the builds with pacer ab", lo, hi);
    return k < 0 ? o : o + k;
}

/* The median of v[0..n) (sorted here); NaN when n is 0. */
static double median_of(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    stats_sort(v, n);
    return stats_quantile_sorted(v, n, 0.5);
}

#define REPS_MAX 1000

/* Files of another tool (compare.h): where their noise comes from, the
 * change they resolve (the median MDE) and what would resolve the
 * threshold.  The MDE is about k A + s / sqrt(n): A the drift allowance,
 * k = (z(1-alpha/2) + z(0.8)) / z(CI) (compare.c's ci_mde), s / sqrt(n) the
 * part the samples give; more of them shrink only that part, so the
 * repetitions that reach the threshold T are n ((MDE - k A) / (T - k A))^2;
 * none can when k A >= T, and more than REPS_MAX are no advice to give. */
static void report_import_line(char *buf, size_t len, const struct comparison *c)
{
    double *v = malloc(3 * (c->nrows + 1) * sizeof *v), *mde, *al, *nn, m, a, n, t = NAN, reps;
    double k = (effect_norm_quantile(1 - c->alpha / 2) + effect_norm_quantile(0.8)) /
               effect_norm_quantile(1 - (1 - c->ci_level) / 2);
    size_t i, cnt = 0, o;
    int cmd = 0;
    const char *tool, *opt, *unit;

    if (!v)
        return;
    mde = v;
    al = v + c->nrows + 1;
    nn = al + c->nrows + 1;
    for (i = 0; i < c->nrows; i++) {
        const struct compare_row *r = &c->rows[i];
        if (!isfinite(r->mde) || !r->nw)
            continue;
        cmd |= r->nw->kind == KIND_COMMAND;
        t = isnan(t) ? r->threshold : fmin(t, r->threshold);
        mde[cnt] = r->mde;
        al[cnt] = r->allowance;
        nn[cnt++] = (double)(r->n_base < r->n_new ? r->n_base : r->n_new);
    }
    m = median_of(mde, cnt);
    a = median_of(al, cnt);
    n = median_of(nn, cnt);
    free(v);
    if (cnt == 0)
        return;
    tool = cmd ? "hyperfine" : c->from_pytest ? "pytest-benchmark" : "Google Benchmark";
    opt = cmd ? "run hyperfine with --runs "
              : c->from_pytest ? "run pytest with --benchmark-min-rounds="
                               : "run with --benchmark_repetitions=";
    unit = cmd ? "runs" : c->from_pytest ? "rounds" : "repetitions";
    o = (size_t)snprintf(buf, len, ".\n%s files: each benchmark's noise is from its %s "
                                   "(median %.0f a side)%s; the median MDE is %.1f%%",
                         tool, unit, n,
                         c->drift_estimated ? " and the drift from the suite" : "", 100 * m);
    if (o >= len || m <= t)
        return;
    buf += o;
    len -= o;
    reps = k * a < t ? ceil(n * pow((m - k * a) / (t - k * a), 2)) : INFINITY;
    if (reps > REPS_MAX)
        snprintf(buf, len, "; the drift between the files (%.1f%%) leaves too little of the "
                           "threshold for more %s to reach it: %s",
                 100 * a, unit,
                 cmd ? "pair the builds (pacer ab --cmd OLD --cmd NEW)"
                 : c->from_pytest
                     ? "time the functions with pacer (pacer run bench.py --processes 10, "
                       "harness/lib/pacer.py), or pair the versions (pacer ab)"
                     : "run with --benchmark_enable_random_interleaving=true (the repetitions "
                       "then spread over the run and show its drift)");
    else
        snprintf(buf, len, "; to resolve %.1f%%, %s%.0f", 100 * t, opt, reps);
}

char *report_method(char *buf, size_t len, const struct comparison *c)
{
    size_t o;

    if (c->looks > 1)
        o = (size_t)snprintf(buf, len, "%s, %s correction, alpha %.3g and %.1f%% CIs in each "
                             "of up to %u looks (%.3g and %.0f%% over all); change > 0 is worse",
                             c->paired ? "paired (A/B pairs)" : "unpaired (two runs)",
                             adjust_name(c->adjust), c->alpha, 100 * c->ci_level, c->looks,
                             c->alpha * c->looks, 100 * (1 - (1 - c->ci_level) * c->looks));
    else
        o = (size_t)snprintf(buf, len, "%s, %s correction, alpha %.3g, %.0f%% CI; change > 0 "
                             "is worse", c->paired ? "paired (A/B pairs)" : "unpaired (two runs)",
                             adjust_name(c->adjust), c->alpha, 100 * c->ci_level);
    if (o < len && c->n_counted)
        o += (size_t)snprintf(buf + o, len - o,
                              ".\n%zu benchmark%s compared on counts (--mode instructions): no "
                              "test, the CI is the range the samples allow", c->n_counted,
                              c->n_counted == 1 ? "" : "s");
    if (o < len && c->n_cpu) {
        size_t n = c->count[VERDICT_UNCHANGED] + c->count[VERDICT_IMPROVED] +
                   c->count[VERDICT_REGRESSED] + c->count[VERDICT_INCONCLUSIVE];
        o += (size_t)snprintf(buf + o, len - o,
                              ".\n%zu of %zu benchmarks compared on CPU time, which tracks their "
                              "wall time when they run undisturbed", c->n_cpu, n);
        if (o < len && c->wait_max > 0.02)
            o += (size_t)snprintf(buf + o, len - o,
                                  "; the runs waited for a core (wall time up to %+.0f%% above "
                                  "CPU time)", 100 * c->wait_max);
    }
    if (o < len && c->n_allowance && c->drift_estimated)
        o += (size_t)snprintf(buf + o, len - o,
                              ".\ndrift between the runs, from the suite: the new run differs as "
                              "a whole by %+.1f%% and spreads %.1f%% beyond the CIs; every CI "
                              "is widened by %.1f%% (a change smaller than that needs pacer ab)",
                              100 * c->suite_shift, 100 * c->drift_tau,
                              100 * c->suite_allowance);
    else if (o < len && c->n_allowance)
        o += (size_t)snprintf(buf + o, len - o,
                              ".\ndrift between the runs: too few benchmarks to measure it, the "
                              "CIs are widened by +-%.0f%% (--drift; pair the builds with pacer "
                              "ab to catch smaller changes)",
                              100 * c->allowance);
    if (o < len && c->whole != WHOLE_STEADY)
        o += (size_t)report_whole(buf + o, len - o, c);
    if (o < len && !c->paired && (c->base_imported || c->new_imported))
        report_import_line(buf + o, len - o, c);
    return buf;
}

int report_option(const char *name, const char *arg, const char **format, const char **color,
                  struct err *e)
{
    if (!strcmp(name, "format")) {
        if (!report_find(arg))
            return err_set(e, "'%s' is not table, markdown, json or csv", arg);
        *format = arg;
        return 1;
    }
    if (!strcmp(name, "color")) {
        if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
            return err_set(e, "'%s' is not auto, always or never", arg);
        *color = arg;
        return 1;
    }
    return 0;
}

int report_colour(const char *mode)
{
    if (!strcmp(mode, "always"))
        return 1;
    if (!strcmp(mode, "never"))
        return 0;
    return isatty(1) && !getenv("NO_COLOR");
}

void report_row_cells(const struct compare_row *r, struct report_cells *out)
{
    const char *bu = r->base ? r->base->unit : r->unit, *nu = r->nw ? r->nw->unit : r->unit;
    double nv = r->new_value;

    if (isfinite(r->ratio) && isfinite(r->base_value) && r->nw && r->base) {
        nv = r->base_value * r->ratio;
        nu = bu;
    }
    fmt_value(out->base, sizeof out->base, r->base_value, bu);
    fmt_value(out->nw, sizeof out->nw, nv, nu);
    report_pct(out->change, sizeof out->change, r->change);
    report_ci(out->ci, sizeof out->ci, r->change_lo, r->change_hi);
    report_p(out->p, sizeof out->p, r->p_adj);
    if (isnan(r->mde))
        snprintf(out->mde, sizeof out->mde, "-");
    else if (100 * r->mde >= 1e5)
        snprintf(out->mde, sizeof out->mde, "%.2g%%", 100 * r->mde);
    else
        snprintf(out->mde, sizeof out->mde, "%.1f%%", 100 * r->mde);
}
