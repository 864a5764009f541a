/* measure.c: calibration, warmup and samples of one instance, in process. */
#include "measure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "counts.h"

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

int measure_once(struct measure *m, uint64_t iters, uint64_t *ns, struct err *e)
{
    reset_call(m, iters);
    m->inst->def->fn(&m->st);
    if (m->priv.collecting) {     /* the loop was left without its end */
        counts_stop();
        m->priv.collecting = 0;
    }
    if (m->priv.hw_on) {
        hwcount_stop(m->priv.hw);
        m->priv.hw_on = 0;
    }
    if (m->priv.skipped)
        return err_set(e, m->priv.skip_error ? "%s" : "skipped: %s", m->priv.skip_reason);
    if (m->st.phase_ == 0)
        return err_set(e, "the benchmark function returned without running its timed loop");
    if (m->st.phase_ == 1)
        return err_set(e, "the benchmark function left its timed loop before it ended");
    *ns = m->priv.t_stop - m->priv.t_start - m->priv.paused_ns;
    m->cpu_ns = m->priv.c_stop - m->priv.c_start - m->priv.c_paused;
    return 0;
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
