/* query.c: the driver's queries to a worker process (query.h). */
#include "query.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/stats.h"

enum child_fail query_select(struct child *c, const char *name, uint64_t deadline,
                               struct err *e)
{
    char req[512], *rest;

    snprintf(req, sizeof req, "select %s", name);
    return child_call(c, req, &rest, deadline, e);
}

enum child_fail query_plain(struct child *c, const char *req, uint64_t deadline,
                              struct err *e)
{
    char *rest;

    return child_call(c, req, &rest, deadline, e);
}

enum child_fail query_calibrate(struct child *c, uint64_t target_ns, uint64_t deadline,
                                  uint64_t *iters, struct err *e)
{
    char req[64], *rest;
    unsigned long long a;
    enum child_fail f;

    snprintf(req, sizeof req, "calibrate %" PRIu64 " 0", target_ns);
    if ((f = child_call(c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    if (sscanf(rest, "%llu", &a) != 1 || a == 0) {
        err_set(e, "malformed calibrate answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    *iters = a;
    return CHILD_OK;
}

enum child_fail query_warmup_send(struct child *c, uint64_t iters, uint64_t warmup_ns,
                                  uint64_t target_ns, int fixed, struct err *e)
{
    char req[128];

    snprintf(req, sizeof req, "warmup %" PRIu64 " %" PRIu64 " %" PRIu64 " %d", iters, warmup_ns,
             target_ns, fixed);
    return child_send(c, req, e);
}

enum child_fail query_warmup_reply(struct child *c, uint64_t deadline, struct warmup_answer *a,
                                   struct err *e)
{
    char *rest;
    unsigned long long wi, ws, wm;
    enum child_fail f;
    int settled;

    if ((f = child_reply(c, &rest, deadline, e)) != CHILD_OK)
        return f;
    if (sscanf(rest, "%llu %llu %d %llu", &wi, &ws, &settled, &wm) != 4 || wi == 0) {
        err_set(e, "malformed warmup answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    a->iters = wi;
    a->samples = ws;
    a->settled = settled;
    a->median_ns = wm;
    return CHILD_OK;
}

enum child_fail query_warmup(struct child *c, uint64_t iters, uint64_t warmup_ns,
                               uint64_t target_ns, int fixed, uint64_t deadline,
                               struct warmup_answer *a, struct err *e)
{
    enum child_fail f = query_warmup_send(c, iters, warmup_ns, target_ns, fixed, e);

    return f != CHILD_OK ? f : query_warmup_reply(c, deadline, a, e);
}

enum child_fail query_samples(struct child *c, uint64_t iters, unsigned n, uint64_t deadline,
                                struct series *s, struct bench *b, struct err *e)
{
    char req[64], *rest, *tok, *save = NULL;
    unsigned long long got;
    enum child_fail f;

    snprintf(req, sizeof req, "sample %" PRIu64 " %u", iters, n);
    if ((f = child_call(c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    tok = strtok_r(rest, " ", &save);
    b->bytes_per_op = tok ? strtod(tok, NULL) : 0;
    tok = strtok_r(NULL, " ", &save);
    b->items_per_op = tok ? strtod(tok, NULL) : 0;
    for (got = 0; (tok = strtok_r(NULL, " ", &save)); got++)
        if (series_add(s, strtod(tok, NULL) / (double)iters) < 0) {
            err_set(e, "out of memory");
            return CHILD_PROTOCOL;
        }
    if (got != n) {
        err_set(e, "asked for %u samples, got %llu", n, got);
        return CHILD_PROTOCOL;
    }
    return CHILD_OK;
}

enum child_fail query_reference(struct child *c, uint64_t deadline, struct proc_ref *r,
                                struct err *e)
{
    char req[64], *rest, *end;
    enum child_fail f;
    unsigned i;

    if (r->absent || r->n + QUERY_REF_ROUNDS > 2 * QUERY_REF_ROUNDS)
        return CHILD_OK;
    snprintf(req, sizeof req, "reference %u", QUERY_REF_ROUNDS);
    f = child_call(c, req, &rest, deadline, e);
    if (f == CHILD_ERR_ANSWER && !strcmp(e->msg, "malformed request")) {
        err_clear(e);
        r->absent = 1;
        return CHILD_OK;
    }
    if (f != CHILD_OK)
        return f;
    for (i = 0; i < QUERY_REF_ROUNDS; i++) {
        double cn = strtod(rest, &end), mn;
        if (end == rest || !(cn > 0))
            goto bad;
        rest = end;
        mn = strtod(rest, &end);
        if (end == rest || !(mn > 0))
            goto bad;
        rest = end;
        r->compute[r->n] = cn;
        r->memory[r->n] = mn;
        r->n++;
    }
    return CHILD_OK;
bad:
    err_set(e, "malformed reference answer '%.40s'", rest);
    return CHILD_PROTOCOL;
}

int query_reference_keep(const struct proc_ref *r, struct bench *b)
{
    double c[2 * QUERY_REF_ROUNDS], m[2 * QUERY_REF_ROUNDS];

    if (r->n == 0)
        return 0;
    memcpy(c, r->compute, r->n * sizeof *c);
    memcpy(m, r->memory, r->n * sizeof *m);
    return bench_add_reference(b, stats_median(c, r->n), stats_median(m, r->n));
}

enum child_fail query_count(struct child *c, uint64_t iters, unsigned n, const char *prefix,
                            uint64_t deadline, struct series *s, struct bench *b,
                            struct err *e)
{
    char req[4400], *rest, *end;
    struct metric *m = NULL, *wm = NULL;
    enum child_fail f;
    unsigned k;

    snprintf(req, sizeof req, "count %" PRIu64 " %u %s", iters, n, prefix);
    if ((f = child_call(c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    if (!bench_metric(b, QUERY_CYCLES_METRIC) &&
        !bench_add_metric(b, QUERY_CYCLES_METRIC, "cycles", DIR_LOWER)) {
        err_set(e, "out of memory");
        return CHILD_PROTOCOL;
    }
    if (!bench_metric(b, QUERY_WAITED_METRIC) &&
        !bench_add_metric(b, QUERY_WAITED_METRIC, "ratio", DIR_LOWER)) {
        err_set(e, "out of memory");
        return CHILD_PROTOCOL;
    }
    m = bench_metric(b, QUERY_CYCLES_METRIC);
    wm = bench_metric(b, QUERY_WAITED_METRIC);
    for (k = 0; k < n; k++) {
        double ir = strtod(rest, &end), cyc, wt;

        if (end == rest || !(ir >= 0))
            break;
        cyc = strtod(rest = end, &end);
        if (end == rest || !(cyc >= 0))
            break;
        wt = strtod(rest = end, &end);
        if (end == rest || !(wt >= 0 && wt <= 1000))
            break;
        rest = end;
        if (series_add(s, ir / (double)iters) < 0 ||
            doubles_append(&m->samples, &m->nsamples, cyc / (double)iters) < 0 ||
            doubles_append(&wm->samples, &wm->nsamples, wt / 1000) < 0) {
            err_set(e, "out of memory");
            return CHILD_PROTOCOL;
        }
    }
    if (k < n || strspn(rest, " ") != strlen(rest)) {
        err_set(e, "malformed count answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    return CHILD_OK;
}

enum child_fail query_counters(struct child *c, const char *list, uint64_t deadline,
                               struct err *e)
{
    char req[160], *rest;

    snprintf(req, sizeof req, "counters %s", list);
    return child_call(c, req, &rest, deadline, e);
}

enum child_fail query_hw(struct child *c, const char *list, unsigned n, uint64_t iters,
                         uint64_t deadline, struct bench *b, struct err *e)
{
    char names[8][40], buf[160], *tok, *save = NULL, *rest, *end;
    struct metric *m[8];
    enum child_fail f;
    unsigned k, j, nn = 0;

    snprintf(buf, sizeof buf, "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok && nn < 8; tok = strtok_r(NULL, ",", &save))
        snprintf(names[nn++], sizeof names[0], "hw.%s", tok);
    if ((f = child_call(c, "hw", &rest, deadline, e)) != CHILD_OK)
        return f;
    for (j = 0; j < nn; j++)   /* all made first: adding one moves the others */
        if (!bench_metric(b, names[j]) && !bench_add_metric(b, names[j], "count", DIR_LOWER)) {
            err_set(e, "out of memory");
            return CHILD_PROTOCOL;
        }
    for (j = 0; j < nn; j++)
        m[j] = bench_metric(b, names[j]);
    for (k = 0; k < n; k++)
        for (j = 0; j < nn; j++) {
            double v = strtod(rest, &end);
            if (end == rest || !(v >= 0)) {
                err_set(e, "malformed hw answer '%.40s'", rest);
                return CHILD_PROTOCOL;
            }
            rest = end;
            if (doubles_append(&m[j]->samples, &m[j]->nsamples, v / (double)iters) < 0) {
                err_set(e, "out of memory");
                return CHILD_PROTOCOL;
            }
        }
    return CHILD_OK;
}

enum child_fail query_complexity_n(struct child *c, uint64_t deadline, struct bench *b,
                                   struct err *e)
{
    char *rest, *end;
    enum child_fail f;
    double n;

    if ((f = child_call(c, "cn", &rest, deadline, e)) != CHILD_OK)
        return f;
    n = strtod(rest, &end);
    if (end == rest || !(n >= 1) || !isfinite(n)) {
        err_set(e, "malformed cn answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    b->complexity_n = n;
    return CHILD_OK;
}

enum child_fail query_user(struct child *c, unsigned n, size_t start, uint64_t deadline,
                           struct bench *b, int *absent, struct err *e)
{
    char *rest, *end, name[64];
    unsigned long k, j;
    unsigned flags;
    enum child_fail f;
    int used;

    if (*absent)
        return CHILD_OK;
    f = child_call(c, "user", &rest, deadline, e);
    if (f == CHILD_ERR_ANSWER && !strcmp(e->msg, "malformed request")) {
        err_clear(e);
        *absent = 1;
        return CHILD_OK;
    }
    if (f != CHILD_OK)
        return f;
    if (sscanf(rest, "%lu%n", &k, &used) != 1 || k > 64)
        goto bad;
    rest += used;
    while (k-- > 0) {
        struct metric *m;

        if (sscanf(rest, " %63s %u%n", name, &flags, &used) != 2)
            goto bad;
        rest += used;
        if (!(m = bench_counter(b, name)) && !(m = bench_add_counter(b, name, flags))) {
            err_set(e, "out of memory");
            return CHILD_PROTOCOL;
        }
        while (m->nsamples < start)   /* not in the batches before: dropped later */
            if (doubles_append(&m->samples, &m->nsamples, NAN) < 0)
                goto oom;
        for (j = 0; j < n; j++) {
            double v = strtod(rest, &end);
            if (end == rest)
                goto bad;
            rest = end;
            if (doubles_append(&m->samples, &m->nsamples, v) < 0)
                goto oom;
        }
    }
    if (strspn(rest, " ") != strlen(rest))
        goto bad;
    return CHILD_OK;
bad:
    err_set(e, "malformed user answer '%.40s'", rest);
    return CHILD_PROTOCOL;
oom:
    err_set(e, "out of memory");
    return CHILD_PROTOCOL;
}

/* A request answered with a time per sample of the last batch (cpu,
 * wait), appended to b's metric `metric` as ns per iteration.  A worker
 * that refuses it (older, or, for any_err, unable to say) sets *absent. */
static enum child_fail per_sample(struct child *c, const char *req, const char *metric,
                                  int any_err, unsigned n, uint64_t iters, uint64_t deadline,
                                  struct bench *b, int *absent, struct err *e)
{
    struct metric *m = NULL;
    char *rest, *end;
    enum child_fail f;
    size_t i;
    unsigned k;

    if (*absent)
        return CHILD_OK;
    f = child_call(c, req, &rest, deadline, e);
    if (f == CHILD_ERR_ANSWER && (any_err || !strcmp(e->msg, "malformed request"))) {
        err_clear(e);
        *absent = 1;
        return CHILD_OK;
    }
    if (f != CHILD_OK)
        return f;
    for (i = 0; i < b->nmetrics; i++)
        if (!strcmp(b->metrics[i].name, metric))
            m = &b->metrics[i];
    if (!m && !(m = bench_add_metric(b, metric, "ns", DIR_LOWER))) {
        err_set(e, "out of memory");
        return CHILD_PROTOCOL;
    }
    for (k = 0; k < n; k++) {
        double v = strtod(rest, &end);
        if (end == rest || !(v >= 0)) {
            err_set(e, "malformed %s answer '%.40s'", req, rest);
            return CHILD_PROTOCOL;
        }
        rest = end;
        if (doubles_append(&m->samples, &m->nsamples, v / (double)iters) < 0) {
            err_set(e, "out of memory");
            return CHILD_PROTOCOL;
        }
    }
    if (*rest && strspn(rest, " ") != strlen(rest)) {
        err_set(e, "%s answer: more than %u times", req, n);
        return CHILD_PROTOCOL;
    }
    return CHILD_OK;
}

enum child_fail query_cpu(struct child *c, unsigned n, uint64_t iters, uint64_t deadline,
                          struct bench *b, int *absent, struct err *e)
{
    return per_sample(c, "cpu", QUERY_CPU_METRIC, 0, n, iters, deadline, b, absent, e);
}

enum child_fail query_wait(struct child *c, unsigned n, uint64_t iters, uint64_t deadline,
                           struct bench *b, int *absent, struct err *e)
{
    return per_sample(c, "wait", QUERY_WAIT_METRIC, 1, n, iters, deadline, b, absent, e);
}
