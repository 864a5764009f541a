/*
 * report_outcome.c: the lines that end a table or markdown report: the
 * legend (what the columns and verdicts mean) and the outcome (what the
 * exit code says, in words, with the benchmarks it rests on).
 */
#include <math.h>
#include <string.h>

#include "harness/lib/fmt.h"
#include "report.h"

#define OUTCOME_NAMES 3   /* benchmarks named per part; then "and N more" */

/* The threshold every compared row shares, or NaN when they differ. */
static double common_threshold(const struct comparison *c)
{
    double t = NAN;
    size_t i;

    for (i = 0; i < c->nrows; i++) {
        enum verdict v = c->rows[i].verdict;
        if (v == VERDICT_BASE_ONLY || v == VERDICT_NEW_ONLY || v == VERDICT_ERROR ||
            v == VERDICT_SKIPPED)
            continue;
        if (isnan(t))
            t = c->rows[i].threshold;
        else if (t != c->rows[i].threshold)
            return NAN;
    }
    return t;
}

void report_legend(FILE *f, const struct comparison *c)
{
    double t = common_threshold(c);
    char above[40], below[40], within[40];

    if (isnan(t)) {
        snprintf(above, sizeof above, "above +threshold");
        snprintf(below, sizeof below, "below -threshold");
        snprintf(within, sizeof within, "within +-threshold");
    } else {
        snprintf(above, sizeof above, "above +%.3g%%", 100 * t);
        snprintf(below, sizeof below, "below -%.3g%%", 100 * t);
        snprintf(within, sizeof within, "within +-%.3g%%", 100 * t);
    }
    if (c->n_counted && c->n_counted == c->count[VERDICT_UNCHANGED] +
                                             c->count[VERDICT_IMPROVED] +
                                             c->count[VERDICT_REGRESSED] +
                                             c->count[VERDICT_INCONCLUSIVE]) {
        fprintf(f, "legend: base: median count; new: base moved by the change; change and CI "
                   "(the range of the samples): > 0 is worse; MDE: the samples' widest range; "
                   "regressed/improved: the CI %s/%s; unchanged: the CI %s; inconclusive: "
                   "neither\n", above, below, within);
        return;
    }
    fprintf(f, "legend: base: median; new: base moved by the change; change and CI: > 0 is "
               "worse; MDE: the least change these runs can detect; regressed/improved: p (adj) "
               "< %.3g and the CI %s/%s; unchanged: the CI %s; inconclusive: neither\n",
            c->alpha, above, below, within);
}

/* Whether row r is one the part `what` lists. */
enum part { PART_REGRESSED, PART_FAILED, PART_FEW, PART_INCONCLUSIVE, PART_BAD };

static int in_part(const struct compare_row *r, enum part what)
{
    switch (what) {
    case PART_REGRESSED: return r->verdict == VERDICT_REGRESSED;
    case PART_FAILED: return r->verdict == VERDICT_ERROR && !r->bad_side;
    case PART_FEW: return r->untrusted;
    case PART_INCONCLUSIVE: return r->verdict == VERDICT_INCONCLUSIVE && !r->untrusted;
    case PART_BAD: return r->bad_side != 0;
    }
    return 0;
}

/* "N WORD: name DETAIL, name DETAIL, and K more" for the rows of a part;
 * nothing when it has none.  0 when nothing was written. */
static int put_part(FILE *f, const struct comparison *c, enum part what, const char *word,
                    const char *lead, report_name_fn put_name)
{
    size_t i, n = 0, shown = 0;

    for (i = 0; i < c->nrows; i++)
        n += in_part(&c->rows[i], what);
    if (n == 0)
        return 0;
    fprintf(f, "%s%zu %s: ", lead, n, word);
    for (i = 0; i < c->nrows && shown < OUTCOME_NAMES; i++) {
        const struct compare_row *r = &c->rows[i];
        char a[24], b[48];
        if (!in_part(r, what))
            continue;
        fputs(shown ? ", " : "", f);
        put_name(f, r->name);
        if (what == PART_REGRESSED)
            fprintf(f, " %s %s", report_pct(a, sizeof a, r->change),
                    report_ci(b, sizeof b, r->change_lo, r->change_hi));
        shown++;
    }
    if (n > shown)
        fprintf(f, ", and %zu more", n - shown);
    return 1;
}

/* "L of M limits failed: BENCH: TEXT (VALUE), ..." */
static int put_limits(FILE *f, const struct comparison *c, const char *lead,
                      report_name_fn put_name)
{
    size_t i, shown = 0;

    if (!c->limits_failed)
        return 0;
    fprintf(f, "%s%zu of %zu limit%s failed: ", lead, c->limits_failed, c->nchecks,
            c->nchecks == 1 ? "" : "s");
    for (i = 0; i < c->nchecks && shown < OUTCOME_NAMES; i++) {
        const struct limit_check *k = &c->checks[i];
        char v[48];
        if (k->pass)
            continue;
        fputs(shown ? ", " : "", f);
        put_name(f, k->bench);
        fputs(": ", f);
        put_name(f, k->limit->text);
        fprintf(f, " (%s)", report_limit_value(v, sizeof v, k));
        shown++;
    }
    if (c->limits_failed > shown)
        fprintf(f, ", and %zu more", c->limits_failed - shown);
    return 1;
}

/* exit 0: "PASS: 0 regressed; U unchanged, I inconclusive", or when no
 * benchmark could be shown unchanged, "but nothing shown unchanged". */
static void put_pass(FILE *f, const struct comparison *c)
{
    size_t u = c->count[VERDICT_UNCHANGED], inc = c->count[VERDICT_INCONCLUSIVE];
    size_t imp = c->count[VERDICT_IMPROVED];

    if (c->nrows == 0) {
        fprintf(f, "PASS: %zu limit%s held\n", c->nchecks, c->nchecks == 1 ? "" : "s");
        return;
    }
    fputs("PASS: 0 regressed", f);
    if (u + imp == 0 && inc)
        fprintf(f, ", but nothing shown unchanged: %s%zu inconclusive", inc > 1 ? "all " : "",
                inc);
    else {
        static const char *const words[] = {"improved", "unchanged", "inconclusive"};
        size_t counts[] = {imp, u, inc}, i;
        const char *sep = "; ";
        for (i = 0; i < 3; i++) {
            if (!counts[i])
                continue;
            fprintf(f, "%s%zu %s", sep, counts[i], words[i]);
            sep = ", ";
        }
    }
    if (c->nchecks)
        fprintf(f, "; %zu limit%s held", c->nchecks, c->nchecks == 1 ? "" : "s");
    fputc('\n', f);
}

void report_outcome(FILE *f, const struct comparison *c, int require_conclusive,
                    report_name_fn put_name)
{
    int code = compare_exit_code(c, require_conclusive), any = 0;

    switch (code) {
    case 0:
        put_pass(f, c);
        return;
    case 1:
        fputs("FAIL: ", f);
        any = put_part(f, c, PART_REGRESSED, "regressed", "", put_name);
        put_limits(f, c, any ? "; " : "", put_name);
        break;
    case 2:
        put_part(f, c, PART_BAD, "with a time that cannot enter a ratio", "ERROR: ", put_name);
        break;
    default:
        fputs("UNTRUSTED: ", f);
        any |= put_part(f, c, PART_FAILED, "failed", "", put_name);
        any |= put_part(f, c, PART_FEW, "with too few samples for a verdict",
                        any ? "; " : "", put_name);
        if (require_conclusive)
            any |= put_part(f, c, PART_INCONCLUSIVE, "inconclusive (--require-conclusive)",
                            any ? "; " : "", put_name);
        if (compare_machine_worse(c)) {
            any |= put_part(f, c, PART_REGRESSED, "regressed while the machine itself ran "
                            "slower", any ? "; " : "", put_name);
            fputs(" (machine or code cannot be told apart: run both again, or pair the builds "
                  "with pacer ab)", f);
        } else
            any |= put_part(f, c, PART_REGRESSED, "regressed", any ? "; also " : "", put_name);
        if (compare_whole_worse(c) && !compare_machine_worse(c)) {
            char sh[24];
            fprintf(f, "%sthe whole run %s worse, %s (run both again, or pair the builds with "
                       "pacer ab)", any ? "; " : "", report_pct(sh, sizeof sh, c->whole_shift),
                    c->whole == WHOLE_MACHINE ? "as the machine's reference: likely the "
                                                "machine, but not surely"
                                              : "machine or code cannot be told apart");
            any = 1;
        }
        if (!put_limits(f, c, any ? "; also " : "", put_name) && !any)
            fputs("see the lines above", f);
        break;
    }
    fputc('\n', f);
}
