/*
 * moncost.c: what the load monitor (harness/load/monitor.c) costs a
 * sample, against a process tree that holds 10, 100 and 1000 TCP sockets.
 *
 *     make build/self/moncost && build/self/moncost [SECONDS]
 *
 * For each size a child process opens that many sockets on loopback (a
 * listener and connections to itself, both ends held), the monitor samples
 * it (and pacer) at its default period of 100 ms for SECONDS (default 3),
 * and the CPU this process used meanwhile (the sampler's thread: the main
 * thread sleeps) over the samples taken is the cost of one sample: the
 * /proc scan for the tree, its files and descriptors, the TCP tables and
 * /proc/net/dev.  Printed beside it: that cost as a share of a core, the
 * part of it that is the TCP tables' read alone (the kernel walks every
 * connection of the machine, TIME_WAIT included, so the machine's sockets
 * are printed first), and the sockets the last row counted.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/lib/clock.h"
#include "harness/load/monitor.h"
#include "harness/load/netstat.h"

/* A child holding 1 listener and n connections to it (both ends): 2n + 1
 * sockets.  It tells it is ready on fd and waits to be killed. */
static pid_t hold_sockets(int n, int fd)
{
    pid_t pid = fork();

    if (pid != 0)
        return pid;
    {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t len = sizeof a;
        int l = socket(AF_INET, SOCK_STREAM, 0), i;

        alarm(120);
        if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1024) < 0 ||
            getsockname(l, (struct sockaddr *)&a, &len) < 0)
            _exit(1);
        for (i = 0; i < n; i++) {
            int c = socket(AF_INET, SOCK_STREAM, 0);

            if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) < 0 ||
                accept(l, NULL, NULL) < 0)
                _exit(1);
        }
        if (write(fd, "r", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
}

int main(int argc, char **argv)
{
    static const int sizes[] = {5, 50, 500};
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    struct tcp_table tab = {0};
    size_t i;

    if (!(seconds > 0)) {
        fprintf(stderr, "usage: moncost [SECONDS]\n");
        return 2;
    }
    if (tcp_table_read(&tab) == 0)
        printf("machine: %zu TCP sockets with a process, %lld in TIME_WAIT\n", tab.n,
               (long long)tab.time_wait);
    tcp_table_free(&tab);
    printf("%8s %8s %12s %14s %12s %8s\n", "sockets", "samples", "us/sample", "core at 100ms",
           "tables us", "counted");
    for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        struct monitor m;
        struct err e = {0};
        const struct mon_series *s;
        uint64_t cpu0, cpu1, t0;
        int k;
        struct timespec ts = {(time_t)seconds, (long)((seconds - (long)seconds) * 1e9)};
        int p[2];
        char c;
        pid_t pid;
        size_t rows;

        if (pipe(p) < 0 || (pid = hold_sockets(sizes[i], p[1])) < 0 || read(p[0], &c, 1) != 1) {
            fprintf(stderr, "moncost: cannot start the child: %s\n", strerror(errno));
            return 1;
        }
        cpu0 = clock_process_cpu_ns();
        if (monitor_start(&m, pid, 0, &e) < 0) {
            fprintf(stderr, "moncost: %s\n", e.msg);
            return 1;
        }
        nanosleep(&ts, NULL);
        monitor_stop(&m);
        cpu1 = clock_process_cpu_ns();
        s = monitor_series(&m, "server");
        rows = s ? s->n : 0;
        t0 = clock_thread_cpu_ns();
        for (k = 0; k < 20; k++)
            tcp_table_read(&tab);
        t0 = clock_thread_cpu_ns() - t0;
        tcp_table_free(&tab);
        printf("%8d %8zu %12.1f %13.2f%% %12.1f %8lld\n", 2 * sizes[i] + 1, rows,
               rows ? (double)(cpu1 - cpu0) / 1e3 / (double)rows : 0.0,
               rows ? (double)(cpu1 - cpu0) / (double)rows / 1e8 * 100 : 0.0,
               (double)t0 / 20 / 1e3,
               rows ? (long long)(s->rows[rows - 1].tcp.established +
                                  s->rows[rows - 1].tcp.listen) : -1LL);
        monitor_free(&m);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(p[0]);
        close(p[1]);
    }
    return 0;
}
