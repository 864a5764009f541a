/* fmt.c: display scaling and unit parsing (see fmt.h). */
#include "fmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Print v with 3 significant digits (at least one decimal below 100). */
static char *fmt_scaled(char *buf, size_t len, double v, const char *unit)
{
    double a = fabs(v);

    if (isnan(v))
        snprintf(buf, len, "-");
    else if (a >= 100 || a == 0)
        snprintf(buf, len, "%.0f %s", v, unit);
    else if (a >= 10)
        snprintf(buf, len, "%.1f %s", v, unit);
    else if (a >= 1)
        snprintf(buf, len, "%.2f %s", v, unit);
    else
        snprintf(buf, len, "%.3f %s", v, unit);
    return buf;
}

char *fmt_time(char *buf, size_t len, double ns)
{
    double a = fabs(ns);

    if (a < 1e3)
        return fmt_scaled(buf, len, ns, "ns");
    if (a < 1e6)
        return fmt_scaled(buf, len, ns / 1e3, "us");
    if (a < 1e9)
        return fmt_scaled(buf, len, ns / 1e6, "ms");
    return fmt_scaled(buf, len, ns / 1e9, "s");
}

static char *fmt_binary(char *buf, size_t len, double v, const char *suffix)
{
    static const char *pre[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    char unit[16];
    size_t i = 0;

    while (fabs(v) >= 1024 && i + 1 < sizeof pre / sizeof pre[0]) {
        v /= 1024;
        i++;
    }
    snprintf(unit, sizeof unit, "%sB%s", pre[i], suffix);
    return fmt_scaled(buf, len, v, unit);
}

char *fmt_bytes_rate(char *buf, size_t len, double bytes_per_s)
{
    return fmt_binary(buf, len, bytes_per_s, "/s");
}

char *fmt_bytes(char *buf, size_t len, double bytes)
{
    return fmt_binary(buf, len, bytes, "");
}

/* v scaled down by powers of 1000 below 1000 (to T at most), its SI
 * prefix ("", "k", "M", "G", "T") in *prefix. */
static double si_scale(double v, const char **prefix)
{
    static const char *pre[] = {"", "k", "M", "G", "T"};
    size_t i = 0;

    while (fabs(v) >= 1000 && i + 1 < sizeof pre / sizeof pre[0]) {
        v /= 1000;
        i++;
    }
    *prefix = pre[i];
    return v;
}

char *fmt_items_rate(char *buf, size_t len, double items_per_s)
{
    const char *pre;
    char unit[8];

    items_per_s = si_scale(items_per_s, &pre);
    snprintf(unit, sizeof unit, "%s/s", pre);
    return fmt_scaled(buf, len, items_per_s, unit);
}

/* "12.3k req/s", "850 req/s", "1.20M/s": a rate with an SI prefix. */
static char *fmt_rate(char *buf, size_t len, double v, const char *unit)
{
    const char *pre;
    char num[32];

    v = si_scale(v, &pre);
    fmt_scaled(num, sizeof num, v, "");
    num[strlen(num) - 1] = '\0';   /* the blank before the empty unit */
    snprintf(buf, len, "%s%s%s%s", num, pre, unit[0] == '/' ? "" : " ", unit);
    return buf;
}

/* Counts per iteration to 5 significant digits or more, so that a 0.1 %
 * change shows: "391.1 instr", "24594 instr", "1.2346M cycles". */
static char *fmt_count(char *buf, size_t len, double v, const char *unit)
{
    if (fabs(v) < 1000)
        snprintf(buf, len, "%.1f %s", v, unit);
    else if (fabs(v) < 1e6)
        snprintf(buf, len, "%.0f %s", v, unit);
    else if (fabs(v) < 1e9)
        snprintf(buf, len, "%.4fM %s", v / 1e6, unit);
    else
        snprintf(buf, len, "%.4fG %s", v / 1e9, unit);
    return buf;
}

char *fmt_value(char *buf, size_t len, double v, const char *unit)
{
    size_t ul = strlen(unit);

    if (!strcmp(unit, "ns"))
        return fmt_time(buf, len, v);
    if (!strcmp(unit, "bytes"))
        return fmt_bytes(buf, len, v);
    if (!strcmp(unit, "bytes/s") && !isnan(v))
        return fmt_bytes_rate(buf, len, v);
    if (!strcmp(unit, "ratio") && !isnan(v)) {
        snprintf(buf, len, "%.3g%%", 100 * v);
        return buf;
    }
    if (ul >= 2 && !strcmp(unit + ul - 2, "/s") && !isnan(v))
        return fmt_rate(buf, len, v, unit);
    if ((!strcmp(unit, "instr") || !strcmp(unit, "cycles")) && isfinite(v))
        return fmt_count(buf, len, v, unit);
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.4g %s", v, unit);
    return buf;
}

int fmt_parse_duration(const char *s, uint64_t *ns)
{
    static const struct {
        const char *suffix;
        double mult;
    } units[] = {
        {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}, {"", 1e9},
    };
    char *end;
    double v;
    size_t i;

    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || !isfinite(v) || v < 0)
        return -1;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (!strcmp(end, units[i].suffix)) {
            double t = v * units[i].mult;
            if (t > 1e18)
                return -1;
            *ns = (uint64_t)llround(t);
            return 0;
        }
    }
    return -1;
}

int fmt_parse_count(const char *s, unsigned long long *v)
{
    unsigned long long x, mult = 1;
    char *end;

    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    x = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    if (!strcmp(end, "k"))
        mult = 1000;
    else if (!strcmp(end, "K") || !strcmp(end, "Ki"))
        mult = 1024;
    else if (!strcmp(end, "M") || !strcmp(end, "Mi"))
        mult = 1024 * 1024;
    else if (*end)
        return -1;
    if (x > ~0ULL / mult)
        return -1;
    *v = x * mult;
    return 0;
}

int fmt_parse_percent(const char *s, double *frac)
{
    char *end;
    double v;

    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || !isfinite(v))
        return -1;
    if (!strcmp(end, "%"))
        v /= 100;
    else if (*end)
        return -1;
    *frac = v;
    return 0;
}
