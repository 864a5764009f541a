/*
 * cmdbench.h: command benchmarks (what hyperfine does).  A sample is one run
 * of the command: its wall time, with user and system CPU time and maximum
 * RSS from wait4() recorded beside it.  The command runs from argv, without
 * a shell, unless asked; prepare runs (through /bin/sh) before each timed
 * run, cleanup once after the last.
 */
#ifndef PACER_CMDBENCH_H
#define PACER_CMDBENCH_H

#include "harness/result/result.h"

/* A command's runs when neither a count nor a budget is given: at least
 * CMD_MIN_RUNS and at least CMD_MIN_TIME_NS of them, as hyperfine runs
 * (a 10 ms command: 300 runs, a 1 s one: 10). */
#define CMD_MIN_RUNS 10
#define CMD_MIN_TIME_NS 3000000000ULL

struct cmd_spec {
    char *name;            /* the benchmark's name (default: the command) */
    char *line;            /* the command as written */
    char **argv;           /* when given as a list: run as is (else split line) */
    int shell;             /* run through /bin/sh -c */
    char *prepare;         /* before each run (shell), or NULL */
    char *cleanup;         /* after the last run (shell), or NULL */
    int ignore_failure;    /* a non-zero exit is not an error */
    int show_output;       /* let the command's stdout/stderr through */
    char **pnames, **pvalues; /* its parameters (-L, -P): NULL-terminated, or NULL */
    size_t nparams;
};

void cmd_spec_free(struct cmd_spec *cs);

/* The rounds of pacer run a command's runs are spread over: with several
 * worker processes asked (set->processes) and a count of runs, as many as
 * there are processes (at most one a run), so that a slow spell of the
 * machine lands on some of them and shows as spread between the groups,
 * not as a shift; 1 when the count is decided as the runs go (a budget,
 * hyperfine's rule) and for counts (--mode instructions: no spell moves
 * them). */
unsigned cmdbench_rounds(const struct settings *set);

/* Round round of the benchmark into b (name suite/name): its share of the
 * runs, each round with its own warmup runs; with several rounds each
 * round's runs are a group of b (processes, process_samples), and b's
 * statistics are those of the last round until job_finish computes them
 * over all.  Failures (cannot start, non-zero exit, signal, timeout,
 * failing prepare) go into b->error with the stderr tail of the failing
 * run, and the rounds after do nothing; cleanup runs after the last
 * round's runs or the failing one.  Returns -1 only when interrupted. */
int cmdbench_run(const struct cmd_spec *cs, const char *suite, const struct settings *set,
                 unsigned round, struct bench *b);

/* Paired runs of two commands (pacer ab): warmup runs of each, then
 * settings.samples pairs in ABBA order (base first in even pairs, new
 * first in odd ones) into ba (base) and bn (new), both named suite/name of
 * their spec.  A failure of either side is that side's error; the other
 * gets "its ... side failed".  Returns -1 only when interrupted. */
int cmdbench_pairs(const struct cmd_spec *base, const struct cmd_spec *nw, const char *suite,
                   const char *name, const struct settings *set, struct bench *ba,
                   struct bench *bn);

#endif
