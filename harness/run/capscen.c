/* capscen.c: a scenario's capacity search against its target (capscen.h). */
#include "capscen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capstep.h"
#include "child.h"
#include "harness/result/loadres.h"

/* What the step hooks share; the step's state first (capstep_run's arg
 * is this). */
struct scenctx {
    struct capstep cs;
    const struct scenario_opts *mo;
    struct target *t;
};

static void on_load(void *arg, struct load_opts *lo, int starting)
{
    struct scenctx *x = arg;

    if (x->mo->on_load)
        x->mo->on_load(x->mo->arg, lo, starting);
}

/* The target exited under the load: the search stops. */
static int after(void *arg, const struct load_out *out, struct err *e)
{
    struct scenctx *x = arg;
    char how[96];
    int status;

    (void)out;
    if (!x->t || !target_exited(x->t, &status))
        return 0;
    child_describe_status(status, how, sizeof how);
    return err_set(e, "target %s: %s during the capacity search", x->t->name, how);
}

int capscen_run(const struct scenario_point *p, const struct scenario_opts *mo,
                struct target *t, struct load_opts *lo, struct bench *b, int *invalid)
{
    const struct suite_scenario *sc = p->sc;
    volatile int halt = 0;
    struct scenctx x;
    struct capacity_opts co;
    struct capacity c = {0};
    struct err e = {0};
    int rc = 0;

    memset(&x, 0, sizeof x);
    lo->monitor_pid = t ? t->pid : 0;
    lo->stop = t ? &halt : mo->interrupt;
    lo->seed = sc->load.seed;
    x.mo = mo;
    x.t = t;
    x.cs.base = lo;
    x.cs.goal = &sc->goal;
    x.cs.step_ns = sc->capacity_step_ns;
    x.cs.step_warmup_ns = sc->capacity_step_ns / 4;
    x.cs.confirm_ns = lo->duration_ns;
    x.cs.confirm_warmup_ns = lo->warmup_ns ? lo->warmup_ns : x.cs.step_warmup_ns;
    x.cs.on_load = on_load;
    x.cs.after = after;
    x.cs.arg = &x;
    capacity_opts_default(&co);
    co.precision = sc->capacity_precision;
    if (t)
        target_link(t, &halt, mo->interrupt);
    if (capacity_goal_record(&sc->goal, &c) < 0)
        err_set(&e, "out of memory");
    else if (capstep_probe(&x.cs, &co.start, &e) == 0)
        capacity_search(&co, capstep_run, NULL, &x, &c, &e);
    if (t)
        target_unlink(t);
    if (e.msg[0]) {
        rc = (mo->interrupt && *mo->interrupt) || !strcmp(e.msg, "interrupted") ? -1 : 0;
        bench_set_error(b, rc ? "interrupted (in the capacity search)" : "%s", e.msg);
        if (!rc && b->error && t && target_exited(t, NULL) && !b->error->stderr_tail)
            b->error->stderr_tail = target_stderr_tail(t);
    } else if (load_bench_add(b, &x.cs.last_opts, &x.cs.last) < 0 || capstep_bench(b, &c) < 0)
        bench_set_error(b, "out of memory");
    else {
        if (mo->on_rep)
            mo->on_rep(mo->arg, b->name, 1, 1, &x.cs.last_opts, &x.cs.last);
        *invalid |= b->capacity->status == CAP_LIMITED;
    }
    capstep_free(&x.cs);
    capacity_free(&c);
    return rc;
}
