/* limit.c: limits on what a benchmark measured, and checking them (limit.h). */
#include "limit.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/lib/rx.h"
#include "jsonread.h"
#include "loadres.h"

void limit_free(struct limit *l)
{
    if (l->pattern)
        regfree(&l->re);
    free(l->pattern);
    free(l->metric);
    free(l->text);
    memset(l, 0, sizeof *l);
}

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* "50ms" -> 5e7 (ns); "2KiB" -> 2048; "0.1%" -> 0.001; "20k" -> 20000;
 * what it measures into *dim. */
static int parse_value(const char *s, double *v, enum limit_dim *dim)
{
    static const struct {
        const char *suffix;
        double mult;
        enum limit_dim dim;
    } units[] = {
        {"ns", 1, LIMIT_TIME}, {"us", 1e3, LIMIT_TIME}, {"µs", 1e3, LIMIT_TIME},
        {"ms", 1e6, LIMIT_TIME}, {"s", 1e9, LIMIT_TIME}, {"%", 0.01, LIMIT_ANY},
        {"B", 1, LIMIT_BYTES}, {"KiB", 1024, LIMIT_BYTES}, {"MiB", 1048576, LIMIT_BYTES},
        {"GiB", 1073741824.0, LIMIT_BYTES}, {"KB", 1e3, LIMIT_BYTES}, {"MB", 1e6, LIMIT_BYTES},
        {"GB", 1e9, LIMIT_BYTES}, {"k", 1e3, LIMIT_ANY}, {"M", 1e6, LIMIT_ANY},
        {"G", 1e9, LIMIT_ANY}, {"/s", 1, LIMIT_ANY}, {"", 1, LIMIT_ANY},
    };
    char *end, unit[16];
    size_t i, len;
    double x;

    x = strtod(s, &end);
    if (end == s || !isfinite(x))
        return -1;
    snprintf(unit, sizeof unit, "%s", end);
    len = strlen(unit);
    /* "20k/s", "1.5GiB/s": a rate; the "/s" adds nothing to the number. */
    if (len > 2 && !strcmp(unit + len - 2, "/s"))
        unit[len - 2] = '\0';
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(unit, units[i].suffix)) {
            *v = x * units[i].mult;
            *dim = units[i].dim;
            return 0;
        }
    return -1;
}

/* The pattern of the benchmarks of part "step:NAME": names ending in
 * "/step:NAME", NAME's special characters escaped. */
static char *part_pattern(const char *part)
{
    char *out = malloc(2 * strlen(part) + 3), *o = out;

    if (!out)
        return NULL;
    *o++ = '/';
    for (; *part; part++) {
        if (strchr(".[]()*+?{}|^$\\", *part))
            *o++ = '\\';
        *o++ = *part;
    }
    *o++ = '$';
    *o = '\0';
    return out;
}

int limit_parse(const char *text, struct limit *l, struct err *e)
{
    char *buf = strdup(text), *op, *lhs, *rhs, *colon, *metric;
    int rc = -1;

    memset(l, 0, sizeof *l);
    if (!buf)
        return err_set(e, "out of memory");
    op = strpbrk(buf, "<>");
    if (!op) {
        err_set(e, "limit '%s': expected METRIC < VALUE or METRIC > VALUE", text);
        goto cleanup;
    }
    l->op = *op == '<' ? (op[1] == '=' ? LIMIT_LE : LIMIT_LT)
                       : (op[1] == '=' ? LIMIT_GE : LIMIT_GT);
    rhs = trim(op + (op[1] == '=' ? 2 : 1));
    *op = '\0';
    lhs = trim(buf);
    colon = strrchr(lhs, ':');
    if ((!strncmp(lhs, "step:", 5) || !strncmp(lhs, "flow:", 5)) && strpbrk(lhs, " \t")) {
        /* "step:NAME METRIC": k6's threshold of one scenario, here on the
         * benchmark of one step (or flow) of a load of flows */
        char *sp = strpbrk(lhs, " \t");
        *sp = '\0';
        metric = trim(sp + 1);
        if (!(l->pattern = part_pattern(lhs))) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        if (rx_compile(&l->re, l->pattern) != 0) {
            err_set(e, "limit '%s': '%s' is not a step's name", text, lhs + 5);
            free(l->pattern);
            l->pattern = NULL;
            goto cleanup;
        }
    } else if (colon) {
        *colon = '\0';
        l->pattern = strdup(trim(lhs));
        metric = trim(colon + 1);
        if (rx_compile(&l->re, l->pattern) != 0) {
            free(l->pattern);
            l->pattern = NULL;
            err_set(e, "limit '%s': '%s' is not a valid regular expression", text, trim(lhs));
            goto cleanup;
        }
    } else
        metric = lhs;
    if (!*metric) {
        err_set(e, "limit '%s': no metric before the operator", text);
        goto cleanup;
    }
    if (parse_value(rhs, &l->value, &l->dim) < 0) {
        err_set(e, "limit '%s': '%s' is not a number with a unit (ns us ms s, B KiB MiB, %%, k M)",
                text, rhs);
        goto cleanup;
    }
    l->metric = strdup(metric);
    l->text = strdup(text);
    rc = 0;
cleanup:
    free(buf);
    if (rc < 0)
        limit_free(l);
    return rc;
}

static int stat_value(const struct stats *st, const char *name, double *v)
{
    static const struct {
        const char *name;
        size_t off;
    } fields[] = {
        {"median", offsetof(struct stats, median)}, {"mean", offsetof(struct stats, mean)},
        {"min", offsetof(struct stats, min)},       {"max", offsetof(struct stats, max)},
        {"p5", offsetof(struct stats, p5)},         {"p25", offsetof(struct stats, p25)},
        {"p50", offsetof(struct stats, median)},    {"p75", offsetof(struct stats, p75)},
        {"p95", offsetof(struct stats, p95)},       {"p99", offsetof(struct stats, p99)},
        {"stddev", offsetof(struct stats, stddev)}, {"mad", offsetof(struct stats, mad)},
        {"cv", offsetof(struct stats, cv)},
    };
    size_t i;

    if (st->n == 0)
        return -1;
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcmp(name, fields[i].name)) {
            *v = *(const double *)((const char *)st + fields[i].off);
            return isnan(*v) ? -1 : 0;
        }
    return -1;
}

/* The metric of that exact name, or NULL. */
static const struct metric *find_metric(const struct bench *b, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < b->nmetrics; i++)
        if (strlen(b->metrics[i].name) == len && !strncmp(b->metrics[i].name, name, len))
            return &b->metrics[i];
    return NULL;
}

int bench_metric_value(const struct bench *b, const char *metric, double *v)
{
    const struct metric *m;
    const char *dot;

    if (!strncmp(metric, "metrics.", 8))
        metric += 8;
    /* An exact name wins: load metrics have dots of their own
     * ("latency.p99", "latency.p99.9"); then NAME.STAT at the last dot. */
    if ((m = find_metric(b, metric, strlen(metric))))
        return stat_value(&m->st, "median", v);
    dot = strrchr(metric, '.');
    if (dot) {
        m = find_metric(b, metric, (size_t)(dot - metric));
        return m ? stat_value(&m->st, dot + 1, v) : -1;
    }
    if (!strcmp(metric, "throughput")) {
        if (b->st.n == 0 || !(b->st.median > 0) || strcmp(b->unit, "ns"))
            return -1;
        if (b->bytes_per_op > 0)
            *v = b->bytes_per_op * 1e9 / b->st.median;
        else if (b->items_per_op > 0)
            *v = b->items_per_op * 1e9 / b->st.median;
        else
            *v = 1e9 / b->st.median;
        return 0;
    }
    return stat_value(&b->st, metric, v);
}

const char *bench_metric_unit(const struct bench *b, const char *metric)
{
    const struct metric *m;
    const char *dot;

    if (!strncmp(metric, "metrics.", 8))
        metric += 8;
    if ((m = find_metric(b, metric, strlen(metric))))
        return m->unit;
    dot = strrchr(metric, '.');
    if (dot)
        return (m = find_metric(b, metric, (size_t)(dot - metric))) && strcmp(dot + 1, "cv")
                   ? m->unit : "";
    if (!strcmp(metric, "throughput"))
        return b->bytes_per_op > 0 ? "bytes/s" : "/s";
    return !strcmp(metric, "cv") ? "" : b->unit;
}

int limit_holds(const struct limit *l, double v)
{
    switch (l->op) {
    case LIMIT_LT: return v < l->value;
    case LIMIT_LE: return v <= l->value;
    case LIMIT_GT: return v > l->value;
    default: return v >= l->value;
    }
}

char *limit_missing(char *buf, size_t len, const struct limit *l)
{
    snprintf(buf, len, "limit '%s': no benchmark%s%s has the metric '%s'", l->text,
             l->pattern ? " matching " : "", l->pattern ? l->pattern : "", l->metric);
    return buf;
}

/* Whether a metric in unit can be held to a limit of dimension dim. */
static int dim_fits(enum limit_dim dim, const char *unit)
{
    if (!unit)
        return dim == LIMIT_ANY;
    switch (dim) {
    case LIMIT_TIME:
        return !strcmp(unit, "ns");
    case LIMIT_BYTES:
        return !strncmp(unit, "bytes", 5) || !strcmp(unit, "B") || !strncmp(unit, "B/", 2);
    default:
        return 1;
    }
}

int limit_check(const struct limit *l, const struct bench *bs, size_t nb, const regex_t *filter,
                int skip_unmatched, struct limit_checks *out, struct err *e)
{
    size_t k, matched = 0, named = 0, other = 0;
    const char *other_unit = NULL, *other_name = NULL;
    char msg[ERR_MAX];

    for (k = 0; k < nb; k++) {
        const struct bench *b = &bs[k];
        struct limit_check *c;
        double v;
        if (l->pattern && regexec(&l->re, b->name, 0, NULL, 0) != 0)
            continue;
        if (filter && regexec(filter, b->name, 0, NULL, 0) != 0)
            continue;
        named++;
        if (b->error || bench_metric_value(b, l->metric, &v) < 0)
            continue;
        if (!dim_fits(l->dim, bench_metric_unit(b, l->metric))) {
            /* a time limit on a count, a size on a time: not this one's */
            if (!other++) {
                other_unit = bench_metric_unit(b, l->metric);
                other_name = b->name;
            }
            continue;
        }
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 16;
            struct limit_check *nc = realloc(out->v, ncap * sizeof *nc);
            if (!nc)
                return err_set(e, "out of memory");
            out->v = nc;
            out->cap = ncap;
        }
        c = &out->v[out->n++];
        c->limit = l;
        c->bench = b->name;
        c->unit = bench_metric_unit(b, l->metric);
        c->value = v;
        c->pass = limit_holds(l, v);
        out->failed += !c->pass;
        matched++;
    }
    if (matched == 0 && other)
        return err_set(e, "limit '%s': %s, but no benchmark%s%s has '%s' as %s (%s's is in "
                          "%s)", l->text, l->dim == LIMIT_TIME ? "a time" : "a size",
                       l->pattern ? " matching " : "", l->pattern ? l->pattern : "", l->metric,
                       l->dim == LIMIT_TIME ? "a time" : "a size", other_name,
                       *other_unit ? other_unit : "no unit");
    if (matched == 0 && !(skip_unmatched && named == 0))
        return err_set(e, "%s", limit_missing(msg, sizeof msg, l));
    return 0;
}

void limit_checks_free(struct limit_checks *c)
{
    free(c->v);
    memset(c, 0, sizeof *c);
}
