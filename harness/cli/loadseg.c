/*
 * loadseg.c: pacer load's part of a load split over generators (loadseg.h):
 * the options, the share (harness/load/segment.h), the wait for the
 * agreed wall-clock start and what is recorded of it, with the host
 * clock's state as adjtimex(2) reports it; --out's %t and %j.
 */
#include "loadseg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include "cmd.h"
#include "harness/lib/fmt.h"
#include "harness/load/segment.h"
#include "harness/result/isotime.h"
#include "harness/run/child.h"

#define AHEAD_MAX_S 86400.0   /* --start-at at most a day ahead */

/* The command that speaks: "load", or the one set. */
static const char *who(const struct loadseg *s)
{
    return s->cmd ? s->cmd : "load";
}

/* --start-at: absolute UTC, or +DURATION from now (said on stderr). */
static int start_at_option(struct loadseg *s, const char *arg)
{
    uint64_t ns;

    if (arg[0] == '+') {
        if (fmt_parse_duration(arg + 1, &ns) < 0)
            return die_msg("%s: --start-at '%s': not a duration after + (+10s)", who(s), arg), -1;
        if ((double)ns / 1e9 > AHEAD_MAX_S)
            return die_msg("%s: --start-at '%s': more than 24 h ahead", who(s), arg), -1;
        s->start_at = floor((segment_now() + (double)ns / 1e9) * 1000.0) / 1000.0;
        iso_time_ms(s->start_at, s->start_iso, sizeof s->start_iso);
        fprintf(stderr, "pacer: %s: --start-at %s is %s\n", who(s), arg, s->start_iso);
        return 0;
    }
    if (!strchr(arg, 'Z') && !strchr(arg, 'z'))
        return die_msg("%s: --start-at '%s': not a UTC time (2026-12-07T03:30:00Z, "
                       "milliseconds allowed) or +DURATION", who(s), arg), -1;
    if (iso_time_parse(arg, &s->start_at) < 0)
        return die_msg("%s: --start-at '%s': not a UTC time (2026-12-07T03:30:00Z, "
                       "milliseconds allowed) or +DURATION", who(s), arg), -1;
    iso_time_ms(s->start_at, s->start_iso, sizeof s->start_iso);
    return 0;
}

int loadseg_option(struct loadseg *s, int opt, const char *arg)
{
    unsigned long long x;

    switch (opt) {
    case O_SEGMENT: s->spec = arg; return 0;
    case O_SEGMENTS:
        if (fmt_parse_count(arg, &x) < 0 || x < 1 || x > 100000)
            return die_msg("%s: --segments: '%s' is not a whole number from 1 to 100000", who(s),
                           arg), -1;
        s->segments = (unsigned)x;
        return 0;
    case O_RUN_ID:
        if (!*arg || strlen(arg) > 200)
            return die_msg("%s: --run-id: '%s' is not 1 to 200 characters", who(s), arg), -1;
        s->run_id = arg;
        return 0;
    case O_START_AT: return start_at_option(s, arg);
    default: return 1;
    }
}

/* --start-at neither past by more than the warmup (1 s without) nor more
 * than a day ahead.  0, or -1 after saying why. */
static int start_check(const struct loadseg *s, const struct load_opts *o)
{
    double now = segment_now(), slack = o->warmup_ns ? (double)o->warmup_ns / 1e9 : 1.0;

    if (!s->start_at)
        return 0;
    if (now - s->start_at > slack)
        return die_msg("%s: --start-at %s: %.1f s ago, past by more than %s", who(s), s->start_iso,
                       now - s->start_at, o->warmup_ns ? "the warmup" : "1 s"), -1;
    if (s->start_at - now > AHEAD_MAX_S)
        return die_msg("%s: --start-at %s: more than 24 h ahead", who(s), s->start_iso), -1;
    return 0;
}

int loadseg_settle(struct loadseg *s, const struct load_opts *o)
{
    struct err e = {0};

    if (start_check(s, o) < 0)
        return -1;
    if (!s->spec) {
        if (s->segments)
            return die_msg("%s: --segments %u: only with --segment auto", who(s), s->segments), -1;
        if (s->run_id)
            return die_msg("%s: --run-id %s: only with --segment", who(s), s->run_id), -1;
        return 0;
    }
    if (segment_parse(s->spec, s->segments, &s->index, &s->count, &e) < 0)
        return die_msg("%s: %s", who(s), e.msg), -1;
    return 0;
}

int loadseg_apply(struct loadseg *s, struct load_opts *o, struct load_stage *stages)
{
    struct err e = {0};

    if (loadseg_settle(s, o) < 0)
        return -1;
    if (!s->count)
        return 0;
    s->total_conns = o->nstages ? (unsigned long long)floor(
                         load_stage_peak(o->stages, o->nstages) + 0.5) : o->connections;
    s->total_rate = o->nrate_stages ? load_stage_peak(o->rate_stages, o->nrate_stages)
                    : o->nstages ? 0 : o->rate;
    if (segment_apply(o, stages, s->index, s->count, &e) < 0)
        return die_msg("%s: %s", who(s), e.msg), -1;
    return 0;
}

/* The host clock's state into r->seg (adjtimex(2) without changing it). */
static void clock_state(struct run_segment *g)
{
    struct timex tx;
    int st;

    memset(&tx, 0, sizeof tx);
    st = adjtimex(&tx);
    if (st < 0)
        return;
    g->clock_offset_s = (double)tx.offset / (tx.status & STA_NANO ? 1e9 : 1e6);
    g->clock_maxerror_s = (double)tx.maxerror / 1e6;
    g->clock_synced = st != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* A run id all segments find alone: $SLURM_JOB_ID, else FNV-1a of the
 * start instant and key (the URL, or the suites). */
static char *default_run_id(const struct loadseg *s, const char *key)
{
    const char *job = getenv("SLURM_JOB_ID");
    unsigned long long h = 1469598103934665603ull;
    char buf[32];
    const char *p;

    if (job && *job)
        return strdup(job);
    for (p = s->start_iso; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (p = key; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    snprintf(buf, sizeof buf, "%012llx", h & 0xffffffffffffull);
    return strdup(buf);
}

static void print_line(FILE *out, const struct loadseg *s, const struct load_opts *o,
                       const struct run_segment *g)
{
    if (s->count) {
        fprintf(out, "segment %u/%u of run %s: %u of %llu connections", s->index, s->count,
                g->run_id, o->connections, s->total_conns);
        if (s->total_rate > 0)
            fprintf(out, ", %.6g of %.6g requests/s", o->rate ? o->rate : s->total_rate /
                    s->count, s->total_rate);
        fputs(s->start_at ? "; " : "\n", out);
    }
    if (!s->start_at)
        return;
    fprintf(out, "%s %.1f ms after %s (clock ", s->count ? "started" : "Started",
            g->start_lag_s * 1e3, s->start_iso);
    if (g->clock_synced < 0)
        fputs("state unknown)\n", out);
    else
        fprintf(out, "%s, max error %.0f ms)\n", g->clock_synced ? "synchronised"
                : "not synchronised", g->clock_maxerror_s * 1e3);
}

int loadseg_record(const struct loadseg *s, const char *key, struct run_segment *g)
{
    if (!s->count && !s->start_at)
        return 0;
    clock_state(g);
    if (s->start_at && !(g->start_at = strdup(s->start_iso)))
        return die_msg("%s: out of memory", who(s)), -1;
    if (s->count) {
        g->index = s->index;
        g->count = s->count;
        g->run_id = s->run_id ? strdup(s->run_id) : default_run_id(s, key);
        if (!g->run_id)
            return die_msg("%s: out of memory", who(s)), -1;
    }
    return 0;
}

int loadseg_begin(struct loadseg *s, const struct load_opts *o, struct result *r, FILE *out)
{
    struct run_segment *g = &r->seg;

    if (!s->count && !s->start_at)
        return 0;
    if (s->start_at) {
        if (segment_sleep_until(s->start_at, &child_interrupted))
            return 1;
        g->start_lag_s = segment_now() - s->start_at;
    }
    if (loadseg_record(s, o->url_text, g) < 0)
        return -1;
    if (out)
        print_line(out, s, o, g);
    return 0;
}

char *loadseg_path(const struct loadseg *s, const struct result *r, const char *pattern)
{
    char *buf = NULL;
    size_t len = 0;
    const char *p;
    FILE *f;

    if (!s->count || !strchr(pattern, '%')) {
        if (!(buf = strdup(pattern)))
            die_msg("load: out of memory");
        return buf;
    }
    if (!(f = open_memstream(&buf, &len)))
        return die_msg("load: out of memory"), NULL;
    for (p = pattern; *p; p++) {
        if (*p != '%')
            fputc(*p, f);
        else if (p[1] == 't')
            fprintf(f, "%u", s->index - 1);
        else if (p[1] == 'j')
            fputs(r->seg.run_id ? r->seg.run_id : "", f);
        else if (p[1] == '%')
            fputc('%', f);
        else {
            fclose(f);
            free(buf);
            return die_msg("load: --out '%s': %%%.1s is not %%t (the segment from 0), %%j "
                           "(the run id) or %%%%", pattern, p + 1), NULL;
        }
        p += *p == '%';
    }
    if (fclose(f) != 0) {
        free(buf);
        return die_msg("load: out of memory"), NULL;
    }
    return buf;
}
