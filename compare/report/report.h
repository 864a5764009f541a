/*
 * report.h: how a comparison is printed.  One reporter per format (table,
 * markdown, json, csv), each in its own file, behind one ops table.
 */
#ifndef PACER_REPORT_H
#define PACER_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "compare/compare.h"

struct report_opts {
    int color;                /* ANSI colour for the verdicts (table) */
    int require_conclusive;   /* the outcome line follows the exit code
                                 compare_exit_code gives with it */
};

struct reporter {
    const char *name;
    int (*print)(FILE *f, const struct comparison *c, const struct report_opts *ro);
};

/* The reporter of that name, or NULL. */
const struct reporter *report_find(const char *name);

/* The full analysis as a new JSON object (also stored in A/B results). */
json_t *report_json_object(const struct comparison *c);

/* The output options pacer compare and pacer ab share, by long name:
 * "format" (a reporter's name) and "color" (auto, always, never) into
 * *format / *color.  1 when applied, 0 when not one of them, -1 with the
 * cause in e. */
int report_option(const char *name, const char *arg, const char **format, const char **color,
                  struct err *e);
/* Whether to colour stdout for a --color mode: always; never; auto: on a
 * terminal unless NO_COLOR is set. */
int report_colour(const char *mode);

/* The cells of a row the table and markdown share.  base is the base's
 * median in its own unit; new is that median moved by the row's estimated
 * change (base x ratio), so that the two and the change tell one story
 * whatever the estimator (the ratio may come from process medians or
 * pairs), and the new side's own median in its unit when there is no
 * ratio (one side only, a failed side). */
struct report_cells {
    char base[32], nw[32], change[24], ci[48], p[24], mde[24];
};
void report_row_cells(const struct compare_row *r, struct report_cells *out);

/* Shared cell formatting: "+2.7%", "[+1.9%, +3.4%]", "0.0012", "<1e-6".
 * A change always has its sign ("+0.03%", "-1.2%"; zero is "0.00%"),
 * beyond +-100000 % it is written with two digits ("+1e+18%"). */
char *report_pct(char *buf, size_t len, double frac);
char *report_ci(char *buf, size_t len, double lo, double hi);
char *report_p(char *buf, size_t len, double p);
/* The one-line summary: "56 compared: 1 regressed, ...". */
char *report_summary(char *buf, size_t len, const struct comparison *c);
/* What the verdicts rest on: mode, correction, alpha, CI level, the drift
 * allowance when some rows got it (from the suite, or the fixed one), one
 * line per kind of side with too few replicates (worker processes, runs,
 * repetitions: compare.h) with what to run instead, and for files of
 * another tool where their noise comes from, their median MDE and the
 * repetitions (hyperfine runs) that would resolve the threshold, or why
 * none can.  len 2048 holds every line. */
char *report_method(char *buf, size_t len, const struct comparison *c);

/* How a reporter shows a name from a file (escape.h): to the terminal, in
 * markdown. */
typedef void (*report_name_fn)(FILE *f, const char *name);

/* The legend line: what base, new, change, CI and MDE are and when each
 * verdict is given (the alpha and the threshold of c, "threshold" when the
 * rows' thresholds differ). */
void report_legend(FILE *f, const struct comparison *c);
/* The outcome line, the last of a report: what compare_exit_code(c,
 * require_conclusive) says, in words, naming up to 3 benchmarks of each
 * part (put_name shows them):
 *   0  "PASS: 0 regressed; 2 improved, 50 unchanged, 8 inconclusive[; 3
 *      limits held]", "PASS: 0 regressed, but nothing shown unchanged: all
 *      6 inconclusive", with limits alone "PASS: 3 limits held"
 *   1  "FAIL: 2 regressed: a +4.1% [+3.0%, +5.2%], b ...[; 1 of 3 limits
 *      failed: BENCH: LIMIT (VALUE)]"
 *   2  "ERROR: 1 with a time that cannot enter a ratio: x"
 *   3  "UNTRUSTED: 1 failed: x; 2 with too few samples for a verdict: y, z[;
 *      2 inconclusive (--require-conclusive): ...][; also 1 regressed: ...]"
 * with ", and N more" after the third name. */
void report_outcome(FILE *f, const struct comparison *c, int require_conclusive,
                    report_name_fn put_name);
/* A limit check's value in its metric's unit ("1.44 us", "12.3k req/s"),
 * "-" when it has none. */
char *report_limit_value(char *buf, size_t len, const struct limit_check *k);

/* One line per limit check of checks[0..n): "  LABEL  [BENCH: ]TEXT: holds
 * (VALUE)" or "... FAILED (VALUE)", the value in its metric's unit, or
 * "... cannot be checked: WHY" for a check without a value (NaN); LABEL
 * padded to 11 columns, BENCH shown when names. */
void report_limit_lines(FILE *f, const struct limit_check *checks, size_t n, const char *label,
                        int names);

int report_table(FILE *f, const struct comparison *c, const struct report_opts *ro);
int report_markdown(FILE *f, const struct comparison *c, const struct report_opts *ro);
int report_json(FILE *f, const struct comparison *c, const struct report_opts *ro);
int report_csv(FILE *f, const struct comparison *c, const struct report_opts *ro);

/* CSV fields (RFC 4180): a quoted string; a number after a comma (empty
 * when not finite), in full precision. */
void csv_str(FILE *f, const char *s);
void csv_num(FILE *f, double v);

#endif
