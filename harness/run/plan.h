/*
 * plan.h: the job planner of pacer run and pacer ab.  From the inputs
 * (suite files, suite binaries, commands) it lays out the jobs (job.h):
 * which binaries to list and which of their benchmarks to measure, with
 * which settings (defaults, then the suite file's, the entry's, the
 * command line's), the commands, the points of load scenarios, and how
 * many rounds of worker processes pacer run makes.  It owns what the jobs
 * borrow: the listings, the suite files, the commands.
 *
 * Errors are the message the command prints ("run: ...", "ab: ...", or
 * "FILE: json.path: cause"); an error without a message is out of memory.
 */
#ifndef PACER_PLAN_H
#define PACER_PLAN_H

#include <regex.h>
#include <stddef.h>

#include "harness/lib/err.h"
#include "harness/result/result.h"
#include "job.h"
#include "runner.h"
#include "suite.h"

struct plan {
    struct job *jobs;
    size_t njobs;
    unsigned rounds;              /* pacer run: the most rounds of a job (micro: its worker
                                     processes; command: cmdbench_rounds) */
    char *name;                   /* the result's suite name */
    const char *compiler, *cflags; /* the build of the first (new) binary listed, or NULL */
    char *base_label, *new_label; /* pacer ab: what the two sides are */
    char **only_new, **only_base; /* pacer ab: full names of the benchmarks that one */
    size_t nonly_new, nonly_base; /* build lists and the other does not */
    struct listing *listings;     /* every binary listed ... */
    const char **listed_from;     /* ... and the path given for it on the command
                                     line (NULL: a suite file's binary) */
    size_t nlistings;
    struct suite *suites;         /* the suite files read */
    size_t nsuites;
    struct cmd_spec *cmds;        /* commands given on the command line */
    size_t ncmds;
    char **strings;               /* other strings the jobs borrow */
    size_t nstrings;
};

/* What pacer run measures.  Everything is borrowed for the call. */
/* A parameter of the --cmd commands (hyperfine's -L and -P): each command
 * that holds "{name}" runs once for each of its values (and for each
 * combination, with several). */
#define PLAN_MAX_PARAMS 4
struct cmd_param {
    const char *name;
    const char *const *values;
    size_t n;
};

struct plan_run_opts {
    char **inputs;                /* suite files (*.json) and suite binaries */
    size_t ninputs;
    const char **cmds, **names;   /* --cmd COMMAND, and --name NAME of the first ones */
    size_t ncmds, nnames;
    const struct cmd_param *params; /* -L / -P: the commands' parameters */
    size_t nparams;
    int shell, ignore_failure, show_output;
    const char *prepare, *cleanup; /* shell commands, or NULL */
    const struct settings_ov *ov; /* settings given on the command line */
    const struct name_filter *re; /* --filter (runner.h), or NULL */
    /* Told of a --cmd that only a shell would understand (may be NULL). */
    void (*on_warn)(void *arg, const char *msg);
    void *arg;
};

/* What pacer ab measures: two binaries, a suite file with two build
 * directories, or two commands (base, then new). */
struct plan_ab_opts {
    char **inputs;
    size_t ninputs;
    const char *const *cmds;      /* --cmd: base, new */
    size_t ncmds;
    const char *name;             /* --cmd: the benchmark's name (NULL: the new command) */
    int shell;
    const char *prepare, *cleanup;
    const char *base_build, *new_build; /* what {build} means on each side */
    struct settings set;          /* how to measure every pair */
    const struct name_filter *re; /* --filter (runner.h), or NULL */
};

/* Plan pacer run into p (zeroed; plan_free also after a failure): list
 * the binaries, read the suite files, make the jobs.  A job whose full
 * name is planned already is left out.  Returns 0 (no job at all is the
 * caller's to judge) or -1 with the cause in e. */
int plan_run(struct plan *p, const struct plan_run_opts *o, struct err *e);

/* pacer ab in two steps, so that the caller may read the suite file's
 * "compare" section (p->suites[1] when p->nsuites is 2) before any binary
 * runs: check the inputs and read the suite file for both builds into p
 * (zeroed); then list the binaries and make the pairs.  The benchmarks
 * that only one build lists are not measured: p->only_new, p->only_base.
 * Each returns 0, or -1 with the cause in e. */
int plan_ab_load(struct plan *p, const struct plan_ab_opts *o, struct err *e);
int plan_ab(struct plan *p, const struct plan_ab_opts *o, struct err *e);

void plan_free(struct plan *p);

/* Start the result of p in r (result_init'ed): the environment (with the
 * build of the binaries measured, when known), the suite name, the first
 * job's settings, and the command line "pacer ARGV...".  -1 when the
 * environment cannot be read (out of memory). */
int plan_result_start(const struct plan *p, struct result *r, int argc, char **argv);

/* Write r to the file out and into the directory dir (made when missing)
 * as result_save_path(dir, suffix) names it; either may be NULL.  Each
 * failure goes to its own error (out_err, dir_err: "out of memory" when no
 * name could be made); *path is the file written into dir (new, or NULL).
 * Returns 0, or -1 when either failed. */
int plan_result_save(const struct result *r, const char *out, const char *dir,
                     const char *suffix, char **path, struct err *out_err,
                     struct err *dir_err);

#endif
