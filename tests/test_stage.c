/*
 * test_stage.c: load shapes (harness/load/stage.c, shape.c): the targets
 * of stages and the open loop's N^-1(k) against closed forms, the text of
 * --stages, and staged runs against testsrv on loopback: arrivals that
 * follow the rate (none in a stage at 0), users that come and go with the
 * target, and the live view's feed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/loadgen.h"
#include "harness/load/loadgen_private.h"
#include "helpers.h"

#define S(ms, tg) { (uint64_t)(ms) * 1000000u, (tg) }

Test(stage, target_ramps_from_zero_and_holds)
{
    const struct load_stage s[] = {S(1000, 100), S(1000, 100), S(500, 0)};

    cr_assert(fabs(load_stage_target(s, 3, 0)) < 1e-9);
    cr_assert(fabs(load_stage_target(s, 3, 250000000) - 25) < 1e-9);
    cr_assert(fabs(load_stage_target(s, 3, 1500000000) - 100) < 1e-9);
    cr_assert(fabs(load_stage_target(s, 3, 2250000000u) - 50) < 1e-9);
    cr_assert(fabs(load_stage_target(s, 3, 9000000000u)) < 1e-9, "after the end: the last");
    cr_assert(fabs(load_stage_peak(s, 3) - 100) < 1e-9);
    cr_assert_eq(load_stage_total(s, 3), 2500000000u);
}

/* A ramp 0 -> 100/s over 10 s has N(t) = 5 t^2, so N^-1(k) = sqrt(k / 5);
 * then 100/s for 10 s: 500 + 100 (t - 10); then down to 0 over 10 s:
 * 1500 + 100 u - 5 u^2. */
Test(stage, invert_solves_each_ramp)
{
    const struct load_stage s[] = {S(10000, 100), S(10000, 100), S(10000, 0)};
    struct load_stage_cursor c = {0};
    double k;

    for (k = 0.5; k < 500; k += 7.25)
        cr_assert(fabs(load_stage_invert(s, 3, k, &c) - sqrt(k / 5)) < 1e-9, "k %g", k);
    for (k = 500.5; k < 1500; k += 11)
        cr_assert(fabs(load_stage_invert(s, 3, k, &c) - (10 + (k - 500) / 100)) < 1e-9);
    for (k = 1500.5; k < 2000; k += 13) {
        double u = (100 - sqrt(100 * 100 - 4 * 5 * (k - 1500))) / 10;
        cr_assert(fabs(load_stage_invert(s, 3, k, &c) - (20 + u)) < 1e-6, "k %g", k);
    }
    cr_assert(isinf(load_stage_invert(s, 3, 2000.5, &c)), "past the last arrival");
}

/* A stage at 0 holds nothing: the next arrival is in the next stage with
 * a rate, and no division by zero makes it NaN. */
Test(stage, invert_skips_a_stage_at_zero)
{
    const struct load_stage s[] = {S(1000, 0), S(1000, 0), S(1000, 100)};
    struct load_stage_cursor c = {0};
    double t = load_stage_invert(s, 3, 0.5, &c);

    cr_assert(!isnan(t));
    /* the third stage ramps 0 -> 100 over 1 s: N = 50 u^2 */
    cr_assert(fabs(t - (2 + sqrt(0.5 / 50))) < 1e-9, "%g", t);
}

Test(stage, parse_good_text)
{
    struct load_stage *s;
    struct err e = {0};
    size_t n;

    cr_assert_eq(load_stages_parse("10s:50,30s:50,500ms:0", &s, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 3);
    cr_assert_eq(s[0].duration_ns, 10000000000u);
    cr_assert(fabs(s[1].target - 50) < 1e-12);
    cr_assert_eq(s[2].duration_ns, 500000000u);
    free(s);
}

Test(stage, parse_names_the_stage_and_the_cause)
{
    static const char *const bad[][2] = {
        {"10s:50,0s:10", "stage 2 '0s:10': zero duration"},
        {"-5s:10", "stage 1 '-5s:10': negative duration"},
        {"5s:-1", "stage 1 '5s:-1': negative target"},
        {"5s:lots", "stage 1 '5s:lots': 'lots' is not a number"},
        {"5x:3", "stage 1 '5x:3': '5x' is not a duration"},
        {"fifty", "stage 1 'fifty': not DURATION:TARGET"},
        {"5s:1,", "stage 2 '': not DURATION:TARGET"},
        {"5s:0,5s:0", "every stage's target is 0"},
    };
    size_t i, n;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct load_stage *s = (struct load_stage *)1;
        struct err e = {0};
        cr_assert_eq(load_stages_parse(bad[i][0], &s, &n, &e), -1, "%s", bad[i][0]);
        cr_assert_null(s);
        cr_assert(strstr(e.msg, bad[i][1]), "%s: %s", bad[i][0], e.msg);
    }
}

Test(stage, shape_sets_duration_and_peak)
{
    const struct load_stage s[] = {S(300, 20), S(200, 40)};
    struct load_opts o;

    load_opts_default(&o);
    o.stages = s;
    o.nstages = 2;
    cr_assert_eq(load_opts_shape(&o), 0);
    cr_assert_eq(o.duration_ns, 500000000u);
    cr_assert_eq(o.connections, 40);
    load_opts_default(&o);
    o.rate_stages = s;
    o.nrate_stages = 2;
    cr_assert_eq(load_opts_shape(&o), 0);
    cr_assert(fabs(o.rate - 40) < 1e-12);
    o.stages = s;
    o.nstages = 2;
    cr_assert_eq(load_opts_shape(&o), -1, "both lists");
}

/* ---- runs against testsrv --------------------------------------------------- */

struct seen {
    size_t n;
    double t[64];
    uint64_t requests;
    int ordered;
};

static void on_interval(void *arg, const struct load_interval *iv, double span_s)
{
    struct seen *s = arg;

    if (s->n && iv->t <= s->t[s->n - 1])
        s->ordered = 0;
    if (s->n < 64)
        s->t[s->n] = iv->t;
    s->n++;
    s->requests += iv->requests;
    cr_assert(span_s > 0);
}

static void run_staged(struct load_opts *o, struct load_out *out, char **req)
{
    const char *args[] = {"--mode", "ok", NULL};
    struct load_request none = {0};
    struct err e = {0};
    struct srv srv = srv_start(args);
    static char url[64];

    snprintf(url, sizeof url, "http://127.0.0.1:%d/", srv.port);
    o->url_text = url;
    cr_assert_eq(load_prepare(o, &none, req, &e), 0, "%s", e.msg);
    cr_assert_eq(load_run(o, out, &e), 0, "%s", e.msg);
    srv_stop(&srv);
}

/* 0 -> 400/s over 0.5 s, 400/s for 0.5 s, down to 0 over 0.5 s: 100 +
 * 200 + 100 arrivals; every 250 ms interval sends what the integral of
 * the rate says (25, 75, 100, 100, 75, 25) and asks the rate at its
 * middle; the live view sees every interval, in order. */
Test(stage, open_loop_follows_the_rate, .timeout = 30)
{
    const struct load_stage s[] = {S(500, 400), S(500, 400), S(500, 0)};
    static const double want[] = {25, 75, 100, 100, 75, 25};
    static const double mid[] = {100, 300, 400, 400, 300, 100};
    struct seen seen = {.ordered = 1};
    struct load_opts o;
    struct load_out out;
    char *req = NULL;
    double sent_sum = 0, want_sum = 0;
    size_t i;

    load_opts_default(&o);
    o.rate_stages = s;
    o.nrate_stages = 3;
    o.connections = 8;
    o.interval_ns = 250000000;
    o.progress = on_interval;
    o.progress_arg = &seen;
    load_opts_shape(&o);
    run_staged(&o, &out, &req);
    /* the last arrival is 35 ms before the end: a thread descheduled
     * longer than that at the very end would not see it due */
    cr_assert(out.due >= 398 && out.due <= 400, "%llu due", (unsigned long long)out.due);
    cr_assert_eq(out.sent + out.unsent_end, out.due);
    cr_assert_eq(out.niv, 6);
    for (i = 0; i < 6; i++) {
        /* a send late falls into the next interval (a busy, sanitized run
         * once sent 89 of interval 2's 100 in it): by the end of each
         * interval no more than due went, and no less than was due by the
         * end of the one before */
        sent_sum += (double)out.iv[i].sent;
        cr_assert(sent_sum <= want_sum + want[i] + 4 && sent_sum >= want_sum - 4,
                  "interval %zu: %llu sent, %g in all where %g were due", i,
                  (unsigned long long)out.iv[i].sent, sent_sum, want_sum + want[i]);
        want_sum += want[i];
        cr_assert(fabs(out.iv[i].target - mid[i]) < 1e-6, "interval %zu asks %g", i,
                  out.iv[i].target);
        cr_assert(fabs(out.iv[i].achieved - (double)out.iv[i].sent * 4) < 1e-6);
    }
    cr_assert_eq(seen.n, 6, "the live view saw %zu intervals", seen.n);
    cr_assert(seen.ordered);
    cr_assert_eq(seen.requests, out.requests);
    load_out_free(&out);
    free(req);
}

/* A stage at 0 between two with a rate: nothing is sent while it lasts. */
Test(stage, open_loop_sends_nothing_at_zero, .timeout = 30)
{
    const struct load_stage s[] = {S(300, 300), S(300, 0), S(300, 0), S(300, 300)};
    struct load_opts o;
    struct load_out out;
    char *req = NULL;

    load_opts_default(&o);
    o.rate_stages = s;
    o.nrate_stages = 4;
    o.arrival = ARRIVAL_POISSON;
    o.seed = 3;
    o.interval_ns = 300000000;
    load_opts_shape(&o);
    run_staged(&o, &out, &req);
    cr_assert_eq(out.niv, 4);
    cr_assert_eq(out.iv[2].sent, 0, "%llu sent in the stage at 0",
                 (unsigned long long)out.iv[2].sent);
    cr_assert_gt(out.iv[0].sent, 10);
    cr_assert_gt(out.iv[3].sent, 10);
    cr_assert_eq(out.nerrors, 0);
    load_out_free(&out);
    free(req);
}

/* Users 0 -> 6 over 0.3 s, 6 for 0.3 s, down to 0 over 0.2 s, 0 for
 * 0.3 s: at most 6 connections, about 6 of them in place on the plateau,
 * and once the target is 0 nothing more is sent (a user finishes its
 * request and idles). */
Test(stage, closed_loop_users_follow_the_target, .timeout = 30)
{
    const struct load_stage s[] = {S(300, 6), S(300, 6), S(200, 0), S(300, 0)};
    struct load_opts o;
    struct load_out out;
    char *req = NULL;

    load_opts_default(&o);
    o.stages = s;
    o.nstages = 4;
    o.threads = 2;
    o.interval_ns = 100000000;
    load_opts_shape(&o);
    cr_assert_eq(o.connections, 6);
    run_staged(&o, &out, &req);
    cr_assert_eq(out.niv, 11);
    cr_assert_eq(out.nerrors, 0);
    cr_assert_leq(out.connects, 6);
    cr_assert(out.iv[0].achieved < 2.5, "%g users at the start", out.iv[0].achieved);
    cr_assert(out.iv[4].achieved > 5 && out.iv[4].achieved <= 6, "%g users on the plateau",
              out.iv[4].achieved);
    cr_assert(fabs(out.iv[4].target - 6) < 1e-9);
    cr_assert_gt(out.iv[4].requests, 10);
    cr_assert_eq(out.iv[9].sent + out.iv[10].sent, 0, "sent at 0 users");
    cr_assert(out.iv[10].achieved == 0);
    load_out_free(&out);
    free(req);
}

/* The global numbers of the connections, given out as load_run shares
 * them (C / T each, the first C % T threads one more): each of 0 .. C-1
 * once, and the first k of them spread over the threads (none holds more
 * than one above another). */
Test(stage, users_are_spread_over_threads)
{
    unsigned T, C, k, i;

    for (T = 1; T <= 5; T++)
        for (C = T; C <= 23; C++) {
            unsigned char seen[32] = {0};
            for (i = 0; i < T; i++) {
                size_t j, share = C / T + (i < C % T);
                for (j = 0; j < share; j++) {
                    uint64_t g = shape_number(i, j, T);
                    cr_assert_lt(g, C);
                    cr_assert_eq(seen[g]++, 0, "number %llu twice", (unsigned long long)g);
                }
            }
            for (k = 0; k <= C; k++) {
                unsigned lo = C, hi = 0;
                for (i = 0; i < T; i++) {
                    size_t j, share = C / T + (i < C % T), on = 0;
                    for (j = 0; j < share; j++)
                        on += shape_number(i, j, T) < k;
                    lo = on < lo ? (unsigned)on : lo;
                    hi = on > hi ? (unsigned)on : hi;
                }
                cr_assert_leq(hi - lo, 1, "T %u C %u k %u", T, C, k);
            }
        }
}

/* Two users on two threads: both load from the first check on. */
Test(stage, closed_loop_two_users_two_threads, .timeout = 30)
{
    const struct load_stage s[] = {S(1, 2), S(400, 2)};
    struct load_opts o;
    struct load_out out;
    char *req = NULL;

    load_opts_default(&o);
    o.stages = s;
    o.nstages = 2;
    o.threads = 2;
    o.interval_ns = 200000000;
    load_opts_shape(&o);
    run_staged(&o, &out, &req);
    cr_assert_eq(out.threads, 2);
    cr_assert(out.iv[1].achieved > 1.5, "%g users", out.iv[1].achieved);
    cr_assert_eq(out.connects, 2);
    load_out_free(&out);
    free(req);
}

/* A warmup with stages is refused: the shape is measured whole. */
Test(stage, no_warmup_with_stages)
{
    const struct load_stage s[] = {S(100, 2)};
    struct load_opts o;
    struct load_out out;
    struct err e = {0};

    load_opts_default(&o);
    o.stages = s;
    o.nstages = 1;
    o.warmup_ns = 1000000;
    o.request = "GET / HTTP/1.1\r\n\r\n";
    o.reqlen = strlen(o.request);
    cr_assert_eq(load_run(&o, &out, &e), -1);
    cr_assert(strstr(e.msg, "warmup"), "%s", e.msg);
}
