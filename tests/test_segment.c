/*
 * test_segment.c: a load split over generators (harness/load/segment.h):
 * shares that sum to the whole, rates, stage targets, the segment from
 * Slurm's and a Kubernetes Indexed Job's environment, and bad specs.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness/load/segment.h"
#include "helpers.h"

static void clear_env(void)
{
    unsetenv("SLURM_PROCID");
    unsetenv("SLURM_NTASKS");
    unsetenv("JOB_COMPLETION_INDEX");
}

TestSuite(segment, .init = clear_env);

Test(segment, shares_sum_to_the_total)
{
    unsigned long long total, sum;
    unsigned n, i;

    for (total = 0; total < 200; total++)
        for (n = 1; n < 40; n++) {
            sum = 0;
            for (i = 1; i <= n; i++) {
                unsigned long long s = segment_share(total, i, n);
                cr_assert(s == total / n || s == total / n + 1);
                /* the first total % n one more */
                cr_assert_eq(s, total / n + (i <= total % n), "%llu %u/%u", total, i, n);
                sum += s;
            }
            cr_assert_eq(sum, total, "%llu over %u", total, n);
        }
    cr_assert_eq(segment_share(2, 3, 4), 0);   /* N > total: some get none */
    cr_assert_eq(segment_share(10, 0, 4), 0);
    cr_assert_eq(segment_share(10, 5, 4), 0);
    cr_assert_eq(segment_share(1000000000000ull, 3, 7), 142857142857ull);
}

Test(segment, rates)
{
    double sum = 0;
    unsigned i;

    for (i = 1; i <= 3; i++)
        sum += segment_rate(1000, i, 3);
    cr_assert(rel_eq(sum, 1000, 1e-12));
    cr_assert(rel_eq(segment_rate(7, 2, 2), 3.5, 1e-15));
}

Test(segment, apply_connections_rate_and_rows)
{
    struct load_opts o;
    struct err e = {0};

    load_opts_default(&o);
    o.connections = 65;
    o.rate = 1000;
    cr_assert_eq(segment_apply(&o, NULL, 1, 2, &e), 0, "%s", e.msg);
    cr_assert_eq(o.connections, 33);
    cr_assert(rel_eq(o.rate, 500, 1e-12));
    cr_assert_eq(o.row_first, 0);
    cr_assert_eq(o.row_stride, 2);
    load_opts_default(&o);
    o.connections = 2;
    cr_assert_eq(segment_apply(&o, NULL, 3, 4, &e), -1);
    cr_assert_str_eq(e.msg, "--segment 3/4: 2 connections cannot be split 4 ways");
}

Test(segment, apply_stages)
{
    struct load_stage users[] = {{1000, 10}, {1000, 3}, {1000, 0}};
    struct load_stage rates[] = {{1000, 100}, {1000, 1000}};
    struct load_stage few[] = {{1000, 1}};
    struct load_opts o;
    struct err e = {0};

    load_opts_default(&o);
    o.stages = users;
    o.nstages = 3;
    cr_assert_eq(segment_apply(&o, users, 2, 3, &e), 0, "%s", e.msg);
    cr_assert(rel_eq(users[0].target, 3, 0) && rel_eq(users[1].target, 1, 0) &&
              users[2].target == 0);
    load_opts_default(&o);
    o.rate_stages = rates;
    o.nrate_stages = 2;
    o.rate = 1000;
    cr_assert_eq(segment_apply(&o, rates, 4, 4, &e), 0, "%s", e.msg);
    cr_assert(rel_eq(rates[0].target, 25, 1e-12) && rel_eq(rates[1].target, 250, 1e-12));
    load_opts_default(&o);
    o.stages = few;
    o.nstages = 1;
    cr_assert_eq(segment_apply(&o, few, 2, 2, &e), -1);
    cr_assert(strstr(e.msg, "--segment 2/2: the users of --stages cannot be split 2 ways"),
              "%s", e.msg);
}

Test(segment, parse_spec)
{
    struct err e = {0};
    unsigned i, n;

    cr_assert_eq(segment_parse("3/4", 0, &i, &n, &e), 0, "%s", e.msg);
    cr_assert(i == 3 && n == 4);
    cr_assert_eq(segment_parse("1/1", 0, &i, &n, &e), 0);
}

/* Each bad spec refused with its message. */
Test(segment, bad_specs)
{
    static const struct { const char *spec; unsigned segments; const char *msg; } cases[] = {
        {"0/4", 0, "--segment '0/4': the index must be from 1 to 4"},
        {"5/4", 0, "--segment '5/4': the index must be from 1 to 4"},
        {"1/0", 0, "--segment '1/0': the count must be from 1 to 100000"},
        {"junk", 0, "--segment 'junk': not I/N (segment I of N, from 1) or auto"},
        {"1/x", 0, "--segment '1/x': not I/N (segment I of N, from 1) or auto"},
        {"auto", 0, "--segment auto: neither SLURM_PROCID and SLURM_NTASKS (Slurm) nor "
                    "JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set"},
        {"1/2", 2, "--segments 2: only with --segment auto (I/N says the count)"},
    };
    struct err e;
    unsigned i, n;
    size_t k;

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        memset(&e, 0, sizeof e);
        cr_assert_eq(segment_parse(cases[k].spec, cases[k].segments, &i, &n, &e), -1,
                     "%s", cases[k].spec);
        cr_assert_str_eq(e.msg, cases[k].msg);
    }
}

Test(segment, auto_from_slurm)
{
    struct err e = {0};
    unsigned i, n;

    setenv("SLURM_PROCID", "1", 1);
    setenv("SLURM_NTASKS", "2", 1);
    cr_assert_eq(segment_parse("auto", 0, &i, &n, &e), 0, "%s", e.msg);
    cr_assert(i == 2 && n == 2);
    cr_assert_eq(segment_parse("auto", 3, &i, &n, &e), -1);
    cr_assert_str_eq(e.msg, "--segments 3: SLURM_NTASKS says 2");
    setenv("SLURM_PROCID", "2", 1);
    memset(&e, 0, sizeof e);
    cr_assert_eq(segment_parse("auto", 0, &i, &n, &e), -1);
    cr_assert_str_eq(e.msg, "--segment auto: SLURM_PROCID '2' and SLURM_NTASKS '2' are not a "
                            "task of the job");
    unsetenv("SLURM_NTASKS");
    memset(&e, 0, sizeof e);
    cr_assert_eq(segment_parse("auto", 0, &i, &n, &e), -1);
    cr_assert(strstr(e.msg, "SLURM_NTASKS '(unset)'"), "%s", e.msg);
}

Test(segment, auto_from_kubernetes)
{
    struct err e = {0};
    unsigned i, n;

    setenv("JOB_COMPLETION_INDEX", "0", 1);
    cr_assert_eq(segment_parse("auto", 3, &i, &n, &e), 0, "%s", e.msg);
    cr_assert(i == 1 && n == 3);
    cr_assert_eq(segment_parse("auto", 0, &i, &n, &e), -1);
    cr_assert_str_eq(e.msg, "--segment auto: JOB_COMPLETION_INDEX needs the count, "
                            "--segments N");
    setenv("JOB_COMPLETION_INDEX", "3", 1);
    memset(&e, 0, sizeof e);
    cr_assert_eq(segment_parse("auto", 3, &i, &n, &e), -1);
    cr_assert_str_eq(e.msg, "--segment auto: JOB_COMPLETION_INDEX '3' is not an index below "
                            "--segments 3");
}

/* The slots of a split suite: each repetition's agreed start follows the
 * last one's warmup and duration (its stages') and the gap; a plan without
 * a start reserves nothing. */
Test(segment, slots_follow_each_other)
{
    struct segment_plan p = {.index = 1, .count = 2, .start_at = 1000, .next_at = 1000,
                             .gap_s = 2};
    struct load_opts o;
    struct load_stage st[2] = {{.duration_ns = 3000000000u, .target = 10},
                               {.duration_ns = 1000000000u, .target = 0}};
    double first;

    load_opts_default(&o);
    o.warmup_ns = 500000000u;
    o.duration_ns = 1000000000u;
    first = segment_reserve(&p, &o, 3);
    cr_assert(first == 1000);
    cr_assert(segment_slot(&p, first, &o, 2) == 1000 + 2 * 3.5, "%g",
              segment_slot(&p, first, &o, 2));
    cr_assert(p.next_at == 1000 + 3 * 3.5);
    o.stages = st;
    o.nstages = 2;
    first = segment_reserve(&p, &o, 1);   /* 0.5 s warmup + 4 s of stages + 2 s */
    cr_assert(first == 1010.5);
    cr_assert(p.next_at == 1010.5 + 6.5);
    p.start_at = 0;
    cr_assert(segment_reserve(&p, &o, 1) == 0);
}
