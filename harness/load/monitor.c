/*
 * monitor.c: the /proc sampler of monitor.h.
 *
 * A tree is found by one scan of the stat files under /proc for parent pids
 * (one small read per process on the system), then read parents first.
 * What a tree sums:
 *
 *  - CPU: utime+stime of every process plus cutime+cstime (the time of
 *    children it has reaped), so the counter does not fall when a worker
 *    exits and its parent waits for it.  A zombie adds its CPU only.
 *  - RSS (statm), threads, open fds, rchar/wchar: over live processes; a
 *    field that one process of the tree does not let us read is -1.
 *  - context switches: summed over the threads of each process, since the
 *    counts in /proc/PID/status are those of the main thread alone; the
 *    switches of threads that have exited are lost.
 *
 * A process that vanishes while being read is skipped, and the tree is read
 * once more, so a child reaped during the read is neither lost nor counted
 * twice.  pacer's own series is pacer alone (utime+stime, no descendants):
 * the monitored server may be pacer's child.
 *
 * TCP: each descriptor of a tree that is a socket ("socket:[INODE]") gives
 * its inode; a tree's inodes, each once (forked workers share their
 * listening socket), are looked up in the TCP tables read once for the
 * sample (netstat.c).  That costs a walk of the kernel's table of
 * connections (milliseconds when it holds many TIME_WAIT) and a readlink a
 * descriptor; when a sample's TCP part takes more than a fifth of the
 * period (of the sampler's CPU) the tables are read less often, so that
 * it keeps to about a fifth of a core, and the rows between have no
 * counts (tcp.known 0).
 */
#include "monitor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "netstat.h"

#define DEFAULT_PERIOD_NS 100000000u
#define STATUS_MAX 8192

/* The fields of /proc/PID/stat that are used. */
struct proc_stat {
    char state;
    pid_t ppid;
    unsigned long long utime, stime;
    long long cutime, cstime;
    long threads;
};

/* Socket inodes of a tree's descriptors; NULL: not collected. */
struct inodes {
    uint64_t *v;
    size_t n, cap;
    uint64_t ns;              /* time spent reading descriptors for them */
};

/* A parent link found by the /proc scan. */
struct link {
    pid_t pid, ppid;
};

static int vanished(int errnum)
{
    return errnum == ENOENT || errnum == ESRCH;
}

/* Read a small file whole into buf (NUL-terminated).  Length, or -1 with
 * errno set; an empty read of a /proc file means the process is gone. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    while (len < size - 1) {
        ssize_t r = read(fd, buf + len, size - 1 - len);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int saved = errno;

            close(fd);
            errno = saved;
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    if (len == 0) {
        errno = ESRCH;
        return -1;
    }
    return (ssize_t)len;
}

/* Parse /proc/PID/stat from the last ')', since comm may hold spaces and
 * parentheses.  Fields 3 (state), 4 (ppid), 14-17 (times), 20 (threads). */
static int read_stat(pid_t pid, struct proc_stat *ps)
{
    char path[64], buf[1024];
    const char *p;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_small(path, buf, sizeof buf) < 0)
        return -1;
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 1, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %lld %lld"
                            " %*d %*d %ld",
                     &ps->state, &ps->ppid, &ps->utime, &ps->stime, &ps->cutime,
                     &ps->cstime, &ps->threads) != 7) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* The number after key at the start of a line of buf, or -1. */
static int64_t line_value(const char *buf, const char *key)
{
    size_t kl = strlen(key);
    const char *p = buf;

    while ((p = strstr(p, key)) != NULL) {
        if (p == buf || p[-1] == '\n')
            return strtoll(p + kl, NULL, 10);
        p += kl;
    }
    return -1;
}

/* Add v to *sum; an unknown (-1) on either side makes the sum unknown. */
static void add_known(int64_t *sum, int64_t v)
{
    *sum = (*sum < 0 || v < 0) ? -1 : *sum + v;
}

/* Context switches of one task's status file into *vol, *invol.  0, or -1
 * with errno (vanished or unreadable). */
static int read_ctxsw(const char *path, int64_t *vol, int64_t *invol)
{
    char buf[STATUS_MAX];

    if (read_small(path, buf, sizeof buf) < 0)
        return -1;
    add_known(vol, line_value(buf, "voluntary_ctxt_switches:"));
    add_known(invol, line_value(buf, "nonvoluntary_ctxt_switches:"));
    return 0;
}

/* Context switches of all threads of pid.  0, or -1 when pid vanished. */
static int read_threads_ctxsw(pid_t pid, long threads, int64_t *vol, int64_t *invol)
{
    char path[96];
    struct dirent *de;
    DIR *d;

    if (threads <= 1) {
        snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
        if (read_ctxsw(path, vol, invol) == 0)
            return 0;
        if (vanished(errno))
            return -1;
        *vol = *invol = -1;
        return 0;
    }
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    d = opendir(path);
    if (!d) {
        if (vanished(errno))
            return -1;
        *vol = *invol = -1;
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%d/task/%.16s/status", (int)pid, de->d_name);
        if (read_ctxsw(path, vol, invol) < 0 && !vanished(errno))
            *vol = *invol = -1;
        /* a thread that has just exited is skipped */
    }
    closedir(d);
    return 0;
}

/* The inode of the socket that descriptor name of the directory dfd
 * stands for, appended to in (memory that runs out drops it). */
static void add_socket(int dfd, const char *name, struct inodes *in)
{
    char link[64];
    ssize_t len = readlinkat(dfd, name, link, sizeof link - 1);

    if (len < 9 || strncmp(link, "socket:[", 8))
        return;
    link[len] = '\0';
    if (in->n == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 64;
        uint64_t *v = realloc(in->v, cap * sizeof *v);

        if (!v)
            return;
        in->v = v;
        in->cap = cap;
    }
    in->v[in->n++] = strtoull(link + 8, NULL, 10);
}

/* Open descriptors of pid in *fds (-1 unreadable), their sockets' inodes
 * into in (when not NULL).  -1 when pid vanished. */
static int count_fds(pid_t pid, int64_t *fds, struct inodes *in)
{
    char path[64];
    struct dirent *de;
    int64_t n = 0;
    uint64_t t0 = in ? clock_thread_cpu_ns() : 0;
    DIR *d;

    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    d = opendir(path);
    if (!d) {
        *fds = -1;
        return vanished(errno) ? -1 : 0;
    }
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.') {
            n++;
            if (in)
                add_socket(dirfd(d), de->d_name, in);
        }
    closedir(d);
    *fds = n;
    if (in)
        in->ns += clock_thread_cpu_ns() - t0;
    return 0;
}

/* The non-CPU fields of a live process into one (zeroed by the caller).
 * 0, or -1 when pid vanished. */
static int read_live(pid_t pid, const struct proc_stat *ps, struct mon_row *one,
                     struct inodes *in)
{
    char path[64], buf[512];
    long long size, resident;

    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    if (read_small(path, buf, sizeof buf) < 0 ||
        sscanf(buf, "%lld %lld", &size, &resident) != 2)
        return -1;
    one->rss = (int64_t)resident * sysconf(_SC_PAGESIZE);
    one->threads = ps->threads;
    if (read_threads_ctxsw(pid, ps->threads, &one->vol_ctxsw, &one->invol_ctxsw) < 0 ||
        count_fds(pid, &one->fds, in) < 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
    if (read_small(path, buf, sizeof buf) >= 0) {
        one->read_bytes = line_value(buf, "rchar:");
        one->write_bytes = line_value(buf, "wchar:");
    } else if (vanished(errno)) {
        return -1;
    } else {
        one->read_bytes = one->write_bytes = -1;
    }
    one->procs = 1;
    return 0;
}

static int by_ppid(const void *a, const void *b)
{
    const struct link *x = a, *y = b;

    return (x->ppid > y->ppid) - (x->ppid < y->ppid);
}

/* Every process's parent, sorted by parent.  The count, or -1 with errno. */
static ssize_t scan_links(struct link **out)
{
    struct link *tab = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    DIR *d = opendir("/proc");

    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL) {
        struct proc_stat ps;
        pid_t pid;

        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        pid = (pid_t)atoi(de->d_name);
        if (read_stat(pid, &ps) < 0)
            continue;
        if (n == cap) {
            struct link *t;

            cap = cap ? 2 * cap : 256;
            t = realloc(tab, cap * sizeof *t);
            if (!t) {
                free(tab);
                closedir(d);
                errno = ENOMEM;
                return -1;
            }
            tab = t;
        }
        tab[n].pid = pid;
        tab[n++].ppid = ps.ppid;
    }
    closedir(d);
    if (n > 1)
        qsort(tab, n, sizeof *tab, by_ppid);
    *out = tab;
    return (ssize_t)n;
}

/* root and its descendants, parents before children, into *out.  The
 * count; root alone when /proc cannot be scanned. */
static size_t tree_members(pid_t root, pid_t **out)
{
    struct link *tab = NULL;
    ssize_t nl = scan_links(&tab);
    size_t n = 1, cap = 16, i;
    pid_t *m = malloc(cap * sizeof *m);

    if (!m) {
        free(tab);
        *out = NULL;
        return 0;
    }
    m[0] = root;
    for (i = 0; i < n && nl > 0; i++) {
        size_t lo = 0, hi = (size_t)nl;

        /* first link whose parent is m[i] */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (tab[mid].ppid < m[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < (size_t)nl && tab[lo].ppid == m[i]; lo++) {
            if (n == cap) {
                pid_t *t = realloc(m, 2 * cap * sizeof *m);

                if (!t)
                    break;
                m = t;
                cap *= 2;
            }
            m[n++] = tab[lo].pid;
        }
    }
    free(tab);
    *out = m;
    return n;
}

/* Sum over members into row.  0; 1 when a member other than the root
 * vanished on the way; -1 when the root is gone or a zombie. */
static int read_members(const pid_t *mem, size_t n, int reaped, struct mon_row *row,
                        struct inodes *in)
{
    double hz = (double)sysconf(_SC_CLK_TCK);
    int lost = 0;
    size_t i;

    memset(row, 0, sizeof *row);
    for (i = 0; i < n; i++) {
        struct mon_row one = { 0 };
        struct proc_stat ps;

        if (read_stat(mem[i], &ps) < 0 ||
            (ps.state != 'Z' && read_live(mem[i], &ps, &one, in) < 0)) {
            if (i == 0)
                return -1;
            lost = 1;
            continue;
        }
        if (i == 0 && ps.state == 'Z')
            return -1;
        row->cpu_user += (double)(ps.utime + (reaped ? (unsigned long long)ps.cutime : 0)) / hz;
        row->cpu_sys += (double)(ps.stime + (reaped ? (unsigned long long)ps.cstime : 0)) / hz;
        if (ps.state == 'Z')
            continue;
        row->rss += one.rss;
        row->threads += one.threads;
        add_known(&row->fds, one.fds);
        add_known(&row->vol_ctxsw, one.vol_ctxsw);
        add_known(&row->invol_ctxsw, one.invol_ctxsw);
        add_known(&row->read_bytes, one.read_bytes);
        add_known(&row->write_bytes, one.write_bytes);
        row->procs++;
    }
    return lost;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* The tree's sockets counted into row->tcp from the tables tab. */
static void tree_tcp(const struct tcp_table *tab, struct inodes *in, struct mon_row *row)
{
    size_t i, n = 0;

    if (in->n > 1)
        qsort(in->v, in->n, sizeof *in->v, by_u64);
    for (i = 0; i < in->n; i++)       /* each socket once */
        if (!n || in->v[i] != in->v[n - 1])
            in->v[n++] = in->v[i];
    tcp_count(tab, in->v, n, &row->tcp);
}

/* One reading of pid, with its descendants or alone, and its sockets
 * counted from tab (NULL: not counted).  0, -1 when gone. */
static int read_tree(pid_t pid, int descendants, struct tcp_table *tab, struct mon_row *row)
{
    struct inodes in = { 0 };
    int attempt, rc = -1;

    for (attempt = 0; attempt < 2; attempt++) {
        pid_t *mem = NULL, self = pid;
        size_t n = descendants ? tree_members(pid, &mem) : 1;

        in.n = 0;
        rc = read_members(mem ? mem : &self, n ? n : 1, descendants, row, tab ? &in : NULL);
        free(mem);
        if (rc <= 0)
            break;
    }
    /* descriptors that could not be read (another user's process): no
     * counts, rather than counts of none */
    if (rc == 0 && tab && row->fds >= 0) {
        uint64_t t0 = clock_thread_cpu_ns();

        tree_tcp(tab, &in, row);
        tab->spent_ns += in.ns + (clock_thread_cpu_ns() - t0);
    }
    free(in.v);
    return rc < 0 ? -1 : 0;
}

int proc_read_tree(pid_t pid, struct mon_row *row)
{
    struct tcp_table tab = { 0 };
    int rc;

    if (pid <= 0) {
        memset(row, 0, sizeof *row);
        return -1;
    }
    rc = read_tree(pid, 1, tcp_table_read(&tab) == 0 ? &tab : NULL, row);
    tcp_table_free(&tab);
    return rc;
}

static int series_init(struct mon_series *s, const char *label, pid_t pid)
{
    memset(s, 0, sizeof *s);
    s->label = strdup(label);
    s->pid = pid;
    return s->label ? 0 : -1;
}

/* Append under m->lock; a row that finds no memory is dropped. */
static void series_append(struct monitor *m, struct mon_series *s, const struct mon_row *r)
{
    pthread_mutex_lock(&m->lock);
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct mon_row *t = realloc(s->rows, cap * sizeof *t);

        if (!t) {
            pthread_mutex_unlock(&m->lock);
            return;
        }
        s->rows = t;
        s->cap = cap;
    }
    s->rows[s->n++] = *r;
    pthread_mutex_unlock(&m->lock);
}

/* The network's row of this sample (machine-wide: TIME_WAIT from tab). */
static void sample_net(struct monitor *m, const struct tcp_table *tab)
{
    struct mon_net_row row;
    uint64_t t1 = clock_now_ns(), t2;

    if (netdev_read(&row) < 0)
        return;
    t2 = clock_now_ns();
    row.t = (double)((t1 - m->t0) + (t2 - t1) / 2) / 1e9;
    row.time_wait = tab ? tab->time_wait : tcp_time_wait();
    pthread_mutex_lock(&m->lock);
    if (m->net.n == m->net.cap) {
        size_t cap = m->net.cap ? 2 * m->net.cap : 64;
        struct mon_net_row *t = realloc(m->net.rows, cap * sizeof *t);

        if (!t) {
            pthread_mutex_unlock(&m->lock);
            return;
        }
        m->net.rows = t;
        m->net.cap = cap;
    }
    m->net.rows[m->net.n++] = row;
    pthread_mutex_unlock(&m->lock);
}

/* The TCP tables for this sample, or NULL: not this time (the budget) or
 * unreadable. */
static struct tcp_table *sample_tables(struct monitor *m, uint64_t now)
{
    struct tcp_table *tab = m->tables;
    uint64_t cpu = clock_thread_cpu_ns();

    if (!tab || now < m->tcp_next)
        return NULL;
    if (tcp_table_read(tab) < 0)
        return NULL;
    tab->spent_ns = clock_thread_cpu_ns() - cpu;
    return tab;
}

/* One row for every series still alive.  The pacer series is the last one
 * and has no descendants, nor its connections counted (they are the
 * load's: a thousand readlinks a sample taken from the generator for
 * nothing); without another series the tables are not read. */
static void monitor_sample(struct monitor *m)
{
    uint64_t start = clock_now_ns();
    struct tcp_table *tab = m->nseries > 1 ? sample_tables(m, start) : NULL;
    size_t i;

    sample_net(m, tab);
    for (i = 0; i < m->nseries; i++) {
        struct mon_series *s = &m->series[i];
        struct mon_row row;
        uint64_t t1, t2;
        int gone, rc;

        pthread_mutex_lock(&m->lock);
        gone = s->gone;
        pthread_mutex_unlock(&m->lock);
        if (gone)
            continue;
        t1 = clock_now_ns();
        rc = read_tree(s->pid, i + 1 < m->nseries, i + 1 < m->nseries ? tab : NULL, &row);
        t2 = clock_now_ns();
        if (rc < 0) {
            pthread_mutex_lock(&m->lock);
            s->gone = 1;
            pthread_mutex_unlock(&m->lock);
            continue;
        }
        row.t = (double)((t1 - m->t0) + (t2 - t1) / 2) / 1e9;
        series_append(m, s, &row);
    }
    /* TCP counting that took over a fifth of the period (of the sampling
     * thread's CPU) puts off the next one, to about a fifth of a core */
    if (tab && tab->spent_ns > m->period_ns / 5)
        m->tcp_next = start + 5 * tab->spent_ns;
}

static int stopping(struct monitor *m)
{
    int stop;

    pthread_mutex_lock(&m->lock);
    stop = m->stop;
    pthread_mutex_unlock(&m->lock);
    return stop;
}

/* Sleep to absolute deadlines on a fixed grid from t0, so the period does
 * not drift by the cost of a sample; ticks missed are skipped, not made up. */
static void *monitor_main(void *arg)
{
    struct monitor *m = arg;
    uint64_t next = m->t0 + m->period_ns;

    while (!stopping(m)) {
        struct timespec ts = { .tv_sec = (time_t)(next / 1000000000u),
                               .tv_nsec = (long)(next % 1000000000u) };
        uint64_t now;
        int rc;

        while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
            ;
        if (rc != 0 || stopping(m))
            break;
        monitor_sample(m);
        next += m->period_ns;
        now = clock_now_ns();
        if (next <= now)
            next += ((now - next) / m->period_ns + 1) * m->period_ns;
    }
    return NULL;
}

/* Release what monitor_start allocated; m is left zeroed. */
static void monitor_release(struct monitor *m)
{
    size_t i;

    if (m->series) {
        for (i = 0; i < m->nseries; i++) {
            free(m->series[i].label);
            free(m->series[i].rows);
        }
        free(m->series);
        pthread_mutex_destroy(&m->lock);
    }
    free(m->net.rows);
    if (m->tables)
        tcp_table_free(m->tables);
    free(m->tables);
    memset(m, 0, sizeof *m);
}

/* After the first sample: a series that found no process.  -1 with why. */
static int check_first(struct monitor *m, struct err *e)
{
    size_t i;

    for (i = 0; i + 1 < m->nseries; i++) {
        const struct mon_series *s = &m->series[i];
        char path[64], label[64];
        int exited;

        if (!s->gone)
            continue;
        snprintf(path, sizeof path, "/proc/%d", (int)s->pid);
        exited = access(path, F_OK) == 0;
        /* the server's message is as it always was */
        snprintf(label, sizeof label, "%s: ", s->label);
        err_set(e, exited ? "monitor: %sprocess %d has exited"
                          : "monitor: %sprocess %d: no such process",
                strcmp(s->label, "server") ? label : "", (int)s->pid);
        return -1;
    }
    return 0;
}

int monitor_start(struct monitor *m, pid_t pid, uint64_t period_ns, struct err *e)
{
    return monitor_start_procs(m, pid, NULL, 0, period_ns, e);
}

int monitor_start_procs(struct monitor *m, pid_t pid, const struct mon_proc *procs,
                        size_t nprocs, uint64_t period_ns, struct err *e)
{
    sigset_t all, old;
    size_t i;
    int rc;

    memset(m, 0, sizeof *m);
    if (pid < 0)
        return err_set(e, "monitor: bad process id %d", (int)pid);
    if (mon_procs_check(procs, nprocs, e) < 0)
        return -1;
    m->period_ns = period_ns ? period_ns : DEFAULT_PERIOD_NS;
    m->series = calloc(nprocs + 2, sizeof *m->series);
    m->tables = calloc(1, sizeof(struct tcp_table));
    if (!m->series || !m->tables) {
        free(m->series);
        free(m->tables);
        m->series = NULL;
        m->tables = NULL;
        return err_set(e, "monitor: out of memory");
    }
    rc = pthread_mutex_init(&m->lock, NULL);
    if (rc != 0) {
        free(m->series);
        free(m->tables);
        m->series = NULL;
        m->tables = NULL;
        return err_set(e, "monitor: cannot create a mutex: %s", strerror(rc));
    }
    rc = pid > 0 && series_init(&m->series[m->nseries++], "server", pid) < 0;
    for (i = 0; i < nprocs && !rc; i++)
        rc = series_init(&m->series[m->nseries++], procs[i].label, procs[i].pid) < 0;
    if (rc || series_init(&m->series[m->nseries++], "pacer", getpid()) < 0) {
        monitor_release(m);
        return err_set(e, "monitor: out of memory");
    }
    m->t0 = clock_now_ns();
    monitor_sample(m);
    if (check_first(m, e) < 0) {
        monitor_release(m);
        return -1;
    }
    /* The sampler takes no signals: they are the command layer's. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&m->thread, NULL, monitor_main, m);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        monitor_release(m);
        return err_set(e, "monitor: cannot start the sampling thread: %s", strerror(rc));
    }
    m->running = 1;
    return 0;
}

void monitor_stop(struct monitor *m)
{
    if (!m->running)
        return;
    pthread_mutex_lock(&m->lock);
    m->stop = 1;
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    m->running = 0;
    monitor_sample(m);
}

void monitor_free(struct monitor *m)
{
    monitor_stop(m);
    monitor_release(m);
}

const struct mon_series *monitor_series(const struct monitor *m, const char *label)
{
    size_t i;

    for (i = 0; i < m->nseries; i++)
        if (strcmp(m->series[i].label, label) == 0)
            return &m->series[i];
    return NULL;
}
