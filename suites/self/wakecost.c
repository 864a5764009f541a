/*
 * wakecost.c: what one timer wake-up costs this machine: a thread sleeps
 * until an absolute time GAP ns apart (clock_nanosleep, timer slack 1 ns,
 * as pacer's open loop does) for 2 s, and prints the CPU time (user + sys)
 * per wake and how late the wakes came (mean).  On a virtual machine a
 * wake is a timer programmed and an interrupt through the host; this is
 * the floor of an open loop that sleeps between its sends.
 *
 * usage: build/self/wakecost [GAP_NS]   (default 50000: 20,000 wakes/s)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    uint64_t gap = argc > 1 ? strtoull(argv[1], NULL, 10) : 50000, t0, due, late = 0, n = 0;
    struct rusage ru;
    double cpu;

    if (!gap) {
        fprintf(stderr, "usage: wakecost [GAP_NS > 0]\n");
        return 2;
    }
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    t0 = due = now_ns();
    while (now_ns() - t0 < 2000000000u) {
        struct timespec ts;
        uint64_t x;

        due += gap;
        ts.tv_sec = (time_t)(due / 1000000000u);
        ts.tv_nsec = (long)(due % 1000000000u);
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        x = now_ns();
        late += x > due ? x - due : 0;
        n++;
    }
    getrusage(RUSAGE_SELF, &ru);
    cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
          ru.ru_stime.tv_usec / 1e6;
    printf("%llu wakes %llu ns apart: %.1f us of CPU a wake (%.0f%% sys), %.1f us late on "
           "average\n", (unsigned long long)n, (unsigned long long)gap, cpu / (double)n * 1e6,
           cpu > 0 ? 100.0 * (ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6) / cpu : 0.0,
           (double)late / (double)n / 1e3);
    return 0;
}
