/*
 * counts.h: counted instructions around a benchmark's timed loop, under
 * valgrind's callgrind (pacer run --mode instructions).
 *
 * The driver starts the worker as
 *   valgrind --tool=callgrind --collect-atstart=no --cache-sim=yes
 *            --callgrind-out-file=PREFIX.%p BINARY --pacer-worker
 * so nothing is counted until the timed loop switches collection on (client
 * requests, valgrind/callgrind.h); the loop switches it off when it ends
 * (and while paused).  After each sample the worker asks callgrind to dump
 * its counts (PREFIX.<pid>.<n>, n = 1, 2, ... per dump), reads the file's
 * summary line and removes it.  Outside valgrind the requests are a few
 * instructions that do nothing, and counts_available() is 0.
 *
 * Estimated cycles weigh callgrind's simulated cache (L1 and last level)
 * as Itamar Turner-Trauring proposed ("Consistent benchmarking in CI",
 * pythonspeed.com, 2019) and iai and iai-callgrind compute them:
 *   L1 hits + 5 LL hits + 35 RAM hits, with
 *   RAM hits = ILmr + DLmr + DLmw, LL hits = I1mr + D1mr + D1mw - RAM hits,
 *   L1 hits  = Ir + Dr + Dw - (I1mr + D1mr + D1mw).
 */
#ifndef PACER_COUNTS_H
#define PACER_COUNTS_H

#include <stdint.h>

#include "err.h"

struct counts {
    uint64_t ir;          /* instructions executed (callgrind's Ir) */
    uint64_t cycles;      /* estimated cycles (above) */
};

/* 1 when running under valgrind with callgrind's requests compiled in. */
int counts_available(void);

/* Zero callgrind's counts and start collecting; collect again (after a
 * pause); stop collecting. */
void counts_start(void);
void counts_resume(void);
void counts_stop(void);

/* Dump the counts collected since counts_start (dump number n of this
 * process, 1-based) and read them from PREFIX.<pid>.<n> into c; the file is
 * removed.  -1 with a message in e when it cannot be read. */
int counts_dump(const char *prefix, unsigned n, struct counts *c, struct err *e);

/* Dump the profile collected since counts_start, callgrind's trigger
 * text "pacer profile iters=<iters>" (harness/result/profile.h). */
void counts_dump_profile(uint64_t iters);

/* The counts of a callgrind output file's "events:" and "summary:" lines
 * (text, NUL-terminated); -1 when either is missing or malformed. */
int counts_parse(const char *text, struct counts *c, struct err *e);

#endif
