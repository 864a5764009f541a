/*
 * gnuplot.c: the files of a plot (picture, script, data) and running
 * gnuplot on them (gp.h).
 */
#include "gp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/result/version.h"

const char *const gp_colours[GP_NCOLOURS] = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
};

const char *const gp_colour_names[GP_NCOLOURS] = {
    "blue", "red", "green", "purple", "orange", "cyan", "brown", "pink",
};

void plot_opts_default(struct plot_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = PLOT_PNG;
    o->grid = 1;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *joinf(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *p = malloc(la + lb + lc + 1);

    if (p) {
        memcpy(p, a, la);
        memcpy(p + la, b, lb);
        memcpy(p + la + lb, c, lc + 1);
    }
    return p;
}

static int has_ext(const char *s, const char *ext)
{
    size_t ls = strlen(s), le = strlen(ext);

    return ls > le && strcasecmp(s + ls - le, ext) == 0;
}

const char *gp_quote(char *buf, size_t len, const char *s)
{
    size_t n = 0;

    if (len < 3) {
        if (len)
            buf[0] = '\0';
        return buf;
    }
    buf[n++] = '\'';
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        char one[2] = {c < 0x20 || c == 0x7f ? ' ' : (char)c, '\0'};
        const char *tok = c == '\'' ? "''" : c == '\n' ? "'.\"\\n\".'" : one;
        size_t tl = strlen(tok);
        if (n + tl + 2 > len)
            break;
        memcpy(buf + n, tok, tl);
        n += tl;
    }
    buf[n++] = '\'';
    buf[n] = '\0';
    return buf;
}

void gp_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c == '"' ? '\'' : c < 0x20 || c == 0x7f ? ' ' : (char)c, f);
    }
    fputc('"', f);
}

void gp_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("NaN", f);
}

void gp_nums(FILE *f, const double *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (i)
            fputc('\t', f);
        gp_num(f, v[i]);
    }
}

/* Make dir and the directories above it that are missing (mkdir -p). */
static int make_dirs(const char *dir, struct err *e)
{
    char *p = strdup(dir), *s;
    int rc = 0;

    if (!p)
        return err_set(e, "out of memory");
    for (s = p + 1; rc == 0; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST)
            rc = err_set(e, "%s: cannot create the directory: %s", p, strerror(errno));
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return rc;
}

int gp_open(struct gp *g, const struct plot_opts *o, const char *kind, int width, int height,
            const char *title, struct err *e)
{
    char deflt[64], q[1024], *base = NULL;
    const char *out = o->out, *slash, *ext;

    memset(g, 0, sizeof *g);
    if (!out || !*out) {
        snprintf(deflt, sizeof deflt, "plot-%s", kind);
        out = deflt;
    }
    if (has_ext(out, ".png") || has_ext(out, ".svg")) {
        g->format = has_ext(out, ".png") ? PLOT_PNG : PLOT_SVG;
        base = xstrndup(out, strlen(out) - 4);
    } else {
        g->format = o->format;
        base = strdup(out);
    }
    if (!base)
        goto oom;
    slash = strrchr(base, '/');
    g->dir = slash ? xstrndup(base, slash == base ? 1 : (size_t)(slash - base)) : strdup(".");
    g->name = strdup(slash ? slash + 1 : base);
    if (!g->dir || !g->name)
        goto oom;
    if (!*g->name) {
        err_set(e, "%s: names a directory, not a picture", out);
        goto fail;
    }
    ext = g->format == PLOT_PNG ? ".png" : ".svg";
    g->picture = joinf(base, ext, "");
    g->script = joinf(base, ".gp", "");
    if (!g->picture || !g->script)
        goto oom;
    free(base);
    base = NULL;
    g->width = o->width > 0 ? o->width : width;
    g->height = o->height > 0 ? o->height : height;
    if (make_dirs(g->dir, e) < 0)
        goto fail;
    g->f = fopen(g->script, "w");
    if (!g->f) {
        err_set(e, "%s: %s", g->script, strerror(errno));
        goto fail;
    }
    fprintf(g->f, "# %s: a pacer %s plot (pacer %s).  To draw it again, in this directory:\n"
                  "#   gnuplot %s.gp\n",
            g->name, kind, PACER_VERSION, g->name);
    if (g->format == PLOT_PNG)
        fprintf(g->f, "set terminal pngcairo size %d,%d font 'sans,10' noenhanced\n", g->width,
                g->height);
    else
        fprintf(g->f, "set terminal svg size %d,%d font 'sans,10' noenhanced "
                      "background '#ffffff'\n",
                g->width, g->height);
    fprintf(g->f, "set output %s\n", gp_quote(q, sizeof q, strrchr(g->picture, '/')
                                                              ? strrchr(g->picture, '/') + 1
                                                              : g->picture));
    fprintf(g->f, "set encoding utf8\n"
                  "set datafile separator tab\n"
                  "set datafile missing 'NaN'\n"
                  "set border lc '#606060'\n"
                  "set grid lc '#e0e0e0' lt 1\n");
    if ((o->title || title) && !(g->title = strdup(o->title ? o->title : title)))
        goto oom;
    return 0;
oom:
    err_set(e, "out of memory");
fail:
    free(base);
    gp_free(g);
    return -1;
}

void gp_title(struct gp *g)
{
    char q[1024];

    if (g->title)
        fprintf(g->f, "set title %s font ',12'\n", gp_quote(q, sizeof q, g->title));
}

void gp_free(struct gp *g)
{
    if (g->f)
        fclose(g->f);
    free(g->dir);
    free(g->name);
    free(g->picture);
    free(g->script);
    free(g->title);
    memset(g, 0, sizeof *g);
}

int gp_data_open(struct gp *g, const char *key, struct gp_data *d, struct err *e)
{
    char *dash;

    memset(d, 0, sizeof *d);
    dash = joinf(g->name, key ? "-" : "", key ? key : "");
    d->rel = dash ? joinf(dash, ".dat", "") : NULL;
    free(dash);
    d->path = d->rel ? joinf(g->dir, "/", d->rel) : NULL;
    if (!d->rel || !d->path) {
        free(d->rel);
        free(d->path);
        memset(d, 0, sizeof *d);
        return err_set(e, "out of memory");
    }
    d->f = fopen(d->path, "w");
    if (!d->f) {
        err_set(e, "%s: %s", d->path, strerror(errno));
        free(d->rel);
        free(d->path);
        memset(d, 0, sizeof *d);
        return -1;
    }
    return 0;
}

int gp_data_close(struct gp_data *d, struct err *e)
{
    int rc = 0;

    if (d->f) {
        int bad = ferror(d->f);
        if (fclose(d->f) != 0 || bad)
            rc = err_set(e, "%s: %s", d->path, bad ? "write error" : strerror(errno));
    }
    free(d->rel);
    free(d->path);
    memset(d, 0, sizeof *d);
    return rc;
}

const char *gp_program(void)
{
    const char *p = getenv(GP_ENV_PROGRAM);

    return p && *p ? p : "gnuplot";
}

/* The line of gnuplot's stderr to report: its first error (`"x.gp" line 3:
 * undefined function: foo`), else its first warning, else its first line
 * with text. */
static void first_error(const char *s, char *out, size_t len)
{
    const char *p, *pick = NULL, *warn = NULL, *any = NULL;

    for (p = s; *p;) {
        const char *end = strchr(p, '\n'), *q;
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int text = 0, located;

        for (q = p; q < p + n; q++)
            if (*q != ' ' && *q != '\t' && *q != '^' && *q != '\r')
                text = 1;
        located = memmem(p, n, " line ", 6) != NULL;
        if (text && !any)
            any = p;
        if (text && located && memmem(p, n, "warning:", 8) && !warn)
            warn = p;
        else if (text && located && !pick)
            pick = p;
        p += n + (end ? 1 : 0);
    }
    p = pick ? pick : warn ? warn : any;
    if (!p) {
        snprintf(out, len, "%s", "");
        return;
    }
    snprintf(out, len, "%.*s", (int)strcspn(p, "\r\n"), p);
}

/* Why the child could not run gnuplot, sent to the parent before exit. */
struct exec_fail {
    int stage;    /* 0 chdir, 1 exec */
    int err;
};

/* A running gnuplot: its process and the read ends of two pipes. */
struct gp_proc {
    pid_t pid;
    int errp[2];  /* its stderr */
    int execp[2]; /* its struct exec_fail, when it could not start */
};

/* Close the script; -1 when writing it failed. */
static int close_script(struct gp *g, struct err *e)
{
    if (g->f) {
        int bad = ferror(g->f);
        if (fclose(g->f) != 0 || bad) {
            g->f = NULL;
            return err_set(e, "%s: write error", g->script);
        }
        g->f = NULL;
    }
    return 0;
}

/* In the child: in a process group of its own, stdin and stdout on
 * /dev/null, stderr into errw, in the picture's directory: run gnuplot on
 * the script, or tell execw why not. */
static void __attribute__((noreturn)) child_exec(const struct gp *g, const char *prog,
                                                 const char *script, int errw, int execw)
{
    struct exec_fail xf;
    int nul = open("/dev/null", O_RDWR);

    setpgid(0, 0);
    if (nul >= 0) {
        dup2(nul, 0);
        dup2(nul, 1);
    }
    dup2(errw, 2);
    xf.stage = 0;
    if (chdir(g->dir) == 0) {
        xf.stage = 1;
        execlp(prog, prog, script, (char *)NULL);
    }
    xf.err = errno;
    if (write(execw, &xf, sizeof xf) < 0)
        _exit(126);
    _exit(127);
}

/* Start prog on g's script (p's pipes are closed by the caller, also
 * after a failure). */
static int spawn(const struct gp *g, const char *prog, struct gp_proc *p, struct err *e)
{
    const char *script = strrchr(g->script, '/') ? strrchr(g->script, '/') + 1 : g->script;

    if (pipe2(p->errp, O_CLOEXEC) < 0 || pipe2(p->execp, O_CLOEXEC) < 0)
        return err_set(e, "gnuplot: pipe: %s", strerror(errno));
    fflush(NULL);
    p->pid = fork();
    if (p->pid < 0)
        return err_set(e, "gnuplot: fork: %s", strerror(errno));
    if (p->pid == 0)
        child_exec(g, prog, script, p->errp[1], p->execp[1]);
    setpgid(p->pid, p->pid);   /* also here: a kill must not race the child's own */
    close(p->errp[1]);
    close(p->execp[1]);
    p->errp[1] = p->execp[1] = -1;
    return 0;
}

/* 1 when the child could not run prog: it is reaped and e says why. */
static int exec_failed(const struct gp *g, const char *prog, const struct gp_proc *p,
                       struct err *e)
{
    struct exec_fail xf;
    int status = 0;

    if (read(p->execp[0], &xf, sizeof xf) != (ssize_t)sizeof xf)
        return 0;
    waitpid(p->pid, &status, 0);
    if (xf.stage == 0)
        err_set(e, "%s: %s", g->dir, strerror(xf.err));
    else if (xf.err == ENOENT)
        err_set(e, "gnuplot not found: install gnuplot-nox");
    else
        err_set(e, "gnuplot: cannot run %s: %s", prog, strerror(xf.err));
    return 1;
}

/* Read fd into buf (len bytes with the final NUL; what does not fit is
 * read and dropped) until it closes or timeout_s pass; 1 on the timeout. */
static int read_until(int fd, int timeout_s, char *buf, size_t len)
{
    uint64_t deadline = clock_now_ns() + (uint64_t)timeout_s * 1000000000u;
    size_t got = 0;
    int timed_out = 0;
    ssize_t r;

    for (;;) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        uint64_t now = clock_now_ns();
        int n;
        if (now >= deadline) {
            timed_out = 1;
            break;
        }
        n = poll(&pf, 1, (int)((deadline - now) / 1000000u) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        if (got < len - 1)
            r = read(fd, buf + got, len - 1 - got);
        else {
            char sink[1024];
            r = read(fd, sink, sizeof sink);
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (got < len - 1)
            got += (size_t)r;
    }
    buf[got] = '\0';
    return timed_out;
}

/* How gnuplot ended (its wait status and stderr text): 0 when it drew the
 * picture, else -1 with e set and the partial picture removed. */
static int judge_run(const struct gp *g, int timed_out, int timeout_s, int status,
                     const char *text, struct err *e)
{
    char msg[512];
    struct stat st;

    if (timed_out) {
        err_set(e, "gnuplot failed: %s: no picture after %d s", g->script, timeout_s);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        first_error(text, msg, sizeof msg);
        if (!msg[0]) {
            if (WIFSIGNALED(status))
                snprintf(msg, sizeof msg, "%s: killed by signal %d", g->script, WTERMSIG(status));
            else
                snprintf(msg, sizeof msg, "%s: exited with status %d", g->script,
                         WEXITSTATUS(status));
        }
        err_set(e, "gnuplot failed: %s", msg);
    } else if (stat(g->picture, &st) < 0 || st.st_size == 0) {
        err_set(e, "gnuplot failed: %s: no picture written", g->picture);
    } else {
        return 0;
    }
    unlink(g->picture);
    return -1;
}

int gp_run(struct gp *g, struct err *e)
{
    char prog_abs[PATH_MAX], buf[8192];
    const char *prog = gp_program();
    const char *tenv = getenv(GP_ENV_TIMEOUT);
    int timeout_s = tenv && atoi(tenv) > 0 ? atoi(tenv) : GP_TIMEOUT_S;
    struct gp_proc p = {.pid = -1, .errp = {-1, -1}, .execp = {-1, -1}};
    int status = 0, timed_out, rc = -1, i;

    if (close_script(g, e) < 0)
        return -1;
    /* gnuplot runs in the picture's directory: a relative program path
     * must not depend on it */
    if (strchr(prog, '/') && prog[0] != '/' && realpath(prog, prog_abs))
        prog = prog_abs;
    if (spawn(g, prog, &p, e) < 0 || exec_failed(g, prog, &p, e))
        goto cleanup;
    timed_out = read_until(p.errp[0], timeout_s, buf, sizeof buf);
    if (timed_out)
        kill(-p.pid, SIGKILL);
    while (waitpid(p.pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = judge_run(g, timed_out, timeout_s, status, buf, e);
cleanup:
    for (i = 0; i < 2; i++) {
        if (p.errp[i] >= 0)
            close(p.errp[i]);
        if (p.execp[i] >= 0)
            close(p.execp[i]);
    }
    return rc;
}
