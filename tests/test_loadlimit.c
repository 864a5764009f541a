/*
 * test_loadlimit.c: limits on a load benchmark checked before the load
 * (harness/result/loadlimit.c): k6's spellings with pacer's, what is
 * pacer's own and passes, and the one-line causes of the rest.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/result/loadlimit.h"

/* k6's thresholds and the pacer spelling suggested ("" none). */
Test(loadlimit, k6_spellings)
{
    static const char *const cases[][2] = {
        {"p(99)<50", "latency.p99 < 50ms"},
        {"p(90) < 20", "latency.p90 < 20ms"},
        {"p(50)<=5", "latency.p50 <= 5ms"},
        {"p(95)<200", "latency.p95 < 200ms"},      /* k6's default percentile */
        {"p(75)<200", "latency.p90 < 200ms"},      /* no p75: the nearest */
        {"p(96)<200", "latency.p95 < 200ms"},
        {"p(99.9)<20ms", "latency.p99.9 < 20ms"},  /* a unit given is kept */
        {"p(100)<1", "latency.max < 1ms"},
        {"avg<100", "latency.mean < 100ms"},
        {"med<80", "latency.p50 < 80ms"},
        {"max<500", "latency.max < 500ms"},
        {"min<5", ""},
        {"http_req_duration: p(99)<50", "latency.p99 < 50ms"},
        {"http_req_duration{status:200}: avg<10", "latency.mean < 10ms"},
        {"http_req_waiting p(90)<30", "latency.p90 < 30ms"},
        {"http_req_failed: rate<0.01", "errors.rate < 1%"},
        {"http_req_failed: rate<0.1%", "errors.rate < 0.1%"},
        {"rate<0.05", "errors.rate < 5%"},
        {"http_reqs: rate>100", "throughput > 100"},
        {"rate>2000", "throughput > 2000"},
        {"http_reqs: count>1000", ""},
        {"checks: rate>0.99", ""},
        {"load: p(99)<50", "load: latency.p99 < 50ms"},   /* pacer's REGEX: kept */
    };
    char sug[160], note[320];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(load_limit_k6(cases[i][0], sug, sizeof sug, note, sizeof note), 1, "%s",
                     cases[i][0]);
        cr_assert_str_eq(sug, cases[i][1], "%s", cases[i][0]);
        cr_assert(sug[0] || note[0], "%s: neither a suggestion nor a note", cases[i][0]);
    }
    load_limit_k6("p(75)<200", sug, sizeof sug, note, sizeof note);
    cr_assert(strstr(note, "not p75; the nearest is p90"), "%s", note);
    load_limit_k6("p(95)<200", sug, sizeof sug, note, sizeof note);
    cr_assert_not(strstr(note, "nearest"), "%s", note);
    load_limit_k6("checks: rate>0.99", sug, sizeof sug, note, sizeof note);
    cr_assert(strstr(note, "k6's metric 'checks' has no counterpart"), "%s", note);
}

/* pacer's own spellings are not k6's, and parse. */
Test(loadlimit, pacer_spellings_pass)
{
    static const char *const ok[] = {
        "latency.p99 < 50ms", "latency.p95 < 50ms", "latency.p99.9 <= 2s", "errors.rate < 0.1%", "errors.rate < 0.01",
        "throughput > 20k", "max < 500ms", "median > 1000", "latency.p99.max < 1s",
        "generator.cpu < 0.9", "server.rss_max < 100MiB", "load: latency.mean < 3ms",
        "latency.p99.cv < 0.1",
    };
    char sug[160], note[320];
    struct limit l;
    struct err e = {0};
    size_t i;

    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_assert_eq(load_limit_k6(ok[i], sug, sizeof sug, note, sizeof note), 0, "%s", ok[i]);
        cr_assert_eq(load_limit_parse(ok[i], &l, &e), 0, "%s: %s", ok[i], e.msg);
        limit_free(&l);
    }
}

/* What is refused, and the line that says why. */
Test(loadlimit, refused_with_a_cause)
{
    static const char *const bad[][2] = {
        {"p(99)<50", "limit 'p(99)<50': k6's spelling; pacer's is 'latency.p99 < 50ms' (k6 "
                     "counts times in ms, pacer reads a bare number as ns)"},
        {"checks: rate>0.9", "limit 'checks: rate>0.9': k6's spelling; k6's metric 'checks' "
                             "has no counterpart"},
        {"latency.p99 < 50", "limit 'latency.p99 < 50': '50' has no unit, so pacer would read "
                             "ns; write it with one, e.g. 'latency.p99 < 50ms'"},
        {"latncy.p99 < 1s", "limit 'latncy.p99 < 1s': a load run has no metric 'latncy.p99' "
                            "(did you mean \"latency.p99\"?)"},
        {"latency.p99 = 1s", "limit 'latency.p99 = 1s': expected METRIC < VALUE"},
        {"latency.p99 < fast", "limit 'latency.p99 < fast': 'fast' is not a number"},
    };
    struct limit l;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err e = {0};
        cr_assert_eq(load_limit_parse(bad[i][0], &l, &e), -1, "%s", bad[i][0]);
        cr_assert(!strncmp(e.msg, bad[i][1], strlen(bad[i][1])), "%s:\n got %s", bad[i][0],
                  e.msg);
        cr_assert_null(l.metric);
    }
}
