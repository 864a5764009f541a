/* runner.c: micro benchmarks under the driver (runner.h). */
#include "runner.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "counted.h"
#include "harness/lib/bigo.h"
#include "harness/lib/clock.h"
#include "harness/lib/stats.h"
#include "harness/result/series.h"
#include "query.h"

#define BATCH_NS 200000000ULL       /* aim for sample requests of ~200 ms */
#define MAX_SAMPLES 100000u
#define STOP_GRACE_NS 2000000000ULL

const char *runner_suite_name(const char *binary)
{
    const char *s = strrchr(binary, '/');

    return s ? s + 1 : binary;
}

void listing_free(struct listing *l)
{
    size_t i, k;

    for (i = 0; i < l->n; i++) {
        for (k = 0; k < l->items[i].nparams; k++) {
            free(l->items[i].pnames[k]);
            free(l->items[i].pvalues[k]);
        }
        free(l->items[i].pnames);
        free(l->items[i].pvalues);
        free(l->items[i].name);
    }
    free(l->items);
    free(l->compiler);
    free(l->cflags);
    memset(l, 0, sizeof *l);
}

/* Parse "name p=v p=v" into li. */
static int parse_listed(char *line, struct listed *li, struct err *e)
{
    char *save = NULL, *tok = strtok_r(line, " ", &save);

    memset(li, 0, sizeof *li);
    if (!tok)
        return err_set(e, "empty benchmark name in the list");
    li->name = strdup(tok);
    while ((tok = strtok_r(NULL, " ", &save))) {
        char *eq = strchr(tok, '=');
        char **pn, **pv;
        if (!eq)
            return err_set(e, "malformed parameter '%s' in the list", tok);
        if (tok[0] == '@') {   /* how to measure it; others are ignored */
            unsigned long long v = strtoull(eq + 1, NULL, 10);
            if (!strncmp(tok, "@samples=", 9))
                li->want_samples = v > 1000000 ? 1000000 : (unsigned)v;
            else if (!strncmp(tok, "@sample_time_ns=", 16))
                li->want_sample_time_ns = v;
            else if (!strncmp(tok, "@warmup_ns=", 11))
                li->want_warmup_ns = v;
            else if (!strncmp(tok, "@complexity=", 12))
                li->want_complexity = (int)bigo_parse(eq + 1);
            continue;
        }
        pn = realloc(li->pnames, (li->nparams + 1) * sizeof *pn);
        if (pn)
            li->pnames = pn;
        pv = realloc(li->pvalues, (li->nparams + 1) * sizeof *pv);
        if (pv)
            li->pvalues = pv;
        if (!pn || !pv)
            return err_set(e, "out of memory");
        *eq = '\0';
        li->pnames[li->nparams] = strdup(tok);
        li->pvalues[li->nparams] = strdup(eq + 1);
        li->nparams++;
    }
    return 0;
}

int runner_list(const char *binary, uint64_t timeout_ns, struct listing *out, struct err *e)
{
    struct child c;
    uint64_t deadline = clock_now_ns() + timeout_ns;
    char *rest, *line, *tab, *tail;
    enum child_fail f;
    unsigned long n, i;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (child_start(&c, binary, e) < 0)
        return -1;
    if ((f = child_call(&c, "hello", &rest, deadline, e)) != CHILD_OK) {
        if (f == CHILD_DIED || f == CHILD_PROTOCOL) {
            char cause[ERR_MAX];
            snprintf(cause, sizeof cause, "%s", e->msg);
            err_clear(e);
            err_set(e, "does not answer the pacer worker protocol (%s)", cause);
        }
        goto fail;
    }
    if (strncmp(rest, "pacer-worker 1 ", 15)) {
        err_set(e, "speaks another worker protocol: '%.40s'", rest);
        goto fail;
    }
    rest += 15;
    tab = strchr(rest, '\t');
    out->compiler = strndup(rest, tab ? (size_t)(tab - rest) : strlen(rest));
    out->cflags = strdup(tab ? tab + 1 : "");
    if (child_call(&c, "list", &rest, deadline, e) != CHILD_OK)
        goto fail;
    if (sscanf(rest, "%lu", &n) != 1) {
        err_set(e, "malformed list answer '%.40s'", rest);
        goto fail;
    }
    out->items = calloc(n ? n : 1, sizeof *out->items);
    if (!out->items) {
        err_set(e, "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++) {
        if (child_line(&c, &line, deadline, e) != CHILD_OK)
            goto fail;
        out->n++;
        if (parse_listed(line, &out->items[i], e) < 0)
            goto fail;
    }
    rc = child_stop(&c, STOP_GRACE_NS, e);
    child_free(&c);
    return rc;
fail:
    child_kill(&c);
    tail = child_stderr_tail(&c);
    if (tail) {
        /* A registry error or a crash at start is said on stderr. */
        char *last = strrchr(tail, '\n');
        err_prefix(e, "%s", last ? last + 1 : tail);
        free(tail);
    }
    child_free(&c);
    return -1;
}

int runner_ci_done(const double *x, size_t n, double target)
{
    struct ci med;
    double *t, m;
    int done = 0;

    if (n < RUNNER_ADAPTIVE_MIN || !(t = malloc(n * sizeof *t)))
        return 0;
    memcpy(t, x, n * sizeof *t);
    stats_sort(t, n);
    m = stats_quantile_sorted(t, n, 0.5);
    if (m > 0 && stats_ci_median(t, n, 0.95, &med) == 0)
        done = (med.hi - med.lo) / 2 / m <= target;
    free(t);
    return done;
}

struct proc_plan {
    unsigned samples;       /* 0: until the budget or the CI target */
    uint64_t budget_ns;     /* 0: none */
};

void runner_record(struct bench *b, struct child *c, enum child_fail f, const struct err *e,
                   const char *stage, const struct settings *set)
{
    struct bench_error *be;

    if (b->error || b->skipped)
        return;
    switch (f) {
    case CHILD_SKIPPED:
        /* not an error: the benchmark said why it cannot run here */
        if (!(b->skipped = strdup(e->msg)))
            bench_set_error(b, "out of memory");
        return;
    case CHILD_TIMEOUT:
        be = bench_set_error(b, "timed out after %.3g s (in %s)", (double)set->timeout_ns / 1e9,
                             stage);
        if (be)
            be->timed_out = 1;
        break;
    case CHILD_DIED:
        be = bench_set_error(b, "%s (in %s)", e->msg, stage);
        if (be && WIFSIGNALED(c->status))
            be->signal = WTERMSIG(c->status);
        else if (be && WIFEXITED(c->status))
            be->exit_code = WEXITSTATUS(c->status);
        break;
    case CHILD_INTERRUPTED:
        be = bench_set_error(b, "interrupted (in %s)", stage);
        break;
    default:
        be = bench_set_error(b, "%s: %s", stage, e->msg);
        break;
    }
    if (be && !be->stderr_tail)
        be->stderr_tail = child_stderr_tail(c);
}

uint64_t runner_sample_target(const struct run_opts *o)
{
    double floor_ns = 1000.0 * o->clock_resolution_ns;

    return (double)o->set.sample_target_ns < floor_ns ? (uint64_t)floor_ns
                                                      : o->set.sample_target_ns;
}

/* How many samples the next request asks for: about BATCH_NS of them,
 * bounded by what is left of the count, MAX_SAMPLES and the budget (and
 * at most 10 while the adaptive rule watches), per_ns the time of one. */
static unsigned batch_size(const struct settings *set, const struct proc_plan *pp,
                           unsigned taken, uint64_t per_ns, uint64_t t0)
{
    unsigned batch = per_ns ? (unsigned)(BATCH_NS / per_ns) : 1;

    if (batch < 1)
        batch = 1;
    if (set->ci_target > 0 && batch > 10)
        batch = 10;
    if (pp->samples && batch > pp->samples - taken)
        batch = pp->samples - taken;
    if (batch > MAX_SAMPLES - taken)
        batch = MAX_SAMPLES - taken;
    if (pp->budget_ns) {
        uint64_t left = pp->budget_ns - (clock_now_ns() - t0 < pp->budget_ns
                                             ? clock_now_ns() - t0 : pp->budget_ns);
        unsigned fit = per_ns ? (unsigned)(left / per_ns) + 1 : 1;
        if (batch > fit)
            batch = fit;
    }
    return batch;
}

/* The samples of one worker process, in batches, until its share of the
 * count, the budget or the adaptive rule ends them. */
static enum child_fail take_samples(struct child *c, const struct settings *set,
                                    const struct proc_plan *pp, uint64_t iters,
                                    uint64_t median_ns, uint64_t deadline, struct series *s,
                                    struct bench *b, struct err *e)
{
    uint64_t t0 = clock_now_ns(), per = median_ns ? median_ns : set->sample_target_ns;
    size_t next_check = RUNNER_ADAPTIVE_MIN;
    unsigned taken = 0, batch;
    enum child_fail f;
    int no_cpu = 0, no_wait = 0, no_user = 0;

    for (;;) {
        if (pp->samples && taken >= pp->samples)
            break;
        if (pp->budget_ns && taken >= 3 && clock_now_ns() - t0 >= pp->budget_ns)
            break;
        if (!pp->samples && taken >= MAX_SAMPLES)
            break;
        /* The adaptive check bootstraps all samples so far: do it when their
         * number grew by a tenth, so its cost stays linear in the samples. */
        if (set->ci_target > 0 && s->n >= next_check) {
            if (runner_ci_done(s->x, s->n, set->ci_target))
                break;
            next_check = s->n + (s->n / 10 > 10 ? s->n / 10 : 10);
        }
        batch = batch_size(set, pp, taken, per, t0);
        if ((f = query_samples(c, iters, batch, deadline, s, b, e)) != CHILD_OK ||
            (f = query_cpu(c, batch, iters, deadline, b, &no_cpu, e)) != CHILD_OK ||
            (!no_cpu && (f = query_wait(c, batch, iters, deadline, b, &no_wait, e)) != CHILD_OK) ||
            (f = query_user(c, batch, s->n - batch, deadline, b, &no_user, e)) != CHILD_OK ||
            (set->counters[0] &&
             (f = query_hw(c, set->counters, batch, iters, deadline, b, e)) != CHILD_OK))
            return f;
        taken += batch;
    }
    return CHILD_OK;
}

/* A benchmark's family, in place: its name without the "/param=value"
 * parts of its parameters (a threaded one keeps its "/threads:N"). */
static void family_of(char *name, const struct listed *li)
{
    size_t i, len;
    char part[512], *at;

    for (i = 0; i < li->nparams; i++) {
        snprintf(part, sizeof part, "/%s=%s", li->pnames[i], li->pvalues[i]);
        len = strlen(part);
        for (at = strstr(name, part); at; at = strstr(at, part))
            if (at[len] == '/' || at[len] == '\0') {
                memmove(at, at + len, strlen(at + len) + 1);
                break;
            } else {
                at++;
            }
    }
}

/* One worker process's share: select, setup, (calibrate), warmup, samples,
 * teardown, quit.  Returns the child_fail of the failing stage. */
static enum child_fail run_process(const char *binary, const struct listed *li,
                                   const struct run_opts *o, const struct proc_plan *pp,
                                   int first, uint64_t deadline, uint64_t *iters,
                                   struct series *s, struct bench *b)
{
    const struct settings *set = &o->set;
    struct warmup_answer wa;
    struct proc_ref pr = {0};
    struct child c;
    struct err e = {0};
    enum child_fail f;
    const char *stage;

    if (child_start(&c, binary, &e) < 0) {
        bench_set_error(b, "%s", e.msg);
        child_free(&c);
        return CHILD_PROTOCOL;
    }
    stage = "counters";
    if (set->counters[0] && (f = query_counters(&c, set->counters, deadline, &e)) != CHILD_OK)
        goto fail;
    stage = "select";
    if ((f = query_select(&c, li->name, deadline, &e)) != CHILD_OK)
        goto fail;
    stage = "setup";
    if ((f = query_plain(&c, "setup", deadline, &e)) != CHILD_OK)
        goto fail;
    stage = "calibration";
    if (first && (f = query_calibrate(&c, runner_sample_target(o), deadline, iters, &e)) !=
                     CHILD_OK)
        goto fail;
    stage = "warmup";
    if ((f = query_warmup(&c, *iters, set->warmup_ns, runner_sample_target(o), first ? 0 : 1,
                            deadline, &wa, &e)) != CHILD_OK)
        goto fail;
    if (first)
        *iters = wa.iters;
    /* the machine's speed beside the samples: before and after them */
    stage = "reference";
    if ((f = query_reference(&c, deadline, &pr, &e)) != CHILD_OK)
        goto fail;
    stage = "sampling";
    if ((f = take_samples(&c, set, pp, *iters, wa.median_ns, deadline, s, b, &e)) != CHILD_OK)
        goto fail;
    stage = "complexity";
    if (li->want_complexity && (f = query_complexity_n(&c, deadline, b, &e)) != CHILD_OK)
        goto fail;
    stage = "reference";
    if ((f = query_reference(&c, deadline, &pr, &e)) != CHILD_OK)
        goto fail;
    if (query_reference_keep(&pr, b) < 0) {
        err_set(&e, "out of memory");
        f = CHILD_PROTOCOL;
        goto fail;
    }
    stage = "teardown";
    if ((f = query_plain(&c, "teardown", deadline, &e)) != CHILD_OK)
        goto fail;
    stage = "exit";
    if (child_stop(&c, STOP_GRACE_NS, &e) < 0) {
        f = CHILD_DIED;
        goto fail;
    }
    child_free(&c);
    return CHILD_OK;
fail:
    runner_record(b, &c, f, &e, stage, set);
    child_kill(&c);
    child_free(&c);
    return f;
}

void runner_bench_init(struct bench *b, const char *binary, const char *suite,
                       const struct listed *li)
{
    size_t i, len = strlen(suite) + strlen(li->name) + 2;

    b->name = malloc(len);
    if (b->name)
        snprintf(b->name, len, "%s/%s", suite, li->name);
    b->kind = KIND_MICRO;
    b->dir = DIR_LOWER;
    b->binary = strdup(binary);
    b->complexity = li->want_complexity;
    if (li->want_complexity && b->name && (b->family = strdup(b->name)))
        family_of(b->family, li);
    for (i = 0; i < li->nparams; i++) {
        char *end;
        long long v = strtoll(li->pvalues[i], &end, 10);
        if (*end == '\0' && end != li->pvalues[i])
            bench_add_param_int(b, li->pnames[i], v);
        else
            bench_add_param_str(b, li->pnames[i], li->pvalues[i]);
    }
}

const struct listed *listing_find(const struct listing *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, name))
            return &l->items[i];
    return NULL;
}

int runner_matches(const struct name_filter *f, const char *suite, const char *name)
{
    char full[1024];

    if (!f)
        return 1;
    if (!f->full)
        return regexec(&f->re, name, 0, NULL, 0) == 0;
    snprintf(full, sizeof full, "%s/%s", suite, name);
    return regexec(&f->re, full, 0, NULL, 0) == 0;
}

/* Name, kind, params of a benchmark before its first process. */
static void bench_begin(struct bench *b, const char *binary, const char *suite,
                        const struct listed *li, unsigned k)
{
    runner_bench_init(b, binary, suite, li);
    b->processes = k;
    b->iterations = 0;
    if (k > 1)
        b->proc_samples = calloc(k, sizeof *b->proc_samples);
}

int runner_process(const char *binary, const char *suite, const struct listed *li,
                   const struct run_opts *o, unsigned p, struct bench *b)
{
    const struct settings *set = &o->set;
    unsigned k = set->processes ? set->processes : 1;
    struct series s = {b->samples, b->nsamples, b->nsamples};
    struct proc_plan pp;
    enum child_fail f;
    uint64_t iters;
    size_t before = s.n;

    if (p == 0)
        bench_begin(b, binary, suite, li, k);
    iters = b->iterations;
    if (b->error || b->skipped)
        return 1;
    pp.samples = set->samples ? set->samples / k + (p < set->samples % k) : 0;
    pp.budget_ns = set->budget_ns / k;
    if (set->samples && pp.samples == 0)
        return 0;
    if (set->mode == RUN_MODE_INSTRUCTIONS) {
        if (p == 0 && (free(b->unit), !(b->unit = strdup("instr")))) {
            bench_set_error(b, "out of memory");
            return 1;
        }
        f = counted_process(binary, li, o, pp.samples, iters == 0,
                            clock_now_ns() + set->timeout_ns, &iters, &s, b);
    } else
        f = run_process(binary, li, o, &pp, iters == 0, clock_now_ns() + set->timeout_ns,
                        &iters, &s, b);
    b->samples = s.x;
    b->nsamples = s.n;
    if (iters)
        b->iterations = iters;
    if (b->proc_samples && b->nproc_samples < k)
        b->proc_samples[b->nproc_samples++] = s.n - before;
    if (f == CHILD_INTERRUPTED)
        return -1;
    return f == CHILD_OK ? 0 : 1;
}

void runner_finish(struct bench *b, const struct run_opts *o)
{
    struct stats_opts so;

    if (b->iterations == 0)
        b->iterations = 1;
    if (b->proc_samples && b->nproc_samples < 2) {
        free(b->proc_samples);
        b->proc_samples = NULL;
        b->nproc_samples = 0;
    }
    stats_opts_default(&so);
    so.seed = o->set.seed;
    so.ci_level = o->set.ci_level;
    bench_compute_stats(b, &so);
}

int runner_bench(const char *binary, const char *suite, const struct listed *li,
                 const struct run_opts *o, struct bench *b)
{
    unsigned k = o->set.processes ? o->set.processes : 1, p;
    int rc = 0;

    for (p = 0; p < k && rc == 0; p++)
        rc = runner_process(binary, suite, li, o, p, b);
    runner_finish(b, o);
    return rc < 0 ? -1 : 0;
}
