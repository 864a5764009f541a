/*
 * srvprof.h: a profile of a server for the measured window of a load run
 * (pacer load --profile-pid).  A Python server (its executable is python)
 * profiles itself: suites/targets/pyprofile.py samples its event loop
 * between SIGUSR1 and SIGUSR2 and writes the profile; one that handles
 * neither signal is never sent them (they would end it).  Any other server is
 * sampled by perf record (Debian's linux-perf) on the software clock
 * (cpu-clock, 999 Hz, stacks unwound from DWARF), which works where the
 * hardware counters do not (as on this kind of VM); perf script's samples
 * become the same profile format (harness/result/profile.h, event "us":
 * microseconds of the server's CPU a request).
 */
#ifndef PACER_SRVPROF_H
#define PACER_SRVPROF_H

#include <stdint.h>
#include <sys/types.h>

#include "harness/lib/err.h"

struct srvprof {
    pid_t pid;                    /* the server */
    int perf;                     /* 1: perf record; 0: it profiles itself */
    pid_t perf_pid;               /* perf record while the window is open */
    char data[4200];              /* perf's data file */
    int ctl, ack;                 /* an armed perf record's control FIFOs
                                     (srvprof_arm), or -1 */
    const char *who;              /* what warnings start with (borrowed);
                                     NULL: "load: --profile-pid PID" */
};

/* How pid is to be profiled: 0, or -1 with the cause (no such process; a
 * Python one that does not handle SIGUSR1 and SIGUSR2; a native one
 * without perf here). */
int srvprof_init(struct srvprof *sp, pid_t pid, struct err *e);

/* Before the load: perf record started on the server with its events
 * off, ready to be switched on at the window's start (perf takes from
 * milliseconds to a second to start; started at the window, it could miss
 * a short one).  Nothing for a server that profiles itself; where it
 * cannot be armed, srvprof_start starts perf as the window opens. */
void srvprof_arm(struct srvprof *sp);

/* load_opts.window_start and window_end (arg: the srvprof). */
void srvprof_start(void *arg);
void srvprof_end(void *arg);

/* The window's profile, costs per request (requests in the window), into
 * a new temporary file whose path goes to dest.  0, or -1 after a
 * warning. */
int srvprof_fetch(struct srvprof *sp, uint64_t requests, char *dest, size_t len);

void srvprof_free(struct srvprof *sp);

/* srvprof_free, after removing a profile the server wrote and nobody
 * fetched (the window's load failed): call it once the server stopped. */
void srvprof_discard(struct srvprof *sp);

#endif
