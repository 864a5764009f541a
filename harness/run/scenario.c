/* scenario.c: one point of a load scenario against its own target (scenario.h). */
#include "scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "compare/compare.h"
#include "harness/result/loadres.h"
#include "compare/report/report.h"
#include "target.h"

/* What load_bench_add records per repetition (loadres.h), and the
 * statistics compare_metric_value knows. */
static const char *const load_metrics[] = {
    "throughput", "latency.p50", "latency.p90", "latency.p99", "latency.p99.9",
    "latency.p99.99", "latency.max", "latency.mean", "errors.rate", "generator.cpu",
    "server.cpu", "server.rss_max", NULL};
static const char *const sample_stats[] = {"median", "mean", "min", "max", "p5", "p25", "p50",
                                           "p75", "p95", "p99", "stddev", "mad", "cv", NULL};

static int in_list(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && !strncmp(*list, s, len))
            return 1;
    return 0;
}

int macro_metric_known(const char *metric, const char **suggest)
{
    static const char *all[sizeof load_metrics / sizeof load_metrics[0] +
                           sizeof sample_stats / sizeof sample_stats[0]];
    const char *dot;
    size_t i, n = 0;

    *suggest = NULL;
    if (!strncmp(metric, "metrics.", 8))
        metric += 8;
    if (in_list(metric, strlen(metric), load_metrics) ||
        in_list(metric, strlen(metric), sample_stats))
        return 1;
    dot = strrchr(metric, '.');
    if (dot && in_list(metric, (size_t)(dot - metric), load_metrics) &&
        in_list(dot + 1, strlen(dot + 1), sample_stats))
        return 1;
    for (i = 0; load_metrics[i]; i++)
        all[n++] = load_metrics[i];
    for (i = 0; sample_stats[i]; i++)
        all[n++] = sample_stats[i];
    all[n] = NULL;
    *suggest = suite_suggest(metric, all);
    return 0;
}

/* ---- the matrix ------------------------------------------------------------------ */

size_t macro_npoints(const struct suite_scenario *sc)
{
    return sc->nconnections * sc->nrates;
}

void macro_point_get(const struct suite *s, size_t scenario, size_t k, struct macro_point *p)
{
    const struct suite_scenario *sc = &s->scenarios[scenario];

    p->suite = s;
    p->sc = sc;
    p->tg = &s->targets[sc->target];
    p->connections = sc->connections[k / sc->nrates];
    p->rate = sc->rates[k % sc->nrates];
}

static void rate_text(char *buf, size_t len, double rate)
{
    snprintf(buf, len, "%.15g", rate);
}

char *macro_point_name(const struct macro_point *p)
{
    char c[48] = "", r[64] = "", *out;
    size_t len;

    if (p->sc->connections_axis)
        snprintf(c, sizeof c, "/connections=%u", p->connections);
    if (p->sc->rate_axis) {
        char rt[40];
        rate_text(rt, sizeof rt, p->rate);
        snprintf(r, sizeof r, "/rate=%s", rt);
    }
    len = strlen(p->sc->name) + strlen(c) + strlen(r) + 1;
    out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s%s", p->sc->name, c, r);
    return out;
}

/* ---- running one point ----------------------------------------------------------- */

/* argv or env with {port} filled in: a new NULL-terminated array. */
static char **with_port(char *const *v, const char *port)
{
    const char *names[] = {"port", NULL}, *values[] = {port, NULL};
    size_t n = 0, i;
    char **out;

    while (v && v[n])
        n++;
    out = calloc(n + 1, sizeof *out);
    for (i = 0; out && i < n; i++)
        if (!(out[i] = suite_expand(v[i], names, values))) {
            while (i > 0)
                free(out[--i]);
            free(out);
            return NULL;
        }
    return out;
}

static void free_words(char **v)
{
    size_t i;

    for (i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* Record a target failure on b: message, exit status, the stderr tail (or
 * the stdout tail when stderr is empty). */
static void target_failed(struct bench *b, struct target *t, int status, int timed_out,
                          const char *msg)
{
    struct bench_error *be = bench_set_error(b, "%s", msg);

    if (!be)
        return;
    if (status >= 0 && WIFEXITED(status))
        be->exit_code = WEXITSTATUS(status);
    else if (status >= 0 && WIFSIGNALED(status))
        be->signal = WTERMSIG(status);
    be->timed_out = timed_out;
    free(be->stderr_tail);
    be->stderr_tail = target_stderr_tail(t);
    if (!be->stderr_tail)
        be->stderr_tail = target_stdout_tail(t);
}

/* Name b, make it a load benchmark in the point's unit, with the axes as
 * params.  -1 when out of memory. */
static int bench_begin(const struct macro_point *p, struct bench *b)
{
    char *name = macro_point_name(p);
    size_t len;
    int rc = 0;

    if (!name)
        return -1;
    len = strlen(p->suite->name) + strlen(name) + 2;
    free(b->name);
    if ((b->name = malloc(len)))
        snprintf(b->name, len, "%s/%s", p->suite->name, name);
    free(name);
    free(b->unit);
    b->unit = strdup(p->rate > 0 ? "ns" : "req/s");
    b->dir = p->rate > 0 ? DIR_LOWER : DIR_HIGHER;
    b->kind = KIND_LOAD;
    b->iterations = 1;
    if (p->sc->connections_axis)
        rc |= bench_add_param_int(b, "connections", p->connections);
    if (p->sc->rate_axis) {
        if (p->rate == floor(p->rate) && p->rate < 1e15)
            rc |= bench_add_param_int(b, "rate", (long long)p->rate);
        else {
            char rt[40];
            rate_text(rt, sizeof rt, p->rate);
            rc |= bench_add_param_str(b, "rate", rt);
        }
    }
    return !b->name || !b->unit || rc ? -1 : 0;
}

/* The repetitions against a ready target.  -1 when interrupted. */
static int run_reps(const struct macro_point *p, const struct macro_opts *mo, struct target *t,
                    struct load_opts *lo, struct bench *b, int *invalid)
{
    unsigned reps = mo->repetitions ? mo->repetitions : p->sc->repetitions, k;
    volatile int halt = 0;
    struct err e = {0};
    int status, rc = 0;

    lo->monitor_pid = t->pid;
    lo->stop = &halt;
    target_link(t, &halt, mo->interrupt);
    for (k = 0; k < reps; k++) {
        struct load_out out;
        char how[96], msg[256];
        lo->seed = p->sc->load.seed + k;
        err_clear(&e);
        if (load_run(lo, &out, &e) < 0) {
            if (!target_exited(t, &status))
                bench_set_error(b, "load: %s", e.msg);
            else {
                child_describe_status(status, how, sizeof how);
                snprintf(msg, sizeof msg, "target %s: %s during the run", t->name, how);
                target_failed(b, t, status, 0, msg);
            }
            break;
        }
        if (target_exited(t, &status)) {
            child_describe_status(status, how, sizeof how);
            snprintf(msg, sizeof msg, "target %s: %s in repetition %u", t->name, how, k + 1);
            target_failed(b, t, status, 0, msg);
            load_out_free(&out);
            break;
        }
        if (!out.complete || (mo->interrupt && *mo->interrupt)) {
            bench_set_error(b, "interrupted (in repetition %u of %u)", k + 1, reps);
            load_out_free(&out);
            rc = -1;
            break;
        }
        if (mo->log) {
            fprintf(mo->log, "%s: repetition %u/%u\n", b->name, k + 1, reps);
            load_print_summary(mo->log, lo, &out);
            fflush(mo->log);
        }
        if (!out.valid)
            *invalid = 1;
        if (load_bench_add(b, lo, &out) < 0) {
            bench_set_error(b, "out of memory");
            load_out_free(&out);
            break;
        }
        load_out_free(&out);
    }
    target_unlink(t);
    return rc;
}

int macro_run(const struct macro_point *p, const struct macro_opts *mo, struct bench *b,
              int *invalid)
{
    const struct suite_target *tg = p->tg;
    const struct suite_scenario *sc = p->sc;
    const char *names[] = {"port", NULL}, *values[2] = {NULL, NULL};
    struct load_request rq = {sc->method, (const char *const *)sc->headers, sc->nheaders,
                              sc->body, sc->body ? strlen(sc->body) : 0, sc->payload,
                              sc->framing};
    struct target_opts to;
    struct load_opts lo = sc->load;
    struct target t;
    struct stats_opts so;
    struct err e = {0};
    char port[16], **argv = NULL, **env = NULL, *url = NULL, *req = NULL;
    int pn, rc = 0, started = 0, status;
    enum target_wait w;

    if (bench_begin(p, b) < 0) {
        bench_set_error(b, "out of memory");
        return 0;
    }
    pn = tg->port ? tg->port : target_free_port(&e);
    if (pn < 0) {
        bench_set_error(b, "target %s: %s", tg->name, e.msg);
        return 0;
    }
    snprintf(port, sizeof port, "%d", pn);
    values[0] = port;
    argv = with_port(tg->argv, port);
    env = tg->env ? with_port(tg->env, port) : NULL;
    url = suite_expand(sc->url, names, values);
    if (!argv || (tg->env && !env) || !url) {
        bench_set_error(b, "out of memory");
        goto cleanup;
    }
    lo.url_text = url;
    lo.connections = p->connections;
    lo.rate = p->rate;
    if (load_prepare(&lo, &rq, &req, &e) < 0) {
        bench_set_error(b, "scenario %s: %s", sc->name, e.msg);
        goto cleanup;
    }
    memset(&to, 0, sizeof to);
    to.name = tg->name;
    to.argv = argv;
    to.env = env;
    to.cwd = tg->cwd;
    to.port = pn;
    to.ready = tg->ready;
    to.ready_arg = tg->ready_arg;
    to.ready_timeout_ns = tg->ready_timeout_ns;
    to.stop_timeout_ns = tg->stop_timeout_ns;
    if (target_start(&t, &to, &e) < 0) {
        bench_set_error(b, "target %s: %s", tg->name, e.msg);
        goto cleanup;
    }
    started = 1;
    err_clear(&e);
    w = target_wait_ready(&t, mo->interrupt, &e);
    if (w == TARGET_INTERRUPTED) {
        bench_set_error(b, "interrupted (starting target %s)", tg->name);
        rc = -1;
    } else if (w != TARGET_READY) {
        char msg[ERR_MAX + 128];
        snprintf(msg, sizeof msg, "target %s: %s", tg->name, e.msg);
        target_failed(b, &t, target_exited(&t, &status) ? status : -1, w == TARGET_TIMEOUT, msg);
    } else
        rc = run_reps(p, mo, &t, &lo, b, invalid);
cleanup:
    if (started) {
        int how = target_stop(&t);
        if (how == 1 && mo->log)
            fprintf(mo->log, "pacer: warning: target %s did not stop within %gs of SIGTERM: "
                             "killed\n", tg->name, (double)tg->stop_timeout_ns / 1e9);
        if (how == 2 && !b->error) {
            /* It died after the last repetition, before it was asked to stop. */
            char what[96], msg[256];
            child_describe_status(t.status, what, sizeof what);
            snprintf(msg, sizeof msg, "target %s: %s before it was stopped", tg->name, what);
            target_failed(b, &t, t.status, 0, msg);
        }
    }
    stats_opts_default(&so);
    if (b->nsamples && bench_compute_stats(b, &so) < 0)
        bench_set_error(b, "out of memory");
    free(req);
    free(url);
    free_words(argv);
    free_words(env);
    return rc;
}

/* ---- thresholds ---------------------------------------------------------------- */

int macro_thresholds(const struct bench *b, const struct suite_scenario *sc, FILE *const *f,
                     size_t nf, int names)
{
    size_t i, k;
    int failed = 0;

    if (b->error || b->nsamples == 0)
        return 0;
    for (i = 0; i < sc->nthresholds; i++) {
        const char *text = sc->thresholds[i];
        struct compare_opts co;
        struct comparison cmp;
        struct err e = {0};
        compare_opts_default(&co);
        if (compare_check_texts(b, 1, &text, 1, 1, &co, &cmp, &e) < 0) {
            for (k = 0; k < nf; k++)
                if (f[k])
                    fprintf(f[k], "  %-11s %s%s%s: cannot be checked: %s\n", "threshold",
                            names ? b->name : "", names ? ": " : "", text, e.msg);
            failed++;
        } else {
            for (k = 0; k < nf; k++)
                if (f[k])
                    report_limit_lines(f[k], &cmp, "threshold", names);
            failed += (int)cmp.limits_failed;
            comparison_free(&cmp);
        }
        compare_opts_free(&co);
    }
    return failed;
}
