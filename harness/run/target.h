/*
 * target.h: a server that a load benchmark runs against, started by pacer.
 * It runs in its own process group (so it is stopped with whatever it
 * started), its stdout and stderr are drained by a thread into bounded
 * tails (a chatty server never blocks on a full pipe), readiness is awaited
 * with a deadline, and stopping it is SIGTERM to the group, SIGKILL after
 * the stop timeout, and always a reaped process.
 *
 * The thread also watches for the server's exit (without reaping it: the
 * leader stays a zombie until target_stop, which keeps its process group
 * id reserved so the final SIGKILL to the group reaches only its members).
 */
#ifndef PACER_TARGET_H
#define PACER_TARGET_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/lib/err.h"
#include "tail.h"

enum ready_kind {
    READY_TCP,       /* a TCP connect to 127.0.0.1:port succeeds */
    READY_HTTP,      /* GET path on 127.0.0.1:port answers 2xx or 3xx */
    READY_STDOUT,    /* a line of its stdout holds the text */
};

/* How to start a target.  Everything is borrowed for the call to
 * target_start, except ready_arg, which must live until target_stop. */
struct target_opts {
    const char *name;            /* for messages */
    char *const *argv;           /* NULL-terminated; argv[0] searched in PATH */
    char *const *env;            /* "NAME=VALUE" set on top of pacer's
                                    environment, NULL-terminated; may be NULL */
    char *const *env_over;       /* the same on top of env (overriding it) */
    const char *cwd;             /* NULL: pacer's current directory */
    int port;                    /* the port the tcp and http probes use */
    enum ready_kind ready;
    const char *ready_arg;       /* http: the path; stdout: the text */
    uint64_t ready_timeout_ns;
    uint64_t stop_timeout_ns;
};

struct target {
    char *name;
    pid_t pid;                   /* also its process group id */
    int port;
    enum ready_kind ready;
    const char *ready_arg;
    uint64_t ready_timeout_ns, stop_timeout_ns;
    int out_fd, err_fd, wake[2];
    pthread_t thread;
    int thread_started;
    pthread_mutex_t lock;        /* guards what the thread writes below */
    struct tail out, err;
    char *line;                  /* the stdout line being read (thread only) */
    size_t linelen;
    int ready_seen;              /* READY_STDOUT: the text was seen */
    int exited;                  /* it exited (a zombie until target_stop) */
    int status;                  /* its wait status once exited */
    int reaped;
    int quit;                    /* the thread is asked to end */
    volatile int *notify;        /* raised when it exits or *interrupt is set */
    const volatile int *interrupt;
    char mark[64];               /* PACER_TARGET=<pacer's pid>.<n> in the
                                    environment of it and its descendants */
};

/* Start the target: fork, own process group, stdin from /dev/null, stdout
 * and stderr to pipes read by a thread, cwd and env applied (with a mark
 * of its own, PACER_TARGET, that its descendants inherit), exec.  pacer
 * becomes a subreaper (PR_SET_CHILD_SUBREAPER): what the target leaves
 * behind when its parent dies is reparented to pacer, not to init.  It is
 * killed should the calling thread die first (PR_SET_PDEATHSIG: call it
 * from a thread that lives as long as the target, such as the main one).
 * Returns 0, or -1 with "cannot run ARGV0: cause" (or the cwd's problem)
 * in e; nothing is left running then.  Release t with target_stop. */
int target_start(struct target *t, const struct target_opts *o, struct err *e);

enum target_wait {
    TARGET_READY,
    TARGET_EXITED,       /* it exited first: "exited with status 1 before it was ready" */
    TARGET_TIMEOUT,      /* "not ready after 10s" (it is still running) */
    TARGET_INTERRUPTED,  /* *interrupt was set */
};

/* Probe until the target is ready, exits, the ready timeout passes or
 * *interrupt (may be NULL) is set.  The cause of anything but
 * TARGET_READY goes to e (without the target's name). */
enum target_wait target_wait_ready(struct target *t, const volatile int *interrupt,
                                   struct err *e);

/* Until target_unlink, raise *flag (from the thread, within about 20 ms)
 * when the target exits or *interrupt (may be NULL) becomes non-zero: a
 * load run's stop flag. */
void target_link(struct target *t, volatile int *flag, const volatile int *interrupt);
void target_unlink(struct target *t);

/* 1 (and its wait status in *status when not NULL) if it has exited. */
int target_exited(struct target *t, int *status);

/* Stop it: SIGTERM to its group unless it exited already, SIGKILL to the
 * group after the stop timeout (and in any case to whatever the leader
 * left behind), reap it, end the thread, close the pipes.  Returns 0 when
 * it was running and ended within the stop timeout, 1 when it had to be
 * killed, 2 when it had exited before (its own status stays in
 * t->status).  Safe to call twice. */
int target_stop(struct target *t);

/* The last lines of its stderr or stdout as new strings, or NULL. */
char *target_stderr_tail(struct target *t);
char *target_stdout_tail(struct target *t);

/* A free TCP port on 127.0.0.1, or -1 with the cause in e: a random one
 * below the kernel's ephemeral range (so no outgoing connection takes it
 * before the target binds it) that can be bound now, else whatever
 * binding port 0 gives.  Another listener may still take it first: the
 * target then exits, and target_port_taken tells why. */
int target_free_port(struct err *e);

/* 1 when port on 127.0.0.1 cannot be bound now (someone holds it). */
int target_port_taken(int port);

#endif
