/*
 * test_target.c: servers started for load benchmarks (load/target.c):
 * readiness by TCP, HTTP and a stdout line; a target that exits at once,
 * one that never gets ready, one that ignores SIGTERM; output drained
 * without blocking the server; and no process left behind.  Real
 * processes on loopback, every wait bounded.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/run/target.h"
#include "helpers.h"

TestSuite(target, .timeout = 60);

/* Wait up to 2 s for pid to be gone. */
static int gone(pid_t pid)
{
    int i;

    for (i = 0; i < 200 && proc_alive(pid); i++)
        usleep(10000);
    return !proc_alive(pid);
}

static void opts(struct target_opts *o, char *const *argv, int port, enum ready_kind r,
                 const char *arg)
{
    memset(o, 0, sizeof *o);
    o->name = "t";
    o->argv = argv;
    o->port = port;
    o->ready = r;
    o->ready_arg = arg;
    o->ready_timeout_ns = 10000000000ULL;
    o->stop_timeout_ns = 3000000000ULL;
}

static int free_port(void)
{
    struct err e = {0};
    int port = target_free_port(&e);

    cr_assert_gt(port, 0, "%s", e.msg);
    return port;
}

static const char *testsrv(void)
{
    static char path[512];

    build_path(path, sizeof path, "suites/targets/testsrv");
    return access(path, X_OK) == 0 ? path : NULL;
}

Test(target, free_port_is_a_port)
{
    int port = free_port();

    cr_assert_leq(port, 65535);
}

Test(target, free_ports_are_below_the_ephemeral_range)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    int lo = 32768, hi, i;
    struct err e = {0};

    if (f) {
        cr_assert_eq(fscanf(f, "%d %d", &lo, &hi), 2);
        fclose(f);
    }
    for (i = 0; i < 20; i++) {
        int p = target_free_port(&e);
        cr_assert_gt(p, 0, "%s", e.msg);
        if (lo - 16384 >= 1024)
            cr_assert_lt(p, lo, "port %d is in the ephemeral range from %d", p, lo);
        cr_assert_not(target_port_taken(p));
    }
}

Test(target, ready_by_tcp_then_stopped_by_sigterm)
{
    char ps[16], *argv[] = {"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", ps,
                            NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    int port = free_port();
    pid_t pid;

    snprintf(ps, sizeof ps, "%d", port);
    opts(&o, argv, port, READY_TCP, NULL);
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    pid = t.pid;
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    cr_assert_eq(target_exited(&t, NULL), 0);
    cr_assert_eq(target_stop(&t), 0, "it ends on SIGTERM within the stop timeout");
    cr_assert(WIFSIGNALED(t.status) || WIFEXITED(t.status));
    cr_assert(gone(pid));
    cr_assert_eq(target_stop(&t), 2, "a second stop does nothing");
}

Test(target, ready_by_http)
{
    const char *srv = testsrv();
    char ps[16], *py[] = {"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", ps, NULL};
    char *ts[] = {(char *)srv, "--port", ps, "--max-time", "30s", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    int port = free_port();
    pid_t pid;

    snprintf(ps, sizeof ps, "%d", port);
    opts(&o, srv ? ts : py, port, READY_HTTP, "/");
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    pid = t.pid;
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    target_stop(&t);
    cr_assert(gone(pid));
}

Test(target, http_probe_needs_a_good_status)
{
    const char *srv = testsrv();
    char ps[16], *ts[] = {(char *)srv, "--port", ps, "--mode", "status", "--status", "503",
                          "--max-time", "30s", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    int port = free_port();

    if (!srv)
        cr_skip_test("no testsrv under $PACER_BUILD");
    snprintf(ps, sizeof ps, "%d", port);
    opts(&o, ts, port, READY_HTTP, "/");
    /* long enough for the server to answer on a busy machine */
    o.ready_timeout_ns = 2000000000ULL;
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_TIMEOUT);
    cr_assert_str_eq(e.msg, "not ready after 2s (GET / answered 503)");
    target_stop(&t);
}

Test(target, ready_by_stdout_line_with_env_and_cwd)
{
    char *argv[] = {"/bin/sh", "-c",
                    "sleep 0.2; echo \"up: $PACER_T_VALUE in $(pwd)\"; exec sleep 30", NULL};
    char *env[] = {"PACER_T_VALUE=forty-two", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    char *out;

    opts(&o, argv, 0, READY_STDOUT, "forty-two in /tmp");
    o.env = env;
    o.cwd = "/tmp";
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    out = target_stdout_tail(&t);
    cr_assert_str_eq(out, "up: forty-two in /tmp");
    free(out);
    cr_assert_eq(target_stop(&t), 0);
}

/* env_over on top of env, and both on top of pacer's environment: each
 * name once, the last layer's value. */
Test(target, env_over_overrides_the_targets_own)
{
    char *argv[] = {"/bin/sh", "-c",
                    "echo \"$PACER_T_A $PACER_T_B $PACER_T_C $(env | grep -c '^PACER_T_B=')\"; "
                    "exec sleep 30", NULL};
    char *env[] = {"PACER_T_A=own", "PACER_T_B=own", NULL};
    char *over[] = {"PACER_T_B=over", "PACER_T_C=over", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    char *out;

    setenv("PACER_T_B", "pacer", 1);
    opts(&o, argv, 0, READY_STDOUT, "over");
    o.env = env;
    o.env_over = over;
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    out = target_stdout_tail(&t);
    cr_assert_str_eq(out, "own over over 1");
    free(out);
    cr_assert_eq(target_stop(&t), 0);
}

Test(target, a_target_that_exits_at_once_gives_its_stderr)
{
    char *argv[] = {"/bin/sh", "-c", "echo 'cannot bind: address in use' >&2; exit 3", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    char *tail;
    int status;

    opts(&o, argv, free_port(), READY_TCP, NULL);
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_EXITED);
    cr_assert_str_eq(e.msg, "exited with status 3 before it was ready");
    cr_assert(target_exited(&t, &status));
    cr_assert_eq(WEXITSTATUS(status), 3);
    tail = target_stderr_tail(&t);
    cr_assert_str_eq(tail, "cannot bind: address in use");
    free(tail);
    cr_assert_eq(target_stop(&t), 2);
    cr_assert_eq(WEXITSTATUS(t.status), 3);
}

Test(target, never_ready_times_out_and_its_group_is_killed)
{
    /* The shell starts a child in its group and says which. */
    char *argv[] = {"/bin/sh", "-c", "sleep 30 & echo $!; wait", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    pid_t pid, kid = 0;
    char *out;
    int i;

    opts(&o, argv, free_port(), READY_TCP, NULL);
    o.ready_timeout_ns = 300000000ULL;
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    pid = t.pid;
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_TIMEOUT);
    cr_assert_str_eq(e.msg, "not ready after 0.3s (connect: Connection refused)");
    for (i = 0; i < 200 && !kid; i++) {
        out = target_stdout_tail(&t);
        if (out)
            kid = (pid_t)atoi(out);
        free(out);
        if (!kid)
            usleep(10000);
    }
    cr_assert_gt(kid, 0);
    cr_assert(proc_alive(kid));
    target_stop(&t);
    cr_assert(gone(pid));
    cr_assert(gone(kid), "the target's child %d outlived it", (int)kid);
}

/* A target that leaves a daemon behind in a session of its own (setsid,
 * and its parent gone: a double fork) is out of its process group; it is
 * still stopped with the target (its environment carries the target's
 * mark), and as pacer is a subreaper it was pacer's to reap. */
Test(target, a_daemon_in_its_own_session_is_stopped_too)
{
    char *argv[] = {"/bin/sh", "-c",
                    "sh -c 'setsid sleep 30 & echo $!' ; sleep 30", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    pid_t daemon = 0;
    char *out, path[64], stat[512];
    FILE *f;
    int i;

    opts(&o, argv, free_port(), READY_TCP, NULL);
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    for (i = 0; i < 300 && !daemon; i++) {
        out = target_stdout_tail(&t);
        if (out)
            daemon = (pid_t)atoi(out);
        free(out);
        if (!daemon)
            usleep(10000);
    }
    cr_assert_gt(daemon, 0);
    usleep(100000);   /* its parent, the inner sh, has exited by now */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)daemon);
    f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(stat, sizeof stat, f));
    fclose(f);
    /* pid (comm) state ppid pgrp session: its own session, pacer its parent */
    {
        int ppid, pgrp, sid;
        char *p = strrchr(stat, ')');
        cr_assert_eq(sscanf(p + 2, "%*c %d %d %d", &ppid, &pgrp, &sid), 3);
        cr_assert_eq(sid, (int)daemon, "%s", stat);
        cr_assert_neq(pgrp, (int)t.pid);
        cr_assert_eq(ppid, (int)getpid(), "not reparented to the subreaper: %s", stat);
    }
    target_stop(&t);
    cr_assert(gone(daemon), "the daemon %d outlived its target", (int)daemon);
}

Test(target, a_target_that_ignores_sigterm_is_killed_after_the_timeout)
{
    char *argv[] = {"/bin/sh", "-c", "trap '' TERM; echo up; exec sleep 30", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    pid_t pid;

    opts(&o, argv, 0, READY_STDOUT, "up");
    o.stop_timeout_ns = 300000000ULL;
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    pid = t.pid;
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    cr_assert_eq(target_stop(&t), 1, "it had to be killed");
    cr_assert(WIFSIGNALED(t.status));
    cr_assert_eq(WTERMSIG(t.status), SIGKILL);
    cr_assert(gone(pid));
}

Test(target, a_chatty_target_never_blocks_on_its_pipes)
{
    /* 4 MiB to stderr, far beyond a pipe's buffer, before the ready line. */
    char *argv[] = {"/bin/sh", "-c",
                    "head -c 4194304 /dev/zero | tr '\\000' x >&2; echo; echo last words >&2; "
                    "echo ready; exec sleep 30", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    char *tail;

    opts(&o, argv, 0, READY_STDOUT, "ready");
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    /* stdout's ready line can come before stderr's last bytes are read:
     * give them up to 5 s to arrive */
    for (int i = 0; i < 500; i++) {
        tail = target_stderr_tail(&t);
        if (tail && strstr(tail, "last words"))
            break;
        free(tail);
        tail = NULL;
        sleep_ms(10);
    }
    cr_assert_not_null(tail, "the last words never came");
    cr_assert_leq(strlen(tail), TAIL_MAX, "the tail is bounded");
    free(tail);
    target_stop(&t);
}

Test(target, exit_raises_the_linked_flag)
{
    char *argv[] = {"/bin/sh", "-c", "echo up; sleep 0.3", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    volatile int flag = 0, intr = 0;
    int i;

    opts(&o, argv, 0, READY_STDOUT, "up");
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    cr_assert_eq(target_wait_ready(&t, NULL, &e), TARGET_READY, "%s", e.msg);
    target_link(&t, &flag, &intr);
    for (i = 0; i < 500 && !flag; i++)
        usleep(10000);
    cr_assert_eq(flag, 1);
    cr_assert(target_exited(&t, NULL));
    target_unlink(&t);
    cr_assert_eq(target_stop(&t), 2);
}

Test(target, interrupt_raises_the_linked_flag_and_ends_the_wait)
{
    char *argv[] = {"/bin/sh", "-c", "exec sleep 30", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};
    volatile int flag = 0, intr = 0;
    int i;

    opts(&o, argv, free_port(), READY_TCP, NULL);
    cr_assert_eq(target_start(&t, &o, &e), 0, "%s", e.msg);
    target_link(&t, &flag, &intr);
    intr = 1;
    for (i = 0; i < 500 && !flag; i++)
        usleep(10000);
    cr_assert_eq(flag, 1);
    cr_assert_eq(target_wait_ready(&t, &intr, &e), TARGET_INTERRUPTED);
    target_unlink(&t);
    cr_assert_eq(target_stop(&t), 0);
}

Test(target, cannot_run_leaves_nothing)
{
    char *argv[] = {"/nonexistent/server", NULL};
    char *argv2[] = {"/bin/true", NULL};
    struct target_opts o;
    struct target t;
    struct err e = {0};

    opts(&o, argv, 0, READY_TCP, NULL);
    cr_assert_eq(target_start(&t, &o, &e), -1);
    cr_assert_str_eq(e.msg, "cannot run /nonexistent/server: No such file or directory");
    err_clear(&e);
    opts(&o, argv2, 0, READY_TCP, NULL);
    o.cwd = "/nonexistent-dir";
    cr_assert_eq(target_start(&t, &o, &e), -1);
    cr_assert_str_eq(e.msg, "cannot enter /nonexistent-dir: No such file or directory");
}
