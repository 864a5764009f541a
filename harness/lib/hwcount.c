/* hwcount.c: perf event counters around the timed loop (hwcount.h). */
#include "hwcount.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
    const char *name;
    uint32_t type;
    uint64_t config;
} events[] = {
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    {"cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES},
    {"branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES},
    {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
};
#define NEVENTS (sizeof events / sizeof events[0])

static int event_of(const char *name)
{
    size_t i;

    for (i = 0; i < NEVENTS; i++)
        if (!strcmp(events[i].name, name))
            return (int)i;
    return -1;
}

int hwcount_known(const char *name)
{
    return event_of(name) >= 0;
}

int hwcount_open(struct hwcount *h, const char *list, struct err *e)
{
    char buf[256], *tok, *save = NULL;

    memset(h, 0, sizeof *h);
    snprintf(buf, sizeof buf, "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        struct perf_event_attr a;
        int k = event_of(tok);
        long fd;

        if (k < 0 || h->n == HWCOUNT_MAX) {
            hwcount_close(h);
            return err_set(e, "%s: %s", tok, k < 0 ? "not a counter" : "too many counters");
        }
        memset(&a, 0, sizeof a);
        a.size = sizeof a;
        a.type = events[k].type;
        a.config = events[k].config;
        a.disabled = h->n == 0;            /* the leader starts the group */
        a.exclude_kernel = a.type == PERF_TYPE_HARDWARE;
        a.exclude_hv = 1;
        a.read_format = PERF_FORMAT_GROUP;
        fd = syscall(SYS_perf_event_open, &a, 0, -1, h->n ? h->fd[0] : -1, 0);
        if (fd < 0) {
            int err = errno;
            hwcount_close(h);
            return err_set(e, "%s: perf_event_open: %s", tok, strerror(err));
        }
        h->fd[h->n] = (int)fd;
        snprintf(h->names[h->n], sizeof h->names[0], "%s", tok);
        h->n++;
    }
    if (h->n == 0)
        return err_set(e, "no counter named");
    return 0;
}

void hwcount_start(struct hwcount *h)
{
    ioctl(h->fd[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
    ioctl(h->fd[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void hwcount_resume(struct hwcount *h)
{
    ioctl(h->fd[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void hwcount_stop(struct hwcount *h)
{
    ioctl(h->fd[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
}

int hwcount_read(const struct hwcount *h, uint64_t *v)
{
    uint64_t buf[1 + HWCOUNT_MAX];
    ssize_t r = read(h->fd[0], buf, sizeof buf);
    int i;

    if (r < (ssize_t)((1 + (size_t)h->n) * sizeof buf[0]) || buf[0] != (uint64_t)h->n)
        return -1;
    for (i = 0; i < h->n; i++)
        v[i] = buf[1 + i];
    return 0;
}

void hwcount_close(struct hwcount *h)
{
    int i;

    for (i = h->n - 1; i >= 0; i--)
        close(h->fd[i]);
    h->n = 0;
}
