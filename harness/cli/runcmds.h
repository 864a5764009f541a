/*
 * runcmds.h: the command benchmarks of pacer run as hyperfine users know
 * them: parameters that multiply a command (-L NAME V1,V2; -P NAME MIN MAX
 * with -D STEP), and after the run a table (mean ± σ, min … max, user,
 * sys, max RSS) and, for two or more commands, the summary of which ran
 * how many times faster than each other (the ratio of the medians, ± one
 * standard error from their intervals).
 */
#ifndef PACER_RUNCMDS_H
#define PACER_RUNCMDS_H

#include "harness/result/result.h"
#include "harness/run/plan.h"

struct cmd_params {
    struct cmd_param params[PLAN_MAX_PARAMS];
    char **values[PLAN_MAX_PARAMS];   /* their values, owned */
    size_t n;
    const char *scan_name, *scan_lo, *scan_hi, *scan_step;   /* -P, -D */
};

/* Option o of getopt (-L, -P, -D; -L and -P take the words after their
 * argument from argv, moving optind): 0 when taken, 1 when o is another
 * option, -1 after saying why not. */
int cmd_params_option(struct cmd_params *c, int o, int argc, char **argv);

/* After the options: -P's values, MIN to MAX by -D's step; -1 after
 * saying why not. */
int cmd_params_settle(struct cmd_params *c);

void cmd_params_free(struct cmd_params *c);

/* The run as markdown tables on stdout (pacer run --format markdown): every
 * benchmark's median, CI, CV and samples; the commands as hyperfine's
 * --export-markdown has them (mean ± σ, min, max, relative to the fastest
 * median); failed and skipped benchmarks after them. */
void runmd_print(const struct result *r);

/* The table and the summary of a result's timed commands, on stdout. */
void runcmds_table(const struct result *r);
void runcmds_summary(const struct result *r);

#endif
