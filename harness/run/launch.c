/* launch.c: a target's needs started before it and stopped after it (launch.h). */
#include "launch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "placeholder.h"
#include "tmpfiles.h"
#include "words.h"

/* How often a target is started when the port pacer chose for it was
 * taken under it. */
#define PORT_ATTEMPTS 3

void launch_failed(struct bench *b, struct target *t, int status, int timed_out,
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

/* "cannot run X: cause" made more helpful with the Debian package of
 * tg (if it names one) in e's message. */
static void launch_hint(const struct suite_target *tg, struct err *e)
{
    char msg[ERR_MAX];

    if (!tg->package || strncmp(e->msg, "cannot run ", 11))
        return;
    memcpy(msg, e->msg, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    err_clear(e);
    err_set(e, "%.*s (install the Debian package %s)", (int)(sizeof msg - 128), msg,
            tg->package);
}

char *launch_expand(const struct launch *l, const char *s, const char *port)
{
    const char *names[LAUNCH_MAX + 4], *values[LAUNCH_MAX + 4];
    size_t n = 0, i;

    if (port) {
        names[n] = "port";
        values[n++] = port;
    }
    for (i = 0; i < l->nnames; i++) {
        names[n] = l->names[i];
        values[n++] = l->values[i];
    }
    names[n] = values[n] = NULL;
    return placeholder_expand(s, names, values);
}

char **launch_expand_list(const struct launch *l, char *const *v, const char *port, int *ok)
{
    size_t n = 0, i;
    char **out;

    *ok = 1;
    if (!v)
        return NULL;
    while (v[n])
        n++;
    if (!(out = calloc(n + 1, sizeof *out))) {
        *ok = 0;
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (!(out[i] = launch_expand(l, v[i], port))) {
            words_free(out);
            *ok = 0;
            return NULL;
        }
    return out;
}

/* Write tg's "files" into l's folder, {port} as port.  0, or -1 with
 * "FILE: cause" in e. */
static int launch_files(const struct launch *l, const struct suite_target *tg,
                        const char *port, struct err *e)
{
    size_t i;

    for (i = 0; tg->files && tg->files[i]; i += 2) {
        char path[4200], *text = launch_expand(l, tg->files[i + 1], port);
        FILE *f;
        int bad;
        if (!text)
            return err_set(e, "out of memory");
        snprintf(path, sizeof path, "%s/%s", l->tmp, tg->files[i]);
        if (!(f = fopen(path, "w"))) {
            free(text);
            return err_set(e, "%s: %s", path, strerror(errno));
        }
        bad = fputs(text, f) == EOF;
        bad |= fclose(f) != 0;
        free(text);
        if (bad)
            return err_set(e, "%s: %s", path, strerror(errno));
    }
    return 0;
}

int launch_one(const struct launch *l, const struct suite_target *tg, char *const *argv,
               char *const *env, char *const *env_over, int pn, struct target *t,
               struct bench *b)
{
    struct target_opts to;
    struct err e = {0};
    char port[16];

    snprintf(port, sizeof port, "%d", pn);
    if (launch_files(l, tg, port, &e) < 0) {
        bench_set_error(b, "target %s: %s", tg->name, e.msg);
        return -1;
    }
    memset(&to, 0, sizeof to);
    to.name = tg->name;
    to.argv = argv;
    to.env = env;
    to.env_over = env_over;
    to.cwd = tg->cwd;
    to.port = pn;
    to.ready = tg->ready;
    to.ready_arg = tg->ready_arg;
    to.ready_timeout_ns = tg->ready_timeout_ns;
    to.stop_timeout_ns = tg->stop_timeout_ns;
    if (target_start(t, &to, &e) < 0) {
        launch_hint(tg, &e);
        bench_set_error(b, "target %s: %s", tg->name, e.msg);
        return -1;
    }
    return 0;
}

/* The names and values of the placeholders: {tmp} and each started
 * need's {port:NAME}. */
static void launch_names(struct launch *l)
{
    size_t i;

    l->nnames = 0;
    l->names[l->nnames] = "tmp";
    l->values[l->nnames++] = l->tmp;
    for (i = 0; i < l->nneed; i++)
        if (l->need[i].started) {
            snprintf(l->key[i], sizeof l->key[i], "port:%s", l->need[i].tg->name);
            l->names[l->nnames] = l->key[i];
            l->values[l->nnames++] = l->need[i].port;
        }
}

/* Start need u on a free port (or its own), its files written first, and
 * wait until it is ready.  0, -1 (b's error set), -2 interrupted. */
static int start_need(struct launch *l, struct launch_unit *u, const struct launch_ctl *ctl,
                      struct bench *b)
{
    const struct suite_target *tg = u->tg;
    struct err e = {0};
    enum target_wait w;
    int attempt, pn, ok, status;

    for (attempt = 1;; attempt++) {
        if ((pn = tg->port ? tg->port : target_free_port(&e)) < 0) {
            bench_set_error(b, "target %s: %s", tg->name, e.msg);
            return -1;
        }
        snprintf(u->port, sizeof u->port, "%d", pn);
        u->argv = launch_expand_list(l, tg->argv, u->port, &ok);
        if (ok)
            u->env = launch_expand_list(l, tg->env, u->port, &ok);
        if (!ok) {
            bench_set_error(b, "out of memory");
            return -1;
        }
        if (launch_one(l, tg, u->argv, u->env, NULL, pn, &u->t, b) < 0)
            return -1;
        u->started = 1;
        err_clear(&e);
        w = target_wait_ready(&u->t, ctl->interrupt, &e);
        if (w != TARGET_EXITED || tg->port || attempt == PORT_ATTEMPTS ||
            !target_port_taken(pn))
            break;
        if (ctl->on_warn) {
            char msg[256];
            snprintf(msg, sizeof msg, "target %s: port %d was taken before it could bind it; "
                     "starting it again on another port", tg->name, pn);
            ctl->on_warn(ctl->arg, msg);
        }
        target_stop(&u->t);
        u->started = 0;
        words_free(u->argv);
        words_free(u->env);
        u->argv = u->env = NULL;
    }
    if (w == TARGET_INTERRUPTED) {
        bench_set_error(b, "interrupted (starting target %s)", tg->name);
        return -2;
    }
    if (w != TARGET_READY) {
        char msg[ERR_MAX + 128];
        snprintf(msg, sizeof msg, "target %s: %s", tg->name, e.msg);
        launch_failed(b, &u->t, target_exited(&u->t, &status) ? status : -1,
                      w == TARGET_TIMEOUT, msg);
        return -1;
    }
    return 0;
}

int launch_needs(struct launch *l, const struct suite *s, const struct suite_target *tg,
                 const struct launch_ctl *ctl, struct bench *b)
{
    unsigned char *want;
    size_t self = (size_t)(tg - s->targets), i, k;
    struct err e = {0};
    int rc;

    memset(l, 0, sizeof *l);
    if (tmp_dir_make(l->tmp, sizeof l->tmp, "pacer-target", &e) < 0) {
        l->tmp[0] = '\0';
        bench_set_error(b, "target %s: %s", tg->name, e.msg);
        return -1;
    }
    if (!(want = calloc(self + 1, 1))) {
        bench_set_error(b, "out of memory");
        return -1;
    }
    /* every need's index is smaller than its target's: marking from the
     * top down closes the set, ascending order starts each after its own */
    want[self] = 1;
    for (i = self + 1; i-- > 0;)
        if (want[i])
            for (k = 0; k < s->targets[i].nneeds; k++)
                want[s->targets[i].needs[k]] = 1;
    for (i = 0; i < self; i++)
        if (want[i]) {
            if (l->nneed == LAUNCH_MAX) {
                free(want);
                bench_set_error(b, "target %s: more than %d targets to start", tg->name,
                                LAUNCH_MAX);
                return -1;
            }
            l->need[l->nneed++].tg = &s->targets[i];
        }
    free(want);
    launch_names(l);
    for (i = 0; i < l->nneed; i++) {
        if ((rc = start_need(l, &l->need[i], ctl, b)) < 0)
            return rc;
        launch_names(l);
    }
    return 0;
}

void launch_end(struct launch *l, const struct launch_ctl *ctl, struct bench *b)
{
    size_t i = l->nneed;

    while (i-- > 0) {
        struct launch_unit *u = &l->need[i];
        if (u->started) {
            int how = target_stop(&u->t);
            char what[96], msg[256];
            if (how == 1 && ctl->on_warn) {
                snprintf(msg, sizeof msg, "target %s did not stop within %gs of SIGTERM: killed",
                         u->tg->name, (double)u->tg->stop_timeout_ns / 1e9);
                ctl->on_warn(ctl->arg, msg);
            }
            if (how == 2 && !b->error) {
                child_describe_status(u->t.status, what, sizeof what);
                snprintf(msg, sizeof msg, "target %s: %s before it was stopped", u->tg->name,
                         what);
                launch_failed(b, &u->t, u->t.status, 0, msg);
            }
            u->started = 0;
        }
        words_free(u->argv);
        words_free(u->env);
        u->argv = u->env = NULL;
    }
    l->nneed = 0;
    if (l->tmp[0])
        tmp_dir_remove(l->tmp);
    l->tmp[0] = '\0';
}
