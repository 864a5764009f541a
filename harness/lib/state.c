/* state.c: what a benchmark function calls on its pacer_state (pacer.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "counts.h"
#include "measure.h"
#include "pacer.h"
#include "team.h"

/* CPU time: the process's, or in a threaded call this thread's own (the
 * sample sums the threads'). */
static uint64_t cpu_now(const struct pacer_priv *p)
{
    return p->team ? clock_thread_cpu_ns() : clock_cpu_ns();
}

/* The loop starts: all threads of a threaded call together, then the
 * clocks (the wall clock last thing before the body). */
static void start_clocks(struct pacer_priv *p)
{
    if (p->team) {
        team_start(p->team);
        p->team_passed = 1;
    }
    p->c_start = cpu_now(p);
    p->t_start = clock_now_ns();
}

/* Counting (counts.h): collect from the last thing before the body to
 * the first thing after it, and not while paused. */
static void count_on(struct pacer_priv *p, int zero)
{
    if (p->hw && !p->hw_on) {
        p->hw_on = 1;
        if (zero)
            hwcount_start(p->hw);
        else
            hwcount_resume(p->hw);
    }
    if (p->counting && !p->collecting) {
        p->collecting = 1;
        if (zero)
            counts_start();
        else
            counts_resume();
    }
}

static void count_off(struct pacer_priv *p)
{
    if (p->hw_on) {
        hwcount_stop(p->hw);
        p->hw_on = 0;
    }
    if (p->collecting) {
        counts_stop();
        p->collecting = 0;
    }
}

/* The loop ended at now (CLOCK_MONOTONIC, read first thing after the
 * body): both clocks stop, a pause still open closes. */
static void stop_at(pacer_state *st, uint64_t now)
{
    struct pacer_priv *p = st->priv_;

    p->t_stop = now;
    p->c_stop = cpu_now(p);
    if (p->paused) {
        p->paused_ns += p->t_stop - p->pause_start;
        p->c_paused += p->c_stop - p->c_pause_start;
        p->paused = 0;
    }
    st->phase_ = 2;
    if (p->team) {   /* wait for the others after the clocks stopped */
        team_stop(p->team);
        p->team_passed = 2;
    }
}

int pacer_loop_slow_(pacer_state *st)
{
    struct pacer_priv *p = st->priv_;

    if (st->phase_ == 0 && !p->skipped && st->iterations_ > 0) {
        st->phase_ = 1;
        st->remaining_ = st->iterations_ - 1;
        start_clocks(p);
        count_on(p, 1);
        return 1;
    }
    count_off(p);
    if (st->phase_ == 1)
        stop_at(st, clock_now_ns());   /* first thing after the body */
    st->remaining_ = 0;
    return 0;
}

uint64_t pacer_start_(pacer_state *st)
{
    struct pacer_priv *p = st->priv_;

    if (st->phase_ != 0 || p->skipped || st->iterations_ == 0)
        return 0;
    st->phase_ = 1;
    st->remaining_ = 0;
    start_clocks(p);
    count_on(p, 1);
    return st->iterations_;
}

void pacer_stop_clock_(pacer_state *st)
{
    uint64_t now;

    count_off(st->priv_);
    now = clock_now_ns();   /* first thing after the body */

    if (st->phase_ == 1)
        stop_at(st, now);
}

static const struct pacer_axis *axis_of(pacer_state *st, size_t i)
{
    const struct instance *in = st->priv_->inst;

    return i < in->nargs ? &in->def->params[i] : NULL;
}

long long pacer_param(pacer_state *st, const char *name)
{
    const struct instance *in = st->priv_->inst;
    const struct pacer_axis *ax;
    size_t i;
    char msg[SKIP_MAX];

    for (i = 0; (ax = axis_of(st, i)); i++)
        if (!strcmp(ax->name, name))
            return in->args[i];
    snprintf(msg, sizeof msg, "pacer_param: no parameter named '%s'", name);
    pacer_error(st, msg);
    return 0;
}

long long pacer_arg(pacer_state *st, size_t i)
{
    char msg[SKIP_MAX];

    if (axis_of(st, i))
        return st->priv_->inst->args[i];
    snprintf(msg, sizeof msg, "pacer_arg: no parameter axis %zu", i);
    pacer_error(st, msg);
    return 0;
}

void pacer_pause(pacer_state *st)
{
    struct pacer_priv *p = st->priv_;

    if (st->phase_ == 1 && !p->paused) {
        count_off(p);
        p->pause_start = clock_now_ns();
        p->c_pause_start = cpu_now(p);
        p->paused = 1;
    }
}

void pacer_resume(pacer_state *st)
{
    struct pacer_priv *p = st->priv_;

    if (p->paused) {
        p->c_paused += cpu_now(p) - p->c_pause_start;
        p->paused_ns += clock_now_ns() - p->pause_start;
        p->paused = 0;
        if (st->phase_ == 1)
            count_on(p, 0);
    }
}

void pacer_set_bytes_per_op(pacer_state *st, double bytes)
{
    st->priv_->bytes_per_op = bytes;
}

void pacer_set_items_per_op(pacer_state *st, double items)
{
    st->priv_->items_per_op = items;
}

void pacer_set_iteration_time(pacer_state *st, double seconds)
{
    struct pacer_priv *p = st->priv_;
    char msg[SKIP_MAX];

    if (!p->inst->def->manual_time) {
        pacer_error(st, "pacer_set_iteration_time: the benchmark does not declare "
                        ".manual_time = 1");
        return;
    }
    if (!isfinite(seconds) || seconds < 0) {
        snprintf(msg, sizeof msg, "pacer_set_iteration_time: %g is not a time in seconds",
                 seconds);
        pacer_error(st, msg);
        return;
    }
    p->manual_ns += seconds * 1e9;
    p->manual_sets++;
}

/* A counter's name goes into protocol lines, tables and JSON keys. */
static int counter_name_ok(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++, n++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':' || c == '/'))
            return 0;
    }
    return n > 0 && n < COUNTER_NAME_MAX;
}

void pacer_counter(pacer_state *st, const char *name, double value, unsigned flags)
{
    struct pacer_priv *p = st->priv_;
    char msg[SKIP_MAX];
    unsigned i;

    if (!counter_name_ok(name)) {
        snprintf(msg, sizeof msg, "pacer_counter: '%.60s' is not a counter name (up to 63 "
                 "letters, digits, '_', '-', '.', ':', '/')", name ? name : "");
        pacer_error(st, msg);
        return;
    }
    for (i = 0; i < p->nuc && strcmp(p->uc[i].name, name); i++)
        ;
    if (i == PACER_MAX_COUNTERS) {
        snprintf(msg, sizeof msg, "pacer_counter: more than %d counters (%s)",
                 PACER_MAX_COUNTERS, name);
        pacer_error(st, msg);
        return;
    }
    if (i == p->nuc)
        snprintf(p->uc[p->nuc++].name, COUNTER_NAME_MAX, "%s", name);
    p->uc[i].value = value;
    p->uc[i].flags = flags;
}

void pacer_set_complexity_n(pacer_state *st, long long n)
{
    char msg[SKIP_MAX];

    if (n < 1) {
        snprintf(msg, sizeof msg, "pacer_set_complexity_n: %lld is not a size (1 or more)", n);
        pacer_error(st, msg);
        return;
    }
    st->priv_->complexity_n = n;
    st->priv_->complexity_n_set = 1;
}

int pacer_thread_index(const pacer_state *st)
{
    return st->priv_->thread_index;
}

int pacer_threads(const pacer_state *st)
{
    return st->priv_->nthreads > 1 ? st->priv_->nthreads : 1;
}

void pacer_set_data(pacer_state *st, void *data)
{
    st->priv_->data = data;
}

void *pacer_data(pacer_state *st)
{
    return st->priv_->data;
}

static void give_up(pacer_state *st, const char *reason, int error)
{
    struct pacer_priv *p = st->priv_;
    size_t i;

    if (!p->skipped) {
        snprintf(p->skip_reason, sizeof p->skip_reason, "%s", reason ? reason : "skipped");
        /* The reason travels as one protocol line. */
        for (i = 0; p->skip_reason[i]; i++)
            if (p->skip_reason[i] == '\n' || p->skip_reason[i] == '\r')
                p->skip_reason[i] = ' ';
        p->skipped = 1;
        p->skip_error = error;
    }
    st->remaining_ = 0;   /* a running loop ends at its next pacer_loop() */
}

void pacer_skip(pacer_state *st, const char *reason)
{
    give_up(st, reason, 0);
}

void pacer_error(pacer_state *st, const char *reason)
{
    give_up(st, reason, 1);
}
