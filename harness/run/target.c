/* target.c: starting, probing and stopping a server under test (target.h). */
#include "target.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "harness/lib/clock.h"

#define LINE_CAP 4096           /* of the stdout line kept for READY_STDOUT */
#define TICK_MS 20              /* the thread's longest sleep */
#define PROBE_EVERY_NS 10000000ULL
#define PROBE_TIMEOUT_NS 1000000000ULL

extern char **environ;

static unsigned targets_started;   /* numbers the marks */

/* ---- the drain thread ------------------------------------------------------ */

/* Look for the ready text in the stdout bytes p[0..n), line by line. */
static void scan_stdout(struct target *t, const char *p, size_t n)
{
    size_t tl;

    if (t->ready != READY_STDOUT || t->ready_seen || !t->line || !t->ready_arg)
        return;
    tl = strlen(t->ready_arg);
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t seg = nl ? (size_t)(nl - p) : n;
        while (seg > 0 || nl) {
            size_t room = LINE_CAP - 1 - t->linelen, k = seg < room ? seg : room;
            if (k == 0 && seg > 0) {
                /* Full: keep what could still start a match. */
                size_t keep = tl > 1 && t->linelen >= tl - 1 ? tl - 1 : 0;
                memmove(t->line, t->line + t->linelen - keep, keep);
                t->linelen = keep;
                continue;
            }
            memcpy(t->line + t->linelen, p, k);
            t->linelen += k;
            t->line[t->linelen] = '\0';
            p += k;
            n -= k;
            seg -= k;
            if (strstr(t->line, t->ready_arg)) {
                t->ready_seen = 1;
                return;
            }
            if (seg == 0)
                break;
        }
        if (nl) {
            t->linelen = 0;
            p++;
            n--;
        }
    }
}

/* Read what *fd holds now into its tail; close it at EOF. */
static void drain_fd(struct target *t, int *fd, int is_stdout)
{
    char buf[4096];
    ssize_t r;

    while (*fd >= 0) {
        r = read(*fd, buf, sizeof buf);
        if (r > 0) {
            pthread_mutex_lock(&t->lock);
            tail_add(is_stdout ? &t->out : &t->err, buf, (size_t)r);
            if (is_stdout)
                scan_stdout(t, buf, (size_t)r);
            pthread_mutex_unlock(&t->lock);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            close(*fd);
            *fd = -1;
        }
        break;
    }
}

/* A wait status from what waitid reports. */
static int wait_status(const siginfo_t *si)
{
    if (si->si_code == CLD_EXITED)
        return (si->si_status & 0xff) << 8;
    return (si->si_status & 0x7f) | (si->si_code == CLD_DUMPED ? 0x80 : 0);
}

static void *drain_main(void *arg)
{
    struct target *t = arg;

    for (;;) {
        struct pollfd p[3];
        nfds_t n = 0;
        siginfo_t si;
        int quit, gone = 0, i;

        p[n].fd = t->wake[0];
        p[n++].events = POLLIN;
        if (t->out_fd >= 0) {
            p[n].fd = t->out_fd;
            p[n++].events = POLLIN;
        }
        if (t->err_fd >= 0) {
            p[n].fd = t->err_fd;
            p[n++].events = POLLIN;
        }
        if (poll(p, n, TICK_MS) > 0 && p[0].revents) {
            char sink[64];
            while (read(t->wake[0], sink, sizeof sink) > 0)
                ;
        }
        for (i = 1; i < (int)n; i++)
            if (p[i].revents)
                drain_fd(t, p[i].fd == t->out_fd ? &t->out_fd : &t->err_fd, p[i].fd == t->out_fd);
        /* Its exit, without reaping it (target.h says why). */
        memset(&si, 0, sizeof si);
        if (!t->exited && waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            si.si_pid == t->pid) {
            /* Its last words are in the pipes now: take them first. */
            drain_fd(t, &t->out_fd, 1);
            drain_fd(t, &t->err_fd, 0);
            gone = 1;
        }
        pthread_mutex_lock(&t->lock);
        if (gone) {
            t->exited = 1;
            t->status = wait_status(&si);
        }
        if (t->notify && (t->exited || (t->interrupt && *t->interrupt)))
            *t->notify = 1;
        quit = t->quit;
        pthread_mutex_unlock(&t->lock);
        if (quit) {
            drain_fd(t, &t->out_fd, 1);
            drain_fd(t, &t->err_fd, 0);
            return NULL;
        }
    }
}

/* ---- starting ---------------------------------------------------------------- */

/* Whether "NAME=VALUE" entry s is named in v (NULL-terminated, or NULL). */
static int env_named(const char *s, char *const *v)
{
    size_t len = strcspn(s, "=");

    for (; v && *v; v++)
        if (!strncmp(*v, s, len) && (*v)[len] == '=')
            return 1;
    return 0;
}

/* pacer's environment with the "NAME=VALUE" entries of add on top, and
 * those of over on top of both: a new array of borrowed strings. */
static char **build_env(char *const *add, char *const *over, char *mark)
{
    size_t n = 0, k = 0, m = 0, i;
    char **env;

    while (environ && environ[n])
        n++;
    while (add && add[k])
        k++;
    while (over && over[m])
        m++;
    env = calloc(n + k + m + 2, sizeof *env);
    if (!env)
        return NULL;
    for (i = 0, n = 0; environ && environ[i]; i++)
        if (!env_named(environ[i], add) && !env_named(environ[i], over) &&
            strncmp(environ[i], "PACER_TARGET=", 13) != 0)
            env[n++] = environ[i];
    for (i = 0; i < k; i++)
        if (!env_named(add[i], over))
            env[n++] = add[i];
    for (i = 0; i < m; i++)
        env[n++] = over[i];
    env[n++] = mark;
    return env;
}

/* Whether process pid carries mark in its environment. */
static int carries_mark(const char *pid, const char *mark)
{
    char path[64], buf[8192];
    size_t mlen = strlen(mark) + 1, off = 0;
    ssize_t n;
    int fd, found = 0;

    snprintf(path, sizeof path, "/proc/%s/environ", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    /* NUL-separated entries; the mark is looked for whole */
    while (!found && (n = read(fd, buf + off, sizeof buf - 1 - off)) > 0) {
        size_t len = off + (size_t)n, start = 0, i;
        for (i = 0; i < len; i++)
            if (buf[i] == '\0') {
                if (i - start + 1 == mlen && !memcmp(buf + start, mark, mlen))
                    found = 1;
                start = i + 1;
            }
        off = len - start;   /* an entry cut by the buffer */
        memmove(buf, buf + start, off);
        if (off >= sizeof buf - 1)
            off = 0;         /* longer than any mark: drop it */
    }
    close(fd);
    return found;
}

/* Kill every process that carries the target's mark (what left its
 * process group, in a session of its own or a double fork), and reap
 * those that are pacer's children (reparented to it as a subreaper). */
static void kill_marked(const struct target *t)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    pid_t self = getpid();

    if (!d)
        return;
    while ((de = readdir(d))) {
        pid_t pid;
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        pid = (pid_t)atol(de->d_name);
        /* the leader is reaped by target_stop, which wants its status */
        if (pid == self || pid == t->pid || !carries_mark(de->d_name, t->mark))
            continue;
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;   /* ECHILD when it is not pacer's: init reaps it */
    }
    closedir(d);
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Close every descriptor from lo up except keep (in the child, before exec:
 * a server must not hold pacer's files or pipes open). */
static void close_from(int lo, int keep)
{
    int fd, max = (int)sysconf(_SC_OPEN_MAX);

    if ((keep <= lo || syscall(SYS_close_range, (unsigned)lo, (unsigned)keep - 1, 0) == 0) &&
        syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0) == 0)
        return;
    if (max < 0 || max > 65536)
        max = 65536;
    for (fd = lo; fd < max; fd++)
        if (fd != keep)
            close(fd);
}

static void close_pair(int p[2])
{
    if (p[0] >= 0)
        close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
    p[0] = p[1] = -1;
}

/* The child, from fork to exec (only async-signal-safe calls): its own
 * process group, death with pacer, default signals, stdin from /dev/null,
 * stdout and stderr to the pipes, no other descriptor, cwd, exec.  What
 * failed goes up the exec pipe as {stage, errno}. */
static void __attribute__((noreturn)) exec_child(const struct target_opts *o, char **env,
                                                 const int outp[2], const int errp[2],
                                                 const int exe[2], pid_t parent)
{
    int dn = open("/dev/null", O_RDONLY), rep[2];
    sigset_t none;

    setpgid(0, 0);
    /* Should pacer itself die (a crash, SIGKILL), the server dies with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    rep[0] = 0;
    if (dn < 0 || dup2(dn, 0) < 0 || dup2(outp[1], 1) < 0 || dup2(errp[1], 2) < 0)
        rep[1] = errno;
    else {
        close_from(3, exe[1]);
        rep[0] = 1;
        if (o->cwd && chdir(o->cwd) < 0)
            rep[1] = errno;
        else {
            rep[0] = 2;
            execvpe(o->argv[0], o->argv, env);
            rep[1] = errno;
        }
    }
    if (write(exe[1], rep, sizeof rep) < 0)
        _exit(127);
    _exit(127);
}

/* What the exec pipe says: 0 when it closed (the exec succeeded), else -1
 * with the cause in e and the child reaped. */
static int exec_result(pid_t pid, int exe_fd, const struct target_opts *o, struct err *e)
{
    int report[2] = {0, 0};
    ssize_t r;

    do
        r = read(exe_fd, report, sizeof report);
    while (r < 0 && errno == EINTR);
    if (r != (ssize_t)sizeof report)
        return 0;
    /* The exec failed: it reported why and exits. */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    if (report[0] == 1)
        return err_set(e, "cannot enter %s: %s", o->cwd, strerror(report[1]));
    if (report[0] == 2)
        return err_set(e, "cannot run %s: %s", o->argv[0], strerror(report[1]));
    return err_set(e, "cannot set up its standard streams: %s", strerror(report[1]));
}

/* Start the drain thread; when it cannot start, the target is killed and
 * reaped. */
static int start_thread(struct target *t, struct err *e)
{
    pid_t pid = t->pid;

    if (pthread_create(&t->thread, NULL, drain_main, t) != 0) {
        err_set(e, "cannot start the thread that reads its output");
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        t->reaped = 1;
        t->pid = -1;
        return -1;
    }
    t->thread_started = 1;
    return 0;
}

/* t as target_stop can release it, with o's settings. */
static void target_init(struct target *t, const struct target_opts *o)
{
    memset(t, 0, sizeof *t);
    t->pid = -1;
    t->out_fd = t->err_fd = t->wake[0] = t->wake[1] = -1;
    t->reaped = 1;
    t->port = o->port;
    t->ready = o->ready;
    t->ready_arg = o->ready_arg;
    t->ready_timeout_ns = o->ready_timeout_ns;
    t->stop_timeout_ns = o->stop_timeout_ns;
    pthread_mutex_init(&t->lock, NULL);
}

int target_start(struct target *t, const struct target_opts *o, struct err *e)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, exe[2] = {-1, -1};
    char **env = NULL;
    pid_t pid, parent;

    target_init(t, o);
    snprintf(t->mark, sizeof t->mark, "PACER_TARGET=%ld.%u", (long)getpid(), ++targets_started);
    prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0);
    t->name = strdup(o->name ? o->name : o->argv[0]);
    t->line = malloc(LINE_CAP);
    env = build_env(o->env, o->env_over, t->mark);
    if (!t->name || !t->line || !env) {
        err_set(e, "out of memory");
        goto fail;
    }
    if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(exe, O_CLOEXEC) < 0 ||
        pipe2(t->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        err_set(e, "pipe: %s", strerror(errno));
        goto fail;
    }
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        err_set(e, "fork: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0)
        exec_child(o, env, outp, errp, exe, parent);
    setpgid(pid, pid);
    free(env);
    env = NULL;
    close(outp[1]);
    close(errp[1]);
    close(exe[1]);
    outp[1] = errp[1] = exe[1] = -1;
    if (exec_result(pid, exe[0], o, e) < 0)
        goto fail;
    close_pair(exe);
    t->pid = pid;
    t->reaped = 0;
    t->out_fd = outp[0];
    t->err_fd = errp[0];
    outp[0] = errp[0] = -1;
    set_nonblock(t->out_fd);
    set_nonblock(t->err_fd);
    if (start_thread(t, e) < 0)
        goto fail;
    return 0;
fail:
    free(env);
    close_pair(outp);
    close_pair(errp);
    close_pair(exe);
    target_stop(t);
    return -1;
}

/* ---- readiness ----------------------------------------------------------------- */

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL)};

    nanosleep(&ts, NULL);
}

/* A connected socket to 127.0.0.1:port within timeout_ns, or -1 with the
 * cause in why. */
static int probe_connect(int port, uint64_t timeout_ns, char *why, size_t len)
{
    struct sockaddr_in a;
    struct pollfd p;
    socklen_t sl = sizeof(int);
    int fd, soerr = 0;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(why, len, "socket: %s", strerror(errno));
        return -1;
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        snprintf(why, len, "connect: %s", strerror(errno));
        close(fd);
        return -1;
    }
    p.fd = fd;
    p.events = POLLOUT;
    if (poll(&p, 1, (int)(timeout_ns / 1000000) + 1) <= 0) {
        snprintf(why, len, "connect: timed out");
        close(fd);
        return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
        snprintf(why, len, "connect: %s", strerror(soerr ? soerr : errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The status code of GET path, or -1 with the cause in why. */
static int probe_http(int port, const char *path, uint64_t timeout_ns, char *why, size_t len)
{
    uint64_t deadline = clock_now_ns() + timeout_ns;
    char req[1024], ans[64];
    size_t got = 0;
    int fd = probe_connect(port, timeout_ns, why, len), n, code = -1;

    if (fd < 0)
        return -1;
    n = snprintf(req, sizeof req,
                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", path,
                 port);
    if (n < 0 || (size_t)n >= sizeof req || send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        snprintf(why, len, "could not send the request");
        close(fd);
        return -1;
    }
    while (got < sizeof ans - 1 && !memchr(ans, '\n', got)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        uint64_t now = clock_now_ns();
        ssize_t r;
        if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000000) + 1) <= 0) {
            snprintf(why, len, "no answer to GET %s", path);
            break;
        }
        r = recv(fd, ans + got, sizeof ans - 1 - got, 0);
        if (r <= 0) {
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            break;
        }
        got += (size_t)r;
    }
    ans[got] = '\0';
    if (!strncmp(ans, "HTTP/1.", 7) && got >= 12 && ans[8] == ' ' &&
        sscanf(ans + 9, "%3d", &code) == 1)
        snprintf(why, len, "GET %s answered %d", path, code);
    else if (got)
        snprintf(why, len, "GET %s: not an HTTP answer", path);
    else if (!*why)
        snprintf(why, len, "GET %s: closed without an answer", path);
    close(fd);
    return code;
}

enum target_wait target_wait_ready(struct target *t, const volatile int *interrupt,
                                   struct err *e)
{
    uint64_t deadline = clock_now_ns() + t->ready_timeout_ns;
    char why[160] = "";
    int status, answered = 0;

    for (;;) {
        uint64_t now, left;
        int fd, code;
        if (target_exited(t, &status)) {
            char how[96];
            child_describe_status(status, how, sizeof how);
            err_set(e, "%s before it was ready", how);
            return TARGET_EXITED;
        }
        if (interrupt && *interrupt) {
            err_set(e, "interrupted");
            return TARGET_INTERRUPTED;
        }
        now = clock_now_ns();
        if (now >= deadline) {
            err_set(e, "not ready after %gs%s%s%s", (double)t->ready_timeout_ns / 1e9,
                    *why ? " (" : "", why, *why ? ")" : "");
            return TARGET_TIMEOUT;
        }
        left = deadline - now < PROBE_TIMEOUT_NS ? deadline - now : PROBE_TIMEOUT_NS;
        switch (t->ready) {
        case READY_TCP:
            fd = probe_connect(t->port, left, why, sizeof why);
            if (fd >= 0) {
                close(fd);
                return TARGET_READY;
            }
            break;
        case READY_HTTP: {
            char last[sizeof why] = "";
            code = probe_http(t->port, t->ready_arg, left, last, sizeof last);
            if (code >= 200 && code < 400)
                return TARGET_READY;
            /* an answer says more than a later probe cut short by the
             * deadline: keep the last answer's status */
            if (code > 0 || !answered)
                snprintf(why, sizeof why, "%s", last);
            answered |= code > 0;
            break;
        }
        case READY_STDOUT:
            pthread_mutex_lock(&t->lock);
            code = t->ready_seen;
            pthread_mutex_unlock(&t->lock);
            if (code)
                return TARGET_READY;
            snprintf(why, sizeof why, "no line with \"%.100s\" on its stdout", t->ready_arg);
            break;
        }
        now = clock_now_ns();
        if (now < deadline)
            sleep_ns(deadline - now < PROBE_EVERY_NS ? deadline - now : PROBE_EVERY_NS);
    }
}

/* ---- watching and stopping -------------------------------------------------- */

void target_link(struct target *t, volatile int *flag, const volatile int *interrupt)
{
    pthread_mutex_lock(&t->lock);
    t->notify = flag;
    t->interrupt = interrupt;
    if (flag && (t->exited || (interrupt && *interrupt)))
        *flag = 1;
    pthread_mutex_unlock(&t->lock);
}

void target_unlink(struct target *t)
{
    target_link(t, NULL, NULL);
}

int target_exited(struct target *t, int *status)
{
    int ex;

    if (!t->thread_started)
        ex = t->exited;
    else {
        pthread_mutex_lock(&t->lock);
        ex = t->exited;
        pthread_mutex_unlock(&t->lock);
    }
    if (ex && status)
        *status = t->status;
    return ex;
}

int target_stop(struct target *t)
{
    int rc = 2, st;

    if (t->pid > 0 && !t->reaped) {
        if (!target_exited(t, NULL)) {
            uint64_t deadline = clock_now_ns() + t->stop_timeout_ns;
            rc = 1;
            kill(-t->pid, SIGTERM);
            while (clock_now_ns() < deadline) {
                if (target_exited(t, NULL)) {
                    rc = 0;
                    break;
                }
                sleep_ns(2000000);
            }
        }
        /* The leader is alive or a zombie, so the group id is still its
         * own: this reaches what it left behind, and nothing else. */
        kill(-t->pid, SIGKILL);
        kill(t->pid, SIGKILL);
    }
    if (t->mark[0])
        kill_marked(t);   /* and what left the group */
    if (t->thread_started) {
        pthread_mutex_lock(&t->lock);
        t->quit = 1;
        pthread_mutex_unlock(&t->lock);
        if (write(t->wake[1], "q", 1) < 0) {
            /* the thread wakes within a tick anyway */
        }
        pthread_join(t->thread, NULL);
        t->thread_started = 0;
    }
    if (t->pid > 0 && !t->reaped) {
        while (waitpid(t->pid, &st, 0) < 0 && errno == EINTR)
            ;
        t->status = st;
        t->exited = 1;
        t->reaped = 1;
    }
    if (t->out_fd >= 0)
        close(t->out_fd);
    if (t->err_fd >= 0)
        close(t->err_fd);
    close_pair(t->wake);
    t->out_fd = t->err_fd = -1;
    free(t->line);
    t->line = NULL;
    free(t->name);
    t->name = NULL;
    return rc;
}

static char *tail_copy(struct target *t, const struct tail *tl)
{
    char *s;

    if (t->thread_started)
        pthread_mutex_lock(&t->lock);
    s = tail_text(tl);
    if (t->thread_started)
        pthread_mutex_unlock(&t->lock);
    return s;
}

char *target_stderr_tail(struct target *t)
{
    return tail_copy(t, &t->err);
}

char *target_stdout_tail(struct target *t)
{
    return tail_copy(t, &t->out);
}

/* 1 when port p on 127.0.0.1 can be bound now (no SO_REUSEADDR: a port
 * with connections in TIME_WAIT counts as taken), 0 when it cannot, -1
 * with errno when no socket could be made. */
static int port_bindable(int p, int *got)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)p);
    ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
         getsockname(fd, (struct sockaddr *)&a, &len) == 0;
    if (ok && got)
        *got = ntohs(a.sin_port);
    close(fd);
    return ok;
}

int target_port_taken(int port)
{
    return port_bindable(port, NULL) == 0;
}

/* The lowest port the kernel gives to the local end of outgoing
 * connections (net.ipv4.ip_local_port_range), 32768 when unreadable. */
static int ephemeral_low(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
    int lo = 32768, hi;

    if (f) {
        if (fscanf(f, "%d %d", &lo, &hi) != 2)
            lo = 32768;
        fclose(f);
    }
    return lo;
}

int target_free_port(struct err *e)
{
    int lo = ephemeral_low(), base = 16384, port = -1, i, r;
    uint64_t x = clock_now_ns() ^ ((uint64_t)getpid() << 32);

    /* Below the ephemeral range no outgoing connection (of this run's
     * load or anyone's) can be given the port between this check and the
     * target's bind; a random pick keeps parallel runs apart. */
    for (i = 0; lo - base >= 1024 && i < 64; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        port = base + (int)((x >> 33) % (uint64_t)(lo - base));
        if ((r = port_bindable(port, NULL)) == 1)
            return port;
        if (r < 0)
            return err_set(e, "socket: %s", strerror(errno));
    }
    if ((r = port_bindable(0, &port)) == 1)
        return port;
    return err_set(e, "cannot find a free port: %s", strerror(errno));
}
