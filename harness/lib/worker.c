/* worker.c: the suite binary's side of the worker protocol (worker.h). */
#include "worker.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bigo.h"
#include "clock.h"
#include "counts.h"
#include "hwcount.h"
#include "measure.h"
#include "refwork.h"
#include "registry.h"

struct worker {
    FILE *in, *out;
    struct instance *inst;
    size_t ninst;
    struct measure m;
    int selected;
    uint64_t *cpu;            /* CPU times of the last sample batch */
    uint64_t *wait;           /* the time each of them waited for a core
                                 (the scheduler's run-queue delay) */
    unsigned long ncpu;
    int no_wait;              /* the kernel does not say (no schedstat) */
    int sched_fd;             /* the sampling thread's schedstat, or -1 */
    unsigned dumps;           /* callgrind dumps so far (counts.h) */
    struct hwcount hw;        /* --counters (hwcount.h), n 0: none */
    uint64_t *hwv;            /* their values in the last sample batch */
    unsigned long nhw;        /* samples in hwv */
    struct user_counter uc[PACER_MAX_COUNTERS];   /* the names and flags of
                                 the user counters of the last batch */
    unsigned nuc;
    double *ucv;              /* their values: sample i's counter k at
                                 [i * PACER_MAX_COUNTERS + k], NaN where unset */
    unsigned long nucv;       /* samples in ucv */
};

/* Keep the user counters of sample i of the batch. */
static void keep_counters(struct worker *w, unsigned long i)
{
    unsigned j, k;

    for (j = 0; j < w->m.nuc; j++) {
        const struct user_counter *c = &w->m.uc[j];
        for (k = 0; k < w->nuc && strcmp(w->uc[k].name, c->name); k++)
            ;
        if (k == w->nuc)
            w->uc[w->nuc++] = *c;
        w->ucv[i * PACER_MAX_COUNTERS + k] = c->value;
    }
}

static void answer_err(struct worker *w, const char *msg)
{
    const char *p;

    /* an expected skip (pacer_skip) is not a failure */
    if (w->m.priv.skipped && !w->m.priv.skip_error) {
        fputs("skip ", w->out);
        msg = w->m.priv.skip_reason;
    } else {
        fputs("err ", w->out);
    }
    for (p = msg; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, w->out);
    fputc('\n', w->out);
}

static void do_hello(struct worker *w)
{
    /* the build of the benchmarks' code (their file's), not libpacer's */
    const char *cc = w->ninst ? w->inst[0].def->compiler : PACER_COMPILER_;
    const char *cf = w->ninst && w->inst[0].def->cflags ? w->inst[0].def->cflags : PACER_CFLAGS_;

    fprintf(w->out, "ok pacer-worker %d %s\t%s\n", WORKER_PROTOCOL, cc, cf);
}

static void do_list(struct worker *w)
{
    size_t i, k;

    fprintf(w->out, "ok %zu\n", w->ninst);
    for (i = 0; i < w->ninst; i++) {
        const struct pacer_def *d = w->inst[i].def;
        fputs(w->inst[i].name, w->out);
        for (k = 0; k < w->inst[i].nargs; k++)
            fprintf(w->out, " %s=%lld", d->params[k].name, w->inst[i].args[k]);
        if (w->inst[i].threads)   /* a parameter, as in an import of Google Benchmark's */
            fprintf(w->out, " threads=%u", w->inst[i].threads);
        /* how to measure it, as its definition asks (worker.h) */
        if (d->samples)
            fprintf(w->out, " @samples=%u", d->samples);
        if (d->sample_time > 0)
            fprintf(w->out, " @sample_time_ns=%.0f", d->sample_time * 1e9);
        if (d->warmup > 0)
            fprintf(w->out, " @warmup_ns=%.0f", d->warmup * 1e9);
        if (d->complexity > PACER_ONONE && d->complexity <= PACER_OAUTO)
            fprintf(w->out, " @complexity=%s",
                    d->complexity == PACER_OAUTO ? "auto" : bigo_name((enum bigo_shape)d->complexity));
        fputc('\n', w->out);
    }
}

static void do_select(struct worker *w, const char *name)
{
    size_t i;

    for (i = 0; i < w->ninst; i++) {
        if (!strcmp(w->inst[i].name, name)) {
            measure_teardown(&w->m);
            measure_init(&w->m, &w->inst[i]);
            w->m.priv.hw = w->hw.n ? &w->hw : NULL;
            w->selected = 1;
            fputs("ok\n", w->out);
            return;
        }
    }
    answer_err(w, "no benchmark of that name in this binary");
}

static void do_sample(struct worker *w, uint64_t iters, unsigned long count)
{
    uint64_t *ns;
    struct err e = {0};
    unsigned long i;

    w->ncpu = 0;
    w->nuc = 0;
    w->nucv = 0;
    if (count == 0 || count > WORKER_MAX_BATCH) {
        answer_err(w, "sample count out of range");
        return;
    }
    free(w->ucv);
    w->ucv = malloc(count * PACER_MAX_COUNTERS * sizeof *w->ucv);
    for (i = 0; w->ucv && i < count * PACER_MAX_COUNTERS; i++)
        w->ucv[i] = NAN;
    ns = malloc(count * sizeof *ns);
    free(w->cpu);
    w->cpu = malloc(count * sizeof *w->cpu);
    free(w->wait);
    w->wait = malloc(count * sizeof *w->wait);
    free(w->hwv);
    w->hwv = w->hw.n ? malloc(count * (size_t)w->hw.n * sizeof *w->hwv) : NULL;
    w->nhw = 0;
    if (!ns || !w->cpu || !w->wait || !w->ucv || (w->hw.n && !w->hwv)) {
        answer_err(w, "out of memory");
        free(ns);
        return;
    }
    for (i = 0; i < count; i++) {
        uint64_t run, q0 = 0, q1 = 0;
        /* read outside the timed loop: the sample's wait for a core */
        if (!w->no_wait && w->sched_fd < 0 && (w->sched_fd = clock_sched_open()) < 0)
            w->no_wait = 1;
        if (!w->no_wait && clock_sched_read(w->sched_fd, &run, &q0) < 0)
            w->no_wait = 1;
        if (measure_once(&w->m, iters, &ns[i], &e) < 0) {
            answer_err(w, e.msg);
            free(ns);
            return;
        }
        w->cpu[i] = w->m.cpu_ns;
        if (!w->no_wait && clock_sched_read(w->sched_fd, &run, &q1) < 0)
            w->no_wait = 1;
        w->wait[i] = q1 > q0 ? q1 - q0 : 0;
        keep_counters(w, i);
        if (w->hw.n && hwcount_read(&w->hw, &w->hwv[i * (size_t)w->hw.n]) < 0) {
            answer_err(w, "cannot read the counters");
            free(ns);
            return;
        }
    }
    w->ncpu = count;
    w->nucv = count;
    w->nhw = w->hw.n ? count : 0;
    fprintf(w->out, "ok %.17g %.17g", w->m.priv.bytes_per_op, w->m.priv.items_per_op);
    for (i = 0; i < count; i++)
        fprintf(w->out, " %" PRIu64, ns[i]);
    fputc('\n', w->out);
    free(ns);
}

/* count samples of iters iterations under callgrind, each dumped to
 * prefix.<pid>.<n>: "ok <instructions> <estimated cycles> <waited> ..."
 * (totals of the iterations; waited: the per mille of the call's wall
 * time the thread was neither running nor waiting for a CPU, that is
 * asleep or blocked: being kept off a busy machine's CPUs is not
 * waiting). */
static void do_count(struct worker *w, uint64_t iters, unsigned long count, const char *prefix)
{
    struct counts *c;
    struct err e = {0};
    uint64_t ns;
    unsigned long i;
    unsigned *waited;

    if (count == 0 || count > WORKER_MAX_BATCH) {
        answer_err(w, "sample count out of range");
        return;
    }
    if (!counts_available()) {
        answer_err(w, "not running under valgrind's callgrind (or libpacer was built "
                      "without valgrind/callgrind.h)");
        return;
    }
    c = malloc(count * sizeof *c);
    waited = malloc(count * sizeof *waited);
    if (!c || !waited) {
        answer_err(w, "out of memory");
        free(c);
        free(waited);
        return;
    }
    w->m.priv.counting = 1;
    for (i = 0; i < count; i++) {
        uint64_t r0 = 0, q0 = 0, r1 = 0, q1 = 0, t0 = clock_now_ns(), t1;
        int sched = clock_sched_times(&r0, &q0) == 0;
        if (measure_once(&w->m, iters, &ns, &e) < 0) {
            w->m.priv.counting = 0;
            answer_err(w, e.msg);
            free(c);
            free(waited);
            return;
        }
        t1 = clock_now_ns();
        sched = sched && clock_sched_times(&r1, &q1) == 0;
        waited[i] = 0;
        if (sched && t1 - t0 > (r1 - r0) + (q1 - q0))
            waited[i] = (unsigned)(1000 * (t1 - t0 - (r1 - r0) - (q1 - q0)) / (t1 - t0));
        if (counts_dump(prefix, ++w->dumps, &c[i], &e) < 0) {
            w->m.priv.counting = 0;
            answer_err(w, e.msg);
            free(c);
            free(waited);
            return;
        }
    }
    w->m.priv.counting = 0;
    fputs("ok", w->out);
    for (i = 0; i < count; i++)
        fprintf(w->out, " %" PRIu64 " %" PRIu64 " %u", c[i].ir, c[i].cycles, waited[i]);
    fputc('\n', w->out);
    free(c);
    free(waited);
}

/* One sample of iters iterations profiled under callgrind (run with
 * --separate-callers): "ok <n>", n the dump's number in this process. */
static void do_profile(struct worker *w, uint64_t iters)
{
    struct err e = {0};
    uint64_t ns;

    if (!counts_available()) {
        answer_err(w, "not running under valgrind's callgrind (or libpacer was built "
                      "without valgrind/callgrind.h)");
        return;
    }
    w->m.priv.counting = 1;
    if (measure_once(&w->m, iters, &ns, &e) < 0) {
        w->m.priv.counting = 0;
        answer_err(w, e.msg);
        return;
    }
    w->m.priv.counting = 0;
    counts_dump_profile(iters);
    fprintf(w->out, "ok %u\n", ++w->dumps);
}

/* Open the counters of list for the benchmarks selected from now on. */
static void do_counters(struct worker *w, const char *list)
{
    struct err e = {0};

    hwcount_close(&w->hw);
    if (hwcount_open(&w->hw, list, &e) < 0) {
        answer_err(w, e.msg);
        return;
    }
    w->m.priv.hw = w->selected ? &w->hw : NULL;
    fprintf(w->out, "ok %d\n", w->hw.n);
}

/* The counters' values in each sample of the last batch: "ok v11 v12 ...
 * v21 ..." (sample by sample, in the order of the list). */
static void do_hw(struct worker *w)
{
    unsigned long i;

    if (!w->nhw) {
        answer_err(w, "no counted samples taken");
        return;
    }
    fputs("ok", w->out);
    for (i = 0; i < w->nhw * (unsigned long)w->hw.n; i++)
        fprintf(w->out, " %" PRIu64, w->hwv[i]);
    fputc('\n', w->out);
}

/* How long each sample of the last batch waited for a core: "ok w1 w2
 * ...", the thread's run-queue delay across the sample, read from the
 * kernel's schedstat before and after it (so it may hold a little of the
 * call's untimed setup). */
static void do_wait(struct worker *w)
{
    unsigned long i;

    if (!w->ncpu || w->no_wait) {
        answer_err(w, w->no_wait ? "no scheduler statistics" : "no samples taken");
        return;
    }
    fputs("ok", w->out);
    for (i = 0; i < w->ncpu; i++)
        fprintf(w->out, " %" PRIu64, w->wait[i]);
    fputc('\n', w->out);
}

/* The CPU times of the last batch of samples: "ok c1 c2 ...". */
static void do_cpu(struct worker *w)
{
    unsigned long i;

    if (!w->ncpu) {
        answer_err(w, "no samples taken");
        return;
    }
    fputs("ok", w->out);
    for (i = 0; i < w->ncpu; i++)
        fprintf(w->out, " %" PRIu64, w->cpu[i]);
    fputc('\n', w->out);
}

/* The user counters of the last batch of samples (pacer_counter): "ok
 * <n>" then, for each, " <name> <flags> <v1> ... <vcount>" (nan where a
 * sample did not set it). */
static void do_user(struct worker *w)
{
    unsigned long i;
    unsigned k;

    if (!w->nucv) {
        answer_err(w, "no samples taken");
        return;
    }
    fprintf(w->out, "ok %u", w->nuc);
    for (k = 0; k < w->nuc; k++) {
        fprintf(w->out, " %s %u", w->uc[k].name, w->uc[k].flags);
        for (i = 0; i < w->nucv; i++)
            fprintf(w->out, " %.17g", w->ucv[i * PACER_MAX_COUNTERS + k]);
    }
    fputc('\n', w->out);
}

/* The n of .complexity of the last sample: "ok <n>". */
static void do_complexity_n(struct worker *w)
{
    if (!w->nucv || !(w->m.complexity_n >= 1)) {
        answer_err(w, "no complexity n: no samples taken, or no .complexity");
        return;
    }
    fprintf(w->out, "ok %.17g\n", w->m.complexity_n);
}

/* count rounds of the reference workload: "ok c1 m1 c2 m2 ...". */
static void do_reference(struct worker *w, unsigned long count)
{
    struct err e = {0};
    uint64_t *ns;
    unsigned long i;

    if (count == 0 || count > WORKER_MAX_BATCH) {
        answer_err(w, "reference count out of range");
        return;
    }
    ns = malloc(2 * count * sizeof *ns);
    if (!ns) {
        answer_err(w, "out of memory");
        return;
    }
    for (i = 0; i < count; i++)
        if (refwork_run(&ns[2 * i], &ns[2 * i + 1], &e) < 0) {
            answer_err(w, e.msg);
            free(ns);
            return;
        }
    fputs("ok", w->out);
    for (i = 0; i < 2 * count; i++)
        fprintf(w->out, " %" PRIu64, ns[i]);
    fputc('\n', w->out);
    free(ns);
}

/* Handle one request line; returns 1 on quit. */
static int handle(struct worker *w, char *line)
{
    char cmd[32], arg[INSTANCE_NAME_MAX + 1];
    unsigned long long a, b, c;
    int fixed;
    struct err e = {0};

    line[strcspn(line, "\r\n")] = '\0';
    if (sscanf(line, "%31s", cmd) != 1)
        return answer_err(w, "empty request"), 0;
    if (!strcmp(cmd, "quit"))
        return 1;
    if (!strcmp(cmd, "hello"))
        do_hello(w);
    else if (!strcmp(cmd, "counters") && sscanf(line, "%*s %n", &fixed) == 0 && line[fixed])
        do_counters(w, line + fixed);
    else if (!strcmp(cmd, "list"))
        do_list(w);
    else if (!strcmp(cmd, "select") && sscanf(line, "%*s %256s", arg) == 1)
        do_select(w, arg);
    else if (!w->selected)
        answer_err(w, "no benchmark selected");
    else if (!strcmp(cmd, "setup"))
        measure_setup(&w->m, &e) < 0 ? answer_err(w, e.msg) : (void)fputs("ok\n", w->out);
    else if (!strcmp(cmd, "calibrate") && sscanf(line, "%*s %llu %llu", &a, &b) == 2) {
        uint64_t iters, ns;
        if (measure_calibrate(&w->m, a, b, &iters, &ns, &e) < 0)
            answer_err(w, e.msg);
        else
            fprintf(w->out, "ok %" PRIu64 " %" PRIu64 "\n", iters, ns);
    } else if (!strcmp(cmd, "warmup") &&
               sscanf(line, "%*s %llu %llu %llu %d", &a, &b, &c, &fixed) == 4) {
        struct warmup_out wo;
        if (a == 0)
            answer_err(w, "iterations must be at least 1");
        else if (measure_warmup(&w->m, a, b, c, fixed, &wo, &e) < 0)
            answer_err(w, e.msg);
        else
            fprintf(w->out, "ok %" PRIu64 " %u %d %" PRIu64 "\n", wo.iters, wo.samples,
                    wo.settled, wo.median_ns);
    } else if (!strcmp(cmd, "sample") && sscanf(line, "%*s %llu %llu", &a, &b) == 2) {
        if (a == 0)
            answer_err(w, "iterations must be at least 1");
        else
            do_sample(w, a, (unsigned long)b);
    } else if (!strcmp(cmd, "count") && sscanf(line, "%*s %llu %llu %n", &a, &b, &fixed) == 2 &&
               line[fixed]) {
        if (a == 0)
            answer_err(w, "iterations must be at least 1");
        else
            do_count(w, a, (unsigned long)b, line + fixed);
    } else if (!strcmp(cmd, "profile") && sscanf(line, "%*s %llu", &a) == 1) {
        if (a == 0)
            answer_err(w, "iterations must be at least 1");
        else
            do_profile(w, a);
    } else if (!strcmp(cmd, "cpu")) {
        do_cpu(w);
    } else if (!strcmp(cmd, "wait")) {
        do_wait(w);
    } else if (!strcmp(cmd, "hw")) {
        do_hw(w);
    } else if (!strcmp(cmd, "user")) {
        do_user(w);
    } else if (!strcmp(cmd, "cn")) {
        do_complexity_n(w);
    } else if (!strcmp(cmd, "reference") && sscanf(line, "%*s %llu", &a) == 1) {
        do_reference(w, (unsigned long)a);
    } else if (!strcmp(cmd, "teardown")) {
        measure_teardown(&w->m);
        fputs("ok\n", w->out);
    } else
        answer_err(w, "malformed request");
    return 0;
}

int worker_serve(int rfd, int wfd)
{
    struct worker w = {0};
    struct err e = {0};
    char *line = NULL;
    size_t cap = 0;
    int status = 0;

    w.sched_fd = -1;
    w.in = fdopen(rfd, "r");
    w.out = fdopen(wfd, "w");
    if (!w.in || !w.out) {
        fprintf(stderr, "pacer worker: cannot open the protocol pipes (fd %d, %d)\n", rfd, wfd);
        return 2;
    }
    if (registry_expand(&w.inst, &w.ninst, &e) < 0) {
        /* Answer every request with the registry's error. */
        while (getline(&line, &cap, w.in) > 0) {
            if (!strncmp(line, "quit", 4))
                break;
            answer_err(&w, e.msg);
            fflush(w.out);
        }
        status = 2;
        goto cleanup;
    }
    while (getline(&line, &cap, w.in) > 0) {
        if (handle(&w, line))
            break;
        if (fflush(w.out) != 0)
            break;
    }
    measure_teardown(&w.m);
cleanup:
    hwcount_close(&w.hw);
    free(w.hwv);
    free(w.ucv);
    free(w.cpu);
    free(w.wait);
    if (w.sched_fd >= 0)
        close(w.sched_fd);
    free(line);
    free(w.inst);
    fclose(w.in);
    fclose(w.out);
    return status;
}
