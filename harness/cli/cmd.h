/*
 * cmd.h: the subcommands of the pacer binary.  Each cmd_<name>() parses its
 * own options (getopt_long, --help), prints, and returns the exit code:
 */
#ifndef PACER_CMD_H
#define PACER_CMD_H

#include <regex.h>
#include <stdio.h>

enum exit_code {
    EXIT_OK = 0,          /* ran; nothing regressed, every threshold held */
    EXIT_REGRESSION = 1,  /* a regression or a failed threshold */
    EXIT_BAD_INPUT = 2,   /* usage error, unreadable or malformed input */
    EXIT_UNTRUSTED = 3,   /* a benchmark crashed or timed out, the
                             generator saturated, or (when asked) a verdict
                             is inconclusive */
};

int cmd_run(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_ab(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_k8s(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Print "pacer: message" to stderr (the command layer's one way to speak). */
void die_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct comparison;
struct result;
struct table;
/* Why the inputs of a comparison cannot be trusted, one line each to
 * stderr: differing fingerprints, samples that cannot enter a ratio
 * (naming file and JSON path: base_file/new_file with their results),
 * failed benchmarks and too few samples (also counts that can never give
 * a p-value below alpha, with the option that sets a count that can). */
void warn_problems(const struct comparison *c, const char *base_file, const char *new_file,
                   const struct result *base, const struct result *nw);

/* --out FILE and --save DIR (either may be NULL) of a result r: written
 * (plan_result_save, the file in DIR named with suffix), "pacer: WHAT
 * written to PATH" said unless quiet, every failure said.  0, or -1. */
int cmd_save(const struct result *r, const char *out, const char *dir, const char *suffix,
             int quiet, const char *what);
/* The same; *saved (when saved is not NULL) is the file written into dir
 * (to free), or NULL. */
int cmd_save_as(const struct result *r, const char *out, const char *dir, const char *suffix,
                int quiet, const char *what, char **saved);

/* --save-baseline NAME: the result saved at path named NAME in dir's
 * store (made when missing).  0, or -1 after saying why not. */
int cmd_name_baseline(const char *dir, const char *path, const char *name);

/* --filter REGEX of command cmd compiled into re (a POSIX ERE; regfree it
 * when this returns 1): 1, 0 when filter is NULL, or -1 after saying
 * "CMD: --filter: 'REGEX' is not a valid regular expression". */
struct plan;

/* With micro benchmarks of p to count (--mode instructions): valgrind
 * must run, and its version joins r's context and fingerprint.  0, or -1
 * after saying why not. */
int cmd_counting_context(const char *cmd, const struct plan *p, struct result *r);

/* --mode VALUE of command cmd into *mode (RUN_MODE_*): 0, or -1 after
 * saying why not.  "cycles" needs hardware counters (perf_event_open):
 * where the machine has none, one line says so; where it has them, 1:
 * time, with --counters cycles,instructions. */
int mode_option(const char *cmd, const char *value, unsigned *mode);
/* --counters LIST of command cmd (perf counters around the timed loop,
 * harness/lib/hwcount.h): the names checked and the counters opened here
 * once; where the machine has no hardware counters one line says so.  0
 * with the list in dst, or -1 after saying why not. */
int counters_option(const char *cmd, const char *value, char *dst, size_t len);

int cmd_filter(const char *cmd, const char *filter, regex_t *re);

/* The complexity fits of r (fits.h) whose last benchmark is the one named
 * after, as rows of t (table_add_bigo). */
void cmd_table_fits(struct table *t, const struct result *r, const char *after);
/* Those that could not be made, a line each on f: "family_BigO: not
 * fitted: why". */
void cmd_print_unfitted(FILE *f, const struct result *r);

#endif
