/* runseg.c: a suite's load scenarios as one segment of a split run (runseg.h). */
#include "runseg.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "harness/run/child.h"

/* Every job of p can be split (or delayed): 0, or -1 after saying why. */
static int jobs_check(const struct loadseg *s, const struct plan *p)
{
    size_t i;

    for (i = 0; i < p->njobs; i++) {
        const struct job *j = &p->jobs[i];
        if (!j->mp.sc)
            return die_msg("run: %s is for a suite's load scenarios: %s/%s is not one "
                           "(leave it out with --filter)", s->spec ? "--segment" : "--start-at",
                           j->suite, j->name), -1;
        if (!s->spec)
            continue;
        if (j->mp.tg)
            return die_msg("run: --segment: %s/%s starts its own target (%s); the segments of "
                           "a split load aim at one server they share: a scenario without "
                           "\"target\", its url the server's address", j->suite, j->name,
                           j->mp.tg->name), -1;
        if (j->mp.sc->ncapacity)
            return die_msg("run: --segment: %s/%s is a capacity search, which cannot be split "
                           "(each step follows from the last)", j->suite, j->name), -1;
    }
    return 0;
}

int runseg_setup(struct loadseg *s, const struct plan *p, struct segment_plan *sp,
                 struct result *r, int quiet)
{
    const struct load_opts *first;

    memset(sp, 0, sizeof *sp);
    if (!s->spec && !s->start_at && !s->segments && !s->run_id)
        return 0;
    s->cmd = "run";
    if (jobs_check(s, p) < 0)
        return -1;
    first = &p->jobs[0].mp.sc->load;
    if (loadseg_settle(s, first) < 0 || loadseg_record(s, p->jobs[0].suite, &r->seg) < 0)
        return -1;
    sp->index = s->index;
    sp->count = s->count;
    if (s->count && s->start_at) {
        sp->start_at = sp->next_at = s->start_at;
        sp->gap_s = RUNSEG_GAP_S;
        sp->slack_s = first->warmup_ns ? (double)first->warmup_ns / 1e9 : 1.0;
    }
    if (quiet || !s->count)
        return 0;
    fprintf(stderr, "pacer: run: segment %u/%u of run %s: its share of each load scenario's "
            "connections, rate and stages", s->index, s->count, r->seg.run_id);
    if (s->start_at)
        fprintf(stderr, "; the first repetition at %s, each next one %.0f s after the last's "
                "planned end", s->start_iso, RUNSEG_GAP_S);
    fputc('\n', stderr);
    return 0;
}

int runseg_wait(const struct loadseg *s, struct result *r)
{
    if (!s->start_at || s->count)
        return 0;
    if (segment_sleep_until(s->start_at, &child_interrupted))
        return 1;
    r->seg.start_lag_s = segment_now() - s->start_at;
    return 0;
}

void runseg_finish(const struct loadseg *s, const struct segment_plan *sp, struct result *r)
{
    if (s->count && s->start_at)
        r->seg.start_lag_s = sp->max_lag_s;
}
