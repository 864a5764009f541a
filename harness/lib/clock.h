/*
 * clock.h: the one clock.  All timing in pacer reads CLOCK_MONOTONIC here,
 * never gettimeofday (which jumps with the wall clock).
 */
#ifndef PACER_CLOCK_H
#define PACER_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds since an arbitrary fixed point. */
static inline uint64_t clock_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of the calling process (user + system, all its threads), ns:
 * the time it ran, whatever the time it waited for a core.  A system call
 * (CLOCK_PROCESS_CPUTIME_ID has no vDSO path): read it around a sample,
 * not inside one. */
static inline uint64_t clock_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of the calling thread alone, ns (threaded benchmarks: Google
 * Benchmark's ThreadCPUUsage). */
static inline uint64_t clock_thread_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The same, out of line (for callers that take its address). */
uint64_t clock_process_cpu_ns(void);

/* The calling thread's time on a CPU and waiting for one (runnable, not
 * running), in ns, from /proc/thread-self/schedstat; -1 where the kernel
 * does not keep them. */
int clock_sched_times(uint64_t *run, uint64_t *queued);
/* The same from a descriptor kept open (clock_sched_open, -1 when the
 * kernel has no schedstat): one pread a reading, no allocation, for
 * readings beside samples.  The descriptor is the calling thread's. */
int clock_sched_open(void);
int clock_sched_read(int fd, uint64_t *run, uint64_t *queued);

struct clock_info {
    double resolution_ns;  /* smallest non-zero step seen between two reads
                              (at least clock_getres) */
    double read_ns;        /* median cost of one clock_now_ns() call */
    double getres_ns;      /* what clock_getres(CLOCK_MONOTONIC) claims */
};

/* Measure the clock (takes a few milliseconds). */
void clock_measure(struct clock_info *ci);

#endif
