/*
 * test_capacity.c: the capacity search of harness/run/capacity.c against
 * fake step functions (a server whose latency rises sharply past a known
 * rate, a generator that cannot offer more than a known rate, confirms
 * that fail), and its objectives: parsed, refused with their cause, and
 * judged on a load benchmark built in memory.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run/capacity.h"
#include "helpers.h"

/* A fake server of capacity cap: below it p99 is 1 ms, past it the queue
 * grows and p99 with it (10 ms a step at 1 % over); the objective is
 * p99 < 10 ms, so the true answer is about 1.009 cap.  The generator can
 * offer at most gen (0: anything); the first blip_left steps above blip
 * are not valid once; confirms fail above confirm_max (0: none do). */
struct fake {
    double cap, gen, blip, confirm_max;
    int blip_left;
    unsigned calls, confirms;
    int fail_at;                  /* the call that fails (1-based), 0 none */
    int stall_call;               /* the step that fails whatever its rate
                                     (a stall of the machine), 0 none */
};

#define LIMIT_NS 10000000ull

static uint64_t fake_p99(const struct fake *f, double rate)
{
    double over = rate / f->cap - 1;

    return over <= 0 ? 1000000ull : (uint64_t)(1e6 * (1 + 1000 * over));
}

static int fake_step(void *arg, double rate, int confirm, struct capacity_step *s,
                     struct err *e)
{
    struct fake *f = arg;

    f->calls++;
    f->confirms += confirm;
    if (f->fail_at && (int)f->calls == f->fail_at)
        return err_set(e, "interrupted");
    s->achieved = fmin(rate, f->cap);
    s->p50 = fake_p99(f, rate) / 2;
    s->p90 = s->p99 = fake_p99(f, rate);
    s->p999 = s->p99 * 2;
    s->valid = !(f->gen > 0 && rate > f->gen);
    if (f->blip_left > 0 && rate > f->blip) {
        f->blip_left--;
        s->valid = 0;
    }
    s->pass = s->p99 < LIMIT_NS && !(confirm && f->confirm_max > 0 && rate > f->confirm_max);
    if ((int)f->calls == f->stall_call)
        s->pass = 0;
    s->why = s->pass ? NULL : "p99 too high";
    return 0;
}

/* The search on f from start (or a range), the result in c. */
static int search(struct fake *f, double start, double lo, double hi, struct capacity *c,
                  struct err *e)
{
    struct capacity_opts o;

    capacity_opts_default(&o);
    o.start = start;
    o.range_low = lo;
    o.range_high = hi;
    memset(c, 0, sizeof *c);
    return capacity_search(&o, fake_step, NULL, f, c, e);
}

/* The true answer of f: the highest rate with p99 under the limit. */
static double truth(const struct fake *f)
{
    return f->cap * (1 + (LIMIT_NS / 1e6 - 1) / 1000);
}

/* c found f's capacity: bracket around the truth, within 5 %, answer its
 * low end, steps bounded. */
static void assert_found(const struct capacity *c, const struct fake *f)
{
    cr_assert_eq(c->status, CAP_FOUND, "status %s", capacity_status_name(c->status));
    cr_assert(c->low <= truth(f) && c->high > truth(f), "bracket [%g, %g], truth %g", c->low,
              c->high, truth(f));
    cr_assert(c->high <= c->low * 1.05 * (1 + 1e-9), "bracket [%g, %g] wider than 5 %%",
              c->low, c->high);
    cr_assert_eq(c->answer, c->low);
    cr_assert_leq(c->nsteps, CAPACITY_MAX_STEPS + CAPACITY_MAX_CONFIRMS);
    cr_assert(c->steps[c->nsteps - 1].confirm && c->steps[c->nsteps - 1].pass);
}

Test(capacity, found_from_a_probe_start_within_the_precision)
{
    static const double caps[] = {3, 50, 777, 12345, 1e6};
    static const double starts[] = {0.3, 0.95, 1.0, 1.5, 4};
    size_t i, k;

    for (i = 0; i < COUNT(caps); i++)
        for (k = 0; k < COUNT(starts); k++) {
            struct fake f = {.cap = caps[i]};
            struct capacity c;
            struct err e = {0};
            cr_assert_eq(search(&f, caps[i] * starts[k], 0, 0, &c, &e), 0);
            assert_found(&c, &f);
            cr_assert_eq(f.confirms, 1);
            capacity_free(&c);
        }
}

Test(capacity, found_from_a_range_below_around_and_above)
{
    static const double ranges[][2] = {{10, 100000}, {100, 200}, {2000, 4000}, {500, 600}};
    size_t i;

    for (i = 0; i < COUNT(ranges); i++) {
        struct fake f = {.cap = 1000};
        struct capacity c;
        struct err e = {0};
        cr_assert_eq(search(&f, 0, ranges[i][0], ranges[i][1], &c, &e), 0);
        assert_found(&c, &f);
        /* the range's ends are its first steps (the high one once the low held) */
        cr_assert_eq(c.steps[0].rate, ranges[i][0]);
        if (c.steps[0].pass)
            cr_assert_eq(c.steps[1].rate, ranges[i][1]);
        capacity_free(&c);
    }
}

Test(capacity, a_bracket_reached_in_few_steps)
{
    struct fake f = {.cap = 1000};
    struct capacity c;
    struct err e = {0};

    /* from the probe (the most the server answers: its capacity), one
     * doubling, then from a factor 2 to 5 %: log2(log 2 / log 1.05) = 3.8,
     * so 4 bisections */
    cr_assert_eq(search(&f, 1000, 0, 0, &c, &e), 0);
    assert_found(&c, &f);
    cr_assert_leq(c.nsteps, 1 + 1 + 4 + 1, "%zu steps", c.nsteps);
    capacity_free(&c);
}

Test(capacity, the_generator_ceiling_makes_a_lower_bound)
{
    struct fake f = {.cap = 5000, .gen = 2000};
    struct capacity c;
    struct err e = {0};
    size_t i, invalid = 0;

    cr_assert_eq(search(&f, 3000, 0, 0, &c, &e), 0);
    cr_assert_eq(c.status, CAP_LIMITED, "status %s", capacity_status_name(c.status));
    cr_assert_leq(c.answer, 2000);
    cr_assert_geq(c.answer, 2000 / 1.05);
    cr_assert_gt(c.high, 2000);
    /* a step the generator could not run is run again once, never a failure */
    for (i = 0; i < c.nsteps; i++)
        if (!c.steps[i].valid) {
            invalid++;
            cr_assert_not(c.steps[i].pass);
        }
    cr_assert_eq(c.steps[0].valid, 0);
    cr_assert_eq(c.steps[1].rate, c.steps[0].rate);
    cr_assert_eq(c.steps[1].valid, 0);
    cr_assert_geq(invalid, 2);
    capacity_free(&c);
}

Test(capacity, a_generator_blip_is_run_again_and_forgotten)
{
    struct fake f = {.cap = 1000, .blip = 500, .blip_left = 1};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 800, 0, 0, &c, &e), 0);
    assert_found(&c, &f);
    cr_assert_eq(c.steps[0].valid, 0);
    cr_assert_eq(c.steps[1].rate, 800);
    cr_assert_eq(c.steps[1].valid, 1);
    capacity_free(&c);
}

Test(capacity, a_far_range_runs_out_of_steps_and_says_so)
{
    struct fake f = {.cap = 1000};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 0, 1, 2, &c, &e), 0);
    cr_assert_eq(c.status, CAP_FOUND);
    cr_assert_leq(c.nsteps, CAPACITY_MAX_STEPS + CAPACITY_MAX_CONFIRMS);
    cr_assert(c.low <= truth(&f) && c.high > truth(&f));
    cr_assert(capacity_wide(&c), "[%g, %g] is wider than 5 %%", c.low, c.high);
    capacity_free(&c);
}

Test(capacity, a_failure_below_what_was_answered_is_run_again)
{
    struct fake f = {.cap = 1000, .stall_call = 3};
    struct capacity c;
    struct err e = {0};

    /* 100 holds, 2000 fails having answered 1000/s, the bisection's 447
     * stalls: 447 is under 0.9 x 1000, so it runs again (and holds) */
    cr_assert_eq(search(&f, 0, 100, 2000, &c, &e), 0);
    cr_assert_float_eq(c.steps[2].rate, sqrt(100 * 2000.0), 1e-9);
    cr_assert_not(c.steps[2].pass);
    cr_assert_eq(c.steps[3].rate, c.steps[2].rate, "run again");
    cr_assert(c.steps[3].pass);
    assert_found(&c, &f);
    capacity_free(&c);
}

Test(capacity, nothing_holds_stops_by_itself)
{
    struct fake f = {.cap = 1e-3};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 1e6, 0, 0, &c, &e), 0);
    cr_assert_eq(c.status, CAP_NONE);
    cr_assert_eq(c.answer, 0);
    cr_assert(isnan(c.low));
    cr_assert_leq(c.nsteps, CAPACITY_MAX_STEPS);
    cr_assert_eq(f.confirms, 0);
    capacity_free(&c);
}

Test(capacity, everything_holds_stops_by_itself)
{
    struct fake f = {.cap = 1e30};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 100, 0, 0, &c, &e), 0);
    cr_assert_eq(c.status, CAP_FOUND);
    cr_assert(isnan(c.high), "no rate failed: the bracket is open above");
    cr_assert_eq(c.nsteps, CAPACITY_MAX_STEPS + 1);
    cr_assert_float_eq(c.answer, 100 * pow(2, CAPACITY_MAX_STEPS - 1), 1e-6);
    capacity_free(&c);
}

Test(capacity, a_failing_confirm_steps_down)
{
    struct fake f = {.cap = 1000, .confirm_max = 900};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 1500, 0, 0, &c, &e), 0);
    cr_assert_eq(c.status, CAP_FOUND);
    cr_assert_leq(c.answer, 900);
    cr_assert_geq(c.answer, 900 / 1.1 / 1.1);
    cr_assert_gt(f.confirms, 1);
    cr_assert_leq(f.confirms, CAPACITY_MAX_CONFIRMS);
    cr_assert_eq(c.low, c.answer);
    cr_assert_gt(c.high, c.answer, "the bracket's high is the confirm that failed");
    capacity_free(&c);
}

Test(capacity, confirms_that_never_hold_leave_no_answer)
{
    struct fake f = {.cap = 1000, .confirm_max = 1};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 1500, 0, 0, &c, &e), 0);
    cr_assert_eq(c.status, CAP_UNCONFIRMED);
    cr_assert_eq(c.answer, 0);
    cr_assert_eq(f.confirms, CAPACITY_MAX_CONFIRMS);
    capacity_free(&c);
}

Test(capacity, a_step_that_cannot_run_stops_the_search)
{
    struct fake f = {.cap = 1000, .fail_at = 3};
    struct capacity c;
    struct err e = {0};

    cr_assert_eq(search(&f, 1500, 0, 0, &c, &e), -1);
    cr_assert_str_eq(e.msg, "interrupted");
    cr_assert_eq(c.nsteps, 2);
    capacity_free(&c);
}

/* ---- objectives ---------------------------------------------------------------- */

static void assert_refused(const char *text, const char *msg)
{
    struct capacity_goal g;
    struct err e = {0};
    const char *t[] = {text};

    cr_assert_eq(capacity_goal_parse(t, 1, &g, &e), -1, "'%s' accepted", text);
    cr_assert_str_eq(e.msg, msg);
    cr_assert_eq(g.n, 0);
}

Test(capacity, bad_objectives_say_why)
{
    struct capacity_goal g;
    struct err e = {0};

    assert_refused("latency.p99 < 50",
                   "capacity 'latency.p99 < 50': '50' has no unit, so pacer would read ns; "
                   "write it with one, e.g. 'latency.p99 < 50ms'");
    assert_refused("p(99)<50", "capacity 'p(99)<50': k6's spelling; pacer's is "
                               "'latency.p99 < 50ms' (k6 counts times in ms, pacer reads a "
                               "bare number as ns)");
    assert_refused("latncy.p99 < 5ms", "capacity 'latncy.p99 < 5ms': a load run has no "
                                       "metric 'latncy.p99' (did you mean \"latency.p99\"?)");
    assert_refused("step:login latency.p99 < 5ms", "capacity 'step:login latency.p99 < 5ms': "
                   "an objective is the whole load's: no benchmark pattern, step or flow");
    assert_refused("capacity > 100", "capacity 'capacity > 100': the capacity is what is "
                   "searched, not an objective (a limit on it is --limit's)");
    assert_refused("latency.p99 <", "capacity 'latency.p99 <': '' is not a number with a unit "
                   "(ns us ms s, B KiB MiB, %, k M)");
    cr_assert_eq(capacity_goal_parse(NULL, 0, &g, &e), -1);
    cr_assert_str_eq(e.msg, "capacity: no objective (e.g. 'latency.p99 < 50ms')");
}

Test(capacity, errors_are_an_objective_unless_one_says_otherwise)
{
    const char *a[] = {"latency.p99 < 50ms", "latency.p50 < 5ms"};
    const char *b[] = {"latency.p99 < 50ms", "errors.rate < 5%"};
    struct capacity_goal g;
    struct capacity c = {0};
    struct err e = {0};

    cr_assert_eq(capacity_goal_parse(a, 2, &g, &e), 0, "%s", e.msg);
    cr_assert_eq(g.n, 3);
    cr_assert(g.implied_errors);
    cr_assert_str_eq(g.v[2].text, CAPACITY_ERRORS_TEXT);
    cr_assert_eq(capacity_goal_record(&g, &c), 0);
    cr_assert_eq(c.nobjectives, 3);
    cr_assert_str_eq(c.objectives[2], "errors.rate < 1%");
    capacity_goal_free(&g);
    capacity_free(&c);
    cr_assert_eq(capacity_goal_parse(b, 2, &g, &e), 0, "%s", e.msg);
    cr_assert_eq(g.n, 2);
    cr_assert_not(g.implied_errors);
    capacity_goal_free(&g);
}

/* A load benchmark of one repetition with these figures. */
static void one_rep(struct bench *b, double p99_ns, double errors)
{
    struct metric *m;

    memset(b, 0, sizeof *b);
    b->kind = KIND_LOAD;
    b->unit = xstrdup("ns");
    m = bench_add_metric(b, "latency.p99", "ns", DIR_LOWER);
    m->samples = malloc(sizeof *m->samples);
    m->samples[0] = p99_ns;
    m->nsamples = 1;
    m = bench_add_metric(b, "errors.rate", "ratio", DIR_LOWER);
    m->samples = malloc(sizeof *m->samples);
    m->samples[0] = errors;
    m->nsamples = 1;
    b->samples = malloc(sizeof *b->samples);
    b->samples[0] = p99_ns;
    b->nsamples = 1;
    cr_assert_eq(bench_compute_stats(b, NULL), 0);
}

Test(capacity, objectives_are_judged_on_a_step)
{
    const char *t[] = {"latency.p99 < 50ms"};
    struct capacity_goal g;
    struct bench b;
    struct err e = {0};
    char why[256] = "";

    cr_assert_eq(capacity_goal_parse(t, 1, &g, &e), 0);
    one_rep(&b, 41.2e6, 0);
    cr_assert_eq(capacity_goal_holds(&g, &b, why, sizeof why), 1);
    bench_free(&b);
    one_rep(&b, 81.2e6, 0);
    cr_assert_eq(capacity_goal_holds(&g, &b, why, sizeof why), 0);
    cr_assert_str_eq(why, "latency.p99 81.2 ms, not < 50.0 ms");
    bench_free(&b);
    one_rep(&b, 1e6, 0.02);
    cr_assert_eq(capacity_goal_holds(&g, &b, why, sizeof why), 0);
    cr_assert_str_eq(why, "errors.rate 2%, not < 1%");
    bench_free(&b);
    capacity_goal_free(&g);
}
