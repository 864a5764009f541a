/* loadprof.c: the targets of load benchmarks profiled under pacer run (loadprof.h). */
#include "loadprof.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "harness/result/profile.h"
#include "harness/run/tmpfiles.h"

int loadprof_kind_ok(const char *kind)
{
    return !strcmp(kind, "sample") || !strcmp(kind, "yappi");
}

void loadprof_init(struct loadprof *lp, const char *kind, const char *dir, int quiet)
{
    memset(lp, 0, sizeof *lp);
    snprintf(lp->env, sizeof lp->env, "PACER_PROFILE=%s", kind);
    lp->envv[0] = lp->env;
    lp->dir = dir;
    lp->quiet = quiet;
}

/* scenario_opts.on_load: the last repetition's window is profiled. */
static void on_load(void *arg, struct load_opts *lo, int starting)
{
    struct loadprof *lp = arg;
    struct err e = {0};

    if (lp->inner.on_load)
        lp->inner.on_load(lp->inner.arg, lo, starting);
    if (!starting) {
        lo->window_start = lo->window_end = NULL;
        lo->window_arg = NULL;
        return;
    }
    if (++lp->rep != lp->reps || lp->open)
        return;
    if (srvprof_init(&lp->sp, lo->monitor_pid, &e) < 0) {
        warn_msg("%s: no profile of its target: %s", lp->bench, e.msg);
        srvprof_free(&lp->sp);
        return;
    }
    lp->sp.who = lp->bench;
    lp->open = 1;
    srvprof_arm(&lp->sp);   /* perf ready before the window opens */
    lo->window_start = srvprof_start;
    lo->window_end = srvprof_end;
    lo->window_arg = &lp->sp;
    if (!lp->quiet)
        fprintf(stderr, "pacer: profiling the target of %s (process %ld, %s) in repetition "
                        "%u\n", lp->bench, (long)lo->monitor_pid,
                lp->sp.perf ? "perf record" : "its own profiler", lp->rep);
}

/* The window's profile kept in the folder as the benchmark's. */
static void keep(struct loadprof *lp, const char *bench, uint64_t requests)
{
    char tmp[4200], name[1024], dest[5300];

    if (srvprof_fetch(&lp->sp, requests, tmp, sizeof tmp) < 0)
        return;
    snprintf(dest, sizeof dest, "%s/%s", lp->dir,
             profile_file_name(name, sizeof name, bench, ".callgrind"));
    if (file_move(tmp, dest) < 0) {
        warn_msg("%s: cannot keep the profile of its target as %s: %s", bench, dest,
                 strerror(errno));
        unlink(tmp);
    }
}

/* scenario_opts.on_rep: after the last repetition, its profile. */
static void on_rep(void *arg, const char *bench, unsigned k, unsigned n,
                   const struct load_opts *lo, const struct load_out *out)
{
    struct loadprof *lp = arg;

    if (lp->inner.on_rep)
        lp->inner.on_rep(lp->inner.arg, bench, k, n, lo, out);
    if (!lp->open || k != n)
        return;
    keep(lp, bench, out->requests);
    srvprof_free(&lp->sp);
    lp->open = 0;
}

void loadprof_hook(struct loadprof *lp, struct scenario_opts *so)
{
    lp->inner = *so;
    so->on_load = on_load;
    so->on_rep = on_rep;
    so->arg = lp;
    so->target_env = lp->envv;
}

void loadprof_begin(struct loadprof *lp, const char *suite, const char *name, unsigned reps)
{
    loadprof_end(lp);
    snprintf(lp->bench, sizeof lp->bench, "%s/%s", suite, name);
    lp->rep = 0;
    lp->reps = reps;
}

void loadprof_end(struct loadprof *lp)
{
    if (lp->open)
        srvprof_discard(&lp->sp);
    lp->open = 0;
}
