/*
 * segment.h: a load split over N generators (pacer load --segment I/N):
 * each segment's share of the connections, of the rate and of every
 * stage's target, and which segment this one is, from the option or from
 * the environment Slurm or a Kubernetes Indexed Job sets.
 */
#ifndef PACER_SEGMENT_H
#define PACER_SEGMENT_H

#include "harness/lib/err.h"
#include "loadgen.h"

/* Segment i (1-based) of n's part of an integer total: the parts of the
 * n segments sum to total exactly, the first total % n one more. */
unsigned long long segment_share(unsigned long long total, unsigned i, unsigned n);

/* Segment i of n's part of a rate: total / n. */
double segment_rate(double total, unsigned i, unsigned n);

/* spec ("I/N", or "auto" with the count from segments, 0 when not given)
 * into *i and *n, 1 <= i <= n.  "auto" reads SLURM_PROCID and
 * SLURM_NTASKS (the procid 0-based) or else JOB_COMPLETION_INDEX (0-based,
 * the count from segments).  0, or -1 with e naming the value or the
 * variables and the cause. */
int segment_parse(const char *spec, unsigned segments, unsigned *i, unsigned *n,
                  struct err *e);

/* o's load cut to segment i of n: its connections (or each --stages
 * target, users split as whole numbers), its rate and each --rate-stages
 * target; rows of flow data taken in turn striped over the segments.
 * stages: the caller's own list that o's stages or rate_stages point to
 * (NULL without stages), changed in place.  Before load_opts_shape.  0, or
 * -1 with e saying which share is empty. */
int segment_apply(struct load_opts *o, struct load_stage *stages, unsigned i, unsigned n,
                  struct err *e);

/* A suite's load scenarios split over generators (pacer run --segment):
 * which segment, and the agreed start of every repetition.  With a start,
 * the repetitions of all load benchmarks take slots one after another:
 * slot k begins gap_s after slot k-1's planned end (its warmup and
 * duration), so every segment, running the same suite, begins repetition
 * k of benchmark j at the same wall-clock instant. */
struct segment_plan {
    unsigned index, count;      /* 0 of 0: not split */
    double start_at;            /* the first slot, seconds since the epoch; 0: none */
    double gap_s;               /* between slots: for the target to start */
    double next_at;             /* the next free slot (advanced by segment_reserve) */
    double max_lag_s;           /* the latest a repetition began after its slot */
    double slack_s;             /* the first slot's warmup (1 s without one) */
};

/* The wall clock (CLOCK_REALTIME) in seconds since the epoch. */
double segment_now(void);

/* Sleep on the wall clock until at (seconds since the epoch); 0, or 1 when
 * *interrupt (may be NULL) was set by a signal meanwhile. */
int segment_sleep_until(double at, const volatile int *interrupt);

/* reps slots of p for a load of o's length: the first one's start, 0 when
 * p has no start. */
double segment_reserve(struct segment_plan *p, const struct load_opts *o, unsigned reps);

/* The start of slot k of those reserved at first, for o's length. */
double segment_slot(const struct segment_plan *p, double first, const struct load_opts *o,
                    unsigned k);

#endif
