/*
 * test_monitor.c: harness/load/monitor.c against processes made for the
 * purpose (a spinning tree, a child that maps 50 MB, a child that exits,
 * python3 children that listen and connect on loopback, a redis-server
 * with a client pool) and against hand-built rows whose summary is worked
 * out below.
 *
 * Every child arms alarm() so that it dies on its own if a test fails
 * before killing it; the tests kill and reap every child they make.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "harness/lib/clock.h"
#include "harness/load/monitor.h"
#include "harness/load/netstat.h"
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
        cr_assert_eq(s->rows[i].tcp.known, 0, "pacer's connections are the load's: not counted");
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

/* ---- TCP connections and the network ------------------------------------- */

/* /usr/bin/python3 -c code with the arguments (NULL-terminated), its
 * stdout a pipe whose first line goes to line; it dies on its own after
 * CHILD_ALARM_S. */
static pid_t spawn_line(const char *const *argv, char *line, size_t size)
{
    int fds[2];
    pid_t pid;
    FILE *f;

    cr_assert_eq(pipe(fds), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        alarm(CHILD_ALARM_S);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(line, (int)size, f), "%s %s said nothing", argv[0], argv[1]);
    fclose(f);
    return pid;
}

/* Listens on two loopback ports, prints them, holds every connection. */
static const char listener_py[] =
    "import select, socket\n"
    "ls = []\n"
    "for _ in range(2):\n"
    "    s = socket.socket()\n"
    "    s.bind(('127.0.0.1', 0))\n"
    "    s.listen(64)\n"
    "    ls.append(s)\n"
    "print(' '.join(str(s.getsockname()[1]) for s in ls), flush=True)\n"
    "held = []\n"
    "while True:\n"
    "    for s in select.select(ls, [], [])[0]:\n"
    "        held.append(s.accept()[0])\n";

/* Opens argv[2] connections to port argv[1] and argv[4] to argv[3]. */
static const char connector_py[] =
    "import socket, sys, time\n"
    "a = [socket.create_connection(('127.0.0.1', int(sys.argv[1])))"
    " for _ in range(int(sys.argv[2]))]\n"
    "b = [socket.create_connection(('127.0.0.1', int(sys.argv[3])))"
    " for _ in range(int(sys.argv[4]))]\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n";

/* The established connections of c on port (inbound or not), 0 when none. */
static int64_t conns_on(const struct mon_tcp *c, int port, int inbound)
{
    size_t i;

    for (i = 0; i < c->nports; i++)
        if (c->ports[i].port == port && c->ports[i].inbound == inbound)
            return c->ports[i].count;
    return 0;
}

/* Read pid's tree until its tcp counts are est established, listen
 * listening (within 5 s: accepts and closes take their time). */
static void read_until(pid_t pid, int64_t est, int64_t listen, struct mon_row *r)
{
    uint64_t deadline = clock_now_ns() + 5000000000u;

    do {
        cr_assert_eq(proc_read_tree(pid, r), 0);
        if (r->tcp.established == est && r->tcp.listen == listen && r->tcp.other == 0)
            return;
        sleep_ms(20);
    } while (clock_now_ns() < deadline);
}

Test(monitor, tcp_connections_by_port_are_exact)
{
    const char *lv[] = {"/usr/bin/python3", "-c", listener_py, NULL};
    char line[128], a1[16], a2[16];
    const char *cv[] = {"/usr/bin/python3", "-c", connector_py, a1, "5", a2, "3", NULL};
    struct mon_proc procs[] = {{"client", 0}};
    const struct mon_series *srv, *cl;
    struct monitor m;
    struct err e = {0};
    struct mon_row r;
    pid_t lp, cp;
    int p1, p2;

    lp = spawn_line(lv, line, sizeof line);
    cr_assert_eq(sscanf(line, "%d %d", &p1, &p2), 2, "%s", line);
    snprintf(a1, sizeof a1, "%d", p1);
    snprintf(a2, sizeof a2, "%d", p2);
    cp = spawn_line(cv, line, sizeof line);
    cr_assert_str_eq(line, "ready\n");

    read_until(lp, 8, 2, &r);
    cr_assert_eq(r.tcp.known, 1);
    cr_assert_eq(r.tcp.listen, 2);
    cr_assert_eq(r.tcp.established, 8);
    cr_assert_eq(r.tcp.nports, 2);
    cr_assert_eq(r.tcp.ports[0].port, p1, "most connections first");
    cr_assert_eq(r.tcp.ports[0].inbound, 1);
    cr_assert_eq(r.tcp.ports[0].count, 5);
    cr_assert_eq(conns_on(&r.tcp, p2, 1), 3);

    read_until(cp, 8, 0, &r);
    cr_assert_eq(r.tcp.listen, 0);
    cr_assert_eq(r.tcp.established, 8);
    cr_assert_eq(r.tcp.nports, 2);
    cr_assert_eq(conns_on(&r.tcp, p1, 0), 5, "outbound, by the remote port");
    cr_assert_eq(conns_on(&r.tcp, p2, 0), 3);

    /* the same in the monitor's series, each under its label */
    procs[0].pid = cp;
    cr_assert_eq(monitor_start_procs(&m, lp, procs, 1, 50000000u, &e), 0, "%s", e.msg);
    sleep_ms(150);
    monitor_stop(&m);
    kill_child(cp);
    kill_child(lp);
    cr_assert_eq(m.nseries, 3);
    srv = monitor_series(&m, "server");
    cl = monitor_series(&m, "client");
    cr_assert_not_null(srv);
    cr_assert_not_null(cl);
    cr_assert_eq(cl->pid, cp);
    cr_assert_str_eq(m.series[2].label, "pacer", "pacer last");
    cr_assert_geq(srv->n, 2);
    cr_assert_eq(srv->rows[0].tcp.known, 1, "the first row counts");
    cr_assert_eq(conns_on(&srv->rows[0].tcp, p1, 1), 5);
    cr_assert_eq(conns_on(&cl->rows[0].tcp, p2, 0), 3);
    cr_assert_geq(m.net.n, 2, "the network is sampled with the trees");
    monitor_free(&m);
}

/* A free loopback port (bound, read, closed). */
static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    cr_assert_geq(fd, 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* A client of a pool of argv[2] connections to redis on port argv[1],
 * every one taken and used. */
static const char pool_py[] =
    "import redis, sys, time\n"
    "n = int(sys.argv[2])\n"
    "pool = redis.ConnectionPool(host='127.0.0.1', port=int(sys.argv[1]), max_connections=n)\n"
    "cs = [pool.get_connection('PING') for _ in range(n)]\n"
    "for c in cs:\n"
    "    c.send_command('PING')\n"
    "    assert c.read_response() in (b'PONG', 'PONG')\n"
    "try:\n"
    "    pool.get_connection('PING')\n"
    "    print('pool not bounded', flush=True)\n"
    "except redis.ConnectionError:\n"
    "    print('ready', flush=True)\n"
    "time.sleep(60)\n";

Test(monitor, redis_and_a_client_pool)
{
    char port[16], line[128];
    const char *pv[] = {"/usr/bin/python3", "-c", pool_py, port, "6", NULL};
    struct mon_row r;
    pid_t rp, cp;
    int i;

    if (access("/usr/bin/redis-server", X_OK) != 0 ||
        system("/usr/bin/python3 -c 'import redis' 2>/dev/null") != 0)
        cr_skip_test("no redis-server or python3-redis");
    snprintf(port, sizeof port, "%d", free_port());
    rp = fork();
    cr_assert_geq(rp, 0);
    if (rp == 0) {
        int null = open("/dev/null", O_WRONLY);

        alarm(CHILD_ALARM_S);
        dup2(null, 1);
        execl("/usr/bin/redis-server", "redis-server", "--port", port, "--bind", "127.0.0.1",
              "--save", "", "--appendonly", "no", "--loglevel", "warning", (char *)NULL);
        _exit(127);
    }
    /* ready when it listens */
    for (i = 0; i < 250; i++) {
        cr_assert_eq(proc_read_tree(rp, &r), 0, "redis-server exited");
        if (r.tcp.listen >= 1)
            break;
        sleep_ms(20);
    }
    cp = spawn_line(pv, line, sizeof line);
    cr_assert_str_eq(line, "ready\n");
    read_until(rp, 6, 1, &r);
    cr_assert_eq(r.tcp.listen, 1);
    cr_assert_eq(r.tcp.established, 6);
    cr_assert_eq(conns_on(&r.tcp, atoi(port), 1), 6, "6 inbound on redis's port");
    read_until(cp, 6, 0, &r);
    kill_child(cp);
    kill_child(rp);
    cr_assert_eq(r.tcp.established, 6);
    cr_assert_eq(r.tcp.nports, 1);
    cr_assert_eq(conns_on(&r.tcp, atoi(port), 0), 6, "the pool's 6, out to redis");
}

/* Over loopback the interface counters of lo rise by at least what was
 * sent, both ways. */
Test(monitor, network_bytes_rise_by_what_was_sent)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    static char buf[65536];
    struct monitor m;
    struct err e = {0};
    struct mon_net_summary ns;
    const struct mon_net_row *first, *last;
    size_t sent = 0, got = 0;
    int l, c, s;

    cr_assert_eq(monitor_start(&m, 0, 50000000u, &e), 0, "%s", e.msg);
    l = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(l, 1), 0);
    cr_assert_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
    c = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    s = accept(l, NULL, NULL);
    cr_assert_geq(s, 0);
    while (sent < 8 * MB) {
        ssize_t w = write(c, buf, sizeof buf), rd;

        cr_assert_gt(w, 0);
        sent += (size_t)w;
        while (got < sent && (rd = read(s, buf, sizeof buf)) > 0)
            got += (size_t)rd;
    }
    close(c);
    close(s);
    close(l);
    sleep_ms(60);
    monitor_stop(&m);
    cr_assert_geq(m.net.n, 2);
    first = &m.net.rows[0];
    last = &m.net.rows[m.net.n - 1];
    cr_assert_geq(last->lo_rx_bytes - first->lo_rx_bytes, (int64_t)sent, "lo rx %lld",
                  (long long)(last->lo_rx_bytes - first->lo_rx_bytes));
    cr_assert_geq(last->lo_tx_bytes - first->lo_tx_bytes, (int64_t)sent);
    cr_assert_gt(last->lo_rx_packets, first->lo_rx_packets);
    cr_assert_geq(last->rx_bytes, first->rx_bytes, "the other interfaces: cumulative");
    cr_assert_geq(first->time_wait, 0, "from /proc/net/sockstat");
    mon_net_summarise(m.net.rows, m.net.n, 0, -1, &ns);
    cr_assert_gt(ns.duration, 0.0);
    cr_assert_geq(ns.lo_rx_bytes_per_s * ns.duration, (double)sent * 0.999);
    monitor_free(&m);
}

/* Labels: each names one series, and pacer's own are refused. */
Test(monitor, labelled_processes_are_checked)
{
    struct mon_proc twice[] = {{"db", 1}, {"db", 1}};
    struct mon_proc own[] = {{"pacer", 1}};
    struct mon_proc odd[] = {{"a b", 1}};
    struct mon_proc nopid[] = {{"db", 0}};
    struct mon_proc dead[] = {{"db", 0}};
    struct mon_proc *procs = NULL;
    struct monitor m;
    struct err e = {0};
    size_t n = 0;

    cr_assert_eq(monitor_start_procs(&m, 0, twice, 2, 0, &e), -1);
    cr_assert_str_eq(e.msg, "monitor: label \"db\" given twice");
    err_clear(&e);
    cr_assert_eq(monitor_start_procs(&m, 0, own, 1, 0, &e), -1);
    cr_assert_str_eq(e.msg, "monitor: label \"pacer\" is pacer's own (server, pacer, net)");
    err_clear(&e);
    cr_assert_eq(monitor_start_procs(&m, 0, odd, 1, 0, &e), -1);
    cr_assert_str_eq(e.msg,
                     "monitor: label \"a b\": ' ' is not a letter, digit, '-', '_' or '.'");
    err_clear(&e);
    cr_assert_eq(monitor_start_procs(&m, 0, nopid, 1, 0, &e), -1);
    cr_assert_str_eq(e.msg, "monitor: db: bad process id 0");
    err_clear(&e);
    dead[0].pid = dead_pid();
    cr_assert_eq(monitor_start_procs(&m, 0, dead, 1, 0, &e), -1);
    cr_assert_not_null(strstr(e.msg, "monitor: db: process "), "%s", e.msg);
    cr_assert_not_null(strstr(e.msg, ": no such process"), "%s", e.msg);
    monitor_free(&m);

    err_clear(&e);
    cr_assert_eq(mon_procs_add(&procs, &n, "redis=1234", &e), 0, "%s", e.msg);
    cr_assert_eq(mon_procs_add(&procs, &n, "db.2=77", &e), 0, "%s", e.msg);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(procs[0].label, "redis");
    cr_assert_eq(procs[0].pid, 1234);
    cr_assert_str_eq(procs[1].label, "db.2");
    cr_assert_eq(mon_procs_add(&procs, &n, "redis", &e), -1);
    cr_assert_str_eq(e.msg, "expected NAME=PID");
    err_clear(&e);
    cr_assert_eq(mon_procs_add(&procs, &n, "cache=12x", &e), -1);
    cr_assert_str_eq(e.msg, "\"12x\" after '=' is not a process id (a whole number above 0)");
    err_clear(&e);
    cr_assert_eq(mon_procs_add(&procs, &n, "=12", &e), -1);
    cr_assert_str_eq(e.msg, "empty label");
    err_clear(&e);
    cr_assert_eq(mon_procs_add(&procs, &n, "redis=5", &e), -1);
    cr_assert_str_eq(e.msg, "label \"redis\" given twice");
    cr_assert_eq(n, 2, "nothing added on a fault");
    mon_procs_free(procs, n);
}

/* Connections over a window: per port its most and its mean, over the
 * rows whose counts were read. */
Test(monitor, tcp_summary_of_hand_built_rows)
{
    struct mon_row rows[4];
    struct mon_tcp_summary u;

    memset(rows, 0, sizeof rows);
    rows[0].t = 0;
    rows[1].t = 1;
    rows[2].t = 2;
    rows[3].t = 3;
    rows[0].tcp = (struct mon_tcp){1, 1, 12, 0, 2, {{8080, 1, 10}, {6379, 0, 2}}};
    rows[1].tcp = (struct mon_tcp){1, 1, 30, 1, 2, {{8080, 1, 20}, {6379, 0, 10}}};
    /* rows[2] not read */
    rows[3].tcp = (struct mon_tcp){1, 1, 10, 0, 1, {{6379, 0, 10}}};
    mon_tcp_summarise(rows, 4, 0, -1, &u);
    cr_assert_eq(u.rows, 3);
    cr_assert_eq(u.listen_max, 1.0);
    cr_assert_eq(u.established_max, 30.0);
    cr_assert_eq(u.established_mean, 52.0 / 3);
    cr_assert_eq(u.other_max, 1.0);
    cr_assert_eq(u.nports, 2);
    cr_assert_eq(u.ports[0].port, 8080);
    cr_assert_eq(u.ports[0].inbound, 1);
    cr_assert_eq(u.ports[0].max, 20.0);
    cr_assert_eq(u.ports[0].mean, 10.0);
    cr_assert_eq(u.ports[1].port, 6379);
    cr_assert_eq(u.ports[1].max, 10.0);
    cr_assert_eq(u.ports[1].mean, 22.0 / 3);
    mon_tcp_summarise(rows, 4, 2.5, -1, &u);
    cr_assert_eq(u.rows, 1);
    cr_assert_eq(u.nports, 1);
    mon_tcp_summarise(rows, 4, 1.5, 2.5, &u);
    cr_assert_eq(u.rows, 0, "the row there was not read");
}

/* The socket inodes of this process's descriptors, sorted, into v (at most
 * max); their count. */
static size_t own_sockets(uint64_t *v, size_t max)
{
    size_t n = 0, i, j;
    int fd;

    for (fd = 0; fd < 1024 && n < max; fd++) {
        char path[64], link[64];
        ssize_t len;

        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        len = readlink(path, link, sizeof link - 1);
        if (len > 8 && !strncmp(link, "socket:[", 8)) {
            link[len] = '\0';
            v[n++] = strtoull(link + 8, NULL, 10);
        }
    }
    for (i = 1; i < n; i++)       /* insertion sort: a handful */
        for (j = i; j > 0 && v[j] < v[j - 1]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return n;
}

/* Where netlink is not allowed /proc/net/tcp is read: both count this
 * process's sockets alike (a listener, three connections to it, both
 * ends). */
Test(monitor, netlink_and_proc_tables_agree)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    struct tcp_table nl = {0}, proc = {.nl = -1};
    struct mon_tcp x, y;
    uint64_t v[64];
    int l = socket(AF_INET, SOCK_STREAM, 0), c[3], s[3], i;
    size_t n;

    cr_assert_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(l, 8), 0);
    cr_assert_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
    for (i = 0; i < 3; i++) {
        c[i] = socket(AF_INET, SOCK_STREAM, 0);
        cr_assert_eq(connect(c[i], (struct sockaddr *)&a, sizeof a), 0);
        s[i] = accept(l, NULL, NULL);
        cr_assert_geq(s[i], 0);
    }
    n = own_sockets(v, 64);
    cr_assert_eq(tcp_table_read(&nl), 0, "%s", strerror(errno));
    cr_assert_gt(nl.nl, 0, "netlink is allowed here");
    cr_assert_eq(tcp_table_read(&proc), 0, "%s", strerror(errno));
    tcp_count(&nl, v, n, &x);
    tcp_count(&proc, v, n, &y);
    cr_assert_eq(x.listen, 1);
    cr_assert_eq(x.established, 6);
    cr_assert_eq(conns_on(&x, ntohs(a.sin_port), 1), 3, "accepted: inbound");
    cr_assert_eq(conns_on(&x, ntohs(a.sin_port), 0), 3, "connected: out to the port");
    cr_assert_eq(memcmp(&x, &y, sizeof x), 0, "the same counts from /proc/net/tcp");
    cr_assert_geq(proc.time_wait, 0);
    tcp_table_free(&nl);
    tcp_table_free(&proc);
    for (i = 0; i < 3; i++) {
        close(c[i]);
        close(s[i]);
    }
    close(l);
}
