/*
 * loadseg.h: pacer load's part of a load split over generators:
 * --segment I/N|auto, --segments N, --run-id ID and --start-at TIME; the
 * segment's share applied to the load, the wait for the agreed start and
 * the segment's identity and clock recorded in the result.
 */
#ifndef PACER_LOADSEG_H
#define PACER_LOADSEG_H

#include <getopt.h>
#include <stdio.h>

#include "harness/load/loadgen.h"
#include "harness/result/result.h"

enum { O_SEGMENT = 600, O_SEGMENTS, O_RUN_ID, O_START_AT };
#define LOADSEG_OPTIONS                                                                \
    {"segment", required_argument, 0, O_SEGMENT},                                      \
    {"segments", required_argument, 0, O_SEGMENTS},                                    \
    {"run-id", required_argument, 0, O_RUN_ID},                                        \
    {"start-at", required_argument, 0, O_START_AT}

struct loadseg {
    const char *cmd;            /* who speaks in messages: "load" when NULL */
    const char *spec;           /* --segment, or NULL */
    unsigned segments;          /* --segments, 0 when not given */
    const char *run_id;         /* --run-id, or NULL */
    unsigned index, count;      /* the segment, 0 of 0 when not split */
    double start_at;            /* --start-at in seconds since the epoch, 0: none */
    char start_iso[64];         /* the same in UTC ISO 8601 with ms */
    unsigned long long total_conns;   /* the whole load's connections (peak users) */
    double total_rate;          /* the whole load's rate (peak), 0 closed loop */
};

/* Takes opt with its value arg when it is one of LOADSEG_OPTIONS: 0 taken,
 * -1 a bad value (said), 1 not one of them. */
int loadseg_option(struct loadseg *s, int opt, const char *arg);

/* After the options: --start-at checked against o's warmup (neither past
 * by more than it, 1 s without, nor more than a day ahead), and which
 * segment this is (s->index of s->count; 0 of 0 without --segment).  0,
 * or -1 after saying why not. */
int loadseg_settle(struct loadseg *s, const struct load_opts *o);

/* After the options, before the shape: loadseg_settle, and o cut to its
 * share (stages: the list o's stages point to, owned by the caller, or
 * NULL).  0, or -1 after saying why not. */
int loadseg_apply(struct loadseg *s, struct load_opts *o, struct load_stage *stages);

/* The segment's identity (run id: --run-id, $SLURM_JOB_ID, or a hash of
 * the start and key), its agreed start and the host clock's state into g
 * (nothing without --segment or --start-at).  0, or -1 after saying why. */
int loadseg_record(const struct loadseg *s, const char *key, struct run_segment *g);

/* Just before the load: waits for --start-at (interruptible by the signals
 * child_signals_install catches), fills r->seg and prints the segment's
 * line on out (NULL: none).  0, 1 when interrupted, or -1 after saying
 * why not. */
int loadseg_begin(struct loadseg *s, const struct load_opts *o, struct result *r, FILE *out);

/* --out's FILE for a segment, after loadseg_begin (before it: to check
 * pattern, %j then empty): pattern with %t the segment's index from 0
 * (SLURM_PROCID under srun), %j the run id and %% a %; not a segment, or
 * no % in pattern: a copy.  New (the caller frees it), or NULL after
 * saying why (out of memory, or another % escape). */
char *loadseg_path(const struct loadseg *s, const struct result *r, const char *pattern);

#endif
