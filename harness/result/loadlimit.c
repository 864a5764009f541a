/*
 * loadlimit.c: limits on a load benchmark checked before the load
 * (loadlimit.h), and the pacer spelling of k6's thresholds.  k6 writes a
 * threshold as an aggregation of one of its metrics ("p(95)<200" under
 * http_req_duration, "rate<0.01" under http_req_failed) with times in ms
 * and no unit; pacer reads a bare number in base units (ns), so a k6 limit
 * copied as it is would either name no metric or, worse, hold 50 ns.
 */
#include "loadlimit.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadrep.h"
#include "loadres.h"

enum k6_family { K6_NONE, K6_LATENCY, K6_ERRORS, K6_REQS, K6_OTHER };
enum k6_agg { AGG_NONE, AGG_P, AGG_AVG, AGG_MED, AGG_MIN, AGG_MAX, AGG_RATE, AGG_COUNT,
              AGG_OTHER };

/* k6's built-in metrics, and which of pacer's figures each is. */
static const struct {
    const char *name;
    enum k6_family fam;
} k6_metrics[] = {
    {"http_req_duration", K6_LATENCY}, {"http_req_waiting", K6_LATENCY},
    {"http_req_failed", K6_ERRORS},    {"http_reqs", K6_REQS},
    {"iteration_duration", K6_OTHER},  {"iterations", K6_OTHER},
    {"checks", K6_OTHER},              {"http_req_blocked", K6_OTHER},
    {"http_req_connecting", K6_OTHER}, {"http_req_tls_handshaking", K6_OTHER},
    {"http_req_sending", K6_OTHER},    {"http_req_receiving", K6_OTHER},
    {"data_received", K6_OTHER},       {"data_sent", K6_OTHER},
    {"vus", K6_OTHER},                 {"vus_max", K6_OTHER},
    {"dropped_iterations", K6_OTHER},
};

static const char *const k6_aggs[] = {"", "", "avg", "med", "min", "max", "rate", "count"};

/* A limit split as k6 writes it: [METRIC[{tags}][:]] AGG OP VALUE, or
 * with pacer's "REGEX:" before the aggregation. */
struct k6_split {
    const char *pattern;         /* pacer's REGEX (patlen bytes), or NULL */
    size_t patlen;
    const char *metric;          /* k6's name, or NULL */
    enum k6_family fam;
    enum k6_agg agg;
    double pct;                  /* AGG_P: p(pct) */
    char op[3];
    double x;                    /* the value's number */
    char unit[16];               /* what follows it ("" for a bare number) */
};

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* The aggregation in s (len bytes, trimmed) into k. */
static void split_agg(const char *s, size_t len, struct k6_split *k)
{
    char buf[32];
    int used = 0;
    size_t i;

    k->agg = AGG_OTHER;
    if (len >= sizeof buf)
        return;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (sscanf(buf, "p(%lf)%n", &k->pct, &used) == 1 && (size_t)used == len) {
        k->agg = k->pct > 0 && k->pct <= 100 ? AGG_P : AGG_OTHER;
        return;
    }
    for (i = 0; i < sizeof k6_aggs / sizeof k6_aggs[0]; i++)
        if (i != AGG_P && !strcmp(buf, k6_aggs[i]))
            k->agg = (enum k6_agg)i;
}

/* The left side: an optional k6 metric (with its {tags} and a ':' or '.'
 * after it), then the aggregation. */
static void split_lhs(const char *s, size_t len, struct k6_split *k)
{
    const char *end = s + len;
    size_t i, n = 0;

    while (n < len && (isalnum((unsigned char)s[n]) || s[n] == '_'))
        n++;
    for (i = 0; i < sizeof k6_metrics / sizeof k6_metrics[0]; i++)
        if (strlen(k6_metrics[i].name) == n && !strncmp(s, k6_metrics[i].name, n)) {
            k->metric = k6_metrics[i].name;
            k->fam = k6_metrics[i].fam;
            s += n;
            if (*s == '{' && (s = memchr(s, '}', (size_t)(end - s))))
                s++;
            if (!s)
                s = end;
            while (s < end && (isspace((unsigned char)*s) || *s == ':' || *s == '.'))
                s++;
            break;
        }
    if (!k->metric) {
        const char *colon = NULL, *p;
        for (p = s; p < end; p++)
            if (*p == ':')
                colon = p;
        if (colon) {
            k->pattern = s;
            k->patlen = (size_t)(colon - s);
            while (k->patlen && isspace((unsigned char)s[k->patlen - 1]))
                k->patlen--;
            s = skip_space(colon + 1);
        }
    }
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    split_agg(s, (size_t)(end - s), k);
}

/* Split text; 0 when it is not of that shape. */
static int k6_split(const char *text, struct k6_split *k)
{
    const char *op = strpbrk(text, "<>"), *rhs;
    char *end;

    memset(k, 0, sizeof *k);
    if (!op)
        return 0;
    k->op[0] = *op;
    k->op[1] = op[1] == '=' ? '=' : '\0';
    rhs = skip_space(op + 1 + (op[1] == '='));
    k->x = strtod(rhs, &end);
    if (end == rhs || !isfinite(k->x))
        return 0;
    snprintf(k->unit, sizeof k->unit, "%s", skip_space(end));
    for (end = k->unit + strlen(k->unit); end > k->unit && isspace((unsigned char)end[-1]);)
        *--end = '\0';
    text = skip_space(text);
    split_lhs(text, (size_t)(op - text), k);
    return 1;
}

/* Whether k is written as k6 writes a threshold, and of which figure. */
static int k6_family_of(struct k6_split *k)
{
    if (k->agg == AGG_OTHER)
        return 0;
    if (k->fam != K6_NONE)
        return 1;
    switch (k->agg) {
    case AGG_P: case AGG_AVG: case AGG_MED:
        k->fam = K6_LATENCY;
        return 1;
    case AGG_MIN: case AGG_MAX:
        /* pacer's own min and max (of the samples) take a unit; a bare
         * bound from above is k6's latency */
        k->fam = K6_LATENCY;
        return !k->unit[0] && k->op[0] == '<';
    case AGG_RATE:
        k->fam = k->x <= 1 ? K6_ERRORS : K6_REQS;
        return 1;
    case AGG_COUNT:
        k->fam = K6_REQS;
        return 1;
    default:
        return 0;
    }
}

/* The latency percentile pacer keeps nearest to p (ties: the higher). */
static const char *nearest_pct(double p)
{
    size_t i, best = 0;

    for (i = 1; i < LOAD_NPCT; i++)
        if (fabs(load_pct_ranks[i] - p) <= fabs(load_pct_ranks[best] - p))
            best = i;
    return load_pct_metrics[best];
}

static void k6_latency(const struct k6_split *k, char *sug, size_t ss, char *note, size_t ns)
{
    const char *m = NULL;
    char val[48];

    switch (k->agg) {
    case AGG_P: m = nearest_pct(k->pct); break;
    case AGG_AVG: m = "latency.mean"; break;
    case AGG_MED: m = "latency.p50"; break;
    case AGG_MAX: m = "latency.max"; break;
    case AGG_MIN:
        snprintf(note, ns, "pacer records no lowest latency; its lowest percentile is "
                           "latency.p50");
        return;
    default:
        snprintf(note, ns, "a latency limit names one of latency.p50, latency.p90, latency.p95, "
                           "latency.p99, latency.p99.9, latency.p99.99, latency.max, "
                           "latency.mean");
        return;
    }
    snprintf(val, sizeof val, "%g%s", k->x, k->unit[0] ? k->unit : "ms");
    snprintf(sug, ss, "%s %s %s", m, k->op, val);
    if (k->agg == AGG_P && strcmp(m + 8, "max") && fabs(strtod(m + 9, NULL) - k->pct) > 1e-9)
        snprintf(note, ns, "pacer keeps p50, p90, p95, p99, p99.9, p99.99 and max, not p%g; "
                           "the nearest is %s%s", k->pct, m + 8,
                 k->unit[0] ? "" : "; k6 counts times in ms, pacer reads a bare number as ns");
    else if (!k->unit[0])
        snprintf(note, ns, "k6 counts times in ms, pacer reads a bare number as ns");
}

int load_limit_k6(const char *text, char *sug, size_t sugsize, char *note, size_t notesize)
{
    struct k6_split k;

    sug[0] = note[0] = '\0';
    if (!k6_split(text, &k) || !k6_family_of(&k))
        return 0;
    switch (k.fam) {
    case K6_LATENCY:
        k6_latency(&k, sug, sugsize, note, notesize);
        break;
    case K6_ERRORS:
        if (k.agg != AGG_RATE && k.agg != AGG_NONE)
            snprintf(note, notesize, "errors.rate, the share of attempts that failed, is the "
                                     "limit on errors");
        else if (k.unit[0])
            snprintf(sug, sugsize, "errors.rate %s %g%s", k.op, k.x, k.unit);
        else
            snprintf(sug, sugsize, "errors.rate %s %g%%", k.op, k.x * 100);
        break;
    case K6_REQS:
        if (k.agg == AGG_COUNT)
            snprintf(note, notesize, "pacer limits responses a second ('throughput > 1000'), "
                                     "not a total count");
        else
            snprintf(sug, sugsize, "throughput %s %g%s", k.op, k.x, k.unit);
        break;
    default:
        snprintf(note, notesize, "k6's metric '%s' has no counterpart in a load run, which "
                                 "records throughput, latency.p50 ... latency.max, "
                                 "latency.mean, errors.rate, generator.cpu, server.cpu and "
                                 "server.rss_max", k.metric ? k.metric : "?");
        break;
    }
    if (k.pattern && sug[0]) {
        char plain[160];
        snprintf(plain, sizeof plain, "%s", sug);
        snprintf(sug, sugsize, "%.*s: %s", (int)k.patlen, k.pattern, plain);
    }
    return 1;
}

/* A latency bounded by a bare number is a bound in ns: meant as ms (k6)
 * or us, never as ns across a network.  -1 (said in e) for one. */
static int check_unit(const char *text, const struct limit *l, struct err *e)
{
    const char *metric = strncmp(l->metric, "metrics.", 8) ? l->metric : l->metric + 8;
    const char *op = strpbrk(text, "<>"), *rhs;
    char *end;
    size_t len = strlen(text), mlen = strlen(metric);

    /* a latency's cv (its spread over the repetitions) has no unit */
    if (strncmp(metric, "latency.", 8) || !op || (mlen > 3 && !strcmp(metric + mlen - 3, ".cv")))
        return 0;
    rhs = skip_space(op + 1 + (op[1] == '='));
    strtod(rhs, &end);
    if (*skip_space(end))
        return 0;
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    return err_set(e, "limit '%s': '%.*s' has no unit, so pacer would read ns; write it with "
                      "one, e.g. '%.*sms'", text, (int)(end - rhs), rhs, (int)len, text);
}

int load_limit_parse(const char *text, struct limit *l, struct err *e)
{
    struct err pe = {0};
    const char *near = NULL;
    char sug[160], note[320];
    int parsed = limit_parse(text, l, &pe) == 0;

    if (parsed && load_metric_known(l->metric, &near) &&
        !(load_limit_k6(text, sug, sizeof sug, note, sizeof note)))
        return check_unit(text, l, e) < 0 ? (limit_free(l), -1) : 0;
    if (load_limit_k6(text, sug, sizeof sug, note, sizeof note)) {
        if (parsed)
            limit_free(l);
        if (!sug[0])
            return err_set(e, "limit '%s': k6's spelling; %s", text, note);
        return err_set(e, "limit '%s': k6's spelling; pacer's is '%s'%s%s%s", text, sug,
                       note[0] ? " (" : "", note, note[0] ? ")" : "");
    }
    if (!parsed)
        return err_set(e, "%s", pe.msg);
    err_set(e, "limit '%s': a load run has no metric '%s'%s%s%s", text, l->metric,
            near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
    limit_free(l);
    return -1;
}
