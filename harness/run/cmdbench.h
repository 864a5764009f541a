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

/* Run the benchmark into b (name suite/name).  Failures (cannot start,
 * non-zero exit, signal, timeout, failing prepare) go into b->error with
 * the stderr tail of the failing run.  Returns -1 only when interrupted. */
int cmdbench_run(const struct cmd_spec *cs, const char *suite, const struct settings *set,
                 struct bench *b);

/* Paired runs of two commands (pacer ab): warmup runs of each, then
 * settings.samples pairs in ABBA order (base first in even pairs, new
 * first in odd ones) into ba (base) and bn (new), both named suite/name of
 * their spec.  A failure of either side is that side's error; the other
 * gets "its ... side failed".  Returns -1 only when interrupted. */
int cmdbench_pairs(const struct cmd_spec *base, const struct cmd_spec *nw, const char *suite,
                   const char *name, const struct settings *set, struct bench *ba,
                   struct bench *bn);

#endif
