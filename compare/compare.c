/* compare.c: per-benchmark verdicts between two results (compare.h). */
#include "compare.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basis.h"
#include "cluster.h"
#include "compare_private.h"
#include "effect.h"
#include "harness/lib/rx.h"
#include "harness/result/env.h"
#include "rank.h"
#include "whole.h"

void compare_opts_default(struct compare_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = NAN;
    o->alpha = 0.05;
    o->adjust = ADJUST_HOLM;
    o->ci_level = 0.95;
    o->drift = COMPARE_DRIFT_DEFAULT;
    o->drift_z = COMPARE_DRIFT_Z;
    o->resamples = STATS_DEFAULT_RESAMPLES;
    o->seed = STATS_DEFAULT_SEED;
    o->power = 0.8;
}

void compare_opts_free(struct compare_opts *o)
{
    size_t i;

    for (i = 0; i < o->nrules; i++) {
        regfree(&o->rules[i].re);
        free(o->rules[i].pattern);
    }
    for (i = 0; i < o->nlimits; i++)
        limit_free(&o->limits[i]);
    free(o->rules);
    free(o->limits);
    o->rules = NULL;
    o->limits = NULL;
    o->nrules = o->nlimits = 0;
}

int compare_add_rule(struct compare_opts *o, const char *pattern, double threshold,
                     struct err *e)
{
    struct threshold_rule *nr;

    if (!(threshold >= 0) || threshold >= 10)
        return err_set(e, "threshold for '%s' out of range", pattern);
    nr = realloc(o->rules, (o->nrules + 1) * sizeof *nr);
    if (!nr)
        return err_set(e, "out of memory");
    o->rules = nr;
    nr = &o->rules[o->nrules];
    if (rx_compile(&nr->re, pattern) != 0)
        return err_set(e, "'%s' is not a valid regular expression", pattern);
    nr->pattern = strdup(pattern);
    nr->threshold = threshold;
    o->nrules++;
    return 0;
}

const char *verdict_name(enum verdict v)
{
    static const char *names[] = {"unchanged", "improved", "regressed", "inconclusive",
                                  "base only", "new only", "error", "skipped"};

    return (unsigned)v < VERDICT_COUNT ? names[v] : "?";
}

int compare_add_limit(struct compare_opts *o, const char *text, struct err *e)
{
    struct limit l, *nl;

    if (limit_parse(text, &l, e) < 0)
        return -1;
    nl = realloc(o->limits, (o->nlimits + 1) * sizeof *nl);
    if (!nl) {
        limit_free(&l);
        return err_set(e, "out of memory");
    }
    o->limits = nl;
    o->limits[o->nlimits++] = l;
    return 0;
}

static int check_limits(const struct bench *bs, size_t nb, const struct compare_opts *o,
                        struct comparison *out, struct err *e)
{
    struct limit_checks lc = {out->checks, out->nchecks, out->nchecks, 0};
    size_t i;
    int rc = 0;

    for (i = 0; i < o->nlimits && rc == 0; i++)
        rc = limit_check(&o->limits[i], bs, nb, o->filter, 0, &lc, e);
    out->checks = lc.v;
    out->nchecks = lc.n;
    out->limits_failed += lc.failed;
    return rc;
}

/* ---- rows ------------------------------------------------------------------ */

/* Whether samples in unit are counts (compare.h, counts). */
static int counted_unit(const char *unit)
{
    return unit && (!strcmp(unit, "instr") || !strcmp(unit, "cycles"));
}

static double threshold_for(const struct compare_opts *o, const char *name, const char *unit)
{
    size_t i;

    for (i = 0; i < o->nrules; i++)
        if (regexec(&o->rules[i].re, name, 0, NULL, 0) == 0)
            return o->rules[i].threshold;
    if (!isnan(o->threshold))
        return o->threshold;
    if (counted_unit(unit))
        return COMPARE_THRESHOLD_COUNTS;
    return o->paired ? COMPARE_THRESHOLD_PAIRED : COMPARE_THRESHOLD_UNPAIRED;
}

/* The first sample that cannot enter a ratio, or -1. */
static long bad_sample(const struct bench *b)
{
    size_t i;

    for (i = 0; i < b->nsamples; i++)
        if (!(b->samples[i] > 0) || !isfinite(b->samples[i]))
            return (long)i;
    return -1;
}

static int row_error(struct compare_row *r, const char *fmt, const char *a, const char *b)
{
    r->verdict = VERDICT_ERROR;
    snprintf(r->note, sizeof r->note, fmt, a, b);
    return 0;
}

/* What the row compares (basis.h) and its centres.  -1 when out of
 * memory. */
static int row_basis(struct compare_row *r, const struct compare_opts *o)
{
    struct basis bs;

    basis_pick(r->base, r->nw, &bs);
    if (o->wall_only && bs.on_cpu) {
        bs.base = r->base->samples;
        bs.nw = r->nw->samples;
        bs.on_cpu = 0;
    }
    r->xb = bs.base;
    r->xn = bs.nw;
    r->on_cpu = bs.on_cpu;
    r->wait_base = bs.wait_base;
    r->wait_new = bs.wait_new;
    {
        struct clustered cb = {r->xb, r->base->nsamples, r->base->proc_samples,
                               r->base->nproc_samples};
        struct clustered cn = {r->xn, r->nw->nsamples, r->nw->proc_samples,
                               r->nw->nproc_samples};
        r->base_value = cluster_centre(&cb);
        r->new_value = cluster_centre(&cn);
    }
    return isnan(r->base_value) || isnan(r->new_value) ? -1 : 0;
}

/* The median of a side's samples, NaN without samples. */
static double median_of(const struct bench *x)
{
    return x->nsamples ? stats_median(x->samples, x->nsamples) : NAN;
}

/* Checks common to both modes; 1 when the row is already decided. */
static int row_screen(struct compare_row *r)
{
    const struct bench *b = r->base, *n = r->nw;
    long i;
    char what[64];

    /* a side that skipped itself: nothing to compare, and no failure
     * (unless the new side failed) */
    if ((n->skipped && !n->error) || (b->skipped && !n->error)) {
        r->verdict = VERDICT_SKIPPED;
        snprintf(r->note, sizeof r->note, "skipped in %s: %s", n->skipped ? "new" : "base",
                 n->skipped ? n->skipped : b->skipped);
        return 1;
    }
    if (b->error)
        return row_error(r, "base failed: %s%s", b->error->message, ""), 1;
    if (n->error)
        return row_error(r, "new failed: %s%s", n->error->message, ""), 1;
    if (strcmp(b->unit, n->unit))
        return row_error(r, "units differ: base in %s, new in %s", b->unit, n->unit), 1;
    if (b->dir != n->dir)
        return row_error(r, "directions differ%s%s", "", ""), 1;
    if (b->nsamples == 0 || n->nsamples == 0)
        return row_error(r, "%s has no samples%s", b->nsamples == 0 ? "base" : "new", ""), 1;
    if ((i = bad_sample(b)) >= 0 || (i = bad_sample(n)) >= 0) {
        int in_base = bad_sample(b) >= 0;
        const struct bench *x = in_base ? b : n;
        r->bad_side = in_base ? 1 : 2;
        r->bad_index = i;
        snprintf(what, sizeof what, "%s sample %ld is %g", in_base ? "base" : "new", i,
                 x->samples[i]);
        return row_error(r, "%s: ratios need values above zero%s", what, ""), 1;
    }
    return 0;
}

static void orient(struct compare_row *r)
{
    if (r->dir == DIR_LOWER) {
        r->change = r->ratio - 1;
        r->change_lo = r->ratio_ci.lo - 1;
        r->change_hi = r->ratio_ci.hi - 1;
    } else {
        r->change = 1 / r->ratio - 1;
        r->change_lo = 1 / r->ratio_ci.hi - 1;
        r->change_hi = 1 / r->ratio_ci.lo - 1;
    }
}

/* The change the verdict's own CI could resolve with the asked power:
 * its half-width scaled from the CI's z to z(1-alpha/2) + z(power).  It
 * carries the spread between processes and the drift allowance, which the
 * sample-noise formula of effect.h cannot see. */
double compare_ci_mde(const struct compare_row *r, const struct compare_opts *o)
{
    double za = effect_norm_quantile(1 - o->alpha / 2), zb = effect_norm_quantile(o->power);
    double zc = effect_norm_quantile(1 - (1 - o->ci_level) / 2);
    double hw = (r->change_hi - r->change_lo) / 2;

    return isfinite(hw) ? hw * (za + zb) / zc : NAN;
}

/* Whether r was read from another tool's file (import.h marks it). */
static int imported(const struct result *r)
{
    return r && r->ctx.pacer_version && !strcmp(r->ctx.pacer_version, "imported");
}

/* Whether r was read from pytest-benchmark's file (its importer writes
 * "pytest-benchmark VERSION" first in the flags). */
static int from_pytest(const struct result *r)
{
    return imported(r) && r->ctx.cflags && !strncmp(r->ctx.cflags, "pytest-benchmark", 16);
}

/* The independent replicates of side b with k groups (compare.h): the
 * worker processes of a micro benchmark, and of a command the spells its
 * runs were spread over (pacer run --processes).  A command whose runs
 * all ran in one spell is one replicate of the machine, as one process
 * is: its runs share the spell's page cache, clock speed and neighbours.
 * An imported file's repetitions and runs count, as it holds nothing
 * else. */
static size_t replicates(const struct bench *b, size_t k, int from_import)
{
    if (from_import && (b->kind == KIND_COMMAND || b->kind == KIND_MICRO))
        return b->nsamples;
    return k;
}

/* Runs that cannot support a verdict (compare.h: weak), with the note that
 * says why and what to run instead.  One process a side sees none of the
 * spread between runs (a memory layout, a slow spell: run to run, one
 * benchmark moves by far more than its samples say), unless the user
 * trusts the run (--drift 0); with too few processes the interval of
 * their shift cannot reach its level. */
static void weak_unpaired(struct compare_row *r, const struct effect *ef,
                          const struct compare_opts *o)
{
    if ((r->reps_base < 2 || r->reps_new < 2) && o->drift > 0) {
        r->weak = 1;
        snprintf(r->note, sizeof r->note,
                 "%s: the spread between runs cannot be seen (run with --processes 10, or "
                 "pair the builds: pacer ab)",
                 r->base->kind == KIND_COMMAND
                     ? (r->reps_base < 2 && r->reps_new < 2 ? "all runs in one spell a side"
                                                            : "all runs in one spell on a side")
                 : r->reps_base < 2 && r->reps_new < 2 ? "one worker process a side"
                                                       : "one worker process on a side");
    } else if (ef->ci_narrowed && r->k_base >= 2 && r->k_new >= 2) {
        r->weak = 1;
        snprintf(r->note, sizeof r->note,
                 "%zu and %zu %s are too few for a %.0f%% CI (run with --processes 10)",
                 r->k_base, r->k_new,
                 r->base->kind == KIND_COMMAND ? "spells of runs" : "worker processes",
                 100 * o->ci_level);
    }
}

/* The change of the process that ran best on each side (the least
 * process median of a time, the largest of a rate).  Interference on a
 * shared machine (another process on the core's sibling, a neighbour's
 * cache traffic) only ever makes a process worse, and hits some processes
 * of a run and not others, often for their whole life: it moves the
 * processes' shift by how many it hit on each side, and the best process
 * hardly at all; a change in the code moves them all (the minimum as the
 * robust estimate of a time under one-sided noise: Chen and Revels,
 * "Robust benchmarking in noisy environments", 2016).  decide() asks a
 * verdict to be seen there too: a veto only, it never makes one. */
/* The gap (worse-oriented, >= 0) between the best process of a side of k
 * and the next best: how far its best stands alone. */
static double floor_gap(const struct clustered *c, size_t k, int lower, double best)
{
    double next = cluster_quantile(c, lower ? 1.0 / (double)(k - 1)
                                            : (double)(k - 2) / (double)(k - 1));

    if (!(next > 0) || !(best > 0))
        return 0;
    return fmax(0, lower ? next / best - 1 : best / next - 1);
}

static void floor_of(struct compare_row *r, const struct clustered *cb,
                     const struct clustered *cn)
{
    double q = r->dir == DIR_LOWER ? 0 : 1;
    double fb, fn;

    r->floor_known = 0;
    r->floor_gap = 0;
    if (r->k_base < 4 || r->k_new < 4)
        return;
    fb = cluster_quantile(cb, q);
    fn = cluster_quantile(cn, q);
    if (!(fb > 0) || !(fn > 0))
        return;
    r->floor_known = 1;
    r->floor_change = r->dir == DIR_LOWER ? fn / fb - 1 : fb / fn - 1;
    /* Some benchmarks run in one of two speeds a process, and which one a
     * run's processes get is not independent from run to run (one run of
     * the default suite had 9 of 10 processes of heap_insert_pop/n=4096 at
     * 71 ns, the run before 3 of 10, the rest at 60): a side whose best
     * process stands alone is a best the other side need not reach.  So
     * the best must move by more than the gap to the next best as well. */
    r->floor_gap = fmax(floor_gap(cb, r->k_base, r->dir == DIR_LOWER, fb),
                        floor_gap(cn, r->k_new, r->dir == DIR_LOWER, fn));
}

static int row_unpaired(struct compare_row *r, const struct compare_opts *o,
                        const struct comparison *out)
{
    struct clustered cb = {r->xb, r->base->nsamples, r->base->proc_samples,
                           r->base->nproc_samples};
    struct clustered cn = {r->xn, r->nw->nsamples, r->nw->proc_samples,
                           r->nw->nproc_samples};
    struct rank_result rr;
    struct effect ef;

    r->k_base = cluster_nonempty(&cb);
    r->k_new = cluster_nonempty(&cn);
    r->reps_base = replicates(r->base, r->k_base, out->base_imported);
    r->reps_new = replicates(r->nw, r->k_new, out->new_imported);
    /* Processes on both sides: the rank interval of their medians; else
     * the bootstrap of the samples (cluster.h says why). */
    if (r->k_base >= 2 && r->k_new >= 2) {
        if (cluster_hl_unpaired(&cb, &cn, o->ci_level, &ef) < 0)
            return -1;
    } else if (cluster_effect(&cb, &cn, o->ci_level, o->resamples, o->seed, &ef) < 0)
        return -1;
    r->ratio = ef.ratio;
    r->ratio_ci = ef.ci;
    orient(r);
    weak_unpaired(r, &ef, o);
    floor_of(r, &cb, &cn);
    if (r->n_base < 2 || r->n_new < 2) {
        r->verdict = VERDICT_INCONCLUSIVE;
        r->untrusted = 1;
        r->change_lo = r->change_hi = NAN;
        snprintf(r->note, sizeof r->note,
                 "%zu sample%s in base, %zu in new: noise cannot be told from change", r->n_base,
                 r->n_base == 1 ? "" : "s", r->n_new);
        return 0;
    }
    if (rank_mwu(r->xn, r->n_new, r->xb, r->n_base, &rr) < 0)
        return -1;
    r->p = rr.p;
    r->exact = rr.exact;
    r->mde = effect_mde_unpaired(r->xb, r->n_base, r->xn, r->n_new,
                                 o->alpha, o->power);
    /* The drift allowance comes later, from the whole run (whole.c). */
    return 0;
}

static int row_paired(struct compare_row *r, const struct compare_opts *o)
{
    struct rank_result rr;
    struct effect ef;
    double *d;
    size_t i, n = r->n_base;

    if (r->n_base != r->n_new) {
        r->verdict = VERDICT_ERROR;
        snprintf(r->note, sizeof r->note, "not paired: %zu base and %zu new samples", r->n_base,
                 r->n_new);
        return 0;
    }
    r->k_base = r->k_new = 1;
    if (r->nw->nproc_samples >= 2 && r->base->nproc_samples == r->nw->nproc_samples &&
        !memcmp(r->base->proc_samples, r->nw->proc_samples,
                r->nw->nproc_samples * sizeof *r->nw->proc_samples)) {
        /* Pairs from several worker pairs: the layout of each pair of
         * processes is a cluster the CI must see. */
        struct clustered cn = {r->xn, n, r->nw->proc_samples, r->nw->nproc_samples};
        r->k_base = r->k_new = cluster_nonempty(&cn);
        if (cluster_sign_paired(r->xb, r->xn, n, r->nw->proc_samples,
                                r->nw->nproc_samples, o->ci_level, &ef) < 0)
            return -1;
    } else if (effect_paired(r->xb, r->xn, n, o->ci_level, &ef) < 0)
        return -1;
    r->ratio = ef.ratio;
    r->ratio_ci = ef.ci;
    orient(r);
    if (n < 2) {
        r->verdict = VERDICT_INCONCLUSIVE;
        r->untrusted = 1;
        r->change_lo = r->change_hi = NAN;
        snprintf(r->note, sizeof r->note, "1 pair: noise cannot be told from change");
        return 0;
    }
    r->weak = ef.ci_narrowed;
    if (ef.ci_narrowed && r->k_new > 1)
        snprintf(r->note, sizeof r->note,
                 "%zu worker pairs are too few for a %.0f%% CI: it is their full range "
                 "(run with --processes 10)", r->k_new, 100 * o->ci_level);
    else if (ef.ci_narrowed)
        snprintf(r->note, sizeof r->note, "%zu pairs are too few for a %.0f%% CI", n,
                 100 * o->ci_level);
    d = malloc(n * sizeof *d);
    if (!d)
        return -1;
    for (i = 0; i < n; i++)
        d[i] = log(r->xn[i] / r->xb[i]);
    if (rank_signrank(d, n, &rr) < 0) {
        free(d);
        return -1;
    }
    free(d);
    r->p = rr.p;
    r->exact = rr.exact;
    r->mde = fmax(effect_mde_paired(r->xb, r->xn, n, o->alpha, o->power),
                  compare_ci_mde(r, o));
    return 0;
}

/* Counts (compare.h): the medians, the interval of the samples' ranges. */
static void row_counted(struct compare_row *r)
{
    const double *xb = r->base->samples, *xn = r->nw->samples;
    size_t nb = r->base->nsamples, nn = r->nw->nsamples, i;
    double bmin = xb[0], bmax = xb[0], nmin = xn[0], nmax = xn[0];

    for (i = 1; i < nb; i++) {
        bmin = fmin(bmin, xb[i]);
        bmax = fmax(bmax, xb[i]);
    }
    for (i = 1; i < nn; i++) {
        nmin = fmin(nmin, xn[i]);
        nmax = fmax(nmax, xn[i]);
    }
    r->counted = 1;
    r->xb = xb;
    r->xn = xn;
    r->base_value = stats_median(xb, nb);
    r->new_value = stats_median(xn, nn);
    r->k_base = r->k_new = 1;
    r->ratio = r->new_value / r->base_value;
    r->ratio_ci.lo = nmin / bmax;
    r->ratio_ci.hi = nmax / bmin;
    orient(r);
    /* what the samples cannot resolve: their widest relative range */
    r->mde = fmax((bmax - bmin) / r->base_value, (nmax - nmin) / r->new_value);
}

static void decide(struct compare_row *r, double alpha)
{
    double t = r->threshold;

    if (r->verdict != VERDICT_UNCHANGED || isnan(r->change_lo))
        return;
    if (r->counted) {
        r->verdict = r->change_lo > t    ? VERDICT_REGRESSED
                     : r->change_hi < -t ? VERDICT_IMPROVED
                     : r->change_lo >= -t && r->change_hi <= t ? VERDICT_UNCHANGED
                                                                : VERDICT_INCONCLUSIVE;
        return;
    }
    if (r->p_adj < alpha && r->change_lo > t)
        r->verdict = VERDICT_REGRESSED;
    else if (r->p_adj < alpha && r->change_hi < -t)
        r->verdict = VERDICT_IMPROVED;
    else if (r->change_lo >= -t && r->change_hi <= t)
        r->verdict = VERDICT_UNCHANGED;
    else
        r->verdict = VERDICT_INCONCLUSIVE;
    /* a change the processes that ran best do not show, beyond the gap
     * between the best and the next, is the number of processes
     * interference hit or a slower state took, not the code (floor_of) */
    if (r->floor_known &&
        ((r->verdict == VERDICT_REGRESSED && r->floor_change <= t + r->floor_gap) ||
         (r->verdict == VERDICT_IMPROVED && r->floor_change >= -t - r->floor_gap))) {
        r->verdict = VERDICT_INCONCLUSIVE;
        if (!r->note[0] && r->floor_gap > 0.001)
            snprintf(r->note, sizeof r->note,
                     "the best process moved %+.1f%%, within its %.1f%% gap to the next: "
                     "other work or a slower state, not the code (pair the builds: pacer ab)",
                     100 * r->floor_change, 100 * r->floor_gap);
        else if (!r->note[0])
            snprintf(r->note, sizeof r->note,
                     "the best process moved %+.1f%%: the others were slowed by other "
                     "work, not by the code (pair the builds: pacer ab)",
                     100 * r->floor_change);
    }
    if (r->weak)
        r->verdict = VERDICT_INCONCLUSIVE;
}

static struct compare_row *add_row(struct comparison *c, size_t *cap)
{
    if (c->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        struct compare_row *nr = realloc(c->rows, ncap * sizeof *nr);
        if (!nr)
            return NULL;
        c->rows = nr;
        *cap = ncap;
    }
    memset(&c->rows[c->nrows], 0, sizeof c->rows[0]);
    c->rows[c->nrows].p = c->rows[c->nrows].p_adj = NAN;
    c->rows[c->nrows].mde = NAN;
    c->rows[c->nrows].ratio = NAN;
    c->rows[c->nrows].change = c->rows[c->nrows].change_lo = c->rows[c->nrows].change_hi = NAN;
    c->rows[c->nrows].ratio_ci.lo = c->rows[c->nrows].ratio_ci.hi = NAN;
    return &c->rows[c->nrows++];
}

static void header(struct comparison *out, const struct compare_opts *o,
                   const struct result *base, const struct result *nw)
{
    out->paired = o->paired;
    out->alpha = o->alpha;
    out->ci_level = o->ci_level;
    out->looks = o->looks > 1 ? o->looks : 1;
    out->adjust = o->adjust;
    out->geomean = NAN;
    out->base_imported = imported(base);
    out->new_imported = imported(nw);
    out->from_pytest = from_pytest(base) || from_pytest(nw);
    if (base && nw)
        env_diff(&base->ctx, &nw->ctx, out->fingerprint_diff, sizeof out->fingerprint_diff);
}

/* A row for every benchmark of base that nw lacks (and the filter
 * passes), after the others. */
static int add_base_only(struct comparison *out, size_t *cap, const struct result *base,
                         const struct result *nw, const struct compare_opts *o)
{
    struct result_index in;
    struct compare_row *r;
    size_t i;

    if (result_index_build(&in, nw) < 0)
        return -1;
    for (i = 0; i < base->nbenches; i++) {
        if (result_index_find(&in, base->benches[i].name))
            continue;
        if (o->filter && regexec(o->filter, base->benches[i].name, 0, NULL, 0) != 0)
            continue;
        if (!(r = add_row(out, cap))) {
            result_index_free(&in);
            return -1;
        }
        r->name = base->benches[i].name;
        r->base = &base->benches[i];
        r->unit = r->base->unit;
        r->dir = r->base->dir;
        r->threshold = threshold_for(o, r->name, r->unit);
        r->verdict = VERDICT_BASE_ONLY;
        r->n_base = r->base->nsamples;
        r->base_value = r->base->nsamples ? stats_median(r->base->samples, r->base->nsamples)
                                          : NAN;
        r->new_value = NAN;
    }
    result_index_free(&in);
    return 0;
}

/* Holm or BH over every benchmark that has a p-value, then each verdict,
 * the counts and the geometric mean.  -1 when out of memory. */
static int decide_all(struct comparison *out, const struct compare_opts *o)
{
    double *p = malloc((out->nrows + 1) * sizeof *p), *padj = malloc((out->nrows + 1) * sizeof *p);
    double logsum = 0;
    size_t i, np = 0;
    int rc = -1;

    if (!p || !padj)
        goto cleanup;
    for (i = 0; i < out->nrows; i++)
        p[i] = out->rows[i].p;
    if (adjust_p(p, out->nrows, o->adjust, padj) < 0)
        goto cleanup;
    for (i = 0; i < out->nrows; i++) {
        struct compare_row *r = &out->rows[i];
        r->p_adj = padj[i];
        decide(r, o->alpha);
        out->count[r->verdict]++;
        out->n_counted += (size_t)r->counted;
        if (r->on_cpu) {
            out->n_cpu++;
            out->wait_max = fmax(out->wait_max, fmax(r->wait_base, r->wait_new));
        }
        if (r->verdict != VERDICT_ERROR && r->verdict != VERDICT_BASE_ONLY &&
            r->verdict != VERDICT_SKIPPED &&
            r->verdict != VERDICT_NEW_ONLY && isfinite(r->change)) {
            logsum += log1p(r->change);
            np++;
        }
    }
    out->ngeomean = np;
    out->geomean = np ? exp(logsum / (double)np) : NAN;
    rc = 0;
cleanup:
    free(p);
    free(padj);
    return rc;
}

/* The rows that need their statistics (the bulk of a compare's time),
 * shared among threads: each takes the next row not taken. */
struct measure_job {
    struct comparison *out;
    const struct compare_opts *o;
    const size_t *rows;
    size_t n;
    atomic_size_t next;
    atomic_int failed;
};

static void *measure_rows(void *arg)
{
    struct measure_job *j = arg;
    size_t k;

    while ((k = atomic_fetch_add(&j->next, 1)) < j->n && !atomic_load(&j->failed)) {
        struct compare_row *r = &j->out->rows[j->rows[k]];
        if (row_basis(r, j->o) < 0 ||
            (j->o->paired ? row_paired(r, j->o) : row_unpaired(r, j->o, j->out)) < 0)
            atomic_store(&j->failed, 1);
    }
    return NULL;
}

static void *measure_rows_thread(void *arg)
{
    measure_rows(arg);
    stats_thread_free();   /* its caches end with it */
    rank_thread_free();
    return NULL;
}

/* Rows a thread takes at least: below, a thread costs more than it saves. */
#define ROWS_PER_THREAD 256
#define MAX_THREADS 8

static int rows_measure(struct comparison *out, const struct compare_opts *o,
                        const size_t *rows, size_t n)
{
    struct measure_job j = {out, o, rows, n, 0, 0};
    pthread_t t[MAX_THREADS];
    size_t want = n / ROWS_PER_THREAD, started = 0, i;
    cpu_set_t cs;
    int cpus = sched_getaffinity(0, sizeof cs, &cs) == 0 ? CPU_COUNT(&cs) : 1;

    if (want > (size_t)cpus)
        want = (size_t)cpus;
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    /* this thread is one of them */
    for (i = 1; i < want; i++)
        if (pthread_create(&t[started], NULL, measure_rows_thread, &j) == 0)
            started++;
    measure_rows(&j);
    for (i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return atomic_load(&j.failed) ? -1 : 0;
}

int compare_results(const struct result *base, const struct result *nw,
                    const struct compare_opts *o, struct comparison *out, struct err *e)
{
    size_t i, cap = 0, common = 0, *pending = NULL, npending = 0, pcap = 0;
    struct result_index ib = {0};
    struct compare_row *r;

    memset(out, 0, sizeof *out);
    header(out, o, base, nw);
    if (result_index_build(&ib, base) < 0)
        goto oom;
    for (i = 0; i < nw->nbenches; i++) {
        const struct bench *n = &nw->benches[i], *b = result_index_find(&ib, n->name);
        if (o->filter && regexec(o->filter, n->name, 0, NULL, 0) != 0)
            continue;
        if (!(r = add_row(out, &cap)))
            goto oom;
        r->name = n->name;
        r->nw = n;
        r->base = b;
        r->unit = n->unit;
        r->dir = n->dir;
        r->threshold = threshold_for(o, n->name, n->unit);
        r->n_new = n->nsamples;
        r->new_value = r->base_value = NAN;   /* a measured row's are its own (row_basis) */
        if (!b) {
            r->verdict = VERDICT_NEW_ONLY;
            r->new_value = median_of(n);
            continue;
        }
        common++;
        r->n_base = b->nsamples;
        r->verdict = VERDICT_UNCHANGED;   /* provisional: decided below */
        if (row_screen(r)) {
            r->base_value = median_of(b);
            r->new_value = median_of(n);
            continue;
        }
        if (counted_unit(n->unit)) {
            row_counted(r);
            continue;
        }
        if (npending == pcap) {
            size_t ncap = pcap ? 2 * pcap : 64, *np = realloc(pending, ncap * sizeof *np);
            if (!np)
                goto oom;
            pending = np;
            pcap = ncap;
        }
        pending[npending++] = (size_t)(r - out->rows);
    }
    if (rows_measure(out, o, pending, npending) < 0)
        goto oom;
    free(pending);
    pending = NULL;
    if (add_base_only(out, &cap, base, nw, o) < 0)
        goto oom;
    result_index_free(&ib);
    if (common == 0) {
        comparison_free(out);
        return err_set(e, "no benchmark in common: the two results ran different suites");
    }
    if ((!o->paired && whole_run(out, o) < 0) || decide_all(out, o) < 0)
        goto oom;
    if (check_limits(nw->benches, nw->nbenches, o, out, e) < 0) {
        comparison_free(out);
        return -1;
    }
    return 0;
oom:
    free(pending);
    result_index_free(&ib);
    comparison_free(out);
    return err_set(e, "out of memory");
}

int compare_limits(const struct result *nw, const struct compare_opts *o,
                   struct comparison *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    header(out, o, NULL, NULL);
    if (check_limits(nw->benches, nw->nbenches, o, out, e) < 0) {
        comparison_free(out);
        return -1;
    }
    return 0;
}

void comparison_free(struct comparison *c)
{
    free(c->rows);
    free(c->checks);
    c->rows = NULL;
    c->checks = NULL;
    c->nrows = c->nchecks = 0;
}
