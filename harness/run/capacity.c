/*
 * capacity.c: the capacity search (capacity.h): its objectives, and the
 * bracketing, bisection and confirmation over a step function.
 *
 * Bisection is geometric (the next rate is the geometric mean of the
 * bracket's ends), as rates span orders of magnitude and the precision is
 * relative: each step halves log(high / low), so a bracket of a factor F
 * reaches a precision p in about log2(log F / log(1 + p)) steps (from a
 * factor 2 to 5 %: 4 steps).
 */
#include "capacity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "harness/load/flow.h"
#include "harness/result/loadlimit.h"

/* The factor a bracket grows or shrinks by while one side is unknown. */
#define GROW 2.0

/* ---- objectives ---------------------------------------------------------------- */

void capacity_goal_free(struct capacity_goal *g)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        limit_free(&g->v[i]);
    free(g->v);
    memset(g, 0, sizeof *g);
}

/* One objective's text parsed into l: -1 with "capacity 'TEXT': cause". */
static int goal_one(const char *text, struct limit *l, struct err *e)
{
    const char *name;
    size_t n;
    int step;

    if (load_limit_parse(text, l, e) < 0) {
        char msg[ERR_MAX];
        snprintf(msg, sizeof msg, "%s", e->msg);
        err_clear(e);
        if (!strncmp(msg, "limit '", 7))
            return err_set(e, "capacity %s", msg + 6);
        return err_set(e, "capacity '%s': %s", text, msg);
    }
    if (flow_part_of(l->text, &step, &name, &n) || l->pattern) {
        err_set(e, "capacity '%s': an objective is the whole load's: no benchmark pattern, "
                "step or flow", text);
        limit_free(l);
        return -1;
    }
    if (!strcmp(l->metric, "capacity") || !strncmp(l->metric, "capacity.", 9)) {
        err_set(e, "capacity '%s': the capacity is what is searched, not an objective (a "
                "limit on it is --limit's)", text);
        limit_free(l);
        return -1;
    }
    return 0;
}

int capacity_goal_parse(const char *const *texts, size_t n, struct capacity_goal *g,
                        struct err *e)
{
    size_t i;

    memset(g, 0, sizeof *g);
    if (!n)
        return err_set(e, "capacity: no objective (e.g. 'latency.p99 < 50ms')");
    if (!(g->v = calloc(n + 1, sizeof *g->v)))
        return err_set(e, "out of memory");
    g->implied_errors = 1;
    for (i = 0; i < n; i++) {
        if (goal_one(texts[i], &g->v[i], e) < 0) {
            capacity_goal_free(g);
            return -1;
        }
        g->n = i + 1;
        if (!strncmp(g->v[i].metric, "errors.rate", 11))
            g->implied_errors = 0;
    }
    if (g->implied_errors) {
        if (goal_one(CAPACITY_ERRORS_TEXT, &g->v[n], e) < 0) {
            capacity_goal_free(g);
            return -1;
        }
        g->n = n + 1;
    }
    return 0;
}

int capacity_goal_record(const struct capacity_goal *g, struct capacity *c)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        if (capacity_add_objective(c, g->v[i].text) < 0)
            return -1;
    return 0;
}

static const char *op_text(enum limit_op op)
{
    return op == LIMIT_LT ? "<" : op == LIMIT_LE ? "<=" : op == LIMIT_GT ? ">" : ">=";
}

int capacity_goal_holds(const struct capacity_goal *g, const struct bench *b, char *why,
                        size_t len)
{
    size_t i;

    for (i = 0; i < g->n; i++) {
        const struct limit *l = &g->v[i];
        const char *unit;
        char v[64], w[64];
        double x;

        if (bench_metric_value(b, l->metric, &x) < 0) {
            snprintf(why, len, "%s: not measured", l->metric);
            return 0;
        }
        if (limit_holds(l, x))
            continue;
        unit = bench_metric_unit(b, l->metric);
        snprintf(why, len, "%s %s, not %s %s", l->metric, fmt_value(v, sizeof v, x, unit),
                 op_text(l->op), fmt_value(w, sizeof w, l->value, unit));
        return 0;
    }
    return 1;
}

/* ---- the search ------------------------------------------------------------------ */

void capacity_opts_default(struct capacity_opts *o)
{
    memset(o, 0, sizeof *o);
    o->precision = CAPACITY_PRECISION;
    o->max_steps = CAPACITY_MAX_STEPS;
    o->max_confirms = CAPACITY_MAX_CONFIRMS;
    o->floor = 1;
}

/* Where the search stands. */
struct search {
    const struct capacity_opts *o;
    capacity_step_fn step;
    capacity_seen_fn seen;
    void *arg;
    struct capacity *c;
    double lo, hi;               /* NaN: not found yet */
    int hi_gen;                  /* hi is the generator's ceiling */
    int tried_high;              /* the range's high was run */
    double retried;              /* the rate of the last step run again */
    double peak;                 /* the most answered a second so far (the
                                    probe's, or a step's achieved) */
};

/* Run the step at rate and record it.  0, or -1 (e set). */
static int run_one(struct search *s, double rate, int confirm, struct capacity_step *st,
                   struct err *e)
{
    memset(st, 0, sizeof *st);
    if (s->step(s->arg, rate, confirm, st, e) < 0)
        return -1;
    st->rate = rate;
    st->confirm = confirm;
    if (!st->valid)
        st->pass = 0;
    if (capacity_add_step(s->c, st) < 0)
        return err_set(e, "out of memory");
    if (s->seen)
        s->seen(s->arg, s->c, s->c->nsteps - 1);
    return 0;
}

/* What a search step at rate says of the bracket: 1 when it is to be run
 * again: a first step that was not valid, or a first failure well below
 * what the server was seen to answer (a stall of the machine, not the
 * server's limit, is then the likelier cause: run it again once). */
static int judge(struct search *s, double rate, const struct capacity_step *st)
{
    double peak = s->peak;

    if (st->valid && st->achieved > s->peak)
        s->peak = st->achieved;
    if (st->valid && !st->pass && rate < CAPACITY_SUSPECT * peak && s->retried != rate) {
        s->retried = rate;
        return 1;
    }
    if (!st->valid) {
        if (s->retried != rate) {
            s->retried = rate;
            return 1;
        }
        if (isnan(s->hi) || rate <= s->hi) {
            s->hi = rate;
            s->hi_gen = 1;
        }
    } else if (st->pass) {
        if (isnan(s->lo) || rate > s->lo)
            s->lo = rate;
    } else if (isnan(s->hi) || rate < s->hi || (s->hi_gen && rate <= s->hi)) {
        s->hi = rate;   /* the bracket keeps the lowest failure */
        s->hi_gen = 0;
    }
    if (!isnan(s->lo) && !isnan(s->hi) && s->lo >= s->hi)
        s->lo = NAN;   /* a failure at or below the highest pass: trust the failure */
    return 0;
}

/* The next search rate, or 0 when the search is done (bracketed to the
 * precision, or below the floor with nothing held). */
static double next_rate(struct search *s)
{
    const struct capacity_opts *o = s->o;

    if (isnan(s->lo)) {
        double r = s->hi / GROW;
        return r >= o->floor ? r : 0;
    }
    if (isnan(s->hi)) {
        if (o->range_high > s->lo && !s->tried_high) {
            s->tried_high = 1;
            return o->range_high;
        }
        return s->lo * GROW;
    }
    if (s->hi <= s->lo * (1 + o->precision))
        return 0;
    return sqrt(s->lo * s->hi);
}

/* The bracketing and bisection.  0, or -1 (e set). */
static int bracket(struct search *s, struct err *e)
{
    const struct capacity_opts *o = s->o;
    double rate = o->range_low > 0 ? o->range_low : o->start;
    struct capacity_step st;
    unsigned k;

    if (o->range_high > 0 && o->range_high <= rate)
        s->tried_high = 1;
    for (k = 0; k < o->max_steps && rate > 0; k++) {
        if (run_one(s, rate, 0, &st, e) < 0)
            return -1;
        if (judge(s, rate, &st))
            continue;   /* the same rate once more */
        rate = next_rate(s);
    }
    return 0;
}

/* The confirming runs, stepping down from lo.  0, or -1 (e set). */
static int confirm(struct search *s, struct err *e)
{
    const struct capacity_opts *o = s->o;
    double down = 1 + 2 * fmax(o->precision, 0.025), cand = s->lo;
    struct capacity_step st;
    unsigned k;

    for (k = 0; k < o->max_confirms; k++) {
        if (run_one(s, cand, 1, &st, e) < 0)
            return -1;
        if (st.pass) {
            s->c->answer = s->c->low = cand;
            s->c->status = s->hi_gen ? CAP_LIMITED : CAP_FOUND;
            return 0;
        }
        s->c->high = cand;
        s->hi_gen = !st.valid;
        cand /= down;
        if (cand < o->floor)
            break;
    }
    s->c->status = CAP_UNCONFIRMED;
    return 0;
}

int capacity_search(const struct capacity_opts *o, capacity_step_fn step,
                    capacity_seen_fn seen, void *arg, struct capacity *c, struct err *e)
{
    struct search s = {o, step, seen, arg, c, NAN, NAN, 0, 0, NAN, o->start};

    c->precision = o->precision;
    c->status = CAP_NONE;
    c->answer = 0;
    c->low = c->high = NAN;
    if (bracket(&s, e) < 0)
        return -1;
    c->high = s.hi;
    if (isnan(s.lo))
        return 0;
    c->low = c->answer = s.lo;
    if (confirm(&s, e) < 0)
        return -1;
    if (c->status == CAP_UNCONFIRMED) {   /* no full run held: no answer */
        c->answer = 0;
        c->low = NAN;
    }
    return 0;
}

int capacity_wide(const struct capacity *c)
{
    return !isnan(c->low) && !isnan(c->high) && c->high > c->low * (1 + c->precision) * 1.0000001;
}
