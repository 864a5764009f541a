/* report.c: the reporter table and the cells every format shares. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    if (o < len && (c->count[VERDICT_BASE_ONLY] || c->count[VERDICT_NEW_ONLY]))
        o += (size_t)snprintf(buf + o, len - o, "; %zu only in base, %zu only in new",
                              c->count[VERDICT_BASE_ONLY], c->count[VERDICT_NEW_ONLY]);
    if (o < len && c->nchecks)
        snprintf(buf + o, len - o, "; limits: %zu of %zu failed", c->limits_failed, c->nchecks);
    return buf;
}

char *report_method(char *buf, size_t len, const struct comparison *c)
{
    size_t o;

    o = (size_t)snprintf(buf, len, "%s, %s correction, alpha %.3g, %.0f%% CI; change > 0 is worse",
                         c->paired ? "paired (A/B pairs)" : "unpaired (two runs)",
                         adjust_name(c->adjust), c->alpha, 100 * c->ci_level);
    if (o < len && c->n_allowance && c->drift_estimated)
        o += (size_t)snprintf(buf + o, len - o,
                              ".\ndrift between the runs, from the suite: the new run differs as "
                              "a whole by %+.1f%% and spreads %.1f%% beyond the CIs; every CI "
                              "is widened by %.1f%% (a change smaller than that needs pacer ab)",
                              100 * c->suite_shift, 100 * c->drift_tau,
                              100 * c->allowance);
    else if (o < len && c->n_allowance)
        o += (size_t)snprintf(buf + o, len - o,
                              ".\ndrift between the runs: too few benchmarks to measure it, the "
                              "CIs are widened by +-%.0f%% (--drift; pair the builds with pacer "
                              "ab to catch smaller changes)",
                              100 * c->allowance);
    if (o < len && c->n_allowance) {
        size_t i, few = 0;
        for (i = 0; i < c->nrows; i++)
            few += c->rows[i].allowance > 0 &&
                   (c->rows[i].k_base < COMPARE_MIN_PROCESSES ||
                    c->rows[i].k_new < COMPARE_MIN_PROCESSES);
        if (few)
            snprintf(buf + o, len - o,
                     ".\n%zu benchmark%s ran in fewer than %d worker processes on a side: "
                     "at least +-%.0f%% (run with --processes 10)",
                     few, few == 1 ? "" : "s", COMPARE_MIN_PROCESSES, 100 * COMPARE_DRIFT_DEFAULT);
    }
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
