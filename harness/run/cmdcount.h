/*
 * cmdcount.h: a command benchmark's instructions (pacer run --cmd ... --mode
 * instructions): each run of the command goes under valgrind's callgrind
 * (children traced too, so a shell's pipeline counts whole), and its
 * count is the sum of the summaries every process of the run wrote
 * (harness/lib/counts.h): all the instructions of the run, start-up
 * included, as hyperfine's wall time includes it.
 */
#ifndef PACER_CMDCOUNT_H
#define PACER_CMDCOUNT_H

#include "harness/lib/counts.h"
#include "harness/lib/err.h"

struct cmdcount {
    char dir[4096];               /* where the runs' dumps go */
    char outfile[4200];           /* --callgrind-out-file=DIR/cg.%p */
    char **argv;                  /* valgrind ... then the command's argv */
};

/* Make cc: a fresh folder and argv wrapped.  0, or -1 with the cause. */
int cmdcount_wrap(struct cmdcount *cc, char *const *argv, struct err *e);
/* The counts of the run just made, summed over its processes into sum;
 * the dumps are removed.  -1 when there are none or one is malformed. */
int cmdcount_collect(struct cmdcount *cc, struct counts *sum, struct err *e);
void cmdcount_free(struct cmdcount *cc);

#endif
