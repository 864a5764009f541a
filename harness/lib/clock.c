/*
 * clock.c: process CPU time and the measurement of the clock itself: its
 * resolution as seen by a caller, and the cost of one read.  Both go into a
 * result's context, and calibration uses the resolution to size samples.
 */
#include "clock.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Resolution: this many observed steps, each bounded by STEP_MAX_READS
 * reads, so a clock that never moves cannot hang the measurement. */
#define STEP_TRIES 1000
#define STEP_MAX_READS 1000000

/* Read cost: the median of READ_ROUNDS rounds of READ_BATCH reads each. */
#define READ_ROUNDS 21
#define READ_BATCH 10000

uint64_t clock_process_cpu_ns(void)
{
    return clock_cpu_ns();
}

/* The smallest non-zero difference between two successive reads, or 0 when
 * the clock was never seen to move. */
static double smallest_step_ns(void)
{
    uint64_t best = 0;
    int i;

    for (i = 0; i < STEP_TRIES; i++) {
        uint64_t t0 = clock_now_ns(), t1 = t0;
        long n;

        for (n = 0; n < STEP_MAX_READS && t1 == t0; n++)
            t1 = clock_now_ns();
        if (t1 > t0 && (best == 0 || t1 - t0 < best))
            best = t1 - t0;
    }
    return (double)best;
}

static double median_of(double *v, size_t n)
{
    size_t i, j;

    /* insertion sort: n is READ_ROUNDS */
    for (i = 1; i < n; i++) {
        double x = v[i];

        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median over rounds of the mean time of one read in a batch of back-to-back
 * reads; the median discards rounds hit by an interrupt or a preemption. */
static double read_cost_ns(void)
{
    double round_ns[READ_ROUNDS];
    volatile uint64_t sink = 0;
    int r, i;

    for (r = 0; r < READ_ROUNDS; r++) {
        uint64_t t0 = clock_now_ns(), t1, acc = 0;

        for (i = 0; i < READ_BATCH; i++)
            acc += clock_now_ns();
        t1 = clock_now_ns();
        sink += acc;
        round_ns[r] = (double)(t1 - t0) / READ_BATCH;
    }
    (void)sink;
    return median_of(round_ns, READ_ROUNDS);
}

void clock_measure(struct clock_info *ci)
{
    struct timespec res;
    double step;

    if (clock_getres(CLOCK_MONOTONIC, &res) == 0)
        ci->getres_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
    else
        ci->getres_ns = 0;
    if (ci->getres_ns <= 0)
        ci->getres_ns = 1;   /* no claim: the finest a ns clock can step */

    step = smallest_step_ns();
    ci->resolution_ns = step > ci->getres_ns ? step : ci->getres_ns;

    ci->read_ns = read_cost_ns();
    if (ci->read_ns <= 0)
        ci->read_ns = ci->resolution_ns / READ_BATCH;   /* never 0 */
}

int clock_sched_open(void)
{
    return open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

int clock_sched_read(int fd, uint64_t *run, uint64_t *queued)
{
    char buf[96], *end;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

    if (n <= 0)
        return -1;
    buf[n] = '\0';
    *run = strtoull(buf, &end, 10);
    if (end == buf)
        return -1;
    *queued = strtoull(end, &end, 10);
    return 0;
}

int clock_sched_times(uint64_t *run, uint64_t *queued)
{
    FILE *f = fopen("/proc/thread-self/schedstat", "r");
    unsigned long long a, b;
    int ok;

    if (!f)
        return -1;
    ok = fscanf(f, "%llu %llu", &a, &b) == 2;
    fclose(f);
    if (!ok)
        return -1;
    *run = a;
    *queued = b;
    return 0;
}
