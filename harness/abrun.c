/* abrun.c: paired A/B samples from two resident workers (abrun.h). */
#include "abrun.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "clock.h"

#define STOP_GRACE_NS 2000000000ULL

struct side {
    const char *binary;
    struct child c;
    struct bench *b;
    int started;
    double *x;
    size_t n, cap;
};

static void fail_side(struct side *s, enum child_fail f, const struct err *e, const char *stage,
                      const struct settings *set)
{
    struct bench_error *be;

    if (s->b->error)
        return;
    if (f == CHILD_TIMEOUT) {
        be = bench_set_error(s->b, "timed out after %.3g s (in %s)",
                             (double)set->timeout_ns / 1e9, stage);
        if (be)
            be->timed_out = 1;
    } else if (f == CHILD_DIED) {
        be = bench_set_error(s->b, "%s (in %s)", e->msg, stage);
        if (be && WIFSIGNALED(s->c.status))
            be->signal = WTERMSIG(s->c.status);
        else if (be && WIFEXITED(s->c.status))
            be->exit_code = WEXITSTATUS(s->c.status);
    } else if (f == CHILD_INTERRUPTED)
        be = bench_set_error(s->b, "interrupted (in %s)", stage);
    else
        be = bench_set_error(s->b, "%s: %s", stage, e->msg);
    if (be && !be->stderr_tail && s->started)
        be->stderr_tail = child_stderr_tail(&s->c);
}

static int push(struct side *s, double v)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        double *nx = realloc(s->x, ncap * sizeof *nx);
        if (!nx)
            return -1;
        s->x = nx;
        s->cap = ncap;
    }
    s->x[s->n++] = v;
    return 0;
}

/* One sample of iters iterations from a side into its series. */
static enum child_fail one_sample(struct side *s, uint64_t iters, uint64_t deadline,
                                  struct err *e)
{
    char req[64], *rest, *tok, *save = NULL;
    enum child_fail f;

    snprintf(req, sizeof req, "sample %" PRIu64 " 1", iters);
    if ((f = child_call(&s->c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    tok = strtok_r(rest, " ", &save);
    s->b->bytes_per_op = tok ? strtod(tok, NULL) : 0;
    tok = strtok_r(NULL, " ", &save);
    s->b->items_per_op = tok ? strtod(tok, NULL) : 0;
    tok = strtok_r(NULL, " ", &save);
    if (!tok) {
        err_set(e, "malformed sample answer");
        return CHILD_PROTOCOL;
    }
    if (push(s, strtod(tok, NULL) / (double)iters) < 0) {
        err_set(e, "out of memory");
        return CHILD_PROTOCOL;
    }
    return CHILD_OK;
}

static void init_bench(struct bench *b, const char *suite, const struct listed *li,
                       const char *binary)
{
    size_t len = strlen(suite) + strlen(li->name) + 2, i;

    b->name = malloc(len);
    if (b->name)
        snprintf(b->name, len, "%s/%s", suite, li->name);
    b->kind = KIND_MICRO;
    b->dir = DIR_LOWER;
    b->binary = strdup(binary);
    for (i = 0; i < li->nparams; i++) {
        char *end;
        long long v = strtoll(li->pvalues[i], &end, 10);
        if (*end == '\0' && end != li->pvalues[i])
            bench_add_param_int(b, li->pnames[i], v);
        else
            bench_add_param_str(b, li->pnames[i], li->pvalues[i]);
    }
}

static uint64_t target_of(const struct run_opts *o)
{
    double floor_ns = 1000.0 * o->clock_resolution_ns;

    return (double)o->set.sample_target_ns < floor_ns ? (uint64_t)floor_ns
                                                      : o->set.sample_target_ns;
}

int abrun_micro(const char *base_bin, const char *new_bin, const char *suite,
                const struct listed *li, const struct run_opts *o, struct bench *bb,
                struct bench *nb)
{
    const struct settings *set = &o->set;
    struct side sd[2] = {{.binary = base_bin, .b = bb}, {.binary = new_bin, .b = nb}};
    uint64_t deadline = clock_now_ns() + set->timeout_ns, iters = 0;
    char req[512], *rest;
    const char *stage = "start";
    enum child_fail f = CHILD_OK;
    struct err e = {0};
    unsigned k, pairs = set->samples ? set->samples : 30;
    int i, failed = -1, interrupted = 0;

    init_bench(bb, suite, li, base_bin);
    init_bench(nb, suite, li, new_bin);
    for (i = 0; i < 2; i++) {
        if (child_start(&sd[i].c, sd[i].binary, &e) < 0) {
            bench_set_error(sd[i].b, "%s", e.msg);
            failed = i;
            goto done;
        }
        sd[i].started = 1;
    }
    snprintf(req, sizeof req, "select %s", li->name);
    for (stage = "select"; failed < 0 && stage; stage = !strcmp(stage, "select") ? "setup" : NULL)
        for (i = 0; i < 2; i++) {
            err_clear(&e);
            if ((f = child_call(&sd[i].c, !strcmp(stage, "select") ? req : "setup", &rest,
                                deadline, &e)) != CHILD_OK) {
                fail_side(&sd[i], f, &e, stage, set);
                failed = i;
                break;
            }
        }
    if (failed >= 0)
        goto done;
    /* Both sides run the base's iteration count. */
    stage = "calibration";
    snprintf(req, sizeof req, "calibrate %" PRIu64 " 0", target_of(o));
    if ((f = child_call(&sd[0].c, req, &rest, deadline, &e)) != CHILD_OK ||
        sscanf(rest, "%" SCNu64, &iters) != 1 || iters == 0) {
        if (f == CHILD_OK) {
            err_set(&e, "malformed calibrate answer");
            f = CHILD_PROTOCOL;
        }
        fail_side(&sd[0], f, &e, stage, set);
        failed = 0;
        goto done;
    }
    stage = "warmup";
    snprintf(req, sizeof req, "warmup %" PRIu64 " %" PRIu64 " %" PRIu64 " 1", iters,
             set->warmup_ns, target_of(o));
    for (i = 0; i < 2; i++) {
        err_clear(&e);
        if ((f = child_call(&sd[i].c, req, &rest, deadline, &e)) != CHILD_OK) {
            fail_side(&sd[i], f, &e, stage, set);
            failed = i;
            goto done;
        }
    }
    stage = "sampling";
    for (k = 0; k < pairs; k++) {
        int first = k % 2;   /* ABBA: AB, BA, AB, BA, ... */
        for (i = 0; i < 2; i++) {
            struct side *s = &sd[i ^ first];
            err_clear(&e);
            if ((f = one_sample(s, iters, deadline, &e)) != CHILD_OK) {
                fail_side(s, f, &e, stage, set);
                failed = (int)(s - sd);
                goto done;
            }
        }
    }
    stage = "teardown";
    for (i = 0; i < 2; i++) {
        err_clear(&e);
        if ((f = child_call(&sd[i].c, "teardown", &rest, deadline, &e)) != CHILD_OK) {
            fail_side(&sd[i], f, &e, stage, set);
            failed = i;
            goto done;
        }
    }
    for (i = 0; i < 2; i++) {
        err_clear(&e);
        if (child_stop(&sd[i].c, STOP_GRACE_NS, &e) < 0) {
            fail_side(&sd[i], CHILD_DIED, &e, "exit", set);
            failed = i;
        }
    }
done:
    interrupted = f == CHILD_INTERRUPTED || child_interrupted;
    /* The other side cannot pair with a failed one. */
    if (failed >= 0 && !sd[!failed].b->error)
        bench_set_error(sd[!failed].b, "its %s side failed: no pairs", failed ? "new" : "base");
    for (i = 0; i < 2; i++) {
        struct stats_opts so;
        child_kill(&sd[i].c);
        child_free(&sd[i].c);
        /* Keep whole pairs only. */
        sd[i].b->samples = sd[i].x;
        sd[i].b->nsamples = sd[0].n < sd[1].n ? sd[0].n : sd[1].n;
        sd[i].b->iterations = iters ? iters : 1;
        sd[i].b->processes = 1;
        stats_opts_default(&so);
        so.seed = set->seed;
        so.ci_level = set->ci_level;
        bench_compute_stats(sd[i].b, &so);
    }
    return interrupted ? -1 : 0;
}
