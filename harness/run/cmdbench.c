/* cmdbench.c: command benchmarks with wait4 accounting (cmdbench.h). */
#include "cmdbench.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "cmdcount.h"
#include "harness/lib/clock.h"
#include "harness/result/series.h"
#include "words.h"

#define TAIL_BYTES 2048

void cmd_spec_free(struct cmd_spec *cs)
{
    free(cs->name);
    free(cs->line);
    free(cs->prepare);
    free(cs->cleanup);
    words_free(cs->argv);
    words_free(cs->pnames);
    words_free(cs->pvalues);
    memset(cs, 0, sizeof *cs);
}

struct run_out {
    uint64_t wall_ns, user_ns, sys_ns, maxrss_bytes;
    int status;
    int timed_out, interrupted;
    int exec_errno;        /* the command could not be started */
};

/* The last lines of what the run wrote on stderr (kept in a memfd). */
static char *fd_tail(int fd)
{
    off_t size = lseek(fd, 0, SEEK_END), from;
    char *s;
    ssize_t r;
    size_t len;

    if (size <= 0)
        return NULL;
    from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
    s = malloc((size_t)(size - from) + 1);
    if (!s)
        return NULL;
    r = pread(fd, s, (size_t)(size - from), from);
    if (r <= 0) {
        free(s);
        return NULL;
    }
    len = (size_t)r;
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    s[len] = '\0';
    if (from > 0) {
        char *nl = strchr(s, '\n');
        if (nl)
            memmove(s, nl + 1, strlen(nl + 1) + 1);
    }
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Run argv once (fork, exec, wait4 with a deadline).  errfd receives the
 * child's stderr unless show_output. */
static int run_once(char *const *argv, int show_output, int errfd, uint64_t deadline,
                    struct run_out *out)
{
    int exe[2], pidfd, child_errno = 0;
    struct rusage ru;
    uint64_t t0, t1;
    ssize_t r;
    pid_t pid, parent;

    memset(out, 0, sizeof *out);
    if (pipe2(exe, O_CLOEXEC) < 0)
        return -1;
    t0 = clock_now_ns();
    parent = getpid();
    pid = fork();
    if (pid < 0) {
        close(exe[0]);
        close(exe[1]);
        return -1;
    }
    if (pid == 0) {
        int dn = open("/dev/null", O_RDWR);
        setpgid(0, 0);
        /* should pacer end at once, so does the command */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (dn >= 0) {
            dup2(dn, 0);
            if (!show_output) {
                dup2(dn, 1);
                if (errfd >= 0)
                    dup2(errfd, 2);
                else
                    dup2(dn, 2);
            }
        }
        execvp(argv[0], argv);
        child_errno = errno;
        if (write(exe[1], &child_errno, sizeof child_errno) < 0)
            _exit(127);
        _exit(127);
    }
    setpgid(pid, pid);
    close(exe[1]);
    do
        r = read(exe[0], &child_errno, sizeof child_errno);
    while (r < 0 && errno == EINTR);
    close(exe[0]);
    if (r == (ssize_t)sizeof child_errno)
        out->exec_errno = child_errno;
    /* Wait with a deadline: poll a pidfd (Linux 5.3), then reap with wait4. */
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0) {
        for (;;) {
            struct pollfd p = {.fd = pidfd, .events = POLLIN};
            uint64_t now = clock_now_ns();
            int n;
            if (child_interrupted) {
                out->interrupted = 1;
                break;
            }
            if (now >= deadline) {
                out->timed_out = 1;
                break;
            }
            n = poll(&p, 1, (int)((deadline - now + 999999) / 1000000));
            if (n > 0)
                break;
        }
        close(pidfd);
        if (out->timed_out || out->interrupted) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
    while (wait4(pid, &out->status, 0, &ru) < 0) {
        if (errno != EINTR)
            return -1;
    }
    t1 = clock_now_ns();
    kill(-pid, SIGKILL);   /* whatever it left in its group */
    out->wall_ns = t1 - t0;
    out->user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000u +
                   (uint64_t)ru.ru_utime.tv_usec * 1000u;
    out->sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000u +
                  (uint64_t)ru.ru_stime.tv_usec * 1000u;
    out->maxrss_bytes = (uint64_t)ru.ru_maxrss * 1024u;
    return 0;
}

/* Run a helper command (prepare, cleanup) through the shell; 0 if it
 * exited 0, else -1 with the reason. */
static int run_helper(const char *what, const char *line, int errfd, uint64_t deadline,
                      struct bench *b)
{
    char *argv[] = {"/bin/sh", "-c", (char *)line, NULL};
    struct run_out ro;
    char how[96];
    struct bench_error *be;

    if (run_once(argv, 0, errfd, deadline, &ro) < 0) {
        bench_set_error(b, "%s command: %s", what, strerror(errno));
        return -1;
    }
    if (!ro.timed_out && !ro.interrupted && WIFEXITED(ro.status) && WEXITSTATUS(ro.status) == 0)
        return 0;
    if (ro.timed_out)
        snprintf(how, sizeof how, "timed out");
    else if (ro.interrupted)
        snprintf(how, sizeof how, "interrupted");
    else
        child_describe_status(ro.status, how, sizeof how);
    be = bench_set_error(b, "%s command '%s' %s", what, line, how);
    if (be && errfd >= 0)
        be->stderr_tail = fd_tail(errfd);
    return -1;
}

#define MAX_RUNS 100000u

/* A command being measured: its spec, argv and bench, and the samples so
 * far (one benchmark, or one side of a pair). */
struct cmdrun {
    const struct cmd_spec *cs;
    char **argv;
    struct bench *b;
    struct series wall, user, sys, rss;
    struct cmdcount *cc;          /* --mode instructions: the counted runs */
    struct series cyc;            /* their estimated cycles */
    char *sh_argv[4];             /* /bin/sh -c LINE (shell commands) */
};

/* Name b (suite/name) as a command benchmark and make the argv: 0, or -1
 * with b's error recorded. */
static int cmdrun_argv(struct cmdrun *cr, const struct cmd_spec *cs, struct bench *b);

/* --mode instructions: every run under callgrind (cmdcount.h). */
static int cmdrun_counted(struct cmdrun *cr, struct bench *b)
{
    struct err e = {0};

    if (!(cr->cc = calloc(1, sizeof *cr->cc)) ||
        cmdcount_wrap(cr->cc, cr->cs->shell ? cr->sh_argv : cr->argv, &e) < 0) {
        bench_set_error(b, "%s", e.set ? e.msg : "out of memory");
        return -1;
    }
    free(b->unit);
    b->unit = strdup("instr");
    return 0;
}

static int cmdrun_init(struct cmdrun *cr, const struct cmd_spec *cs, struct bench *b,
                       const char *suite, const char *name, const struct settings *set)
{
    size_t len = strlen(suite) + strlen(name) + 2;

    memset(cr, 0, sizeof *cr);
    cr->cs = cs;
    cr->b = b;
    b->name = malloc(len);
    if (b->name)
        snprintf(b->name, len, "%s/%s", suite, name);
    b->kind = KIND_COMMAND;
    b->dir = DIR_LOWER;
    b->iterations = 1;
    b->processes = 1;
    b->command = strdup(cs->line);
    for (size_t k = 0; k < cs->nparams; k++) {
        char *end;
        long long v = strtoll(cs->pvalues[k], &end, 10);
        if (*end == '\0' && end != cs->pvalues[k] ? bench_add_param_int(b, cs->pnames[k], v) < 0
                                                 : bench_add_param_str(b, cs->pnames[k],
                                                                       cs->pvalues[k]) < 0)
            return -1;
    }
    cr->sh_argv[0] = "/bin/sh";
    cr->sh_argv[1] = "-c";
    cr->sh_argv[2] = cs->line;
    if (cmdrun_argv(cr, cs, b) < 0)
        return -1;
    return set->mode == RUN_MODE_INSTRUCTIONS ? cmdrun_counted(cr, b) : 0;
}

/* cr's argv from the spec (none for a shell command). */
static int cmdrun_argv(struct cmdrun *cr, const struct cmd_spec *cs, struct bench *b)
{
    struct err e = {0};
    size_t n = 0;

    if (cs->shell)
        return 0;
    if (cs->argv) {
        while (cs->argv[n])
            n++;
        cr->argv = calloc(n + 1, sizeof *cr->argv);
        for (n = 0; cr->argv && cs->argv[n]; n++)
            cr->argv[n] = strdup(cs->argv[n]);
        if (!cr->argv)
            return bench_set_error(b, "out of memory"), -1;
        return 0;
    }
    if (words_split(cs->line, &cr->argv, &e) < 0) {
        bench_set_error(b, "command '%s': %s", cs->line, e.msg);
        return -1;
    }
    return 0;
}

/* Empty the stderr file for the next run. */
static void errfd_reset(int errfd)
{
    if (errfd >= 0 && ftruncate(errfd, 0) == 0)
        lseek(errfd, 0, SEEK_SET);
}

/* The counts of the run just made (--mode instructions), recorded when
 * record: 0, or -1 with b's error. */
static int cmdrun_count(struct cmdrun *cr, int record)
{
    struct counts c;
    struct err e = {0};

    if (cmdcount_collect(cr->cc, &c, &e) < 0)
        return bench_set_error(cr->b, "%s", e.msg), -1;
    if (record && (series_add(&cr->wall, (double)c.ir) < 0 ||
                   series_add(&cr->cyc, (double)c.cycles) < 0))
        return bench_set_error(cr->b, "out of memory"), -1;
    return 0;
}

/* Run number run (1-based, said when it times out) once after its
 * prepare, its figures recorded when record.  A failing exit is said as
 * "(in PHASE run NTH)", or "(in run NTH)" without a phase.  0 ok, -1
 * failed (error recorded), -2 interrupted. */
static int cmdrun_once(struct cmdrun *cr, int errfd, uint64_t deadline,
                       const struct settings *set, int record, unsigned run, const char *phase,
                       unsigned nth)
{
    char *const *argv = cr->cc ? cr->cc->argv : cr->cs->shell ? cr->sh_argv : cr->argv;
    struct run_out ro;
    struct bench_error *be;
    char how[96];

    errfd_reset(errfd);
    if (cr->cs->prepare && run_helper("prepare", cr->cs->prepare, errfd, deadline, cr->b) < 0)
        return -1;
    errfd_reset(errfd);
    if (run_once(argv, cr->cs->show_output, errfd, deadline, &ro) < 0)
        return bench_set_error(cr->b, "cannot run '%s': %s", cr->cs->line, strerror(errno)), -1;
    if (ro.exec_errno)
        return bench_set_error(cr->b, "cannot run '%s': %s", argv[0], strerror(ro.exec_errno)),
               -1;
    if (ro.interrupted)
        return bench_set_error(cr->b, "interrupted"), -2;
    if (ro.timed_out) {
        be = bench_set_error(cr->b, "timed out after %.3g s (in run %u)",
                             (double)set->timeout_ns / 1e9, run);
        if (be) {
            be->timed_out = 1;
            be->stderr_tail = fd_tail(errfd);
        }
        return -1;
    }
    if (!(WIFEXITED(ro.status) && WEXITSTATUS(ro.status) == 0) &&
        !(cr->cs->ignore_failure && WIFEXITED(ro.status))) {
        child_describe_status(ro.status, how, sizeof how);
        if (phase)
            be = bench_set_error(cr->b, "%s (in %s run %u)", how, phase, nth);
        else
            be = bench_set_error(cr->b, "%s (in run %u)", how, nth);
        if (be) {
            if (WIFSIGNALED(ro.status))
                be->signal = WTERMSIG(ro.status);
            else if (WIFEXITED(ro.status))
                be->exit_code = WEXITSTATUS(ro.status);
            be->stderr_tail = fd_tail(errfd);
        }
        return -1;
    }
    if (cr->cc)
        return cmdrun_count(cr, record);
    if (!record)
        return 0;
    if (series_add(&cr->wall, (double)ro.wall_ns) < 0 ||
        series_add(&cr->user, (double)ro.user_ns) < 0 ||
        series_add(&cr->sys, (double)ro.sys_ns) < 0 ||
        series_add(&cr->rss, (double)ro.maxrss_bytes) < 0)
        return bench_set_error(cr->b, "out of memory"), -1;
    return 0;
}

/* The first n runs' figures into the bench (wall time as its samples, CPU
 * and RSS as metrics) and its statistics; cr is released. */
static void cmdrun_finish(struct cmdrun *cr, size_t n, const struct settings *set)
{
    struct stats_opts so;
    struct metric *m;
    struct series *ser[3] = {&cr->user, &cr->sys, &cr->rss};
    const char *names[3] = {"user", "sys", "max_rss"}, *units[3] = {"ns", "ns", "bytes"};
    int i, counted = cr->cc != NULL;

    cr->b->samples = cr->wall.x;
    cr->b->nsamples = n;
    if (counted) {
        /* counts: the cycles beside them; CPU and RSS would be valgrind's */
        if ((m = bench_add_metric(cr->b, "cycles", "cycles", DIR_LOWER))) {
            m->samples = cr->cyc.x;
            m->nsamples = n < cr->cyc.n ? n : cr->cyc.n;
            cr->cyc.x = NULL;
        }
        free(cr->cyc.x);
        cmdcount_free(cr->cc);
        free(cr->cc);
        cr->cc = NULL;
        for (i = 0; i < 3; i++)
            free(ser[i]->x);
    }
    for (i = 0; i < 3 && !counted; i++) {
        if ((m = bench_add_metric(cr->b, names[i], units[i], DIR_LOWER))) {
            m->samples = ser[i]->x;
            m->nsamples = n < ser[i]->n ? n : ser[i]->n;
            ser[i]->x = NULL;
        }
        free(ser[i]->x);
    }
    stats_opts_default(&so);
    so.seed = set->seed;
    so.ci_level = set->ci_level;
    bench_compute_stats(cr->b, &so);
    words_free(cr->argv);
}

unsigned cmdbench_rounds(const struct settings *set)
{
    unsigned k = set->processes ? set->processes : 1;

    if (set->mode == RUN_MODE_INSTRUCTIONS || !set->samples)
        return 1;
    return k < set->samples ? k : set->samples;
}

/* One spell of runs into b: the warmup runs, then set->samples timed ones
 * (or what the budget or hyperfine's rule allows), then the cleanup when
 * last or when a run failed.  -1 only when interrupted. */
static int cmd_spell(const struct cmd_spec *cs, const char *suite, const struct settings *set,
                     int last, struct bench *b)
{
    struct cmdrun cr;
    uint64_t deadline = clock_now_ns() + set->timeout_ns, t_start;
    unsigned run, total;
    int errfd = -1, rc = 0;

    if (cmdrun_init(&cr, cs, b, suite, cs->name, set) == 0) {
        errfd = memfd_create("pacer-stderr", MFD_CLOEXEC);
        total = set->warmup_runs + (set->samples ? set->samples : MAX_RUNS);
        t_start = clock_now_ns();
        for (run = 0; run < total && rc == 0; run++) {
            int warm = run < set->warmup_runs;
            unsigned measured = run - set->warmup_runs;
            if (!warm && set->budget_ns && measured >= 2 &&
                clock_now_ns() - t_start >= set->budget_ns)
                break;
            if (!warm && !set->samples && !set->budget_ns && measured >= CMD_MIN_RUNS &&
                clock_now_ns() - t_start >= CMD_MIN_TIME_NS)
                break;   /* hyperfine's rule */
            rc = cmdrun_once(&cr, errfd, deadline, set, !warm, run + 1,
                             warm ? "warmup" : "timed", warm ? run + 1 : measured + 1);
        }
        if (cs->cleanup && rc != -2 && (last || rc != 0)) {
            errfd_reset(errfd);
            run_helper("cleanup", cs->cleanup, errfd, clock_now_ns() + set->timeout_ns, b);
        }
    }
    cmdrun_finish(&cr, cr.wall.n, set);
    if (errfd >= 0)
        close(errfd);
    return rc == -2 ? -1 : 0;
}

/* Round r's spell appended to b (rounds after the first): its runs as
 * one more group, or its error as b's. */
static int cmd_later_spell(const struct cmd_spec *cs, const char *suite,
                           const struct settings *set, int last, struct bench *b)
{
    struct bench part;
    int rc;

    memset(&part, 0, sizeof part);
    rc = cmd_spell(cs, suite, set, last, &part);
    if (part.error) {
        b->error = part.error;
        part.error = NULL;
    } else if (bench_append(b, &part) < 0)
        bench_set_error(b, "out of memory");
    else
        b->proc_samples[b->nproc_samples++] = part.nsamples;
    bench_free(&part);
    return rc;
}

int cmdbench_run(const struct cmd_spec *cs, const char *suite, const struct settings *set,
                 unsigned round, struct bench *b)
{
    unsigned k = cmdbench_rounds(set);
    struct settings share = *set;

    if (round >= k || (round > 0 && (b->error || !b->proc_samples)))
        return 0;
    if (k > 1) {   /* round r's share of the runs and of the budget */
        share.samples = set->samples / k + (round < set->samples % k);
        share.budget_ns = set->budget_ns / k;
    }
    if (round > 0)
        return cmd_later_spell(cs, suite, &share, round + 1 == k, b);
    if (cmd_spell(cs, suite, &share, k == 1, b) < 0)
        return -1;
    if (k > 1 && !b->error) {
        b->processes = k;
        if (!(b->proc_samples = calloc(k, sizeof *b->proc_samples)))
            bench_set_error(b, "out of memory");
        else
            b->proc_samples[b->nproc_samples++] = b->nsamples;
    }
    return 0;
}

int cmdbench_pairs(const struct cmd_spec *base, const struct cmd_spec *nw, const char *suite,
                   const char *name, const struct settings *set, struct bench *ba,
                   struct bench *bn)
{
    struct cmdrun sd[2];
    uint64_t deadline = clock_now_ns() + set->timeout_ns;
    unsigned k, pairs = set->samples ? set->samples : 30;
    int errfd = memfd_create("pacer-stderr", MFD_CLOEXEC), failed = -1, rc = 0, i;
    size_t n;

    cmdrun_init(&sd[0], base, ba, suite, name, set);
    cmdrun_init(&sd[1], nw, bn, suite, name, set);
    if (ba->error)
        failed = 0;
    else if (bn->error)
        failed = 1;
    for (k = 0; failed < 0 && k < set->warmup_runs * 2; k++) {
        i = (int)(k % 2);
        if ((rc = cmdrun_once(&sd[i], errfd, deadline, set, 0, k / 2 + 1, NULL, k / 2 + 1)) < 0)
            failed = i;
    }
    for (k = 0; failed < 0 && k < pairs * 2; k++) {
        /* pair k/2: base first when even, new first when odd (ABBA) */
        i = (int)((k % 2) ^ ((k / 2) % 2));
        if ((rc = cmdrun_once(&sd[i], errfd, deadline, set, 1, k / 2 + 1, NULL, k / 2 + 1)) < 0)
            failed = i;
    }
    for (i = 0; i < 2; i++)
        if (sd[i].cs->cleanup && rc != -2)
            run_helper("cleanup", sd[i].cs->cleanup, errfd, clock_now_ns() + set->timeout_ns,
                       sd[i].b);
    if (failed >= 0 && !sd[!failed].b->error)
        bench_set_error(sd[!failed].b, "its %s side failed: no pairs", failed ? "new" : "base");
    n = sd[0].wall.n < sd[1].wall.n ? sd[0].wall.n : sd[1].wall.n;
    for (i = 0; i < 2; i++)
        cmdrun_finish(&sd[i], n, set);
    if (errfd >= 0)
        close(errfd);
    return rc == -2 ? -1 : 0;
}
