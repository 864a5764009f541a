/*
 * compare.h: deciding "regressed / improved / unchanged / inconclusive" per
 * benchmark between a base and a new result (unpaired), or from the pairs
 * of an A/B run (paired), with a suite-wide correction for the number of
 * tests.
 *
 * Per benchmark, with c the relative change oriented so that c > 0 is
 * worse (new/base - 1 when lower is better, base/new - 1 when higher is),
 * its CI [lo, hi] at ci_level and t the benchmark's threshold:
 *   regressed     p_adj < alpha and lo > t
 *   improved      p_adj < alpha and hi < -t
 *   unchanged     -t <= lo and hi <= t   (the CI lies inside the threshold)
 *   inconclusive  anything else: the CI straddles the threshold, or too few
 *                 samples to tell noise from change
 * Unpaired: p from the Mann-Whitney U test of the samples; the CI from the
 * worker processes (cluster.h): the Hodges-Lehmann interval of the shift
 * between the processes' log medians when both sides have two or more,
 * else the bootstrap of the samples.  pacer run spreads a benchmark's processes over the whole run
 * (rounds), so their spread holds the drift of the machine during the
 * run.  Two runs minutes apart also differ as a whole (the machine was
 * faster or slower: the processes of one run cannot see it).  With
 * COMPARE_SUITE_MIN or more benchmarks compared, each comparison measures
 * its own drift from the suite (an empirical null, Efron 2004: most
 * benchmarks of a diff did not change): with l_i the log changes, m their
 * median (the shift of the whole run), s = 1.4826 MAD(l) their spread and
 * e the median half-width of their CIs over 1.96, the excess spread is
 * tau = sqrt(max(0, s^2 - e^2)) and every CI is widened by the allowance
 * |m| + COMPARE_DRIFT_Z tau.  A change that slows the whole suite is then
 * inconclusive, never unchanged; only pairing tells it from drift.  With
 * fewer benchmarks, the fixed allowance (drift, default 10 %) stands in.
 * A side with fewer than COMPARE_MIN_PROCESSES independent replicates
 * always gets at least the fixed allowance: its CIs see no drift at all.
 * The replicates of a side are its worker processes; for pacer's command
 * benchmarks, the spells its runs were spread over (pacer run
 * --processes; runs in one spell share its page cache, clock and
 * neighbours: one replicate); for a file of another tool (Google
 * Benchmark's repetitions, hyperfine's runs), each repetition or run,
 * which are all that file holds: its noise comes from them and from the
 * suite, as the tool cannot spread a benchmark over processes
 * (compare_row's reps_base and reps_new).  Paired: p from the
 * Wilcoxon signed-rank test of the log ratios; the CI from the worker
 * pairs (the sign-test interval of the median of their median log ratios)
 * when there are two or more, else the order-statistic CI of the median of
 * all log ratios (effect.h).
 * Correction: Holm (or Benjamini-Hochberg) over every benchmark compared.
 *
 * Counts.  Samples counted under valgrind (unit "instr" or "cycles": pacer
 * run --mode instructions) do not depend on the machine's speed: what
 * varies between them is the program's own doing (allocations, hashing of
 * addresses), and the samples measure it.  The change is the ratio of the
 * medians, its interval the widest the samples allow, [min new / max base,
 * max new / min base], with no test, no drift allowance and no weak-run
 * rule: regressed when the whole interval is above the threshold
 * (COMPARE_THRESHOLD_COUNTS unless given), improved when below its
 * negative, unchanged when inside, else inconclusive.  Identical counts
 * give an interval of one point.
 */
#ifndef PACER_COMPARE_H
#define PACER_COMPARE_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "adjust.h"
#include "harness/lib/err.h"
#include "harness/lib/stats.h"
#include "harness/result/limit.h"
#include "harness/result/result.h"

#define COMPARE_THRESHOLD_UNPAIRED 0.015
#define COMPARE_THRESHOLD_PAIRED 0.01
#define COMPARE_THRESHOLD_COUNTS 0.001  /* instruction counts (--mode instructions) */
#define COMPARE_DRIFT_DEFAULT 0.10
#define COMPARE_MIN_PROCESSES 3
#define COMPARE_SUITE_MIN 8        /* benchmarks to estimate a run's drift */
#ifndef COMPARE_DRIFT_Z
#define COMPARE_DRIFT_Z 2.0        /* z of the excess spread in the allowance */
#endif

/* What moved two runs as wholes (whole.h). */
enum whole_cause {
    WHOLE_STEADY,         /* the run did not move as a whole */
    WHOLE_MACHINE,        /* it moved, and the machine's reference alike */
    WHOLE_CODE,           /* it moved, the machine's reference held */
    WHOLE_UNTOLD,         /* it moved; machine and code cannot be told apart */
};

enum verdict {
    VERDICT_UNCHANGED,
    VERDICT_IMPROVED,
    VERDICT_REGRESSED,
    VERDICT_INCONCLUSIVE,
    VERDICT_BASE_ONLY,    /* not in the new result */
    VERDICT_NEW_ONLY,     /* not in the base result */
    VERDICT_ERROR,        /* a side failed or holds unusable samples */
    VERDICT_SKIPPED,      /* a side skipped itself (pacer_skip): not a failure */
    VERDICT_COUNT
};

/* A per-benchmark threshold: the first rule whose pattern matches the full
 * name wins. */
struct threshold_rule {
    char *pattern;
    regex_t re;
    double threshold;
};

struct compare_opts {
    int paired;
    const regex_t *filter;      /* only benchmarks whose name matches; NULL all */
    double threshold;           /* NaN: the default of the mode */
    struct threshold_rule *rules;
    size_t nrules;
    struct limit *limits;
    size_t nlimits;
    double alpha;               /* 0.05 */
    enum adjust_method adjust;  /* holm */
    double ci_level;            /* 0.95 */
    double drift;               /* allowance for runs with too few processes */
    double drift_z;             /* z of the excess spread (COMPARE_DRIFT_Z) */
    unsigned resamples;
    uint64_t seed;
    double power;               /* for the MDE, 0.8 */
    unsigned looks;             /* of a sequential design, whose alpha and
                                   ci_level are then per look (0 or 1: one) */
    int wall_only;              /* never compare on CPU time (basis.h) */
    int ignore_reference;       /* judge the runs as if they timed no
                                   reference workload (whole.h) */
};

void compare_opts_default(struct compare_opts *o);
void compare_opts_free(struct compare_opts *o);

/* Parse a limit and append it to o's; the same failures, o unchanged. */
int compare_add_limit(struct compare_opts *o, const char *text, struct err *e);
/* Add a threshold rule (pattern is a POSIX ERE). */
int compare_add_rule(struct compare_opts *o, const char *pattern, double threshold,
                     struct err *e);

struct compare_row {
    const char *name;           /* borrowed from the results */
    const struct bench *base, *nw;
    const double *xb, *xn;      /* the series compared (basis.h): the samples,
                                   or their CPU times; borrowed */
    int on_cpu;                 /* 1: compared on CPU time */
    int counted;                /* 1: instruction counts (compare.h, counts) */
    double wait_base, wait_new; /* median wall / CPU - 1 per side, or NaN */
    const char *unit;
    enum direction dir;
    double base_value, new_value;   /* the centres the change is taken
                                       between: the median of the process
                                       medians (of one process: of its
                                       samples), of the series compared */
    double ratio;               /* new / base of the medians */
    struct ci ratio_ci;         /* widened by the allowance when applied */
    double change, change_lo, change_hi;  /* worse-oriented, fractions */
    double p, p_adj;
    int exact;
    double mde;                 /* fraction: the larger of effect.h's MDE of
                                   the samples and the change the verdict's
                                   CI can resolve at alpha with the power */
    double threshold;
    double allowance;           /* drift allowance applied, 0 if none */
    size_t n_base, n_new;       /* samples (pairs when paired) */
    size_t k_base, k_new;       /* processes */
    size_t reps_base, reps_new; /* independent replicates (above); 0 when
                                   not compared unpaired */
    enum verdict verdict;
    int untrusted;              /* too few samples for any verdict */
    int weak;                   /* the CI cannot have its level (one worker
                                   process a side, or too few processes or
                                   worker pairs): inconclusive at best */
    double floor_gap;           /* how far the best process stands alone: the
                                   larger side's gap to its next best */
    int floor_known;            /* unpaired, processes on both sides: */
    double floor_change;        /* the change (worse-oriented) of the best
                                   process median of each side (floor_of) */
    int bad_side;               /* 1 base, 2 new: a sample that cannot enter
                                   a ratio (zero, not finite): bad input */
    long bad_index;             /* that sample's index */
    char note[160];
};

struct comparison {
    int paired;
    struct compare_row *rows;
    size_t nrows;
    struct limit_check *checks;
    size_t nchecks;
    double geomean;             /* worse-oriented ratio over compared rows */
    size_t ngeomean;
    size_t count[VERDICT_COUNT];
    size_t limits_failed;
    size_t n_allowance;         /* rows whose CI got the drift allowance */
    double allowance;           /* the largest applied */
    int drift_estimated;        /* from the suite (else the fixed one) */
    enum whole_cause whole;     /* what moved the runs as wholes (whole.h) */
    double whole_shift;         /* the runs' change as a whole (worse-oriented,
                                   the median of the rows' changes) and its */
    double whole_lo, whole_hi;  /* sign-test interval; NaN with too few rows */
    size_t whole_n, whole_worse;   /* rows it rests on; of them, worse */
    double whole_p;             /* sign test over those rows */
    double ref_compute, ref_memory; /* the reference workload's change, new over
                                   base - 1 (above zero: slower), NaN when
                                   not measured on both sides */
    size_t n_cpu;               /* rows compared on CPU time (basis.h) */
    size_t n_counted;           /* rows compared on counts (counts, above) */
    double wait_max;            /* their largest median wall / CPU - 1 */
    double suite_shift;         /* exp(m) - 1: the runs' difference as a whole */
    double drift_tau;           /* excess spread, log units */
    double suite_allowance;     /* |m| + drift_z tau, the allowance from the
                                   suite (when drift_estimated) */
    char fingerprint_diff[256]; /* differing fields, "" when equal */
    int base_imported, new_imported;  /* read from another tool's file
                                         (context pacer_version "imported") */
    int from_pytest;            /* a side read from pytest-benchmark's file */
    char base_name[256], new_name[256];
    double alpha, ci_level;
    unsigned looks;             /* as in compare_opts */
    enum adjust_method adjust;
};

/* Compare two results (unpaired).  Rows follow the new result's order, then
 * base-only benchmarks.  Fails (exit code 2 territory) only on no benchmark
 * in common or memory; per-benchmark problems become VERDICT_ERROR rows. */
int compare_results(const struct result *base, const struct result *nw,
                    const struct compare_opts *o, struct comparison *out, struct err *e);

/* Check the limits against one result alone. */
int compare_limits(const struct result *nw, const struct compare_opts *o,
                   struct comparison *out, struct err *e);

void comparison_free(struct comparison *c);

/* The exit code the comparison calls for (cmd.h's enum exit_code): 2 when
 * a sample cannot enter a ratio (bad input); 3 when a row is an error, has
 * too few samples for a verdict, or is inconclusive with
 * require_conclusive, or when the whole run is worse and the code is not
 * shown to be the cause (compare_whole_worse; with rows regressed,
 * compare_machine_worse); else 1 when a row regressed, a limit failed or
 * the code made the whole run worse (whole.h); else 0. */
int compare_exit_code(const struct comparison *c, int require_conclusive);

/* Whether rows regressed while the machine made the whole run worse (its
 * reference workload moved with the suite, whole.h): their verdicts stand,
 * but machine and code cannot be told apart for them. */
int compare_machine_worse(const struct comparison *c);
/* Whether the whole run is worse with the code not shown to be the cause
 * (whole.h: untold, or the machine's reference moved alike): exit 3. */
int compare_whole_worse(const struct comparison *c);

const char *verdict_name(enum verdict v);

#endif
