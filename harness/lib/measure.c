/* measure.c: calibration, warmup and samples of one instance, in process. */
#include "measure.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "counts.h"
#include "team.h"

void measure_init(struct measure *m, const struct instance *inst)
{
    memset(m, 0, sizeof *m);
    m->inst = inst;
    m->st.priv_ = &m->priv;
    m->priv.inst = inst;
}

static void reset_call(struct measure *m, uint64_t iters)
{
    m->st.remaining_ = 0;
    m->st.iterations_ = iters;
    m->st.phase_ = 0;
    m->priv.t_start = m->priv.t_stop = 0;
    m->priv.paused_ns = 0;
    m->priv.c_start = m->priv.c_stop = 0;
    m->priv.c_paused = 0;
    m->priv.paused = 0;
    m->priv.manual_ns = 0;
    m->priv.manual_sets = 0;
    m->priv.team = NULL;
    m->priv.team_passed = 0;
    m->priv.thread_index = 0;
    m->priv.nthreads = m->inst->threads;
    m->priv.nuc = 0;
    m->nuc = 0;
    m->priv.complexity_n_set = 0;
    m->complexity_n = NAN;
}

/* The n of .complexity of the call just made (measure.h). */
static int complexity_n(struct measure *m, struct err *e)
{
    if (!m->inst->def->complexity)
        return 0;
    if (m->priv.complexity_n_set)
        m->complexity_n = (double)m->priv.complexity_n;
    else if (m->inst->nargs == 1)
        m->complexity_n = (double)m->inst->args[0];
    else
        return err_set(e, "the benchmark declares .complexity but has %zu parameters and never "
                          "called pacer_set_complexity_n", m->inst->nargs);
    return 0;
}

/* Add one thread's counters to m's (summed by name). */
static void counters_add(struct measure *m, const struct pacer_priv *p)
{
    unsigned i, k;

    for (i = 0; i < p->nuc; i++) {
        for (k = 0; k < m->nuc && strcmp(m->uc[k].name, p->uc[i].name); k++)
            ;
        if (k == m->nuc) {
            if (m->nuc == PACER_MAX_COUNTERS)
                continue;
            m->uc[m->nuc++] = p->uc[i];
        } else {
            m->uc[k].value += p->uc[i].value;
        }
    }
}

/* Finish m's counters as Google Benchmark does (counter.cc's Finish):
 * time_ns the sample's time (the threads' mean), iters the iterations of
 * all threads. */
static void counters_finish(struct measure *m, double time_ns, double iters, double threads)
{
    unsigned k;

    for (k = 0; k < m->nuc; k++) {
        struct user_counter *c = &m->uc[k];
        if (c->flags & PACER_COUNTER_RATE)
            c->value /= time_ns / 1e9;
        if (c->flags & PACER_COUNTER_AVG_THREADS)
            c->value /= threads;
        if (c->flags & PACER_COUNTER_ITERATION_INVARIANT)
            c->value *= iters;
        if (c->flags & PACER_COUNTER_AVG_ITERATIONS)
            c->value /= iters;
        if (c->flags & PACER_COUNTER_INVERT)
            c->value = 1 / c->value;
    }
}

int measure_setup(struct measure *m, struct err *e)
{
    const struct pacer_def *d = m->inst->def;

    reset_call(m, 0);
    if (d->setup)
        d->setup(&m->st);
    m->set_up = 1;
    if (m->priv.skipped)   /* pacer_error's reason is the error itself */
        return err_set(e, m->priv.skip_error ? "%s" : "skipped in setup: %s",
                       m->priv.skip_reason);
    return 0;
}

/* Counting left on by a loop left without its end: off. */
static void call_end(struct pacer_priv *p)
{
    if (p->collecting) {
        counts_stop();
        p->collecting = 0;
    }
    if (p->hw_on) {
        hwcount_stop(p->hw);
        p->hw_on = 0;
    }
}

/* What one thread's call did wrong, or 0; its time into *ns (ns, manual or
 * measured) and *cpu. */
static int call_check(const pacer_state *st, double *ns, uint64_t *cpu, struct err *e)
{
    const struct pacer_priv *p = st->priv_;

    if (p->skipped)
        return err_set(e, p->skip_error ? "%s" : "skipped: %s", p->skip_reason);
    if (st->phase_ == 0)
        return err_set(e, "the benchmark function returned without running its timed loop");
    if (st->phase_ == 1)
        return err_set(e, "the benchmark function left its timed loop before it ended");
    if (p->inst->def->manual_time && p->manual_sets == 0)
        return err_set(e, "the benchmark declares .manual_time but its loop never called "
                          "pacer_set_iteration_time");
    *ns = p->inst->def->manual_time ? p->manual_ns
                                    : (double)(p->t_stop - p->t_start - p->paused_ns);
    *cpu = p->c_stop - p->c_start - p->c_paused;
    return 0;
}

/* One thread of a threaded call (thread 0 is the calling one). */
struct member {
    pacer_state st;
    struct pacer_priv priv;
    pthread_t tid;
};

static void *member_run(void *arg)
{
    pacer_state *st = arg;

    st->priv_->inst->def->fn(st);
    call_end(st->priv_);
    team_leave(st->priv_->team, st->priv_->team_passed);
    return NULL;
}

/* The threaded call (measure_once): n threads, each iters iterations. */
static int once_threads(struct measure *m, uint64_t iters, uint64_t *ns, struct err *e)
{
    unsigned n = m->inst->threads, i, started = 1;
    struct member *mb = calloc(n, sizeof *mb);
    struct team team;
    double sum_ns = 0, t;
    uint64_t sum_cpu = 0, c;
    int rc = 0;

    if (!mb)
        return err_set(e, "out of memory");
    if (team_init(&team, n) < 0) {
        free(mb);
        return err_set(e, "cannot make the threads' barrier");
    }
    m->priv.team = &team;
    m->priv.nthreads = (int)n;
    for (i = 1; i < n; i++) {
        struct member *x = &mb[i];
        x->st.iterations_ = iters;
        x->st.priv_ = &x->priv;
        x->priv.inst = m->inst;
        x->priv.data = m->priv.data;
        x->priv.team = &team;
        x->priv.thread_index = (int)i;
        x->priv.nthreads = (int)n;
    }
    for (i = 1; i < n; i++, started++) {
        int err = pthread_create(&mb[i].tid, NULL, member_run, &mb[i].st);
        if (err) {
            team_break(&team);
            err_set(e, "cannot start thread %u of %u: %s", i + 1, n, strerror(err));
            rc = -1;
            break;
        }
    }
    member_run(&m->st);
    for (i = 1; i < started; i++)
        pthread_join(mb[i].tid, NULL);
    for (i = 0; i < n && rc == 0; i++) {
        pacer_state *st = i ? &mb[i].st : &m->st;
        t = 0;
        c = 0;
        if (call_check(st, &t, &c, e) < 0) {
            if (i && mb[i].priv.skipped) {   /* the sample skips as that thread did */
                m->priv.skipped = 1;
                m->priv.skip_error = mb[i].priv.skip_error;
                memcpy(m->priv.skip_reason, mb[i].priv.skip_reason, SKIP_MAX);
            }
            if (!st->priv_->skipped || st->priv_->skip_error)
                err_prefix(e, "thread index %u of %u threads", i, n);
            rc = -1;
        }
        sum_ns += t;
        sum_cpu += c;
        counters_add(m, st->priv_);
    }
    m->priv.team = NULL;
    team_destroy(&team);
    free(mb);
    if (rc == 0) {
        /* Google Benchmark's: the mean over threads, per iteration of all */
        *ns = (uint64_t)llround(sum_ns / n / n);
        m->cpu_ns = sum_cpu / n;
        counters_finish(m, sum_ns / n, (double)iters * n, n);
        rc = complexity_n(m, e);
    }
    return rc;
}

int measure_once(struct measure *m, uint64_t iters, uint64_t *ns, struct err *e)
{
    double t = 0;
    uint64_t c = 0;

    reset_call(m, iters);
    if (m->inst->threads > 1)
        return once_threads(m, iters, ns, e);
    m->inst->def->fn(&m->st);
    call_end(&m->priv);
    if (call_check(&m->st, &t, &c, e) < 0)
        return -1;
    *ns = (uint64_t)llround(t);
    m->cpu_ns = c;
    counters_add(m, &m->priv);
    counters_finish(m, t, (double)iters, 1);
    return complexity_n(m, e);
}

int measure_calibrate(struct measure *m, uint64_t target_ns, uint64_t max_iters,
                      uint64_t *iters, uint64_t *ns, struct err *e)
{
    uint64_t n = 1, t = 0;

    if (max_iters == 0 || max_iters > MEASURE_MAX_ITERS)
        max_iters = MEASURE_MAX_ITERS;
    for (;;) {
        double mult, next;

        if (measure_once(m, n, &t, e) < 0)
            return -1;
        if (t >= target_ns || n >= max_iters)
            break;
        /* Aim 20 % over the target from the rate seen so far; grow at most
         * 100x a step, so a first cold call cannot overshoot wildly. */
        mult = t > 0 ? (double)target_ns * 1.2 / (double)t : 100.0;
        if (mult > 100)
            mult = 100;
        next = ceil((double)n * mult);
        if (next <= (double)n)
            next = (double)n + 1;
        n = next >= (double)max_iters ? max_iters : (uint64_t)next;
    }
    *iters = n;
    *ns = t;
    return 0;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

#define SETTLE_N 5
#define SETTLE_SPREAD 0.02

int measure_warmup(struct measure *m, uint64_t iters, uint64_t duration_ns, uint64_t target_ns,
                   int fixed, struct warmup_out *w, struct err *e)
{
    uint64_t last[SETTLE_N], sorted[SETTLE_N], t0 = clock_now_ns(), ns;
    unsigned k = 0;

    memset(w, 0, sizeof *w);
    w->iters = iters;
    do {
        if (measure_once(m, w->iters, &ns, e) < 0)
            return -1;
        last[k % SETTLE_N] = ns;
        k++;
        if (k >= SETTLE_N) {
            memcpy(sorted, last, sizeof sorted);
            qsort(sorted, SETTLE_N, sizeof sorted[0], u64_cmp);
            if (sorted[0] > 0 &&
                (double)(sorted[SETTLE_N - 1] - sorted[0]) / (double)sorted[0] < SETTLE_SPREAD) {
                w->settled = 1;
                break;
            }
        }
    } while (clock_now_ns() - t0 < duration_ns);
    w->samples = k;
    {
        unsigned nlast = k < SETTLE_N ? k : SETTLE_N;
        memcpy(sorted, last, nlast * sizeof last[0]);
        qsort(sorted, nlast, sizeof sorted[0], u64_cmp);
        w->median_ns = sorted[nlast / 2];
    }
    /* Calibration ran cold; warm samples may be much shorter than asked. */
    if (!fixed && w->median_ns > 0 && (double)w->median_ns < 0.9 * (double)target_ns &&
        w->iters < MEASURE_MAX_ITERS) {
        double n = ceil((double)w->iters * (double)target_ns * 1.1 / (double)w->median_ns);
        w->iters = n >= (double)MEASURE_MAX_ITERS ? MEASURE_MAX_ITERS : (uint64_t)n;
        if (measure_once(m, w->iters, &ns, e) < 0)
            return -1;
        w->median_ns = ns;
    }
    return 0;
}

void measure_teardown(struct measure *m)
{
    const struct pacer_def *d = m->inst ? m->inst->def : NULL;

    if (m->set_up && d && d->teardown) {
        reset_call(m, 0);
        d->teardown(&m->st);
    }
    m->set_up = 0;
}
