/*
 * timeline.c: what a load thread counts within the measured window: the
 * time series, one row per interval (filled by the thread, handed to the
 * shared slot under a lock once per interval and thread, and summed up by
 * the last thread to contribute), and the errors by class and errno.
 */
#include "loadgen_private.h"

#include <math.h>
#include <string.h>

/* The shape asked at the middle of interval i (a ramp's mean over it),
 * and achieved: the threads' mean active connections summed (closed loop,
 * NaN where not sampled), or requests written per second (open loop). */
static void slot_shape(const struct shared *sh, struct ivslot *s, size_t i)
{
    const struct load_opts *o = sh->o;
    uint64_t from = (uint64_t)i * o->interval_ns, span = o->interval_ns;
    uint64_t mid;

    if (from + span > o->duration_ns)
        span = o->duration_ns - from;
    mid = sh->t_warm - sh->t0 + from + span / 2;
    if (o->nstages)
        s->row.target = load_stage_target(o->stages, o->nstages, mid);
    else if (o->nrate_stages)
        s->row.target = load_stage_target(o->rate_stages, o->nrate_stages, mid);
    else
        s->row.target = o->rate > 0 ? o->rate : o->connections;
    if (o->rate > 0)
        s->row.achieved = span ? (double)s->row.sent / ((double)span / 1e9) : 0;
    else if (!s->sampled)
        s->row.achieved = NAN;
}

static void slot_finish(const struct shared *sh, struct ivslot *s, size_t i)
{
    static const double ps[] = {50, 90, 99, 99.9, 100};
    uint64_t v[5];

    slot_shape(sh, s, i);
    if (s->h.counts && s->h.count) {
        hist_percentiles(&s->h, ps, 5, v);
        s->row.p50 = v[0];
        s->row.p90 = v[1];
        s->row.p99 = v[2];
        s->row.p999 = v[3];
        s->row.max = v[4];
    }
    hist_free(&s->h);
}

/* Closed loop with stages: the thread's users in place over interval i
 * into slot s.  The last sample holds to the interval's end, and through
 * an interval without a sample (the thread was not run meanwhile): the
 * integral is closed there, so the next interval starts where it ends. */
static void users_hand_in(struct thread *t, struct ivslot *s, size_t i)
{
    const struct shared *sh = t->sh;
    uint64_t start = sh->t_warm + i * t->o->interval_ns, end = start + t->o->interval_ns;
    uint64_t last = t->w1 ? t->w1 : sh->t_end;   /* the loop's end, once it ended */

    if (!shape_closed(t) || !t->users_at || start >= last)
        return;   /* not sampled (yet), or after an early stop */
    if (end > last)
        end = last;
    if (t->users_at < start)
        t->users_at = start;
    if (end > t->users_at) {
        t->users_sum += t->users_last * (double)(end - t->users_at);
        t->users_w += (double)(end - t->users_at);
        t->users_at = end;
    }
    if (t->users_w > 0) {
        s->row.achieved += t->users_sum / t->users_w;
        s->sampled++;
    }
    t->users_sum = 0;
    t->users_w = 0;
}

void timeline_flush(struct thread *t, size_t upto)
{
    struct shared *sh = t->sh;
    size_t i;
    int c;

    pthread_mutex_lock(&sh->lock);
    for (i = t->cur; i < upto && i < sh->nslots; i++) {
        struct ivslot *s = &sh->slots[i];
        if (i == t->cur && t->iv.requests + t->iv.sent + t->iv.late + t->iv.bytes) {
            s->row.requests += t->iv.requests;
            s->row.sent += t->iv.sent;
            s->row.late += t->iv.late;
            s->row.bytes += t->iv.bytes;
            if (t->ivh.count) {
                if (!s->h.counts && hist_init(&s->h, IV_DIGITS, t->ivh.highest, NULL) < 0)
                    t->failed = 1;
                else
                    hist_merge(&s->h, &t->ivh, NULL);
            }
        }
        if (i == t->cur) {
            for (c = 0; c < LC_NCLASS; c++)
                s->row.errors[c] += t->iv.errors[c];
            s->row.checks_failed += t->iv.checks_failed;
        }
        users_hand_in(t, s, i);
        if (++s->contributed == sh->nthreads)
            slot_finish(sh, s, i);
    }
    pthread_mutex_unlock(&sh->lock);
    memset(&t->iv, 0, sizeof t->iv);
    hist_reset(&t->ivh);
    t->cur = upto;
    t->iv_from = t->iv_to = 0;
}

struct load_interval *timeline_advance(struct thread *t, uint64_t now)
{
    const struct shared *sh = t->sh;
    size_t idx;

    if (now < sh->t_warm || now >= sh->t_end)
        return NULL;
    idx = (now - sh->t_warm) / t->o->interval_ns;
    if (idx > t->cur)
        timeline_flush(t, idx);
    if (idx == t->cur) {
        t->iv_from = sh->t_warm + idx * t->o->interval_ns;
        t->iv_to = t->iv_from + t->o->interval_ns;
        if (t->iv_to > sh->t_end)
            t->iv_to = sh->t_end;
    }
    return &t->iv;
}

void timeline_add_errors(struct thread *t, enum load_class cls, int errnum, const char *why,
                         uint64_t n, uint64_t now)
{
    struct load_interval *iv = timeline_at(t, now);
    size_t i;

    if (!n)
        return;
    if (!iv) {
        if (now < t->sh->t_warm)
            t->warm_errors += n;
        return;
    }
    iv->errors[cls] += n;
    t->errors[cls] += n;
    for (i = 0; i < t->nerrnos; i++)
        if (t->errnos[i].cls == cls && t->errnos[i].errnum == errnum &&
            (t->errnos[i].why == why ||
             (t->errnos[i].why && why && !strcmp(t->errnos[i].why, why))))
            break;
    if (i == t->nerrnos) {
        if (i == MAX_ERRNOS)
            i--;   /* the last slot collects the rest */
        else {
            t->nerrnos++;
            t->errnos[i].cls = cls;
            t->errnos[i].errnum = errnum;
            t->errnos[i].why = why;
        }
    }
    t->errnos[i].count += n;
}
