/*
 * segment.c: a load split over N generators (segment.h): shares of
 * connections, rates and stage targets, and the segment's identity from
 * its option or the job engine's environment; the agreed starts.
 */
#include "segment.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/lib/fmt.h"

unsigned long long segment_share(unsigned long long total, unsigned i, unsigned n)
{
    if (n == 0 || i < 1 || i > n)
        return 0;
    return total / n + ((unsigned long long)(i - 1) < total % n);
}

double segment_rate(double total, unsigned i, unsigned n)
{
    (void)i;
    return n ? total / n : 0;
}

/* A whole number from the environment variable name into *out: 0, or -1
 * when it is not set or not a whole number. */
static int env_count(const char *name, unsigned long long *out)
{
    const char *v = getenv(name);

    return v && *v && fmt_parse_count(v, out) == 0 ? 0 : -1;
}

static int from_env(unsigned segments, unsigned *i, unsigned *n, struct err *e)
{
    unsigned long long id, count;

    if (getenv("SLURM_PROCID") || getenv("SLURM_NTASKS")) {
        if (env_count("SLURM_PROCID", &id) < 0 || env_count("SLURM_NTASKS", &count) < 0 ||
            count < 1 || count > 100000 || id >= count)
            return err_set(e, "--segment auto: SLURM_PROCID '%s' and SLURM_NTASKS '%s' are "
                           "not a task of the job", getenv("SLURM_PROCID") ? getenv("SLURM_PROCID")
                           : "(unset)", getenv("SLURM_NTASKS") ? getenv("SLURM_NTASKS")
                           : "(unset)"), -1;
        if (segments && segments != count)
            return err_set(e, "--segments %u: SLURM_NTASKS says %llu", segments, count), -1;
    } else if (getenv("JOB_COMPLETION_INDEX")) {
        if (!segments)
            return err_set(e, "--segment auto: JOB_COMPLETION_INDEX needs the count, "
                           "--segments N"), -1;
        if (env_count("JOB_COMPLETION_INDEX", &id) < 0 || id >= segments)
            return err_set(e, "--segment auto: JOB_COMPLETION_INDEX '%s' is not an index "
                           "below --segments %u", getenv("JOB_COMPLETION_INDEX"),
                           segments), -1;
        count = segments;
    } else
        return err_set(e, "--segment auto: neither SLURM_PROCID and SLURM_NTASKS (Slurm) "
                       "nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set"), -1;
    *i = (unsigned)id + 1;
    *n = (unsigned)count;
    return 0;
}

int segment_parse(const char *spec, unsigned segments, unsigned *i, unsigned *n,
                  struct err *e)
{
    unsigned long long a, b;
    const char *slash = strchr(spec, '/');
    char head[32];

    if (!strcmp(spec, "auto"))
        return from_env(segments, i, n, e);
    if (segments)
        return err_set(e, "--segments %u: only with --segment auto (I/N says the count)",
                       segments), -1;
    if (!slash || (size_t)(slash - spec) >= sizeof head)
        return err_set(e, "--segment '%s': not I/N (segment I of N, from 1) or auto",
                       spec), -1;
    memcpy(head, spec, (size_t)(slash - spec));
    head[slash - spec] = '\0';
    if (fmt_parse_count(head, &a) < 0 || fmt_parse_count(slash + 1, &b) < 0)
        return err_set(e, "--segment '%s': not I/N (segment I of N, from 1) or auto",
                       spec), -1;
    if (b < 1 || b > 100000)
        return err_set(e, "--segment '%s': the count must be from 1 to 100000", spec), -1;
    if (a < 1 || a > b)
        return err_set(e, "--segment '%s': the index must be from 1 to %llu", spec, b), -1;
    *i = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

/* Each stage's target cut to segment i of n: users as whole numbers,
 * rates exactly.  The peak's share is 0: -1. */
static int stages_cut(struct load_stage *s, size_t k, int users, unsigned i, unsigned n)
{
    double peak = 0;
    size_t j;

    for (j = 0; j < k; j++) {
        s[j].target = users ? (double)segment_share((unsigned long long)floor(s[j].target + 0.5),
                                                    i, n)
                            : segment_rate(s[j].target, i, n);
        peak = s[j].target > peak ? s[j].target : peak;
    }
    return peak > 0 ? 0 : -1;
}

int segment_apply(struct load_opts *o, struct load_stage *stages, unsigned i, unsigned n,
                  struct err *e)
{
    o->row_first = i - 1;
    o->row_stride = n;
    if (o->nstages) {
        if (stages_cut(stages, o->nstages, 1, i, n) < 0)
            return err_set(e, "--segment %u/%u: the users of --stages cannot be split %u ways "
                           "(the peak's share is 0)", i, n, n), -1;
        return 0;
    }
    if (o->nrate_stages)
        stages_cut(stages, o->nrate_stages, 0, i, n);
    if (segment_share(o->connections, i, n) == 0)
        return err_set(e, "--segment %u/%u: %u connections cannot be split %u ways", i, n,
                       o->connections, n), -1;
    o->connections = (unsigned)segment_share(o->connections, i, n);
    o->rate = segment_rate(o->rate, i, n);
    return 0;
}

double segment_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int segment_sleep_until(double at, const volatile int *interrupt)
{
    struct timespec ts;
    int rc;

    ts.tv_sec = (time_t)floor(at);
    ts.tv_nsec = (long)((at - floor(at)) * 1e9);
    do {
        rc = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
    } while (rc == EINTR && !(interrupt && *interrupt));
    return interrupt && *interrupt ? 1 : 0;
}

/* One slot's length: o's warmup and its duration (its stages'), and the gap. */
static double slot_len(const struct segment_plan *p, const struct load_opts *o)
{
    uint64_t d = o->nstages        ? load_stage_total(o->stages, o->nstages)
                 : o->nrate_stages ? load_stage_total(o->rate_stages, o->nrate_stages)
                                   : o->duration_ns;

    return (double)(o->warmup_ns + d) / 1e9 + p->gap_s;
}

double segment_reserve(struct segment_plan *p, const struct load_opts *o, unsigned reps)
{
    double first = p->next_at;

    if (!p->start_at)
        return 0;
    p->next_at += reps * slot_len(p, o);
    return first;
}

double segment_slot(const struct segment_plan *p, double first, const struct load_opts *o,
                    unsigned k)
{
    return first + k * slot_len(p, o);
}
