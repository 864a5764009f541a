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

#endif
