/*
 * timeline.c: what a load thread counts within the measured window: the
 * time series, one row per interval (filled by the thread, handed to the
 * shared slot under a lock once per interval and thread, and summed up by
 * the last thread to contribute), and the errors by class and errno.
 */
#include "loadgen_private.h"

#include <string.h>

static void slot_finish(struct ivslot *s)
{
    static const double ps[] = {50, 90, 99, 99.9, 100};
    uint64_t v[5];

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
        if (++s->contributed == sh->nthreads)
            slot_finish(s);
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
