/* srvprof.c: a server's profile for a load run's window (srvprof.h). */
#include "srvprof.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "harness/result/jsonread.h"
#include "harness/run/tmpfiles.h"

#define PERF "perf"

/* Whether pid runs Python (its executable's name starts with python). */
static int is_python(pid_t pid)
{
    char link[64], exe[4096];
    const char *base;
    ssize_t n;

    snprintf(link, sizeof link, "/proc/%ld/exe", (long)pid);
    if ((n = readlink(link, exe, sizeof exe - 1)) < 0)
        return 0;
    exe[n] = '\0';
    base = strrchr(exe, '/');
    return !strncmp(base ? base + 1 : exe, "python", 6);
}

/* Whether pid catches or ignores both SIGUSR1 and SIGUSR2 (SigCgt and
 * SigIgn of /proc/PID/status, bit N-1 for signal N): only then may they be
 * sent, as their default action ends a process. */
static int handles_usr(pid_t pid)
{
    unsigned long long cgt = 0, ign = 0, want = (1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGUSR2 - 1));
    char path[64], line[256];
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    if (!(f = fopen(path, "r")))
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "SigCgt:", 7))
            cgt = strtoull(line + 7, NULL, 16);
        else if (!strncmp(line, "SigIgn:", 7))
            ign = strtoull(line + 7, NULL, 16);
    }
    fclose(f);
    return ((cgt | ign) & want) == want;
}

int srvprof_init(struct srvprof *sp, pid_t pid, struct err *e)
{
    memset(sp, 0, sizeof *sp);
    sp->ctl = sp->ack = -1;
    sp->pid = pid;
    if (kill(pid, 0) < 0)
        return err_set(e, "no process %ld", (long)pid);
    if (is_python(pid)) {
        if (handles_usr(pid))
            return 0;
        sp->pid = 0;
        return err_set(e, "process %ld is Python without its profiler (it does not handle "
                          "SIGUSR1, which would end it): start it with aio.py --profile, or "
                          "PACER_PROFILE=sample in its environment", (long)pid);
    }
    if (system(PERF " --version >/dev/null 2>&1") != 0)
        return err_set(e, "process %ld is not Python (which profiles itself): it needs perf "
                          "record, and perf does not run here (Debian's package linux-perf)",
                       (long)pid);
    sp->perf = 1;
    return tmp_file_make(sp->data, sizeof sp->data, "pacer-perf", e);
}

/* perf record on the server (with control FIFOs ctl and ack and its
 * events off, when ctl is not NULL): its pid, or 0. */
static pid_t perf_fork(const struct srvprof *sp, const char *ctl, const char *ack)
{
    char pid[32], control[8500];
    pid_t p;

    snprintf(pid, sizeof pid, "%ld", (long)sp->pid);
    snprintf(control, sizeof control, "fifo:%s,%s", ctl ? ctl : "", ack ? ack : "");
    p = fork();
    if (p == 0) {
        int dn = open("/dev/null", O_RDWR);
        if (dn >= 0) {
            dup2(dn, 0);
            dup2(dn, 1);
            dup2(dn, 2);
        }
        if (ctl)
            execlp(PERF, PERF, "record", "-q", "-D", "-1", "--control", control, "-e",
                   "cpu-clock", "-F", "999", "--call-graph", "dwarf,8192", "-p", pid, "-o",
                   sp->data, (char *)NULL);
        else
            execlp(PERF, PERF, "record", "-q", "-e", "cpu-clock", "-F", "999", "--call-graph",
                   "dwarf,8192", "-p", pid, "-o", sp->data, (char *)NULL);
        _exit(127);
    }
    return p > 0 ? p : 0;
}

static void fifo_names(const struct srvprof *sp, char *ctl, char *ack, size_t len)
{
    snprintf(ctl, len, "%s.ctl", sp->data);
    snprintf(ack, len, "%s.ack", sp->data);
}

/* A command to an armed perf, and its "ack" awaited (up to ms): 0, or -1. */
static int perf_say(struct srvprof *sp, const char *cmd, int ms)
{
    struct pollfd pf = {sp->ack, POLLIN, 0};
    char buf[16];

    if (write(sp->ctl, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
        return -1;
    if (poll(&pf, 1, ms) != 1 || read(sp->ack, buf, sizeof buf) <= 0)
        return -1;
    return 0;
}

static void disarm(struct srvprof *sp)
{
    char ctl[4300], ack[4300];

    if (sp->ctl >= 0)
        close(sp->ctl);
    if (sp->ack >= 0)
        close(sp->ack);
    sp->ctl = sp->ack = -1;
    fifo_names(sp, ctl, ack, sizeof ctl);
    unlink(ctl);
    unlink(ack);
}

/* perf record ended (SIGINT: it writes its file and exits). */
static void perf_stop(struct srvprof *sp)
{
    int st;

    if (sp->perf_pid > 0) {
        kill(sp->perf_pid, SIGINT);
        waitpid(sp->perf_pid, &st, 0);
        sp->perf_pid = 0;
    }
}

void srvprof_arm(struct srvprof *sp)
{
    char ctl[4300], ack[4300];
    int i, st;

    if (sp->pid <= 0 || !sp->perf || sp->perf_pid > 0)
        return;
    fifo_names(sp, ctl, ack, sizeof ctl);
    unlink(ctl);
    unlink(ack);
    if (mkfifo(ctl, 0600) < 0 || mkfifo(ack, 0600) < 0 ||
        (sp->ack = open(ack, O_RDWR | O_CLOEXEC)) < 0 ||
        !(sp->perf_pid = perf_fork(sp, ctl, ack))) {
        disarm(sp);
        return;
    }
    /* ready once it reads its control FIFO: up to 5 s */
    for (i = 0; i < 500 && (sp->ctl = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0; i++) {
        if (waitpid(sp->perf_pid, &st, WNOHANG) == sp->perf_pid) {
            sp->perf_pid = 0;
            break;
        }
        usleep(10000);
    }
    /* it opens the FIFO early and reads the system's symbols and the
     * server's maps before it reads commands: ready once it answers one
     * (its events are off already), up to 10 s */
    if (sp->ctl < 0 || perf_say(sp, "disable\n", 10000) < 0) {
        perf_stop(sp);
        disarm(sp);
    }
}

void srvprof_start(void *arg)
{
    struct srvprof *sp = arg;

    if (sp->pid <= 0)
        return;
    if (!sp->perf) {
        kill(sp->pid, SIGUSR1);
        return;
    }
    if (sp->ctl >= 0 && perf_say(sp, "enable\n", 2000) == 0)
        return;
    if (sp->ctl >= 0) {   /* armed, but it did not answer: started afresh */
        perf_stop(sp);
        disarm(sp);
    }
    sp->perf_pid = perf_fork(sp, NULL, NULL);
}

void srvprof_end(void *arg)
{
    struct srvprof *sp = arg;

    if (sp->pid <= 0)
        return;
    if (!sp->perf) {
        kill(sp->pid, SIGUSR2);
        return;
    }
    if (sp->ctl >= 0)
        perf_say(sp, "disable\n", 2000);
    perf_stop(sp);
    disarm(sp);
}

struct sample {
    char *stack;                  /* leaf'...'root */
    double us;
};

static int by_stack(const void *a, const void *b)
{
    return strcmp(((const struct sample *)a)->stack, ((const struct sample *)b)->stack);
}

/* perf script's "PERIOD" lines, each followed by its frames ("\tADDR SYM
 * (DSO)", leaf first) and a blank line, into samples. */
static int read_samples(FILE *in, struct sample **out, size_t *n)
{
    char line[8192], stack[16384];
    size_t cap = 0, o = 0;
    double period = -1;

    *out = NULL;
    *n = 0;
    stack[0] = '\0';
    for (;;) {
        char *got = fgets(line, sizeof line, in);
        if (!got || line[0] == '\n') {
            if (period >= 0 && stack[0]) {
                if (*n == cap) {
                    struct sample *ns;
                    cap = cap ? 2 * cap : 1024;
                    if (!(ns = realloc(*out, cap * sizeof *ns)))
                        return -1;
                    *out = ns;
                }
                if (!((*out)[*n].stack = strdup(stack)))
                    return -1;
                (*out)[(*n)++].us = period / 1000;
            }
            period = -1;
            stack[0] = '\0';
            o = 0;
            if (!got)
                return 0;
            continue;
        }
        line[strcspn(line, "\n")] = '\0';
        if (line[0] != '\t') {
            period = strtod(line, NULL);
            continue;
        }
        {
            /* "\t    ADDR SYM (DSO)": SYM, or [unknown] (DSO) */
            char *p = line + strspn(line, "\t "), *sym = p + strcspn(p, " "), *c;
            sym += strspn(sym, " ");
            for (c = sym; *c; c++)
                if (*c == '\'')
                    *c = '`';
            if (!strncmp(sym, "[unknown]", 9))
                ;   /* keep its DSO: "[unknown] (libc.so.6)" */
            else
                sym[strcspn(sym, " ")] = '\0';
            o += (size_t)snprintf(stack + o, o < sizeof stack ? sizeof stack - o : 0, "%s%s",
                                  o ? "'" : "", sym);
            if (o >= sizeof stack)
                o = sizeof stack - 1;
        }
    }
}

/* The samples of perf's data as a profile file at dest (event "us",
 * iters = requests). */
static int perf_to_profile(struct srvprof *sp, uint64_t requests, const char *dest)
{
    char cmd[4400];
    struct sample *s;
    size_t n, i;
    double total = 0;
    FILE *in, *out;
    int rc;

    snprintf(cmd, sizeof cmd, PERF " script -i '%s' -F period,ip,sym,dso 2>/dev/null", sp->data);
    if (!(in = popen(cmd, "r")))
        return -1;
    rc = read_samples(in, &s, &n);
    pclose(in);
    if (rc < 0 || n == 0 || !(out = fopen(dest, "w"))) {
        for (i = 0; i < n; i++)
            free(s[i].stack);
        free(s);
        return -1;
    }
    qsort(s, n, sizeof *s, by_stack);
    for (i = 0; i < n; i++)
        total += s[i].us;
    fprintf(out, "# callgrind format\nversion: 1\ncreator: pacer (perf record, cpu-clock)\n"
                 "pid: %ld\ndesc: Trigger: pacer profile iters=%llu\npositions: line\n"
                 "events: us\nsummary: %.0f\n\n", (long)sp->pid,
            (unsigned long long)(requests ? requests : 1), total);
    for (i = 0; i < n;) {
        size_t k = i;
        double us = 0;
        while (k < n && !strcmp(s[k].stack, s[i].stack))
            us += s[k++].us;
        fprintf(out, "fn=%s\n0 %.0f\n\n", s[i].stack, us);
        i = k;
    }
    for (i = 0; i < n; i++)
        free(s[i].stack);
    free(s);
    return fclose(out) == 0 ? 0 : -1;
}

/* What a warning about sp starts with. */
static const char *who(const struct srvprof *sp, char *buf, size_t len)
{
    if (sp->who)
        return sp->who;
    snprintf(buf, len, "load: --profile-pid %ld", (long)sp->pid);
    return buf;
}

/* Where a Python server writes its profile on SIGUSR2
 * (suites/targets/pyprofile.py). */
static void python_file(pid_t pid, char *buf, size_t len)
{
    const char *t = getenv("TMPDIR");

    snprintf(buf, len, "%s/pacer-profile-%ld.callgrind", t && *t ? t : "/tmp", (long)pid);
}

/* A Python server's own profile of the window: wait (up to 5 s) for the
 * file it writes on SIGUSR2, take it, and set its costs per request. */
static int python_fetch(struct srvprof *sp, uint64_t requests, char *dest, size_t len)
{
    char from[4200], w[64], *text, *at, *s;
    struct err e = {0};
    size_t n;
    int i;
    FILE *f;

    python_file(sp->pid, from, sizeof from);
    for (i = 0; i < 500 && access(from, F_OK) != 0; i++)
        usleep(10000);   /* the server writes it on SIGUSR2: up to 5 s */
    if (jr_read_file(from, &text, &n, &e) < 0) {
        warn_msg("%s: no profile from the server (%s): was it started with its profiler "
                 "(aio.py --profile)?", who(sp, w, sizeof w), from);
        return -1;
    }
    unlink(from);
    if (tmp_file_make(dest, len, "pacer-server-profile", &e) < 0 || !(f = fopen(dest, "w"))) {
        warn_msg("%s: cannot keep the server's profile: %s", who(sp, w, sizeof w),
                 e.set ? e.msg : strerror(errno));
        free(text);
        return -1;
    }
    /* costs per request: the server counted the whole window */
    s = text;
    if ((at = memmem(text, n, "iters=1\n", 8))) {
        fwrite(text, 1, (size_t)(at - text), f);
        fprintf(f, "iters=%llu\n", (unsigned long long)(requests ? requests : 1));
        s = at + 8;
    }
    fwrite(s, 1, n - (size_t)(s - text), f);
    free(text);
    if (fclose(f) != 0) {
        unlink(dest);
        return -1;
    }
    return 0;
}

int srvprof_fetch(struct srvprof *sp, uint64_t requests, char *dest, size_t len)
{
    struct err e = {0};
    char w[64];

    if (!sp->perf)
        return python_fetch(sp, requests, dest, len);
    if (tmp_file_make(dest, len, "pacer-server-profile", &e) < 0) {
        warn_msg("%s: cannot keep the server's profile: %s", who(sp, w, sizeof w), e.msg);
        return -1;
    }
    if (perf_to_profile(sp, requests, dest) < 0) {
        unlink(dest);
        warn_msg("%s: perf recorded no samples of it in the window", who(sp, w, sizeof w));
        return -1;
    }
    return 0;
}

void srvprof_free(struct srvprof *sp)
{
    if (sp->perf)
        srvprof_end(sp);      /* a perf record still running */
    if (sp->data[0]) {
        char old[4300];
        unlink(sp->data);
        snprintf(old, sizeof old, "%s.old", sp->data);   /* perf's, of a run before */
        unlink(old);
    }
    memset(sp, 0, sizeof *sp);
    sp->ctl = sp->ack = -1;
}

void srvprof_discard(struct srvprof *sp)
{
    char path[4200];

    if (sp->pid > 0 && !sp->perf) {
        python_file(sp->pid, path, sizeof path);
        unlink(path);
    }
    srvprof_free(sp);
}
