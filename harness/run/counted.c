/* counted.c: a worker process under callgrind (counted.h). */
#include "counted.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/result/profile.h"
#include "query.h"
#include "tmpfiles.h"

#define STOP_GRACE_NS 5000000000ULL   /* valgrind writes its last dump on exit */

int counted_valgrind(char *buf, size_t len, struct err *e)
{
    FILE *p = popen("valgrind --version 2>/dev/null", "r");
    int st;

    if (!p || !fgets(buf, (int)len, p)) {
        if (p)
            pclose(p);
        return err_set(e, "--mode instructions needs valgrind (Debian's package valgrind), "
                          "which does not run here");
    }
    st = pclose(p);
    buf[strcspn(buf, "\r\n")] = '\0';
    if (st != 0 || strncmp(buf, "valgrind-", 9) != 0)
        return err_set(e, "--mode instructions needs valgrind (Debian's package valgrind): "
                          "'valgrind --version' said '%.60s'", buf);
    return 0;
}

/* The iteration count from one counted iteration (counted.h). */
static enum child_fail calibrate(struct child *c, uint64_t deadline, const char *prefix,
                                 uint64_t *iters, struct err *e)
{
    char req[4400], *rest;
    unsigned long long ir;
    enum child_fail f;
    double n;

    snprintf(req, sizeof req, "count 1 1 %s", prefix);
    if ((f = child_call(c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    if (sscanf(rest, "%llu", &ir) != 1) {
        err_set(e, "malformed count answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    n = ceil(COUNTED_TARGET_IR / (double)(ir ? ir : 1));
    *iters = n >= (double)COUNTED_MAX_ITERS ? COUNTED_MAX_ITERS : (uint64_t)n;
    return CHILD_OK;
}

/* The stages after the start; returns the failing stage's child_fail. */
static enum child_fail stages(struct child *c, const struct listed *li, unsigned n, int first, uint64_t deadline, const char *prefix,
                              uint64_t *iters, struct series *s, struct bench *b,
                              const char **stage, struct err *e)
{
    struct warmup_answer wa;
    enum child_fail f;

    *stage = "select";
    if ((f = query_select(c, li->name, deadline, e)) != CHILD_OK)
        return f;
    *stage = "setup";
    if ((f = query_plain(c, "setup", deadline, e)) != CHILD_OK)
        return f;
    *stage = "calibration";
    if (first && (f = calibrate(c, deadline, prefix, iters, e)) != CHILD_OK)
        return f;
    /* one sample first: lazy binding, first touches of the data */
    *stage = "warmup";
    if ((f = query_warmup(c, *iters, 0, 1, 1, deadline, &wa, e)) != CHILD_OK)
        return f;
    *stage = "counting";
    if ((f = query_count(c, *iters, n, prefix, deadline, s, b, e)) != CHILD_OK)
        return f;
    *stage = "teardown";
    return query_plain(c, "teardown", deadline, e);
}

enum child_fail counted_process(const char *binary, const struct listed *li,
                                const struct run_opts *o, unsigned samples, int first,
                                uint64_t deadline, uint64_t *iters, struct series *s,
                                struct bench *b)
{
    char dir[4096], prefix[4200], outfile[4300];
    char *wrap[] = {"valgrind", "--tool=callgrind", "--collect-atstart=no", "--cache-sim=yes",
                    "--compress-strings=no", "-q", outfile, NULL};
    struct err e = {0};
    struct child c;
    enum child_fail f;
    const char *stage = "start";
    unsigned k = o->set.processes ? o->set.processes : 1;
    unsigned n = samples ? samples : (COUNTED_SAMPLES + k - 1) / k;

    if (child_is_python(binary)) {   /* no need to start it under valgrind to hear it */
        bench_set_error(b, "a Python benchmark cannot count instructions (pacer run --mode "
                           "instructions needs a C suite binary)");
        return CHILD_PROTOCOL;
    }
    if (tmp_dir_make(dir, sizeof dir, "pacer-counts", &e) < 0) {
        bench_set_error(b, "%s", e.msg);
        return CHILD_PROTOCOL;
    }
    snprintf(prefix, sizeof prefix, "%s/cg", dir);
    snprintf(outfile, sizeof outfile, "--callgrind-out-file=%s.%%p", prefix);
    if (child_start_under(&c, wrap, binary, &e) < 0) {
        bench_set_error(b, "%s", e.msg);
        child_free(&c);
        tmp_dir_remove(dir);
        return CHILD_PROTOCOL;
    }
    f = stages(&c, li, n, first, deadline, prefix, iters, s, b, &stage, &e);
    if (f == CHILD_OK) {
        stage = "exit";
        if (child_stop(&c, STOP_GRACE_NS, &e) < 0)
            f = CHILD_DIED;
    }
    if (f != CHILD_OK) {
        runner_record(b, &c, f, &e, stage, &o->set);
        child_kill(&c);
    }
    child_free(&c);
    tmp_dir_remove(dir);
    return f;
}

/* The profile's stages after the start: the dump's number in *n. */
static enum child_fail profile_stages(struct child *c, const struct listed *li,
                                      uint64_t deadline, const char *prefix, uint64_t *iters,
                                      unsigned *n, struct err *e)
{
    struct warmup_answer wa;
    char req[64], *rest;
    enum child_fail f;

    if ((f = query_select(c, li->name, deadline, e)) != CHILD_OK ||
        (f = query_plain(c, "setup", deadline, e)) != CHILD_OK)
        return f;
    if (!*iters && (f = calibrate(c, deadline, prefix, iters, e)) != CHILD_OK)
        return f;
    if ((f = query_warmup(c, *iters, 0, 1, 1, deadline, &wa, e)) != CHILD_OK)
        return f;
    snprintf(req, sizeof req, "profile %llu", (unsigned long long)*iters);
    if ((f = child_call(c, req, &rest, deadline, e)) != CHILD_OK)
        return f;
    if (sscanf(rest, "%u", n) != 1) {
        err_set(e, "malformed profile answer '%.40s'", rest);
        return CHILD_PROTOCOL;
    }
    return query_plain(c, "teardown", deadline, e);
}

int counted_profile(const char *binary, const struct listed *li, const struct run_opts *o,
                    uint64_t iters, const char *dest, struct err *e)
{
    char dir[4096], prefix[4200], outfile[4300], depth[64], dump[4400];
    char *wrap[] = {"valgrind", "--tool=callgrind", "--collect-atstart=no",
                    "--compress-strings=no", "--compress-pos=no", "--dump-instr=no", depth, "-q",
                    outfile, NULL};
    struct child c;
    enum child_fail f;
    unsigned n = 0;
    int rc = 0;

    if (tmp_dir_make(dir, sizeof dir, "pacer-counts", e) < 0)
        return -1;
    snprintf(prefix, sizeof prefix, "%s/cg", dir);
    snprintf(outfile, sizeof outfile, "--callgrind-out-file=%s.%%p", prefix);
    snprintf(depth, sizeof depth, "--separate-callers=%d", PROFILE_DEPTH);
    if (child_start_under(&c, wrap, binary, e) < 0) {
        child_free(&c);
        tmp_dir_remove(dir);
        return -1;
    }
    f = profile_stages(&c, li, clock_now_ns() + o->set.timeout_ns, prefix, &iters, &n, e);
    if (f == CHILD_OK && child_stop(&c, STOP_GRACE_NS, e) < 0)
        f = CHILD_DIED;
    if (f != CHILD_OK) {
        if (!e->set)
            err_set(e, "the profiled worker failed");
        child_kill(&c);
        rc = -1;
    } else {
        snprintf(dump, sizeof dump, "%s.%ld.%u", prefix, (long)c.pid, n);
        if (file_move(dump, dest) < 0)
            rc = err_set(e, "cannot keep the profile as %s: %s", dest, strerror(errno));
    }
    child_free(&c);
    tmp_dir_remove(dir);
    return rc;
}
