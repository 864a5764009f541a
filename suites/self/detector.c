/*
 * detector.c: how well pacer compare tells regressions from noise, on
 * synthetic runs whose truth is known.  Prints, at the default settings of
 * compare (threshold, correction, alpha, drift allowance), the rate of false
 * verdicts on A/A suites and the detection rate of known shifts, unpaired
 * (two runs, as pacer run --processes 10 --samples 30 makes them) and
 * paired (as pacer ab makes them by default: 100 pairs over 10 worker
 * pairs).
 *
 *   make build/self/detector && build/self/detector [SUITES] [SEED]
 *
 * (1000 suites take about 15 s.)
 *
 * Noise model of one benchmark in one run (multiplicative, log scale),
 * each figure measured on this project's own suites on a 2-core shared VM
 * (six runs of hash, evloop and json with --processes 5 --samples 30, and
 * pacer ab of two copies of the same binaries; the command that measures
 * them is in suites/self/noise.py):
 *   body       each sample: lognormal, sigma drawn per benchmark from
 *              {0.2, 0.35, 0.6, 1.1} % (measured within one worker process:
 *              p25 0.20, median 0.33, p75 0.57, p90 1.07 %)
 *   outliers   each sample with probability 1 %: times 1 + Exp(mean 15 %)
 *              (measured: 1.0 % of samples lie over 10 % above the median)
 *   process    each worker process: an offset N(0, 0.9 %) (its memory layout
 *              and the moment of its round), and with probability 10 % per
 *              run one process 5 % slower (a busy neighbour during one
 *              round); together the measured spread between processes
 *              (median 1.1 %, p90 2.7 %)
 *   drift      a linear trend over the run, total N(0, 0.5 %)
 *   run level  each run: an offset N(0, 0.3 %) shared by its processes
 *              (measured spread of whole-run medians: median 0.57 %)
 * Paired runs share the machine's moment: drift, run level and slow
 * spells hit both sides of a pair alike.  What pairing cannot cancel is
 * each worker's own layout: per worker and side N(0, 0.2 %), but with
 * probability 1 % N(0, 8 %) (measured spread between worker pairs of the
 * median log ratio: median 0.29 %, p90 2.0 %; 3 of 30 benchmarks had one
 * worker pair far off, once by 66 %, in 6 worker pairs each).
 * A third mode, "drifting", is unpaired on a machine that sometimes shifts
 * as a whole between runs: with probability 25 % a run is shifted by
 * N(0, 4 %), every benchmark of it alike but for an unevenness of 30 % of
 * the shift (measured: one run of three was 4-6 % faster than the others
 * across the whole hash suite, spread 1.4-2.3 % around that).  The suite
 * measures that drift and widens every CI by it: false verdicts stay away,
 * and so do the detections of changes smaller than the drift.
 * A suite has 50 benchmarks; in a shifted suite one benchmark's new side is
 * slower by the shift.  Rates count benchmarks, suites with any false
 * verdict, and detections (verdict "regressed") of the shifted one.
 * Environment: DETECTOR_DEBUG=1 lists the missed detections;
 * DETECTOR_THRESHOLD (a fraction) and DETECTOR_Z override the unpaired
 * threshold and the z of the drift allowance, to explore them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/compare.h"
#include "harness/lib/rng.h"

#define NBENCH 50
#define SAMPLES 30
#define PROCESSES 10
#define PAIRS 100
#define PAIR_PROCESSES 10

static const double body_sigmas[] = {0.002, 0.0035, 0.006, 0.011};

struct machine {
    double drift, run_level;
    int slow_proc;              /* -1: no slow spell */
};

static int drifting;        /* the third mode: whole-run shifts (see above) */
static double suite_shift;  /* this run's shift of the whole machine */

static void machine_draw(struct rng *r, struct machine *m, int nproc)
{
    m->drift = 0.005 * rng_normal(r);
    m->run_level = 0.003 * rng_normal(r) + suite_shift * (1 + 0.3 * rng_normal(r));
    m->slow_proc = rng_uniform(r) < 0.10 ? (int)rng_below(r, (uint64_t)nproc) : -1;
}

static double outlier(struct rng *r)
{
    return rng_uniform(r) < 0.01 ? log1p(-0.15 * log(1 - rng_uniform(r))) : 0;
}

/* One worker's layout under pairing: small, with a rare large mode. */
static double pair_layout(struct rng *r)
{
    return (rng_uniform(r) < 0.01 ? 0.08 : 0.002) * rng_normal(r);
}

/* One unpaired run of a benchmark into b. */
static void run_unpaired(struct rng *r, struct bench *b, const char *name, double sigma,
                         double shift)
{
    struct machine m;
    size_t i, p, per = SAMPLES / PROCESSES;

    machine_draw(r, &m, PROCESSES);
    b->name = strdup(name);
    b->samples = malloc(SAMPLES * sizeof *b->samples);
    b->proc_samples = malloc(PROCESSES * sizeof *b->proc_samples);
    b->nsamples = SAMPLES;
    b->nproc_samples = PROCESSES;
    b->processes = PROCESSES;
    for (p = 0; p < PROCESSES; p++) {
        double layout = 0.009 * rng_normal(r), slow = (int)p == m.slow_proc ? log(1.05) : 0;
        b->proc_samples[p] = per;
        for (i = 0; i < per; i++) {
            size_t k = p * per + i;
            /* Rounds spread a benchmark's processes over the run: the trend
             * advances with the round. */
            double t = ((double)p + (double)i / per) / PROCESSES - 0.5;
            b->samples[k] = 100 * exp(log1p(shift) + m.run_level + m.drift * t + layout + slow +
                                      sigma * rng_normal(r) + outlier(r));
        }
    }
}

/* One paired run: PAIRS pairs over PAIR_PROCESSES worker pairs. */
static void run_paired(struct rng *r, struct bench *a, struct bench *b, const char *name,
                       double sigma, double shift)
{
    struct machine m;
    size_t i, p, per = PAIRS / PAIR_PROCESSES;
    struct bench *side[2] = {a, b};
    int s;

    machine_draw(r, &m, PAIR_PROCESSES);
    for (s = 0; s < 2; s++) {
        side[s]->name = strdup(name);
        side[s]->samples = malloc(PAIRS * sizeof *side[s]->samples);
        side[s]->proc_samples = malloc(PAIR_PROCESSES * sizeof *side[s]->proc_samples);
        side[s]->nsamples = PAIRS;
        side[s]->nproc_samples = PAIR_PROCESSES;
        side[s]->processes = PAIR_PROCESSES;
    }
    for (p = 0; p < PAIR_PROCESSES; p++) {
        double layout[2] = {pair_layout(r), pair_layout(r)};
        double slow = (int)p == m.slow_proc ? log(1.05) : 0;
        for (s = 0; s < 2; s++)
            side[s]->proc_samples[p] = per;
        for (i = 0; i < per; i++) {
            size_t k = p * per + i;
            double t = ((double)k / PAIRS) - 0.5;
            double machine = m.run_level + m.drift * t + slow;
            for (s = 0; s < 2; s++)
                side[s]->samples[k] = 100 * exp((s ? log1p(shift) : 0) + machine + layout[s] +
                                                sigma * rng_normal(r) + outlier(r));
        }
    }
}

struct tally {
    size_t benches, false_verdicts, suites, suites_with_false, shifted, detected;
};

static void one_suite(struct rng *r, int paired, double shift, struct tally *t)
{
    struct result a, b;
    struct compare_opts o;
    struct comparison c;
    struct err e = {0};
    char name[32];
    size_t i, nfalse = 0;

    double shift_a = drifting && rng_uniform(r) < 0.25 ? 0.04 * rng_normal(r) : 0;
    double shift_b = drifting && rng_uniform(r) < 0.25 ? 0.04 * rng_normal(r) : 0;

    result_init(&a);
    result_init(&b);
    for (i = 0; i < NBENCH; i++) {
        double sigma = body_sigmas[rng_below(r, 4)];
        double sh = (shift > 0 && i == 0) ? shift : 0;
        struct bench *ba = result_add_bench(&a), *bb = result_add_bench(&b);
        snprintf(name, sizeof name, "b%02zu", i);
        free(ba->unit);
        free(bb->unit);
        ba->unit = strdup("ns");
        bb->unit = strdup("ns");
        if (paired)
            run_paired(r, ba, bb, name, sigma, sh);
        else {
            suite_shift = shift_a;
            run_unpaired(r, ba, name, sigma, 0);
            suite_shift = shift_b;
            run_unpaired(r, bb, name, sigma, sh);
            suite_shift = 0;
        }
    }
    compare_opts_default(&o);
    o.paired = paired;
    if (getenv("DETECTOR_Z"))
        o.drift_z = atof(getenv("DETECTOR_Z"));
    if (getenv("DETECTOR_THRESHOLD") && !paired)
        o.threshold = atof(getenv("DETECTOR_THRESHOLD"));
    if (compare_results(&a, &b, &o, &c, &e) < 0) {
        fprintf(stderr, "detector: %s\n", e.msg);
        exit(2);
    }
    for (i = 0; i < c.nrows; i++) {
        const struct compare_row *row = &c.rows[i];
        int is_shifted = shift > 0 && !strcmp(row->name, "b00");
        int flagged = row->verdict == VERDICT_REGRESSED || row->verdict == VERDICT_IMPROVED;
        if (is_shifted && row->verdict != VERDICT_REGRESSED && getenv("DETECTOR_DEBUG"))
            fprintf(stderr, "miss %s shift %.2f: change %+.2f%% [%+.2f%%, %+.2f%%] p_adj %.2g %s\n",
                    paired ? "paired" : "unpaired", shift, 100 * row->change, 100 * row->change_lo,
                    100 * row->change_hi, row->p_adj, verdict_name(row->verdict));
        if (is_shifted) {
            t->shifted++;
            t->detected += row->verdict == VERDICT_REGRESSED;
        } else {
            t->benches++;
            t->false_verdicts += flagged;
            nfalse += flagged;
        }
    }
    t->suites++;
    t->suites_with_false += nfalse > 0;
    comparison_free(&c);
    result_free(&a);
    result_free(&b);
}

static void report(const char *mode, const char *what, double shift, const struct tally *t)
{
    if (shift == 0)
        printf("%-9s %-9s false verdicts %5.2f%% of %zu benchmarks; suites of %d with any: "
               "%5.1f%% of %zu\n",
               mode, what, 100.0 * (double)t->false_verdicts / (double)t->benches, t->benches,
               NBENCH, 100.0 * (double)t->suites_with_false / (double)t->suites, t->suites);
    else
        printf("%-9s %-9s detected %5.1f%% of %zu shifted benchmarks; false verdicts on the "
               "others %5.2f%%\n",
               mode, what, 100.0 * (double)t->detected / (double)t->shifted, t->shifted,
               100.0 * (double)t->false_verdicts / (double)t->benches);
}

int main(int argc, char **argv)
{
    static const double shifts[] = {0, 0.02, 0.05};
    size_t nsuites = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    struct rng r;
    int paired;
    size_t s, i;

    rng_seed(&r, seed);
    printf("detector: %zu suites of %d benchmarks per line, seed %llu, compare's defaults "
           "(threshold %.1f%% unpaired / %.0f%% paired, Holm, alpha 0.05, drift measured from "
           "the suite, z %.1f)\n",
           nsuites, NBENCH, (unsigned long long)seed, 100 * COMPARE_THRESHOLD_UNPAIRED,
           100 * COMPARE_THRESHOLD_PAIRED, COMPARE_DRIFT_Z);
    for (paired = 0; paired < 3; paired++)
        for (i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
            struct tally t = {0};
            char what[16];
            drifting = paired == 2;
            for (s = 0; s < nsuites; s++)
                one_suite(&r, paired == 1, shifts[i], &t);
            if (shifts[i] == 0)
                snprintf(what, sizeof what, "A/A");
            else
                snprintf(what, sizeof what, "+%.0f%%", 100 * shifts[i]);
            report(paired == 1 ? "paired" : paired == 2 ? "drifting" : "unpaired", what,
                   shifts[i], &t);
            fflush(stdout);
        }
    return 0;
}
