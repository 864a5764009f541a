/*
 * child.h: a child process the driver talks to: a suite binary serving the
 * worker protocol (worker.h).  It runs in its own process group so a hang
 * can be killed with everything it started; its stderr is drained into a
 * bounded tail for error reports; every read has a deadline.
 */
#ifndef PACER_CHILD_H
#define PACER_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/lib/err.h"
#include "tail.h"

enum child_fail {
    CHILD_OK = 0,
    CHILD_ERR_ANSWER,     /* the worker answered "err ..." (message in err) */
    CHILD_DIED,           /* it exited or was killed (see status) */
    CHILD_TIMEOUT,        /* the deadline passed; it was killed */
    CHILD_INTERRUPTED,    /* the driver got SIGINT/SIGTERM; it was killed */
    CHILD_PROTOCOL,       /* it answered something that is not the protocol */
    CHILD_SKIPPED,        /* the benchmark skipped itself ("skip ...", reason in err) */
};

struct child {
    pid_t pid;
    int req_fd, ans_fd, err_fd;
    char *buf;             /* answer bytes read but not yet consumed */
    size_t blen, bcap;
    char *line;            /* the last line handed out */
    size_t linecap;
    struct tail tail;      /* last stderr bytes */
    int status;            /* wait status once reaped */
    int reaped;
};

/* Start `binary --pacer-worker` (fds 3/4 as the protocol pipes, stdout to
 * /dev/null), executed from a private in-memory copy of the file (its code
 * pages are then its own; see child.c), falling back to the file itself;
 * a Python file as said below.
 * Sets SIGPIPE to ignored in the calling process: a worker that dies is
 * seen as a write error, never as the driver's death.
 * Returns 0, or -1 with the cause in e. */
int child_start(struct child *c, const char *binary, struct err *e);
/* The same, the worker run under a wrapper: wrap is the wrapper's argv
 * (NULL-terminated, wrap[0] looked up in PATH) to which the binary and the
 * worker flag are appended; NULL is child_start. */
int child_start_under(struct child *c, char *const *wrap, const char *binary, struct err *e);

/* A Python benchmark file (FILE.py, harness/lib/pacer.py) runs as
 * `CHILD_PYTHON -m pacer FILE.py --pacer-worker` with the directory of
 * pacer.py first on PYTHONPATH: CHILD_PYTHON_LIBDIR beside the directory of
 * the running pacer (where make install puts it), else the source tree's
 * harness/lib (a pacer run from its build directory). */
#define CHILD_PYTHON "/usr/bin/python3"
#define CHILD_PYTHON_LIBDIR "lib/pacer/python"

/* Whether binary is a Python benchmark file (its name ends in ".py"). */
int child_is_python(const char *binary);
/* The directory of pacer.py into buf; -1 when neither place has it. */
int child_python_dir(char *buf, size_t len);

/* Send one request line (without newline) and read one answer line before
 * deadline_ns (a clock_now_ns() instant).  On "ok[ rest]" *rest points into
 * the child's buffer (valid until the next call) and CHILD_OK is returned;
 * otherwise a child_fail with a one-line cause in e. */
enum child_fail child_call(struct child *c, const char *req, char **rest, uint64_t deadline_ns,
                           struct err *e);
/* child_call in two halves, so that two workers can be asked at once:
 * send the request line, then read its answer. */
enum child_fail child_send(struct child *c, const char *req, struct err *e);
enum child_fail child_reply(struct child *c, char **rest, uint64_t deadline_ns, struct err *e);
/* Read one more line (list answers), same rules. */
enum child_fail child_line(struct child *c, char **line, uint64_t deadline_ns, struct err *e);

/* Ask it to quit and reap it, killing its group if it does not exit within
 * grace_ns.  Returns 0 if it exited 0, -1 otherwise with the cause in e. */
int child_stop(struct child *c, uint64_t grace_ns, struct err *e);
/* Kill its process group now and reap it. */
void child_kill(struct child *c);
/* Release the pipes and buffers (after stop or kill). */
void child_free(struct child *c);

/* The captured stderr tail as a new string (last few lines), or NULL. */
char *child_stderr_tail(const struct child *c);

/* Describe a wait status: "exited with status 3", "killed by signal 11
 * (SIGSEGV)". */
void child_describe_status(int status, char *buf, size_t len);

/* Set by SIGINT/SIGTERM once child_signals_install() ran. */
extern volatile int child_interrupted;
void child_signals_install(void);

#endif
