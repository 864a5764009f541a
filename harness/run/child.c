/* child.c: a worker process with pipes, deadlines and a stderr tail (child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buildinfo.h"
#include "harness/lib/clock.h"
#include "harness/lib/worker.h"

#define ANSWER_MAX (64u << 20)

volatile int child_interrupted;

/* The first SIGINT or SIGTERM asks for a clean stop (what finished is
 * kept, targets are stopped); a second one ends pacer at once, by the
 * signal itself (targets and workers die with it: PR_SET_PDEATHSIG). */
static void on_signal(int sig)
{
    static const char msg[] = "\npacer: interrupted again: stopping at once\n";

    if (child_interrupted) {
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
            /* nothing to be done about it here */
        }
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    child_interrupted = 1;
}

void child_signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: poll() must return */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void child_describe_status(int status, char *buf, size_t len)
{
    if (WIFEXITED(status))
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) {
        const char *abbr = sigabbrev_np(WTERMSIG(status));
        snprintf(buf, len, "killed by signal %d (SIG%s)%s", WTERMSIG(status), abbr ? abbr : "?",
                 WCOREDUMP(status) ? ", core dumped" : "");
    } else
        snprintf(buf, len, "stopped with wait status %#x", status);
}

/* Read what stderr holds now (non-blocking); returns 0 at EOF. */
static int drain_stderr(struct child *c)
{
    char tmp[4096];
    ssize_t r;

    if (c->err_fd < 0)
        return 0;
    while ((r = read(c->err_fd, tmp, sizeof tmp)) > 0)
        tail_add(&c->tail, tmp, (size_t)r);
    if (r == 0) {
        close(c->err_fd);
        c->err_fd = -1;
        return 0;
    }
    return 1;
}

char *child_stderr_tail(const struct child *c)
{
    return tail_text(&c->tail);
}

/* A memfd holding the bytes of path (for fexecve), or -1. */
static int private_copy(const char *path)
{
    int in = open(path, O_RDONLY | O_CLOEXEC), out;
    char buf[65536];
    ssize_t r;

    if (in < 0)
        return -1;
    out = memfd_create("pacer-worker", MFD_CLOEXEC);
    if (out < 0) {
        close(in);
        return -1;
    }
    while ((r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)r) != r) {
            r = -1;
            break;
        }
    close(in);
    if (r < 0) {
        close(out);
        return -1;
    }
    return out;
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int child_start(struct child *c, const char *binary, struct err *e)
{
    return child_start_under(c, NULL, binary, e);
}

int child_is_python(const char *binary)
{
    size_t len = strlen(binary);

    return len > 3 && !strcmp(binary + len - 3, ".py");
}

/* Whether dir holds pacer.py. */
static int has_module(const char *dir)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/pacer.py", dir);
    return access(path, R_OK) == 0;
}

int child_python_dir(char *buf, size_t len)
{
    char exe[4096], *slash;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

    if (n > 0) {
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/')))
            *slash = '\0';
        snprintf(buf, len, "%s/../%s", exe, CHILD_PYTHON_LIBDIR);
        if (has_module(buf) && realpath(buf, exe) && strlen(exe) < len) {
            strcpy(buf, exe);
            return 0;
        }
    }
    snprintf(buf, len, "%s/harness/lib", PACER_SRCDIR);
    return has_module(buf) ? 0 : -1;
}

/* environ with PYTHONPATH=dir first (a new array of borrowed strings but
 * its own PYTHONPATH entry, free both), or NULL. */
static char **python_env(const char *dir, char **pp)
{
    const char *old = getenv("PYTHONPATH");
    size_t n = 0, k = 0;
    char **env;

    while (environ[n])
        n++;
    if (!(env = calloc(n + 2, sizeof *env)))
        return NULL;
    if (asprintf(pp, "PYTHONPATH=%s%s%s", dir, old && *old ? ":" : "", old ? old : "") < 0) {
        free(env);
        return NULL;
    }
    for (n = 0; environ[n]; n++)
        if (strncmp(environ[n], "PYTHONPATH=", 11))
            env[k++] = environ[n];
    env[k++] = *pp;
    env[k] = NULL;
    return env;
}

/* The worker's argv: [wrap...] binary WORKER_FLAG, a Python file run as
 * CHILD_PYTHON -m pacer FILE WORKER_FLAG; NULL-terminated into argv (cap
 * entries). */
static void worker_argv(char **argv, size_t cap, char *const *wrap, const char *binary)
{
    size_t n = 0;

    while (wrap && wrap[n] && n + 6 < cap) {
        argv[n] = wrap[n];
        n++;
    }
    if (child_is_python(binary)) {
        argv[n++] = (char *)CHILD_PYTHON;
        argv[n++] = (char *)"-m";
        argv[n++] = (char *)"pacer";
    }
    argv[n++] = (char *)binary;
    argv[n++] = (char *)WORKER_FLAG;
    argv[n] = NULL;
}

/* What a Python worker needs, made before fork: the file readable, and
 * environ with pacer.py's directory first on PYTHONPATH (python_env). */
static int python_prep(const char *binary, char ***env, char **pp, struct err *e)
{
    char dir[4096];

    if (child_python_dir(dir, sizeof dir) < 0)
        return err_set(e, "cannot find pacer.py (the Python module of pacer) in %s/harness/lib "
                          "nor in ../%s beside pacer", PACER_SRCDIR, CHILD_PYTHON_LIBDIR);
    if (access(binary, R_OK) < 0)
        return err_set(e, "cannot read %s: %s", binary, strerror(errno));
    if (!(*env = python_env(dir, pp)))
        return err_set(e, "out of memory");
    return 0;
}

/* In the child: exec argv, with env as its environment when not NULL; a
 * plain suite binary from a private copy (returns only when exec failed,
 * errno set). */
static void exec_worker(char **argv, char **env, const char *binary, int plain)
{
    int code;

    if (env)
        environ = env;
    if (!plain) {
        execvp(argv[0], argv);
        return;
    }
    /* Run a private copy of the binary: its code gets physical pages of
     * its own, so where the page cache happened to put the file (which a
     * physically indexed cache feels) differs from process to process
     * instead of biasing every process of one build. */
    code = private_copy(binary);
    if (code >= 0) {
        fexecve(code, argv, environ);
        close(code);
    }
    execv(binary, argv);
}

int child_start_under(struct child *c, char *const *wrap, const char *binary, struct err *e)
{
    int req[2] = {-1, -1}, ans[2] = {-1, -1}, errp[2] = {-1, -1}, exe[2] = {-1, -1};
    int child_errno = 0, py = child_is_python(binary);
    char *argv[72], *pp = NULL, **env = NULL;
    ssize_t r;
    pid_t pid, parent;

    memset(c, 0, sizeof *c);
    c->pid = -1;
    c->req_fd = c->ans_fd = c->err_fd = -1;
    /* made before fork: the child only execs */
    worker_argv(argv, sizeof argv / sizeof argv[0], wrap, binary);
    if (py && python_prep(binary, &env, &pp, e) < 0)
        return -1;
    /* A worker that dies must show up as EPIPE on write, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(req, O_CLOEXEC) < 0 || pipe2(ans, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
        pipe2(exe, O_CLOEXEC) < 0) {
        err_set(e, "pipe: %s", strerror(errno));
        goto fail;
    }
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        err_set(e, "fork: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* Child: own process group; fds 3 and 4 are the protocol. */
        int r3 = fcntl(req[0], F_DUPFD, 10), w4 = fcntl(ans[1], F_DUPFD, 10);
        int dn = open("/dev/null", O_RDWR);

        setpgid(0, 0);
        /* should pacer end at once (a second Ctrl-C, a crash), so does
         * the worker, which is in a process group of its own */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (r3 < 0 || w4 < 0 || dn < 0 || dup2(dn, 0) < 0 || dup2(dn, 1) < 0 ||
            dup2(errp[1], 2) < 0 || dup2(r3, WORKER_REQ_FD) < 0 || dup2(w4, WORKER_ANS_FD) < 0)
            child_errno = errno;
        else {
            close(r3);
            close(w4);
            close(dn);
            exec_worker(argv, env, binary, !wrap && !py);
            child_errno = errno;
        }
        if (write(exe[1], &child_errno, sizeof child_errno) < 0)
            _exit(127);
        _exit(127);
    }
    free(env);
    free(pp);
    env = NULL;
    pp = NULL;
    setpgid(pid, pid);
    c->pid = pid;
    close(req[0]);
    close(ans[1]);
    close(errp[1]);
    close(exe[1]);
    c->req_fd = req[1];
    c->ans_fd = ans[0];
    c->err_fd = errp[0];
    set_nonblock(c->ans_fd);
    set_nonblock(c->err_fd);
    /* The exec pipe closes on a successful exec, or carries errno. */
    do
        r = read(exe[0], &child_errno, sizeof child_errno);
    while (r < 0 && errno == EINTR);
    close(exe[0]);
    if (r == (ssize_t)sizeof child_errno) {
        waitpid(pid, &c->status, 0);
        c->reaped = 1;
        return err_set(e, "cannot run %s: %s", argv[0], strerror(child_errno));
    }
    return 0;
fail:
    free(env);
    free(pp);
    {
        int *fds[] = {req, ans, errp, exe};
        size_t i;
        for (i = 0; i < 4; i++) {
            if (fds[i][0] >= 0)
                close(fds[i][0]);
            if (fds[i][1] >= 0)
                close(fds[i][1]);
        }
    }
    return -1;
}

/* Reap without blocking longer than grace_ns; kill the group when needed. */
static void reap(struct child *c, uint64_t grace_ns)
{
    uint64_t until = clock_now_ns() + grace_ns;
    siginfo_t si;

    if (c->reaped || c->pid <= 0)
        return;
    for (;;) {
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
            break;
        if (clock_now_ns() >= until) {
            kill(-c->pid, SIGKILL);
            kill(c->pid, SIGKILL);
            break;
        }
        drain_stderr(c);
        usleep(1000);
    }
    /* The leader is a zombie (or dying): its group still exists, so this
     * kills whatever it left behind, and nothing else. */
    kill(-c->pid, SIGKILL);
    while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
        ;
    c->reaped = 1;
}

void child_kill(struct child *c)
{
    if (c->pid > 0 && !c->reaped) {
        kill(-c->pid, SIGKILL);
        kill(c->pid, SIGKILL);
        reap(c, 1000000000ULL);
    }
}

/* Drain stderr until EOF or a short time passes (final messages of a dying
 * worker: abort(), sanitizer reports). */
static void drain_stderr_final(struct child *c, uint64_t wait_ns)
{
    uint64_t until = clock_now_ns() + wait_ns;

    while (c->err_fd >= 0 && clock_now_ns() < until) {
        struct pollfd p = {.fd = c->err_fd, .events = POLLIN};
        if (poll(&p, 1, 10) > 0)
            drain_stderr(c);
    }
}

static enum child_fail died(struct child *c, struct err *e)
{
    char how[96];

    reap(c, 2000000000ULL);
    drain_stderr_final(c, 200000000ULL);
    child_describe_status(c->status, how, sizeof how);
    err_set(e, "%s", how);
    return CHILD_DIED;
}

enum child_fail child_line(struct child *c, char **line, uint64_t deadline_ns, struct err *e)
{
    for (;;) {
        char *nl = c->blen ? memchr(c->buf, '\n', c->blen) : NULL;
        struct pollfd p[2];
        uint64_t now;
        int n, timeout_ms;

        if (nl) {
            /* Hand out a copy of the line and drop it from the buffer. */
            size_t len = (size_t)(nl - c->buf);
            if (len + 1 > c->linecap) {
                char *no = realloc(c->line, len + 1);
                if (!no)
                    return err_set(e, "out of memory"), CHILD_PROTOCOL;
                c->line = no;
                c->linecap = len + 1;
            }
            memcpy(c->line, c->buf, len);
            c->line[len] = '\0';
            memmove(c->buf, nl + 1, c->blen - len - 1);
            c->blen -= len + 1;
            *line = c->line;
            return CHILD_OK;
        }
        if (child_interrupted) {
            child_kill(c);
            err_set(e, "interrupted");
            return CHILD_INTERRUPTED;
        }
        now = clock_now_ns();
        if (now >= deadline_ns) {
            child_kill(c);
            err_set(e, "timed out");
            return CHILD_TIMEOUT;
        }
        timeout_ms = (int)((deadline_ns - now + 999999) / 1000000);
        p[0].fd = c->ans_fd;
        p[0].events = POLLIN;
        p[1].fd = c->err_fd;
        p[1].events = POLLIN;
        n = poll(p, c->err_fd >= 0 ? 2 : 1, timeout_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return err_set(e, "poll: %s", strerror(errno)), CHILD_PROTOCOL;
        }
        if (n > 0 && c->err_fd >= 0 && p[1].revents)
            drain_stderr(c);
        if (n > 0 && p[0].revents) {
            ssize_t r;
            if (c->bcap - c->blen < 65536) {
                size_t ncap = c->bcap ? c->bcap * 2 : 131072;
                char *nb;
                if (ncap > ANSWER_MAX) {
                    child_kill(c);
                    return err_set(e, "worker answer longer than %u bytes", ANSWER_MAX),
                           CHILD_PROTOCOL;
                }
                nb = realloc(c->buf, ncap);
                if (!nb)
                    return err_set(e, "out of memory"), CHILD_PROTOCOL;
                c->buf = nb;
                c->bcap = ncap;
            }
            r = read(c->ans_fd, c->buf + c->blen, c->bcap - c->blen);
            if (r > 0)
                c->blen += (size_t)r;
            else if (r == 0)
                return died(c, e);
            else if (errno != EAGAIN && errno != EINTR)
                return died(c, e);
        }
    }
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

enum child_fail child_send(struct child *c, const char *req, struct err *e)
{
    char buf[1024];
    size_t len = strlen(req);

    /* one write: the worker wakes once for the whole line */
    if (len < sizeof buf) {
        memcpy(buf, req, len);
        buf[len] = '\n';
        return write_all(c->req_fd, buf, len + 1) < 0 ? died(c, e) : CHILD_OK;
    }
    if (write_all(c->req_fd, req, len) < 0 || write_all(c->req_fd, "\n", 1) < 0)
        return died(c, e);
    return CHILD_OK;
}

enum child_fail child_reply(struct child *c, char **rest, uint64_t deadline_ns, struct err *e)
{
    enum child_fail f;
    char *line;

    f = child_line(c, &line, deadline_ns, e);
    if (f != CHILD_OK)
        return f;
    if (!strncmp(line, "ok", 2) && (line[2] == '\0' || line[2] == ' ')) {
        *rest = line[2] ? line + 3 : line + 2;
        return CHILD_OK;
    }
    if (!strncmp(line, "err ", 4)) {
        err_set(e, "%s", line + 4);
        return CHILD_ERR_ANSWER;
    }
    if (!strncmp(line, "skip ", 5)) {
        err_set(e, "%s", line + 5);
        return CHILD_SKIPPED;
    }
    err_set(e, "unexpected answer from the worker: '%.60s'", line);
    return CHILD_PROTOCOL;
}

enum child_fail child_call(struct child *c, const char *req, char **rest, uint64_t deadline_ns,
                           struct err *e)
{
    enum child_fail f = child_send(c, req, e);

    return f != CHILD_OK ? f : child_reply(c, rest, deadline_ns, e);
}

int child_stop(struct child *c, uint64_t grace_ns, struct err *e)
{
    char how[96];

    if (c->req_fd >= 0) {
        (void)write_all(c->req_fd, "quit\n", 5);
        close(c->req_fd);
        c->req_fd = -1;
    }
    reap(c, grace_ns);
    drain_stderr_final(c, 50000000ULL);
    if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0)
        return 0;
    child_describe_status(c->status, how, sizeof how);
    return err_set(e, "%s", how);
}

void child_free(struct child *c)
{
    if (c->pid > 0 && !c->reaped)
        child_kill(c);
    if (c->req_fd >= 0)
        close(c->req_fd);
    if (c->ans_fd >= 0)
        close(c->ans_fd);
    if (c->err_fd >= 0)
        close(c->err_fd);
    free(c->buf);
    free(c->line);
    c->req_fd = c->ans_fd = c->err_fd = -1;
    c->buf = c->line = NULL;
    c->linecap = 0;
    c->blen = c->bcap = 0;
}
