/*
 * test_monitor.c: harness/load/monitor.c against processes made for the
 * purpose (a spinning tree, a child that maps 50 MB, a child that exits)
 * and against hand-built rows whose summary is worked out below.
 *
 * Every child arms alarm() so that it dies on its own if a test fails
 * before killing it; the tests kill and reap every child they make.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/load/monitor.h"
#include "helpers.h"

#define MB (1024 * 1024)
#define CHILD_ALARM_S 15

TestSuite(monitor, .timeout = 30);

static void spin_forever(void)
{
    volatile unsigned long x = 0;

    for (;;)
        x++;
}

/* Spin until this process has used cpu_ns of CPU. */
static void spin_cpu(uint64_t cpu_ns)
{
    volatile unsigned long x = 0;

    while (clock_process_cpu_ns() < cpu_ns)
        x++;
}

static void write_all(int fd, const void *p, size_t n)
{
    if (write(fd, p, n) != (ssize_t)n)
        _exit(2);
}

static int read_byte(int fd)
{
    char c;
    ssize_t r;

    while ((r = read(fd, &c, 1)) < 0 && errno == EINTR)
        ;
    return r == 1 ? c : -1;
}

/* A pid that is free: a child that has exited and been reaped. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();

    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0)
        _exit(0);
    cr_assert_eq(waitpid(pid, NULL, 0), pid);
    return pid;
}

/* Kill the process group pgid and reap every member that is our child. */
static void kill_group(pid_t pgid)
{
    kill(-pgid, SIGKILL);
    while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
        ;
}

static void kill_child(pid_t pid)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

Test(monitor, reads_this_process)
{
    struct mon_row r;

    cr_assert_eq(proc_read_tree(getpid(), &r), 0);
    cr_assert_eq(r.t, 0.0);
    cr_assert_geq(r.threads, 1);
    cr_assert_gt(r.rss, 0);
    cr_assert_geq(r.fds, 3);
    cr_assert_eq(r.procs, 1);
    cr_assert_geq(r.cpu_user, 0.0);
    cr_assert_geq(r.cpu_sys, 0.0);
    cr_assert_geq(r.vol_ctxsw, 0);
    cr_assert_geq(r.invol_ctxsw, 0);
    cr_assert_gt(r.read_bytes, 0, "rchar of this process is readable and non-zero");
    cr_assert_geq(r.write_bytes, 0);
}

Test(monitor, missing_and_exited_processes_are_gone)
{
    struct mon_row r;
    siginfo_t si;
    pid_t pid;

    cr_assert_eq(proc_read_tree(dead_pid(), &r), -1);
    cr_assert_eq(proc_read_tree(0, &r), -1);
    cr_assert_eq(proc_read_tree(-3, &r), -1);

    /* A zombie has exited: it is gone too. */
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0)
        _exit(0);
    cr_assert_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
    cr_assert_eq(proc_read_tree(pid, &r), -1);
    kill_child(pid);
}

Test(monitor, command_name_with_spaces_and_parentheses)
{
    int p[2];
    pid_t pid;
    struct mon_row r;

    cr_assert_eq(pipe(p), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        alarm(CHILD_ALARM_S);
        prctl(PR_SET_NAME, "a) b (c) 1 2");
        write_all(p[1], "x", 1);
        pause();
        _exit(0);
    }
    cr_assert_eq(read_byte(p[0]), 'x');
    cr_assert_eq(proc_read_tree(pid, &r), 0);
    kill_child(pid);
    cr_assert_eq(r.procs, 1);
    cr_assert_eq(r.threads, 1);
    cr_assert_gt(r.rss, 0);
    cr_assert_geq(r.cpu_user, 0.0);
    close(p[0]);
    close(p[1]);
}

Test(monitor, tree_counts_descendants_and_cpu_grows)
{
    struct mon_row self, tree, g_only, later;
    uint64_t deadline;
    pid_t c, g;
    int p[2];

    /* Orphans of the tree come back to this process to be reaped. */
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    cr_assert_eq(pipe(p), 0);
    c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        alarm(CHILD_ALARM_S);
        setpgid(0, 0);
        g = fork();
        if (g == 0) {
            alarm(CHILD_ALARM_S);
            spin_forever();
        }
        write_all(p[1], &g, sizeof g);
        spin_forever();
    }
    cr_assert_eq(read(p[0], &g, sizeof g), (ssize_t)sizeof g);
    cr_assert_gt(g, 0);

    cr_assert_eq(proc_read_tree(getpid(), &self), 0);
    cr_assert_eq(proc_read_tree(c, &tree), 0);
    cr_assert_eq(self.procs, 3, "this process, its child and grandchild: %lld",
                 (long long)self.procs);
    cr_assert_eq(tree.procs, 2);
    cr_assert_eq(tree.threads, 2);
    cr_assert_gt(tree.rss, 0);
    cr_assert_gt(self.rss, tree.rss);

    /* The grandchild's CPU is part of the child's tree. */
    cr_assert_eq(proc_read_tree(g, &g_only), 0);
    cr_assert_eq(g_only.procs, 1);
    cr_assert_eq(proc_read_tree(c, &later), 0);
    cr_assert_geq(later.cpu_user + later.cpu_sys, g_only.cpu_user + g_only.cpu_sys);

    /* Two spinning processes: 0.1 s of CPU shows up soon (bounded wait). */
    deadline = clock_now_ns() + 5000000000u;
    while (later.cpu_user + later.cpu_sys < tree.cpu_user + tree.cpu_sys + 0.1 &&
           clock_now_ns() < deadline) {
        sleep_ms(20);
        cr_assert_eq(proc_read_tree(c, &later), 0);
    }
    kill_group(c);
    cr_assert_geq(later.cpu_user + later.cpu_sys, tree.cpu_user + tree.cpu_sys + 0.1,
                  "cpu %.3f -> %.3f", tree.cpu_user + tree.cpu_sys,
                  later.cpu_user + later.cpu_sys);
    close(p[0]);
    close(p[1]);
}

Test(monitor, cpu_of_a_reaped_child_stays_in_the_tree)
{
    struct mon_row r;
    int p[2];
    pid_t c;

    cr_assert_eq(pipe(p), 0);
    c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        pid_t g;

        alarm(CHILD_ALARM_S);
        g = fork();
        if (g == 0) {
            alarm(CHILD_ALARM_S);
            spin_cpu(300000000u);
            _exit(0);
        }
        if (g < 0 || waitpid(g, NULL, 0) != g)
            _exit(1);
        write_all(p[1], "x", 1);
        pause();
        _exit(0);
    }
    cr_assert_eq(read_byte(p[0]), 'x');
    cr_assert_eq(proc_read_tree(c, &r), 0);
    kill_child(c);
    cr_assert_eq(r.procs, 1);
    cr_assert_geq(r.cpu_user + r.cpu_sys, 0.25, "cpu %.3f", r.cpu_user + r.cpu_sys);
    close(p[0]);
    close(p[1]);
}

Test(monitor, rss_follows_touched_memory)
{
    struct mon_row before, after;
    int up[2], down[2];
    pid_t c;

    cr_assert_eq(pipe(up), 0);
    cr_assert_eq(pipe(down), 0);
    c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        size_t len = 50 * MB, i;
        volatile char *mem;

        alarm(CHILD_ALARM_S);
        write_all(up[1], "a", 1);
        if (read_byte(down[0]) != 'g')
            _exit(1);
        mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED)
            _exit(1);
        for (i = 0; i < len; i += 4096)
            mem[i] = 1;
        write_all(up[1], "b", 1);
        pause();
        _exit(0);
    }
    cr_assert_eq(read_byte(up[0]), 'a');
    cr_assert_eq(proc_read_tree(c, &before), 0);
    cr_assert_eq(write(down[1], "g", 1), 1);
    cr_assert_eq(read_byte(up[0]), 'b');
    cr_assert_eq(proc_read_tree(c, &after), 0);
    kill_child(c);
    cr_assert_geq(after.rss - before.rss, 40 * MB, "rss %lld -> %lld", (long long)before.rss,
                  (long long)after.rss);
    close(up[0]);
    close(up[1]);
    close(down[0]);
    close(down[1]);
}

Test(monitor, start_on_a_missing_process_fails)
{
    struct err e = { 0 };
    struct monitor m;
    char want[64];
    pid_t pid = dead_pid();

    cr_assert_eq(monitor_start(&m, pid, 0, &e), -1);
    snprintf(want, sizeof want, "process %d: no such process", (int)pid);
    cr_assert(e.set);
    cr_assert_not_null(strstr(e.msg, want), "message: %s", e.msg);
    monitor_free(&m);

    err_clear(&e);
    cr_assert_eq(monitor_start(&m, -2, 0, &e), -1);
    cr_assert(e.set);
    monitor_free(&m);
}

Test(monitor, samples_pacer_every_period)
{
    struct err e = { 0 };
    const struct mon_series *s;
    struct monitor m;
    size_t i;

    cr_assert_eq(monitor_start(&m, 0, 50000000u, &e), 0, "%s", e.msg);
    cr_assert_eq(m.nseries, 1);
    sleep_ms(350);
    monitor_stop(&m);
    monitor_stop(&m);
    cr_assert_null(monitor_series(&m, "server"));
    s = monitor_series(&m, "pacer");
    cr_assert_not_null(s);
    cr_assert_eq(s->pid, getpid());
    cr_assert_eq(s->gone, 0);
    cr_assert_geq(s->n, 3, "first row, at least one periodic row, the last: %zu", s->n);
    cr_assert_geq(s->rows[0].t, 0.0);
    for (i = 0; i < s->n; i++) {
        cr_assert_eq(s->rows[i].procs, 1);
        cr_assert_gt(s->rows[i].rss, 0);
        cr_assert_geq(s->rows[i].vol_ctxsw, 0);
        cr_assert_geq(s->rows[i].invol_ctxsw, 0);
        if (i > 0)
            cr_assert_gt(s->rows[i].t, s->rows[i - 1].t);
    }
    /* Rows taken by the sampling thread see it: per-thread switch counts. */
    cr_assert_geq(s->rows[1].threads, 2);
    monitor_free(&m);
}

Test(monitor, monitored_child_that_exits_ends_its_series)
{
    struct err e = { 0 };
    const struct mon_series *srv, *me;
    struct monitor m;
    uint64_t deadline;
    size_t n_gone;
    int go[2], gone = 0;
    pid_t c;

    cr_assert_eq(pipe(go), 0);
    c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        alarm(CHILD_ALARM_S);
        read_byte(go[0]);
        _exit(0);
    }
    cr_assert_eq(monitor_start(&m, c, 50000000u, &e), 0, "%s", e.msg);
    srv = monitor_series(&m, "server");
    me = monitor_series(&m, "pacer");
    cr_assert_not_null(srv);
    cr_assert_not_null(me);
    cr_assert_eq(srv->pid, c);
    cr_assert_geq(srv->n, 1, "the first row is taken at once");

    cr_assert_eq(write(go[1], "x", 1), 1);
    cr_assert_eq(waitpid(c, NULL, 0), c);
    deadline = clock_now_ns() + 5000000000u;
    while (!gone && clock_now_ns() < deadline) {
        sleep_ms(20);
        pthread_mutex_lock(&m.lock);
        gone = srv->gone;
        pthread_mutex_unlock(&m.lock);
    }
    cr_assert(gone);
    pthread_mutex_lock(&m.lock);
    n_gone = srv->n;
    pthread_mutex_unlock(&m.lock);
    sleep_ms(150);
    monitor_stop(&m);
    cr_assert_eq(srv->n, n_gone, "no rows after the process is gone");
    cr_assert_gt(me->n, srv->n, "pacer is still sampled");
    cr_assert_eq(me->gone, 0);
    monitor_free(&m);
    close(go[0]);
    close(go[1]);
}

Test(monitor, summary_of_a_busy_child)
{
    struct err e = { 0 };
    const struct mon_series *s;
    struct mon_summary u;
    struct monitor m;
    uint64_t deadline;
    size_t n = 0;
    pid_t c;

    c = fork();
    cr_assert_geq(c, 0);
    if (c == 0) {
        alarm(CHILD_ALARM_S);
        spin_forever();
    }
    cr_assert_eq(monitor_start(&m, c, 50000000u, &e), 0, "%s", e.msg);
    s = monitor_series(&m, "server");
    deadline = clock_now_ns() + 5000000000u;
    while (n < 4 && clock_now_ns() < deadline) {
        sleep_ms(50);
        pthread_mutex_lock(&m.lock);
        n = s->n;
        pthread_mutex_unlock(&m.lock);
    }
    monitor_stop(&m);
    kill_child(c);
    cr_assert_geq(s->n, 4);
    mon_summarise(s, 0, -1, &u);
    cr_assert_gt(u.duration, 0.0);
    cr_assert_gt(u.cpu_mean, 0.0);
    cr_assert_geq(u.cpu_max, u.cpu_mean);
    cr_assert_gt(u.rss_mean, 0.0);
    cr_assert_geq(u.rss_max, u.rss_mean);
    cr_assert_eq(u.threads_max, 1.0);
    cr_assert_geq(u.fds_max, 0.0);
    monitor_free(&m);
}

/* The rows of hand_series() (helpers.h), where every step below is worked
 * out. */
Test(monitor, summarise_hand_built_rows)
{
    struct mon_series s = hand_series();
    struct mon_summary u;

    mon_summarise(&s, 0, -1, &u);
    cr_assert_eq(u.duration, 1.0);
    cr_assert_eq(u.cpu_mean, 1.0);
    cr_assert_eq(u.cpu_max, 1.5);
    cr_assert_eq(u.cpu_user_mean, 0.75);
    cr_assert_eq(u.cpu_sys_mean, 0.25);
    cr_assert_eq(u.rss_mean, 3200.0);
    cr_assert_eq(u.rss_max, 6000.0);
    cr_assert_eq(u.threads_max, 4.0);
    cr_assert_eq(u.fds_max, 9.0);
    cr_assert_eq(u.ctxsw_per_s, 104.0);
    cr_assert_eq(u.invol_ctxsw_per_s, 4.0);
    cr_assert_eq(u.read_bytes_per_s, 1000.0);
    cr_assert_eq(u.write_bytes_per_s, -1.0);

    mon_summarise(&s, 0.25, 0.75, &u);
    cr_assert_eq(u.duration, 0.5);
    cr_assert_eq(u.cpu_mean, 1.0);
    cr_assert_eq(u.cpu_max, 1.25);
    cr_assert_eq(u.cpu_user_mean, 0.75);
    cr_assert_eq(u.cpu_sys_mean, 0.25);
    cr_assert_eq(u.rss_mean, 11000.0 / 3.0);
    cr_assert_eq(u.rss_max, 6000.0);
    cr_assert_eq(u.threads_max, 4.0);
    cr_assert_eq(u.fds_max, 9.0);
    cr_assert_eq(u.ctxsw_per_s, 44.0);
    cr_assert_eq(u.invol_ctxsw_per_s, 4.0);
    cr_assert_eq(u.read_bytes_per_s, 400.0);
    cr_assert_eq(u.write_bytes_per_s, -1.0);

    /* One row: levels but no rates. */
    mon_summarise(&s, 0.5, 0.5, &u);
    cr_assert_eq(u.duration, 0.0);
    cr_assert_eq(u.cpu_mean, 0.0);
    cr_assert_eq(u.cpu_max, 0.0);
    cr_assert_eq(u.rss_mean, 2000.0);
    cr_assert_eq(u.rss_max, 2000.0);
    cr_assert_eq(u.read_bytes_per_s, -1.0);

    /* No rows. */
    mon_summarise(&s, 2, 3, &u);
    cr_assert_eq(u.duration, 0.0);
    cr_assert_eq(u.rss_mean, 0.0);
    cr_assert_eq(u.cpu_mean, 0.0);
    cr_assert_eq(u.read_bytes_per_s, -1.0);
}
