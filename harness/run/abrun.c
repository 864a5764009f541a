/* abrun.c: paired A/B samples from two resident workers (abrun.h). */
#include "abrun.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "harness/lib/clock.h"
#include "harness/result/series.h"

#define STOP_GRACE_NS 2000000000ULL

struct side {
    const char *binary;
    struct child c;
    struct bench *b;
    int started;
    struct series ser;
};

static void fail_side(struct side *s, enum child_fail f, const struct err *e, const char *stage,
                      const struct settings *set)
{
    runner_record(s->b, &s->c, f, e, stage, set);
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
    if (series_add(&s->ser, strtod(tok, NULL) / (double)iters) < 0) {
        err_set(e, "out of memory");
        return CHILD_PROTOCOL;
    }
    return CHILD_OK;
}

static uint64_t target_of(const struct run_opts *o)
{
    double floor_ns = 1000.0 * o->clock_resolution_ns;

    return (double)o->set.sample_target_ns < floor_ns ? (uint64_t)floor_ns
                                                      : o->set.sample_target_ns;
}

/* One pair of worker processes: select, setup, (calibrate), warmup, npairs
 * ABBA pairs, teardown, stop.  *failed gets the failing side (or stays -1). */
static enum child_fail pair_process(struct side sd[2], const struct listed *li,
                                    const struct run_opts *o, int first, uint64_t *iters,
                                    unsigned npairs, unsigned swap, int *failed)
{
    const struct settings *set = &o->set;
    uint64_t deadline = clock_now_ns() + set->timeout_ns;
    char req[512], *rest;
    const char *stage = "start";
    enum child_fail f = CHILD_OK;
    struct err e = {0};
    unsigned k;
    int i;

    /* Which side starts, sets up and warms up first alternates between
     * worker pairs (swap), so no side is always the one that went first. */
    for (k = 0; k < 2; k++) {
        i = (int)(k ^ swap);
        sd[i].started = 0;
        if (child_start(&sd[i].c, sd[i].binary, &e) < 0) {
            bench_set_error(sd[i].b, "%s", e.msg);
            *failed = i;
            return CHILD_PROTOCOL;
        }
        sd[i].started = 1;
    }
    snprintf(req, sizeof req, "select %s", li->name);
    for (stage = "select"; stage; stage = !strcmp(stage, "select") ? "setup" : NULL)
        for (k = 0; k < 2; k++) {
            i = (int)(k ^ swap);
            err_clear(&e);
            if ((f = child_call(&sd[i].c, !strcmp(stage, "select") ? req : "setup", &rest,
                                deadline, &e)) != CHILD_OK) {
                fail_side(&sd[i], f, &e, stage, set);
                *failed = i;
                return f;
            }
        }
    /* In the first worker pair both sides calibrate, so both did the same
     * work before their samples; every pair then runs the base's count. */
    stage = "calibration";
    snprintf(req, sizeof req, "calibrate %" PRIu64 " 0", target_of(o));
    for (k = 0; k < 2 && first; k++) {
        uint64_t got = 0;
        i = (int)(k ^ swap);
        err_clear(&e);
        if ((f = child_call(&sd[i].c, req, &rest, deadline, &e)) != CHILD_OK ||
            sscanf(rest, "%" SCNu64, &got) != 1 || got == 0) {
            if (f == CHILD_OK) {
                err_set(&e, "malformed calibrate answer");
                f = CHILD_PROTOCOL;
            }
            fail_side(&sd[i], f, &e, stage, set);
            *failed = i;
            return f;
        }
        if (i == 0)
            *iters = got;
    }
    stage = "warmup";
    snprintf(req, sizeof req, "warmup %" PRIu64 " %" PRIu64 " %" PRIu64 " 1", *iters,
             set->warmup_ns, target_of(o));
    for (k = 0; k < 2; k++) {
        i = (int)(k ^ swap);
        err_clear(&e);
        if ((f = child_call(&sd[i].c, req, &rest, deadline, &e)) != CHILD_OK) {
            fail_side(&sd[i], f, &e, stage, set);
            *failed = i;
            return f;
        }
    }
    stage = "sampling";
    for (k = 0; k < npairs; k++) {
        int order = k % 2;   /* ABBA: AB, BA, AB, BA, ... */
        for (i = 0; i < 2; i++) {
            struct side *sdi = &sd[i ^ order];
            err_clear(&e);
            if ((f = one_sample(sdi, *iters, deadline, &e)) != CHILD_OK) {
                fail_side(sdi, f, &e, stage, set);
                *failed = (int)(sdi - sd);
                return f;
            }
        }
    }
    stage = "teardown";
    for (i = 0; i < 2; i++) {
        err_clear(&e);
        if ((f = child_call(&sd[i].c, "teardown", &rest, deadline, &e)) != CHILD_OK) {
            fail_side(&sd[i], f, &e, stage, set);
            *failed = i;
            return f;
        }
    }
    for (i = 0; i < 2; i++) {
        err_clear(&e);
        if (child_stop(&sd[i].c, STOP_GRACE_NS, &e) < 0) {
            fail_side(&sd[i], CHILD_DIED, &e, "exit", set);
            *failed = i;
            return CHILD_DIED;
        }
    }
    return CHILD_OK;
}

int abrun_micro(const char *base_bin, const char *new_bin, const char *suite,
                const struct listed *li, const struct run_opts *o, struct bench *bb,
                struct bench *nb)
{
    const struct settings *set = &o->set;
    struct side sd[2] = {{.binary = base_bin, .b = bb}, {.binary = new_bin, .b = nb}};
    unsigned pairs = set->samples ? set->samples : 30, k = set->processes ? set->processes : 1;
    unsigned p, np;
    enum child_fail f = CHILD_OK;
    uint64_t iters = 0;
    size_t *counts = NULL, ncounts = 0;
    int i, failed = -1, interrupted;

    runner_bench_init(bb, base_bin, suite, li);
    runner_bench_init(nb, new_bin, suite, li);
    if (k > pairs)
        k = pairs;
    if (k > 1)
        counts = calloc(k, sizeof *counts);
    /* k worker pairs in turn, each with its own memory layout; the pairs
     * they give are clusters for the analysis. */
    for (p = 0; p < k && failed < 0 && f != CHILD_INTERRUPTED; p++) {
        size_t before = sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n;
        np = pairs / k + (p < pairs % k);
        f = pair_process(sd, li, o, p == 0, &iters, np, p % 2, &failed);
        for (i = 0; i < 2; i++) {
            child_kill(&sd[i].c);
            child_free(&sd[i].c);
        }
        if (counts)
            counts[ncounts++] = (sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n) - before;
        if (child_interrupted)
            f = CHILD_INTERRUPTED;
    }
    interrupted = f == CHILD_INTERRUPTED;
    /* The other side cannot pair with a failed one. */
    if (failed >= 0 && !sd[!failed].b->error)
        bench_set_error(sd[!failed].b, "its %s side failed: no pairs", failed ? "new" : "base");
    for (i = 0; i < 2; i++) {
        struct stats_opts so;
        /* Keep whole pairs only. */
        sd[i].b->samples = sd[i].ser.x;
        sd[i].b->nsamples = sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n;
        sd[i].b->iterations = iters ? iters : 1;
        sd[i].b->processes = k;
        if (counts && ncounts >= 2) {
            sd[i].b->proc_samples = malloc(ncounts * sizeof *counts);
            if (sd[i].b->proc_samples) {
                memcpy(sd[i].b->proc_samples, counts, ncounts * sizeof *counts);
                sd[i].b->nproc_samples = ncounts;
            }
        }
        stats_opts_default(&so);
        so.seed = set->seed;
        so.ci_level = set->ci_level;
        bench_compute_stats(sd[i].b, &so);
    }
    free(counts);
    return interrupted ? -1 : 0;
}
